package public_test

import (
	"context"
	"crypto/rand"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/tickets"
)

// ticketRegistration stores a registration with a private-link nonce and
// returns it with its private link path in lang.
func ticketRegistration(t *testing.T, e *env, status, first, lang string) (store.Registration, string) {
	t.Helper()
	ctx := context.Background()
	nonce := make([]byte, 16)
	rand.Read(nonce)
	email := strings.ToLower(status) + "-" + lang + "@example.org"
	r := store.Registration{
		EventID: e.f.Event.ID, Status: store.Status(status), FirstName: first, LastName: "Kalniņa", Email: &email,
		Country: "LV", Participation: "local", Language: lang, ManageNonce: nonce, Organisation: "Daugavpils dome",
	}
	if err := e.st.InsertRegistration(ctx, e.st.DB, &r, e.f.Event.Days()); err != nil {
		t.Fatal(err)
	}
	if status == "confirmed" {
		if _, err := tickets.New(e.st).Issue(ctx, e.st.DB, r.ID, "issued"); err != nil {
			t.Fatal(err)
		}
	}
	path, err := registration.New(e.st, nil, nil, e.srv.URL, time.Now).ManagePath(ctx, e.st.DB, r, lang)
	if err != nil {
		t.Fatal(err)
	}
	return r, path
}

func TestTicketPage(t *testing.T) {
	e := newEnv(t, nil)
	hostile := `<script>alert(1)</script>"><img src=x onerror=alert(2)>`
	r, link := ticketRegistration(t, e, "confirmed", hostile, "lv")
	live, err := e.st.LiveTicket(context.Background(), e.st.DB, r.ID)
	if err != nil {
		t.Fatal(err)
	}

	resp, body := e.get(t, link+"/ticket")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("ticket page: %d\n%s", resp.StatusCode, body)
	}
	for _, want := range []string{
		`<html lang="lv">`, "Biļete", link + "/qr.svg", link + "/ticket.pdf", link + "/ticket.pdf?size=phone",
		link + "/calendar.ics", tickets.FormatCode(live.Code), "&lt;script&gt;alert(1)&lt;/script&gt;",
		`media="print"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("ticket page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert") || strings.Contains(body, "<img src=x") {
		t.Error("hostile name rendered as markup")
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("ticket page Cache-Control %q", cc)
	}

	// The SVG for the page, cached privately, revalidated by ETag.
	resp, svg := e.get(t, link+"/qr.svg")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(svg, "<svg") {
		t.Fatalf("qr.svg: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if cc := resp.Header.Get("Cache-Control"); !strings.HasPrefix(cc, "private") {
		t.Errorf("qr.svg Cache-Control %q, want private", cc)
	}
	req, _ := http.NewRequest(http.MethodGet, e.srv.URL+link+"/qr.svg", nil)
	req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
	if resp, _ := e.do(t, req); resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation: %d, want 304", resp.StatusCode)
	}

	// The PNG decodes to the live payload with an independent reader.
	if _, err := exec.LookPath("zbarimg"); err == nil {
		resp, png := e.get(t, link+"/qr.png")
		if resp.Header.Get("Content-Type") != "image/png" {
			t.Fatalf("qr.png: %s", resp.Header.Get("Content-Type"))
		}
		f := filepath.Join(t.TempDir(), "qr.png")
		os.WriteFile(f, []byte(png), 0o600)
		out, err := exec.Command("zbarimg", "--raw", "-q", f).Output()
		if err != nil || strings.TrimSpace(string(out)) != live.Payload {
			t.Errorf("qr.png decodes to %q (%v), want the live payload", out, err)
		}
	}

	// The PDF, A4 and phone-sized, with the name as typed (as text, not markup).
	if _, err := exec.LookPath("pdftotext"); err == nil {
		for _, q := range []string{"", "?size=phone"} {
			resp, pdf := e.get(t, link+"/ticket.pdf"+q)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/pdf" {
				t.Fatalf("ticket.pdf%s: %d %s", q, resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			f := filepath.Join(t.TempDir(), "t.pdf")
			os.WriteFile(f, []byte(pdf), 0o600)
			out, err := exec.Command("pdftotext", "-enc", "UTF-8", f, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			text := strings.Join(strings.Fields(string(out)), " ")
			for _, want := range []string{"Biļete", "Kalniņa", tickets.FormatCode(live.Code), "Biļetes kods"} {
				if !strings.Contains(text, want) {
					t.Errorf("ticket.pdf%s text lacks %q:\n%s", q, want, text)
				}
			}
			info, _ := exec.Command("pdfinfo", f).Output()
			wantSize := "595.28 x 841.89"
			if q != "" {
				wantSize = "270 x 480"
			}
			if len(info) > 0 && !strings.Contains(string(info), wantSize) {
				t.Errorf("ticket.pdf%s page size: %s", q, info)
			}
		}
	}

	// Another language through the same link.
	en := strings.Replace(link, "/lv/", "/en/", 1)
	if _, body := e.get(t, en+"/ticket"); !strings.Contains(body, "Show this QR code at the entrance.") {
		t.Error("English ticket page is not in English")
	}
}

func TestTicketPageRefusals(t *testing.T) {
	e := newEnv(t, nil)
	_, link := ticketRegistration(t, e, "confirmed", "Jānis", "en")
	_, waiting := ticketRegistration(t, e, "waitlisted", "Pēteris", "en")
	parts := strings.Split(link, "/") // "", lang, "r", id, token
	wrongToken := strings.Join(append(parts[:4:4], strings.Repeat("a", len(parts[4]))), "/")
	cases := []struct {
		name, path string
		status     int
		want       string
	}{
		{"wrong token", wrongToken + "/ticket", 404, ""},
		{"wrong token qr", wrongToken + "/qr.png", 404, ""},
		{"bad id", "/en/r/x/" + parts[4] + "/ticket", 404, ""},
		{"other id", "/en/r/999999/" + parts[4] + "/ticket.pdf", 404, ""},
		{"waitlisted page", waiting + "/ticket", 200, "You are on the waiting list."},
		{"waitlisted qr", waiting + "/qr.svg", 404, ""},
		{"waitlisted pdf", waiting + "/ticket.pdf", 404, ""},
	}
	for _, c := range cases {
		resp, body := e.get(t, c.path)
		if resp.StatusCode != c.status || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d, want %d with %q", c.name, resp.StatusCode, c.status, c.want)
		}
	}
}
