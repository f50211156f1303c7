package report

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"regexp"
	"slices"
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
	cols  int // widest row of the current sheet
	count int
	names map[string]bool
	dims  map[string]string // worksheet part -> range its cells fill
	// sorted holds the parts and writes them in name order: excelize walks
	// a map, so its part order (and the file's bytes) varies from run to run.
	sorted bool
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
	x.sw, x.row, x.cols = sw, 0, 0
	return nil
}

func (x *xlsxSheets) Row(cells ...any) error {
	if x.sw == nil {
		if err := x.Sheet("Sheet1"); err != nil {
			return err
		}
	}
	x.row++
	x.cols = max(x.cols, len(cells))
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
	ref := "A1"
	if x.row > 0 && x.cols > 0 && (x.row > 1 || x.cols > 1) {
		last, err := excelize.CoordinatesToCellName(x.cols, x.row)
		if err != nil {
			return err
		}
		ref = "A1:" + last
	}
	if x.dims == nil {
		x.dims = map[string]string{}
	}
	// NewSheet names the part after the sheet id; the first sheet is the
	// template's sheet1.
	x.dims[fmt.Sprintf("xl/worksheets/sheet%d.xml", x.sw.SheetID)] = ref
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
	x.f.SetZipWriter(func(w io.Writer) excelize.ZipWriter {
		return &dimensionZip{Writer: zip.NewWriter(w), dims: x.dims, sorted: x.sorted}
	})
	return x.f.Write(x.out)
}

// dimensionZip writes each worksheet's true <dimension>. excelize's stream
// writer writes the sheet's head before its rows and so declares "A1" on every
// sheet; readers that trust the declaration (openpyxl in read-only mode,
// other streaming readers) would see one cell. The range is only known once
// the rows are written, so it is put in as the parts go into the archive,
// keeping rows streamed rather than held in memory.
type dimensionZip struct {
	*zip.Writer
	dims    map[string]string
	pending *dimensionWriter
	sorted  bool
	parts   map[string]*bytes.Buffer
}

func (z *dimensionZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	var w io.Writer
	var err error
	if z.sorted {
		if z.parts == nil {
			z.parts = map[string]*bytes.Buffer{}
		}
		b := new(bytes.Buffer)
		z.parts[name], w = b, b
	} else {
		w, err = z.Writer.Create(name)
	}
	if err != nil || !strings.HasPrefix(name, "xl/worksheets/") || !strings.HasSuffix(name, ".xml") {
		return w, err
	}
	ref, ok := z.dims[name]
	if !ok {
		return nil, fmt.Errorf("report: xlsx: no range known for %s", name)
	}
	z.pending = &dimensionWriter{w: w, ref: ref}
	return z.pending, nil
}

func (z *dimensionZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	names := make([]string, 0, len(z.parts))
	for n := range z.parts {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := z.Writer.Create(n)
		if err != nil {
			return err
		}
		if _, err := w.Write(z.parts[n].Bytes()); err != nil {
			return err
		}
	}
	return z.Writer.Close()
}

func (z *dimensionZip) finish() error {
	if z.pending == nil {
		return nil
	}
	err := z.pending.rewrite()
	z.pending = nil
	return err
}

var dimensionRe = regexp.MustCompile(`<dimension ref="[^"]*"`)

// dimensionWriter holds a worksheet's head (everything before <sheetData>),
// sets the range in its <dimension>, then passes the rows through.
type dimensionWriter struct {
	w    io.Writer
	ref  string
	head []byte
	done bool
}

func (d *dimensionWriter) Write(p []byte) (int, error) {
	if d.done {
		return d.w.Write(p)
	}
	d.head = append(d.head, p...)
	if bytes.Contains(d.head, []byte("<sheetData")) {
		if err := d.rewrite(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}

func (d *dimensionWriter) rewrite() error {
	if d.done {
		return nil
	}
	d.done = true
	loc := dimensionRe.FindIndex(d.head)
	if loc == nil {
		return fmt.Errorf("report: xlsx: worksheet without <dimension>")
	}
	var b bytes.Buffer
	b.Write(d.head[:loc[0]])
	fmt.Fprintf(&b, `<dimension ref="%s"`, d.ref)
	b.Write(d.head[loc[1]:])
	d.head = nil
	_, err := d.w.Write(b.Bytes())
	return err
}
