package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// ManageCancel asks for confirmation before cancelling.
func (h *Handler) ManageCancel(c *gin.Context) error {
	d, err := h.managePage(c)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	h.Env.HTML(c, http.StatusOK, "public/manage_cancel.html", h.Env.NewPage(c, l.T("cancel.title"), d))
	return nil
}

// ManageCancelSubmit cancels the registration; the next person waiting is promoted.
func (h *Handler) ManageCancelSubmit(c *gin.Context) error {
	r, _, err := h.managed(c)
	if err != nil {
		return err
	}
	if err := h.Reg.Cancel(c.Request.Context(), r.ID, nil); err != nil {
		return err
	}
	return h.backToManage(c, r, "cancelled")
}

// ManageCalendar downloads the event as iCalendar from the private page.
func (h *Handler) ManageCalendar(c *gin.Context) error {
	_, e, err := h.managed(c)
	if err != nil {
		return err
	}
	return h.sendCalendar(c, e, "")
}
