package api

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
	"sync"

	"github.com/gin-gonic/gin"
)

// The OpenAPI document is assembled from openapi/*.json: base.json holds the
// info and shared components, each other file adds its area's paths and
// schemas, so areas document their routes beside their code.
//
//go:embed openapi/*.json
var openapiFS embed.FS

var (
	specOnce sync.Once
	spec     map[string]any
	specErr  error
)

// Spec returns the merged OpenAPI document.
func Spec() (map[string]any, error) {
	specOnce.Do(func() { spec, specErr = buildSpec() })
	return spec, specErr
}

func buildSpec() (map[string]any, error) {
	files, err := fs.Glob(openapiFS, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	doc := map[string]any{}
	for _, f := range files {
		b, err := openapiFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		var part map[string]any
		if err := json.Unmarshal(b, &part); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
		if err := merge(doc, part, f); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// merge adds src into dst; objects merge key by key, anything else may not repeat.
func merge(dst, src map[string]any, file string) error {
	for k, v := range src {
		cur, ok := dst[k]
		if !ok {
			dst[k] = v
			continue
		}
		cm, ok1 := cur.(map[string]any)
		vm, ok2 := v.(map[string]any)
		if !ok1 || !ok2 {
			return fmt.Errorf("openapi: %s redefines %q", file, k)
		}
		if err := merge(cm, vm, file); err != nil {
			return err
		}
	}
	return nil
}

// OpenAPI serves GET /api/v1/openapi.json.
func (h *Handler) OpenAPI(c *gin.Context) error {
	doc, err := Spec()
	if err != nil {
		return err
	}
	out := map[string]any{}
	for k, v := range doc {
		out[k] = v
	}
	out["servers"] = []map[string]string{{"url": h.BaseURL + "/api/v1"}}
	if info, ok := doc["info"].(map[string]any); ok {
		i := map[string]any{}
		for k, v := range info {
			i[k] = v
		}
		i["version"] = h.Version
		out["info"] = i
	}
	c.JSON(http.StatusOK, out)
	return nil
}
