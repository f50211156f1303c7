package registration

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
)

// ErrImportRejected is returned with an ImportResult whose Errors say what is
// wrong with the file; nothing was stored.
var ErrImportRejected = errors.New("import: the file has errors; nothing was stored")

// errDryRun rolls a dry run's transaction back.
var errDryRun = errors.New("import: dry run")

// Message keys of import errors (catalogue area "admin"; the row errors of
// the public form's validation keep their "reg.error" keys).
const (
	errImportColumn      = "import.error.missing_column"
	errImportNoRows      = "import.error.no_rows"
	errImportDays        = "import.error.days"
	errImportFuture      = "import.error.future_day"
	errImportNotDay      = "import.error.not_registered_day"
	errImportFull        = "import.error.full"
	errImportDuplicate   = "import.error.duplicate_row"
	errImportColumnTwice = "import.error.column_twice"
)

// ImportOptions say how to import a file.
type ImportOptions struct {
	DryRun bool // check and count, store nothing
	// SendTickets e-mails the ticket to people with an address who are newly
	// confirmed (never for an event that is over).
	SendTickets bool
	// OverCapacity raises the event's and days' capacities where the file
	// needs more places than are left, instead of refusing the file.
	OverCapacity bool
	FileName     string
	SHA256       string // hex, of the file as uploaded; the audit log names it
	// Columns is the field of each column of the sheet ("" passes it over);
	// nil: recognised from the header with Headers.
	Columns []string
	Headers *Headers
	// Lang is the language of people whose row names none.
	Lang string
	IP   string
}

// ImportColumn is one column of the file and the field it fills.
type ImportColumn struct {
	Letter string `json:"column"`
	Header string `json:"header"`
	Field  string `json:"field"` // "" : not imported
}

// ImportError is one thing wrong with the file: its row (1 is the header),
// column (letter and header, empty for the row as a whole), the field and a
// message key, localized into Message by Localize.
type ImportError struct {
	Row     int    `json:"row"`
	Column  string `json:"column,omitempty"`
	Header  string `json:"header,omitempty"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ImportResult is what an import did, or would do (dry run), or why it did
// nothing (Errors).
type ImportResult struct {
	Event       string `json:"event"`
	FileName    string `json:"file_name,omitempty"`
	SHA256      string `json:"sha256,omitempty"`
	DryRun      bool   `json:"dry_run"`
	Rows        int    `json:"rows"`
	Created     int    `json:"created"`
	Updated     int    `json:"updated"`
	Unchanged   int    `json:"unchanged"`
	Admissions  int    `json:"admissions"`
	TicketsSent int    `json:"tickets_sent"`
	// CapacityRaised is the event's capacity after an import over capacity raised it.
	CapacityRaised *int           `json:"capacity_raised,omitempty"`
	Columns        []ImportColumn `json:"columns"`
	Errors         []ImportError  `json:"errors"`
}

// Localize fills the errors' messages in l's language.
func (r *ImportResult) Localize(l *i18n.Localizer) {
	for i := range r.Errors {
		r.Errors[i].Message = l.T(r.Errors[i].Code)
	}
}

// importRow is a validated row.
type importRow struct {
	line     int
	d        details
	days     []time.Time // nil: the column is absent (a new registration gets every day)
	attended []time.Time
	email    string
}

// Import brings the people of a spreadsheet into an event as confirmed
// registrations (no opt-in e-mail), with their attendance on past days
// recorded as admissions made by the import. Every row is checked with the
// public form's validation first; the file is then applied in one
// transaction, all or nothing (a dry run rolls the same transaction back, so
// its counts are exact). A row matches an existing registration of the event
// by e-mail, or, without one, by name and organisation, so importing a file
// twice changes nothing. actor nil is the command line (audited as "cli").
func (s *Service) Import(ctx context.Context, actor *auth.Principal, eventSlug string, sh *sheetin.Sheet, o ImportOptions) (ImportResult, error) {
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, eventSlug)
	if err != nil {
		return ImportResult{}, err
	}
	if actor != nil {
		if err := actor.Check(auth.Manage, auth.EventObject(e), s.Now()); err != nil {
			return ImportResult{}, err
		}
	}
	res := ImportResult{Event: e.Slug, FileName: o.FileName, SHA256: o.SHA256, DryRun: o.DryRun, Rows: len(sh.Rows), Errors: []ImportError{}}
	cols := o.Columns
	if cols == nil && o.Headers != nil {
		cols, _ = o.Headers.Columns(sh.Header)
	}
	if len(cols) != len(sh.Header) {
		return res, &apperr.Invalid{Fields: map[string]string{"columns": errImportColumn}}
	}
	qs, err := s.Store.Questions(ctx, s.Store.DB, e.ID)
	if err != nil {
		return res, err
	}
	cols = questionColumns(qs, sh.Header, cols, o.Columns != nil)
	col := map[string]int{} // field -> first column
	for i, f := range cols {
		if f != "" && !slices.Contains(ImportFields, f) && !isQuestionField(qs, f) {
			return res, &apperr.Invalid{Fields: map[string]string{"columns": errImportColumn}}
		}
		res.Columns = append(res.Columns, ImportColumn{Letter: sheetin.ColumnName(i), Header: sh.Header[i], Field: f})
		if f == "" {
			continue
		}
		if _, dup := col[f]; dup && f != "country" && f != "participation" {
			res.Errors = append(res.Errors, ImportError{Row: 1, Column: sheetin.ColumnName(i), Header: sh.Header[i], Field: f, Code: errImportColumnTwice})
			continue
		}
		if _, dup := col[f]; !dup {
			col[f] = i
		}
	}
	for _, f := range []string{"first_name", "last_name", "country", "city", "participation"} {
		if _, ok := col[f]; !ok {
			res.Errors = append(res.Errors, ImportError{Row: 1, Field: f, Code: errImportColumn})
		}
	}
	if len(sh.Rows) == 0 {
		res.Errors = append(res.Errors, ImportError{Row: 2, Code: errImportNoRows})
	}
	if len(res.Errors) > 0 {
		return res, ErrImportRejected
	}
	partners, err := s.Store.Partners(ctx, s.Store.DB, e.ProjectID)
	if err != nil {
		return res, err
	}
	rows := s.checkRows(&res, e, partners, qs, sh, cols, col, o)
	if len(res.Errors) > 0 {
		return res, ErrImportRejected
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.applyImport(ctx, tx, &res, actor, e, rows, o); err != nil {
			return err
		}
		if len(res.Errors) > 0 {
			return ErrImportRejected
		}
		if o.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		err = nil
	}
	return res, err
}

// checkRows validates every row, collecting every error.
func (s *Service) checkRows(res *ImportResult, e store.Event, partners []store.Partner, qs []store.Question, sh *sheetin.Sheet, cols []string, col map[string]int, o ImportOptions) []importRow {
	lang := o.Lang
	if lang == "" {
		lang = i18n.Fallback
	}
	today := dayIn(e, s.Now())
	seen := map[string]int{}
	var out []importRow
	for _, row := range sh.Rows {
		get := func(f string) string { // the first non-empty cell of the field's columns
			for i, c := range cols {
				if c == f && row.Cells[i] != "" {
					return row.Cells[i]
				}
			}
			return ""
		}
		fail := func(field, key string) {
			ie := ImportError{Row: row.Line, Field: field, Code: key}
			if i, ok := col[field]; ok {
				ie.Column, ie.Header = sheetin.ColumnName(i), sh.Header[i]
			}
			res.Errors = append(res.Errors, ie)
		}
		part := get("participation")
		if o.Headers != nil {
			part = o.Headers.participation(part)
		}
		in := Input{
			FirstName: get("first_name"), LastName: get("last_name"), Phone: get("phone"),
			Organisation: get("organisation"), City: get("city"), Country: CountryCode(get("country")),
			Participation: strings.ToLower(strings.TrimSpace(part)), Partner: partnerSlug(partners, get("partner")),
			Language: get("language"), Answers: importAnswers(qs, col, get), PartialAnswers: true,
		}
		inv := &apperr.Invalid{}
		d := s.validate(inv, e, partners, qs, in, lang, false)
		r := importRow{line: row.Line, d: d}
		if em := cleanEmail(inv, "email", get("email"), false); em != "" {
			r.email = em
			r.d.reg.Email = &em
		}
		if _, ok := col["days"]; ok {
			if r.days = importDays(inv, "days", e, get("days")); r.days == nil && len(inv.Fields) == 0 {
				r.days = e.Days()
			}
		}
		if v := get("attended"); v != "" {
			r.attended = importDays(inv, "attended", e, v)
			for _, day := range r.attended {
				if day.After(today) {
					inv.Add("attended", errImportFuture)
					break
				}
				if r.days != nil && !slices.ContainsFunc(r.days, day.Equal) {
					inv.Add("attended", errImportNotDay)
					break
				}
			}
		}
		fields := make([]string, 0, len(inv.Fields))
		for f := range inv.Fields {
			fields = append(fields, f)
		}
		sort.Slice(fields, func(i, j int) bool { return fieldOrder(col, fields[i]) < fieldOrder(col, fields[j]) })
		for _, f := range fields {
			fail(f, inv.Fields[f])
		}
		if len(inv.Fields) > 0 {
			continue
		}
		key, field := matchKey(r)
		if _, dup := seen[key]; dup {
			fail(field, errImportDuplicate)
			continue
		}
		seen[key] = row.Line
		out = append(out, r)
	}
	return out
}

func fieldOrder(col map[string]int, f string) int {
	if i, ok := col[f]; ok {
		return i
	}
	return 1 << 20
}

// matchKey is how a row finds its registration: the address, or without one
// the name and organisation.
func matchKey(r importRow) (key, field string) {
	if r.email != "" {
		return "e:" + strings.ToLower(r.email), "email"
	}
	return nameKey(r.d.reg.FirstName, r.d.reg.LastName, r.d.reg.Organisation), "first_name"
}

func nameKey(first, last, org string) string {
	return "n:" + sheetin.Normalize(first) + "\x00" + sheetin.Normalize(last) + "\x00" + sheetin.Normalize(org)
}

// importDays reads event days written as ISO dates (or DD.MM.YYYY), separated
// by semicolons, commas or spaces. Empty gives nil.
func importDays(inv *apperr.Invalid, field string, e store.Event, s string) []time.Time {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == ',' || r == ' ' || r == '\n' })
	var out []time.Time
	for _, p := range parts {
		d, err := time.Parse("2006-01-02", p)
		if err != nil {
			d, err = time.Parse("02.01.2006", p)
		}
		if err != nil || d.Before(e.FirstDay) || d.After(e.LastDay) {
			inv.Add(field, errImportDays)
			return nil
		}
		if !slices.ContainsFunc(out, d.Equal) {
			out = append(out, d)
		}
	}
	slices.SortFunc(out, func(a, b time.Time) int { return a.Compare(b) })
	return out
}

// dayIn is the date of t in the event's time zone, as a UTC midnight like the event's days.
func dayIn(e store.Event, t time.Time) time.Time {
	l := t.In(e.Location())
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

func sameDays(a []time.Time, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Format(time.DateOnly) != b[i] {
			return false
		}
	}
	return true
}

// applyImport writes the checked rows in tx.
func (s *Service) applyImport(ctx context.Context, tx *sqlx.Tx, res *ImportResult, actor *auth.Principal, e store.Event, rows []importRow, o ImportOptions) error {
	if err := s.Store.LockEventSeats(ctx, tx, e.ID); err != nil {
		return err
	}
	existing, err := s.Store.EventRegistrations(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	regDays, err := s.Store.EventRegistrationDays(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	admitted, err := s.Store.EventAdmittedDays(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	answers, err := s.Store.EventAnswers(ctx, tx, e.ID)
	if err != nil {
		return err
	}
	given := map[int64]map[int64][]string{} // registration -> question -> values
	for _, a := range answers {
		if given[a.RegistrationID] == nil {
			given[a.RegistrationID] = map[int64][]string{}
		}
		given[a.RegistrationID][a.QuestionID] = a.Value
	}
	byEmail, byName := map[string]int{}, map[string]int{}
	for i, r := range existing {
		if r.Email != nil {
			if _, ok := byEmail[strings.ToLower(*r.Email)]; !ok {
				byEmail[strings.ToLower(*r.Email)] = i
			}
		} else {
			k := nameKey(r.FirstName, r.LastName, r.Organisation)
			if _, ok := byName[k]; !ok {
				byName[k] = i
			}
		}
	}
	now := s.Now()
	over := eventOver(e, now)
	var userID *int64
	if actor != nil && actor.UserID != 0 {
		id := actor.UserID
		userID = &id
	}
	seat := func(days []time.Time, line int, whole bool) (bool, error) {
		take := func() (bool, error) {
			if whole {
				return s.takeSeat(ctx, tx, e.ID, days)
			}
			return s.Store.TakeDaySeats(ctx, tx, e.ID, days)
		}
		ok, err := take()
		if err != nil || ok {
			return ok, err
		}
		if !o.OverCapacity {
			res.Errors = append(res.Errors, ImportError{Row: line, Code: errImportFull})
			return false, nil
		}
		raised, err := s.Store.RaiseSeatCapacity(ctx, tx, e.ID, days)
		if err != nil {
			return false, err
		}
		if raised != nil {
			res.CapacityRaised = raised
		}
		return take()
	}
	for _, row := range rows {
		var idx int
		var found bool
		if row.email != "" {
			idx, found = byEmail[strings.ToLower(row.email)]
		} else {
			idx, found = byName[nameKey(row.d.reg.FirstName, row.d.reg.LastName, row.d.reg.Organisation)]
		}
		var r store.Registration
		newlyConfirmed, changed, daysChanged := false, false, false
		if !found {
			days := row.days
			if days == nil {
				days = e.Days()
			}
			ok, err := seat(days, row.line, true)
			if err != nil {
				return err
			}
			if !ok {
				continue
			}
			r = row.d.reg
			r.Status, r.Source, r.ConfirmedAt, r.CreatedAt = store.StatusConfirmed, "import", &now, now
			r.ManageNonce = newNonce()
			if err := s.Store.InsertRegistration(ctx, tx, &r, days); err != nil {
				return err
			}
			if err := s.Store.SetAnswers(ctx, tx, r.ID, e.ID, row.d.asked, row.d.answers); err != nil {
				return err
			}
			res.Created++
			newlyConfirmed, changed = true, true
		} else {
			old := existing[idx]
			r = old
			nr := old
			v := row.d.reg
			nr.FirstName, nr.LastName, nr.Phone, nr.Country, nr.City = v.FirstName, v.LastName, v.Phone, v.Country, v.City
			nr.Organisation, nr.Participation, nr.PartnerID, nr.Language = v.Organisation, v.Participation, v.PartnerID, v.Language
			if detailsDiffer(old, nr) {
				if err := s.Store.UpdateRegistrationDetails(ctx, tx, &nr); err != nil {
					return err
				}
				r, changed = nr, true
			}
			if answersDiffer(given[old.ID], row.d.asked, row.d.answers) {
				if err := s.Store.SetAnswers(ctx, tx, old.ID, e.ID, row.d.asked, row.d.answers); err != nil {
					return err
				}
				changed = true
			}
			cur := regDays[old.ID]
			days := parseISO(cur)
			if row.days != nil && !sameDays(row.days, cur) {
				if old.Status == store.StatusConfirmed {
					if err := s.Store.ReleaseDaySeats(ctx, tx, e.ID, days); err != nil {
						return err
					}
					ok, err := seat(row.days, row.line, false)
					if err != nil {
						return err
					}
					if !ok {
						continue
					}
				}
				if err := s.Store.SetRegistrationDays(ctx, tx, old.ID, e.ID, row.days); err != nil {
					return err
				}
				days, changed, daysChanged = row.days, true, true
			}
			if old.Status != store.StatusConfirmed {
				ok, err := seat(days, row.line, true)
				if err != nil {
					return err
				}
				if !ok {
					continue
				}
				if r, err = s.Store.SetRegistrationStatus(ctx, tx, old.ID, store.StatusConfirmed); err != nil {
					return err
				}
				newlyConfirmed, changed = true, true
			}
			if changed {
				res.Updated++
			} else {
				res.Unchanged++
			}
		}
		if (newlyConfirmed || daysChanged && r.Status == store.StatusConfirmed) && !over {
			if newlyConfirmed && o.SendTickets && r.Email != nil {
				n, err := s.notice(ctx, tx, r, e)
				if err != nil {
					return err
				}
				if err := s.Notify.Confirmed(ctx, tx, n); err != nil {
					return err
				}
				res.TicketsSent++
			} else if s.Tickets != nil {
				if _, err := s.Tickets.Issue(ctx, tx, r.ID, "issued"); err != nil {
					return err
				}
			}
		}
		for _, day := range row.attended {
			if slices.Contains(admitted[r.ID], day.Format(time.DateOnly)) {
				continue
			}
			a := store.Admission{EventID: e.ID, RegistrationID: r.ID, Day: day, AdmittedAt: now, UserID: userID,
				Method: "import", Reason: "import " + o.SHA256}
			ok, err := s.Store.AdmitOnce(ctx, tx, &a)
			if err != nil {
				return err
			}
			if ok {
				res.Admissions++
			}
		}
	}
	entry := audit.Entry{Actor: actor, Action: "registrations.import", ObjectType: "event", ObjectID: e.ID, IP: o.IP,
		Details: map[string]any{
			"file_name": o.FileName, "sha256": o.SHA256, "rows": res.Rows, "created": res.Created, "updated": res.Updated,
			"admissions": res.Admissions, "tickets_sent": res.TicketsSent, "over_capacity": o.OverCapacity,
		}}
	if res.CapacityRaised != nil {
		entry.Details["capacity_raised"] = *res.CapacityRaised
	}
	if actor == nil {
		entry.ActorLabel = "cli"
	}
	return audit.Log(ctx, s.Store, tx, entry)
}

func detailsDiffer(a, b store.Registration) bool {
	pid := func(p *int64) int64 {
		if p == nil {
			return 0
		}
		return *p
	}
	return a.FirstName != b.FirstName || a.LastName != b.LastName || a.Phone != b.Phone || a.Country != b.Country ||
		a.City != b.City || a.Organisation != b.Organisation || a.Participation != b.Participation ||
		pid(a.PartnerID) != pid(b.PartnerID) || a.Language != b.Language
}

func parseISO(ds []string) []time.Time {
	out := make([]time.Time, 0, len(ds))
	for _, d := range ds {
		if t, err := time.Parse(time.DateOnly, d); err == nil {
			out = append(out, t)
		}
	}
	return out
}

// String describes an import error for a log or a terminal.
func (ie ImportError) String() string {
	where := fmt.Sprintf("row %d", ie.Row)
	if ie.Column != "" {
		where += fmt.Sprintf(", column %s (%s)", ie.Column, ie.Header)
	} else if ie.Field != "" {
		where += ", " + ie.Field
	}
	msg := ie.Message
	if msg == "" {
		msg = ie.Code
	}
	return where + ": " + msg
}
