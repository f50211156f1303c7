package httpx_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/assets"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/templates"
)

func newEnv(t *testing.T, logs *bytes.Buffer) *httpx.Env {
	t.Helper()
	bundle, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	static, err := fs.Sub(assets.FS, "static")
	if err != nil {
		t.Fatal(err)
	}
	at, err := httpx.NewAssetTable(static)
	if err != nil {
		t.Fatal(err)
	}
	r, err := httpx.NewRenderer(templates.FS, at)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	return &httpx.Env{Render: r, I18n: bundle, Log: log}
}

// A client that hangs up is not a server failure: 499 and no ERROR line. A
// cancellation while the client is still there, and the server's own
// deadline, remain failures.
func TestFailCanceledRequest(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	gone, hangUp := context.WithCancel(context.Background())
	hangUp()
	expired, stop := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer stop()
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		err    error
		api    bool
		status int
		level  string // the level of the one expected log line, "" for none
	}{
		{"client gone", gone, fmt.Errorf("load event: %w", context.Canceled), false, httpx.StatusClientClosed, ""},
		{"client gone api", gone, context.Canceled, true, httpx.StatusClientClosed, ""},
		{"client gone during a query", gone, fmt.Errorf("scan: %w", &pq.Error{Code: "57014", Message: "canceling statement due to user request"}), true, httpx.StatusClientClosed, ""},
		{"canceled while the client waits", context.Background(), context.Canceled, false, 500, "level=ERROR"},
		{"other failure after the context ended", gone, fmt.Errorf("panic: boom"), false, 500, "level=ERROR"},
		{"server deadline", expired, fmt.Errorf("query: %w", context.DeadlineExceeded), false, 503, "level=WARN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			env := newEnv(t, &logs)
			w := httptest.NewRecorder()
			c, _ := gin.CreateTestContext(w)
			c.Request = httptest.NewRequest(http.MethodGet, "/events/x", nil).WithContext(tc.ctx)
			if tc.api {
				httpx.MarkAPI(c)
			}
			env.Fail(c, tc.err)
			if w.Code != tc.status || !c.IsAborted() {
				t.Errorf("status %d (aborted %v), want %d", w.Code, c.IsAborted(), tc.status)
			}
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			switch {
			case tc.level == "" && logs.Len() != 0:
				t.Errorf("logged:\n%s", logs.String())
			case tc.level != "" && (len(lines) != 1 || !strings.Contains(lines[0], tc.level)):
				t.Errorf("want one %s line, logged:\n%s", tc.level, logs.String())
			}
		})
	}
}
