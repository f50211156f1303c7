package registration_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
)

var bundle = func() *i18n.Bundle {
	b, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return b
}()

var eventNumber = 1

// eventAround adds an event to f's project from today+from to today+to (days).
func eventAround(t testing.TB, st *store.Store, f regtest.Fixture, slug string, from, to int, capacity *int) store.Event {
	t.Helper()
	eventNumber++
	host := f.Partners["daugavpils"].ID
	today := time.Now().In(mustZone(t, "Europe/Riga"))
	first := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, from)
	e := store.Event{
		ProjectID: f.Project.ID, Slug: slug, Number: eventNumber + 1, HostPartnerID: &host,
		Title: store.Texts{"en": "Event " + slug}, Venue: "Hall", City: "Daugavpils", Country: "LV",
		FirstDay: first, LastDay: first.AddDate(0, 0, to-from), TimeZone: "Europe/Riga", Capacity: capacity,
		RegistrationState: "closed",
	}
	if err := st.CreateEvent(context.Background(), st.DB, &e); err != nil {
		t.Fatal(err)
	}
	return e
}

func mustZone(t testing.TB, name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func day(e store.Event, i int) string { return e.FirstDay.AddDate(0, 0, i).Format(time.DateOnly) }

func importFile(t testing.TB, svc *registration.Service, actor *auth.Principal, slug string, file []byte, o registration.ImportOptions) (registration.ImportResult, error) {
	t.Helper()
	sh, err := sheetin.Read(file)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(file)
	o.SHA256, o.Headers = hex.EncodeToString(sum[:]), registration.NewHeaders(bundle)
	if o.FileName == "" {
		o.FileName = "people.csv"
	}
	res, err := svc.Import(context.Background(), actor, slug, sh, o)
	res.Localize(bundle.Localizer("en"))
	return res, err
}

// snapshot is everything an import writes for an event, to compare before and after.
func snapshot(t *testing.T, st *store.Store, eventID int64) string {
	t.Helper()
	var rows []string
	if err := st.DB.Select(&rows, `
		SELECT concat_ws('|', r.first_name, r.last_name, coalesce(r.email, ''), r.phone, r.country, r.city, r.organisation,
			r.participation, coalesce(r.partner_id::text, ''), r.language, r.status, r.source, r.updated_at::text,
			(SELECT string_agg(day::text, ',' ORDER BY day) FROM registration_days d WHERE d.registration_id = r.id),
			(SELECT string_agg(day::text || a.method, ',' ORDER BY day) FROM admissions a WHERE a.registration_id = r.id),
			(SELECT count(*) FROM tickets k WHERE k.registration_id = r.id))
		FROM registrations r WHERE r.event_id = $1 ORDER BY r.id`, eventID); err != nil {
		t.Fatal(err)
	}
	var counts string
	if err := st.DB.Get(&counts, `SELECT confirmed_count::text || '/' || (SELECT string_agg(confirmed_count::text, ',' ORDER BY day) FROM event_days WHERE event_id = $1) FROM events WHERE id = $1`, eventID); err != nil {
		t.Fatal(err)
	}
	return strings.Join(rows, "\n") + "\nseats " + counts
}

func TestImportCSVEveryColumnThenAgain(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "imp-csv", nil)
	e := eventAround(t, st, f, "imp-csv-past", -2, 0, regtest.Ptr(10)) // the last day is today
	svc := newService(st)
	// A spreadsheet set to a comma-decimal locale: semicolons, a BOM, days in quotes.
	file := []byte("\ufeffFirst name;LAST_NAME;E-mail;Phone;Organisation;City;Country;Participation;Partner;Language;Days;Attended\r\n" +
		"Jūratė;Žemaitė;jurate@example.lt;+370 600 00000;Kaunas City Municipality;Kaunas;Lithuania;invited;kaunas;lt;\"" + day(e, 0) + ";" + day(e, 1) + "\";" + day(e, 0) + "\r\n" +
		"Anna;Bērziņa;;;Daugavpils City Council;Daugavpils;LV;local;;lv;;\"" + day(e, 0) + ";" + day(e, 2) + "\"\r\n" +
		"Piotr;Nowak;piotr@example.pl;;Łódzkie Region;Łódź;Polska;Invited;Łódź;pl;;\r\n")
	res, err := importFile(t, svc, nil, e.Slug, file, registration.ImportOptions{})
	if err != nil {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	if res.Rows != 3 || res.Created != 3 || res.Updated != 0 || res.Admissions != 3 || len(res.Errors) != 0 {
		t.Fatalf("result %+v", res)
	}
	regs, _ := st.EventRegistrations(ctx, st.DB, e.ID)
	if len(regs) != 3 {
		t.Fatalf("%d registrations", len(regs))
	}
	jur, anna, piotr := regs[0], regs[1], regs[2]
	for _, r := range regs {
		if r.Status != store.StatusConfirmed || r.Source != "import" || r.ConfirmedAt == nil {
			t.Errorf("%s: status %s source %s", r.FirstName, r.Status, r.Source)
		}
	}
	if jur.Country != "LT" || jur.Phone != "+370 600 00000" || jur.Language != "lt" || jur.PartnerID == nil || *jur.PartnerID != f.Partners["kaunas"].ID {
		t.Errorf("Jūratė stored as %+v", jur)
	}
	if piotr.Country != "PL" || piotr.Participation != store.Invited || piotr.PartnerID == nil || *piotr.PartnerID != f.Partners["lodz"].ID {
		t.Errorf("Piotr (country by its own name, partner by its city) stored as %+v", piotr)
	}
	if anna.Email != nil || anna.Participation != store.Local || anna.PartnerID != nil {
		t.Errorf("Anna stored as %+v", anna)
	}
	if ds, _ := st.RegistrationDays(ctx, st.DB, jur.ID); len(ds) != 2 {
		t.Errorf("Jūratė's days: %v", ds)
	}
	if ds, _ := st.RegistrationDays(ctx, st.DB, anna.ID); len(ds) != 3 {
		t.Errorf("an empty days cell is every day: %v", ds)
	}
	sum := sha256.Sum256(file)
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE event_id = $1 AND method = 'import' AND reason = $2`, e.ID, "import "+hex.EncodeToString(sum[:])); n != 3 {
		t.Errorf("%d admissions by the import", n)
	}
	if n := count(t, st, `SELECT count(*) FROM audit_log WHERE action = 'registrations.import' AND actor = 'cli' AND details->>'sha256' = $1 AND details->>'file_name' = 'people.csv'`, hex.EncodeToString(sum[:])); n != 1 {
		t.Errorf("audit entries: %d", n)
	}
	if n := count(t, st, `SELECT count(*) FROM outbox`); n != 0 {
		t.Errorf("%d e-mails for an import without tickets", n)
	}
	if n := count(t, st, `SELECT confirmed_count FROM events WHERE id = $1`, e.ID); n != 3 {
		t.Errorf("seats taken: %d", n)
	}
	// The event is not over (its last day is today): the door can scan the tickets.
	if n := count(t, st, `SELECT count(*) FROM tickets WHERE event_id = $1 AND revoked_at IS NULL`, e.ID); n != 3 {
		t.Errorf("%d tickets", n)
	}

	before := snapshot(t, st, e.ID)
	res, err = importFile(t, svc, nil, e.Slug, file, registration.ImportOptions{})
	if err != nil || res.Created != 0 || res.Updated != 0 || res.Unchanged != 3 || res.Admissions != 0 {
		t.Fatalf("second import: %v %+v", err, res)
	}
	if after := snapshot(t, st, e.ID); after != before {
		t.Fatalf("importing the same file twice changed something:\n%s\n---\n%s", before, after)
	}
}

func TestImportXLSXEveryColumn(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "imp-xlsx", nil)
	e := eventAround(t, st, f, "imp-xlsx-past", -3, -2, nil)
	svc := newService(st)
	x := excelize.NewFile()
	rows := [][]any{
		{"first_name", "last_name", "email", "phone", "organisation", "city", "country", "participation", "partner", "language", "days", "attended"},
		{"Ieva", "Kalniņa", "ieva@example.lv", "+371 2000 0000", "Daugavpils University", "Daugavpils", "LV", "local", "", "lv", day(e, 0) + ";" + day(e, 1), day(e, 0) + ";" + day(e, 1)},
		{"Giulia", "Russo", "giulia@example.it", "", "Comune di Palermo", "Palermo", "Italy", "other", "", "it", day(e, 1), day(e, 1)},
		{"Marek", "Kowalski", "marek@example.pl", "", "Łódzkie Region", "Łódź", "PL", "invited", "lodz", "pl", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res, err := importFile(t, svc, nil, e.Slug, buf.Bytes(), registration.ImportOptions{FileName: "people.xlsx", SendTickets: true})
	if err != nil {
		t.Fatalf("import: %v %+v", err, res.Errors)
	}
	if res.Created != 3 || res.Admissions != 3 || res.TicketsSent != 0 {
		t.Fatalf("result %+v", res)
	}
	r, err := st.RegistrationByEmail(ctx, st.DB, e.ID, "giulia@example.it")
	if err != nil || r.Country != "IT" || r.Participation != store.Other || r.Language != "it" {
		t.Fatalf("Giulia: %v %+v", err, r)
	}
	if ds, _ := st.RegistrationDays(ctx, st.DB, r.ID); len(ds) != 1 {
		t.Errorf("Giulia's days: %v", ds)
	}
	// A past event: no e-mail goes out even when tickets are asked for, and no ticket is signed.
	if n := count(t, st, `SELECT count(*) FROM outbox`); n != 0 {
		t.Errorf("%d e-mails for a past event", n)
	}
	if n := count(t, st, `SELECT count(*) FROM tickets WHERE event_id = $1`, e.ID); n != 0 {
		t.Errorf("%d tickets for a past event", n)
	}
}

func TestImportFutureEventSendsTicketsOnlyWhenAsked(t *testing.T) {
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "imp-future", nil)
	svc := newService(st)
	file := []byte("first_name,last_name,email,city,country,participation\nAin,Tamm,ain@example.ee,Tartu,EE,other\nLiis,Kask,liis@example.ee,Tartu,EE,other\n")
	if res, err := importFile(t, svc, nil, f.Event.Slug, file, registration.ImportOptions{}); err != nil || res.Created != 2 {
		t.Fatalf("%v %+v", err, res)
	}
	if n := count(t, st, `SELECT count(*) FROM outbox`); n != 0 {
		t.Fatalf("%d e-mails without --send-tickets", n)
	}
	if n := count(t, st, `SELECT count(*) FROM tickets WHERE event_id = $1`, f.Event.ID); n != 2 {
		t.Fatalf("%d tickets", n)
	}
	// A third person, tickets asked for: only the new one gets an e-mail.
	file = append(file, "Mari,Mets,mari@example.ee,Tartu,EE,other\n"...)
	res, err := importFile(t, svc, nil, f.Event.Slug, file, registration.ImportOptions{SendTickets: true})
	if err != nil || res.Created != 1 || res.Unchanged != 2 || res.TicketsSent != 1 {
		t.Fatalf("%v %+v", err, res)
	}
	if regtest.Last(t, st, "mari@example.ee", "confirmed").To != "mari@example.ee" || len(regtest.Mails(t, st, "ain@example.ee")) != 0 {
		t.Fatal("tickets went to the wrong people")
	}
	// The future day cannot have attendance.
	file = []byte("first_name,last_name,email,city,country,participation,attended\nAin,Tamm,ain@example.ee,Tartu,EE,other," + day(f.Event, 0) + "\n")
	res, err = importFile(t, svc, nil, f.Event.Slug, file, registration.ImportOptions{})
	if !errors.Is(err, registration.ErrImportRejected) || len(res.Errors) != 1 || res.Errors[0].Code != "import.error.future_day" || res.Errors[0].Column != "G" {
		t.Fatalf("future attendance: %v %+v", err, res.Errors)
	}
}

func TestImportDryRunStoresNothing(t *testing.T) {
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "imp-dry", nil)
	e := eventAround(t, st, f, "imp-dry-past", -1, 0, regtest.Ptr(5))
	svc := newService(st)
	file := []byte("first_name,last_name,email,city,country,participation,attended\n" +
		"Ain,Tamm,ain@example.ee,Tartu,EE,other," + day(e, 0) + "\nLiis,Kask,,Tartu,EE,other,\n")
	audits := count(t, st, `SELECT count(*) FROM audit_log`)
	res, err := importFile(t, svc, nil, e.Slug, file, registration.ImportOptions{DryRun: true})
	if err != nil || !res.DryRun || res.Created != 2 || res.Admissions != 1 {
		t.Fatalf("dry run: %v %+v", err, res)
	}
	for _, q := range []string{`SELECT count(*) FROM registrations`, `SELECT count(*) FROM admissions`, `SELECT count(*) FROM tickets`,
		`SELECT confirmed_count FROM events WHERE id = ` + fmt.Sprint(e.ID), `SELECT count(*) FROM audit_log`} {
		want := 0
		if strings.Contains(q, "audit_log") {
			want = audits
		}
		if n := count(t, st, q); n != want {
			t.Errorf("%s = %d after a dry run", q, n)
		}
	}
}

func TestImportBadRowsStoreNothing(t *testing.T) {
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "imp-bad", nil)
	e := eventAround(t, st, f, "imp-bad-past", -1, 1, nil)
	svc := newService(st)
	file := []byte("First name,Last name,E-mail,City,Country,Participation,Partner,Attended\n" +
		"Ain,Tamm,ain@example.ee,Tartu,EE,other,,\n" + // good
		"Liis,Kask,not-an-address,Tartu,Atlantis,other,,\n" + // row 3: e-mail (C) and country (E)
		"Jonas,Jonaitis,jonas@example.lt,Kaunas,LT,invited,,\n" + // row 4: invited without a partner (G)
		"Mari,Mets,mari@example.ee,Tartu,EE,other,," + day(e, 2) + "\n" + // row 5: a future day (H)
		"Ain,Tamm,AIN@example.ee,Tartu,EE,other,,\n" + // row 6: the same person twice (C)
		",Ozola,,Rīga,LV,local,,\n") // row 7: no first name (A)
	res, err := importFile(t, svc, nil, e.Slug, file, registration.ImportOptions{})
	if !errors.Is(err, registration.ErrImportRejected) {
		t.Fatalf("err = %v", err)
	}
	got := map[string]string{}
	for _, ie := range res.Errors {
		got[fmt.Sprintf("%d%s", ie.Row, ie.Column)] = ie.Code
		if ie.Message == "" || ie.Message == ie.Code {
			t.Errorf("no message for %+v", ie)
		}
	}
	want := map[string]string{"3C": "reg.error.email", "3E": "reg.error.country", "4G": "reg.error.required",
		"5H": "import.error.future_day", "6C": "import.error.duplicate_row", "7A": "reg.error.required"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("errors %v, want %v", got, want)
	}
	if n := count(t, st, `SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("%d registrations stored from a file with errors", n)
	}
	// A missing required column is named on the header row.
	res, err = importFile(t, svc, nil, e.Slug, []byte("first_name,last_name,city\nAin,Tamm,Tartu\n"), registration.ImportOptions{})
	if !errors.Is(err, registration.ErrImportRejected) || len(res.Errors) != 2 || res.Errors[0].Row != 1 || res.Errors[0].Field != "country" {
		t.Fatalf("missing columns: %v %+v", err, res.Errors)
	}
}

func TestImportRespectsCapacityUnlessTold(t *testing.T) {
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "imp-cap", regtest.Ptr(1))
	svc := newService(st)
	file := []byte("first_name,last_name,email,city,country,participation\nAin,Tamm,ain@example.ee,Tartu,EE,other\nLiis,Kask,liis@example.ee,Tartu,EE,other\n")
	res, err := importFile(t, svc, nil, f.Event.Slug, file, registration.ImportOptions{})
	if !errors.Is(err, registration.ErrImportRejected) || len(res.Errors) != 1 || res.Errors[0].Row != 3 || res.Errors[0].Code != "import.error.full" {
		t.Fatalf("over capacity: %v %+v", err, res.Errors)
	}
	if n := count(t, st, `SELECT count(*) FROM registrations`); n != 0 {
		t.Fatalf("%d stored", n)
	}
	res, err = importFile(t, svc, &auth.Principal{UserID: 0, Role: auth.RoleAdmin, Name: "Admin"}, f.Event.Slug, file, registration.ImportOptions{OverCapacity: true})
	if err != nil || res.Created != 2 || res.CapacityRaised == nil || *res.CapacityRaised != 2 {
		t.Fatalf("told to go over: %v %+v", err, res)
	}
}

// The participants export of an event whose people were scanned at the door,
// imported into a fresh event of the same project and dates, gives the same
// counts report.
func TestImportExportReimportsToSameCounts(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "imp-exp", nil)
	src := eventAround(t, st, f, "imp-exp-src", -5, -4, nil)
	dst := eventAround(t, st, f, "imp-exp-dst", -5, -4, nil)
	people := []struct {
		first, last, email, country, city, org string
		part                                   store.Participation
		partner                                string
		days                                   []int // admitted
	}{
		{"Anna", "Bērziņa", "anna@example.lv", "LV", "Daugavpils", "School No. 3", store.Local, "", []int{0, 1}},
		{"Jānis", "Ozols", "", "LV", "Daugavpils", "", store.Local, "", []int{0}},
		{"Jūratė", "Žemaitė", "jurate@example.lt", "LT", "Kaunas", "Kaunas City Municipality", store.Invited, "kaunas", []int{0, 1}},
		{"Piotr", "Nowak", "piotr@example.pl", "PL", "Łódź", "Łódzkie Region", store.Invited, "lodz", []int{1}},
		{"Ana", "Silva", "ana@example.pt", "PT", "Lisboa", "", store.Other, "", []int{0}},
		{"Olena", "Koval", "olena@example.ua", "UA", "Kyiv", "", store.Other, "", []int{1}},
		{"Inga", "Lapa", "inga@example.lv", "LV", "Rēzekne", "", store.Other, "", nil}, // registered, never came
	}
	for _, p := range people {
		r := store.Registration{EventID: src.ID, Status: store.StatusConfirmed, FirstName: p.first, LastName: p.last,
			Country: p.country, City: p.city, Organisation: p.org, Participation: p.part, Language: "en", Source: "web"}
		if p.email != "" {
			r.Email = &p.email
		}
		if p.partner != "" {
			id := f.Partners[p.partner].ID
			r.PartnerID = &id
		}
		if err := st.InsertRegistration(ctx, st.DB, &r, src.Days()); err != nil {
			t.Fatal(err)
		}
		for _, d := range p.days { // as the door records a scan
			a := store.Admission{EventID: src.ID, RegistrationID: r.ID, Day: src.FirstDay.AddDate(0, 0, d), AdmittedAt: time.Now(), Method: "qr"}
			if _, err := st.AdmitOnce(ctx, st.DB, &a); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := st.RecountSeats(ctx, st.DB, src.ID); err != nil {
		t.Fatal(err)
	}
	reports := report.New(st, time.Now)
	var export bytes.Buffer
	if _, err := reports.Participants(ctx, &export, bundle.Localizer("lv"), report.ParticipantExport{Slug: src.Slug, Who: store.WhoRegistered, Format: report.XLSX}); err != nil {
		t.Fatal(err)
	}
	svc := newService(st)
	res, err := importFile(t, svc, nil, dst.Slug, export.Bytes(), registration.ImportOptions{FileName: "export.xlsx", Lang: "lv"})
	if err != nil {
		t.Fatalf("re-import: %v %+v", err, res.Errors)
	}
	if res.Created != len(people) {
		t.Fatalf("result %+v", res)
	}
	lv := bundle.Localizer("lv")
	passed := []string{lv.T("report.col.no"), lv.T("report.col.status"), lv.T("report.col.signed")}
	for _, c := range res.Columns {
		if c.Field == "" && !slices.Contains(passed, c.Header) {
			t.Errorf("export column %q not imported", c.Header)
		}
	}
	a, err := reports.Event(ctx, src.Slug, report.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := reports.Event(ctx, dst.Slug, report.Options{Raw: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Counts, b.Counts) {
		t.Fatalf("counts differ:\nsource   %+v\nimported %+v", a.Counts, b.Counts)
	}
	if a.Counts.Attended == 0 || a.Counts.Invited != 2 {
		t.Fatalf("the fixture counts nothing: %+v", a.Counts)
	}
}
