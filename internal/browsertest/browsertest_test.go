package browsertest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

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

// Submit returns only once the page the form leads to, through a slow
// answer and a redirect, has loaded; WaitForPage names where the tab is when
// the page wanted never comes.
func TestSubmitWaitsForThePageItLeadsTo(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		switch {
		case r.Method == http.MethodPost:
			time.Sleep(1500 * time.Millisecond)
			http.Redirect(w, r, "/form?done=saved", http.StatusSeeOther)
		case r.URL.Query().Get("done") != "":
			io.WriteString(w, `<!doctype html><html lang="en"><head><title>Saved</title></head><body><main><h1 id="saved">Saved</h1></main></body></html>`)
		default:
			io.WriteString(w, `<!doctype html><html lang="en"><head><title>Form</title></head><body><main><h1 id="saved">Not yet</h1><form method="post" action="/form"><button>Save</button></form></main></body></html>`)
		}
	}))
	defer srv.Close()
	ctx, _ := NewContext(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(srv.URL+"/form")); err != nil {
		t.Fatal(err)
	}
	Submit(t, ctx, "form button", "done=saved")
	got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById("saved").textContent`))
	if err != nil || got != "Saved" {
		t.Fatalf("after Submit the page says %q (%v), not the saved page", got, err)
	}
	short, stop := context.WithTimeout(ctx, 3*time.Second)
	defer stop()
	err = WaitForPage(short, "done=never")
	if err == nil || !strings.Contains(err.Error(), srv.URL+"/form?done=saved") {
		t.Fatalf("waiting for a page that never comes: %v", err)
	}
}
