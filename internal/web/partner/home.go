package partner

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type homeData struct {
	Partner     *store.Partner
	Events      []view.EventView
	Delegations []delegationRow
}

type delegationRow struct {
	store.DelegationSummary
	Title string
	Dates string
}

// Home lists the events open for registration and the caller's delegations.
func (h *Handler) Home(c *gin.Context) error {
	p := principal(c)
	partnerID, err := scope(p)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	var d homeData
	if partnerID != 0 {
		pt, err := h.Store.Partner(c.Request.Context(), h.Store.DB, partnerID)
		if err != nil {
			return err
		}
		d.Partner = &pt
	}
	events, err := h.Store.Events(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	for _, e := range events {
		v := view.NewEventView(e, l, h.Now())
		if v.Open && v.Status != "past" && p.May(auth.Delegate, auth.EventObject(e), h.Now()) {
			d.Events = append(d.Events, v)
		}
	}
	sums, err := h.Store.Delegations(c.Request.Context(), h.Store.DB, p.ProjectScope(), partnerID)
	if err != nil {
		return err
	}
	for _, s := range sums {
		d.Delegations = append(d.Delegations, delegationRow{s, s.EventTitle.In(lang), l.DateRange(s.FirstDay, s.LastDay)})
	}
	h.Env.HTML(c, http.StatusOK, "partner/home.html", h.Env.NewPage(c, l.T("partner.title"), d))
	return nil
}
