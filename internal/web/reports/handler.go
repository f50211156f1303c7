// Package reports serves the coordinators' report screens and files: the
// project and event dashboards, exports, signed lists and badges, and the
// signing desk at the door. Every number comes from internal/report.
package reports

import (
	"encoding/base64"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what report routes need.
type Handler struct {
	Env     *httpx.Env
	Store   *store.Store
	Reports *report.Service
	Now     func() time.Time
}

// options reads ?rules= and ?raw=1.
func options(c *gin.Context) report.Options {
	return report.Options{RuleSet: strings.TrimSpace(c.Query("rules")), Raw: c.Query("raw") == "1"}
}

// auditExport records a download of personal data (ids, counts and formats only).
func (h *Handler) auditExport(c *gin.Context, action, objectType string, objectID any, details map[string]any) error {
	return audit.Log(c.Request.Context(), h.Store, h.Store.DB, audit.Entry{Actor: httpx.Principal(c), Action: action,
		ObjectType: objectType, ObjectID: objectID, IP: c.ClientIP(), Details: details})
}

// attachment sets the download headers; name is ASCII (slugs and fixed words).
func attachment(c *gin.Context, name, contentType string) {
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", `attachment; filename="`+name+`"`)
	c.Header("X-Content-Type-Options", "nosniff")
	c.Status(http.StatusOK)
}

func queryInt(c *gin.Context, key string) int64 {
	n, err := strconv.ParseInt(c.Query(key), 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

func parseDay(s string) (time.Time, error) { return time.Parse("2006-01-02", s) }

func errorsIsConflict(err error) bool { return errors.Is(err, apperr.ErrConflict) }

// decodeDataURL reads "data:image/png;base64,...".
func decodeDataURL(s string) ([]byte, bool) {
	const prefix = "data:image/png;base64,"
	if !strings.HasPrefix(s, prefix) || len(s) > 2*report.MaxSignatureBytes {
		return nil, false
	}
	b, err := base64.StdEncoding.DecodeString(s[len(prefix):])
	if err != nil || len(b) == 0 {
		return nil, false
	}
	return b, true
}

// visibleEvent loads the route's event; to a coordinator of another project
// it does not exist.
func (h *Handler) visibleEvent(c *gin.Context) (store.Event, error) {
	return h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
}

// textLang is the language of the publishable text: ?text=, else the page's.
func textLang(c *gin.Context, b *i18n.Bundle, l *i18n.Localizer) string {
	offered := report.TextLanguages(b)
	if t := c.Query("text"); slices.Contains(offered, t) {
		return t
	}
	if slices.Contains(offered, l.Lang) {
		return l.Lang
	}
	return i18n.Fallback
}

// kindBars are the bars of local, invited and other participants.
func kindBars(l *i18n.Localizer, n report.Counts) []Bar {
	return []Bar{
		{Label: l.T("report.kind.local"), Value: n.Local, Class: "bar-local"},
		{Label: l.T("report.kind.invited"), Value: n.Invited, Class: "bar-invited"},
		{Label: l.T("report.kind.other"), Value: n.Other, Class: "bar-other"},
	}
}

// sendCounts streams a counts file named after id; the raw file (small
// counts unsuppressed) is audited before the first byte.
func (h *Handler) sendCounts(c *gin.Context, f report.Format, o report.Options, objectType, id string,
	n report.Counts, rules []report.RuleResult, events []report.EventReport) error {
	if o.Raw {
		if err := h.auditExport(c, "export.raw_counts", objectType, id, map[string]any{"format": string(f)}); err != nil {
			return err
		}
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	attachment(c, id+"-counts."+string(f), f.ContentType())
	if err := report.WriteCounts(c.Writer, f, l, n, rules, events); err != nil {
		_ = c.Error(err) // headers are sent: the download ends short
	}
	return nil
}
