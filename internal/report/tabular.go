package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Format is a file format of the exports.
type Format string

// Formats.
const (
	CSV  Format = "csv"
	XLSX Format = "xlsx"
)

// ContentType is the MIME type of a format.
func (f Format) ContentType() string {
	if f == XLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// ParseFormat accepts csv and xlsx.
func ParseFormat(s string) (Format, bool) {
	switch Format(strings.ToLower(s)) {
	case CSV:
		return CSV, true
	case XLSX:
		return XLSX, true
	}
	return "", false
}

// Sheets writes rows to one or more named tables: sheets of an XLSX workbook,
// or blocks of one CSV file separated by an empty row and the table's name.
type Sheets interface {
	Sheet(name string) error
	Row(cells ...any) error
	Close() error
}

// NewSheets starts a CSV (UTF-8 with a byte order mark, so spreadsheet
// programs read the accents right) or an XLSX on w. Rows are written as they
// come: a CSV goes out at once, an XLSX through excelize's stream writer.
func NewSheets(w io.Writer, f Format) (Sheets, error) {
	switch f {
	case CSV:
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
		return &csvSheets{w: csv.NewWriter(w)}, nil
	case XLSX:
		return &xlsxSheets{f: excelize.NewFile(), out: w}, nil
	}
	return nil, fmt.Errorf("report: unknown format %q", f)
}

// Neutralise makes a text cell inert in spreadsheets: a leading = + - @, tab
// or carriage return would start a formula, so it gets a leading apostrophe.
func Neutralise(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

func cellText(v any) string {
	switch x := v.(type) {
	case string:
		return Neutralise(x)
	case nil:
		return ""
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case float64:
		return fmt.Sprintf("%.4f", x)
	case *int:
		if x == nil {
			return ""
		}
		return fmt.Sprint(*x)
	}
	return fmt.Sprint(v)
}

type csvSheets struct {
	w     *csv.Writer
	count int
}

func (c *csvSheets) Sheet(name string) error {
	c.count++
	if c.count == 1 {
		return nil
	}
	if err := c.w.Write([]string{}); err != nil {
		return err
	}
	return c.w.Write([]string{Neutralise(name)})
}

func (c *csvSheets) Row(cells ...any) error {
	rec := make([]string, len(cells))
	for i, v := range cells {
		rec[i] = cellText(v)
	}
	return c.w.Write(rec)
}

func (c *csvSheets) Close() error {
	c.w.Flush()
	return c.w.Error()
}

type xlsxSheets struct {
	f     *excelize.File
	out   io.Writer
	sw    *excelize.StreamWriter
	row   int
	count int
	names map[string]bool
}

// sheetName makes a valid, unique sheet name (at most 31 characters, none of []:*?/\).
func (x *xlsxSheets) sheetName(name string) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '-'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 28 {
		name = string(r[:28])
	}
	if name == "" {
		name = "Sheet"
	}
	if x.names == nil {
		x.names = map[string]bool{}
	}
	base := name
	for i := 2; x.names[name]; i++ {
		name = fmt.Sprintf("%s %d", base, i)
	}
	x.names[name] = true
	return name
}

func (x *xlsxSheets) Sheet(name string) error {
	if err := x.flush(); err != nil {
		return err
	}
	name = x.sheetName(name)
	x.count++
	if x.count == 1 {
		if err := x.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
	} else if _, err := x.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	x.sw, x.row = sw, 0
	return nil
}

func (x *xlsxSheets) Row(cells ...any) error {
	if x.sw == nil {
		if err := x.Sheet("Sheet1"); err != nil {
			return err
		}
	}
	x.row++
	vals := make([]any, len(cells))
	for i, v := range cells {
		switch c := v.(type) {
		case string:
			vals[i] = Neutralise(c)
		case *int:
			if c == nil {
				vals[i] = ""
			} else {
				vals[i] = *c
			}
		case bool:
			vals[i] = cellText(c)
		default:
			vals[i] = v
		}
	}
	cell, err := excelize.CoordinatesToCellName(1, x.row)
	if err != nil {
		return err
	}
	return x.sw.SetRow(cell, vals)
}

func (x *xlsxSheets) flush() error {
	if x.sw == nil {
		return nil
	}
	err := x.sw.Flush()
	x.sw = nil
	return err
}

func (x *xlsxSheets) Close() error {
	if x.count == 0 {
		if err := x.Sheet("Sheet1"); err != nil {
			return err
		}
	}
	if err := x.flush(); err != nil {
		return err
	}
	defer x.f.Close()
	return x.f.Write(x.out)
}
