package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ManageCancel asks for confirmation before cancelling.
func (h *Handler) ManageCancel(c *gin.Context) {
	r, e, ok := h.managed(c)
	if !ok {
		return
	}
	d, err := h.manageData(c, r, e)
	if err != nil {
		h.Env.Fail(c, err)
		return
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	h.Env.HTML(c, http.StatusOK, "public/manage_cancel.html", h.Env.NewPage(c, l.T("cancel.title"), d))
}

// ManageCancelSubmit cancels the registration; the next person waiting is promoted.
func (h *Handler) ManageCancelSubmit(c *gin.Context) {
	r, _, ok := h.managed(c)
	if !ok {
		return
	}
	if err := h.Reg.Cancel(c.Request.Context(), r.ID, nil); err != nil {
		h.Env.Fail(c, err)
		return
	}
	h.backToManage(c, r, "cancelled")
}

// ManageCalendar downloads the event as iCalendar from the private page.
func (h *Handler) ManageCalendar(c *gin.Context) {
	_, e, ok := h.managed(c)
	if !ok {
		return
	}
	h.sendCalendar(c, e, "")
}
