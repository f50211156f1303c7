package signin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// LanguageChange saves the language of the user's own screens and e-mails.
// It answers through the language link (/lv/account), which also makes the
// language this browser's current choice, so the page changes at once.
func (h *Handler) LanguageChange(c *gin.Context) error {
	lang := c.PostForm("language")
	err := h.Accounts.SetLanguage(c.Request.Context(), httpx.Principal(c), lang, c.ClientIP())
	f := newForm()
	if f.fail(err) {
		return h.accountPage(c, http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, "/"+lang+"/account?done=language")
	return nil
}
