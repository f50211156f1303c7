package registration_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/store"
)

func staff(t *testing.T, st *store.Store, project *int64) *auth.Principal {
	t.Helper()
	u := store.User{Email: "coord@example.lv", Name: "Coordinator", Role: auth.RoleCoordinator, ProjectID: project, Language: "en"}
	if err := st.CreateUser(context.Background(), st.DB, &u); err != nil {
		t.Fatal(err)
	}
	return &auth.Principal{UserID: u.ID, Role: u.Role, ProjectID: project, Language: "en"}
}

// Staff register a person: confirmed at once, the e-mail address optional
// when the ticket is printed; a coordinator of another project may not.
func TestRegisterByStaff(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-staff", regtest.Ptr(1))
	other := regtest.NewFixture(t, st, "ev-elsewhere", nil)
	svc := newService(st)
	actor := staff(t, st, &f.Project.ID)

	in := person("")
	res, err := svc.RegisterByStaff(ctx, actor, f.Event.Slug, in, "At the desk", false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Registration.Status != store.StatusConfirmed || res.Registration.Source != "admin" || res.Emailed || res.Registration.Email != nil {
		t.Fatalf("printed: %+v", res)
	}
	// Full now: the next one waits.
	res, err = svc.RegisterByStaff(ctx, actor, f.Event.Slug, person("ona@example.lt"), "By phone", true)
	if err != nil || res.Registration.Status != store.StatusWaitlisted || !res.Emailed {
		t.Fatalf("full: %+v %v", res, err)
	}
	if m := regtest.Mails(t, st, "ona@example.lt"); len(m) != 1 || m[0].Kind != "waitlisted" {
		t.Fatalf("waitlisted person's messages: %+v", m)
	}
	_, err = svc.RegisterByStaff(ctx, actor, f.Event.Slug, person("Ona@Example.lt"), "Again", false)
	var dup *registration.AlreadyRegistered
	if !errors.As(err, &dup) || dup.ID != res.Registration.ID || !errors.Is(err, apperr.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	// Another project's event is not the coordinator's to touch.
	if _, err := svc.RegisterByStaff(ctx, actor, other.Event.Slug, person("x@example.lt"), "x", false); err == nil {
		t.Fatal("registered for another project's event")
	}
	if n := count(t, st, `SELECT count(*) FROM registrations WHERE event_id = $1`, other.Event.ID); n != 0 {
		t.Fatalf("%d registrations in the other project", n)
	}
}

// A change of details and days by staff is one transaction: a full day
// refuses the days and the details with them.
func TestChangeByStaffAllOrNothing(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	f := regtest.NewFixture(t, st, "ev-change", nil)
	svc := newService(st)
	actor := staff(t, st, &f.Project.ID)
	day1, day2 := f.Event.FirstDay.Format(time.DateOnly), f.Event.FirstDay.AddDate(0, 0, 1).Format(time.DateOnly)
	in := person("ruta@example.lt")
	in.Days = []string{day1}
	a, err := svc.RegisterByStaff(ctx, actor, f.Event.Slug, in, "desk", false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.DB.Exec(`UPDATE event_days SET capacity = 0 WHERE event_id = $1 AND day = $2`, f.Event.ID, day2); err != nil {
		t.Fatal(err)
	}
	details := person("")
	details.Phone = "+370 600 00000"
	_, err = svc.ChangeByStaff(ctx, a.Registration.ID, registration.StaffChange{Details: &details, Days: []string{day1, day2}}, actor)
	if inv, ok := apperr.AsInvalid(err); !ok || inv.Fields["days"] == "" {
		t.Fatalf("full day: %v", err)
	}
	if n := count(t, st, `SELECT count(*) FROM registrations WHERE id = $1 AND phone = ''`, a.Registration.ID); n != 1 {
		t.Fatal("the details were saved although the days were refused")
	}
	r, err := svc.ChangeByStaff(ctx, a.Registration.ID, registration.StaffChange{Details: &details, Days: []string{day1}}, actor)
	if err != nil || r.Phone != "+370 600 00000" {
		t.Fatalf("change: %+v %v", r, err)
	}
}
