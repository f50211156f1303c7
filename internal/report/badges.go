package report

import (
	"context"
	"io"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/qr"
	"github.com/decode-attend/attend/internal/store"
)

// Badge sheet geometry: 2 x 4 badges of 90 x 65 mm on A4 with cut lines.
const (
	badgeW, badgeH = 255.0, 184.0
	badgeCols      = 2
	badgeRows      = 4
	badgeQR        = 86.0
)

// BadgeSize is the page of a single badge (a walk-in's, printed at the desk).
var BadgeSize = pdfdoc.Size{W: badgeW, H: badgeH}

// Badges returns the badges of an event's confirmed registrations, or of the
// one registration regID when it is not 0.
func (s *Service) Badges(ctx context.Context, slug string, regID int64) (store.Event, []store.BadgeRow, error) {
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, slug)
	if err != nil {
		return e, nil, err
	}
	bs, err := s.Store.Badges(ctx, s.Store.DB, e.ID, regID)
	if err == nil && regID != 0 && len(bs) == 0 {
		err = store.ErrNotFound
	}
	return e, bs, err
}

// WriteBadgesPDF writes A4 sheets of badges (name, organisation, town,
// country in words, and the ticket's QR code when there is a live ticket).
// With single set, each badge gets its own badge-sized page.
func WriteBadgesPDF(w io.Writer, l *i18n.Localizer, e store.Event, bs []store.BadgeRow, single bool) error {
	size := pdfdoc.A4
	if single {
		size = BadgeSize
	}
	d, err := pdfdoc.New(size)
	if err != nil {
		return err
	}
	d.SetInfo(l.T("report.badges.doc_title", "event", e.Title.In(l.Lang)), "")
	d.SetFooter(nil)
	x0 := (size.W - badgeCols*badgeW) / 2
	y0 := (size.H - badgeRows*badgeH) / 2
	if single {
		x0, y0 = 0, 0
	}
	per := badgeCols * badgeRows
	if single {
		per = 1
	}
	for i, b := range bs {
		if i > 0 && i%per == 0 {
			d.AddPage()
		}
		k := i % per
		x := x0 + float64(k%badgeCols)*badgeW
		y := y0 + float64(k/badgeCols)*badgeH
		if single {
			x, y = 0, 0
		}
		if err := drawBadge(d, l, e, b, x, y, !single); err != nil {
			return err
		}
	}
	if len(bs) == 0 {
		if err := d.Paragraph(l.T("report.badges.none"), pdfdoc.Left); err != nil {
			return err
		}
	}
	out, err := d.Bytes()
	if err != nil {
		return err
	}
	_, err = w.Write(out)
	return err
}

func drawBadge(d *pdfdoc.Doc, l *i18n.Localizer, e store.Event, b store.BadgeRow, x, y float64, cutLines bool) error {
	pad := 14.0
	d.Fill(x, y, badgeW, 32, 0.9)
	if cutLines {
		d.Box(x, y, badgeW, badgeH, 0.3)
	}
	if err := d.SetFont(pdfdoc.Bold, 7.5); err != nil {
		return err
	}
	if _, err := d.Text(x+pad, y+6, badgeW-2*pad, e.Title.In(l.Lang), pdfdoc.Left); err != nil {
		return err
	}
	textW := badgeW - 2*pad
	if b.Payload != "" {
		textW -= badgeQR + 6
		png, err := qr.PNG(b.Payload, 300)
		if err != nil {
			return err
		}
		if err := d.Image(png, x+badgeW-pad-badgeQR, y+badgeH-pad-badgeQR, badgeQR, badgeQR); err != nil {
			return err
		}
	}
	cy := y + 42
	if err := d.SetFont(pdfdoc.Bold, 17); err != nil {
		return err
	}
	h, err := d.Text(x+pad, cy, badgeW-2*pad, b.FirstName, pdfdoc.Left)
	if err != nil {
		return err
	}
	cy += h
	if err := d.SetFont(pdfdoc.Bold, 13); err != nil {
		return err
	}
	h, err = d.Text(x+pad, cy, badgeW-2*pad, b.LastName, pdfdoc.Left)
	if err != nil {
		return err
	}
	cy += h + 8
	if err := d.SetFont(pdfdoc.Regular, 9); err != nil {
		return err
	}
	for _, line := range []string{b.Organisation, joinNonEmpty(b.City, l.Country(b.Country))} {
		if line == "" {
			continue
		}
		h, err := d.Text(x+pad, cy, textW, line, pdfdoc.Left)
		if err != nil {
			return err
		}
		cy += h + 2
	}
	return nil
}

func joinNonEmpty(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + ", " + b
}
