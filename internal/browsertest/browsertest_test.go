package browsertest

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
)

// Axe must find problems where there are some, or a clean report means nothing.
func TestAxeFindsViolations(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/good" {
			io.WriteString(w, `<!doctype html><html lang="en"><head><title>Good</title></head><body><main><h1>Fine</h1><label for="a">Name</label><input id="a"></main></body></html>`)
			return
		}
		io.WriteString(w, `<!doctype html><html><head><title>Bad</title></head><body><img src="x.png"><input type="text"><p style="color:#ccc;background:#fff">faint</p></body></html>`)
	}))
	defer srv.Close()
	ctx, _ := NewContext(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/bad")); err != nil {
		t.Fatal(err)
	}
	found := map[string]bool{}
	for _, v := range Axe(t, ctx) {
		found[v.ID] = true
	}
	for _, want := range []string{"image-alt", "label", "html-has-lang", "color-contrast"} {
		if !found[want] {
			t.Errorf("axe did not report %s (got %v)", want, found)
		}
	}
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/good")); err != nil {
		t.Fatal(err)
	}
	if vs := Axe(t, ctx); len(vs) != 0 {
		t.Errorf("clean page: %v", vs)
	}
}
