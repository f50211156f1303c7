// Package sheetin reads a table that a person made in a spreadsheet: a CSV
// file (UTF-8, with or without a byte order mark, separated by commas or by
// semicolons as spreadsheets set to a comma-decimal locale write it) or the
// first sheet of an XLSX workbook. It gives back the header row and the data
// rows, each with its row number in the file, so that errors can name the row
// a person sees in their spreadsheet. It knows nothing of what the columns mean.
package sheetin

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/unicode/norm"
)

// Format is the kind of file.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// XLSXMediaType is the media type of an XLSX workbook.
const XLSXMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Limits: a file is refused beyond them (a sheet of participants is far smaller).
const (
	MaxRows    = 50000
	MaxColumns = 200
	MaxCell    = 4000 // characters
)

// Errors of unreadable files.
var (
	ErrEmpty     = errors.New("sheetin: the file has no header row")
	ErrFormat    = errors.New("sheetin: the file is neither CSV nor XLSX")
	ErrEncoding  = errors.New("sheetin: the file is not UTF-8 text")
	ErrTooLarge  = errors.New("sheetin: the file has too many rows or columns")
	ErrMalformed = errors.New("sheetin: the CSV file is malformed")
)

// Row is one data row: its number in the file (the header is row 1) and its
// cells, trimmed, as many as the header has columns.
type Row struct {
	Line  int
	Cells []string
}

// Sheet is a read file.
type Sheet struct {
	Format Format
	Header []string
	Rows   []Row
}

// Detect tells the format from the file's first bytes (an XLSX workbook is a
// ZIP archive); name and media type are only hints people get wrong.
func Detect(b []byte) Format {
	if bytes.HasPrefix(b, []byte("PK\x03\x04")) {
		return XLSX
	}
	return CSV
}

// Read reads a CSV or XLSX file.
func Read(b []byte) (*Sheet, error) {
	if Detect(b) == XLSX {
		return ReadXLSX(b)
	}
	return ReadCSV(b)
}

// ReadCSV reads CSV text. The separator is the one of ',' and ';' that the
// header line holds more of outside quotes.
func ReadCSV(b []byte) (*Sheet, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) || bytes.IndexByte(b, 0) >= 0 {
		return nil, ErrEncoding
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.Comma = separator(b)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var recs [][]string
	lines := []int{}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
		}
		line, _ := r.FieldPos(0)
		recs = append(recs, rec)
		lines = append(lines, line)
		if len(recs) > MaxRows+1 {
			return nil, ErrTooLarge
		}
	}
	return build(CSV, recs, lines)
}

// separator picks ',' or ';' by counting them in the first line, outside quotes.
func separator(b []byte) rune {
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	commas, semis, quoted := 0, 0, false
	for sc.Scan() {
		for _, c := range sc.Text() {
			switch {
			case c == '"':
				quoted = !quoted
			case quoted:
			case c == ',':
				commas++
			case c == ';':
				semis++
			}
		}
		if !quoted {
			break
		}
	}
	if semis > commas {
		return ';'
	}
	return ','
}

// ReadXLSX reads the first sheet of a workbook.
func ReadXLSX(b []byte) (*Sheet, error) {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return nil, ErrFormat
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, ErrEmpty
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		return nil, ErrFormat
	}
	defer rows.Close()
	var recs [][]string
	var lines []int
	n := 0
	for rows.Next() {
		n++
		cols, err := rows.Columns()
		if err != nil {
			return nil, ErrFormat
		}
		recs = append(recs, cols)
		lines = append(lines, n)
		if len(recs) > MaxRows+1 {
			return nil, ErrTooLarge
		}
	}
	if rows.Error() != nil {
		return nil, ErrFormat
	}
	return build(XLSX, recs, lines)
}

// build takes the first non-blank record as the header and keeps the
// non-blank records after it, cut or padded to the header's width.
func build(f Format, recs [][]string, lines []int) (*Sheet, error) {
	s := &Sheet{Format: f}
	start := -1
	for i, rec := range recs {
		if !blank(rec) {
			start = i
			break
		}
	}
	if start < 0 {
		return nil, ErrEmpty
	}
	s.Header = trimRight(clean(recs[start]))
	if len(s.Header) == 0 {
		return nil, ErrEmpty
	}
	if len(s.Header) > MaxColumns {
		return nil, ErrTooLarge
	}
	for i := start + 1; i < len(recs); i++ {
		if blank(recs[i]) {
			continue
		}
		cells := clean(recs[i])
		row := make([]string, len(s.Header))
		copy(row, cells)
		s.Rows = append(s.Rows, Row{Line: lines[i], Cells: row})
	}
	return s, nil
}

func clean(rec []string) []string {
	out := make([]string, len(rec))
	for i, c := range rec {
		c = strings.TrimSpace(c)
		// The inverse of report.Neutralise: an exported "'+371 ..." reads as written.
		if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@", rune(c[1])) {
			c = c[1:]
		}
		if utf8.RuneCountInString(c) > MaxCell {
			c = string([]rune(c)[:MaxCell])
		}
		out[i] = c
	}
	return out
}

func trimRight(rec []string) []string {
	for len(rec) > 0 && rec[len(rec)-1] == "" {
		rec = rec[:len(rec)-1]
	}
	return rec
}

func blank(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// Normalize is the form in which headers (and names people type) are
// compared: NFC, lower case, letters and digits only, so that "First name",
// "first_name" and "FIRST-NAME" are one.
func Normalize(s string) string {
	s = norm.NFC.String(s)
	var b strings.Builder
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
		}
	}
	return b.String()
}

// ColumnName is the spreadsheet name of the i-th column (0: "A", 26: "AA").
func ColumnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}
