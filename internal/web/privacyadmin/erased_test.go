package privacyadmin_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fetch is one request of the sweep and the statuses it may answer.
type fetch struct {
	method, path string
	form         url.Values
	want         []int
	pdf          bool // the body must be a PDF
}

func (e env) sweep(t *testing.T, what string, fs []fetch) map[string]string {
	t.Helper()
	bodies := map[string]string{}
	for _, f := range fs {
		var form url.Values
		if f.form != nil {
			form = url.Values{}
			for k, v := range f.form {
				form[k] = v
			}
		}
		res, body := e.do(t, f.method, f.path, form, true)
		ok := false
		for _, w := range f.want {
			ok = ok || res.StatusCode == w
		}
		if !ok {
			t.Errorf("%s: %s %s answered %d, want one of %v\n%.400s", what, f.method, f.path, res.StatusCode, f.want, body)
			continue
		}
		if f.pdf && !strings.HasPrefix(body, "%PDF-") {
			t.Errorf("%s: %s %s is not a PDF", what, f.method, f.path)
		}
		bodies[f.method+" "+f.path] = body
	}
	return bodies
}

func pdfText(t *testing.T, pdf string) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, []byte(pdf), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// readOnly is every screen, export and PDF of an event and its project.
func readOnly(slug string, regs ...int64) []fetch {
	ok := []int{http.StatusOK}
	fs := []fetch{
		{method: "GET", path: "/admin/registrations", want: ok},
		{method: "GET", path: "/admin/registrations?event=" + slug, want: ok},
		{method: "GET", path: "/admin/registrations?event=" + slug + "&status=cancelled", want: ok},
		{method: "GET", path: "/admin/reports/events/" + slug, want: ok},
		{method: "GET", path: "/admin/reports/events/" + slug + "/counts?format=xlsx", want: ok},
		{method: "GET", path: "/admin/reports/events/" + slug + "/participants?format=csv", want: ok},
		{method: "GET", path: "/admin/reports/events/" + slug + "/participants?format=xlsx&who=all", want: ok},
		{method: "GET", path: "/admin/reports/events/" + slug + "/scans?format=csv", want: ok},
		{method: "GET", path: "/admin/reports/events/" + slug + "/scans?format=xlsx", want: ok},
		{method: "GET", path: "/admin/reports/events/" + slug + "/lists.pdf", want: ok, pdf: true},
		{method: "GET", path: "/admin/reports/events/" + slug + "/badges.pdf", want: ok, pdf: true},
		{method: "GET", path: "/admin/reports/projects/decode", want: ok},
		{method: "GET", path: "/admin/reports/projects/decode/counts?format=csv", want: ok},
		{method: "GET", path: "/admin/events/" + slug, want: ok},
		{method: "GET", path: "/admin/privacy", want: ok},
	}
	for _, id := range regs {
		fs = append(fs,
			fetch{method: "GET", path: fmt.Sprintf("/admin/registrations/%d", id), want: ok},
			fetch{method: "GET", path: fmt.Sprintf("/admin/reports/events/%s/badges.pdf?registration=%d", slug, id),
				want: []int{http.StatusOK, http.StatusNotFound}})
	}
	return fs
}

// operations is every staff action on a registration; an erased or
// anonymised one may be refused (409), never fail.
func operations(slug string, day string, id int64) []fetch {
	refusedOrDone := []int{http.StatusSeeOther, http.StatusConflict}
	return []fetch{
		{method: "POST", path: fmt.Sprintf("/admin/registrations/%d/resend", id), form: url.Values{}, want: refusedOrDone},
		{method: "POST", path: fmt.Sprintf("/admin/registrations/%d/days", id), form: url.Values{"days": {day}}, want: refusedOrDone},
		{method: "POST", path: fmt.Sprintf("/admin/registrations/%d", id), form: url.Values{"first_name": {"New"},
			"last_name": {"Name"}, "country": {"LV"}, "participation": {"local"}}, want: []int{http.StatusSeeOther, http.StatusConflict, 422}},
		{method: "POST", path: fmt.Sprintf("/admin/registrations/%d/promote", id), form: url.Values{}, want: []int{http.StatusSeeOther}},
		{method: "POST", path: fmt.Sprintf("/admin/registrations/%d/cancel", id), form: url.Values{}, want: refusedOrDone},
		{method: "POST", path: "/admin/events/" + slug + "/promote", form: url.Values{}, want: []int{http.StatusSeeOther}},
	}
}

// Every screen, export, PDF and staff operation works on an erased person's
// registrations (an attendee who signed, a waitlisted person) of the event
// under way, and then on the whole project anonymised.
func TestScreensAndOperationsOnErasedAndAnonymisedData(t *testing.T) {
	e := setup(t)
	var ev struct {
		ID   int64  `db:"id"`
		Slug string `db:"slug"`
		Day  string `db:"day"`
	}
	if err := e.st.DB.Get(&ev, `SELECT id, slug, first_day::text AS day FROM events WHERE number = 4`); err != nil {
		t.Fatal(err)
	}
	// The attendee signs with a real image.
	img := image.NewGray(image.Rect(0, 0, 200, 60))
	for x := range 200 {
		img.SetGray(x, 30, color.Gray{})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b.Bytes())
	var signer int64
	if err := e.st.DB.Get(&signer, `
		WITH a AS (SELECT a.registration_id, a.event_id, a.day FROM admissions a JOIN registrations r ON r.id = a.registration_id
			WHERE a.event_id = $1 AND a.undone_at IS NULL AND r.email IS NOT NULL ORDER BY a.id LIMIT 1)
		INSERT INTO signatures (event_id, registration_id, day, image_png, sha256)
		SELECT event_id, registration_id, day, $2, $3 FROM a RETURNING registration_id`, ev.ID, b.Bytes(), sum[:]); err != nil {
		t.Fatal(err)
	}
	// Their admission was scanned at the door, and the answer named them.
	if _, err := e.st.DB.Exec(`INSERT INTO scans (scan_id, event_id, registration_id, day, result, reason, scanned_at, response)
		SELECT gen_random_uuid(), event_id, registration_id, day, 'admitted', 'checked the passport', admitted_at,
			jsonb_build_object('result', 'admitted', 'name', 'Signer')
		FROM admissions WHERE registration_id = $1`, signer); err != nil {
		t.Fatal(err)
	}
	// The same person is on the waiting list of the event (full) under
	// another registration, with someone waiting behind.
	var signerEmail string
	e.st.DB.Get(&signerEmail, `SELECT email FROM registrations WHERE id = $1`, signer)
	if _, err := e.st.DB.Exec(`UPDATE events SET capacity = confirmed_count WHERE id = $1`, ev.ID); err != nil {
		t.Fatal(err)
	}
	var waiting []int64
	for _, who := range []string{"also.erased@example.test", "behind@example.test"} {
		var id int64
		if err := e.st.DB.Get(&id, `INSERT INTO registrations (event_id, status, waitlist_seq, first_name, last_name, email,
				country, city, participation, language, manage_nonce)
			VALUES ($1, 'waitlisted', nextval('waitlist_seq'), 'Waiting', 'Person', $2::text, 'LV', 'Daugavpils', 'local', 'lv',
				sha256(convert_to($2::text, 'UTF8')))
			RETURNING id`, ev.ID, who); err != nil {
			t.Fatal(err)
		}
		e.st.DB.Exec(`INSERT INTO registration_days (registration_id, event_id, day) VALUES ($1, $2, $3::date)`, id, ev.ID, ev.Day)
		waiting = append(waiting, id)
	}

	for _, who := range []string{signerEmail, "also.erased@example.test"} {
		if res, body := e.do(t, "POST", "/admin/privacy/erase", url.Values{"email": {who}, "confirm": {"yes"}}, true); res.StatusCode >= 400 {
			t.Fatalf("erase: %d\n%.300s", res.StatusCode, body)
		}
	}
	var status string
	e.st.DB.Get(&status, `SELECT status FROM registrations WHERE id = $1`, waiting[0])
	if status != "cancelled" {
		t.Fatalf("the erased waitlisted registration is %s", status)
	}

	bodies := e.sweep(t, "erased", readOnly(ev.Slug, signer, waiting[0]))
	text := pdfText(t, bodies["GET /admin/reports/events/"+ev.Slug+"/lists.pdf"])
	if !strings.Contains(text, "Removed at the person's request") ||
		!strings.Contains(strings.ReplaceAll(text, " ", ""), hex.EncodeToString(sum[:])) {
		t.Errorf("the lists do not mark the erased signer with the signature's fingerprint:\n%.2000s", text)
	}
	if strings.Contains(text, signerEmail) {
		t.Error("the lists still hold the erased person's address")
	}
	if csv := bodies["GET /admin/reports/events/"+ev.Slug+"/participants?format=csv"]; !strings.Contains(csv, "Removed at the person's request") {
		t.Error("the participants export does not mark the erased attendee")
	}
	page := bodies[fmt.Sprintf("GET /admin/registrations/%d", signer)]
	if !strings.Contains(page, "Personal data removed") || strings.Contains(page, "/resend") {
		t.Error("the erased registration's page offers to send a ticket or does not say the data was removed")
	}
	if scans := bodies["GET /admin/reports/events/"+ev.Slug+"/scans?format=csv"]; strings.Count(scans, "\n") < 2 ||
		strings.Contains(scans, "passport") {
		t.Errorf("scan log after the erasure:\n%s", scans)
	}
	res, body := e.do(t, "POST", "/admin/privacy/export", url.Values{"email": {signerEmail}, "format": {"json"}}, true)
	if res.StatusCode != http.StatusOK || strings.Contains(body, `"registration_id"`) {
		t.Errorf("access export of an erased person: %d\n%.500s", res.StatusCode, body)
	}
	e.sweep(t, "erased attendee", operations(ev.Slug, ev.Day, signer))
	e.sweep(t, "erased waitlisted", operations(ev.Slug, ev.Day, waiting[0]))
	e.st.DB.Get(&status, `SELECT status FROM registrations WHERE id = $1`, waiting[1])
	if status != "confirmed" {
		t.Errorf("the person behind the erased one is %s after a seat was freed", status)
	}
	var live int
	e.st.DB.Get(&live, `SELECT count(*) FROM tickets WHERE registration_id = ANY($1::bigint[]) AND revoked_at IS NULL`,
		fmt.Sprintf("{%d,%d}", signer, waiting[0]))
	if live != 0 {
		t.Errorf("erased registrations hold %d live tickets", live)
	}

	// The whole project anonymised, as at the end of retention.
	if res, body := e.do(t, "POST", "/admin/privacy/projects/decode/anonymise", url.Values{"confirm": {"decode"}}, true); res.StatusCode >= 400 {
		t.Fatalf("anonymise: %d\n%.300s", res.StatusCode, body)
	}
	var left int
	e.st.DB.Get(&left, `SELECT count(*) FROM registrations WHERE anonymised_at IS NULL`)
	if left != 0 {
		t.Fatalf("%d registrations not anonymised", left)
	}
	var slugs []string
	e.st.DB.Select(&slugs, `SELECT slug FROM events ORDER BY number`)
	var other int64
	e.st.DB.Get(&other, `SELECT id FROM registrations WHERE event_id = $1 AND status = 'confirmed' AND id <> $2 ORDER BY id LIMIT 1`,
		ev.ID, signer)
	for _, slug := range slugs {
		fs := readOnly(slug)
		if slug == ev.Slug {
			fs = readOnly(slug, signer, other)
		}
		bodies := e.sweep(t, "anonymised "+slug, fs)
		if slug == ev.Slug {
			text := pdfText(t, bodies["GET /admin/reports/events/"+slug+"/lists.pdf"])
			if !strings.Contains(text, "Anonymised after the retention period") || !strings.Contains(text, "Removed at the person's request") {
				t.Errorf("anonymised lists do not say why names are missing:\n%.1500s", text)
			}
		}
	}
	e.sweep(t, "anonymised", operations(ev.Slug, ev.Day, other))
	if err := e.st.DB.Get(&live, `SELECT count(*) FROM tickets WHERE revoked_at IS NULL`); err != nil || live != 0 {
		t.Errorf("%d live tickets after the project was anonymised (%v)", live, err)
	}
}
