package public

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/tickets"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type verifyData struct {
	Valid  bool
	Reason string // unknown | revoked
	// What the certificate itself shows, nothing more.
	Name, Event, Place, Dates, Project, Programme, Grant, Host, Issued string
	Days                                                               []string
}

// VerifyShow is the public answer to "is this certificate genuine?": valid
// with what it certifies, or not valid (200, 404 for a code we never issued,
// 410 for a withdrawn certificate) without saying more.
func (h *CertificatePages) VerifyShow(c *gin.Context) error {
	v, err := h.Certs.Verify(c.Request.Context(), c.Param("code"))
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	d := verifyData{Valid: v.Valid, Reason: v.Reason}
	status := http.StatusOK
	switch {
	case v.Valid:
		d.Name, d.Event = v.Name, v.Event.Title.In(lang)
		d.Place, d.Dates = tickets.VenueLine(l, v.Event), l.DateRange(v.Event.FirstDay, v.Event.LastDay)
		d.Project = v.Project.Title.In(lang)
		if v.Project.Acronym != "" && !strings.Contains(d.Project, v.Project.Acronym) {
			d.Project = v.Project.Acronym + " - " + d.Project
		}
		d.Programme = v.Project.Programme
		d.Grant, d.Host, d.Issued = v.Project.GrantRef, v.Host, l.Date(v.IssuedAt)
		for _, day := range v.Days {
			d.Days = append(d.Days, tickets.Weekday(l, day)+" "+l.Date(day))
		}
	case v.Reason == "revoked":
		status = http.StatusGone
	default:
		status = http.StatusNotFound
	}
	// The page names a person: no shared cache keeps it, no search engine lists it.
	c.Header("Cache-Control", "no-store")
	c.Header("X-Robots-Tag", "noindex, nofollow")
	h.Env.HTML(c, status, "public/verify.html", h.Env.NewPage(c, l.T("verify.title"), d))
	return nil
}
