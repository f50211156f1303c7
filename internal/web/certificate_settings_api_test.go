package web_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// The programme API sets an event's certificate signatory and automatic
// send; a too long name is refused with its field and stores nothing.
func TestCertificateSettingsAPI(t *testing.T) {
	f := newFixture(t, nil)
	c := f.as(t, "token-report")
	send := func(method, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, "/api/v1/events/"+f.eventA.Slug+"/certificate-settings", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+c.bearer)
		if body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		rec := httptest.NewRecorder()
		f.srv.Handler().ServeHTTP(rec, req)
		return rec
	}
	if rec := send(http.MethodGet, ""); rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"auto_send":false`) {
		t.Fatalf("get: %d %s", rec.Code, rec.Body)
	}
	rec := send(http.MethodPatch, `{"signatory_name": "  Inese   Ozola ", "signatory_position": "Head of department", "auto_send": true}`)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"signatory_name":"Inese Ozola"`) || !strings.Contains(rec.Body.String(), `"auto_send":true`) {
		t.Fatalf("patch: %d %s", rec.Code, rec.Body)
	}
	rec = send(http.MethodPatch, `{"signatory_name": "`+strings.Repeat("x", 201)+`"}`)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), "signatory_name") {
		t.Fatalf("too long: %d %s", rec.Code, rec.Body)
	}
	rec = send(http.MethodPatch, `{"auto_send": false, "signatory_position": null}`)
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"signatory_name":"Inese Ozola","signatory_position":"","auto_send":false`) {
		t.Fatalf("clear: %d %s", rec.Code, rec.Body)
	}
	var n int
	f.st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE action = 'event.certificate_settings'`)
	if n != 2 {
		t.Fatalf("%d audit entries", n)
	}
}
