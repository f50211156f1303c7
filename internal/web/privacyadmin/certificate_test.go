package privacyadmin_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
)

// The person's own data page and its JSON list their attendance
// certificate: code, days, issued and e-mailed, and the verification link.
func TestMyDataCertificate(t *testing.T) {
	e := setup(t)
	ctx := context.Background()
	var r store.Registration
	if err := e.st.DB.Get(&r.ID, `SELECT id FROM registrations WHERE email = $1`, e.email); err != nil {
		t.Fatal(err)
	}
	r, err := e.st.Registration(ctx, e.st.DB, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, _ := ed25519.GenerateKey(nil)
	key := store.EventKey{EventID: r.EventID, KID: "certpage", PublicKey: pub, PrivateKey: priv}
	if err := e.st.CreateEventKey(ctx, e.st.DB, &key); err != nil {
		t.Fatal(err)
	}
	var first string
	e.st.DB.Get(&first, `SELECT first_day::text FROM events WHERE id = $1`, r.EventID)
	id, _ := e.st.ReserveCertificateID(ctx, e.st.DB)
	c := store.Certificate{ID: id, RegistrationID: r.ID, EventID: r.EventID, KeyID: key.ID, Code: "CERT-PAGE-1", Days: []string{first}, Language: "de"}
	if ok, err := e.st.InsertCertificate(ctx, e.st.DB, &c); !ok || err != nil {
		t.Fatalf("certificate: %v %v", ok, err)
	}
	if err := e.st.MarkCertificateMailed(ctx, e.st.DB, id); err != nil {
		t.Fatal(err)
	}
	res, body := e.do(t, "GET", e.regPath+"/my-data", nil, false)
	if res.StatusCode != 200 || !strings.Contains(body, "Teilnahmebescheinigung") || !strings.Contains(body, "<code>CERT-PAGE-1</code>") ||
		!strings.Contains(body, `href="http://example.test/verify/CERT-PAGE-1"`) || !strings.Contains(body, "per E-Mail gesendet") {
		t.Fatalf("my data page: %d\n%s", res.StatusCode, body)
	}
	res, body = e.do(t, "GET", e.regPath+"/my-data.json", nil, false)
	var x privacy.Export
	if res.StatusCode != 200 || json.Unmarshal([]byte(body), &x) != nil || len(x.Registrations) != 1 {
		t.Fatalf("my data JSON: %d %s", res.StatusCode, body)
	}
	xc := x.Registrations[0].Certificate
	if xc == nil || xc.Code != "CERT-PAGE-1" || len(xc.Days) != 1 || xc.Days[0] != first || xc.MailedAt == nil ||
		xc.VerifyURL != "http://example.test/verify/CERT-PAGE-1" {
		t.Fatalf("certificate in the JSON: %+v", xc)
	}
}
