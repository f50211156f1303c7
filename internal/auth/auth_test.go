package auth_test

import (
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

func TestRolesAndEvents(t *testing.T) {
	now := time.Date(2019, 5, 28, 12, 0, 0, 0, time.UTC)
	from, until := now.Add(-time.Hour), now.Add(time.Hour)
	door := &auth.Principal{UserID: 1, Role: auth.RoleDoor, Events: map[int64]store.EventGrant{
		1: {EventID: 1}, 2: {EventID: 2, ValidFrom: &from, ValidUntil: &until}, 3: {EventID: 3, ValidFrom: &until}}}
	cases := []struct {
		p     *auth.Principal
		event int64
		at    time.Time
		want  bool
	}{
		{door, 1, now, true},
		{door, 2, now, true},
		{door, 2, until, false}, // the end is exclusive
		{door, 2, from.Add(-time.Second), false},
		{door, 3, now, false},
		{door, 4, now, false},
		{&auth.Principal{UserID: 2, Role: auth.RoleCoordinator}, 4, now, true},
		{&auth.Principal{DeviceID: 9, Events: map[int64]store.EventGrant{1: {EventID: 1}}}, 1, now, true},
		{&auth.Principal{DeviceID: 9, Role: auth.RoleAdmin, Events: map[int64]store.EventGrant{1: {EventID: 1}}}, 2, now, false},
		{nil, 1, now, false},
	}
	for i, c := range cases {
		if got := c.p.CanEvent(c.event, c.at); got != c.want {
			t.Errorf("case %d: CanEvent = %v", i, got)
		}
	}
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
