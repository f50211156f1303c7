package admin

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"path/filepath"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// maxImportFile is the largest file the import screen takes (the route's body limit).
const maxImportFile = 10 << 20

// ImportPreview takes an uploaded file (or, with sha256, the file uploaded
// before and a new column mapping), keeps it for its application and shows
// what importing it would do, storing nothing else.
func (h *Handler) ImportPreview(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	ctx := c.Request.Context()
	p := httpx.Principal(c)
	send, over := c.PostForm("send_tickets") == "1", c.PostForm("over_capacity") == "1"
	if sum := c.PostForm("sha256"); sum != "" {
		u, ok, err := h.upload(c, e, sum)
		if err != nil || !ok {
			return err
		}
		sh, _ := sheetin.Read(u.Content)
		n := 0
		if sh != nil {
			n = len(sh.Header)
		}
		return h.checkImport(c, e, u, mapping(c, n), send, over, http.StatusOK)
	}
	fh, err := c.FormFile("file")
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return apperr.ErrTooLarge
		}
		return h.uploadAgain(c, e, "import.error.no_file")
	}
	if fh.Size > maxImportFile {
		return apperr.ErrTooLarge
	}
	fr, err := fh.Open()
	if err != nil {
		return err
	}
	defer fr.Close()
	b, err := io.ReadAll(io.LimitReader(fr, maxImportFile+1))
	if err != nil {
		return err
	}
	if len(b) == 0 {
		return h.uploadAgain(c, e, "import.error.no_file")
	}
	if _, err := sheetin.Read(b); err != nil {
		return h.uploadAgain(c, e, "import.error.file")
	}
	sum := sha256.Sum256(b)
	u := store.ImportUpload{EventID: e.ID, UserID: p.UserID, SHA256: sum[:], FileName: filepath.Base(fh.Filename), Content: b, CreatedAt: h.Now()}
	if err := h.Store.SaveImportUpload(ctx, h.Store.DB, &u); err != nil {
		return err
	}
	return h.checkImport(c, e, u, nil, send, over, http.StatusOK)
}

// upload finds the caller's kept upload for e by its SHA-256 (hex); false
// when there is none (any more), and the upload form is shown again.
func (h *Handler) upload(c *gin.Context, e store.Event, sum string) (store.ImportUpload, bool, error) {
	b, err := hex.DecodeString(sum)
	if err != nil || len(b) != sha256.Size {
		return store.ImportUpload{}, false, h.uploadAgain(c, e, "import.error.expired")
	}
	u, err := h.Store.ImportUpload(c.Request.Context(), h.Store.DB, e.ID, httpx.Principal(c).UserID, b, h.Now())
	if errors.Is(err, store.ErrNotFound) {
		return u, false, h.uploadAgain(c, e, "import.error.expired")
	}
	return u, err == nil, err
}

// uploadAgain shows the upload form with an error on the file field.
func (h *Handler) uploadAgain(c *gin.Context, e store.Event, key string) error {
	f := newForm(importPage{Event: e})
	f.Errors["file"], f.Message, f.Kind = key, "admin.form.errors", "error"
	h.render(c, http.StatusUnprocessableEntity, "import", "admin.import.title", f)
	return nil
}
