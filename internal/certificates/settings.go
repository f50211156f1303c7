package certificates

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// maxSignatory bounds the signatory's name and position (the column checks
// the same).
const maxSignatory = 200

// SaveSettings validates and stores an event's certificate settings,
// audited in the same transaction (actor nil: the command line).
func (s *Service) SaveSettings(ctx context.Context, actor *auth.Principal, e store.Event, cs store.CertificateSettings, ip string) (store.CertificateSettings, error) {
	if actor != nil {
		if err := actor.Check(auth.Manage, auth.EventObject(e), s.Now()); err != nil {
			return cs, err
		}
	}
	cs.EventID = e.ID
	cs.SignatoryName = strings.Join(strings.Fields(cs.SignatoryName), " ")
	cs.SignatoryPosition = strings.Join(strings.Fields(cs.SignatoryPosition), " ")
	inv := &apperr.Invalid{}
	if utf8.RuneCountInString(cs.SignatoryName) > maxSignatory {
		inv.Add("signatory_name", "certificates.error.too_long")
	}
	if utf8.RuneCountInString(cs.SignatoryPosition) > maxSignatory {
		inv.Add("signatory_position", "certificates.error.too_long")
	}
	if cs.SignatoryPosition != "" && cs.SignatoryName == "" {
		inv.Add("signatory_name", "certificates.error.name_required")
	}
	if err := inv.Err(); err != nil {
		return cs, err
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SaveCertificateSettings(ctx, tx, cs); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: actor, ActorLabel: "cli", Action: "event.certificate_settings",
			ObjectType: "event", ObjectID: e.ID, IP: ip, Details: map[string]any{"auto_send": cs.AutoSend}})
	})
	return cs, err
}
