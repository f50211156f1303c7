// Package audit records who did what, when and from where. Every change by a
// staff member and every export or download of personal data goes through Log.
package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

// Entry describes one action. Details must not hold personal data: ids,
// counts, formats and field names only.
type Entry struct {
	Actor      *auth.Principal // nil for the system or the CLI (see ActorLabel)
	ActorLabel string          // "cli", "system", "participant" when Actor is nil
	Action     string          // e.g. "registration.cancel", "export.participants"
	ObjectType string
	ObjectID   any
	IP         string
	Details    map[string]any
}

type headOnly struct{}

// HeadOnly marks a request that sends no body (HTTP HEAD): the GET handler
// it runs records reads of personal data, and nothing was read. Log writes
// nothing under it.
func HeadOnly(ctx context.Context) context.Context { return context.WithValue(ctx, headOnly{}, true) }

// Log appends an entry in q (the transaction of the change it records).
func Log(ctx context.Context, st *store.Store, q sqlx.ExtContext, e Entry) error {
	if ctx.Value(headOnly{}) != nil {
		return nil
	}
	row := store.AuditEntry{Action: e.Action, ObjectType: e.ObjectType, IP: e.IP, Actor: e.ActorLabel}
	if e.ObjectID != nil {
		row.ObjectID = fmt.Sprint(e.ObjectID)
	}
	if e.Actor != nil {
		row.Actor = e.Actor.Label()
		if e.Actor.UserID != 0 {
			id := e.Actor.UserID
			row.ActorUserID = &id
		}
		if e.Actor.DeviceID != 0 {
			id := e.Actor.DeviceID
			row.ActorDeviceID = &id
		}
	}
	if row.Actor == "" {
		row.Actor = "system"
	}
	if e.Details != nil {
		b, err := json.Marshal(e.Details)
		if err != nil {
			return err
		}
		row.Details = store.JSON(b)
	}
	return st.InsertAudit(ctx, q, &row)
}
