package mail_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	netmail "net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/mail"
	"github.com/decode-attend/attend/internal/mailtest"
	"github.com/decode-attend/attend/internal/notify"
	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
	"github.com/decode-attend/attend/internal/tickets"
)

type env struct {
	st     *store.Store
	n      *mail.Notifier
	events []store.Event
}

func setup(t *testing.T) env {
	t.Helper()
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.ProjectEvents(ctx, st.DB, p.ID)
	if err != nil || len(evs) < 2 {
		t.Fatalf("events: %v (%d)", err, len(evs))
	}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	n, err := mail.NewNotifier(st, b, "https://attend.example.lv")
	if err != nil {
		t.Fatal(err)
	}
	return env{st: st, n: n, events: evs}
}

func (e env) register(t *testing.T, ev store.Event, lang, email, status string) store.Registration {
	t.Helper()
	r := store.Registration{
		EventID: ev.ID, Status: store.Status(status), FirstName: "Anna", LastName: "Bērziņa-Ščepaņska", Country: "LV",
		City: "Daugavpils", Participation: "local", Language: lang, ManageNonce: nonce(),
	}
	if email != "" {
		r.Email = &email
	}
	if err := e.st.InsertRegistration(context.Background(), e.st.DB, &r, ev.Days()); err != nil {
		t.Fatal(err)
	}
	return r
}

func nonce() []byte {
	b := make([]byte, 16)
	rand.Read(b)
	return b
}

func (e env) notice(r store.Registration, ev store.Event) notify.Notice {
	return notify.Notice{
		Registration: r, Event: ev, Days: ev.Days(),
		ManageURL:  "https://attend.example.lv/" + r.Language + "/r/" + itoa(r.ID) + "/secret-token",
		ConfirmURL: "https://attend.example.lv/" + r.Language + "/confirm/confirm-token",
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func (e env) inTx(t *testing.T, fn func(tx *sqlx.Tx) error) {
	t.Helper()
	if err := e.st.InTx(context.Background(), fn); err != nil {
		t.Fatal(err)
	}
}

func need(t *testing.T, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed (make test-deps)", tool)
		}
	}
}

// The ticket e-mail, delivered over SMTP to mailpit: language, links, MIME
// structure, and a QR that zbarimg decodes to a payload that verifies with
// the event's key, fails when altered, and fails at another event.
func TestTicketMailEndToEnd(t *testing.T) {
	need(t, "zbarimg", "pdftotext")
	e := setup(t)
	ctx := context.Background()
	evA, evB := e.events[0], e.events[1]
	r := e.register(t, evA, "lv", "anna@example.org", "confirmed")
	no := e.notice(r, evA)
	e.inTx(t, func(tx *sqlx.Tx) error { return e.n.Confirmed(ctx, tx, no) })
	// Event B needs keys of its own for the wrong-event check.
	e.inTx(t, func(tx *sqlx.Tx) error { _, err := e.n.Tickets.SigningKey(ctx, tx, evB.ID); return err })

	mp := mailtest.Start(t)
	sender, err := mail.NewSender(mp.SMTPURL, "DeCoDe Attend <no-reply@attend.example.lv>")
	if err != nil {
		t.Fatal(err)
	}
	w := &outbox.Worker{Store: e.st, Sender: sender}
	if n, err := w.RunOnce(ctx); err != nil || n != 1 {
		t.Fatalf("worker: %d, %v", n, err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	list, err := mp.WaitFor(wctx, "anna@example.org", 1)
	if err != nil {
		t.Fatal(err)
	}
	m, err := mp.Message(list[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	titleLV := evA.Title.In("lv")
	if want := "Jūsu biļete: " + titleLV; m.Subject != want {
		t.Errorf("subject %q, want %q", m.Subject, want)
	}
	for _, body := range []string{m.Text, m.HTML} {
		for _, want := range []string{no.ManageURL, "Anna Bērziņa-Ščepaņska", "Uzrādiet QR kodu"} {
			if !strings.Contains(body, want) {
				t.Errorf("body lacks %q", want)
			}
		}
	}
	if !strings.Contains(m.HTML, `src="cid:`+mail.QRContentID+`"`) || !strings.Contains(m.HTML, `lang="lv"`) {
		t.Error("HTML lacks the inline QR reference or its language")
	}

	// The Message-ID is the one fixed at enqueue.
	rows, _ := e.st.OutboxList(ctx, e.st.DB, store.OutboxFilter{})
	if len(rows) != 1 || rows[0].MessageID != "<"+m.MessageID+">" || rows[0].Status != "sent" {
		t.Fatalf("outbox rows %+v, received Message-ID %q", rows, m.MessageID)
	}

	// MIME structure.
	raw, err := mp.Raw(m.ID)
	if err != nil {
		t.Fatal(err)
	}
	tree := mimeTree(t, raw)
	for _, want := range []string{
		"multipart/mixed",
		"multipart/mixed>multipart/related",
		"multipart/related>multipart/alternative",
		"multipart/alternative>text/plain",
		"multipart/alternative>text/html",
		"multipart/related>image/png",
		"multipart/mixed>application/pdf",
		"multipart/mixed>text/calendar",
	} {
		if !tree[want] {
			t.Errorf("MIME structure lacks %s; have %v", want, keys(tree))
		}
	}
	if len(m.Inline) != 1 || m.Inline[0].ContentID != mail.QRContentID {
		t.Fatalf("inline parts %+v", m.Inline)
	}

	// The QR decodes with an independent reader and verifies.
	png, err := mp.PartBytes(m.ID, m.Inline[0].PartID)
	if err != nil {
		t.Fatal(err)
	}
	payload := zbar(t, png)
	keysA, err := e.n.Tickets.PublicKeys(ctx, e.st.DB, evA.ID)
	if err != nil {
		t.Fatal(err)
	}
	claims, err := ticketcode.Verify(payload, evA.ID, keysA)
	if err != nil {
		t.Fatalf("the e-mailed QR does not verify: %v", err)
	}
	live, err := e.st.LiveTicket(ctx, e.st.DB, r.ID)
	if err != nil || claims.TicketID != live.ID || payload != live.Payload {
		t.Fatalf("payload is not the live ticket: %+v %v", claims, err)
	}
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567:1"
	for i := range payload {
		for _, c := range []byte{alphabet[(strings.IndexByte(alphabet, payload[i])+1)%len(alphabet)], 'Q'} {
			if c == payload[i] {
				continue
			}
			flipped := payload[:i] + string(c) + payload[i+1:]
			if _, err := ticketcode.Verify(flipped, evA.ID, keysA); err == nil {
				t.Fatalf("payload with character %d changed to %q verifies", i, c)
			}
		}
	}
	keysB, _ := e.n.Tickets.PublicKeys(ctx, e.st.DB, evB.ID)
	if _, err := ticketcode.Verify(payload, evB.ID, keysB); !errors.Is(err, ticketcode.ErrWrongEvent) {
		t.Errorf("ticket of event A at event B: %v, want ErrWrongEvent", err)
	}

	// The PDF ticket and the calendar file.
	var pdfPart, icsPart mailtest.Part
	for _, a := range m.Attachments {
		switch {
		case a.ContentType == "application/pdf":
			pdfPart = a
		case strings.HasPrefix(a.ContentType, "text/calendar"):
			icsPart = a
		}
	}
	if pdfPart.PartID == "" || icsPart.PartID == "" {
		t.Fatalf("attachments %+v", m.Attachments)
	}
	pdf, _ := mp.PartBytes(m.ID, pdfPart.PartID)
	text := pdfText(t, pdf)
	for _, want := range []string{"Anna Bērziņa-Ščepaņska", "Biļete", tickets.FormatCode(live.Code), "Biļetes kods"} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	ics, _ := mp.PartBytes(m.ID, icsPart.PartID)
	if !bytes.Contains(ics, []byte("BEGIN:VCALENDAR")) || !bytes.Contains(ics, []byte("DTSTART")) {
		t.Errorf("calendar attachment:\n%s", ics)
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// mimeTree lists "parent>child" content types of a raw message.
func mimeTree(t *testing.T, raw []byte) map[string]bool {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	var walk func(parent, ct string, body io.Reader)
	walk = func(parent, ct string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatalf("content type %q: %v", ct, err)
		}
		if parent == "" {
			out[mt] = true
		} else {
			out[parent+">"+mt] = true
		}
		if !strings.HasPrefix(mt, "multipart/") {
			return
		}
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			walk(mt, p.Header.Get("Content-Type"), p)
		}
	}
	walk("", msg.Header.Get("Content-Type"), msg.Body)
	return out
}

func zbar(t *testing.T, png []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "qr.png")
	if err := os.WriteFile(f, png, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("zbarimg", "--raw", "-q", f).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	f := filepath.Join(t.TempDir(), "t.pdf")
	if err := os.WriteFile(f, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
