package privacyadmin

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
)

// RetentionSave stores a project's balance payment date and retention periods.
func (h *Handler) RetentionSave(c *gin.Context) error {
	inv := &apperr.Invalid{}
	var paid *time.Time
	if s := strings.TrimSpace(c.PostForm("balance_paid_on")); s != "" {
		d, err := time.Parse("2006-01-02", s)
		if err != nil {
			inv.Add("balance_paid_on", "privacy.error.date")
		}
		paid = &d
	}
	years, err := strconv.Atoi(c.PostForm("retention_years"))
	if err != nil {
		inv.Add("retention_years", "privacy.error.years")
	}
	days, err := strconv.Atoi(c.PostForm("needs_retention_days"))
	if err != nil {
		inv.Add("needs_retention_days", "privacy.error.needs_days")
	}
	if err := inv.Err(); err != nil {
		return h.formError(c, err, "")
	}
	if _, err := h.project(c); err != nil {
		return err
	}
	if err := h.Privacy.SetRetention(c.Request.Context(), c.Param("code"), paid, years, days, h.actor(c)); err != nil {
		return h.formError(c, err, "")
	}
	c.Redirect(http.StatusSeeOther, "/admin/privacy?done=retention")
	return nil
}
