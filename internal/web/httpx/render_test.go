package httpx_test

import (
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/decode-attend/attend/internal/web/httpx"
)

func renderFS(page string) fstest.MapFS {
	return fstest.MapFS{
		"layout/base.html": {Data: []byte(`{{define "head"}}<title>{{.}}</title>{{end}}`)},
		"a/page.html":      {Data: []byte(page)},
		"a/other.html":     {Data: []byte(`{{define "page"}}other {{template "head" .}}{{end}}`)},
	}
}

// A broken page stops the renderer at start, though pages are kept only from
// their first render on.
func TestRendererRefusesBrokenPageAtStart(t *testing.T) {
	at, err := httpx.NewAssetTable(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = httpx.NewRenderer(renderFS(`{{define "page"}}{{if}}{{end}}`), at)
	if err == nil || !strings.Contains(err.Error(), "a/page.html") {
		t.Fatalf("broken page: err = %v, want one naming a/page.html", err)
	}
}

// The first renders of a page, at once from many requests, each get the whole
// page (run with -race: the page is parsed once).
func TestRendererFirstRenderConcurrent(t *testing.T) {
	at, err := httpx.NewAssetTable(fstest.MapFS{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := httpx.NewRenderer(renderFS(`{{define "page"}}page {{template "head" .}}{{end}}`), at)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name, want := "a/page.html", "page <title>x&lt;y</title>"
			if i%2 == 1 {
				name, want = "a/other.html", "other <title>x&lt;y</title>"
			}
			b, err := r.Render(name, "x<y")
			if err != nil || string(b) != want {
				errs <- name + ": " + string(b)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if _, err := r.Render("a/missing.html", nil); err == nil {
		t.Error("a missing page rendered")
	}
	if !r.Has("a/page.html") || r.Has("layout/base.html") {
		t.Error("Has: pages are the non-layout files")
	}
}
