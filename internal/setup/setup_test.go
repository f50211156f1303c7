package setup_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

func TestValidateRules(t *testing.T) {
	for _, c := range []struct {
		doc  string
		ok   bool
		want string
	}{
		{`[{"rule":"min_events","min":4},{"rule":"invited_share_per_event","min":0.3}]`, true, `[{"rule":"min_events","min":4},{"rule":"invited_share_per_event","min":0.3}]`},
		{`[]`, true, `[]`},
		{`[{"rule":"min_events"}]`, false, ""},
		{`[{"rule":"min_events","min":4,"max":5}]`, false, ""},
		{`[{"rule":"no_such_rule","min":1}]`, false, ""},
		{`[{"rule":"invited_share_project","min":30}]`, false, ""},
		{`[{"rule":"min_events","min":-1}]`, false, ""},
		{`[{"rule":"min_events","min":4},{"rule":"min_events","min":5}]`, false, ""},
		{`{"rule":"min_events"}`, false, ""},
		{`[{"rule":"min_events","min":4,"extra":1}]`, false, ""},
		{`not json`, false, ""},
	} {
		got, err := setup.ValidateRules(c.doc)
		if (err == nil) != c.ok {
			t.Errorf("%s: %v", c.doc, err)
			continue
		}
		if c.ok && string(got) != c.want {
			t.Errorf("%s: got %s", c.doc, got)
		}
	}
}

func TestParseCountries(t *testing.T) {
	got, err := setup.ParseCountries("lv, LT;ee\nLV  gb")
	if err != nil || len(got) != 4 || got[0] != "EE" || got[3] != "LV" {
		t.Fatalf("%v %v", got, err)
	}
	for _, bad := range []string{"", "LVA", "1X", "L"} {
		if _, err := setup.ParseCountries(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestEventChanges(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := setup.New(st, time.Now, nil)
	actor := &auth.Principal{UserID: 0, Role: auth.RoleAdmin}
	e, err := st.EventBySlug(ctx, st.DB, "decode-4-lodz")
	if err != nil {
		t.Fatal(err)
	}
	in := setup.InputOf(e)
	in.Venue = "New hall"
	in.Title["lv"] = "Jauns nosaukums"
	saved, err := svc.UpdateEvent(ctx, actor, e.ID, in, "192.0.2.1")
	if err != nil || saved.Venue != "New hall" || saved.Title["lv"] != "Jauns nosaukums" {
		t.Fatalf("update: %+v %v", saved, err)
	}
	// Capacity below the confirmed seats is refused with a field message.
	low := in
	low.Capacity = "1"
	if _, err := svc.UpdateEvent(ctx, actor, e.ID, low, ""); !fieldIs(err, "capacity", "admin.error.capacity_below") {
		t.Fatalf("capacity below seats: %v", err)
	}
	// Dates that drop registered days are refused; 22 days are refused.
	moved := in
	moved.FirstDay = e.LastDay.Format("2006-01-02")
	if _, err := svc.UpdateEvent(ctx, actor, e.ID, moved, ""); !fieldIs(err, "first_day", "admin.error.days_in_use") {
		t.Fatalf("dropping registered days: %v", err)
	}
	long := in
	long.LastDay = e.FirstDay.AddDate(0, 0, 21).Format("2006-01-02")
	if _, err := svc.UpdateEvent(ctx, actor, e.ID, long, ""); !fieldIs(err, "last_day", "admin.error.max_days") {
		t.Fatalf("22-day event: %v", err)
	}
	for field, mutate := range map[string]func(*setup.EventInput){
		"slug":               func(i *setup.EventInput) { i.Slug = "Bad Slug" },
		"country":            func(i *setup.EventInput) { i.Country = "XYZ" },
		"time_zone":          func(i *setup.EventInput) { i.TimeZone = "Mars/Base" },
		"registration_state": func(i *setup.EventInput) { i.RegistrationState = "maybe" },
		"title_en":           func(i *setup.EventInput) { i.Title = map[string]string{"en": ""} },
		"closes_at":          func(i *setup.EventInput) { i.OpensAt, i.ClosesAt = "2030-01-02T10:00", "2030-01-01T10:00" },
		"host_partner":       func(i *setup.EventInput) { i.HostPartnerID = "999999" },
	} {
		bad := setup.InputOf(e)
		mutate(&bad)
		_, err := svc.UpdateEvent(ctx, actor, e.ID, bad, "")
		if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields[field] == "" {
			t.Errorf("%s: %v", field, err)
		}
	}
	// Quick controls and the audit trail.
	if err := svc.SetRegistration(ctx, actor, e.ID, nil, "closed", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Event(ctx, st.DB, e.ID); got.RegistrationState != "closed" || got.Capacity != nil {
		t.Fatalf("settings not saved: %+v", got)
	}
	es, err := st.Audit(ctx, st.DB, store.AuditFilter{Action: "event.", ObjectID: itoa(e.ID)})
	if err != nil || len(es) != 2 || es[0].IP != "192.0.2.1" {
		t.Fatalf("audit: %d %v", len(es), err)
	}
	// A new event with its days.
	created, err := svc.CreateEvent(ctx, actor, setup.EventInput{ProjectID: e.ProjectID, Slug: "decode-6-vejle",
		Number: "6", Title: map[string]string{"en": "Extra"}, City: "Vejle", Country: "dk",
		FirstDay: "2030-03-01", LastDay: "2030-03-03", TimeZone: "Europe/Copenhagen", RegistrationState: "auto"}, "")
	if err != nil {
		t.Fatal(err)
	}
	if days, _ := st.EventDays(ctx, st.DB, created.ID); len(days) != 3 || created.Country != "DK" {
		t.Fatalf("created: %+v, %d days", created, len(days))
	}
	_, err = svc.CreateEvent(ctx, actor, setup.EventInput{ProjectID: e.ProjectID, Slug: "decode-7-x",
		Number: "6", Title: map[string]string{"en": "Again"}, City: "Vejle", Country: "DK",
		FirstDay: "2030-03-01", LastDay: "2030-03-01", TimeZone: "UTC", RegistrationState: "auto"}, "")
	if !fieldIs(err, "number", "admin.error.number_taken") {
		t.Fatalf("duplicate number: %v", err)
	}
}

func TestRuleSetEditing(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := setup.New(st, time.Now, nil)
	custom, _ := st.RuleSetByCode(ctx, st.DB, "custom")
	funder, _ := st.RuleSetByCode(ctx, st.DB, "efc-not")
	in := setup.RuleSetInputOf(custom)
	in.Names["en"], in.Countries = "Ours", "LV LT PL UA"
	in.Thresholds = map[string]string{"event.min_countries": "3", "project.min_invited": "100", "event.max_days": "21"}
	if err := svc.UpdateRuleSet(ctx, nil, custom.ID, in, ""); err != nil {
		t.Fatal(err)
	}
	got, _ := st.RuleSet(ctx, st.DB, custom.ID)
	if got.Name != "Ours" || len(got.EligibleCountries) != 4 || !strings.Contains(string(got.Rules), `"min_countries_per_event"`) ||
		!strings.Contains(string(got.Rules), `"max_event_days"`) || strings.Contains(string(got.Rules), "min_events") {
		t.Fatalf("saved: %+v %s", got, got.Rules)
	}
	if th := setup.ThresholdsOf(got); th["event.min_countries"] != "3" || th["project.min_invited"] != "100" || len(th) != 3 {
		t.Fatalf("thresholds read back: %v", th)
	}
	if err := svc.UpdateRuleSet(ctx, nil, funder.ID, in, ""); err != apperr.ErrForbidden {
		t.Fatalf("funder's rule set changed: %v", err)
	}
	for field, c := range map[string]struct {
		set func(*setup.RuleSetInput)
		key string
	}{
		"event.min_invited":         {func(i *setup.RuleSetInput) { i.Thresholds["event.min_invited"] = "four" }, "admin.error.number"},
		"project.min_invited_share": {func(i *setup.RuleSetInput) { i.Thresholds["project.min_invited_share"] = "30" }, "admin.error.rules_share"},
		"event.min_nonsense":        {func(i *setup.RuleSetInput) { i.Thresholds["event.min_nonsense"] = "1" }, "admin.error.rules_unknown"},
		"name_en":                   {func(i *setup.RuleSetInput) { i.Names["en"] = "" }, "admin.error.required"},
		"lump_sum":                  {func(i *setup.RuleSetInput) { i.LumpText = "25-50 1-4 5000\n40-60 1-4 6000" }, "rulesets.error.lump_overlap"},
	} {
		bad := setup.RuleSetInputOf(got)
		c.set(&bad)
		if err := svc.UpdateRuleSet(ctx, nil, custom.ID, bad, ""); !fieldIs(err, field, c.key) {
			t.Errorf("%s: %v, want %s", field, err, c.key)
		}
	}
	if again, _ := st.RuleSet(ctx, st.DB, custom.ID); string(again.Rules) != string(got.Rules) || again.Name != "Ours" {
		t.Fatalf("a refused change was stored: %s", again.Rules)
	}
	// A copy of the CERV preset for one project; the code is unique, and
	// only that project (or none yet) may choose it.
	cerv, _ := st.RuleSetByCode(ctx, st.DB, "cerv-tt")
	proj, _ := st.ProjectByCode(ctx, st.DB, "decode")
	cp, err := svc.CopyRuleSet(ctx, nil, cerv, "decode-tt", &proj.ID, "")
	if err != nil || !cp.Editable || cp.ProjectID == nil || *cp.ProjectID != proj.ID || len(cp.EligibleCountries) != len(cerv.EligibleCountries) ||
		cp.Names["en"] != cerv.Names["en"] || setup.ThresholdsOf(cp)["event.min_participants"] != "50" {
		t.Fatalf("copy: %+v %v", cp, err)
	}
	if _, err := svc.CopyRuleSet(ctx, nil, cerv, "decode-tt", &proj.ID, ""); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("second copy with the same code: %v", err)
	}
	pin := setup.ProjectInput{Code: "other", Title: map[string]string{"en": "Other"}, RetentionYears: "5", RuleSetCode: "decode-tt"}
	if _, err := svc.CreateProject(ctx, nil, pin, ""); !fieldIs(err, "rule_set", "admin.error.rule_set") {
		t.Fatalf("another project's rule set chosen: %v", err)
	}
}

func fieldIs(err error, field, key string) bool {
	inv, ok := apperr.AsInvalid(err)
	return ok && inv.Fields[field] == key
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Raising the capacity gives the new places to the waiting list at once.
func TestCapacityRaisePromotes(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, true, time.Now()); err != nil {
		t.Fatal(err)
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	n, err := mail.NewNotifier(st, b, "http://localhost")
	if err != nil {
		t.Fatal(err)
	}
	svc := setup.New(st, time.Now, nil)
	svc.Promote = registration.New(st, n, nil, "http://localhost", time.Now).PromoteTx
	e, _ := st.EventBySlug(ctx, st.DB, "decode-5-daugavpils")
	full := e.ConfirmedCount
	if err := svc.SetRegistration(ctx, nil, e.ID, &full, "open", ""); err != nil {
		t.Fatal(err)
	}
	email := "waiting@example.org"
	seq := int64(1)
	w := store.Registration{EventID: e.ID, Status: "waitlisted", WaitlistSeq: &seq, FirstName: "Wait", LastName: "Ing",
		Email: &email, Country: "LV", City: "Daugavpils", Participation: "local", Language: "lv", ManageNonce: []byte("0123456789abcdef")}
	if err := st.InsertRegistration(ctx, st.DB, &w, e.Days()); err != nil {
		t.Fatal(err)
	}
	more := full + 1
	if err := svc.SetRegistration(ctx, nil, e.ID, &more, "open", ""); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Registration(ctx, st.DB, w.ID); got.Status != "confirmed" {
		t.Fatalf("waiting person not promoted: %s", got.Status)
	}
	if got, _ := st.Event(ctx, st.DB, e.ID); got.ConfirmedCount != more {
		t.Fatalf("seats: %d", got.ConfirmedCount)
	}
}

// What the JSON API adds to the forms' rules: texts in any of the site's
// languages (the forms' three leave the others alone), the host partner by
// slug within the event's project, registration times with an offset, the
// next event number, real country codes, and taken slugs as conflicts.
func TestEventInputsOfTheAPI(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := setup.New(st, time.Now, nil)
	actor := &auth.Principal{Role: auth.RoleAdmin}
	p, err := st.ProjectByCode(ctx, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	in := setup.EventInput{ProjectID: p.ID, Slug: "decode-6-vejle", HostPartnerSlug: "vejle",
		Title: map[string]string{"en": "Extra meeting", "da": "Ekstra møde"}, Description: map[string]string{"de": "Ein Treffen"},
		City: "Vejle", Country: "dk", FirstDay: "2019-09-10", LastDay: "2019-09-11", TimeZone: "Europe/Copenhagen",
		RegistrationState: "auto", OpensAt: "2019-08-01T09:00:00+02:00", ClosesAt: "2019-09-09T12:00"}
	e, err := svc.CreateEvent(ctx, actor, in, "")
	if err != nil {
		t.Fatal(err)
	}
	vejle, _ := st.PartnerBySlug(ctx, st.DB, p.ID, "vejle")
	if e.Number != 6 || e.HostPartnerID == nil || *e.HostPartnerID != vejle.ID || e.Title["da"] != "Ekstra møde" || e.Description["de"] != "Ein Treffen" {
		t.Fatalf("created: %+v", e)
	}
	if !e.RegistrationOpensAt.Equal(time.Date(2019, 8, 1, 7, 0, 0, 0, time.UTC)) || !e.RegistrationClosesAt.Equal(time.Date(2019, 9, 9, 10, 0, 0, 0, time.UTC)) {
		t.Fatalf("window: %v %v", e.RegistrationOpensAt, e.RegistrationClosesAt)
	}
	// The form edits lv, en, ru: the Danish title and German description stay.
	form := setup.InputOf(e)
	form.Title = map[string]string{"lv": "Papildu sanāksme", "en": "Extra meeting", "ru": ""}
	form.Description = map[string]string{"lv": "", "en": "", "ru": ""}
	saved, err := svc.UpdateEvent(ctx, actor, e.ID, form, "")
	if err != nil || saved.Title["da"] != "Ekstra møde" || saved.Title["lv"] != "Papildu sanāksme" || saved.Description["de"] != "Ein Treffen" {
		t.Fatalf("form save: %+v %v", saved, err)
	}
	// Another project's partner, an unknown language, a region that is no
	// country, a taken slug (a conflict, shown beside the field).
	other := store.Project{Code: "other", Title: store.Texts{"en": "Other"}}
	if err := st.CreateProject(ctx, st.DB, &other); err != nil {
		t.Fatal(err)
	}
	far := store.Partner{ProjectID: other.ID, Slug: "faraway", Organisation: "Faraway", City: "Faraway", Country: "PT"}
	if err := st.CreatePartner(ctx, st.DB, &far); err != nil {
		t.Fatal(err)
	}
	for field, mutate := range map[string]func(*setup.EventInput){
		"host_partner": func(i *setup.EventInput) { i.HostPartnerSlug = "faraway" },
		"title_xx":     func(i *setup.EventInput) { i.Title = map[string]string{"en": "X", "xx": "Y"} },
		"country":      func(i *setup.EventInput) { i.Country = "EU" },
		"opens_at":     func(i *setup.EventInput) { i.OpensAt = "2019-08-01T09:00:00" + "Z07" },
	} {
		bad := in
		bad.Slug = "decode-7-x"
		mutate(&bad)
		if _, err := svc.CreateEvent(ctx, actor, bad, ""); !fieldIsAny(err, field) {
			t.Errorf("%s: %v", field, err)
		}
	}
	_, err = svc.CreateEvent(ctx, actor, in, "")
	if !fieldIs(err, "slug", "admin.error.slug_taken") || !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("taken slug: %v", err)
	}
	if _, err := svc.CreatePartner(ctx, actor, p.ID, setup.PartnerInput{Slug: "vejle", Organisation: "V", City: "Vejle", Country: "DK"}, ""); !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("taken partner slug: %v", err)
	}
	// A project's rule set by code.
	pin := setup.ProjectInputOf(p)
	pin.RuleSetID, pin.RuleSetCode = "", "cerv-tt"
	if err := svc.UpdateProject(ctx, actor, p.ID, pin, ""); err != nil {
		t.Fatal(err)
	}
	rs, _ := st.RuleSetByCode(ctx, st.DB, "cerv-tt")
	if got, _ := st.Project(ctx, st.DB, p.ID); got.RuleSetID == nil || *got.RuleSetID != rs.ID {
		t.Fatalf("rule set by code: %+v", got.RuleSetID)
	}
	pin.RuleSetCode = "no-such-rules"
	if err := svc.UpdateProject(ctx, actor, p.ID, pin, ""); !fieldIs(err, "rule_set", "admin.error.rule_set") {
		t.Fatalf("unknown rule set: %v", err)
	}
}

func fieldIsAny(err error, field string) bool {
	inv, ok := apperr.AsInvalid(err)
	return ok && inv.Fields[field] != ""
}

// A new network's event: the checklist names what is missing, opening
// registration is refused with the first blocking item's message until each
// is done, and nothing is stored by a refusal.
func TestChecklistRefusesOpening(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := setup.New(st, time.Now, nil)
	p, err := svc.CreateProject(ctx, nil, setup.ProjectInput{Code: "tt-vejle", Title: map[string]string{"en": "Vejle twinning", "da": "Vejle venskabsby"},
		RetentionYears: "5"}, "")
	if err != nil {
		t.Fatal(err)
	}
	lead, err := svc.CreatePartner(ctx, nil, p.ID, setup.PartnerInput{Slug: "vejle", Organisation: "Vejle Kommune", City: "Vejle", Country: "DK"}, "")
	if err != nil {
		t.Fatal(err)
	}
	day := time.Now().AddDate(0, 1, 0).Format("2006-01-02")
	e, err := svc.CreateEvent(ctx, nil, setup.EventInput{ProjectID: p.ID, Slug: "tt-vejle-1", Title: map[string]string{"en": "Twinning days"},
		City: "Vejle", Country: "DK", FirstDay: day, LastDay: day, TimeZone: "Europe/Copenhagen", RegistrationState: "closed"}, "")
	if err != nil {
		t.Fatal(err)
	}
	kinds := func() []string {
		items, err := svc.Checklist(ctx, st.DB, e)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, it := range items {
			out = append(out, it.Kind+":"+it.Lang)
		}
		return out
	}
	want := []string{"notice:en", "notice:da", "rule_set:", "host:", "title:da", "capacity:"}
	if got := kinds(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("checklist = %v, want %v", got, want)
	}
	open := func() error {
		return svc.SetRegistration(ctx, nil, e.ID, e.Capacity, "open", "")
	}
	if err := open(); !fieldIs(err, "registration_state", "checklist.refused.notice") {
		t.Fatalf("opened without a notice: %v", err)
	}
	in := setup.InputOf(e)
	in.RegistrationState = "open"
	if _, err := svc.UpdateEvent(ctx, nil, e.ID, in, ""); !fieldIs(err, "registration_state", "checklist.refused.notice") {
		t.Fatalf("opened through the form without a notice: %v", err)
	}
	if again, _ := st.Event(ctx, st.DB, e.ID); again.RegistrationState != "closed" {
		t.Fatalf("a refused opening was stored: %s", again.RegistrationState)
	}
	// Fix each item in turn.
	for _, lang := range i18n.Languages {
		n := store.PrivacyNotice{ProjectID: p.ID, Version: 1, Language: lang, Body: "Notice"}
		if err := st.CreatePrivacyNotice(ctx, st.DB, &n); err != nil {
			t.Fatal(err)
		}
	}
	if err := open(); !fieldIs(err, "registration_state", "checklist.refused.rule_set") {
		t.Fatalf("opened without a rule set: %v", err)
	}
	pin := setup.ProjectInputOf(p)
	pin.RuleSetCode = "cerv-tt"
	pin.RuleSetID = ""
	if err := svc.UpdateProject(ctx, nil, p.ID, pin, ""); err != nil {
		t.Fatal(err)
	}
	in = setup.InputOf(e)
	in.HostPartnerID = strconv.FormatInt(lead.ID, 10)
	in.Title["da"] = "Venskabsbydage"
	in.Capacity = "120"
	if e, err = svc.UpdateEvent(ctx, nil, e.ID, in, ""); err != nil {
		t.Fatal(err)
	}
	if got := kinds(); len(got) != 0 {
		t.Fatalf("checklist after fixing everything: %v", got)
	}
	if err := open(); err != nil {
		t.Fatalf("opening refused with nothing missing: %v", err)
	}
	// An open event stays open when other fields change, even if an item
	// is missing again.
	e, _ = st.Event(ctx, st.DB, e.ID)
	in = setup.InputOf(e)
	in.Capacity = ""
	if _, err := svc.UpdateEvent(ctx, nil, e.ID, in, ""); err != nil {
		t.Fatalf("saving an open event: %v", err)
	}
}
