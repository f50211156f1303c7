package report

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/pdfdoc"
	"github.com/decode-attend/attend/internal/store"
)

// List kinds. Local, invited and other lists hold exactly the eligible direct
// participants (the report's attended total); the non-eligible list names
// those mentioned outside the totals.
const (
	ListLocal       = "local"
	ListInvited     = "invited"
	ListOther       = "other"
	ListNonEligible = "non-eligible"
)

// List is one signed participant list.
type List struct {
	Key     string // "local", "invited-kaunas", "other", "non-eligible"
	Kind    string
	Partner *store.Partner // the sending partner of an invited town's list
	Rows    []ListRow
	// SHA256 fingerprints the list's data (event, list, every row and
	// signature digest), so a later copy can be checked against the system.
	SHA256 string
}

// ListRow is one participant on a list.
type ListRow struct {
	No             int
	RegistrationID int64
	Name           string
	Organisation   string
	Town           string
	Country        string // code
	Contact        string // e-mail, else phone
	Signatures     []store.Signature
	// Erased: the person asked to be erased while the programme still needs
	// the attendance; the row is kept without identity and says so.
	Erased bool
	// Anonymised: the identity is gone (erasure or the end of retention).
	Anonymised bool
}

// Lists is an event's signed lists with what their header shows.
type Lists struct {
	Report EventReport
	Lists  []List
	Host   store.Partner
}

// Counted is the number of participants on the counted lists (local,
// invited, other): always the report's attended total.
func (ls Lists) Counted() int {
	n := 0
	for _, l := range ls.Lists {
		if l.Kind != ListNonEligible {
			n += len(l.Rows)
		}
	}
	return n
}

// EventLists builds the lists of an event from the same rows and rule set
// as its report, with the signature images, for printing.
func (s *Service) EventLists(ctx context.Context, slug string, o Options) (Lists, error) {
	return s.eventLists(ctx, slug, o, true)
}

// EventListsSummary is EventLists without the signature images: the rows,
// counts and fingerprints are the same.
func (s *Service) EventListsSummary(ctx context.Context, slug string, o Options) (Lists, error) {
	return s.eventLists(ctx, slug, o, false)
}

func (s *Service) eventLists(ctx context.Context, slug string, o Options, images bool) (Lists, error) {
	rep, err := s.Event(ctx, slug, o)
	if err != nil {
		return Lists{}, err
	}
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, slug)
	if err != nil {
		return Lists{}, err
	}
	var out Lists
	out.Report = rep
	if e.HostPartnerID != nil {
		if out.Host, err = s.Store.Partner(ctx, s.Store.DB, *e.HostPartnerID); err != nil {
			return Lists{}, err
		}
	}
	sigs, err := s.Store.Signatures(ctx, s.Store.DB, e.ID, images)
	if err != nil {
		return Lists{}, err
	}
	byReg := map[int64][]store.Signature{}
	for _, sg := range sigs {
		byReg[sg.RegistrationID] = append(byReg[sg.RegistrationID], sg)
	}
	eligible := map[string]bool{}
	for _, c := range rep.RuleSet.EligibleCountries {
		eligible[c] = true
	}
	everyone := len(eligible) == 0
	rows, err := s.Store.Participants(ctx, s.Store.DB, e.ID, store.WhoAttended)
	if err != nil {
		return Lists{}, err
	}
	index := map[string]int{}
	partners := map[int64]store.Partner{}
	for _, r := range rows {
		key, kind := r.Kind, r.Kind
		if !everyone && !eligible[r.Country] {
			key, kind = ListNonEligible, ListNonEligible
		} else if r.Kind == ListInvited {
			key = "invited-" + r.PartnerSlug
		}
		i, ok := index[key]
		if !ok {
			l := List{Key: key, Kind: kind}
			if kind == ListInvited && r.PartnerID != nil {
				p, ok := partners[*r.PartnerID]
				if !ok {
					if p, err = s.Store.Partner(ctx, s.Store.DB, *r.PartnerID); err != nil {
						return Lists{}, err
					}
					partners[p.ID] = p
				}
				l.Partner = &p
			}
			out.Lists = append(out.Lists, l)
			i = len(out.Lists) - 1
			index[key] = i
		}
		contact := r.Phone
		if r.Email != nil && *r.Email != "" {
			contact = *r.Email
		}
		l := &out.Lists[i]
		l.Rows = append(l.Rows, ListRow{No: len(l.Rows) + 1, RegistrationID: r.ID, Name: r.FirstName + " " + r.LastName,
			Organisation: r.Organisation, Town: r.City, Country: r.Country, Contact: contact, Signatures: byReg[r.ID],
			Erased: r.Erased, Anonymised: r.Anonymised})
	}
	// The local list always exists: the host signs it even when empty.
	if _, ok := index[ListLocal]; !ok {
		out.Lists = append([]List{{Key: ListLocal, Kind: ListLocal}}, out.Lists...)
	}
	// Non-eligible last.
	for i := range out.Lists {
		if out.Lists[i].Kind == ListNonEligible && i != len(out.Lists)-1 {
			l := out.Lists[i]
			out.Lists = append(append(out.Lists[:i:i], out.Lists[i+1:]...), l)
			break
		}
	}
	for i := range out.Lists {
		out.Lists[i].SHA256 = fingerprint(rep.Event.Slug, out.Lists[i])
	}
	return out, nil
}

// fingerprint is the SHA-256 of a list's data in a fixed text form.
func fingerprint(slug string, l List) string {
	h := sha256.New()
	fmt.Fprintf(h, "attend-list-v1\x00%s\x00%s\n", slug, l.Key)
	for _, r := range l.Rows {
		fmt.Fprintf(h, "%d\x00%s\x00%s\x00%s\x00%s\x00%s", r.No, r.Name, r.Organisation, r.Town, r.Country, r.Contact)
		for _, sg := range r.Signatures {
			fmt.Fprintf(h, "\x00%s:%x", sg.Day.Format("2006-01-02"), sg.SHA256)
		}
		h.Write([]byte{'\n'})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Find returns the list with key, if any.
func (ls Lists) Find(key string) (List, bool) {
	for _, l := range ls.Lists {
		if l.Key == key {
			return l, true
		}
	}
	return List{}, false
}

// ListTitle is a list's title in l's language.
func ListTitle(l *i18n.Localizer, list List) string {
	switch list.Kind {
	case ListInvited:
		if list.Partner != nil {
			return l.T("report.list.title_invited", "town", list.Partner.City, "country", l.Country(list.Partner.Country))
		}
	case ListOther:
		return l.T("report.list.title_other")
	case ListNonEligible:
		return l.T("report.list.title_non_eligible")
	}
	return l.T("report.list.title_local")
}

// landscape A4: seven columns and a signature need the width.
var landscape = pdfdoc.Size{W: pdfdoc.A4.H, H: pdfdoc.A4.W}

const (
	listFont   = 8.5
	listRowMin = 36.0
	sigW, sigH = 60.0, 20.0
)

// WriteListsPDF writes the given lists of one event into one PDF, each
// starting on a new page, with the header on every page, numbered rows with
// room to sign, any captured signature in its cell, and the certification
// block. It returns the content digest printed in the footer.
func WriteListsPDF(w io.Writer, l *i18n.Localizer, ls Lists, lists []List) (string, error) {
	ls.Lists = lists
	return WriteManyListsPDF(w, l, []Lists{ls})
}

// WriteManyListsPDF writes every list of several events (a project) into one PDF.
func WriteManyListsPDF(w io.Writer, l *i18n.Localizer, sets []Lists) (string, error) {
	d, err := pdfdoc.New(landscape)
	if err != nil {
		return "", err
	}
	if len(sets) > 0 {
		d.SetInfo(l.T("report.list.doc_title", "event", titleIn(sets[0].Report.Event.Title, l.Lang)), l.PickOr(sets[0].Host.OrganisationTexts, sets[0].Host.Organisation).Marked())
	}
	d.SetFooter(func(f pdfdoc.FooterInfo) (string, string) {
		return l.T("report.list.footer_sha", "sha", f.SHA256), l.T("report.list.footer_page", "page", f.Page, "pages", f.Pages)
	})
	first := true
	for _, ls := range sets {
		loc, err := time.LoadLocation(ls.Report.Event.TimeZone)
		if err != nil {
			loc = time.UTC
		}
		for _, list := range ls.Lists {
			if !first {
				d.AddPage()
			}
			first = false
			if err := writeList(d, l, ls, list, loc); err != nil {
				return "", err
			}
		}
	}
	b, err := d.Bytes()
	if err != nil {
		return "", err
	}
	if _, err := w.Write(b); err != nil {
		return "", err
	}
	return d.SHA256(), nil
}

func listHeader(d *pdfdoc.Doc, l *i18n.Localizer, ls Lists, list List) error {
	rep := ls.Report
	first, _ := time.Parse("2006-01-02", rep.Event.FirstDay)
	last, _ := time.Parse("2006-01-02", rep.Event.LastDay)
	lines := []struct {
		style pdfdoc.Style
		size  float64
		text  string
	}{
		{pdfdoc.Bold, 10, l.T("report.list.project", "title", titleIn(rep.Project.Title, l.Lang), "ref", rep.Project.GrantRef)},
		{pdfdoc.Regular, 9, l.T("report.list.programme", "programme", rep.Project.Programme,
			"measure", titleIn(rep.Project.Measure, l.Lang))},
		{pdfdoc.Bold, 13, ListTitle(l, list)},
		{pdfdoc.Regular, 9, l.T("report.list.event", "number", rep.Event.Number, "title", titleIn(rep.Event.Title, l.Lang),
			"place", rep.Event.City+", "+l.Country(rep.Event.Country), "dates", l.DateRange(first, last))},
		{pdfdoc.Regular, 7, l.T("report.list.fingerprint", "sha", list.SHA256)},
	}
	for _, ln := range lines {
		if err := d.SetFont(ln.style, ln.size); err != nil {
			return err
		}
		if err := d.Paragraph(ln.text, pdfdoc.Left); err != nil {
			return err
		}
	}
	d.SetY(d.Y() + 6)
	return d.SetFont(pdfdoc.Regular, listFont)
}

func listColumns(d *pdfdoc.Doc, l *i18n.Localizer) []pdfdoc.Column {
	cols := []pdfdoc.Column{
		{Title: l.T("report.list.col_no"), Width: 26, Align: pdfdoc.Right},
		{Title: l.T("report.list.col_name"), Width: 125},
		{Title: l.T("report.list.col_organisation"), Width: 115},
		{Title: l.T("report.list.col_town"), Width: 90},
		{Title: l.T("report.list.col_country"), Width: 75},
		{Title: l.T("report.list.col_contact"), Width: 175},
		{Title: l.T("report.list.col_signature")},
	}
	rest := d.ContentWidth()
	for _, c := range cols {
		rest -= c.Width
	}
	cols[len(cols)-1].Width = rest
	return cols
}

// rowHeight mirrors pdfdoc's row sizing so pages can be planned before
// drawing: the document header must repeat on every page, which the table
// alone cannot do.
func rowHeight(d *pdfdoc.Doc, cells []string, cols []pdfdoc.Column, minH float64) float64 {
	n := 1
	for i, c := range cols {
		if i < len(cells) {
			n = max(n, len(d.Wrap(cells[i], c.Width-6)))
		}
	}
	return max(float64(n)*d.LineH()+6, minH)
}

func writeList(d *pdfdoc.Doc, l *i18n.Localizer, ls Lists, list List, loc *time.Location) error {
	if err := listHeader(d, l, ls, list); err != nil {
		return err
	}
	cols := listColumns(d, l)
	cells := make([][]string, len(list.Rows))
	notes := make([]string, len(list.Rows))
	for i, r := range list.Rows {
		var ns []string
		for _, sg := range r.Signatures {
			// The funder's list template writes dates as dd.mm.yyyy in every language.
			note := l.T("report.list.esigned", "time", sg.CapturedAt.In(loc).Format("02.01.2006 15:04"))
			if sg.DeviceName != "" {
				note += " · " + sg.DeviceName
			} else if sg.UserName != "" {
				note += " · " + sg.UserName
			}
			ns = append(ns, note)
		}
		notes[i] = strings.Join(ns, "\n")
		name := r.Name
		switch {
		case r.Erased:
			name = l.T("report.list.erased")
		case r.Anonymised:
			name = l.T("report.list.anonymised")
		}
		// The signature cell stays empty text: the hook draws the image and its note.
		cells[i] = []string{fmt.Sprint(r.No), name, r.Organisation, r.Town, l.Country(r.Country), r.Contact, ""}
	}
	header := make([]string, len(cols))
	for i, c := range cols {
		header[i] = c.Title
	}
	if err := d.SetFont(pdfdoc.Bold, listFont); err != nil {
		return err
	}
	headH := rowHeight(d, header, cols, 0)
	if err := d.SetFont(pdfdoc.Regular, listFont); err != nil {
		return err
	}
	if len(cells) == 0 {
		if err := d.Table(pdfdoc.Table{Columns: cols, FontSize: listFont}); err != nil {
			return err
		}
		d.SetY(d.Y() + 6)
		if err := d.Paragraph(l.T("report.list.empty"), pdfdoc.Left); err != nil {
			return err
		}
	}
	for start := 0; start < len(cells); {
		avail := d.Bottom() - d.Y() - headH
		end, used := start, 0.0
		for end < len(cells) {
			h := rowHeight(d, cells[end], cols, listRowMin)
			if used+h > avail && end > start {
				break
			}
			used += h
			end++
		}
		offset := start
		err := d.Table(pdfdoc.Table{Columns: cols, Rows: cells[start:end], FontSize: listFont, MinRowHeight: listRowMin,
			Cell: func(d *pdfdoc.Doc, row, col int, box pdfdoc.Rect) error {
				r := list.Rows[offset+row]
				if col != len(cols)-1 || len(r.Signatures) == 0 {
					return nil
				}
				// The first captured signature, with when and where it was captured below it.
				if err := d.SetFont(pdfdoc.Regular, 5.5); err != nil {
					return err
				}
				if err := signatureCell(d, r.Signatures[0], box); err != nil {
					return err
				}
				if _, err := d.Text(box.X+3, box.Y+sigH+3, box.W-6, notes[offset+row], pdfdoc.Left); err != nil {
					return err
				}
				return d.SetFont(pdfdoc.Regular, listFont)
			}})
		if err != nil {
			return err
		}
		start = end
		if start < len(cells) {
			d.AddPage()
			if err := listHeader(d, l, ls, list); err != nil {
				return err
			}
		}
	}
	return certification(d, l, ls, list)
}

// signatureCell draws the signature image, or, once the image has been
// erased, the SHA-256 fingerprint recorded when it was captured: the list
// still proves a signature was given and a kept copy can be checked against it.
func signatureCell(d *pdfdoc.Doc, sg store.Signature, box pdfdoc.Rect) error {
	if len(sg.ImagePNG) > 0 {
		return d.Image(sg.ImagePNG, box.X+3, box.Y+2, sigW, sigH)
	}
	h := hex.EncodeToString(sg.SHA256)
	var groups []string
	for len(h) > 16 {
		groups, h = append(groups, h[:16]), h[16:]
	}
	_, err := d.Text(box.X+3, box.Y+2, box.W-6, "SHA-256 "+strings.Join(append(groups, h), " "), pdfdoc.Left)
	return err
}

// certification draws the block the host's legal representative (and, on an
// invited town's list, that town's) signs.
func certification(d *pdfdoc.Doc, l *i18n.Localizer, ls Lists, list List) error {
	blocks := []string{l.T("report.list.certify_host", "organisation", l.PickOr(ls.Host.OrganisationTexts, ls.Host.Organisation).Marked())}
	if list.Kind == ListInvited && list.Partner != nil {
		blocks = append(blocks, l.T("report.list.certify_town", "organisation", l.PickOr(list.Partner.OrganisationTexts, list.Partner.Organisation).Marked(), "town", list.Partner.City))
	}
	const blockH = 62.0
	need := 20 + blockH*float64(len(blocks))
	if d.Y()+need > d.Bottom() {
		d.AddPage()
		if err := listHeader(d, l, ls, list); err != nil {
			return err
		}
	}
	d.SetY(d.Y() + 14)
	if err := d.SetFont(pdfdoc.Regular, 7.5); err != nil {
		return err
	}
	if err := d.Paragraph(l.T("report.list.statement"), pdfdoc.Left); err != nil {
		return err
	}
	fields := []string{l.T("report.list.cert_name"), l.T("report.list.cert_position"), l.T("report.list.cert_date"),
		l.T("report.list.cert_signature")}
	w := d.ContentWidth() / float64(len(fields))
	for _, b := range blocks {
		d.SetY(d.Y() + 6)
		if err := d.SetFont(pdfdoc.Bold, 9); err != nil {
			return err
		}
		if err := d.Paragraph(b, pdfdoc.Left); err != nil {
			return err
		}
		if err := d.SetFont(pdfdoc.Regular, 8); err != nil {
			return err
		}
		y := d.Y() + 26
		for i, f := range fields {
			x := d.Margin() + float64(i)*w
			d.Line(x, y, x+w-14, y, 0.5)
			if _, err := d.Text(x, y+2, w-14, f, pdfdoc.Left); err != nil {
				return err
			}
		}
		d.SetY(y + 16)
	}
	return nil
}
