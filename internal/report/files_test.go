package report_test

import (
	"bytes"
	"context"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

func signaturePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 300, 100))
	for x := 0; x < 300; x++ {
		for y := 0; y < 100; y++ {
			img.SetGray(x, y, color.Gray{255})
		}
		img.SetGray(x, 50+(x%20)-10, color.Gray{0})
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not installed")
		}
		t.Skip("pdftotext not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-layout", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func TestSignaturesAndLists(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	svc := f.service()
	dev := store.Device{EventID: f.event.ID, Name: "Desk tablet"}
	if err := f.st.CreateDevice(ctx, f.st.DB, &dev); err != nil {
		t.Fatal(err)
	}
	by := &auth.Principal{DeviceID: dev.ID}
	day1 := f.event.FirstDay
	sig := signaturePNG(t)
	cases := []struct {
		name string
		in   report.SignatureInput
		want error
	}{
		{"admitted person signs", report.SignatureInput{Event: f.event, RegistrationID: f.regs["both"], Day: day1, PNG: sig, By: by}, nil},
		{"second signature the same day", report.SignatureInput{Event: f.event, RegistrationID: f.regs["both"], Day: day1, PNG: sig, By: by}, apperr.ErrConflict},
		{"never admitted", report.SignatureInput{Event: f.event, RegistrationID: f.regs["noshow"], Day: day1, PNG: sig, By: by}, apperr.ErrNotFound},
		{"not a PNG", report.SignatureInput{Event: f.event, RegistrationID: f.regs["undone"], Day: day1, PNG: []byte("<svg/>"), By: by}, &apperr.Invalid{}},
		{"undone admission day", report.SignatureInput{Event: f.event, RegistrationID: f.regs["undone"], Day: f.event.LastDay, PNG: sig, By: by}, apperr.ErrNotFound},
	}
	for _, c := range cases {
		_, err := svc.SaveSignature(ctx, c.in)
		switch want := c.want.(type) {
		case nil:
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
		case *apperr.Invalid:
			if _, ok := apperr.AsInvalid(err); !ok {
				t.Errorf("%s: got %v, want a validation error", c.name, err)
			}
		default:
			if !errors.Is(err, want) {
				t.Errorf("%s: got %v, want %v", c.name, err, want)
			}
		}
	}
	var audits int
	if err := f.st.DB.GetContext(ctx, &audits, `SELECT count(*) FROM audit_log WHERE action = 'signature.capture'`); err != nil || audits != 1 {
		t.Errorf("signature audit entries = %d (%v), want 1", audits, err)
	}

	ls, err := svc.EventLists(ctx, fixtureSlug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, l := range ls.Lists {
		keys = append(keys, l.Key+":"+strconv.Itoa(len(l.Rows)))
	}
	want := "local:20 invited-kaunas:3 invited-lodz:4 invited-vejle:3 invited-magdeburg:1 non-eligible:1"
	if got := strings.Join(keys, " "); got != want {
		t.Errorf("lists = %s, want %s", got, want)
	}
	if ls.Counted() != 31 {
		t.Errorf("counted rows = %d, want 31 (the attended total)", ls.Counted())
	}
	local, _ := ls.Find("local")
	kaunas, _ := ls.Find("invited-kaunas")

	var buf bytes.Buffer
	l := bundle(t).Localizer("en")
	if _, err := report.WriteListsPDF(&buf, l, ls, []report.List{local, kaunas}); err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, buf.Bytes())
	if os.Getenv("REPORTS_DUMP") != "" {
		_ = os.WriteFile(filepath.Join(os.Getenv("REPORTS_DUMP"), "fixture-lists.pdf"), buf.Bytes(), 0o600)
	}
	pages := strings.Count(text, "\f")
	for _, w := range []string{"List of participants: local participants", "invited participants from Kaunas (Lithuania)",
		"Data fingerprint (SHA-256): " + local.SHA256, "Data fingerprint (SHA-256): " + kaunas.SHA256,
		"Signed electronically 01.06.2018 15:00", "Desk tablet", "Programme: Europe for Citizens (2014-2020) · Measure: Networks of Towns",
		"host organisation (Daugavpils City Council)", "invited town: Kaunas City Municipality (Kaunas)", "Page 1 of"} {
		if !strings.Contains(text, w) {
			t.Errorf("PDF lacks %q", w)
		}
	}
	if n := strings.Count(text, "Project: Fixture project · No. REF-1"); n != pages || pages < 2 {
		t.Errorf("header on %d of %d pages", n, pages)
	}

	// The fingerprint follows the data: a changed name changes it.
	if _, err := f.st.DB.ExecContext(ctx, `UPDATE registrations SET first_name = 'Changed' WHERE id = $1`, f.regs["both"]); err != nil {
		t.Fatal(err)
	}
	ls2, err := svc.EventLists(ctx, fixtureSlug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	local2, _ := ls2.Find("local")
	kaunas2, _ := ls2.Find("invited-kaunas")
	if local2.SHA256 == local.SHA256 || kaunas2.SHA256 != kaunas.SHA256 {
		t.Errorf("fingerprints: local %s -> %s, kaunas %s -> %s", local.SHA256[:8], local2.SHA256[:8], kaunas.SHA256[:8], kaunas2.SHA256[:8])
	}
}

func TestParticipantExport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.st.DB.ExecContext(ctx, `UPDATE registrations SET organisation = '=HYPERLINK("http://x")', age_band = '18-25' WHERE id = $1`, f.regs["ua"]); err != nil {
		t.Fatal(err)
	}
	svc := f.service()
	l := bundle(t).Localizer("en")
	var buf bytes.Buffer
	n, err := svc.Participants(ctx, &buf, l, report.ParticipantExport{Slug: fixtureSlug, Format: report.CSV,
		Columns: []string{"last_name", "no", "organisation", "eligible", "kind"}})
	if err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if n != 32 || !strings.HasPrefix(out, "\ufeffNo.,Last name,Organisation,Participant type,Eligible country\n") {
		t.Errorf("%d rows, start %q", n, out[:min(len(out), 80)])
	}
	if !strings.Contains(out, `'=HYPERLINK(""http://x"")`) || strings.Contains(out, `,=HYPERLINK`) {
		t.Errorf("formula not neutralised:\n%s", out)
	}
	if strings.Count(out, ",yes\n") != 31 || strings.Count(out, ",no\n") != 1 {
		t.Errorf("eligible flags wrong:\n%s", out)
	}
	for _, bad := range []report.ParticipantExport{
		{Slug: fixtureSlug, Format: report.CSV, Columns: []string{"age_band"}},
		{Slug: fixtureSlug, Format: report.CSV, Columns: []string{"password"}},
		{Slug: fixtureSlug, Format: report.CSV, Who: "everyone"},
	} {
		if _, err := svc.Participants(ctx, &bytes.Buffer{}, l, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
	buf.Reset()
	if _, err := svc.Participants(ctx, &buf, l, report.ParticipantExport{Slug: fixtureSlug, Format: report.CSV, Raw: true,
		Who: store.WhoRegistered, Columns: []string{"last_name", "age_band"}}); err != nil {
		t.Fatal(err)
	}
	if strings.Count(buf.String(), "\n") != 35 || !strings.Contains(buf.String(), ",18-25") {
		t.Errorf("registered raw export:\n%s", buf.String())
	}
}

func TestScanLogExport(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	dev := store.Device{EventID: f.event.ID, Name: "Door 1"}
	if err := f.st.CreateDevice(ctx, f.st.DB, &dev); err != nil {
		t.Fatal(err)
	}
	_, err := f.st.DB.ExecContext(ctx, `
INSERT INTO scans (scan_id, event_id, device_id, registration_id, day, result, scanned_at, offline) VALUES
 ('00000000-0000-0000-0000-000000000001', $1, $2, $3, '2018-05-23', 'admitted', '2018-05-23 07:00:00+00', false),
 ('00000000-0000-0000-0000-000000000002', $1, $2, $3, '2018-05-23', 'already_admitted', '2018-05-23 07:05:00+00', true),
 ('00000000-0000-0000-0000-000000000003', $1, NULL, NULL, '2018-05-23', 'invalid', '2018-05-23 07:06:00+00', false)`,
		f.event.ID, dev.ID, f.regs["both"])
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.st.DB.ExecContext(ctx, `
INSERT INTO double_entries (event_id, registration_id, day, kept_scan_id, other_scan_id, other_at)
VALUES ($1, $2, '2018-05-23', '00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', '2018-05-23 07:05:00+00')`,
		f.event.ID, f.regs["both"])
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	var progress []int
	n, err := f.service().Scans(ctx, &buf, bundle(t).Localizer("en"), fixtureSlug, report.CSV, func(done, total int) {
		progress = append(progress, done, total)
	})
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if n != 3 || len(lines) != 4 {
		t.Fatalf("%d scans, %d lines:\n%s", n, len(lines), buf.String())
	}
	if !strings.Contains(lines[0], "Scanned at") || !strings.HasPrefix(lines[1], "2018-05-23 10:00:00") {
		t.Errorf("header or local time wrong:\n%s", buf.String())
	}
	if !strings.Contains(lines[2], "Door 1") || !strings.Contains(lines[2], "Already admitted") || !strings.Contains(lines[2], ",yes,yes,") {
		t.Errorf("offline double entry row: %s", lines[2])
	}
	if len(progress) != 2 || progress[0] != 3 || progress[1] != 3 {
		t.Errorf("progress = %v", progress)
	}
}

func TestBadges(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	key := store.EventKey{EventID: f.event.ID, KID: "k1", PublicKey: make([]byte, 32), PrivateKey: make([]byte, 64)}
	if err := f.st.CreateEventKey(ctx, f.st.DB, &key); err != nil {
		t.Fatal(err)
	}
	payload := "DA1:TESTPAYLOAD"
	if err := f.st.InsertTicket(ctx, f.st.DB, store.Ticket{ID: 9001, RegistrationID: f.regs["both"], EventID: f.event.ID,
		Code: "ABC-123", Payload: payload, KeyID: key.ID, Days: []string{"2018-05-23"}}); err != nil {
		t.Fatal(err)
	}
	svc := f.service()
	l := bundle(t).Localizer("en")
	e, bs, err := svc.Badges(ctx, fixtureSlug, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(bs) != 33 {
		t.Errorf("%d badges, want the 33 confirmed", len(bs))
	}
	var buf bytes.Buffer
	if err := report.WriteBadgesPDF(&buf, l, e, bs, false); err != nil {
		t.Fatal(err)
	}
	if text := pdfText(t, buf.Bytes()); strings.Count(text, "\f") != 5 || !strings.Contains(text, "Fixture") && !strings.Contains(text, "Kick-off meeting") {
		t.Errorf("badge sheets: %d pages", strings.Count(text, "\f"))
	}
	_, one, err := svc.Badges(ctx, fixtureSlug, f.regs["both"])
	if err != nil || len(one) != 1 || one[0].Payload != payload {
		t.Fatalf("single badge: %v %+v", err, one)
	}
	buf.Reset()
	if err := report.WriteBadgesPDF(&buf, l, e, one, true); err != nil {
		t.Fatal(err)
	}
	if zbar, err := exec.LookPath("zbarimg"); err == nil {
		if ppm, err := exec.LookPath("pdftoppm"); err == nil {
			dir := t.TempDir()
			pdf := filepath.Join(dir, "badge.pdf")
			_ = os.WriteFile(pdf, buf.Bytes(), 0o600)
			if err := exec.Command(ppm, "-png", "-r", "200", pdf, filepath.Join(dir, "badge")).Run(); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(zbar, "--raw", "-q", filepath.Join(dir, "badge-1.png")).Output()
			if err != nil || strings.TrimSpace(string(out)) != payload {
				t.Errorf("QR on the badge reads %q (%v), want the ticket payload", out, err)
			}
		}
	}
	if _, _, err := svc.Badges(ctx, fixtureSlug, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown registration: %v", err)
	}
}

// The participants file people open in Latvian says jā/nē and names statuses
// and types in words; only the columns headed as codes hold codes.
func TestParticipantsCSVInWords(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	var buf bytes.Buffer
	if _, err := f.service().Participants(ctx, &buf, bundle(t).Localizer("lv"), report.ParticipantExport{Slug: fixtureSlug,
		Format: report.CSV, Columns: []string{"last_name", "kind", "status", "eligible", "signed", "language", "country_name"}}); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, code := range []string{"yes", "no", "true", "false", "confirmed", "local", "invited", "other", "admitted"} {
		if regexp.MustCompile(`(^|,)` + code + `(,|\n)`).MatchString(out) {
			t.Errorf("Latvian participants file shows the code %q:\n%s", code, out)
		}
	}
	if !strings.Contains(out, ",jā,") || !strings.Contains(out, ",nē,") {
		t.Errorf("no Latvian yes/no:\n%s", out)
	}
	buf.Reset()
	if err := report.WriteCounts(&buf, report.CSV, bundle(t).Localizer("lv"), report.Counts{},
		[]report.RuleResult{{Rule: "min_events", Met: true}}, nil); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), ",yes") || !strings.Contains(buf.String(), ",jā") {
		t.Errorf("rules table:\n%s", buf.String())
	}
}
