package privacyadmin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/privacy"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// NoticePublish (or, with preview set, only shows in the administrator's
// language what would be published) renders the next version of the notice in every language
// from the template and the project's retention, and publishes it.
func (h *Handler) NoticePublish(c *gin.Context) error {
	proj, err := h.project(c)
	if err != nil {
		return err
	}
	p := privacy.NoticeParams{
		Controller: strings.TrimSpace(c.PostForm("controller")), Contact: strings.TrimSpace(c.PostForm("contact")),
		DPO: strings.TrimSpace(c.PostForm("dpo")), Authority: strings.TrimSpace(c.PostForm("authority")),
	}
	preview := c.PostForm("preview") != ""
	var d privacy.NoticeDraft
	if preview {
		d, err = h.Privacy.DraftNotice(c.Request.Context(), c.Param("code"), p)
	} else {
		_, err = h.Privacy.PublishNotice(c.Request.Context(), c.Param("code"), p, h.actor(c))
	}
	if inv, ok := apperr.AsInvalid(err); ok {
		return h.notices(c, proj, http.StatusUnprocessableEntity, &p, inv.Fields, nil)
	}
	if err != nil {
		return err
	}
	if preview {
		return h.notices(c, proj, http.StatusOK, &p, nil, privacy.Paragraphs(d.Bodies[httpx.Lang(c)]))
	}
	c.Redirect(http.StatusSeeOther, "/admin/privacy/projects/"+c.Param("code")+"/notices?published=1")
	return nil
}
