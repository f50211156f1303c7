package door

import (
	"encoding/json"
	"io/fs"
	"net/http"
	"sort"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
)

// precache lists the files the scanner needs offline, as hashed URLs.
func (h *Handler) precache() []string {
	urls := []string{"/door/scan", "/door/pair", "/door/manifest.webmanifest", "/door/icon-192.png", "/door/icon-512.png"}
	_ = fs.WalkDir(h.Assets.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if strings.HasSuffix(p, ".d.ts") || p == "door/sw.js" {
			return nil
		}
		if strings.HasPrefix(p, "door/") || strings.HasPrefix(p, "vendor/barcode-detector/") ||
			strings.HasPrefix(p, "vendor/zxing-wasm/") || p == "css/site.css" || p == "img/favicon.svg" {
			urls = append(urls, h.Asset(p))
		}
		return nil
	})
	sort.Strings(urls[5:])
	return urls
}

// ServiceWorker serves /door/sw.js from the door's path so that its scope
// covers the door pages. The precache list (hashed URLs) versions it: a new
// release installs a new worker and drops the old cache.
func (h *Handler) ServiceWorker(c *gin.Context) error {
	src, err := fs.ReadFile(h.Assets.FS, "door/sw.js")
	if err != nil {
		return apperr.ErrNotFound
	}
	list, _ := json.Marshal(h.precache())
	version, _ := h.Assets.Hash("door/sw.js")
	head := "const PRECACHE = " + string(list) + ";\nconst VERSION = " + strconvQuote(version+"-"+hashOf(list)) + ";\n"
	c.Header("Cache-Control", "no-cache")
	c.Header("Service-Worker-Allowed", "/door/")
	c.Data(http.StatusOK, "text/javascript; charset=utf-8", append([]byte(head), src...))
	return nil
}

// Manifest serves the web app manifest that makes the scanner installable.
func (h *Handler) Manifest(c *gin.Context) error {
	m := map[string]any{
		"name": "DeCoDe Attend: door", "short_name": "Door", "start_url": "/door/scan", "scope": "/door/",
		"display": "standalone", "orientation": "portrait", "background_color": "#0b1f33", "theme_color": "#0b1f33",
		"icons": []map[string]string{
			{"src": "/door/icon-192.png", "sizes": "192x192", "type": "image/png", "purpose": "any"},
			{"src": "/door/icon-512.png", "sizes": "512x512", "type": "image/png", "purpose": "any maskable"},
			{"src": h.Asset("img/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
		},
	}
	c.Header("Cache-Control", "no-cache")
	b, _ := json.Marshal(m)
	c.Data(http.StatusOK, "application/manifest+json", b)
	return nil
}
