package hostile

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// TestSlowClients holds connections open the slowloris way: headers a byte
// at a time, and a body trickled after complete headers. The server's read
// deadlines must end both (10 s for headers, 30 s for the whole request),
// and the trickled request must write nothing.
func TestSlowClients(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	addr := strings.TrimPrefix(f.url, "http://")
	before := f.counts(t)

	type outcome struct {
		name   string
		closed time.Duration
		reply  string
	}
	run := func(name string, limit time.Duration, send func(net.Conn) error) chan outcome {
		ch := make(chan outcome, 1)
		go func() {
			c, err := net.Dial("tcp", addr)
			if err != nil {
				ch <- outcome{name, -1, err.Error()}
				return
			}
			defer c.Close()
			start := time.Now()
			// Keep sending until the server hangs up; a write or a read says when.
			done := make(chan string, 1)
			go func() {
				line, _ := bufio.NewReader(c).ReadString('\n')
				done <- strings.TrimSpace(line)
			}()
			for {
				select {
				case r := <-done:
					ch <- outcome{name, time.Since(start), r}
					return
				default:
				}
				if time.Since(start) > limit {
					ch <- outcome{name, -1, "still open"}
					return
				}
				if err := send(c); err != nil {
					r := <-done
					ch <- outcome{name, time.Since(start), r}
					return
				}
				time.Sleep(500 * time.Millisecond)
			}
		}()
		return ch
	}

	headerStep := 0
	slowHeaders := run("slow headers", 20*time.Second, func(c net.Conn) error {
		var err error
		if headerStep == 0 {
			_, err = c.Write([]byte("POST /api/v1/scans HTTP/1.1\r\nHost: x\r\n"))
		} else {
			_, err = fmt.Fprintf(c, "X-%d: %d\r\n", headerStep, headerStep)
		}
		headerStep++
		return err
	})
	bodyStep := 0
	body := scanBody("DA1:AAAA", newScanID(), nil)
	slowBody := run("slow body", 45*time.Second, func(c net.Conn) error {
		var err error
		if bodyStep == 0 {
			_, err = fmt.Fprintf(c, "POST /api/v1/scans HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n",
				f.token, len(body)+1000)
		} else if bodyStep-1 < len(body) {
			_, err = c.Write(body[bodyStep-1 : bodyStep])
		} else {
			_, err = c.Write([]byte(" "))
		}
		bodyStep++
		return err
	})
	h, b := <-slowHeaders, <-slowBody
	after := f.counts(t)
	fmt.Printf("hostile: slow headers closed after %v (%q); slow body closed after %v (%q)\n",
		h.closed.Round(100*time.Millisecond), h.reply, b.closed.Round(100*time.Millisecond), b.reply)
	if h.closed < 0 || h.closed > 13*time.Second {
		t.Errorf("slow headers: connection open after %v (%s), want closed by the 10 s header deadline", h.closed, h.reply)
	}
	if b.closed < 0 || b.closed > 33*time.Second {
		t.Errorf("slow body: connection open after %v (%s), want closed by the 30 s read deadline", b.closed, b.reply)
	}
	for _, tb := range countedTables {
		if after[tb] != before[tb] {
			t.Errorf("slow requests wrote %s: %d -> %d", tb, before[tb], after[tb])
		}
	}
}
