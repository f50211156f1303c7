package auth_test

import (
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

func TestRuleSetObjectAccess(t *testing.T) {
	now := time.Now()
	one, two := int64(1), int64(2)
	preset := auth.RuleSetObject(store.RuleSet{Code: "cerv-tt"})
	own := auth.RuleSetObject(store.RuleSet{Code: "tt-vejle", ProjectID: &one})
	admin := &auth.Principal{UserID: 1, Role: auth.RoleAdmin}
	coordOne := &auth.Principal{UserID: 2, Role: auth.RoleCoordinator, ProjectID: &one}
	coordTwo := &auth.Principal{UserID: 3, Role: auth.RoleCoordinator, ProjectID: &two}
	platform := &auth.Principal{UserID: 4, Role: auth.RoleCoordinator}
	partner := &auth.Principal{UserID: 5, Role: auth.RolePartner, PartnerID: &one, PartnerProjectID: 1}
	door := &auth.Principal{UserID: 6, Role: auth.RoleDoor}
	device := &auth.Principal{DeviceID: 7}
	for _, tc := range []struct {
		name string
		p    *auth.Principal
		a    auth.Action
		o    auth.Object
		want bool
	}{
		{"admin manages a preset", admin, auth.Manage, preset, true},
		{"coordinator reads a preset", coordOne, auth.Read, preset, true},
		{"coordinator cannot manage a preset", coordOne, auth.Manage, preset, false},
		{"platform coordinator cannot manage a preset", platform, auth.Manage, preset, false},
		{"partner cannot read a preset", partner, auth.Read, preset, false},
		{"door cannot read a preset", door, auth.Read, preset, false},
		{"device cannot read a preset", device, auth.Read, preset, false},
		{"coordinator manages the project's own", coordOne, auth.Manage, own, true},
		{"coordinator reads the project's own", coordOne, auth.Read, own, true},
		{"other project's coordinator", coordTwo, auth.Read, own, false},
		{"platform coordinator reads every project's", platform, auth.Read, own, true},
		{"partner of the project", partner, auth.Read, own, false},
		{"nobody", nil, auth.Read, preset, false},
	} {
		if got := tc.p.May(tc.a, tc.o, now); got != tc.want {
			t.Errorf("%s: May = %v, want %v", tc.name, got, tc.want)
		}
	}
}
