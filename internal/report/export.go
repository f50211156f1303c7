package report

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
)

// ParticipantColumns are the columns a participant export may choose, in
// their order in the file. Age band and gender need the raw file.
var ParticipantColumns = []string{
	"no", "id", "first_name", "last_name", "organisation", "city", "country", "country_name", "email", "phone",
	"participation", "kind", "partner", "status", "eligible", "days_admitted", "first_admitted", "signed",
	"language", "registered_at", "age_band", "gender",
}

// DefaultParticipantColumns are exported when none are chosen.
var DefaultParticipantColumns = []string{
	"no", "first_name", "last_name", "organisation", "city", "country_name", "email", "phone",
	"kind", "partner", "status", "days_admitted", "signed",
}

// sensitiveColumns are only exported in the raw file.
var sensitiveColumns = []string{"age_band", "gender"}

// ParticipantExport says what to export.
type ParticipantExport struct {
	Slug    string
	Who     store.Who
	Columns []string // subset of ParticipantColumns; empty means the default
	Raw     bool
	Format  Format
	RuleSet string
}

// Validate checks the choice of columns and listing.
func (pe *ParticipantExport) Validate() error {
	inv := &apperr.Invalid{}
	switch pe.Who {
	case "":
		pe.Who = store.WhoAttended
	case store.WhoAttended, store.WhoRegistered, store.WhoAll:
	default:
		inv.Add("who", "report.error.who")
	}
	if len(pe.Columns) == 0 {
		pe.Columns = DefaultParticipantColumns
	}
	var cols []string
	for _, c := range ParticipantColumns { // file order, each at most once
		if slices.Contains(pe.Columns, c) {
			cols = append(cols, c)
		}
	}
	for _, c := range pe.Columns {
		if !slices.Contains(ParticipantColumns, c) {
			inv.Add("columns", "report.error.columns")
		}
		if slices.Contains(sensitiveColumns, c) && !pe.Raw {
			inv.Add("columns", "report.error.sensitive")
		}
	}
	pe.Columns = cols
	return inv.Err()
}

// Participants writes an event's participants to w and returns the number of
// rows. Rows are read and written one at a time.
func (s *Service) Participants(ctx context.Context, w io.Writer, l *i18n.Localizer, pe ParticipantExport) (int, error) {
	if err := pe.Validate(); err != nil {
		return 0, err
	}
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, pe.Slug)
	if err != nil {
		return 0, err
	}
	p, err := s.Store.Project(ctx, s.Store.DB, e.ProjectID)
	if err != nil {
		return 0, err
	}
	pc, err := s.projectContext(ctx, p, pe.RuleSet)
	if err != nil {
		return 0, err
	}
	eligible := eligibleSet(pc.ruleSet, raw{})
	everyone := pc.ruleSet.Code == "" && len(pc.ruleSet.EligibleCountries) == 0
	loc := e.Location()
	sh, err := NewSheets(w, pe.Format)
	if err != nil {
		return 0, err
	}
	if err := sh.Sheet(l.T("report.sheet.participants")); err != nil {
		return 0, err
	}
	// The event's own questions follow, one column each, headed by the
	// question's key: the import reads the column back by it.
	qs, err := s.Store.Questions(ctx, s.Store.DB, e.ID)
	if err != nil {
		return 0, err
	}
	answers := map[int64]map[int64][]string{}
	if len(qs) > 0 {
		as, err := s.Store.EventAnswers(ctx, s.Store.DB, e.ID)
		if err != nil {
			return 0, err
		}
		for _, a := range as {
			if answers[a.RegistrationID] == nil {
				answers[a.RegistrationID] = map[int64][]string{}
			}
			answers[a.RegistrationID][a.QuestionID] = a.Value
		}
	}
	head := make([]any, len(pe.Columns), len(pe.Columns)+len(qs))
	for i, c := range pe.Columns {
		head[i] = l.T("report.col." + c)
	}
	for _, q := range qs {
		head = append(head, q.Key)
	}
	if err := sh.Row(head...); err != nil {
		return 0, err
	}
	n := 0
	err = s.Store.EachParticipant(ctx, s.Store.DB, e.ID, pe.Who, func(r store.ParticipantRow) error {
		n++
		cells := make([]any, len(pe.Columns), len(pe.Columns)+len(qs))
		for i, c := range pe.Columns {
			cells[i] = participantCell(l, c, n, r, everyone || eligible[r.Country], loc)
		}
		for _, q := range qs {
			cells = append(cells, AnswerCell(l.Lang, q, answers[r.ID][q.ID]))
		}
		return sh.Row(cells...)
	})
	if err != nil {
		return n, err
	}
	return n, sh.Close()
}

// AnswerCell is an answer as the participants export writes it: the chosen
// options' labels in lang separated by "; " (the import reads labels or
// values), a number as a number, other answers as given.
func AnswerCell(lang string, q store.Question, vs []string) any {
	if len(vs) == 0 {
		return ""
	}
	switch q.Kind {
	case store.QuestionSingleChoice, store.QuestionMultipleChoice:
		labels := make([]string, len(vs))
		for i, v := range vs {
			labels[i] = q.Options.Label(v, lang)
		}
		return strings.Join(labels, "; ")
	case store.QuestionNumber:
		if f, err := strconv.ParseFloat(vs[0], 64); err == nil {
			return f
		}
	}
	return vs[0]
}

func participantCell(l *i18n.Localizer, col string, no int, r store.ParticipantRow, eligible bool, loc *time.Location) any {
	switch col {
	case "no":
		return no
	case "id":
		return r.ID
	case "first_name":
		return r.FirstName
	case "last_name":
		// As on the signed lists: a row without a name says why.
		switch {
		case r.Erased:
			return l.T("report.list.erased")
		case r.Anonymised:
			return l.T("report.list.anonymised")
		}
		return r.LastName
	case "organisation":
		return r.Organisation
	case "city":
		return r.City
	case "country":
		return r.Country
	case "country_name":
		return l.Country(r.Country)
	case "email":
		if r.Email != nil {
			return *r.Email
		}
		return ""
	case "phone":
		return r.Phone
	case "participation":
		return r.Participation
	case "kind":
		return l.T("report.kind." + r.Kind)
	case "partner":
		if r.PartnerOrg != "" {
			return r.PartnerOrg + " (" + r.PartnerCity + ")"
		}
		return ""
	case "status":
		return l.T("report.status." + string(r.Status))
	case "eligible":
		return yesNo(l, eligible)
	case "days_admitted":
		return strings.Join(r.DaysAdmitted, ", ")
	case "first_admitted":
		if r.FirstAdmitted == nil {
			return ""
		}
		return r.FirstAdmitted.In(loc).Format("2006-01-02 15:04")
	case "signed":
		return yesNo(l, r.Signed)
	case "language":
		return l.Language(r.Language)
	case "registered_at":
		return r.RegisteredAt.In(loc).Format("2006-01-02 15:04")
	case "age_band":
		if r.AgeBand == "" {
			return ""
		}
		return l.T("report.age." + r.AgeBand)
	case "gender":
		switch {
		case r.Gender == "":
			return ""
		case l.Has("report.gender." + r.Gender):
			return l.T("report.gender." + r.Gender)
		}
		return l.T("reg.gender." + r.Gender)
	}
	return ""
}

// yesNo is a yes/no column in words of the reader's language (the JSON API
// keeps true and false).
func yesNo(l *i18n.Localizer, b bool) string {
	if b {
		return l.T("report.bool.yes")
	}
	return l.T("report.bool.no")
}

// ScanColumns are the scan log's columns.
var ScanColumns = []string{"scanned_at", "received_at", "day", "device", "staff", "method", "result", "reason",
	"offline", "double_entry", "registration", "participant"}

// Scans writes an event's full scan log to w and returns the number of rows.
// progress, if set, is called every 1,000 rows with the rows done and the total.
func (s *Service) Scans(ctx context.Context, w io.Writer, l *i18n.Localizer, slug string, f Format, progress func(done, total int)) (int, error) {
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, slug)
	if err != nil {
		return 0, err
	}
	total := 0
	if progress != nil {
		if total, err = s.Store.CountScans(ctx, s.Store.DB, e.ID); err != nil {
			return 0, err
		}
	}
	loc := e.Location()
	sh, err := NewSheets(w, f)
	if err != nil {
		return 0, err
	}
	if err := sh.Sheet(l.T("report.sheet.scans")); err != nil {
		return 0, err
	}
	head := make([]any, len(ScanColumns))
	for i, c := range ScanColumns {
		head[i] = l.T("report.col." + c)
	}
	if err := sh.Row(head...); err != nil {
		return 0, err
	}
	n := 0
	err = s.Store.EachScan(ctx, s.Store.DB, e.ID, func(r store.ScanRow) error {
		n++
		if progress != nil && n%1000 == 0 {
			progress(n, total)
		}
		reg := ""
		if r.RegistrationID != nil {
			reg = fmt.Sprint(*r.RegistrationID)
		}
		return sh.Row(r.ScannedAt.In(loc).Format("2006-01-02 15:04:05"), r.ReceivedAt.In(loc).Format("2006-01-02 15:04:05"),
			r.Day.Format("2006-01-02"), r.Device, r.Staff, l.T("report.method."+r.Method), l.T("report.result."+r.Result), r.Reason,
			yesNo(l, r.Offline), yesNo(l, r.DoubleEntry), reg, r.Participant)
	})
	if err != nil {
		return n, err
	}
	if progress != nil {
		progress(n, total)
	}
	return n, sh.Close()
}

// WriteCounts writes the counts of an event report (or, with project set,
// of a project report) as tables: summary, countries, cities, days, age
// bands, gender, rules, and for a project its events side by side.
func WriteCounts(w io.Writer, f Format, l *i18n.Localizer, c Counts, rules []RuleResult, events []EventReport) error {
	sh, err := NewSheets(w, f)
	if err != nil {
		return err
	}
	// Counts workbooks are small: their parts are held and written in order,
	// so the same counts always make the same bytes (the report pack).
	if x, ok := sh.(*xlsxSheets); ok {
		x.sorted = true
	}
	table := func(name string, head []string, rows [][]any) error {
		if err := sh.Sheet(name); err != nil {
			return err
		}
		h := make([]any, len(head))
		for i, k := range head {
			h[i] = l.T(k)
		}
		if err := sh.Row(h...); err != nil {
			return err
		}
		for _, r := range rows {
			if err := sh.Row(r...); err != nil {
				return err
			}
		}
		return nil
	}
	var rows [][]any
	for _, m := range SummaryMetrics(c) {
		rows = append(rows, []any{l.T("report.metric." + m.Key), m.Value})
	}
	if err := table(l.T("report.sheet.summary"), []string{"report.col.metric", "report.col.value"}, rows); err != nil {
		return err
	}
	if len(events) > 0 {
		rows = nil
		for _, er := range events {
			rows = append(rows, []any{er.Event.Number, titleIn(er.Event.Title, l.Lang), er.Event.City,
				l.Country(er.Event.Country), er.Event.FirstDay, er.Event.LastDay, er.Registered, er.Attended,
				er.Local, er.Invited, er.Other, er.InvitedShare, er.Countries})
		}
		if err := table(l.T("report.sheet.events"), []string{"report.col.number", "report.col.title", "report.col.city",
			"report.col.country_name", "report.col.first_day", "report.col.last_day", "report.metric.registered",
			"report.metric.attended", "report.metric.local", "report.metric.invited", "report.metric.other",
			"report.metric.invited_share", "report.metric.countries"}, rows); err != nil {
			return err
		}
	}
	rows = nil
	for _, cc := range c.ByCountry {
		rows = append(rows, []any{cc.Country, l.Country(cc.Country), cc.Attended, cc.Local, cc.Invited, cc.Other})
	}
	if err := table(l.T("report.sheet.countries"), []string{"report.col.country", "report.col.country_name",
		"report.metric.attended", "report.metric.local", "report.metric.invited", "report.metric.other"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, cc := range c.ByCity {
		rows = append(rows, []any{cc.City, cc.Country, l.Country(cc.Country), l.T("report.kind." + cc.Kind), partnerName(l, cc), cc.Attended})
	}
	if err := table(l.T("report.sheet.cities"), []string{"report.col.city", "report.col.country", "report.col.country_name",
		"report.col.kind", "report.col.partner", "report.metric.attended"}, rows); err != nil {
		return err
	}
	rows = nil
	for _, cc := range c.NonEligible {
		rows = append(rows, []any{cc.Country, l.Country(cc.Country), cc.Attended})
	}
	if err := table(l.T("report.sheet.non_eligible"), []string{"report.col.country", "report.col.country_name",
		"report.metric.attended"}, rows); err != nil {
		return err
	}
	if len(events) == 0 {
		rows = nil
		for _, d := range c.Days {
			rows = append(rows, []any{d.Date, d.Registered, d.Attended, d.AttendedAll})
		}
		if err := table(l.T("report.sheet.days"), []string{"report.col.day", "report.metric.registered",
			"report.metric.attended", "report.metric.attended_all"}, rows); err != nil {
			return err
		}
	}
	for _, opt := range []struct {
		sheet, prefix string
		vs            []ValueCount
	}{{"report.sheet.age_bands", "report.age.", c.AgeBands}, {"report.sheet.genders", "report.gender.", c.Genders}} {
		rows = nil
		for _, v := range opt.vs {
			label := l.T("report.not_given")
			if v.Value != "" {
				label = l.T(opt.prefix + v.Value)
			}
			var cnt any = l.T("report.suppressed")
			if v.Count != nil {
				cnt = *v.Count
			}
			rows = append(rows, []any{label, cnt})
		}
		if err := table(l.T(opt.sheet), []string{"report.col.value", "report.col.count"}, rows); err != nil {
			return err
		}
	}
	if len(c.Questions) > 0 {
		rows = nil
		for _, q := range c.Questions {
			for _, o := range q.Options {
				var att any = l.T("report.suppressed")
				if o.Attended.Count != nil {
					att = *o.Attended.Count
				}
				rows = append(rows, []any{q.Label.In(l.Lang), OptionText(l, o), o.Registered, att})
			}
		}
		if err := table(l.T("questions.report.title"), []string{"questions.report.question", "questions.report.option",
			"questions.report.registered", "questions.report.attended"}, rows); err != nil {
			return err
		}
	}
	rows = nil
	for _, r := range rules {
		rows = append(rows, []any{l.T("report.rule." + r.Rule), RuleTarget(l, r), RuleActual(l, r), yesNo(l, r.Met)})
	}
	if err := table(l.T("report.sheet.rules"), []string{"report.col.rule", "report.col.target", "report.col.actual",
		"report.col.met"}, rows); err != nil {
		return err
	}
	return sh.Close()
}

// Metric is one line of the summary table.
type Metric struct {
	Key   string
	Value any
}

// SummaryMetrics are the headline figures in the order every file shows them.
func SummaryMetrics(c Counts) []Metric {
	return []Metric{
		{"registered", c.Registered}, {"pending", c.Pending}, {"confirmed", c.Confirmed},
		{"waitlisted", c.Waitlisted}, {"cancelled", c.Cancelled}, {"attended", c.Attended},
		{"attended_all", c.AttendedAll}, {"no_shows", c.NoShows}, {"local", c.Local}, {"invited", c.Invited},
		{"other", c.Other}, {"invited_share", c.InvitedShare}, {"countries", c.Countries},
	}
}

// RuleTarget describes a rule's threshold ("at least 30.0 %").
func RuleTarget(l *i18n.Localizer, r RuleResult) string {
	isShare := r.Numerator != nil || strings.Contains(r.Rule, "share")
	f := func(v float64) string {
		if isShare {
			return l.Percent(v)
		}
		return l.Number(int(v))
	}
	var parts []string
	if r.Min != nil {
		parts = append(parts, l.T("report.rule.min", "value", f(*r.Min)))
	}
	if r.Max != nil {
		parts = append(parts, l.T("report.rule.max", "value", f(*r.Max)))
	}
	return strings.Join(parts, ", ")
}

// RuleActual describes the measured value ("35.5 % (11/31)").
func RuleActual(l *i18n.Localizer, r RuleResult) string {
	if r.Unknown {
		return l.T("report.rule.unknown")
	}
	if len(r.Events) > 0 {
		return l.N("report.rule.events_met", len(r.Events), "met", l.Number(int(r.Actual)))
	}
	if r.Numerator != nil && r.Denominator != nil {
		return fmt.Sprintf("%s (%s/%s)", l.Percent(r.Actual), l.Number(*r.Numerator), l.Number(*r.Denominator))
	}
	return l.Number(int(r.Actual))
}

// partnerName is a city's partner as the reader's language names it.
func partnerName(l *i18n.Localizer, cc CityCount) string {
	if cc.PartnerName == "" {
		return ""
	}
	return l.PickOr(cc.PartnerNames, cc.PartnerName).Marked()
}
