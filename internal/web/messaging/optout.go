package messaging

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

type optOutData struct {
	Project, Email, Action string
	Done                   bool
}

// OptOutShow is the page of the opt-out link in a message: it asks, a
// button confirms (a GET changes nothing, so link scanners do no harm).
func (h *Handler) OptOutShow(c *gin.Context) error {
	return h.optOut(c, false)
}

// OptOutSubmit records the opt-out.
func (h *Handler) OptOutSubmit(c *gin.Context) error {
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	return h.optOut(c, true)
}

func (h *Handler) optOut(c *gin.Context, do bool) error {
	ctx := c.Request.Context()
	r, err := h.Messages.VerifyOptOut(ctx, c.Param("id"), c.Param("token"))
	if err != nil {
		return err
	}
	if do {
		if err := h.Messages.OptOut(ctx, r, c.ClientIP()); err != nil {
			return err
		}
	}
	done, err := h.Messages.OptedOut(ctx, r)
	if err != nil {
		return err
	}
	e, err := h.Store.Event(ctx, h.Store.DB, r.EventID)
	if err != nil {
		return err
	}
	p, err := h.Store.Project(ctx, h.Store.DB, e.ProjectID)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	name := p.Acronym
	if name == "" {
		name = p.Title.In(lang)
	}
	l := h.Env.I18n.Localizer(lang)
	d := optOutData{Project: name, Email: *r.Email, Done: done, Action: c.Request.URL.Path}
	h.Env.HTML(c, http.StatusOK, "messages/optout.html", h.Env.NewPage(c, l.T("optout.page.title"), d))
	return nil
}

func sortedKeys(m map[string]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
