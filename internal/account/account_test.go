package account_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/store"
)

const password = "a long enough passphrase"

type env struct {
	st  *store.Store
	svc *account.Service
	now time.Time
}

func setup(t *testing.T) (*env, store.User) {
	t.Helper()
	st := dbtest.Open(t)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	e := &env{st: st, now: time.Now()}
	clock := func() time.Time { return e.now }
	e.svc = account.New(st, auth.New(st, clock), ratelimit.New(st, clock), b, "https://attend.example.org", clock)
	u, _, err := e.svc.CreateUser(context.Background(), nil, account.UserInput{
		Email: "Ada@Example.org", Name: "Ada", Role: auth.RoleAdmin, Language: "lv", Password: password}, "")
	if err != nil {
		t.Fatal(err)
	}
	return e, u
}

func TestDelay(t *testing.T) {
	for _, c := range []struct {
		n    int
		want time.Duration
	}{{0, 0}, {4, 0}, {5, 30 * time.Second}, {6, time.Minute}, {8, 4 * time.Minute}, {10, account.MaxDelay}, {1000, account.MaxDelay}} {
		if got := account.Delay(c.n); got != c.want {
			t.Errorf("Delay(%d) = %v, want %v", c.n, got, c.want)
		}
	}
}

func TestSignInAndThrottle(t *testing.T) {
	e, u := setup(t)
	ctx := context.Background()
	res, err := e.svc.SignIn(ctx, "ada@example.org", password, "198.51.100.1")
	if err != nil || res.Cookie == "" || res.NeedTOTP || res.User.ID != u.ID {
		t.Fatalf("sign in: %+v %v", res, err)
	}
	if _, err := e.svc.Auth.Session(ctx, res.Cookie); err != nil {
		t.Fatalf("session: %v", err)
	}
	// Unknown account and wrong password answer the same.
	for _, email := range []string{"nobody@example.org", "ada@example.org"} {
		_, err := e.svc.SignIn(ctx, email, "wrong password!", "198.51.100.9")
		if _, ok := apperr.AsInvalid(err); !ok {
			t.Fatalf("%s: %v, want invalid credentials", email, err)
		}
	}
	attacker := "203.0.113.66"
	var th *account.Throttled
	for i := 1; i <= account.FreeFailures; i++ {
		_, err := e.svc.SignIn(ctx, "ada@example.org", "guess", attacker)
		if i < account.FreeFailures && !errors.Is(err, account.ErrCredentials) {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if i == account.FreeFailures && !errors.As(err, &th) {
			t.Fatalf("attempt %d: %v, want throttled", i, err)
		}
	}
	// Even the right password waits from that address...
	if _, err := e.svc.SignIn(ctx, "ada@example.org", password, attacker); !errors.As(err, &th) || !errors.Is(err, apperr.ErrRateLimited) {
		t.Fatalf("throttled address: %v", err)
	}
	// ...but the owner elsewhere is not locked out.
	if _, err := e.svc.SignIn(ctx, "ada@example.org", password, "198.51.100.1"); err != nil {
		t.Fatalf("owner from another address: %v", err)
	}
	// The wait is capped: after MaxDelay the address may try again.
	e.now = e.now.Add(account.MaxDelay + time.Second)
	if _, err := e.svc.SignIn(ctx, "ada@example.org", password, attacker); err != nil {
		t.Fatalf("after the capped delay: %v", err)
	}
	es, err := e.st.Audit(ctx, e.st.DB, store.AuditFilter{Action: "auth.signin"})
	if err != nil || len(es) < 3 {
		t.Fatalf("audit: %d %v", len(es), err)
	}
	for _, x := range es {
		if strings.Contains(string(x.Details), "guess") || strings.Contains(string(x.Details), "ada@") {
			t.Fatalf("audit holds personal data or secrets: %s", x.Details)
		}
	}
}

// Twelve wrong passwords at once must not all be checked: the throttle counts
// each attempt in the statement that lets it through, so at most FreeFailures
// checks happen before the wait, and then even the right password waits.
func TestSignInThrottleParallel(t *testing.T) {
	e, u := setup(t)
	ctx := context.Background()
	const attacker = "203.0.113.77"
	var wg sync.WaitGroup
	errs := make([]error, 12)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = e.svc.SignIn(ctx, "ada@example.org", fmt.Sprintf("wrong guess %d", i), attacker)
		}()
	}
	wg.Wait()
	refused := 0
	for _, err := range errs {
		switch {
		case errors.Is(err, apperr.ErrRateLimited):
			refused++
		case !errors.Is(err, account.ErrCredentials):
			t.Fatalf("parallel attempt: %v", err)
		}
	}
	// Every checked wrong password raises the account's counter and leaves an
	// audit entry; the throttle counts the attempts it let through.
	var failedLogins, counted int
	if err := e.st.DB.GetContext(ctx, &failedLogins, `SELECT failed_logins FROM users WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	if err := e.st.DB.GetContext(ctx, &counted, `SELECT coalesce(sum(failures), 0) FROM signin_throttle`); err != nil {
		t.Fatal(err)
	}
	es, err := e.st.Audit(ctx, e.st.DB, store.AuditFilter{Action: "auth.signin_failed"})
	if err != nil {
		t.Fatal(err)
	}
	if failedLogins > account.FreeFailures || counted > account.FreeFailures || len(es) > account.FreeFailures {
		t.Fatalf("%d parallel wrong passwords: %d checked (audit %d, throttle %d), want at most %d",
			len(errs), failedLogins, len(es), counted, account.FreeFailures)
	}
	if failedLogins != len(es) || refused < len(errs)-account.FreeFailures {
		t.Fatalf("checked %d, audited %d, refused %d of %d", failedLogins, len(es), refused, len(errs))
	}
	var th *account.Throttled
	if _, err := e.svc.SignIn(ctx, "ada@example.org", password, attacker); !errors.As(err, &th) || !th.Until.After(e.now) {
		t.Fatalf("right password while throttled: %v", err)
	}
}

func TestDisabledCannotSignIn(t *testing.T) {
	e, u := setup(t)
	ctx := context.Background()
	res, err := e.svc.SignIn(ctx, "ada@example.org", password, "198.51.100.1")
	if err != nil {
		t.Fatal(err)
	}
	other, _, err := e.svc.CreateUser(ctx, nil, account.UserInput{Email: "bo@example.org", Name: "Bo", Role: auth.RoleAdmin, Password: password}, "")
	if err != nil {
		t.Fatal(err)
	}
	actor := &auth.Principal{UserID: other.ID, Role: auth.RoleAdmin}
	if err := e.svc.SetDisabled(ctx, actor, u.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Auth.Session(ctx, res.Cookie); !errors.Is(err, apperr.ErrUnauthorized) {
		t.Fatalf("session of a disabled user: %v", err)
	}
	if _, err := e.svc.SignIn(ctx, "ada@example.org", password, "198.51.100.1"); !errors.Is(err, account.ErrCredentials) {
		t.Fatalf("disabled sign in: %v", err)
	}
	if err := e.svc.SetDisabled(ctx, actor, other.ID, true, ""); err == nil {
		t.Fatal("an administrator disabled their own account")
	}
}

func TestPasswordReset(t *testing.T) {
	e, u := setup(t)
	ctx := context.Background()
	res, err := e.svc.SignIn(ctx, "ada@example.org", password, "198.51.100.1")
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RequestReset(ctx, "ADA@example.org", "198.51.100.1"); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.RequestReset(ctx, "nobody@example.org", "198.51.100.1"); err != nil {
		t.Fatalf("unknown address must look the same: %v", err)
	}
	var body, to, lang string
	if err := e.st.DB.QueryRowContext(ctx, `SELECT text_body, to_addr, language FROM outbox WHERE user_id = $1 AND kind = 'password_reset'`, u.ID).Scan(&body, &to, &lang); err != nil {
		t.Fatal(err)
	}
	i := strings.Index(body, "token=")
	if i < 0 || to != "Ada@Example.org" || lang != "lv" {
		t.Fatalf("mail to %s (%s): %s", to, lang, body)
	}
	token := strings.Fields(body[i+len("token="):])[0]
	if !e.svc.ResetTokenValid(ctx, token) {
		t.Fatal("fresh token not valid")
	}
	if err := e.svc.ResetPassword(ctx, token, "short", "short", ""); err == nil {
		t.Fatal("short password accepted")
	}
	if err := e.svc.ResetPassword(ctx, token, "new passphrase 123", "new passphrase 123", ""); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.ResetPassword(ctx, token, "other passphrase 1", "other passphrase 1", ""); err == nil {
		t.Fatal("a reset link worked twice")
	}
	if _, err := e.svc.Auth.Session(ctx, res.Cookie); err == nil {
		t.Fatal("old session survived the reset")
	}
	if _, err := e.svc.SignIn(ctx, "ada@example.org", "new passphrase 123", "198.51.100.1"); err != nil {
		t.Fatalf("new password: %v", err)
	}
}

func TestTOTP(t *testing.T) {
	e, u := setup(t)
	ctx := context.Background()
	p := &auth.Principal{UserID: u.ID, Email: u.Email, Role: auth.RoleAdmin}
	setupKey, err := e.svc.NewTOTP(p)
	if err != nil || !strings.HasPrefix(setupKey.QR, "data:image/png;base64,") {
		t.Fatalf("setup: %v", err)
	}
	if err := e.svc.EnableTOTP(ctx, p, setupKey.Secret, "000000", ""); err == nil {
		t.Fatal("wrong code enabled TOTP")
	}
	code, _ := totp.GenerateCode(setupKey.Secret, e.now)
	if err := e.svc.EnableTOTP(ctx, p, setupKey.Secret, code, ""); err != nil {
		t.Fatal(err)
	}
	res, err := e.svc.SignIn(ctx, "ada@example.org", password, "198.51.100.1")
	if err != nil || !res.NeedTOTP {
		t.Fatalf("sign in: %+v %v", res, err)
	}
	if _, err := e.svc.Auth.Session(ctx, res.Cookie); !errors.Is(err, apperr.ErrUnauthorized) {
		t.Fatalf("half-signed-in session authenticated: %v", err)
	}
	if !e.svc.PendingTOTP(ctx, res.Cookie) {
		t.Fatal("not pending")
	}
	if _, err := e.svc.VerifyTOTP(ctx, res.Cookie, "123456", ""); err == nil {
		t.Fatal("wrong code accepted")
	}
	// The code that enabled TOTP is spent: the next step's code is needed.
	if _, err := e.svc.VerifyTOTP(ctx, res.Cookie, code, ""); err == nil {
		t.Fatal("the set-up code was accepted again")
	}
	e.now = e.now.Add(30 * time.Second)
	code, _ = totp.GenerateCode(setupKey.Secret, e.now)
	fresh, err := e.svc.VerifyTOTP(ctx, res.Cookie, code, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Auth.Session(ctx, fresh); err != nil {
		t.Fatalf("full session: %v", err)
	}
	if _, err := e.svc.Auth.Session(ctx, res.Cookie); err == nil {
		t.Fatal("the half session still exists")
	}
	// A code works once, even within its 30 seconds.
	again, err := e.svc.SignIn(ctx, "ada@example.org", password, "198.51.100.1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.VerifyTOTP(ctx, again.Cookie, code, ""); err == nil {
		t.Fatal("a used code was accepted again")
	}
	coord := &auth.Principal{UserID: u.ID, Role: auth.RoleCoordinator}
	if err := e.svc.EnableTOTP(ctx, coord, setupKey.Secret, code, ""); !errors.Is(err, apperr.ErrForbidden) {
		t.Fatalf("coordinator TOTP: %v", err)
	}
}

func TestTokens(t *testing.T) {
	e, u := setup(t)
	ctx := context.Background()
	door, _, err := e.svc.CreateUser(ctx, nil, account.UserInput{Email: "door@example.org", Name: "Door", Role: auth.RoleDoor}, "")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		user   int64
		scopes []string
		ok     bool
	}{
		{u.ID, []string{"admin"}, true},
		{u.ID, []string{"report", "scan"}, true},
		{door.ID, []string{"scan"}, true},
		{door.ID, []string{"admin"}, false},
		{door.ID, []string{"report"}, false},
		{u.ID, nil, false},
		{u.ID, []string{"root"}, false},
	}
	for _, c := range cases {
		tok, err := e.svc.CreateToken(ctx, nil, c.user, c.scopes, "ci", "")
		if (err == nil) != c.ok {
			t.Errorf("user %d scopes %v: %v", c.user, c.scopes, err)
			continue
		}
		if !c.ok {
			continue
		}
		p, err := e.svc.Auth.Bearer(ctx, tok.Plain)
		if err != nil || p.UserID != c.user {
			t.Fatalf("bearer: %v", err)
		}
		if err := e.svc.RevokeToken(ctx, nil, tok.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Auth.Bearer(ctx, tok.Plain); !errors.Is(err, apperr.ErrUnauthorized) {
			t.Fatalf("revoked token: %v", err)
		}
	}
	var n int
	if err := e.st.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action IN ('token.create', 'token.revoke') AND actor = 'cli'`); err != nil || n != 6 {
		t.Fatalf("audit of token changes: %d %v", n, err)
	}
}

func TestUserValidation(t *testing.T) {
	e, u := setup(t)
	ctx := context.Background()
	for _, in := range []account.UserInput{
		{Email: "not an address", Name: "X", Role: auth.RoleDoor},
		{Email: "x@example.org", Name: "", Role: auth.RoleDoor},
		{Email: "x@example.org", Name: "X", Role: "root"},
		{Email: "x@example.org", Name: "X", Role: auth.RolePartner},
		{Email: "ada@example.org", Name: "X", Role: auth.RoleDoor},
		{Email: "x@example.org", Name: "X", Role: auth.RoleDoor, Password: "short"},
	} {
		if _, _, err := e.svc.CreateUser(ctx, nil, in, ""); err == nil {
			t.Errorf("%+v accepted", in)
		}
	}
	self := &auth.Principal{UserID: u.ID, Role: auth.RoleAdmin}
	err := e.svc.UpdateUser(ctx, self, u.ID, account.UserInput{Email: u.Email, Name: "Ada", Role: auth.RoleDoor}, "")
	if _, ok := apperr.AsInvalid(err); !ok {
		t.Fatalf("admin demoted themself: %v", err)
	}
	_, pw, err := e.svc.CreateUser(ctx, nil, account.UserInput{Email: "gen@example.org", Name: "Gen", Role: auth.RoleDoor}, "")
	if err != nil || len(pw) < 20 {
		t.Fatalf("generated password %q: %v", pw, err)
	}
}
