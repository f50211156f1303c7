package privacy_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

func signaturePNG(t *testing.T) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 300, 100))
	for x := range 300 {
		img.SetGray(x, 50, color.Gray{})
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
		t.Skip("pdftotext not installed")
	}
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// signedToday gives one admitted participant of event 4 (under way) an
// address and a real signature, and returns the registration and the
// signature's SHA-256.
func signedToday(t *testing.T, st *store.Store) (store.Registration, []byte) {
	t.Helper()
	ctx := context.Background()
	var id int64
	if err := st.DB.Get(&id, `SELECT a.registration_id FROM admissions a JOIN events e ON e.id = a.event_id
		WHERE e.number = 4 AND a.undone_at IS NULL ORDER BY a.registration_id LIMIT 1`); err != nil {
		t.Fatal(err)
	}
	mustExec(t, st, `UPDATE registrations SET email = 'signer.erased@example.org', first_name = 'Signe', last_name = 'Izdzēsta'
		WHERE id = $1`, id)
	img := signaturePNG(t)
	sum := sha256.Sum256(img)
	mustExec(t, st, `INSERT INTO signatures (event_id, registration_id, day, image_png, sha256)
		SELECT event_id, registration_id, day, $2, $3 FROM admissions WHERE registration_id = $1 AND undone_at IS NULL
		ORDER BY day LIMIT 1`, id, img, sum[:])
	r, err := st.Registration(ctx, st.DB, id)
	if err != nil {
		t.Fatal(err)
	}
	return r, sum[:]
}

// The signed lists of an event where an erased person signed still print:
// the row stays (the programme's evidence, kept under Art. 17(3)(b)), marked
// as removed at the person's request with the signature's fingerprint, and
// the emptied image is never fed to the PDF writer.
func TestErasedSignerStaysOnTheListsPDF(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	r, sum := signedToday(t, f.st)
	ev, err := f.st.Event(ctx, f.st.DB, r.EventID)
	if err != nil {
		t.Fatal(err)
	}
	rs := report.New(f.st, time.Now)
	before, err := rs.EventLists(ctx, ev.Slug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Erase(ctx, *r.Email, privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	ls, err := rs.EventLists(ctx, ev.Slug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ls.Counted() != before.Counted() {
		t.Errorf("lists count %d people after the erasure, %d before", ls.Counted(), before.Counted())
	}
	var row report.ListRow
	for _, l := range ls.Lists {
		for _, x := range l.Rows {
			if x.RegistrationID == r.ID {
				row = x
			}
		}
	}
	if !row.Erased || strings.TrimSpace(row.Name) != "" || row.Contact != "" || len(row.Signatures) != 1 ||
		!bytes.Equal(row.Signatures[0].SHA256, sum) || len(row.Signatures[0].ImagePNG) != 0 {
		t.Fatalf("erased row: %+v", row)
	}
	// Nobody can take the erased person's signature again at the desk.
	for _, sg := range row.Signatures {
		if cs, err := f.st.SigningCandidates(ctx, f.st.DB, ev.ID, sg.Day, "", r.ID, 1); err != nil || len(cs) != 0 {
			t.Errorf("the signing desk still offers the erased person: %+v %v", cs, err)
		}
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range []string{"en", "lv"} {
		l := b.Localizer(lang)
		var pdf bytes.Buffer
		if _, err := report.WriteManyListsPDF(&pdf, l, []report.Lists{ls}); err != nil {
			t.Fatalf("%s: lists PDF after an erasure: %v", lang, err)
		}
		text := strings.Join(strings.Fields(pdfText(t, pdf.Bytes())), " ")
		if !strings.Contains(text, l.T("report.list.erased")) {
			t.Errorf("%s: the PDF does not mark the erased row %q", lang, l.T("report.list.erased"))
		}
		if hx := hex.EncodeToString(sum); !strings.Contains(strings.ReplaceAll(text, " ", ""), hx) {
			t.Errorf("%s: the PDF does not print the signature's fingerprint %s", lang, hx)
		}
		if strings.Contains(text, "Izdzēsta") || strings.Contains(text, "signer.erased") {
			t.Errorf("%s: the PDF still names the erased person", lang)
		}
	}
}

// waitlisted adds people to event 4's waiting list (the event is made full)
// and returns their ids in waiting-list order.
func waitlisted(t *testing.T, st *store.Store, emails ...string) (store.Event, []int64) {
	t.Helper()
	ctx := context.Background()
	var eventID int64
	if err := st.DB.Get(&eventID, `SELECT id FROM events WHERE number = 4`); err != nil {
		t.Fatal(err)
	}
	mustExec(t, st, `UPDATE events SET capacity = confirmed_count WHERE id = $1`, eventID)
	var ids []int64
	for _, e := range emails {
		var id int64
		if err := st.DB.Get(&id, `INSERT INTO registrations (event_id, status, waitlist_seq, first_name, last_name, email,
				country, city, participation, language, manage_nonce)
			VALUES ($1, 'waitlisted', nextval('waitlist_seq'), 'Waiting', 'Person', $2::text, 'LV', 'Daugavpils', 'local', 'lv',
				sha256(convert_to($2::text, 'UTF8')))
			RETURNING id`, eventID, e); err != nil {
			t.Fatal(err)
		}
		mustExec(t, st, `INSERT INTO registration_days (registration_id, event_id, day)
			SELECT $1, id, first_day FROM events WHERE id = $2`, id, eventID)
		ids = append(ids, id)
	}
	ev, err := st.Event(ctx, st.DB, eventID)
	if err != nil {
		t.Fatal(err)
	}
	return ev, ids
}

func registrations(t *testing.T, f fixture) *registration.Service {
	t.Helper()
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	n, err := mail.NewNotifier(f.st, b, "http://example.test")
	if err != nil {
		t.Fatal(err)
	}
	rs := registration.New(f.st, n, nil, "http://example.test", time.Now)
	rs.Now = func() time.Time { return testNow }
	return rs
}

// A waitlisted person of an event under way who asks to be erased leaves the
// waiting list; the others are promoted as before, and the erased person
// never is.
func TestErasedWaitlistedPersonIsWithdrawnAndPromotionWorks(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	ev, ids := waitlisted(t, f.st, "first.waiting@example.org", "second.waiting@example.org")
	// The same person has not yet confirmed a registration for event 5.
	mustExec(t, f.st, `INSERT INTO registrations (event_id, status, first_name, last_name, email, country, participation)
		SELECT id, 'pending_confirmation', 'Waiting', 'Person', 'First.Waiting@example.org', 'LV', 'local' FROM events WHERE number = 5`)
	res, err := f.svc.Erase(ctx, "first.waiting@example.org", privacy.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Withdrawn != 2 || res.Cancelled != 0 || res.Kept != 0 {
		t.Errorf("erasure: %+v, want two withdrawn registrations", res)
	}
	var pending int
	f.st.DB.Get(&pending, `SELECT count(*) FROM registrations WHERE status = 'pending_confirmation' AND anonymised_at IS NOT NULL`)
	if pending != 0 {
		t.Error("an erased registration is still waiting for a confirmation")
	}
	erased, _ := f.st.Registration(ctx, f.st.DB, ids[0])
	if erased.Status != store.StatusCancelled || erased.WaitlistSeq != nil {
		t.Fatalf("erased waitlisted registration: status %s, waitlist seq %v", erased.Status, erased.WaitlistSeq)
	}
	after, _ := f.st.Event(ctx, f.st.DB, ev.ID)
	if after.ConfirmedCount != ev.ConfirmedCount {
		t.Errorf("seats taken %d -> %d by withdrawing a waitlisted person", ev.ConfirmedCount, after.ConfirmedCount)
	}

	mustExec(t, f.st, `UPDATE events SET capacity = capacity + 2 WHERE id = $1`, ev.ID)
	n, err := registrations(t, f).Promote(ctx, ev.ID, nil)
	if err != nil {
		t.Fatalf("promotion after an erasure: %v", err)
	}
	second, _ := f.st.Registration(ctx, f.st.DB, ids[1])
	erased, _ = f.st.Registration(ctx, f.st.DB, ids[0])
	if n != 1 || second.Status != store.StatusConfirmed || erased.Status != store.StatusCancelled {
		t.Errorf("promoted %d; second %s, erased %s", n, second.Status, erased.Status)
	}
	var live int
	f.st.DB.Get(&live, `SELECT count(*) FROM tickets WHERE registration_id = $1 AND revoked_at IS NULL`, ids[0])
	if live != 0 {
		t.Error("the erased person holds a live ticket")
	}
}

// Registrations erased before withdrawal existed (waitlisted, anonymised)
// are never promoted, and the admin can still cancel an erased attendee and
// promote the next person.
func TestPromotionPassesOverAnonymisedWaitlist(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	ev, ids := waitlisted(t, f.st, "old.erasure@example.org", "next.waiting@example.org")
	// What an erasure did before: the row stays waitlisted, without identity.
	if _, err := f.st.AnonymiseRegistrations(ctx, f.st.DB, ids[:1]); err != nil {
		t.Fatal(err)
	}
	var attendee store.Registration
	if err := f.st.DB.Get(&attendee, `SELECT r.id, r.email FROM registrations r
		WHERE r.event_id = $1 AND r.status = 'confirmed' AND r.email IS NOT NULL
		  AND EXISTS (SELECT 1 FROM admissions a WHERE a.registration_id = r.id) ORDER BY r.id LIMIT 1`, ev.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Erase(ctx, *attendee.Email, privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.st.Registration(ctx, f.st.DB, attendee.ID); got.Status != store.StatusConfirmed {
		t.Fatalf("an erased attendee of an event under way is %s; the attendance record must stay", got.Status)
	}
	reg := registrations(t, f)
	if err := reg.ResendTicket(ctx, attendee.ID, nil); err == nil {
		t.Error("a ticket was sent again for an erased registration")
	}
	if _, err := reg.ChangeDays(ctx, attendee.ID, nil, nil); err == nil {
		t.Error("the days of an erased registration were changed")
	}
	// Cancelling the erased attendee frees a seat: the next person waiting
	// takes it, passing over the anonymised one.
	if err := reg.Cancel(ctx, attendee.ID, nil); err != nil {
		t.Fatalf("cancelling an erased registration: %v", err)
	}
	old, _ := f.st.Registration(ctx, f.st.DB, ids[0])
	next, _ := f.st.Registration(ctx, f.st.DB, ids[1])
	if old.Status == store.StatusConfirmed || next.Status != store.StatusConfirmed {
		t.Errorf("after the cancellation: anonymised %s, next %s", old.Status, next.Status)
	}
	mustExec(t, f.st, `UPDATE events SET capacity = capacity + 1 WHERE id = $1`, ev.ID)
	if n, err := reg.Promote(ctx, ev.ID, nil); err != nil || n != 0 {
		t.Errorf("promotion with only an anonymised person waiting: %d, %v", n, err)
	}
	if old, _ = f.st.Registration(ctx, f.st.DB, ids[0]); old.Status == store.StatusConfirmed {
		t.Error("an anonymised registration was promoted")
	}
}

// Erasing a confirmed person of a full event not yet over frees their seat,
// and the first person waiting gets it in the same transaction.
func TestErasureOffersTheFreedSeat(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	ev, ids := waitlisted(t, f.st, "next.in.line@example.org")
	var leaving int64
	if err := f.st.DB.Get(&leaving, `SELECT r.id FROM registrations r WHERE r.event_id = $1 AND r.status = 'confirmed'
		AND NOT EXISTS (SELECT 1 FROM admissions a WHERE a.registration_id = r.id) ORDER BY r.id LIMIT 1`, ev.ID); err != nil {
		t.Fatal(err)
	}
	mustExec(t, f.st, `UPDATE registrations SET email = 'leaving@example.org' WHERE id = $1`, leaving)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	svc := privacy.New(f.st, b, "http://example.test", func() time.Time { return testNow }, registrations(t, f).PromoteTx)
	res, err := svc.Erase(ctx, "leaving@example.org", privacy.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Cancelled != 1 || res.Promoted != 1 {
		t.Fatalf("erasure: %+v, want one cancelled and one promoted", res)
	}
	next, _ := f.st.Registration(ctx, f.st.DB, ids[0])
	after, _ := f.st.Event(ctx, f.st.DB, ev.ID)
	if next.Status != store.StatusConfirmed || after.ConfirmedCount != ev.ConfirmedCount {
		t.Errorf("next in line %s; seats %d -> %d", next.Status, ev.ConfirmedCount, after.ConfirmedCount)
	}
}

// A spreadsheet waiting on the import screen may name the person: an erasure
// discards it (the coordinator uploads it again), and so does anonymising.
func TestErasureDiscardsWaitingImportFiles(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	var eventID, userID int64
	if err := f.st.DB.Get(&eventID, `SELECT id FROM events WHERE number = 5`); err != nil {
		t.Fatal(err)
	}
	if err := f.st.DB.Get(&userID, `INSERT INTO users (email, name, role, password_hash) VALUES ('imp@example.org', 'Imp', 'admin', 'x') RETURNING id`); err != nil {
		t.Fatal(err)
	}
	waiting := func() int {
		var n int
		f.st.DB.Get(&n, `SELECT count(*) FROM import_uploads`)
		return n
	}
	upload := func() {
		sum := sha256.Sum256([]byte(time.Now().String()))
		u := store.ImportUpload{EventID: eventID, UserID: userID, SHA256: sum[:], FileName: "people.csv",
			Content: []byte("first_name,last_name,email\nLeaving,Person,leaving.import@example.org\n"), CreatedAt: time.Now()}
		if err := f.st.SaveImportUpload(ctx, f.st.DB, &u); err != nil {
			t.Fatal(err)
		}
	}
	upload()
	mustExec(t, f.st, `INSERT INTO registrations (event_id, status, first_name, last_name, email, country, participation)
		VALUES ($1, 'pending_confirmation', 'Leaving', 'Person', 'leaving.import@example.org', 'LV', 'local')`, eventID)
	if _, err := f.svc.Erase(ctx, "leaving.import@example.org", privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	if n := waiting(); n != 0 {
		t.Errorf("%d import files survived the erasure", n)
	}
	upload()
	if _, err := f.svc.AnonymiseProject(ctx, "decode", privacy.Actor{Label: "cli"}); err != nil {
		t.Fatal(err)
	}
	if n := waiting(); n != 0 {
		t.Errorf("%d import files survived anonymising the project", n)
	}
}
