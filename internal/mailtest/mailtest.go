// Package mailtest runs a real SMTP server for tests: mailpit, started on
// free ports for one test and stopped at its end, with a small client for
// its HTTP API (list, read, parts, wait for messages).
package mailtest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Version is the pinned mailpit release installed when none is found.
const Version = "v1.27.11"

var (
	binOnce sync.Once
	binPath string
	binErr  error
)

// Binary finds mailpit on PATH or in $(go env GOPATH)/bin, installing the
// pinned version with `go install` when it is missing.
func Binary() (string, error) {
	binOnce.Do(func() {
		if p, err := exec.LookPath("mailpit"); err == nil {
			binPath = p
			return
		}
		gobin := goBinDir()
		cand := filepath.Join(gobin, "mailpit")
		if _, err := os.Stat(cand); err == nil {
			binPath = cand
			return
		}
		cmd := exec.Command("go", "install", "github.com/axllent/mailpit@"+Version)
		cmd.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			binErr = fmt.Errorf("install mailpit %s: %v\n%s", Version, err, out)
			return
		}
		binPath = cand
	})
	return binPath, binErr
}

func goBinDir() string {
	if out, err := exec.Command("go", "env", "GOBIN").Output(); err == nil {
		if s := strings.TrimSpace(string(out)); s != "" {
			return s
		}
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		if s := strings.TrimSpace(string(out)); s != "" {
			return filepath.Join(strings.Split(s, string(os.PathListSeparator))[0], "bin")
		}
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, "go", "bin")
}

// Server is a running mailpit.
type Server struct {
	// SMTPURL is for ATTEND_SMTP_URL (plain SMTP on localhost, no auth).
	SMTPURL string
	// SMTPAddr is host:port of the SMTP listener.
	SMTPAddr string
	// API is the base URL of the HTTP API (http://127.0.0.1:port).
	API  string
	http *http.Client

	t    testing.TB
	bin  string
	args []string
	mu   sync.Mutex
	cmd  *exec.Cmd
}

// Options tune the server.
type Options struct {
	// Args are extra mailpit flags (e.g. "--smtp-auth-accept-any").
	Args []string
}

// Start runs mailpit for the duration of t, skipping t when it cannot be
// installed (no network and no binary).
func Start(t testing.TB, opts ...Options) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Skipf("mailpit unavailable: %v", err)
	}
	smtpAddr, httpAddr := freeAddr(t), freeAddr(t)
	args := []string{
		"--smtp", smtpAddr, "--listen", httpAddr,
		"--database", filepath.Join(t.TempDir(), "mailpit.db"),
		"--max", "0", "--quiet", "--disable-version-check", "--smtp-disable-rdns",
	}
	for _, o := range opts {
		args = append(args, o.Args...)
	}
	s := &Server{
		SMTPURL: "smtp://" + smtpAddr + "?tls=none", SMTPAddr: smtpAddr,
		API: "http://" + httpAddr, http: &http.Client{Timeout: 10 * time.Second},
		t: t, bin: bin, args: args,
	}
	t.Cleanup(s.Stop)
	s.run()
	return s
}

// Stop stops the server (an SMTP outage); Restart brings it back on the same
// ports with the messages it had.
func (s *Server) Stop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
		s.cmd = nil
	}
}

// Restart starts a stopped server again.
func (s *Server) Restart() {
	s.t.Helper()
	s.Stop()
	s.run()
}

func (s *Server) run() {
	t := s.t
	t.Helper()
	cmd := exec.Command(s.bin, s.args...)
	cmd.Stdout, cmd.Stderr = io.Discard, io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatalf("start mailpit: %v", err)
	}
	s.mu.Lock()
	s.cmd = cmd
	s.mu.Unlock()
	smtpAddr, httpAddr := s.SMTPAddr, strings.TrimPrefix(s.API, "http://")
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := s.http.Get(s.API + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				if c, err := net.DialTimeout("tcp", smtpAddr, time.Second); err == nil {
					c.Close()
					break
				}
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("mailpit did not start on %s / %s", smtpAddr, httpAddr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func freeAddr(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// Address is a mail address in the API's answers.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is a message in a listing.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Created   time.Time `json:"Created"`
	Snippet   string    `json:"Snippet"`
}

// Part is an attachment or inline part.
type Part struct {
	PartID      string `json:"PartID"`
	FileName    string `json:"FileName"`
	ContentType string `json:"ContentType"`
	ContentID   string `json:"ContentID"`
	Size        int    `json:"Size"`
}

// Message is one message in full.
type Message struct {
	ID          string    `json:"ID"`
	MessageID   string    `json:"MessageID"`
	From        Address   `json:"From"`
	To          []Address `json:"To"`
	Subject     string    `json:"Subject"`
	Text        string    `json:"Text"`
	HTML        string    `json:"HTML"`
	Inline      []Part    `json:"Inline"`
	Attachments []Part    `json:"Attachments"`
}

func (s *Server) getJSON(path string, v any) error {
	resp, err := s.http.Get(s.API + path)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %s: %s", path, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// Messages lists every stored message, newest first.
func (s *Server) Messages() ([]Summary, error) {
	var all []Summary
	for start := 0; ; {
		var page struct {
			Total    int       `json:"total"`
			Messages []Summary `json:"messages"`
		}
		if err := s.getJSON("/api/v1/messages?limit=500&start="+strconv.Itoa(start), &page); err != nil {
			return nil, err
		}
		all = append(all, page.Messages...)
		start += len(page.Messages)
		if len(page.Messages) == 0 || start >= page.Total {
			return all, nil
		}
	}
}

// Count returns the number of stored messages.
func (s *Server) Count() (int, error) {
	var page struct {
		Total int `json:"total"`
	}
	err := s.getJSON("/api/v1/messages?limit=1", &page)
	return page.Total, err
}

// Message reads one message.
func (s *Server) Message(id string) (Message, error) {
	var m Message
	err := s.getJSON("/api/v1/message/"+url.PathEscape(id), &m)
	return m, err
}

// PartBytes downloads an attachment or inline part.
func (s *Server) PartBytes(id, partID string) ([]byte, error) {
	return s.get("/api/v1/message/" + url.PathEscape(id) + "/part/" + url.PathEscape(partID))
}

// Raw returns a message's source as received.
func (s *Server) Raw(id string) ([]byte, error) {
	return s.get("/api/v1/message/" + url.PathEscape(id) + "/raw")
}

// Headers returns a message's headers.
func (s *Server) Headers(id string) (map[string][]string, error) {
	h := map[string][]string{}
	err := s.getJSON("/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
	return h, err
}

func (s *Server) get(path string) ([]byte, error) {
	resp, err := s.http.Get(s.API + path)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	return b, err
}

// WaitFor polls until at least n messages to addr (any recipient when addr
// is empty) have arrived, and returns them.
func (s *Server) WaitFor(ctx context.Context, addr string, n int) ([]Summary, error) {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		all, err := s.Messages()
		if err != nil {
			return nil, err
		}
		var got []Summary
		for _, m := range all {
			if addr == "" || hasRecipient(m, addr) {
				got = append(got, m)
			}
		}
		if len(got) >= n {
			return got, nil
		}
		select {
		case <-ctx.Done():
			return got, fmt.Errorf("waiting for %d messages to %q: got %d: %w", n, addr, len(got), ctx.Err())
		case <-tick.C:
		}
	}
}

func hasRecipient(m Summary, addr string) bool {
	for _, a := range m.To {
		if strings.EqualFold(a.Address, addr) {
			return true
		}
	}
	return false
}
