package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/registration/regtest"
)

func TestCertificatesCommand(t *testing.T) {
	url, st := testStore(t)
	f := regtest.NewFixture(t, st, "cli-certs", nil)
	vars := map[string]string{"DATABASE_URL": url, "ATTEND_BASE_URL": "https://attend.example.org", "ATTEND_DATA_DIR": t.TempDir(),
		"ATTEND_SECRET_KEY_FILE": dbtest.KeyFile(t)}
	cli := inProcess(vars)
	file := filepath.Join(t.TempDir(), "people.csv")
	// Nothing is sent while the event is ahead; then it is moved into the
	// past and people are imported with the day one of them attended.
	if _, _, code := cli("certificates", "send", "--event", f.Event.Slug); code != 1 {
		t.Fatalf("send before the event: exit %d", code)
	}
	shift := int(f.Event.LastDay.Sub(time.Now().UTC().Truncate(24*time.Hour)).Hours()/24) + 2
	for _, q := range []string{
		`UPDATE event_days SET day = day - $2::int WHERE event_id = $1`,
		`UPDATE events SET first_day = first_day - $2::int, last_day = last_day - $2::int WHERE id = $1`,
	} {
		if _, err := st.DB.Exec(q, f.Event.ID, shift); err != nil {
			t.Fatal(err)
		}
	}
	day := f.Event.FirstDay.AddDate(0, 0, -shift).Format("2006-01-02")
	os.WriteFile(file, []byte("first_name;last_name;email;city;country;participation;days;attended\n"+
		"Ain;Tamm;ain@example.ee;Tartu;EE;other;"+day+";"+day+"\nLiis;Kask;liis@example.ee;Tartu;EE;other;"+day+";\n"), 0o600)
	if out, errOut, code := cli("import", "--event", f.Event.Slug, "--file", file); code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	out, _, code := cli("certificates", "send", "--event", f.Event.Slug, "--dry-run")
	if code != 0 || !strings.Contains(out, "attendees:           1") || !strings.Contains(out, "e-mailed:            1") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %d %q", code, out)
	}
	out, _, code = cli("certificates", "send", "--event", f.Event.Slug)
	if code != 0 || !strings.Contains(out, "issued:              1") || !strings.Contains(out, "e-mailed:            1") {
		t.Fatalf("send: %d %q", code, out)
	}
	var to []string
	st.DB.Select(&to, `SELECT to_addr FROM outbox WHERE kind = 'certificate'`)
	if len(to) != 1 || to[0] != "ain@example.ee" {
		t.Fatalf("certificate messages to %v", to)
	}
	out, _, code = cli("certificates", "send", "--event", f.Event.Slug)
	if code != 0 || !strings.Contains(out, "issued:              0") || !strings.Contains(out, "e-mailed:            0") {
		t.Fatalf("again: %d %q", code, out)
	}
	var actor string
	st.DB.Get(&actor, `SELECT actor FROM audit_log WHERE action = 'certificates.send'`)
	if actor != "cli" {
		t.Fatalf("audited as %q", actor)
	}
	if _, _, code := cli("certificates", "send"); code != 2 {
		t.Fatalf("no --event: exit %d", code)
	}
	if _, _, code := cli("certificates", "send", "--event", "nope"); code != 1 {
		t.Fatalf("unknown event: exit %d", code)
	}
}
