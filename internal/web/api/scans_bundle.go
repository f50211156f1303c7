package api

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorBundle answers GET /api/v1/door/bundle: the offline data of the
// caller's event (keys, revocations, allowed people without contact data).
// The ETag is a hash of the content, so a device that sends it back in
// If-None-Match gets 304 and no bytes when nothing changed.
func (h *DoorAPI) DoorBundle(c *gin.Context) error {
	ev, err := h.event(c)
	if err != nil {
		return err
	}
	b, err := h.Checkin.ExportBundle(c.Request.Context(), httpx.Principal(c), ev)
	if err != nil {
		return err
	}
	// The tag covers everything but generated_at, which changes every time:
	// a device that gets 304 keeps its copy, whose content is the same.
	timeless := b
	timeless.GeneratedAt = time.Time{}
	tagged, err := json.Marshal(timeless)
	if err != nil {
		return err
	}
	sum := sha256.Sum256(tagged)
	etag := `"` + base64.RawURLEncoding.EncodeToString(sum[:18]) + `"`
	c.Header("ETag", etag)
	// The API stays no-store (people's names stay out of the HTTP cache):
	// the scanner keeps the ETag with its stored bundle and sends it itself.
	if etagMatches(c.GetHeader("If-None-Match"), etag) {
		c.Status(http.StatusNotModified)
		return nil
	}
	c.JSON(http.StatusOK, b)
	return nil
}

// etagMatches applies If-None-Match's weak comparison. The compression
// middleware suffixes the ETag of a compressed answer ("-gzip", "-zstd");
// the body is the same, so a suffixed tag matches too.
func etagMatches(header, etag string) bool {
	want := strings.Trim(etag, `"`)
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		t = strings.Trim(strings.TrimPrefix(t, "W/"), `"`)
		t = strings.TrimSuffix(strings.TrimSuffix(t, "-gzip"), "-zstd")
		if t == want {
			return true
		}
	}
	return false
}
