package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/registration/regtest"
)

func TestImportCommand(t *testing.T) {
	url, st := testStore(t)
	f := regtest.NewFixture(t, st, "cli-import", nil)
	vars := map[string]string{"DATABASE_URL": url, "ATTEND_BASE_URL": "https://attend.example.org", "ATTEND_DATA_DIR": t.TempDir(),
		"ATTEND_SECRET_KEY_FILE": dbtest.KeyFile(t)}
	cli := inProcess(vars)
	dir := t.TempDir()
	good := filepath.Join(dir, "people.csv")
	os.WriteFile(good, []byte("first_name;last_name;email;city;country;participation;partner\nJūratė;Žemaitė;jurate@example.lt;Kaunas;LT;invited;kaunas\nAin;Tamm;;Tartu;Estonia;other;\n"), 0o600)
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("first_name,last_name,email,city,country,participation\nAin,Tamm,ain@,Tartu,EE,other\nLiis,Kask,,Tartu,EE,visitor\n"), 0o600)
	registrations := func() int {
		var n int
		st.DB.Get(&n, `SELECT count(*) FROM registrations WHERE event_id = $1`, f.Event.ID)
		return n
	}

	out, errOut, code := cli("import", "--event", f.Event.Slug, "--file", good, "--dry-run")
	if code != 0 || !strings.Contains(out, "rows read:           2") || !strings.Contains(out, "created:             2") || !strings.Contains(out, "dry run") {
		t.Fatalf("dry run: %d %q %q", code, out, errOut)
	}
	if n := registrations(); n != 0 {
		t.Fatalf("a dry run stored %d", n)
	}

	out, errOut, code = cli("import", "--event", f.Event.Slug, "--file", bad)
	if code != 1 || !strings.Contains(errOut, "row 2, column C (email): ") || !strings.Contains(errOut, "row 3, column F (participation): ") ||
		!strings.Contains(errOut, "nothing was stored") {
		t.Fatalf("bad file: %d %q %q", code, out, errOut)
	}
	if n := registrations(); n != 0 {
		t.Fatalf("a bad file stored %d", n)
	}

	out, _, code = cli("import", "--event", f.Event.Slug, "--file", good, "--json")
	var res struct {
		Rows, Created, Updated, Admissions int
		Errors                             []any
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Rows != 2 || res.Created != 2 || len(res.Errors) != 0 {
		t.Fatalf("import: %d %q", code, out)
	}
	var actor string
	st.DB.Get(&actor, `SELECT actor FROM audit_log WHERE action = 'registrations.import'`)
	if actor != "cli" {
		t.Fatalf("audited as %q", actor)
	}
	out, _, code = cli("import", "--event", f.Event.Slug, "--file", good)
	if code != 0 || !strings.Contains(out, "created:             0") || !strings.Contains(out, "unchanged:           2") {
		t.Fatalf("again: %d %q", code, out)
	}
	if _, _, code := cli("import", "--file", good); code != 2 {
		t.Fatalf("no --event: exit %d", code)
	}
}
