// Package door serves the door pages: pairing a phone, the scanner (an
// installable offline web app with the desk and walk-ins), the live counts
// screen and the coordinators' device pages.
package door

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what door pages need.
type Handler struct {
	Env     *httpx.Env
	Store   *store.Store
	Checkin *checkin.Service
	BaseURL string
	Now     func() time.Time
	Assets  *httpx.AssetTable
}

// Asset returns the content-hashed URL of a static file.
func (h *Handler) Asset(p string) string { return h.Assets.URL(p) }

// jsKeys are the messages the scanner script shows; they travel to the page
// as one JSON attribute so the script needs no second request.
var jsKeys = []string{
	"result.admitted", "result.already_admitted", "result.already_detail", "result.invalid", "result.revoked",
	"result.cancelled", "result.wrong_event", "result.not_today", "result.not_today_detail", "result.unverified",
	"reason.malformed", "reason.forged", "result.double_entry", "result.offline_note",
	"status.online", "status.offline", "status.synced", "status.syncing", "status.not_paired", "status.revoked",
	"status.no_list", "status.list", "camera.denied", "camera.none", "camera.insecure", "camera.starting",
	"camera.ready", "camera.engine_failed", "desk.none", "desk.admit", "desk.admitted_today", "desk.cancelled",
	"desk.reason_required", "desk.offline_search", "desk.no_ticket", "walkin.done", "walkin.failed",
	"error.generic", "counts.desk", "result.next", "desk.not_registered_today", "desk.day_reason_required",
	"status.forbidden", "status.signed_out",
}

// jsPlurals are plural messages the script formats by count.
var jsPlurals = []string{"status.queued"}

// messages builds the script's catalogue in the page language. Plural
// messages become one template per CLDR category with {count} kept.
func messages(l *i18n.Localizer) string {
	m := map[string]any{}
	for _, k := range jsKeys {
		m[k] = l.T("door.js." + k)
	}
	for _, k := range jsPlurals {
		forms := map[string]string{}
		for n := 0; n <= 200; n++ {
			f := l.PluralCategory(n)
			if _, ok := forms[f]; ok {
				continue
			}
			forms[f] = strings.Replace(l.N("door.js."+k, n), l.Number(n), "{count}", 1)
		}
		m[k] = forms
	}
	// In and out (door mode): their own catalogue area.
	for k, key := range map[string]string{"result.exited": "doormode.exited", "result.not_inside": "doormode.not_inside"} {
		m[k] = l.T(key)
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// events lists the events the caller may act on with a, by date.
func (h *Handler) events(c *gin.Context, a auth.Action) ([]store.Event, error) {
	all, err := h.Store.Events(c.Request.Context(), h.Store.DB)
	if err != nil {
		return nil, err
	}
	p, now := httpx.Principal(c), h.Now()
	var out []store.Event
	for _, e := range all {
		if p.May(a, auth.EventObject(e), now) {
			out = append(out, e)
		}
	}
	return out, nil
}

// device loads the route's device (:id) and its event, if the caller manages
// the event.
func (h *Handler) device(c *gin.Context) (store.Device, store.Event, error) {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return store.Device{}, store.Event{}, err
	}
	return h.Env.Objects.Device(c, auth.Manage, id)
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:6])
}
