package bench

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/pgembed"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/ticketcode"
	"github.com/decode-attend/attend/internal/tickets"
)

// DoorEvent is the demo event that runs today (programme.EnsureSeeded moves
// the calendar so), where the door scenario scans.
const DoorEvent = "decode-4-lodz"

// Database is a fresh database for one run: on the server DATABASE_URL names,
// or in a private cluster in a temporary directory.
type Database struct {
	URL     string
	Cluster *pgembed.Cluster // nil on an outside server
	admin   string
	name    string
}

// WorkDir makes a temporary directory the private cluster's server account
// can pass through (as root, PostgreSQL runs as another user).
func WorkDir(prefix string) (string, error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", err
	}
	if os.Geteuid() == 0 {
		if err := os.Chmod(dir, 0o711); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// FreshDatabase creates an empty database. With serverURL empty it starts a
// private cluster under dir/pg (fsync on, as in production).
func FreshDatabase(ctx context.Context, serverURL, dir string, log *slog.Logger) (*Database, error) {
	if serverURL == "" {
		c, err := pgembed.Start(ctx, filepath.Join(dir, "pg"), log)
		if err != nil {
			return nil, err
		}
		if err := c.CreateDatabase(ctx, "attend"); err != nil {
			c.Stop()
			return nil, err
		}
		return &Database{URL: c.URL("attend"), Cluster: c}, nil
	}
	var b [5]byte
	rand.Read(b[:])
	name := "attend_bench_" + hex.EncodeToString(b[:])
	db, err := sql.Open("postgres", serverURL)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, "CREATE DATABASE "+pq.QuoteIdentifier(name)+" ENCODING 'UTF8' TEMPLATE template0"); err != nil {
		return nil, fmt.Errorf("create database: %w", err)
	}
	return &Database{URL: withDB(serverURL, name), admin: serverURL, name: name}, nil
}

// Close drops the database, or stops the private cluster.
func (d *Database) Close() {
	if d.Cluster != nil {
		d.Cluster.Stop()
		return
	}
	if db, err := sql.Open("postgres", d.admin); err == nil {
		db.Exec("DROP DATABASE IF EXISTS " + pq.QuoteIdentifier(d.name) + " WITH (FORCE)")
		db.Close()
	}
}

func withDB(raw, name string) string {
	u, err := url.Parse(raw)
	if err != nil || !strings.Contains(raw, "://") {
		return raw + " dbname=" + name // key=value form
	}
	u.Path = "/" + name
	return u.String()
}

// Ticket is a valid ticket of the pool the door scenario scans.
type Ticket struct {
	ID             int64
	RegistrationID int64
	Payload        string
}

// SeedTickets adds n confirmed registrations for every day of the event, each
// with a signed ticket, in one transaction, and lifts the event's capacity so
// that they fit. Bulk SQL and COPY keep this to seconds for tens of thousands.
func SeedTickets(ctx context.Context, st *store.Store, slug string, n int) (store.Event, []Ticket, error) {
	ev, err := st.EventBySlug(ctx, st.DB, slug)
	if err != nil {
		return ev, nil, fmt.Errorf("event %s: %w", slug, err)
	}
	var out []Ticket
	err = st.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE events SET capacity = NULL WHERE id = $1`, ev.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE event_days SET capacity = NULL WHERE event_id = $1`, ev.ID); err != nil {
			return err
		}
		var tag [4]byte
		rand.Read(tag[:])
		var ids []int64
		err := tx.SelectContext(ctx, &ids, `
			INSERT INTO registrations (event_id, status, first_name, last_name, email, country, city, participation, source, confirmed_at)
			SELECT $1, 'confirmed', 'Bench', 'Person ' || g, 'bench-' || $3 || '-' || g || '@example.invalid', 'PL', 'Lodz', 'local', 'demo', now()
			FROM generate_series(1, $2) g
			RETURNING id`, ev.ID, n, hex.EncodeToString(tag[:]))
		if err != nil {
			return fmt.Errorf("registrations: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO registration_days (registration_id, event_id, day)
			SELECT r, $1, d.day FROM unnest($2::bigint[]) r, event_days d WHERE d.event_id = $1`, ev.ID, pq.Array(ids)); err != nil {
			return fmt.Errorf("registration days: %w", err)
		}
		key, err := tickets.New(st).SigningKey(ctx, tx, ev.ID)
		if err != nil {
			return err
		}
		var tids []int64
		if err := tx.SelectContext(ctx, &tids, `SELECT nextval(pg_get_serial_sequence('tickets', 'id')) FROM generate_series(1, $1)`, n); err != nil {
			return err
		}
		days := ev.Days()
		dayText := make([]string, len(days))
		for i, d := range days {
			days[i] = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
			dayText[i] = days[i].Format(time.DateOnly)
		}
		daysLit := "{" + strings.Join(dayText, ",") + "}"
		// Codes are random (40 bits): among 100,000 and more, two alike come
		// up about once in a hundred seedings. The server retries on the
		// unique key; COPY cannot, so the codes are kept apart here.
		var taken []string
		if err := tx.SelectContext(ctx, &taken, `SELECT code FROM tickets`); err != nil {
			return err
		}
		codes := make(map[string]bool, len(taken)+len(ids))
		for _, c := range taken {
			codes[c] = true
		}
		newCode := func() string {
			for {
				if c := ticketcode.NewCode(); !codes[c] {
					codes[c] = true
					return c
				}
			}
		}
		stmt, err := tx.PrepareContext(ctx, `COPY tickets (id, registration_id, event_id, code, payload, key_id, days) FROM STDIN`)
		if err != nil {
			return err
		}
		out = make([]Ticket, len(ids))
		for i, rid := range ids {
			payload, err := ticketcode.Sign(ticketcode.Claims{EventID: ev.ID, TicketID: tids[i], KeyID: key.KID, Days: days}, ed25519.PrivateKey(key.PrivateKey))
			if err != nil {
				return err
			}
			out[i] = Ticket{ID: tids[i], RegistrationID: rid, Payload: payload}
			if _, err := stmt.ExecContext(ctx, tids[i], rid, ev.ID, newCode(), payload, key.ID, daysLit); err != nil {
				return fmt.Errorf("copy tickets: %w", err)
			}
		}
		if _, err := stmt.ExecContext(ctx); err != nil {
			return fmt.Errorf("copy tickets: %w", err)
		}
		if err := stmt.Close(); err != nil {
			return err
		}
		return st.RecountSeats(ctx, tx, ev.ID)
	})
	if err != nil {
		return ev, nil, err
	}
	// Fold the new registrations into the report counts, as the server's
	// worker would have long before a real door opens, and vacuum now, so that
	// neither the fold nor autovacuum wakes up for the bulk insert in the
	// middle of the measured run.
	if _, err := st.DB.ExecContext(ctx, `VACUUM (ANALYZE) registrations, registration_days, tickets, report_dirty`); err != nil {
		return ev, nil, err
	}
	if _, err := st.FoldReport(ctx); err != nil {
		return ev, nil, err
	}
	_, err = st.DB.ExecContext(ctx, `VACUUM (ANALYZE) report_dirty, report_folded`)
	return ev, out, err
}

// AddDevices creates n door devices for the event and returns their tokens.
func AddDevices(ctx context.Context, st *store.Store, eventID int64, n int, baseURL string) ([]string, error) {
	svc := checkin.New(st, tickets.New(st), time.Now)
	var tag [3]byte
	rand.Read(tag[:])
	toks := make([]string, n)
	for i := range toks {
		p, err := svc.AddDevice(ctx, nil, eventID, fmt.Sprintf("Load %s %d", hex.EncodeToString(tag[:]), i+1), baseURL)
		if err != nil {
			return nil, fmt.Errorf("device: %w", err)
		}
		toks[i] = p.Token
	}
	return toks, nil
}

// Forge returns a payload with a valid shape and a broken signature.
func Forge(payload string) string {
	if payload == "" {
		return "x"
	}
	b := []byte(payload)
	i := max(0, len(b)-10) // inside the signature, away from base32's trailing bits
	if b[i] == 'A' {
		b[i] = 'B'
	} else {
		b[i] = 'A'
	}
	return string(b)
}

func randBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b)
	return b
}
