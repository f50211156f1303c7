package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type homeData struct {
	Current, Upcoming, Past []view.EventView
}

// Home lists the events: happening now, upcoming, then past (newest first).
func (h *Handler) Home(c *gin.Context) error {
	events, err := h.Store.Events(c.Request.Context(), h.Store.DB)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	var d homeData
	now := h.Now()
	hosts := map[int64]store.Partner{}
	for _, e := range events {
		v := view.NewEventView(e, l, now)
		if e.HostPartnerID != nil {
			host, ok := hosts[*e.HostPartnerID]
			if !ok {
				if host, err = h.Store.Partner(c.Request.Context(), h.Store.DB, *e.HostPartnerID); err != nil {
					return err
				}
				hosts[*e.HostPartnerID] = host
			}
			v.NameCity(host, l)
		}
		switch v.Status {
		case "ongoing":
			d.Current = append(d.Current, v)
		case "upcoming":
			d.Upcoming = append(d.Upcoming, v)
		default:
			d.Past = append([]view.EventView{v}, d.Past...)
		}
	}
	h.Env.HTML(c, http.StatusOK, "public/home.html", h.Env.NewPage(c, l.T("home.title"), d))
	return nil
}
