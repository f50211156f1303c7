package admin_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// A coordinator lists the council's sites that may frame the results on the
// event page: a wildcard is refused with the message beside the field and
// nothing stored; the list is stored for the project and audited. Another
// project's coordinator may not change it.
func TestResultsOriginsForm(t *testing.T) {
	s := webtest.New(t, webtest.Options{SelfBaseURL: true})
	st := s.Store
	f := regtest.NewFixture(t, st, "ev-origins", nil)
	do := staffClient(t, st, s.URL, store.User{Email: "coord@origins.lv", Name: "Coordinator", Role: auth.RoleCoordinator,
		ProjectID: &f.Project.ID, Language: "en"})
	eventPath := "/admin/events/" + f.Event.Slug
	resp, page := do(http.MethodGet, eventPath, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `id="embed_origins"`) {
		t.Fatalf("event page %d lacks the sites field", resp.StatusCode)
	}
	csrf := csrfRE.FindStringSubmatch(page)[1]
	stored := func() []string {
		var os []string
		st.DB.Select(&os, `SELECT unnest(embed_origins) FROM projects WHERE id = $1`, f.Project.ID)
		return os
	}
	resp, page = do(http.MethodPost, eventPath+"/results/origins", url.Values{"csrf_token": {csrf}, "embed_origins": {"https://*.daugavpils.lv"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(page, "must be a site address beginning with https://") ||
		!strings.Contains(page, "https://*.daugavpils.lv</textarea>") || len(stored()) != 0 {
		t.Fatalf("wildcard: %d %q", resp.StatusCode, stored())
	}
	resp, _ = do(http.MethodPost, eventPath+"/results/origins", url.Values{"csrf_token": {csrf}, "embed_origins": {"https://www.daugavpils.lv\r\nhttps://kaunas.lt"}})
	if resp.StatusCode != http.StatusSeeOther || strings.Join(stored(), " ") != "https://www.daugavpils.lv https://kaunas.lt" {
		t.Fatalf("save: %d %q", resp.StatusCode, stored())
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'results.embed_origins'`)
	if n != 1 {
		t.Fatalf("%d audit entries", n)
	}
	if _, page = do(http.MethodGet, eventPath, nil); !strings.Contains(page, "https://www.daugavpils.lv\nhttps://kaunas.lt</textarea>") {
		t.Fatal("the stored sites are not shown")
	}

	// Emptied, the list frames nowhere again (stored as an empty list).
	resp, _ = do(http.MethodPost, eventPath+"/results/origins", url.Values{"csrf_token": {csrf}, "embed_origins": {""}})
	if resp.StatusCode != http.StatusSeeOther || len(stored()) != 0 {
		t.Fatalf("emptied: %d %q", resp.StatusCode, stored())
	}
	resp, _ = do(http.MethodPost, eventPath+"/results/origins", url.Values{"csrf_token": {csrf}, "embed_origins": {"https://www.daugavpils.lv\nhttps://kaunas.lt"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("saved again: %d", resp.StatusCode)
	}

	other := regtest.NewFixture(t, st, "ev-origins-other", nil)
	doOther := staffClient(t, st, s.URL, store.User{Email: "coord@other-origins.lv", Name: "Other", Role: auth.RoleCoordinator,
		ProjectID: &other.Project.ID, Language: "en"})
	_, page = doOther(http.MethodGet, "/admin/events/"+other.Event.Slug, nil)
	resp, _ = doOther(http.MethodPost, eventPath+"/results/origins", url.Values{"csrf_token": {csrfRE.FindStringSubmatch(page)[1]},
		"embed_origins": {"https://evil.example"}})
	if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusNotFound {
		t.Fatalf("another project's coordinator: %d", resp.StatusCode)
	}
	if strings.Join(stored(), " ") != "https://www.daugavpils.lv https://kaunas.lt" {
		t.Fatalf("changed by another project's coordinator: %q", stored())
	}
}
