package admin

import (
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// previewRows is how many rows of the file the preview shows.
const previewRows = 10

// importPage is the import screen: the upload form, or a checked file's
// preview (its column mapping, first rows, counts and errors).
//
// The uploaded file waits between preview and application in a short-lived
// server-side row (store.ImportUpload, at most an hour, deleted once
// applied) keyed by its SHA-256, which the form carries: asking the admin to
// choose the same file again could apply a different file than the one
// previewed, and a file carried back and forth in the page would have to be
// trusted as sent. The SHA-256 names the file in the audit log.
type importPage struct {
	Event        store.Event
	Over         bool // the event is over: no e-mail goes out
	SHA256       string
	FileName     string
	Fields       []string
	Columns      []registration.ImportColumn
	Header       []string
	Rows         []sheetin.Row
	More         int // rows not shown
	Result       *registration.ImportResult
	SendTickets  bool
	OverCapacity bool
}

// ImportForm shows the upload form of an event's import.
func (h *Handler) ImportForm(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	h.render(c, http.StatusOK, "import", "admin.import.title", newForm(importPage{Event: e}).done(c))
	return nil
}

// checkImport runs a dry run of an uploaded file with a column mapping
// (nil: recognised from the header) and shows the preview; status is the
// page's status when the file has no errors.
func (h *Handler) checkImport(c *gin.Context, e store.Event, u store.ImportUpload, cols []string, send, over bool, status int) error {
	f := newForm(nil)
	sh, err := sheetin.Read(u.Content)
	if err != nil {
		f.Errors["file"], f.Message, f.Kind = "import.error.file", "admin.form.errors", "error"
		f.Data = importPage{Event: e}
		h.render(c, http.StatusUnprocessableEntity, "import", "admin.import.title", f)
		return nil
	}
	if cols != nil && len(cols) != len(sh.Header) {
		cols = nil
	}
	res, err := h.Registrations.Import(c.Request.Context(), httpx.Principal(c), e.Slug, sh, registration.ImportOptions{
		DryRun: true, SendTickets: send, OverCapacity: over, FileName: u.FileName, SHA256: hex.EncodeToString(u.SHA256),
		Columns: cols, Headers: h.Headers, Lang: httpx.Lang(c), IP: c.ClientIP(),
	})
	if err != nil && !errors.Is(err, registration.ErrImportRejected) {
		return err
	}
	res.Localize(h.l(c))
	p := importPage{
		Event: e, Over: e.LastDay.Before(h.Now().AddDate(0, 0, -1)), SHA256: hex.EncodeToString(u.SHA256), FileName: u.FileName,
		Fields: registration.ImportFields, Columns: res.Columns, Header: sh.Header, Result: &res, SendTickets: send, OverCapacity: over,
	}
	p.Rows = sh.Rows
	if len(p.Rows) > previewRows {
		p.Rows, p.More = p.Rows[:previewRows], len(sh.Rows)-previewRows
	}
	if len(res.Errors) > 0 {
		f.Message, f.Kind, status = "import.error.rejected", "error", http.StatusUnprocessableEntity
	}
	f.Data = p
	h.render(c, status, "import", "admin.import.title", f)
	return nil
}

// mapping reads the admin's column mapping (map_0, map_1 ...) from the form;
// nil when the form has none.
func mapping(c *gin.Context, n int) []string {
	if _, ok := c.GetPostForm("map_0"); !ok {
		return nil
	}
	cols := make([]string, n)
	for i := range cols {
		cols[i] = c.PostForm("map_" + strconv.Itoa(i))
	}
	return cols
}
