package report

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image/png"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// MaxSignatureBytes bounds a signature image (a 600 x 200 line drawing is a
// few kilobytes).
const MaxSignatureBytes = 256 << 10

// SignatureInput is a signature drawn at the signing desk.
type SignatureInput struct {
	Event          store.Event
	RegistrationID int64
	Day            time.Time
	PNG            []byte
	By             *auth.Principal
	IP             string
}

// Today is the event's current calendar day in its time zone.
func Today(e store.Event, now time.Time) time.Time {
	loc := e.Location()
	t := now.In(loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// SaveSignature stores a signature of a person admitted on the day, with its
// SHA-256, the device and the time, and records it in the audit log. A person
// signs once per day: a second signature is a conflict, never a replacement.
func (s *Service) SaveSignature(ctx context.Context, in SignatureInput) (store.Signature, error) {
	inv := &apperr.Invalid{}
	if len(in.PNG) == 0 || len(in.PNG) > MaxSignatureBytes {
		inv.Add("signature", "report.error.signature")
	} else if cfg, err := png.DecodeConfig(bytes.NewReader(in.PNG)); err != nil || cfg.Width < 50 || cfg.Height < 20 ||
		cfg.Width > 2000 || cfg.Height > 1000 {
		inv.Add("signature", "report.error.signature")
	}
	if err := inv.Err(); err != nil {
		return store.Signature{}, err
	}
	cs, err := s.Store.SigningCandidates(ctx, s.Store.DB, in.Event.ID, in.Day, "", in.RegistrationID, 1)
	if err != nil {
		return store.Signature{}, err
	}
	if len(cs) == 0 {
		return store.Signature{}, apperr.ErrNotFound
	}
	if cs[0].Signed {
		return store.Signature{}, apperr.ErrConflict
	}
	sum := sha256.Sum256(in.PNG)
	sg := store.Signature{EventID: in.Event.ID, RegistrationID: in.RegistrationID, Day: in.Day, ImagePNG: in.PNG,
		SHA256: sum[:], CapturedAt: s.Now().UTC()}
	if in.By != nil && in.By.DeviceID != 0 {
		id := in.By.DeviceID
		sg.DeviceID = &id
	}
	if in.By != nil && in.By.UserID != 0 {
		id := in.By.UserID
		sg.UserID = &id
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.InsertSignature(ctx, tx, &sg); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: in.By, Action: "signature.capture",
			ObjectType: "registration", ObjectID: in.RegistrationID, IP: in.IP,
			Details: map[string]any{"event": in.Event.Slug, "day": in.Day.Format("2006-01-02"),
				"sha256": sumHex(sum[:])}})
	})
	if errors.Is(err, store.ErrConflict) {
		return sg, apperr.ErrConflict
	}
	return sg, err
}

func sumHex(b []byte) string { return hex.EncodeToString(b) }
