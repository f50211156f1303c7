package public_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/tickets"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// TestTownInReadersLanguage: the home list and the event page name the
// demo's Lodz event's town as the reader's language does (Łódź in Polish,
// Lodzė in Lithuanian), never as the bare typed "Lodz".
func TestTownInReadersLanguage(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo})
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	get := func(path string) string {
		t.Helper()
		resp, err := http.Get(s.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
		return string(b)
	}
	for lang, town := range map[string]string{"pl": "Łódź", "lt": "Lodzė"} {
		for _, path := range []string{"/" + lang + "/", "/" + lang + "/events/decode-4-lodz"} {
			body := get(path)
			if !strings.Contains(body, "<dd>"+town+", ") {
				t.Errorf("%s: no place line with %q", path, town)
			}
			if strings.Contains(body, "<dd>Lodz, ") {
				t.Errorf("%s: place line names the bare typed town Lodz", path)
			}
		}
		// The calendar's location, and the venue line of tickets, e-mails
		// and certificates (one function, tickets.VenueLine).
		if ics := get("/" + lang + "/events/decode-4-lodz/calendar.ics"); !strings.Contains(ics, town) {
			t.Errorf("%s calendar: no %q in\n%s", lang, town, ics)
		}
		ev, err := s.Store.EventBySlug(context.Background(), s.Store.DB, "decode-4-lodz")
		if err != nil {
			t.Fatal(err)
		}
		if line := tickets.VenueLine(bundle.Localizer(lang), ev); !strings.Contains(line, town) || strings.Contains(line, "Lodz,") {
			t.Errorf("%s venue line %q", lang, line)
		}
	}
}
