package admin

import (
	"encoding/hex"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ImportApply imports the previewed file with the mapping shown, all or
// nothing. A file that has errors by now (another registration took the last
// place meanwhile) shows its preview again with them.
func (h *Handler) ImportApply(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	u, ok, err := h.upload(c, e, c.PostForm("sha256"))
	if err != nil || !ok {
		return err
	}
	sh, err := sheetin.Read(u.Content)
	if err != nil {
		return h.uploadAgain(c, e, "import.error.file")
	}
	cols := mapping(c, len(sh.Header))
	send, over := c.PostForm("send_tickets") == "1", c.PostForm("over_capacity") == "1"
	ctx := c.Request.Context()
	_, err = h.Registrations.Import(ctx, httpx.Principal(c), e.Slug, sh, registration.ImportOptions{
		SendTickets: send, OverCapacity: over, FileName: u.FileName, SHA256: hex.EncodeToString(u.SHA256),
		Columns: cols, Headers: h.Headers, Lang: httpx.Lang(c), IP: c.ClientIP(),
	})
	if errors.Is(err, registration.ErrImportRejected) {
		return h.checkImport(c, e, u, cols, send, over, http.StatusUnprocessableEntity)
	}
	if err != nil {
		return err
	}
	if err := h.Store.DeleteImportUpload(ctx, h.Store.DB, u.ID); err != nil {
		return err
	}
	redirect(c, "/admin/events/"+e.Slug+"?done=imported")
	return nil
}
