package registration

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// Member is one person of a delegation. Email may be empty: that person's
// messages and ticket then go to the coordinator.
type Member struct {
	FirstName, LastName string
	Email, Phone        string
	Country, City       string
	Organisation        string
	Needs               string
	Days                []string // nil: every day
	// Answers to the event's questions, as Input.Answers.
	Answers map[string][]string
}

// Blank reports whether nothing was typed in the row (such rows are skipped).
func (m Member) Blank() bool {
	if strings.TrimSpace(m.FirstName+m.LastName+m.Email+m.Phone+m.City+m.Organisation+m.Needs) != "" {
		return false
	}
	for _, vs := range m.Answers {
		for _, v := range vs {
			// A box ticked alone does not make a row; a typed answer does.
			if t := strings.TrimSpace(v); t != "" && t != "yes" {
				return false
			}
		}
	}
	return true
}

// DelegationInput is one submission of the delegation form.
type DelegationInput struct {
	EventSlug string
	// Partner is the partner's slug; partner coordinators are bound to their own.
	Partner string
	// PrivacyInformed: the coordinator confirms the members know the privacy notice.
	PrivacyInformed bool
	Language        string
	Members         []Member
}

// RegisterDelegation registers a partner's delegation in one transaction. The
// coordinator is signed in, so members need no e-mail confirmation: each is
// confirmed at once or, when the event or a chosen day is full, waitlisted.
// Any invalid row refuses the whole submission, with errors keyed
// "members.<row>.<field>" (rows counted from 0).
func (s *Service) RegisterDelegation(ctx context.Context, actor *auth.Principal, in DelegationInput) (store.Delegation, error) {
	var d store.Delegation
	if actor == nil || actor.UserID == 0 {
		return d, apperr.ErrForbidden
	}
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, in.EventSlug)
	if err != nil {
		return d, err
	}
	if err := actor.Check(auth.Delegate, auth.EventObject(e), s.Now()); err != nil {
		return d, err
	}
	if !e.RegistrationOpen(s.Now()) {
		return d, apperr.ErrClosed
	}
	partners, err := s.Store.Partners(ctx, s.Store.DB, e.ProjectID)
	if err != nil {
		return d, err
	}
	partner, err := delegationPartner(actor, partners, in.Partner)
	if err != nil {
		return d, err
	}
	participation := store.Invited
	switch {
	case e.HostPartnerID != nil && *e.HostPartnerID == partner.ID:
		participation = store.Local
	case partner.Country == e.Country:
		participation = store.Other
	}
	qs, err := s.Store.Questions(ctx, s.Store.DB, e.ID)
	if err != nil {
		return d, err
	}
	inv := &apperr.Invalid{}
	if !in.PrivacyInformed {
		inv.Add("privacy_informed", errPrivacy)
	}
	type row struct {
		det   details
		email string
	}
	var rows []row
	seen := map[string]bool{}
	for i, m := range in.Members {
		if m.Blank() {
			continue
		}
		rinv := &apperr.Invalid{}
		country := m.Country
		if country == "" {
			country = partner.Country
		}
		city := m.City
		if city == "" {
			city = partner.City
		}
		org := m.Organisation
		if org == "" {
			org = partner.Organisation
		}
		det := s.validate(rinv, e, partners, qs, Input{
			FirstName: m.FirstName, LastName: m.LastName, Phone: m.Phone, Country: country, City: city,
			Organisation: org, Participation: string(participation), Partner: partner.Slug, NeedsAccess: m.Needs,
			Language: in.Language, Answers: m.Answers,
		}, actor.Language, false)
		det.days = parseDays(rinv, "days", e, m.Days)
		email := ""
		if strings.TrimSpace(m.Email) != "" {
			email = cleanEmail(rinv, "email", m.Email, false)
			if seen[strings.ToLower(email)] && email != "" {
				rinv.Add("email", errDuplicate)
			}
			seen[strings.ToLower(email)] = true
		}
		for f, k := range rinv.Fields {
			inv.Add(fmt.Sprintf("members.%d.%s", i, f), k)
		}
		// A delegation member is sent by the partner whatever was typed.
		id := partner.ID
		det.reg.PartnerID, det.reg.Participation = &id, participation
		rows = append(rows, row{det, email})
	}
	if len(rows) == 0 && len(inv.Fields) == 0 {
		inv.Add("members", errRequired)
	}
	if err := inv.Err(); err != nil {
		return d, err
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		d = store.Delegation{EventID: e.ID, PartnerID: partner.ID, CreatedBy: &actor.UserID}
		if err := s.Store.CreateDelegation(ctx, tx, &d); err != nil {
			return err
		}
		notice, err := s.Store.CurrentPrivacyNotice(ctx, tx, e.ProjectID, actor.Language)
		if err != nil {
			return err
		}
		now := s.Now()
		dupes := &apperr.Invalid{}
		for i, rw := range rows {
			r := rw.det.reg
			r.Status = store.StatusPending
			r.Source = "delegation"
			r.DelegationID = &d.ID
			r.PrivacyNoticeID, r.PrivacyAcceptedAt = &notice.ID, &now
			r.ManageNonce = newNonce()
			r.CreatedAt = now
			if rw.email != "" {
				email := rw.email
				r.Email = &email
				if _, err := s.Store.RegistrationByEmail(ctx, tx, e.ID, email); err == nil {
					dupes.Add(fmt.Sprintf("members.%d.email", memberIndex(in.Members, i)), errDuplicate)
					continue
				}
			}
			if dupes.Err() != nil {
				continue
			}
			if err := s.Store.InsertRegistration(ctx, tx, &r, rw.det.days); err != nil {
				if store.IsConstraint(err, "registrations_event_email") {
					return &apperr.Invalid{Fields: map[string]string{fmt.Sprintf("members.%d.email", memberIndex(in.Members, i)): errDuplicate}}
				}
				return err
			}
			if err := s.Store.SetAnswers(ctx, tx, r.ID, e.ID, rw.det.asked, rw.det.answers); err != nil {
				return err
			}
			if err := s.Store.InsertConsent(ctx, tx, r.ID, "privacy_notice", true, &notice.Version); err != nil {
				return err
			}
			if _, err := s.seatOrWaitlistTo(ctx, tx, r, actor.Email); err != nil {
				return err
			}
		}
		if err := dupes.Err(); err != nil {
			return err
		}
		return s.logDelegation(ctx, tx, actor, d, len(rows))
	})
	return d, err
}

// memberIndex maps the i-th non-blank row back to its row number in the form.
func memberIndex(ms []Member, i int) int {
	n := -1
	for j, m := range ms {
		if m.Blank() {
			continue
		}
		n++
		if n == i {
			return j
		}
	}
	return i
}

func delegationPartner(actor *auth.Principal, partners []store.Partner, slug string) (store.Partner, error) {
	if actor.Role == auth.RolePartner {
		if actor.PartnerID == nil {
			return store.Partner{}, apperr.ErrForbidden
		}
		i := slices.IndexFunc(partners, func(p store.Partner) bool { return p.ID == *actor.PartnerID })
		if i < 0 {
			// The coordinator's organisation is not a partner of this event's project.
			return store.Partner{}, apperr.ErrForbidden
		}
		return partners[i], nil
	}
	i := slices.IndexFunc(partners, func(p store.Partner) bool { return p.Slug == slug })
	if i < 0 {
		return store.Partner{}, &apperr.Invalid{Fields: map[string]string{"partner": errPartner}}
	}
	return partners[i], nil
}

// seatOrWaitlistTo is seatOrWaitlist for a member whose messages may go to the coordinator.
func (s *Service) seatOrWaitlistTo(ctx context.Context, tx *sqlx.Tx, r store.Registration, coordinator string) (store.Registration, error) {
	if r.Email != nil {
		return s.seatOrWaitlist(ctx, tx, r, "")
	}
	return s.seatOrWaitlist(ctx, tx, r, coordinator)
}

func (s *Service) logDelegation(ctx context.Context, q sqlx.ExtContext, actor *auth.Principal, d store.Delegation, members int) error {
	return s.log(ctx, q, actor, "delegation.create", d.ID, map[string]any{"event_id": d.EventID, "partner_id": d.PartnerID, "members": members})
}
