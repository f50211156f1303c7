package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/store"
)

// The CLI contract: export prints JSON, erase and anonymize refuse without --yes.
func TestPrivacyCommands(t *testing.T) {
	ctx := context.Background()
	url, st := demoStore(t)
	var email string
	st.DB.Get(&email, `SELECT email FROM registrations WHERE email IS NOT NULL ORDER BY id LIMIT 1`)
	env := []string{"DATABASE_URL=" + url}

	out, errOut, code := attend(t, env, "privacy", "export", "--email", strings.ToUpper(email))
	var x struct {
		HandlingNotice string `json:"handling_notice"`
		Registrations  []struct {
			Email string `json:"email"`
		} `json:"registrations"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &x) != nil || len(x.Registrations) != 1 || x.Registrations[0].Email != email || x.HandlingNotice == "" {
		t.Fatalf("export: exit %d\n%s\n%s", code, out, errOut)
	}
	for _, args := range [][]string{{"privacy", "erase", "--email", email}, {"privacy", "anonymize", "--project", "decode"}} {
		_, errOut, code := attend(t, env, args...)
		if code != 2 || !strings.Contains(errOut, "--yes") {
			t.Errorf("%v without --yes: exit %d, %s", args, code, errOut)
		}
	}
	if _, errOut, code := attend(t, env, "privacy", "export", "--email", "not-an-address"); code != 2 {
		t.Errorf("bad address: exit %d %s", code, errOut)
	}
	out, errOut, code = attend(t, env, "privacy", "erase", "--email", email, "--yes")
	if code != 0 || !strings.Contains(out, "erased: 1 registrations") {
		t.Fatalf("erase: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = attend(t, env, "privacy", "anonymize", "--project", "decode", "--yes")
	if code != 0 || !strings.Contains(out, "anonymised") {
		t.Fatalf("anonymize: exit %d\n%s\n%s", code, out, errOut)
	}
	var left int
	st.DB.Get(&left, `SELECT count(*) FROM registrations WHERE anonymised_at IS NULL OR email IS NOT NULL`)
	if left != 0 {
		t.Errorf("%d registrations left with identity", left)
	}
	es, _ := st.Audit(ctx, st.DB, store.AuditFilter{Actor: "cli"})
	if len(es) != 3 {
		t.Errorf("audit entries by the CLI: %d, want 3 (export, erase, anonymise)", len(es))
	}
	if _, _, code := attend(t, env, "privacy", "anonymize", "--project", "nope", "--yes"); code != 1 {
		t.Errorf("unknown project: exit %d", code)
	}
}
