package checkin

import (
	"context"
	"encoding/base64"
	"time"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// Bundle is what a door device holds to work offline: the event's public
// keys, the revocation list, and the people allowed in with only what the
// door shows (never e-mail or phone).
type Bundle struct {
	GeneratedAt time.Time     `json:"generated_at"`
	Event       BundleEvent   `json:"event"`
	Device      *BundleDevice `json:"device"`
	Keys        []BundleKey   `json:"keys"`
	Revoked     []RevokedRef  `json:"revoked"`
	People      []Attendee    `json:"people"`
	// AdmittedToday lists registrations already in today, so that a device
	// going offline still answers "already admitted" for them.
	AdmittedToday []int64 `json:"admitted_today"`
	Today         string  `json:"today"`
}

// BundleEvent describes the event for the scanner.
type BundleEvent struct {
	ID       int64             `json:"id"`
	Slug     string            `json:"slug"`
	Project  string            `json:"project"` // project code, for the privacy notice link
	Title    map[string]string `json:"title"`
	TimeZone string            `json:"time_zone"`
	FirstDay string            `json:"first_day"`
	LastDay  string            `json:"last_day"`
	// CountsExits lets the scanner switch to door mode "out".
	CountsExits bool `json:"counts_exits"`
}

// BundleDevice names the device the bundle was made for.
type BundleDevice struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// BundleKey is an Ed25519 public key (raw 32 bytes, base64) by key id.
type BundleKey struct {
	KID       string `json:"kid"`
	PublicKey string `json:"public_key"`
}

// RevokedRef is a revoked ticket; Cancelled when its registration was cancelled.
type RevokedRef struct {
	TicketID  int64 `json:"ticket_id"`
	Cancelled bool  `json:"cancelled"`
}

// ExportBundle hands the offline data to a door device or staff member.
// It is a download of personal data (names), so it is audited.
func (s *Service) ExportBundle(ctx context.Context, p *auth.Principal, ev store.Event) (Bundle, error) {
	var dev *BundleDevice
	if p.IsDevice() {
		dev = &BundleDevice{ID: p.DeviceID, Name: p.Name}
	}
	b, err := s.Bundle(ctx, ev, dev)
	if err != nil {
		return b, err
	}
	return b, audit.Log(ctx, s.Store, s.Store.DB, audit.Entry{
		Actor: p, Action: "export.door_list", ObjectType: "event", ObjectID: ev.ID,
		Details: map[string]any{"people": len(b.People)},
	})
}

// Bundle builds the offline data of an event's door (dev names the device, if any).
func (s *Service) Bundle(ctx context.Context, ev store.Event, dev *BundleDevice) (Bundle, error) {
	q := s.Store.DB
	today := s.Today(ev)
	b := Bundle{
		GeneratedAt: s.Now().UTC(), Device: dev, Today: today.Format(time.DateOnly),
		Event: BundleEvent{ID: ev.ID, Slug: ev.Slug, Title: ev.Title, TimeZone: ev.TimeZone,
			FirstDay: ev.FirstDay.Format(time.DateOnly), LastDay: ev.LastDay.Format(time.DateOnly), CountsExits: ev.CountsExits},
		Keys: []BundleKey{}, Revoked: []RevokedRef{}, People: []Attendee{},
	}
	proj, err := s.Store.Project(ctx, q, ev.ProjectID)
	if err != nil {
		return b, err
	}
	b.Event.Project = proj.Code
	keys, err := s.Store.EventKeys(ctx, q, ev.ID)
	if err != nil {
		return b, err
	}
	for _, k := range keys {
		b.Keys = append(b.Keys, BundleKey{KID: k.KID, PublicKey: base64.StdEncoding.EncodeToString(k.PublicKey)})
	}
	rev, err := s.Store.RevokedTickets(ctx, q, ev.ID)
	if err != nil {
		return b, err
	}
	for _, r := range rev {
		b.Revoked = append(b.Revoked, RevokedRef{TicketID: r.TicketID, Cancelled: r.Cancelled})
	}
	people, err := s.Store.DoorList(ctx, q, ev.ID)
	if err != nil {
		return b, err
	}
	for _, p := range people {
		b.People = append(b.People, *attendee(p))
	}
	if b.AdmittedToday, err = s.Store.AdmittedOn(ctx, q, ev.ID, today); err != nil {
		return b, err
	}
	if b.AdmittedToday == nil {
		b.AdmittedToday = []int64{}
	}
	return b, nil
}
