package auth_test

import (
	"errors"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

func TestRolesAndEvents(t *testing.T) {
	partner := &auth.Principal{UserID: 3, Role: auth.RolePartner}
	if partner.AtLeast(auth.RoleDoor) || !partner.AtLeast(auth.RolePartner) || partner.AtLeast(auth.RoleCoordinator) {
		t.Error("partner coordinators are parallel to door staff")
	}
	if (&auth.Principal{DeviceID: 1}).AtLeast(auth.RoleDoor) {
		t.Error("a device is not a user")
	}
	if !(&auth.Principal{Scopes: []string{"scan"}}).HasScope("scan") || (&auth.Principal{}).HasScope("scan") {
		t.Error("scopes")
	}
}

// The one authority: who may do what with an object of project 1 (events 1-3,
// partner 5) or of project 2 (event 4, partner 6).
func TestMay(t *testing.T) {
	now := time.Date(2019, 5, 28, 12, 0, 0, 0, time.UTC)
	from, until := now.Add(-time.Hour), now.Add(time.Hour)
	one, two, five, six := int64(1), int64(2), int64(5), int64(6)
	door := &auth.Principal{UserID: 1, Role: auth.RoleDoor, Events: map[int64]store.EventGrant{
		1: {EventID: 1}, 2: {EventID: 2, ValidFrom: &from, ValidUntil: &until}, 3: {EventID: 3, ValidFrom: &until}}}
	device := &auth.Principal{DeviceID: 9, Events: map[int64]store.EventGrant{1: {EventID: 1}}}
	admin := &auth.Principal{UserID: 2, Role: auth.RoleAdmin}
	platform := &auth.Principal{UserID: 3, Role: auth.RoleCoordinator}
	coord1 := &auth.Principal{UserID: 4, Role: auth.RoleCoordinator, ProjectID: &one}
	coord2 := &auth.Principal{UserID: 5, Role: auth.RoleCoordinator, ProjectID: &two}
	partner5 := &auth.Principal{UserID: 6, Role: auth.RolePartner, ProjectID: &one, PartnerID: &five, PartnerProjectID: 1}
	partner6 := &auth.Principal{UserID: 7, Role: auth.RolePartner, ProjectID: &two, PartnerID: &six, PartnerProjectID: 2}
	// A device token is never an admin's, whatever else it carries.
	oddDevice := &auth.Principal{DeviceID: 9, Role: auth.RoleAdmin, Events: map[int64]store.EventGrant{1: {EventID: 1}}}

	ev1 := auth.Object{ProjectID: 1, EventID: 1}
	ev2 := auth.Object{ProjectID: 1, EventID: 2}
	ev3 := auth.Object{ProjectID: 1, EventID: 3}
	ev4 := auth.Object{ProjectID: 2, EventID: 4}
	del5 := auth.Object{ProjectID: 1, EventID: 1, PartnerID: 5}
	del6in1 := auth.Object{ProjectID: 1, EventID: 1, PartnerID: 6}
	proj1 := auth.ProjectObject(1)
	cases := []struct {
		name string
		p    *auth.Principal
		a    auth.Action
		o    auth.Object
		at   time.Time
		want bool
	}{
		{"door works its event", door, auth.Work, ev1, now, true},
		{"door within hours", door, auth.Work, ev2, now, true},
		{"door hours end exclusive", door, auth.Work, ev2, until, false},
		{"door before hours", door, auth.Work, ev2, from.Add(-time.Second), false},
		{"door grant not yet", door, auth.Work, ev3, now, false},
		{"door other project", door, auth.Work, ev4, now, false},
		{"door never manages", door, auth.Manage, ev1, now, false},
		{"door no delegations", door, auth.Delegate, ev1, now, false},
		{"door no project", door, auth.Work, proj1, now, false},
		{"device its event", device, auth.Work, ev1, now, true},
		{"device other event", device, auth.Work, ev2, now, false},
		{"device never manages", device, auth.Manage, ev1, now, false},
		{"device carrying a role", oddDevice, auth.Manage, ev2, now, false},
		{"admin everything", admin, auth.Manage, ev4, now, true},
		{"platform coordinator", platform, auth.Manage, ev4, now, true},
		{"coordinator own project", coord1, auth.Manage, ev1, now, true},
		{"coordinator works own door", coord1, auth.Work, ev1, now, true},
		{"coordinator own delegations", coord1, auth.Delegate, del5, now, true},
		{"coordinator own project whole", coord1, auth.Manage, proj1, now, true},
		{"coordinator other project", coord2, auth.Manage, ev1, now, false},
		{"coordinator other door", coord2, auth.Work, ev1, now, false},
		{"coordinator other delegations", coord2, auth.Delegate, del5, now, false},
		{"coordinator other project whole", coord2, auth.Manage, proj1, now, false},
		{"partner registers into own project", partner5, auth.Delegate, ev1, now, true},
		{"partner own delegation", partner5, auth.Delegate, del5, now, true},
		{"partner another partner's delegation", partner5, auth.Delegate, del6in1, now, false},
		{"partner never manages", partner5, auth.Manage, ev1, now, false},
		{"partner no door", partner5, auth.Work, ev1, now, false},
		{"partner of another town's network", partner6, auth.Delegate, ev1, now, false},
		{"partner of another network, same id", partner6, auth.Delegate, del6in1, now, false},
		{"partner not the whole project", partner5, auth.Delegate, proj1, now, false},
		{"nobody", nil, auth.Work, ev1, now, false},
		{"no object", admin, auth.Manage, auth.Object{}, now, false},
	}
	for _, c := range cases {
		if got := c.p.May(c.a, c.o, c.at); got != c.want {
			t.Errorf("%s: May(%s) = %v", c.name, c.a, got)
		}
		if err := c.p.Check(c.a, c.o, c.at); (err == nil) != c.want || err != nil && !errors.Is(err, apperr.ErrNotFound) {
			t.Errorf("%s: Check = %v", c.name, err)
		}
	}
	for _, c := range []struct {
		p    *auth.Principal
		want int64
	}{{admin, 0}, {platform, 0}, {coord1, 1}, {coord2, 2}, {partner6, 2}, {device, -1}, {door, -1}, {nil, -1}} {
		if got := c.p.ProjectScope(); got != c.want {
			t.Errorf("ProjectScope(%v) = %d, want %d", c.p, got, c.want)
		}
	}
}

func TestPasswordHash(t *testing.T) {
	h, err := auth.HashPassword("pässwörd with ümlauts")
	if err != nil {
		t.Fatal(err)
	}
	if !auth.CheckPassword(h, "pässwörd with ümlauts") || auth.CheckPassword(h, "pässwörd with umlauts") {
		t.Fatal("check")
	}
	for _, bad := range []string{"", "$argon2id$", "$argon2id$v=19$m=99999999,t=1,p=1$AAAA$AAAA", "plain"} {
		if auth.CheckPassword(bad, "x") {
			t.Errorf("%q accepted", bad)
		}
	}
	a, _ := auth.NewSecret(auth.TokenPrefix)
	b, _ := auth.NewSecret(auth.TokenPrefix)
	if a == b || len(a) < 30 {
		t.Error("secrets")
	}
}
