package api

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// ImportsAPI imports participants and attendance from spreadsheets (report or
// admin scope tokens of coordinators, or their sessions).
type ImportsAPI struct {
	Env     *httpx.Env
	Reg     *registration.Service
	Headers *registration.Headers
}

// importRejected is the 422 answer to a file with errors: the API's error
// shape, and the result with every error by row and column.
type importRejected struct {
	Error  httpx.APIErrorBody        `json:"error"`
	Result registration.ImportResult `json:"result"`
}

// ImportCreate answers POST /api/v1/events/{slug}/imports: the body is the
// file (text/csv or the XLSX media type); ?dry_run=true checks and counts
// without storing, ?send_tickets=true e-mails the tickets of newly confirmed
// people, ?over_capacity=true raises the capacity to fit. 200 with the
// result, or 422 with every error and nothing stored.
func (h *ImportsAPI) ImportCreate(c *gin.Context) error {
	e, err := h.Env.Objects.Event(c, auth.Manage, c.Param("slug"))
	if err != nil {
		return err
	}
	mt, _, _ := mime.ParseMediaType(c.GetHeader("Content-Type"))
	switch mt {
	case "text/csv", sheetin.XLSXMediaType:
	default:
		h.fail(c, http.StatusUnsupportedMediaType, "unsupported_media_type", "import.error.content_type", nil)
		return nil
	}
	inv := &apperr.Invalid{}
	flag := func(name string) bool {
		v := c.Query(name)
		if v == "" {
			return false
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			inv.Add(name, "import.error.boolean")
		}
		return b
	}
	dry, send, over := flag("dry_run"), flag("send_tickets"), flag("over_capacity")
	if err := inv.Err(); err != nil {
		return err
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return apperr.ErrTooLarge
		}
		return &apperr.Invalid{}
	}
	sh, err := sheetin.Read(body)
	if err != nil {
		h.fail(c, http.StatusUnprocessableEntity, "unreadable_file", "import.error.file", nil)
		return nil
	}
	sum := sha256.Sum256(body)
	res, err := h.Reg.Import(c.Request.Context(), httpx.Principal(c), e.Slug, sh, registration.ImportOptions{
		DryRun: dry, SendTickets: send, OverCapacity: over, FileName: c.GetHeader("X-File-Name"),
		SHA256: hex.EncodeToString(sum[:]), Headers: h.Headers, Lang: httpx.Lang(c), IP: c.ClientIP(),
	})
	res.Localize(h.Env.I18n.Localizer(httpx.Lang(c)))
	if errors.Is(err, registration.ErrImportRejected) {
		h.fail(c, http.StatusUnprocessableEntity, "invalid_rows", "import.error.rejected", &res)
		return nil
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, res)
	return nil
}

func (h *ImportsAPI) fail(c *gin.Context, status int, code, key string, res *registration.ImportResult) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	body := httpx.APIErrorBody{Code: code, Message: l.T(key), RequestID: httpx.RequestID(c)}
	if res == nil {
		c.AbortWithStatusJSON(status, httpx.APIError{Error: body})
		return
	}
	c.AbortWithStatusJSON(status, importRejected{Error: body, Result: *res})
}
