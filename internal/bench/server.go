// Package bench drives a running attend server with realistic load (door
// scans, a registration rush, report building), measures the same database
// work without the server for comparison, and holds the helpers the fault
// tests share: starting real server processes on a fresh database, seeding
// tickets and door devices.
package bench

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Proc is an attend server running as a child process.
type Proc struct {
	Bin  string
	Addr string // 127.0.0.1:port
	Env  []string
	Log  string // file the server's output goes to

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	err  error
}

// URL is the server's base URL.
func (p *Proc) URL() string { return "http://" + p.Addr }

// FreeAddr returns a loopback address with a port nobody listens on now.
func FreeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// StartServer runs `bin serve --demo` on databaseURL, on a free loopback
// port, and waits until /readyz answers 200. extra are more KEY=VALUE
// environment entries. The server's output is appended to logFile.
func StartServer(ctx context.Context, bin, databaseURL, logFile string, extra ...string) (*Proc, error) {
	addr, err := FreeAddr()
	if err != nil {
		return nil, err
	}
	p := &Proc{Bin: bin, Addr: addr, Log: logFile}
	p.Env = append(cleanEnv(), "DATABASE_URL="+databaseURL, "ATTEND_ADDR="+addr,
		"ATTEND_DATA_DIR="+filepath.Join(filepath.Dir(logFile), "data"), "ATTEND_LOG_FORMAT=json")
	p.Env = append(p.Env, extra...)
	if err := p.Start(); err != nil {
		return nil, err
	}
	if err := p.WaitReady(ctx, 60*time.Second); err != nil {
		p.Kill()
		return nil, err
	}
	return p, nil
}

// cleanEnv is our environment without the variables that configure attend,
// so a developer's settings do not leak into the servers we start.
func cleanEnv() []string {
	var out []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "ATTEND_") || strings.HasPrefix(kv, "DATABASE_URL=") || strings.HasPrefix(kv, "PG") {
			continue
		}
		out = append(out, kv)
	}
	return out
}

// Start (re)starts the process on the same address and environment.
func (p *Proc) Start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	f, err := os.OpenFile(p.Log, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	cmd := exec.Command(p.Bin, "serve", "--demo")
	cmd.Env = p.Env
	cmd.Stdout, cmd.Stderr = f, f
	// Its own process group, so that ^C on the load tool does not reach it first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		f.Close()
		return fmt.Errorf("start %s: %w", p.Bin, err)
	}
	done := make(chan struct{})
	p.cmd, p.done = cmd, done
	go func() {
		err := cmd.Wait()
		f.Close()
		p.mu.Lock()
		p.err = err
		p.mu.Unlock()
		close(done)
	}()
	return nil
}

// PID is the server's process id (0 when not running).
func (p *Proc) PID() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.cmd.Process == nil {
		return 0
	}
	return p.cmd.Process.Pid
}

// WaitReady polls /readyz until it answers 200, the process dies, or timeout.
func (p *Proc) WaitReady(ctx context.Context, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	client := &http.Client{Timeout: time.Second}
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	for {
		resp, err := client.Get(p.URL() + "/readyz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-done:
			return fmt.Errorf("server exited before it was ready:%s", p.LogTail(15))
		case <-ctx.Done():
			return fmt.Errorf("server not ready after %v:%s", timeout, p.LogTail(15))
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// Kill sends SIGKILL (no graceful shutdown) and waits for the process to end.
func (p *Proc) Kill() {
	p.signal(syscall.SIGKILL)
}

// Stop asks for a graceful shutdown (SIGTERM) and waits; SIGKILL after 30 s.
func (p *Proc) Stop() {
	p.signal(syscall.SIGTERM)
}

func (p *Proc) signal(sig syscall.Signal) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil || cmd.Process == nil {
		return
	}
	_ = cmd.Process.Signal(sig)
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// LogTail returns the last n lines of the server's output, for error messages.
func (p *Proc) LogTail(n int) string {
	b, err := os.ReadFile(p.Log)
	if err != nil {
		return ""
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	lines = lines[max(0, len(lines)-n):]
	return "\n" + strings.Join(lines, "\n")
}

// LogContains counts the lines of the server's output containing s.
func (p *Proc) LogContains(s string) int {
	f, err := os.Open(p.Log)
	if err != nil {
		return 0
	}
	defer f.Close()
	n := 0
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		if bytes.Contains(sc.Bytes(), []byte(s)) {
			n++
		}
	}
	return n
}

// RSS returns the resident set size of a process in bytes, from /proc.
func RSS(pid int) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			f := strings.Fields(v) // "12345 kB"
			if len(f) >= 1 {
				kb, err := strconv.ParseInt(f[0], 10, 64)
				return kb << 10, err
			}
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}

// rssSampler records the peak RSS of a process until stopped.
type rssSampler struct {
	peak int64
	last int64
	stop chan struct{}
	done chan struct{}
}

func sampleRSS(pid int, every time.Duration) *rssSampler {
	s := &rssSampler{stop: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(s.done)
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			if v, err := RSS(pid); err == nil {
				s.last = v
				s.peak = max(s.peak, v)
			}
			select {
			case <-s.stop:
				return
			case <-t.C:
			}
		}
	}()
	return s
}

// Stop ends sampling and returns the peak and the last sample, in bytes.
func (s *rssSampler) Stop() (peak, last int64) {
	close(s.stop)
	<-s.done
	return s.peak, s.last
}

// CPUTime returns the CPU time (user + system) a process has used, from
// /proc/PID/stat (in clock ticks of 1/100 s, the Linux default).
func CPUTime(pid int) (time.Duration, error) {
	own, _, err := procCPU(pid)
	return own, err
}

// procCPU returns a process's own CPU time and that of its children it has
// waited for (a postmaster's ended backends).
func procCPU(pid int) (own, reaped time.Duration, err error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, 0, err
	}
	// The command name (field 2) may hold spaces; the fields after it are fixed.
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 15 {
		return 0, 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
	}
	var t [4]int64
	for k := range t {
		if t[k], err = strconv.ParseInt(f[11+k], 10, 64); err != nil {
			return 0, 0, fmt.Errorf("unexpected /proc/%d/stat", pid)
		}
	}
	tick := 10 * time.Millisecond
	return time.Duration(t[0]+t[1]) * tick, time.Duration(t[2]+t[3]) * tick, nil
}

// cpuMeter reads the CPU time used so far by the server process, by the
// PostgreSQL server (postmaster and backends, when it runs on this machine)
// and by the load tool itself, to say where a run's CPU went.
type cpuMeter struct {
	serverPID, postmasterPID int
}

type cpuSample struct {
	server, tool time.Duration
	postgres     map[int]time.Duration // per process, so that one ending between samples does not count against the run
	reaped       time.Duration         // the postmaster's ended children
	busy, all    time.Duration         // the whole machine's CPU time, busy and in all (/proc/stat)
}

// machineCPU reads the machine's busy and total CPU time from /proc/stat: a
// check on the per-process figures that nothing is missed.
func machineCPU() (busy, all time.Duration) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 8 || f[0] != "cpu" {
		return 0, 0
	}
	var ticks [10]int64
	for i := 1; i < len(f) && i <= len(ticks); i++ {
		ticks[i-1], _ = strconv.ParseInt(f[i], 10, 64)
	}
	// user nice system idle iowait irq softirq steal (guest time is within user).
	var total int64
	for _, t := range ticks[:8] {
		total += t
	}
	idle := ticks[3] + ticks[4]
	tick := time.Second / 100 // USER_HZ
	return time.Duration(total-idle) * tick, time.Duration(total) * tick
}

// postgresSince is the PostgreSQL CPU used between a and b: the processes
// alive at b, plus the backends that ended in between, which the postmaster
// has reaped (its children's time, less what they had used by a). pgbench's
// connections all end before b.
func postgresSince(a, b cpuSample) time.Duration {
	d := b.reaped - a.reaped
	for pid, t := range b.postgres {
		d += t - a.postgres[pid]
	}
	for pid, t := range a.postgres {
		if _, alive := b.postgres[pid]; !alive {
			d -= t
		}
	}
	return d
}

func (m cpuMeter) sample() cpuSample {
	var s cpuSample
	if m.serverPID > 0 {
		s.server, _ = CPUTime(m.serverPID)
	}
	if m.postmasterPID > 0 {
		s.postgres, s.reaped = treeCPU(m.postmasterPID)
	}
	s.busy, s.all = machineCPU()
	// The tool's own time and that of its ended children: pgbench, which has
	// ended by the sample after its run (the server it starts ends after the
	// last sample).
	for _, who := range []int{syscall.RUSAGE_SELF, syscall.RUSAGE_CHILDREN} {
		var ru syscall.Rusage
		if syscall.Getrusage(who, &ru) == nil {
			s.tool += time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
		}
	}
	return s
}

// treeCPU reads the CPU time of a process and of its direct children (a
// postmaster's backends and helpers), by process id.
func treeCPU(parent int) (map[int]time.Duration, time.Duration) {
	out := map[int]time.Duration{}
	d, reaped, err := procCPU(parent)
	if err == nil {
		out[parent] = d
	}
	ents, err := os.ReadDir("/proc")
	if err != nil {
		return out, reaped
	}
	for _, e := range ents {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if ppid(pid) == parent {
			if d, err := CPUTime(pid); err == nil {
				out[pid] = d
			}
		}
	}
	return out, reaped
}

func ppid(pid int) int {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	s := string(b)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(s[i+1:])
	if len(f) < 2 {
		return 0
	}
	n, _ := strconv.Atoi(f[1])
	return n
}
