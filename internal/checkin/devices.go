package checkin

import (
	"context"
	"errors"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/plaintext"
	"github.com/decode-attend/attend/internal/store"
)

// Pairing is a new device credential, shown once.
type Pairing struct {
	Device store.Device
	Token  string
	URL    string
}

// PairingURL is the link that stores a device token in a phone's browser.
// The token travels in the fragment, which browsers never send to the server,
// so it cannot reach access logs or proxies.
func PairingURL(baseURL, token string) string {
	return strings.TrimRight(baseURL, "/") + "/door/pair#" + token
}

// AddDevice creates a door device for an event with a scan-only token.
// actor nil means the command line.
func (s *Service) AddDevice(ctx context.Context, actor *auth.Principal, eventID int64, name, baseURL string) (Pairing, error) {
	name = strings.TrimSpace(name)
	if name == "" || len([]rune(name)) > 60 {
		return Pairing{}, &apperr.Invalid{Fields: map[string]string{"name": "door.error.device_name"}}
	}
	if !plaintext.Valid(name, false) {
		return Pairing{}, &apperr.Invalid{Fields: map[string]string{"name": "door.error.text"}}
	}
	var out Pairing
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		d := store.Device{EventID: eventID, Name: name}
		if actor != nil && actor.UserID != 0 {
			id := actor.UserID
			d.CreatedBy = &id
		}
		if err := s.Store.CreateDevice(ctx, tx, &d); err != nil {
			if errors.Is(err, store.ErrConflict) {
				return &apperr.Invalid{Fields: map[string]string{"name": "door.error.device_taken"}}
			}
			return err
		}
		tok, err := s.newToken(ctx, tx, d.ID, name)
		if err != nil {
			return err
		}
		out = Pairing{Device: d, Token: tok, URL: PairingURL(baseURL, tok)}
		return audit.Log(ctx, s.Store, tx, auditEntry(actor, "device.create", d.ID, eventID))
	})
	return out, err
}

// NewPairing gives a live device another token (a second phone, or a lost link).
func (s *Service) NewPairing(ctx context.Context, actor *auth.Principal, deviceID int64, baseURL string) (Pairing, error) {
	var out Pairing
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		d, err := s.Store.Device(ctx, tx, deviceID)
		if err != nil {
			return err
		}
		if d.RevokedAt != nil {
			return apperr.ErrConflict
		}
		tok, err := s.newToken(ctx, tx, d.ID, d.Name)
		if err != nil {
			return err
		}
		out = Pairing{Device: d, Token: tok, URL: PairingURL(baseURL, tok)}
		return audit.Log(ctx, s.Store, tx, auditEntry(actor, "device.pair", d.ID, d.EventID))
	})
	return out, err
}

func (s *Service) newToken(ctx context.Context, tx *sqlx.Tx, deviceID int64, label string) (string, error) {
	plain, hash := auth.NewSecret(auth.TokenPrefix)
	id := deviceID
	t := store.APIToken{TokenHash: hash, Prefix: plain[:len(auth.TokenPrefix)+4], DeviceID: &id,
		Scopes: []string{auth.ScopeScan}, Label: label}
	return plain, s.Store.CreateToken(ctx, tx, &t)
}

// RevokeDevice stops a device and its tokens at once.
func (s *Service) RevokeDevice(ctx context.Context, actor *auth.Principal, deviceID int64) (store.Device, error) {
	var d store.Device
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if d, err = s.Store.Device(ctx, tx, deviceID); err != nil {
			return err
		}
		if err := s.Store.RevokeDevice(ctx, tx, deviceID); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, auditEntry(actor, "device.revoke", deviceID, d.EventID))
	})
	return d, err
}

func auditEntry(actor *auth.Principal, action string, deviceID, eventID int64) audit.Entry {
	e := audit.Entry{Actor: actor, Action: action, ObjectType: "device", ObjectID: deviceID,
		Details: map[string]any{"event_id": eventID}}
	if actor == nil {
		e.ActorLabel = "cli"
	}
	return e
}
