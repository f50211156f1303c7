// Package httpx is what every handler area shares: template rendering with the
// translator in the data, the caller and language from the request, and the one
// place that turns domain errors into HTTP answers.
package httpx

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"strings"
	"sync"

	"github.com/decode-attend/attend/internal/i18n"
)

// Renderer holds the templates and the asset URL table. Every page is parsed
// at start (a broken template stops the server there), but a page's parsed
// copy is kept from its first render on: each page is a clone of the layout
// set, and holding all of them held most of the server's memory, which every
// garbage collection walks (a door server renders none of them).
type Renderer struct {
	tfs    fs.FS
	base   *template.Template
	mu     sync.Mutex // clones of base one at a time
	pages  map[string]*lazyPage
	assets *AssetTable
}

// lazyPage is one page template, parsed on its first render.
type lazyPage struct {
	once sync.Once
	t    *template.Template
	err  error
}

// Page is the data every template receives.
type Page struct {
	L         *i18n.Localizer
	Lang      string
	Title     string
	Path      string // request path without language prefix, for language links
	CSRF      string
	RequestID string
	User      any // *auth.Principal of a signed-in user, nil otherwise
	Languages []string
	BodyClass string
	Data      any
}

// NewRenderer parses every page once, each with the layout templates.
func NewRenderer(tfs fs.FS, assets *AssetTable) (*Renderer, error) {
	r := &Renderer{pages: map[string]*lazyPage{}, assets: assets}
	funcs := template.FuncMap{
		"asset": assets.URL,
		"add":   func(a, b int) int { return a + b },
		"deref": func(p *int) int {
			if p == nil {
				return 0
			}
			return *p
		},
		"upper": strings.ToUpper,
		// endonym names a language in itself, the same on every page and request.
		"endonym": i18n.Endonym,
		// pair passes the page and an item to a shared partial.
		"pair": func(a, b any) Pair { return Pair{a, b} },
	}
	layouts, err := fs.Glob(tfs, "layout/*.html")
	if err != nil {
		return nil, err
	}
	base, err := template.New("").Funcs(funcs).ParseFS(tfs, layouts...)
	if err != nil {
		return nil, fmt.Errorf("templates: %w", err)
	}
	r.tfs, r.base = tfs, base
	err = fs.WalkDir(tfs, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || path.Ext(p) != ".html" || strings.HasPrefix(p, "layout/") {
			return err
		}
		if _, err := r.parse(p); err != nil {
			return err
		}
		r.pages[p] = &lazyPage{}
		return nil
	})
	return r, err
}

// parse makes page p: a clone of the layout set with the page's own file.
func (r *Renderer) parse(p string) (*template.Template, error) {
	r.mu.Lock()
	t, err := r.base.Clone()
	r.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if _, err := t.ParseFS(r.tfs, p); err != nil {
		return nil, fmt.Errorf("templates: %s: %w", p, err)
	}
	return t, nil
}

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// Render executes page into a buffer (so a template error never sends half a page).
func (r *Renderer) Render(name string, data any) ([]byte, error) {
	lp, ok := r.pages[name]
	if !ok {
		return nil, fmt.Errorf("template %q not found", name)
	}
	lp.once.Do(func() { lp.t, lp.err = r.parse(name) })
	if lp.err != nil {
		return nil, lp.err
	}
	t := lp.t
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	entry := "page"
	if t.Lookup(entry) == nil {
		entry = path.Base(name)
	}
	if err := t.ExecuteTemplate(buf, entry, data); err != nil {
		return nil, fmt.Errorf("render %s: %w", name, err)
	}
	return append([]byte(nil), buf.Bytes()...), nil
}

// Has reports whether a page template exists.
func (r *Renderer) Has(name string) bool { _, ok := r.pages[name]; return ok }

// Pair carries two values into a partial template.
type Pair struct{ A, B any }

// AssetTable maps asset paths to content-hashed URLs for long caching.
type AssetTable struct {
	FS     fs.FS
	hashes map[string]string
}

// NewAssetTable hashes every file of fsys once.
func NewAssetTable(fsys fs.FS) (*AssetTable, error) {
	a := &AssetTable{FS: fsys, hashes: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(b)
		a.hashes[p] = hex.EncodeToString(sum[:])[:10]
		return nil
	})
	return a, err
}

// URL returns /assets/<hash>/<path>; the hash changes whenever the file does.
func (a *AssetTable) URL(p string) string {
	h, ok := a.hashes[p]
	if !ok {
		h = "0"
	}
	return "/assets/" + h + "/" + p
}

// Hash returns the content hash of an asset and whether it exists.
func (a *AssetTable) Hash(p string) (string, bool) { h, ok := a.hashes[p]; return h, ok }
