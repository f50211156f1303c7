package privacy_test

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/store"
)

// A person's attendance certificate is in their data export: its code, the
// days it states, when it was issued and e-mailed, and the link that checks it.
func TestCertificateExported(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	email, ids := twoEventPerson(t, f.st)
	r, err := f.st.Registration(ctx, f.st.DB, ids[0])
	if err != nil {
		t.Fatal(err)
	}
	pub, priv, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	key := store.EventKey{EventID: r.EventID, KID: "certtest", PublicKey: pub, PrivateKey: priv}
	if err := f.st.CreateEventKey(ctx, f.st.DB, &key); err != nil {
		t.Fatal(err)
	}
	keyID := key.ID
	var first string
	if err := f.st.DB.Get(&first, `SELECT first_day::text FROM events WHERE id = $1`, r.EventID); err != nil {
		t.Fatal(err)
	}
	id, err := f.st.ReserveCertificateID(ctx, f.st.DB)
	if err != nil {
		t.Fatal(err)
	}
	c := store.Certificate{ID: id, RegistrationID: r.ID, EventID: r.EventID, KeyID: keyID, Code: "C-TEST-CODE",
		Days: []string{first}, Language: "lv"}
	if ok, err := f.st.InsertCertificate(ctx, f.st.DB, &c); err != nil || !ok {
		t.Fatalf("certificate: %v %v", ok, err)
	}
	if err := f.st.MarkCertificateMailed(ctx, f.st.DB, id); err != nil {
		t.Fatal(err)
	}
	x, err := f.svc.ExportPerson(ctx, privacy.ExportRequest{Email: email, Format: "json", Channel: "cli", Lang: "en"}, privacy.Actor{Label: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	var got *privacy.ExportCertificate
	others := 0
	for _, xr := range x.Registrations {
		if xr.ID == r.ID {
			got = xr.Certificate
		} else if xr.Certificate != nil {
			others++
		}
	}
	if got == nil || got.Code != "C-TEST-CODE" || len(got.Days) != 1 || got.Days[0] != first || got.MailedAt == nil ||
		got.IssuedAt.IsZero() || got.VerifyURL != "http://example.test/verify/C-TEST-CODE" || others != 0 {
		t.Fatalf("exported certificate: %+v (others %d)", got, others)
	}
	b, err := json.Marshal(x)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"certificate":{"code":"C-TEST-CODE"`, `"verify_url":"http://example.test/verify/C-TEST-CODE"`, `"mailed_at":`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("JSON export lacks %s", want)
		}
	}
}
