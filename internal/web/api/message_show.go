package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// MessageShow answers GET /api/v1/messages/{id}: the message and each
// recipient's delivery state (queued, sending, retrying, sent, failed).
func (h *MessagesAPI) MessageShow(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return apperr.ErrNotFound
	}
	st, err := h.Messages.Status(c.Request.Context(), id)
	if err != nil {
		return err
	}
	slug := ""
	// The object rule, through the message's event or project.
	if st.Message.EventID != nil {
		e, err := h.Env.Objects.EventByID(c, auth.Manage, *st.Message.EventID)
		if err != nil {
			return err
		}
		slug = e.Slug
	} else if _, err := h.Env.Objects.ProjectByID(c, auth.Manage, st.Message.ProjectID); err != nil {
		return err
	}
	c.JSON(http.StatusOK, stateJSON(st, slug))
	return nil
}
