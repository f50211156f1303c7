// Package pdfdoc is a small layer over gopdf for the documents the system
// prints: PDF tickets, participant lists with signature cells, and badges.
//
// All coordinates are PDF points (1/72 inch) from the top-left corner of the
// page. Text goes through Clean and is set in the embedded DejaVu Sans, so
// every name prints as typed in any partner language; what the font cannot
// show is dropped, never drawn as boxes.
//
// A Doc keeps a SHA-256 over everything drawn (text after Clean, images,
// in order), excluding footers. Footers are drawn last, when the page count
// is known, and may print that digest: two printouts with the same digest
// show the same content.
package pdfdoc

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/decode-attend/attend/assets/fonts"
)

// Size is a page size in points.
type Size struct{ W, H float64 }

var (
	// A4 is ISO A4 portrait, 210 x 297 mm.
	A4 = Size{595.28, 841.89}
	// Phone is a 9:16 page (about 95 x 169 mm) that fills a phone screen
	// without zooming, for tickets shown at the door.
	Phone = Size{270, 480}
)

// Style selects the font face.
type Style int

// Font faces.
const (
	Regular Style = iota
	Bold
)

// Align is the horizontal alignment of text within its width.
type Align int

// Alignments.
const (
	Left Align = iota
	Center
	Right
)

const family = "dejavu"

// LineHeight is the line spacing as a multiple of the font size.
const LineHeight = 1.25

// FooterInfo is what a footer may show.
type FooterInfo struct {
	Page, Pages int
	// SHA256 is the hex content digest; see the package comment.
	SHA256 string
}

// FooterFunc returns the left and right footer texts of a page.
type FooterFunc func(FooterInfo) (left, right string)

// DefaultFooter prints "page / pages" on the right. It holds no words so it
// needs no translation; pass a localised FooterFunc for "page X of Y".
func DefaultFooter(f FooterInfo) (string, string) {
	return "", fmt.Sprintf("%d / %d", f.Page, f.Pages)
}

// Doc is a PDF under construction. It is not safe for concurrent use.
type Doc struct {
	pdf    *gopdf.GoPdf
	size   Size
	margin float64
	y      float64 // flow cursor, see Y
	style  Style
	fsize  float64
	footer FooterFunc
	digest hash.Hash
	out    []byte // set by Bytes; the document is then closed
}

// New starts a document with the given page size and its first page. Margins
// are 40 pt on A4-sized pages and 16 pt on small ones; the font is Regular
// 10 pt.
func New(size Size) (*Doc, error) {
	if size.W <= 0 || size.H <= 0 {
		return nil, errors.New("pdfdoc: bad page size")
	}
	d := &Doc{
		pdf:    &gopdf.GoPdf{},
		size:   size,
		margin: 40,
		footer: DefaultFooter,
		digest: sha256.New(),
	}
	if size.W < 400 {
		d.margin = 16
	}
	d.pdf.Start(gopdf.Config{Unit: gopdf.UnitPT, PageSize: gopdf.Rect{W: size.W, H: size.H}})
	faces := []struct {
		data  []byte
		style int
	}{{fonts.Regular, gopdf.Regular}, {fonts.Bold, gopdf.Bold}}
	for _, f := range faces {
		if err := d.pdf.AddTTFFontDataWithOption(family, f.data, gopdf.TtfOption{Style: f.style}); err != nil {
			return nil, fmt.Errorf("pdfdoc: font: %w", err)
		}
	}
	d.AddPage()
	if err := d.SetFont(Regular, 10); err != nil {
		return nil, err
	}
	return d, nil
}

// SetInfo sets the document title and author shown by PDF viewers.
func (d *Doc) SetInfo(title, author string) {
	d.pdf.SetInfo(gopdf.PdfInfo{Title: Clean(title), Author: Clean(author), Creator: "DeCoDe Attend"})
}

// Size returns the page size.
func (d *Doc) Size() Size { return d.size }

// Margin returns the page margin; content goes between Margin and
// Size().W-Margin horizontally and from Margin to Bottom() vertically.
func (d *Doc) Margin() float64 { return d.margin }

// SetMargin changes the margin for content placed from now on.
func (d *Doc) SetMargin(m float64) { d.margin = m }

// ContentWidth is the width between the margins.
func (d *Doc) ContentWidth() float64 { return d.size.W - 2*d.margin }

// Bottom is the lowest y flowing content may reach; the footer lives below.
func (d *Doc) Bottom() float64 { return d.size.H - d.margin }

// Y is the flow cursor: where Paragraph and Table continue.
func (d *Doc) Y() float64 { return d.y }

// SetY moves the flow cursor.
func (d *Doc) SetY(y float64) { d.y = y }

// Pages returns the number of pages so far.
func (d *Doc) Pages() int { return d.pdf.GetNumberOfPages() }

// AddPage starts a new page and puts the cursor at the top margin.
func (d *Doc) AddPage() {
	d.pdf.AddPage()
	d.y = d.margin
	if d.fsize > 0 {
		_ = d.SetFont(d.style, d.fsize) // already set once, cannot fail
	}
}

// SetFont selects the face and size (points) for following text.
func (d *Doc) SetFont(style Style, size float64) error {
	s := ""
	if style == Bold {
		s = "B"
	}
	if err := d.pdf.SetFont(family, s, size); err != nil {
		return fmt.Errorf("pdfdoc: font: %w", err)
	}
	d.style, d.fsize = style, size
	return nil
}

// LineH is the height of one line in the current font.
func (d *Doc) LineH() float64 { return d.fsize * LineHeight }

// SetFooter replaces the footer; nil means none.
func (d *Doc) SetFooter(f FooterFunc) { d.footer = f }

// SHA256 returns the hex digest of the content drawn so far.
func (d *Doc) SHA256() string { return hex.EncodeToString(d.digest.Sum(nil)) }

// record feeds the digest with a tagged, length-prefixed item, so that
// ("ab","c") and ("a","bc") differ.
func (d *Doc) record(tag byte, b []byte) {
	var h [9]byte
	h[0] = tag
	binary.BigEndian.PutUint64(h[1:], uint64(len(b)))
	d.digest.Write(h[:])
	d.digest.Write(b)
}

// TextWidth measures s (after Clean) in the current font.
func (d *Doc) TextWidth(s string) float64 {
	w, _ := d.pdf.MeasureTextWidth(Clean(s))
	return w
}

// Wrap cleans s and breaks it into lines no wider than width, at spaces
// where possible and inside a word only when the word alone is too wide.
// Newlines in s start new lines.
func (d *Doc) Wrap(s string, width float64) []string {
	var lines []string
	for _, para := range strings.Split(Clean(s), "\n") {
		line := ""
		for _, word := range strings.Fields(para) {
			try := word
			if line != "" {
				try = line + " " + word
			}
			if d.width(try) <= width {
				line = try
				continue
			}
			if line != "" {
				lines = append(lines, line)
			}
			// A word wider than the whole line is cut by runes.
			line = ""
			for _, r := range word {
				if line != "" && d.width(line+string(r)) > width {
					lines = append(lines, line)
					line = ""
				}
				line += string(r)
			}
		}
		lines = append(lines, line)
	}
	return lines
}

func (d *Doc) width(s string) float64 {
	w, _ := d.pdf.MeasureTextWidth(s)
	return w
}

// Text draws s wrapped to width with its first line's top at (x, y) and
// returns the height used. It does not break pages; see Paragraph.
func (d *Doc) Text(x, y, width float64, s string, align Align) (float64, error) {
	lines := d.Wrap(s, width)
	for i, line := range lines {
		if err := d.line(x, y+float64(i)*d.LineH(), width, line, align); err != nil {
			return 0, err
		}
	}
	return float64(len(lines)) * d.LineH(), nil
}

// line draws one already cleaned line.
func (d *Doc) line(x, y, width float64, s string, align Align) error {
	if s == "" {
		return nil
	}
	d.record('T', []byte(s))
	opt := gopdf.CellOption{Align: gopdf.Top | gopdf.Left}
	switch align {
	case Center:
		opt.Align = gopdf.Top | gopdf.Center
	case Right:
		opt.Align = gopdf.Top | gopdf.Right
	}
	d.pdf.SetXY(x, y)
	if err := d.pdf.CellWithOption(&gopdf.Rect{W: width, H: d.LineH()}, s, opt); err != nil {
		return fmt.Errorf("pdfdoc: text: %w", err)
	}
	return nil
}

// Paragraph draws s across the content width at the cursor, starting new
// pages as needed, and moves the cursor below it.
func (d *Doc) Paragraph(s string, align Align) error {
	for _, line := range d.Wrap(s, d.ContentWidth()) {
		if d.y+d.LineH() > d.Bottom() {
			d.AddPage()
		}
		if err := d.line(d.margin, d.y, d.ContentWidth(), line, align); err != nil {
			return err
		}
		d.y += d.LineH()
	}
	return nil
}

// Image draws a PNG or JPEG into the box (x, y, w, h). QR codes must be
// drawn square and at a whole multiple of their pixel size where possible.
func (d *Doc) Image(img []byte, x, y, w, h float64) error {
	holder, err := gopdf.ImageHolderByBytes(img)
	if err != nil {
		return fmt.Errorf("pdfdoc: image: %w", err)
	}
	d.record('I', img)
	if err := d.pdf.ImageByHolder(holder, x, y, &gopdf.Rect{W: w, H: h}); err != nil {
		return fmt.Errorf("pdfdoc: image: %w", err)
	}
	return nil
}

// Line draws a black line of the given width.
func (d *Doc) Line(x1, y1, x2, y2, width float64) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(0, 0, 0)
	d.pdf.Line(x1, y1, x2, y2)
}

// Box strokes a rectangle with top-left (x, y).
func (d *Doc) Box(x, y, w, h, width float64) {
	d.pdf.SetLineWidth(width)
	d.pdf.SetStrokeColor(0, 0, 0)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "D")
}

// Fill paints a rectangle in a grey level (0 black, 1 white).
func (d *Doc) Fill(x, y, w, h, grey float64) {
	g := uint8(grey * 255)
	d.pdf.SetFillColor(g, g, g)
	d.pdf.RectFromUpperLeftWithStyle(x, y, w, h, "F")
	d.pdf.SetFillColor(0, 0, 0)
}

// Bytes draws the footers and returns the finished PDF. Call it once all
// content is drawn: later calls return the same bytes, and nothing drawn
// after the first call appears.
func (d *Doc) Bytes() ([]byte, error) {
	if d.out != nil {
		return d.out, nil
	}
	if d.footer != nil {
		if err := d.drawFooters(); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if _, err := d.pdf.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("pdfdoc: write: %w", err)
	}
	d.out = buf.Bytes()
	return d.out, nil
}

func (d *Doc) drawFooters() error {
	info := FooterInfo{Pages: d.Pages(), SHA256: d.SHA256()}
	size := 7.0
	if d.size.W >= 400 {
		size = 8
	}
	if err := d.SetFont(Regular, size); err != nil {
		return err
	}
	y := d.size.H - d.margin + (d.margin-d.LineH())/2
	w := d.ContentWidth()
	for p := 1; p <= info.Pages; p++ {
		if err := d.pdf.SetPage(p); err != nil {
			return fmt.Errorf("pdfdoc: footer: %w", err)
		}
		info.Page = p
		left, right := d.footer(info)
		// Footers are not content: drawn without touching the digest.
		for _, part := range []struct {
			s string
			a gopdf.CellOption
		}{{left, gopdf.CellOption{Align: gopdf.Top | gopdf.Left}}, {right, gopdf.CellOption{Align: gopdf.Top | gopdf.Right}}} {
			s := Clean(part.s)
			if s == "" {
				continue
			}
			d.pdf.SetXY(d.margin, y)
			if err := d.pdf.CellWithOption(&gopdf.Rect{W: w, H: d.LineH()}, s, part.a); err != nil {
				return fmt.Errorf("pdfdoc: footer: %w", err)
			}
		}
	}
	return nil
}
