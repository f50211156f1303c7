package web

import (
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
)

func init() {
	// Not every system's mime table knows these.
	mime.AddExtensionType(".wasm", "application/wasm")
	mime.AddExtensionType(".webmanifest", "application/manifest+json")
	mime.AddExtensionType(".mjs", "text/javascript")
}

// serveAsset serves embedded files at /assets/<hash>/<path>. A current hash is
// cached for a year; any other is served uncached so old pages still work.
func (s *Server) serveAsset(c *gin.Context) {
	p := strings.TrimPrefix(path.Clean(c.Param("path")), "/")
	b, err := fs.ReadFile(s.assets.FS, p)
	if err != nil {
		s.env.FailStatus(c, http.StatusNotFound)
		return
	}
	if h, _ := s.assets.Hash(p); h == c.Param("hash") {
		c.Header("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		c.Header("Cache-Control", "no-cache")
	}
	ct := mime.TypeByExtension(path.Ext(p))
	if ct == "" {
		ct = http.DetectContentType(b)
	}
	if compressible[strings.ToLower(path.Ext(p))] {
		// Caches must keep the variants apart even when this answer is plain.
		c.Header("Vary", "Accept-Encoding")
	}
	coding, body := s.encoded.pick(p, b, c.GetHeader("Accept-Encoding"))
	if coding != "" {
		c.Header("Content-Encoding", coding)
	}
	// Set explicitly so that HEAD announces the same length as GET.
	c.Header("Content-Length", strconv.Itoa(len(body)))
	c.Data(http.StatusOK, ct, body)
}

func (s *Server) favicon(c *gin.Context) {
	c.Redirect(http.StatusMovedPermanently, s.assets.URL("img/favicon.svg"))
}
