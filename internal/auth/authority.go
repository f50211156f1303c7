package auth

import (
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
)

// This file is the one authority on objects: whether a principal may act on
// a project, an event, a door device, a delegation or a registration. A
// route's access level only says who may call it at all; every handler and
// command that takes an object asks here, through Check, before it reads or
// changes anything of that object.

// Action is what the caller wants to do with an object.
type Action int

// Actions. The project's coordinators and administrators may do all three.
const (
	// Manage: edit the programme, registrations, door devices, see reports
	// and personal data.
	Manage Action = iota + 1
	// Work the door of an event: scan, search, admit, undo, watch the live
	// counts, capture signatures. Door staff and devices of that event too.
	Work
	// Delegate: see and register a partner's delegations. That partner's
	// coordinator too, on events of the partner's own project.
	Delegate
	// Read a shared object without changing it: a preset rule set, which
	// every project's coordinators may see, choose and have copied.
	Read
)

var actionNames = map[Action]string{Manage: "manage", Work: "work", Delegate: "delegate", Read: "read"}

func (a Action) String() string { return actionNames[a] }

// Object is what an access question is about: the project it belongs to, and
// its event and partner when it has them.
type Object struct {
	ProjectID int64
	EventID   int64 // 0: the project as a whole
	PartnerID int64 // a delegation's or a registration's partner; 0: none
	// Shared marks an object of no project (a preset rule set): administrators
	// manage it, coordinators may only read it.
	Shared bool
}

// ProjectObject is a project as a whole.
func ProjectObject(projectID int64) Object { return Object{ProjectID: projectID} }

// EventObject is an event, or anything of the event's with no partner of
// its own (a device, a scan, a signature).
func EventObject(e store.Event) Object { return Object{ProjectID: e.ProjectID, EventID: e.ID} }

// DelegationObject is a partner's delegation to an event.
func DelegationObject(e store.Event, d store.Delegation) Object {
	return Object{ProjectID: e.ProjectID, EventID: e.ID, PartnerID: d.PartnerID}
}

// RuleSetObject is a rule set: a project's own copy belongs to that project;
// a preset is shared.
func RuleSetObject(rs store.RuleSet) Object {
	if rs.ProjectID != nil {
		return ProjectObject(*rs.ProjectID)
	}
	return Object{Shared: true}
}

// RegistrationObject is a person's registration to an event.
func RegistrationObject(e store.Event, r store.Registration) Object {
	o := EventObject(e)
	if r.PartnerID != nil {
		o.PartnerID = *r.PartnerID
	}
	return o
}

// May answers whether p may do a on o at now.
func (p *Principal) May(a Action, o Object, now time.Time) bool {
	if p == nil || p.DeviceID != 0 && o.Shared {
		return false
	}
	if o.Shared {
		return p.Role == RoleAdmin || p.Role == RoleCoordinator && a == Read
	}
	if o.ProjectID == 0 && o.EventID == 0 {
		return false
	}
	if p.DeviceID != 0 {
		return a == Work && o.EventID != 0 && p.granted(o.EventID, now)
	}
	switch p.Role {
	case RoleAdmin:
		return true
	case RoleCoordinator:
		// A coordinator without a project is the platform's; one with a
		// project is a town's and sees nothing of other towns' networks.
		return p.ProjectID == nil || *p.ProjectID == o.ProjectID
	case RolePartner:
		if a != Delegate || p.PartnerID == nil || p.PartnerProjectID != o.ProjectID {
			return false
		}
		// An event of the partner's project (to register into), or the
		// partner's own delegation or delegate.
		return o.PartnerID == 0 && o.EventID != 0 || o.PartnerID == *p.PartnerID
	case RoleDoor:
		return a == Work && o.EventID != 0 && p.granted(o.EventID, now)
	}
	return false
}

// Check is May as an error: nil, or not found, so that a caller of another
// project cannot even tell that the object exists.
func (p *Principal) Check(a Action, o Object, now time.Time) error {
	if p.May(a, o, now) {
		return nil
	}
	return apperr.ErrNotFound
}

// granted reports whether an event grant of a door user or device holds at now.
func (p *Principal) granted(eventID int64, now time.Time) bool {
	g, ok := p.Events[eventID]
	if !ok {
		return false
	}
	if g.ValidFrom != nil && now.Before(*g.ValidFrom) {
		return false
	}
	if g.ValidUntil != nil && !now.Before(*g.ValidUntil) {
		return false
	}
	return true
}

// ProjectScope is the one project whose objects the caller may manage, for
// filtering lists in SQL: 0 when every project's, -1 (no project) when none.
func (p *Principal) ProjectScope() int64 {
	switch {
	case p == nil || p.DeviceID != 0:
		return -1
	case p.Role == RoleAdmin:
		return 0
	case p.Role == RoleCoordinator && p.ProjectID != nil:
		return *p.ProjectID
	case p.Role == RoleCoordinator:
		return 0
	case p.Role == RolePartner:
		return p.PartnerProjectID
	}
	return -1
}
