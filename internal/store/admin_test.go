package store_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

func TestAdminStore(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	p, parts, e := seedProject(t, st)

	// Registrations: search by name, e-mail, organisation, city or id; filters.
	mk := func(first, last, email, org, status string, partner *int64) store.Registration {
		r := store.Registration{EventID: e.ID, Status: store.Status(status), FirstName: first, LastName: last, Email: &email,
			Country: "LV", City: "Daugavpils", Organisation: org, Participation: "local", PartnerID: partner}
		if err := st.InsertRegistration(ctx, st.DB, &r, e.Days()); err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := mk("Anna", "Bērziņa", "anna@example.org", "Dome", "confirmed", nil)
	mk("Jonas", "Jonaitis", "jonas@example.org", "Kaunas 100%_club", "waitlisted", &parts[1].ID)
	mk("Zoe", "Zed", "zoe@example.org", "Other", "cancelled", nil)
	for _, c := range []struct {
		f    store.RegistrationFilter
		want int
	}{
		{store.RegistrationFilter{}, 3},
		{store.RegistrationFilter{Q: "anna b"}, 1},
		{store.RegistrationFilter{Q: "EXAMPLE.ORG"}, 3},
		{store.RegistrationFilter{Q: "100%"}, 1},
		{store.RegistrationFilter{Q: "%"}, 1}, // a literal percent sign, not a wildcard
		{store.RegistrationFilter{Q: "_"}, 1},
		{store.RegistrationFilter{Q: itoa(a.ID), Status: "confirmed"}, 1},
		{store.RegistrationFilter{Status: "waitlisted"}, 1},
		{store.RegistrationFilter{PartnerID: parts[1].ID}, 1},
		{store.RegistrationFilter{EventID: e.ID, ProjectID: p.ID}, 3},
		{store.RegistrationFilter{ProjectID: p.ID + 1}, 0},
		{store.RegistrationFilter{Limit: 2}, 3},
	} {
		rows, total, err := st.RegistrationRows(ctx, st.DB, c.f)
		if err != nil || total != c.want {
			t.Errorf("%+v: total %d, want %d (%v)", c.f, total, c.want, err)
		}
		if c.f.Limit == 2 && len(rows) != 2 {
			t.Errorf("limit: %d rows", len(rows))
		}
	}

	stats, err := st.EventStatsAll(ctx, st.DB)
	if err != nil || stats[e.ID].Confirmed != 1 || stats[e.ID].Waitlisted != 1 || stats[e.ID].Cancelled != 1 {
		t.Fatalf("stats: %+v %v", stats[e.ID], err)
	}

	// Projects, partners and events.
	p.Acronym, p.RetentionYears = "NEW", 7
	if err := st.UpdateProject(ctx, st.DB, p); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Project(ctx, st.DB, p.ID); got.Acronym != "NEW" || got.RetentionYears != 7 {
		t.Fatalf("project not saved: %+v", got)
	}
	pt := parts[1]
	pt.City = "Kaunas city"
	if err := st.UpdatePartner(ctx, st.DB, pt); err != nil {
		t.Fatal(err)
	}
	pt.Slug = parts[0].Slug
	if err := st.UpdatePartner(ctx, st.DB, pt); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("duplicate partner slug: %v", err)
	}
	ev := e
	ev.Venue = "Hall"
	zero := 0
	ev.Capacity = &zero
	if err := st.UpdateEvent(ctx, st.DB, ev); err != nil {
		t.Fatalf("capacity 0 with no confirmed seats counted: %v", err)
	}
	if err := st.RecountSeats(ctx, st.DB, e.ID); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("recount above capacity: %v", err)
	}
	ev.Capacity = nil
	if err := st.UpdateEvent(ctx, st.DB, ev); err != nil {
		t.Fatal(err)
	}
	if n, err := st.DaysInUse(ctx, st.DB, e.ID, e.FirstDay, e.FirstDay); err != nil || n != 3 {
		t.Fatalf("days in use: %d %v", n, err)
	}
	newLast := e.LastDay.AddDate(0, 0, 2)
	if err := st.SetEventDates(ctx, st.DB, e.ID, e.FirstDay, newLast); err != nil {
		t.Fatal(err)
	}
	days, err := st.EventDays(ctx, st.DB, e.ID)
	if err != nil || len(days) != 4 {
		t.Fatalf("days after moving: %d %v", len(days), err)
	}
	c5 := 5
	if err := st.SetEventDayCapacity(ctx, st.DB, e.ID, e.FirstDay, &c5); err != nil {
		t.Fatal(err)
	}
	if err := st.SetEventDayCapacity(ctx, st.DB, e.ID, e.FirstDay.AddDate(1, 0, 0), &c5); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("capacity of a day outside the event: %v", err)
	}

	// Rule sets: only editable ones change.
	rs, err := st.RuleSetByCode(ctx, st.DB, "r1")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.ExecContext(ctx, `UPDATE rule_sets SET editable = true WHERE id = $1`, rs.ID); err != nil {
		t.Fatal(err)
	}
	rs.Name, rs.Rules, rs.EligibleCountries = "Edited", store.JSON(`[]`), []string{"LV"}
	rs.LumpSum = store.JSON(`{"basis":"invited","cells":[{"participants":{"min":25},"countries":{"min":0},"eur":5000}]}`)
	if err := st.UpdateRuleSet(ctx, st.DB, rs); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.RuleSet(ctx, st.DB, rs.ID); got.Name != "Edited" || !got.HasLumpSum() || got.Code != "r1" {
		t.Fatalf("edited rule set: %+v", got)
	}
	locked := store.RuleSet{Code: "funder", Name: "Funder", Rules: store.JSON(`[]`), EligibleCountries: []string{"LV"}}
	if err := st.CreateRuleSet(ctx, st.DB, &locked); err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.ExecContext(ctx, `UPDATE rule_sets SET editable = false WHERE id = $1`, locked.ID); err != nil {
		t.Fatal(err)
	}
	locked.Name = "Changed"
	if err := st.UpdateRuleSet(ctx, st.DB, locked); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("read-only rule set changed: %v", err)
	}
}

func TestUserStoreExtras(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	_, _, e := seedProject(t, st)
	u := store.User{Email: "Door@Example.org", Name: "Door 50%", Role: "door"}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	admin := store.User{Email: "admin@example.org", Name: "Admin", Role: "admin"}
	if err := st.CreateUser(ctx, st.DB, &admin); err != nil {
		t.Fatal(err)
	}
	if us, err := st.Users(ctx, st.DB, store.UserFilter{Q: "50%"}); err != nil || len(us) != 1 {
		t.Fatalf("users by name: %d %v", len(us), err)
	}
	if us, err := st.Users(ctx, st.DB, store.UserFilter{Role: "admin"}); err != nil || len(us) != 1 || us[0].ID != admin.ID {
		t.Fatalf("users by role: %v", err)
	}
	u.Email = "ADMIN@example.org"
	if err := st.UpdateUser(ctx, st.DB, u); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("e-mail taken case-insensitively: %v", err)
	}
	if err := st.SetUserDisabled(ctx, st.DB, u.ID, true); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.User(ctx, st.DB, u.ID); got.DisabledAt == nil {
		t.Fatal("not disabled")
	}
	from := time.Date(2018, 5, 23, 8, 0, 0, 0, time.UTC)
	if err := st.GrantEvent(ctx, st.DB, u.ID, e.ID, &from, nil); err != nil {
		t.Fatal(err)
	}
	if gs, err := st.GrantViews(ctx, st.DB, u.ID); err != nil || len(gs) != 1 || gs[0].Slug != e.Slug || !gs[0].ValidFrom.Equal(from) {
		t.Fatalf("grant views: %+v %v", gs, err)
	}
	if err := st.RevokeEventGrant(ctx, st.DB, u.ID, e.ID); err != nil {
		t.Fatal(err)
	}
	if err := st.RevokeEventGrant(ctx, st.DB, u.ID, e.ID); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoke twice: %v", err)
	}

	// Sign-in throttle: one statement counts and decides, a quiet day forgets.
	key := []byte("k")
	now := time.Now().Truncate(time.Microsecond)
	pol := store.SigninPolicy{Free: 3, Base: time.Minute, Max: 3 * time.Minute}
	for i := 1; i <= 3; i++ {
		th, err := st.ReserveSigninAttempt(ctx, st.DB, key, now, pol)
		if err != nil || th.Failures != i {
			t.Fatalf("attempt %d: %+v %v", i, th, err)
		}
	}
	for _, c := range []struct {
		at   time.Duration
		want int // 0: must wait
	}{
		{time.Minute - time.Microsecond, 0}, {time.Minute, 4}, // a minute after the third
		{3*time.Minute - time.Microsecond, 0}, {3 * time.Minute, 5}, // then two
		{6*time.Minute - time.Microsecond, 0}, {6 * time.Minute, 6}, // then capped at three
		{31 * time.Hour, 1}, // a quiet day
	} {
		th, err := st.ReserveSigninAttempt(ctx, st.DB, key, now.Add(c.at), pol)
		if c.want == 0 && !errors.Is(err, store.ErrNotFound) || c.want != 0 && (err != nil || th.Failures != c.want) {
			t.Fatalf("attempt at +%v: %+v %v, want %d", c.at, th, err, c.want)
		}
	}
	if err := st.ClearSigninFailures(ctx, st.DB, key); err != nil {
		t.Fatal(err)
	}
	if _, err := st.SigninThrottleFor(ctx, st.DB, key); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("cleared: %v", err)
	}

	// Password resets work once and not after expiry.
	live, old := []byte("live-token-hash"), []byte("old-token-hash")
	if err := st.CreatePasswordReset(ctx, st.DB, live, u.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := st.CreatePasswordReset(ctx, st.DB, old, u.ID, time.Now().Add(-time.Minute)); err != nil {
		t.Fatal(err)
	}
	if id, err := st.UsePasswordReset(ctx, st.DB, live); err != nil || id != u.ID {
		t.Fatalf("use: %d %v", id, err)
	}
	for _, h := range [][]byte{live, old} {
		if _, err := st.UsePasswordReset(ctx, st.DB, h); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("used or expired token worked: %v", err)
		}
	}

	// Tokens: listing never includes the hash; revoking a user's tokens.
	tok := store.APIToken{TokenHash: []byte("h1"), Prefix: "att_abcdef", UserID: &admin.ID, Scopes: []string{"admin"}, Label: "ci"}
	if err := st.CreateToken(ctx, st.DB, &tok); err != nil {
		t.Fatal(err)
	}
	if ts, err := st.TokenViews(ctx, st.DB, admin.ID); err != nil || len(ts) != 1 || ts[0].OwnerEmail != admin.Email {
		t.Fatalf("token views: %+v %v", ts, err)
	}
	if err := st.RevokeUserTokens(ctx, st.DB, admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.TokenOwner(ctx, st.DB, []byte("h1")); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("revoked token still owned: %v", err)
	}
	if got, err := st.Token(ctx, st.DB, tok.ID); err != nil || got.RevokedAt == nil {
		t.Fatalf("token: %+v %v", got, err)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
