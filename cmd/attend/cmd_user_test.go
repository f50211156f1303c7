package main

import (
	"bytes"
	"context"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
)

// attendIn runs the binary with stdin.
func attendIn(t *testing.T, env []string, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, binary, args...)
	cmd.Env = append(baseEnv(t), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return o.String(), e.String(), code
}

// The operator contract of issue 7: user add, token add/revoke, event list/set.
func TestAccountAndEventCommands(t *testing.T) {
	ctx := context.Background()
	url, st := demoStore(t)
	env := []string{"DATABASE_URL=" + url}

	// Password from stdin.
	out, errOut, code := attendIn(t, env, "first admin password\n", "user", "add", "--email", "admin@example.org",
		"--name", "Ada Admin", "--role", "admin")
	if code != 0 || strings.Contains(out, "password:") {
		t.Fatalf("user add: %d\n%s\n%s", code, out, errOut)
	}
	u, err := st.UserByEmail(ctx, st.DB, "admin@example.org")
	if err != nil || !auth.CheckPassword(u.PasswordHash, "first admin password") || u.Role != "admin" {
		t.Fatalf("admin: %+v %v", u, err)
	}
	// No stdin: a password is generated and printed once.
	out, errOut, code = attendIn(t, env, "", "user", "add", "--email", "door@example.org", "--name", "Dan",
		"--role", "door", "--event", "decode-4-lodz")
	if code != 0 || !strings.HasPrefix(out, "password: ") {
		t.Fatalf("door: %d\n%s\n%s", code, out, errOut)
	}
	pw := strings.TrimSpace(strings.TrimPrefix(strings.SplitN(out, "\n", 2)[0], "password: "))
	door, _ := st.UserByEmail(ctx, st.DB, "door@example.org")
	if !auth.CheckPassword(door.PasswordHash, pw) {
		t.Fatal("printed password does not work")
	}
	if gs, _ := st.UserEvents(ctx, st.DB, door.ID); len(gs) != 1 {
		t.Fatalf("door grants: %v", gs)
	}
	if _, errOut, code := attendIn(t, env, "", "user", "add", "--email", "c@example.org", "--name", "Cora", "--role", "coordinator", "--project", "decode"); code != 0 {
		t.Fatalf("coordinator add: %d %s", code, errOut)
	}
	if c, _ := st.UserByEmail(ctx, st.DB, "c@example.org"); c.ProjectID == nil {
		t.Fatal("coordinator without project")
	}
	_, _, code = attendIn(t, env, "", "user", "add", "--email", "p@example.org", "--name", "Pia", "--role", "partner", "--partner", "Kaunas")
	if code != 0 {
		t.Fatalf("partner add: %d", code)
	}
	if p, _ := st.UserByEmail(ctx, st.DB, "p@example.org"); p.PartnerID == nil {
		t.Fatal("partner coordinator without partner")
	}
	for _, args := range [][]string{
		{"user", "add", "--email", "admin@example.org", "--name", "Again", "--role", "admin"},
		{"user", "add", "--email", "x@example.org", "--name", "X", "--role", "root"},
		{"user", "add", "--email", "x@example.org", "--name", "X", "--role", "partner"},
		{"user", "add", "--name", "X"},
	} {
		if _, errOut, code := attendIn(t, env, "", args...); code != 2 {
			t.Errorf("%v: exit %d %s", args, code, errOut)
		}
	}

	// Tokens: the token alone on the first line; revoke by id.
	out, errOut, code = attend(t, env, "token", "add", "--user", "admin@example.org", "--scope", "admin")
	first := strings.SplitN(out, "\n", 2)[0]
	if code != 0 || !strings.HasPrefix(first, auth.TokenPrefix) {
		t.Fatalf("token add: %d %q %s", code, out, errOut)
	}
	a := auth.New(st, time.Now)
	if p, err := a.Bearer(ctx, first); err != nil || !p.HasScope("admin") {
		t.Fatalf("token: %v", err)
	}
	if _, _, code := attend(t, env, "token", "add", "--user", "door@example.org", "--scope", "admin"); code != 2 {
		t.Errorf("door with admin scope: exit %d", code)
	}
	toks, _ := st.TokenViews(ctx, st.DB, u.ID)
	if _, _, code := attend(t, env, "token", "revoke", cliItoa(toks[0].ID)); code != 0 {
		t.Fatalf("revoke: %d", code)
	}
	if _, err := a.Bearer(ctx, first); err == nil {
		t.Fatal("revoked token works")
	}
	if _, _, code := attend(t, env, "token", "revoke", cliItoa(toks[0].ID)); code != 1 {
		t.Errorf("revoke twice: %d", code)
	}

	// Events.
	out, _, code = attend(t, env, "event", "list")
	if code != 0 || !strings.Contains(out, "SLUG") || strings.Count(out, "decode-") != 5 || !strings.Contains(out, "decode-4-lodz") {
		t.Fatalf("event list: %d\n%s", code, out)
	}
	out, errOut, code = attend(t, env, "event", "set", "decode-5-daugavpils", "--capacity", "450", "--registration", "closed")
	if code != 0 {
		t.Fatalf("event set: %d %s %s", code, out, errOut)
	}
	e, _ := st.EventBySlug(ctx, st.DB, "decode-5-daugavpils")
	if e.Capacity == nil || *e.Capacity != 450 || e.RegistrationState != "closed" {
		t.Fatalf("event not set: %+v", e)
	}
	if _, _, code := attend(t, env, "event", "set", "decode-4-lodz", "--capacity", "1"); code != 2 {
		t.Errorf("capacity below confirmed seats: exit %d", code)
	}
	if _, _, code := attend(t, env, "event", "set", "decode-4-lodz", "--registration", "maybe"); code != 2 {
		t.Errorf("bad state: exit %d", code)
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM audit_log WHERE actor = 'cli' AND action IN ('user.create', 'token.create', 'token.revoke', 'event.settings')`)
	if n != 7 {
		t.Errorf("cli audit lines: %d", n)
	}
}

func cliItoa(n int64) string { return strconv.FormatInt(n, 10) }
