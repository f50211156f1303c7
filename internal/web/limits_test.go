package web

import (
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func TestLimitsShedAndDeadline(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	s := &Server{}
	e := gin.New()
	e.Use(s.limits(2))
	release := make(chan struct{})
	entered := make(chan struct{}, 2)
	deadlines := map[string]time.Duration{}
	var mu sync.Mutex
	record := func(c *gin.Context) {
		dl, ok := c.Request.Context().Deadline()
		if !ok {
			t.Errorf("%s: no deadline", c.FullPath())
		}
		mu.Lock()
		deadlines[c.FullPath()] = time.Until(dl)
		mu.Unlock()
	}
	e.GET("/api/v1/slow", func(c *gin.Context) {
		record(c)
		entered <- struct{}{}
		<-release
		c.Status(http.StatusOK)
	})
	e.GET("/healthz", func(c *gin.Context) { c.Status(http.StatusOK) })
	e.GET("/admin/events/:id/export.csv", func(c *gin.Context) { record(c); c.Status(http.StatusOK) })
	ts := httptest.NewServer(e)
	defer ts.Close()

	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Get(ts.URL + "/api/v1/slow")
			if err == nil {
				resp.Body.Close()
			}
		}()
	}
	<-entered
	<-entered

	start := time.Now()
	resp, err := http.Get(ts.URL + "/api/v1/slow")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
		t.Errorf("third request with two slots taken: %d Retry-After=%q, want 503 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if waited := time.Since(start); waited > 2*time.Second {
		t.Errorf("shedding took %v: requests must not queue", waited)
	}
	resp, err = http.Get(ts.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("/healthz while saturated: %d, want 200", resp.StatusCode)
	}
	close(release)
	wg.Wait()

	// Hostile paths are the input guard's (input.go), in the hostile catalogue.
	resp, err = http.Get(ts.URL + "/admin/events/4/export.csv")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	mu.Lock()
	defer mu.Unlock()
	if d := deadlines["/api/v1/slow"]; d <= 0 || d > requestTimeout {
		t.Errorf("normal route deadline in %v, want within %v", d, requestTimeout)
	}
	if d := deadlines["/admin/events/:id/export.csv"]; d <= requestTimeout || d > exportTimeout {
		t.Errorf("export deadline in %v, want between %v and %v", d, requestTimeout, exportTimeout)
	}
	for route, long := range map[string]bool{
		"/api/v1/scans": false, "/api/v1/scans/batch": false, "/api/v1/events/:slug/registrations": false,
		"/admin/reports/events/:slug/scans": true, "/admin/reports/events/:slug/lists.pdf": true,
		"/api/v1/projects/:code/report": true, "/admin/audit.csv": true, "/:lang/r/:id/:token/ticket.pdf": true,
		"/admin/events/:slug/certificates/send": true, "/admin/events/:slug/certificates": false,
	} {
		if longRoute(route) != long {
			t.Errorf("longRoute(%q) = %v, want %v", route, !long, long)
		}
	}
}
