package privacyadmin_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
)

// A person reads their data export in their language: no stored code
// ("admitted", "keyboard", "local", "confirmed") and no true/false shows
// through; the JSON download keeps the codes.
func TestLatvianDataExportShowsWordsNotCodes(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	var r store.Registration
	if err := e.st.DB.Get(&r.ID, `SELECT id FROM registrations WHERE email = $1`, e.email); err != nil {
		t.Fatal(err)
	}
	var ev int64
	e.st.DB.Get(&ev, `SELECT event_id FROM registrations WHERE id = $1`, r.ID)
	for _, q := range []string{
		`UPDATE registrations SET photo_consent = true, language = 'lv', participation = 'local', gender = 'female' WHERE id = $1`,
		`INSERT INTO admissions (event_id, registration_id, day, admitted_at, method)
		 SELECT event_id, id, (SELECT min(day) FROM registration_days WHERE registration_id = $1), now(), 'keyboard'
		 FROM registrations WHERE id = $1 ON CONFLICT DO NOTHING`,
		`UPDATE admissions SET method = 'keyboard' WHERE registration_id = $1`,
		`INSERT INTO scans (scan_id, event_id, registration_id, day, method, result, scanned_at)
		 SELECT gen_random_uuid(), event_id, id, current_date, m, res, now()
		 FROM registrations, (VALUES ('keyboard', 'admitted'), ('qr', 'exited'), ('qr', 'not_inside'), ('paper', 'already_admitted')) v(m, res)
		 WHERE id = $1`,
	} {
		if _, err := e.st.DB.Exec(q, r.ID); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	r, err := e.st.Registration(ctx, e.st.DB, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	path, err := registration.New(e.st, nil, nil, "http://example.test", time.Now).ManagePath(ctx, e.st.DB, r, "lv")
	if err != nil {
		t.Fatal(err)
	}
	res, body := e.do(t, "GET", path+"/my-data", nil, false)
	if res.StatusCode != 200 {
		t.Fatalf("my data: %d", res.StatusCode)
	}
	main := body[strings.Index(body, "<main"):]
	text := regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(main, " ")
	for _, want := range []string{"Jā", "ievadīts kods", "ielaists", "atzīmēta iziešana", "Vietējais dalībnieks", "latviešu"} {
		if !strings.Contains(text, want) {
			t.Errorf("export lacks %q", want)
		}
	}
	for _, code := range []string{"admitted", "keyboard", "yes", "true", "local", "confirmed", "exited", "not_inside", "paper", "privacy.", "female"} {
		if regexp.MustCompile(`(?i)\b` + code + `\b`).MatchString(text) {
			t.Errorf("Latvian export shows the code %q:\n%s", code, text)
		}
	}
	// The JSON download is for machines: codes stay.
	_, js := e.do(t, "GET", path+"/my-data.json", nil, false)
	for _, code := range []string{`"method": "keyboard"`, `"result": "admitted"`, `"participation": "local"`} {
		if !strings.Contains(js, code) && !strings.Contains(js, strings.ReplaceAll(code, " ", "")) {
			t.Errorf("JSON lacks %s", code)
		}
	}
}
