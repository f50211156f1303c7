package scale

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// HAProxyBinary finds haproxy on PATH or in /usr/sbin (Debian's package).
func HAProxyBinary() (string, error) {
	if p, err := exec.LookPath("haproxy"); err == nil {
		return p, nil
	}
	for _, p := range []string{"/usr/sbin/haproxy", "/usr/local/sbin/haproxy"} {
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() {
			return p, nil
		}
	}
	return "", errors.New("haproxy is not installed (Debian: apt-get install haproxy; make test-deps does it as root)")
}

// HAProxy is a load balancer in front of the instances, as an operator would
// run it: health checks on /readyz, a server taken out after two failed
// checks and back after two good ones, connection failures retried on
// another server (a request already sent is never resent: only the client
// knows whether it is safe to repeat).
type HAProxy struct {
	Addr string
	cmd  *exec.Cmd
	done chan struct{}
}

// Config is the haproxy.cfg for backends (host:port each) on addr.
func Config(addr string, backends []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `global
    maxconn 4096

defaults
    mode http
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch
    option forwardfor

frontend attend
    bind %s
    default_backend instances

backend instances
    balance roundrobin
    option httpchk GET /readyz
    http-check expect status 200
    default-server inter 500ms fall 2 rise 2 maxconn 200
`, addr)
	for i, be := range backends {
		fmt.Fprintf(&b, "    server attend%d %s check\n", i+1, be)
	}
	return b.String()
}

// StartHAProxy writes the configuration into dir and runs haproxy in the
// foreground, its output in dir/haproxy.log, until Stop.
func StartHAProxy(ctx context.Context, bin, dir, addr string, backends []string) (*HAProxy, error) {
	cfg := filepath.Join(dir, "haproxy.cfg")
	if err := os.WriteFile(cfg, []byte(Config(addr, backends)), 0o644); err != nil {
		return nil, err
	}
	if out, err := exec.CommandContext(ctx, bin, "-c", "-f", cfg).CombinedOutput(); err != nil {
		return nil, fmt.Errorf("haproxy -c: %v: %s", err, out)
	}
	log, err := os.Create(filepath.Join(dir, "haproxy.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "-db", "-f", cfg)
	cmd.Stdout, cmd.Stderr = log, log
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start haproxy: %w", err)
	}
	h := &HAProxy{Addr: addr, cmd: cmd, done: make(chan struct{})}
	go func() { cmd.Wait(); log.Close(); close(h.done) }()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond); err == nil {
			c.Close()
			return h, nil
		}
		select {
		case <-h.done:
			b, _ := os.ReadFile(filepath.Join(dir, "haproxy.log"))
			return nil, fmt.Errorf("haproxy exited: %s", b)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			h.Stop()
			return nil, errors.New("haproxy does not listen after 10s")
		}
	}
}

// URL is the balancer's base URL.
func (h *HAProxy) URL() string { return "http://" + h.Addr }

// Stop ends haproxy and waits for it.
func (h *HAProxy) Stop() {
	if h == nil || h.cmd.Process == nil {
		return
	}
	_ = h.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-h.done:
	case <-time.After(5 * time.Second):
		_ = h.cmd.Process.Kill()
		<-h.done
	}
}
