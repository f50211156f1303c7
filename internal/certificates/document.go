package certificates

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/qr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// Document is what a certificate says, already in the holder's language.
type Document struct {
	Lang      string
	Title     string
	Certify   string // "This is to certify that"
	Name      string
	Attended  string // "took part in"
	Event     string
	Held      string // place and dates
	Days      []string
	Project   []string // project, programme, grant reference lines
	Signatory string
	Position  string
	Host      string
	Code      string
	VerifyURL string
	Labels    struct{ Days, Verify, Signed string }
}

func (s *Service) document(ctx context.Context, q sqlx.QueryerContext, e store.Event, r store.Registration, c store.Certificate, lang string) (Document, error) {
	l := s.I18n.Localizer(lang)
	p, err := s.Store.Project(ctx, q, e.ProjectID)
	if err != nil {
		return Document{}, err
	}
	set, err := s.Store.EventCertificateSettings(ctx, q, e.ID)
	if err != nil {
		return Document{}, err
	}
	d := Document{
		Lang: lang, Title: l.T("certificate.title"), Certify: l.T("certificate.certify"), Name: r.FullName(),
		Attended: l.T("certificate.attended"), Event: e.Title.In(lang),
		Held:      l.T("certificate.held", "place", tickets.VenueLine(l, e), "dates", l.DateRange(e.FirstDay, e.LastDay)),
		Signatory: set.SignatoryName, Position: set.SignatoryPosition, Code: c.Code, VerifyURL: s.VerifyURL(c.Code),
	}
	d.Labels.Days = l.N("certificate.days", len(c.Days))
	d.Labels.Verify = l.T("certificate.verify")
	d.Labels.Signed = l.T("certificate.signed_for")
	for _, day := range c.Days {
		if t, err := time.Parse("2006-01-02", day); err == nil {
			d.Days = append(d.Days, tickets.Weekday(l, t)+" "+l.Date(t))
		}
	}
	d.Project = projectLines(l, p, lang)
	if e.HostPartnerID != nil {
		if h, err := s.Store.Partner(ctx, q, *e.HostPartnerID); err == nil {
			d.Host = l.PickOr(h.OrganisationTexts, h.Organisation).Marked()
		}
	}
	return d, nil
}

// projectLines name the project, its programme and grant as the funder
// asks them to be credited.
func projectLines(l *i18n.Localizer, p store.Project, lang string) []string {
	name := p.Title.In(lang)
	if p.Acronym != "" && !strings.Contains(name, p.Acronym) {
		name = p.Acronym + " - " + name
	}
	lines := []string{l.T("certificate.project", "project", name)}
	prog := strings.TrimSpace(strings.Join(nonEmpty(p.Programme, p.Strand, p.Measure.In(lang)), ", "))
	if prog != "" {
		lines = append(lines, l.T("certificate.programme", "programme", prog))
	}
	if p.GrantRef != "" {
		lines = append(lines, l.T("certificate.grant", "ref", p.GrantRef))
	}
	return lines
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// PDFOf renders a registration's certificate in lang (the holder's own
// language when lang is empty).
func (s *Service) PDFOf(ctx context.Context, r store.Registration, c store.Certificate, lang string) ([]byte, error) {
	e, err := s.Store.Event(ctx, s.Store.DB, r.EventID)
	if err != nil {
		return nil, err
	}
	if lang == "" {
		lang = r.Language
	}
	d, err := s.document(ctx, s.Store.DB, e, r, c, s.lang(lang))
	if err != nil {
		return nil, err
	}
	return PDF(d)
}

// PDF renders a certificate on one A4 page.
func PDF(d Document) ([]byte, error) {
	size := pdfdoc.A4
	doc, err := pdfdoc.New(size)
	if err != nil {
		return nil, err
	}
	doc.SetInfo(d.Title+" - "+d.Event, "DeCoDe Attend")
	doc.SetFooter(nil)
	m := doc.Margin()
	w := doc.ContentWidth()
	doc.Box(m/2, m/2, size.W-m, size.H-m, 1.5)
	doc.Box(m/2+4, m/2+4, size.W-m-8, size.H-m-8, 0.4)
	y := m + 40
	text := func(style pdfdoc.Style, pt float64, s string, gap float64) error {
		if err := doc.SetFont(style, pt); err != nil {
			return err
		}
		h, err := doc.Text(m+10, y, w-20, s, pdfdoc.Center)
		y += h + gap
		return err
	}
	steps := []struct {
		style pdfdoc.Style
		pt    float64
		s     string
		gap   float64
	}{
		{pdfdoc.Bold, 26, d.Title, 26},
		{pdfdoc.Regular, 13, d.Certify, 10},
		{pdfdoc.Bold, 24, d.Name, 10},
		{pdfdoc.Regular, 13, d.Attended, 10},
		{pdfdoc.Bold, 17, d.Event, 8},
		{pdfdoc.Regular, 11, d.Held, 16},
		{pdfdoc.Bold, 11, d.Labels.Days, 4},
		{pdfdoc.Regular, 11, strings.Join(d.Days, "\n"), 18},
	}
	for _, st := range steps {
		if err := text(st.style, st.pt, st.s, st.gap); err != nil {
			return nil, err
		}
	}
	for _, line := range d.Project {
		if err := text(pdfdoc.Regular, 10, line, 2); err != nil {
			return nil, err
		}
	}
	// Signatory, bottom left; QR and verification link, bottom right.
	bottom := size.H - m - 150
	if y+20 > bottom {
		bottom = y + 20
	}
	half := (w - 20) / 2
	x := m + 10
	if d.Signatory != "" {
		doc.Line(x, bottom+60, x+half-20, bottom+60, 0.6)
		if err := doc.SetFont(pdfdoc.Regular, 9); err != nil {
			return nil, err
		}
		if _, err := doc.Text(x, bottom+40, half-20, d.Labels.Signed, pdfdoc.Left); err != nil {
			return nil, err
		}
		if err := doc.SetFont(pdfdoc.Bold, 11); err != nil {
			return nil, err
		}
		h, _ := doc.Text(x, bottom+66, half-20, d.Signatory, pdfdoc.Left)
		if err := doc.SetFont(pdfdoc.Regular, 10); err != nil {
			return nil, err
		}
		h2, _ := doc.Text(x, bottom+68+h, half-20, d.Position, pdfdoc.Left)
		_, _ = doc.Text(x, bottom+70+h+h2, half-20, d.Host, pdfdoc.Left)
	}
	png, err := qr.PNG(d.VerifyURL, 288) // 96 pt at 216 dpi: sharp in print, cheap to render for every attendee
	if err != nil {
		return nil, err
	}
	side := 96.0
	qx := x + w - 20 - side
	if err := doc.Image(png, qx, bottom, side, side); err != nil {
		return nil, err
	}
	if err := doc.SetFont(pdfdoc.Regular, 8); err != nil {
		return nil, err
	}
	tx := x + half
	tw := w - 20 - half
	h, _ := doc.Text(tx, bottom+side+4, tw, d.Labels.Verify, pdfdoc.Right)
	// The URL is long: break it at fixed widths rather than let the font
	// layer drop what does not fit.
	if _, err := doc.Text(tx-half/2, bottom+side+6+h, tw+half/2, breakURL(d.VerifyURL, 64), pdfdoc.Right); err != nil {
		return nil, err
	}
	out, err := doc.Bytes()
	if err != nil {
		return nil, fmt.Errorf("certificate pdf: %w", err)
	}
	return out, nil
}

// breakURL splits u into lines of at most n bytes, never after a "-" (text
// extraction would take a line-final hyphen for a hyphenation and drop it).
func breakURL(u string, n int) string {
	var b strings.Builder
	for len(u) > n {
		cut := n
		for cut > 1 && u[cut-1] == '-' {
			cut--
		}
		b.WriteString(u[:cut])
		b.WriteByte('\n')
		u = u[cut:]
	}
	b.WriteString(u)
	return b.String()
}
