package certificates

import (
	"context"
	"crypto/ed25519"
	"errors"
	"slices"
	"time"

	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
)

// Verification is the answer of the public verification page: whether the
// code is a valid certificate and, if it is, what it certifies (no more than
// the certificate itself shows).
type Verification struct {
	Valid bool
	// Reason, when not valid: "unknown" (malformed, forged, altered or not
	// issued) or "revoked" (attendance undone, holder erased or cancelled).
	Reason   string
	Name     string
	Event    store.Event
	Project  store.Project
	Days     []time.Time
	IssuedAt time.Time
	Host     string
	Lang     string // the certificate's language
}

// Verify checks a code: its signature by the event key named in the stored
// certificate, the stored code itself, and the registration's state now.
func (s *Service) Verify(ctx context.Context, code string) (Verification, error) {
	claims, err := ticketcode.PeekCertificate(code)
	if err != nil {
		return Verification{Reason: "unknown"}, nil
	}
	c, err := s.Store.CertificateForCheck(ctx, s.Store.DB, claims.TicketID)
	if errors.Is(err, store.ErrNotFound) {
		return Verification{Reason: "unknown"}, nil
	}
	if err != nil {
		return Verification{}, err
	}
	if _, err := ticketcode.VerifyCertificate(code, ed25519.PublicKey(c.PublicKey)); err != nil ||
		c.Code != code || claims.EventID != c.EventID || claims.KeyID != c.KID {
		return Verification{Reason: "unknown"}, nil
	}
	if c.Erased || c.Anonymised || c.Status != store.StatusConfirmed {
		return Verification{Reason: "revoked"}, nil
	}
	for _, d := range c.Days {
		if !slices.Contains(c.AttendedNow, d) {
			return Verification{Reason: "revoked"}, nil
		}
	}
	e, err := s.Store.Event(ctx, s.Store.DB, c.EventID)
	if err != nil {
		return Verification{}, err
	}
	p, err := s.Store.Project(ctx, s.Store.DB, e.ProjectID)
	if err != nil {
		return Verification{}, err
	}
	v := Verification{Valid: true, Name: c.FirstName + " " + c.LastName, Event: e, Project: p, IssuedAt: c.IssuedAt, Lang: c.Language}
	for _, d := range c.Days {
		if t, err := time.Parse("2006-01-02", d); err == nil {
			v.Days = append(v.Days, t)
		}
	}
	if e.HostPartnerID != nil {
		if h, err := s.Store.Partner(ctx, s.Store.DB, *e.HostPartnerID); err == nil {
			v.Host = h.OrganisationIn(c.Language)
		}
	}
	return v, nil
}
