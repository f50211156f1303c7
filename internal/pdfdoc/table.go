package pdfdoc

import "errors"

// Column is one table column.
type Column struct {
	Title string
	// Width in points; columns with zero width share what the others leave
	// of the content width.
	Width float64
	Align Align
}

// Rect is a box in points, top-left origin.
type Rect struct{ X, Y, W, H float64 }

// Table is a grid drawn at the flow cursor. Rows that do not fit the page
// start a new one, which repeats the header row so that every printed page
// of a participant list can be read (and signed) on its own.
type Table struct {
	Columns []Column
	Rows    [][]string
	// FontSize of body and header; 0 means the current font size.
	FontSize float64
	// MinRowHeight keeps rows tall enough for a handwritten signature.
	MinRowHeight float64
	// Cell, if set, is called after each body cell is drawn with its box,
	// to place something that is not text (a signature image).
	Cell func(d *Doc, row, col int, box Rect) error
}

const cellPad = 3

// Table draws t at the cursor and moves the cursor below it.
func (d *Doc) Table(t Table) error {
	if len(t.Columns) == 0 {
		return errors.New("pdfdoc: table without columns")
	}
	widths := d.columnWidths(t.Columns)
	size := t.FontSize
	if size == 0 {
		size = d.fsize
	}
	style, fsize := d.style, d.fsize
	defer func() { _ = d.SetFont(style, fsize) }()

	header := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		header[i] = c.Title
	}
	drawHeader := func() error {
		if err := d.SetFont(Bold, size); err != nil {
			return err
		}
		h := d.rowHeight(header, widths, 0)
		if err := d.row(header, widths, t.Columns, h, 0.88, -1, nil); err != nil {
			return err
		}
		return d.SetFont(Regular, size)
	}
	// Start on a fresh page if not even the header and one row fit here.
	if err := d.SetFont(Bold, size); err != nil {
		return err
	}
	need := d.rowHeight(header, widths, 0)
	if len(t.Rows) > 0 {
		if err := d.SetFont(Regular, size); err != nil {
			return err
		}
		need += d.rowHeight(t.Rows[0], widths, t.MinRowHeight)
	}
	if d.y+need > d.Bottom() && d.y > d.margin {
		d.AddPage()
	}
	if err := drawHeader(); err != nil {
		return err
	}
	for i, r := range t.Rows {
		h := d.rowHeight(r, widths, t.MinRowHeight)
		if d.y+h > d.Bottom() {
			d.AddPage()
			if err := drawHeader(); err != nil {
				return err
			}
		}
		if err := d.row(r, widths, t.Columns, h, -1, i, t.Cell); err != nil {
			return err
		}
	}
	return nil
}

func (d *Doc) columnWidths(cols []Column) []float64 {
	widths := make([]float64, len(cols))
	rest, free := d.ContentWidth(), 0
	for i, c := range cols {
		widths[i] = c.Width
		rest -= c.Width
		if c.Width == 0 {
			free++
		}
	}
	for i := range widths {
		if widths[i] == 0 {
			widths[i] = max(rest/float64(free), 2*cellPad+1)
		}
	}
	return widths
}

func (d *Doc) rowHeight(cells []string, widths []float64, minH float64) float64 {
	n := 1
	for i, w := range widths {
		if i < len(cells) {
			n = max(n, len(d.Wrap(cells[i], w-2*cellPad)))
		}
	}
	return max(float64(n)*d.LineH()+2*cellPad, minH)
}

// row draws one row at the cursor with the given height; grey >= 0 fills the
// background (header). A body row's index goes to hook.
func (d *Doc) row(cells []string, widths []float64, cols []Column, h, grey float64, index int,
	hook func(*Doc, int, int, Rect) error) error {
	x := d.margin
	for i, w := range widths {
		if grey >= 0 {
			d.Fill(x, d.y, w, h, grey)
		}
		d.Box(x, d.y, w, h, 0.5)
		if i < len(cells) {
			if _, err := d.Text(x+cellPad, d.y+cellPad, w-2*cellPad, cells[i], cols[i].Align); err != nil {
				return err
			}
		}
		if hook != nil {
			if err := hook(d, index, i, Rect{x, d.y, w, h}); err != nil {
				return err
			}
		}
		x += w
	}
	d.y += h
	return nil
}
