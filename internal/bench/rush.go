package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/outbox"
	"github.com/decode-attend/attend/internal/store"
)

// rushEvent is the event the rush registers for: the last of the programme,
// whose registration the demo keeps open.
func rushEvent(ctx context.Context, st *store.Store) (store.Event, error) {
	var slug string
	if err := st.DB.GetContext(ctx, &slug, `SELECT slug FROM events ORDER BY first_day DESC LIMIT 1`); err != nil {
		return store.Event{}, err
	}
	return st.EventBySlug(ctx, st.DB, slug)
}

// Register posts one registration through the public API. addr goes in
// X-Forwarded-For: the rush comes from many phones, and a server that trusts
// the load tool as a proxy counts its per-address limits per phone. The answer
// names no registration (it must not tell a new address from a known one).
func Register(ctx context.Context, c *http.Client, baseURL, slug, email, addr string) (status int, err error) {
	body, _ := json.Marshal(map[string]any{
		"first_name": "Rush", "last_name": "Client", "email": email, "country": "LV", "city": "Daugavpils",
		"participation": "local", "language": "en", "privacy_notice_accepted": true,
	})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/api/v1/events/"+slug+"/registrations", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-For", addr)
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, err = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode, err
}

var (
	confirmLink = regexp.MustCompile(`/[a-z]{2}/confirm/[0-9a-zA-Z_-]+`)
	csrfField   = regexp.MustCompile(`name="csrf_token" value="([0-9a-f]+)"`)
)

func addrOf(n int64) string { return fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255) }

func runRush(ctx context.Context, o Options) (Report, error) {
	if o.Clients <= 0 {
		o.Clients = 200
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	e, err := setup(ctx, &o, o.Clients+4)
	if err != nil {
		return Report{}, err
	}
	defer e.close()
	ev, err := rushEvent(ctx, e.store)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Concurrent: o.Clients, Postgres: e.postgres, Extra: map[string]any{"event": ev.Slug}}

	// Phase 1, timed against the bare database: the registrations.
	var seq atomic.Int64
	var mu sync.Mutex
	var emails []string
	run := func(d time.Duration, one func(c *http.Client, n int64) (string, bool)) Stats {
		rec := newRecorder()
		rctx, cancel := context.WithTimeout(ctx, d)
		defer cancel()
		var wg sync.WaitGroup
		start := time.Now()
		for range o.Clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				c := NewClient()
				defer c.CloseIdleConnections()
				for rctx.Err() == nil {
					n := seq.Add(1)
					t0 := time.Now()
					outcome, failed := one(c, n)
					if rctx.Err() != nil {
						return
					}
					rec.Add(time.Since(t0), outcome, failed)
				}
			}()
		}
		wg.Wait()
		return rec.Stats(time.Since(start))
	}
	fmt.Fprintf(o.Out, "server: %d clients registering for %s for %v\n", o.Clients, ev.Slug, o.Duration)
	var rss *rssSampler
	if e.pid > 0 {
		rss = sampleRSS(e.pid, 200*time.Millisecond)
	}
	srv := run(o.Duration, func(c *http.Client, n int64) (string, bool) {
		email := fmt.Sprintf("rush-%d@example.org", n)
		status, err := Register(ctx, c, e.url, ev.Slug, email, addrOf(n))
		if err != nil {
			return "transport_error", true
		}
		if status == http.StatusAccepted {
			mu.Lock()
			emails = append(emails, email)
			mu.Unlock()
			return "accepted", false
		}
		return "http_" + strconv.Itoa(status), status >= 500 || status == 429
	})
	fmt.Fprintf(o.Out, "  server:  %s\n", srv)

	fmt.Fprintf(o.Out, "bare database: the registration's statements, %d connections for %v\n", o.Clients, o.Duration)
	bare := bareRush(ctx, e.store, ev, o.Clients, o.Duration, &seq)
	fmt.Fprintf(o.Out, "  bare db: %s\n", bare)
	rep.Server, rep.Bare = &srv, &bare
	if bare.Throughput > 0 {
		rep.Ratio = round2(srv.Throughput / bare.Throughput)
	}

	// Phase 2: everyone confirms at once for fewer places than people.
	var ids []int64
	if err := e.store.DB.SelectContext(ctx, &ids, `SELECT id FROM registrations WHERE event_id = $1 AND email = ANY($2)`,
		ev.ID, pq.Array(emails)); err != nil {
		return rep, err
	}
	places := o.Places
	if places <= 0 {
		places = max(1, len(ids)/4)
	}
	if _, err := e.store.DB.ExecContext(ctx, `UPDATE events SET capacity = confirmed_count + $2 WHERE id = $1`, ev.ID, places); err != nil {
		return rep, err
	}
	if _, err := e.store.DB.ExecContext(ctx, `UPDATE event_days SET capacity = NULL WHERE event_id = $1`, ev.ID); err != nil {
		return rep, err
	}
	links, err := confirmLinks(ctx, e.store, ids)
	if err != nil {
		return rep, err
	}
	fmt.Fprintf(o.Out, "confirmations: %d registrations confirm at once for %d places\n", len(links), places)
	var next atomic.Int64
	crec := newRecorder()
	var wg sync.WaitGroup
	start := time.Now()
	for range o.Clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := NewClient()
			c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			c.Jar, _ = cookiejar.New(nil) // the page's CSRF cookie
			for {
				i := next.Add(1) - 1
				if i >= int64(len(links)) {
					return
				}
				// The link opens a page; its button confirms. Only the
				// confirmation is timed: it is where everyone contends.
				resp, err := c.Get(e.url + links[i])
				if err != nil {
					crec.Add(0, "transport_error", true)
					continue
				}
				page, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				m := csrfField.FindSubmatch(page)
				if resp.StatusCode != http.StatusOK || m == nil {
					crec.Add(0, "page_http_"+strconv.Itoa(resp.StatusCode), true)
					continue
				}
				t0 := time.Now()
				resp, err = c.PostForm(e.url+links[i], url.Values{"csrf_token": {string(m[1])}})
				if err != nil {
					crec.Add(time.Since(t0), "transport_error", true)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				crec.Add(time.Since(t0), "http_"+strconv.Itoa(resp.StatusCode), resp.StatusCode >= 500)
			}
		}()
	}
	wg.Wait()
	conf := crec.Stats(time.Since(start))
	if rss != nil {
		peak, last := rss.Stop()
		rep.RSSPeakMiB, rep.RSSEndMiB = mib(peak), mib(last)
	}
	var confirmed, waitlisted, tickets, strays int
	if err := e.store.DB.QueryRowContext(ctx, `SELECT count(*) FILTER (WHERE status = 'confirmed'), count(*) FILTER (WHERE status = 'waitlisted'),
		(SELECT count(*) FROM tickets t WHERE t.registration_id = ANY($1) AND t.revoked_at IS NULL),
		(SELECT count(*) FROM tickets t JOIN registrations r ON r.id = t.registration_id
			WHERE r.id = ANY($1) AND r.status <> 'confirmed')
		FROM registrations WHERE id = ANY($1)`, pq.Array(ids)).Scan(&confirmed, &waitlisted, &tickets, &strays); err != nil {
		return rep, err
	}
	fmt.Fprintf(o.Out, "  confirm: %s\n", conf)
	fmt.Fprintf(o.Out, "  seats: %d places, %d confirmed, %d waitlisted (of %d registered); live tickets %d, tickets of people not confirmed %d\n",
		places, confirmed, waitlisted, len(ids), tickets, strays)
	rep.Extra["confirm"] = conf
	rep.Extra["places"], rep.Extra["confirmed"], rep.Extra["waitlisted"], rep.Extra["registered"] = places, confirmed, waitlisted, len(ids)
	rep.Extra["tickets"], rep.Extra["tickets_not_confirmed"] = tickets, strays
	if confirmed != min(places, len(ids)) {
		rep.Notes = append(rep.Notes, fmt.Sprintf("OVERSOLD OR UNDERSOLD: %d confirmed for %d places", confirmed, places))
	}
	if tickets != confirmed || strays != 0 {
		rep.Notes = append(rep.Notes, fmt.Sprintf("TICKETS WRONG: %d live tickets for %d confirmed, %d of people not confirmed", tickets, confirmed, strays))
	}
	fmt.Fprintf(o.Out, "ratio server/bare database (registrations): %.2f (goal >= 0.50)\n", rep.Ratio)
	if e.pid > 0 {
		fmt.Fprintf(o.Out, "server RSS: peak %.1f MiB, at the end %.1f MiB\n", rep.RSSPeakMiB, rep.RSSEndMiB)
	}
	return rep, nil
}

// confirmLinks reads each registration's confirmation link from the e-mail
// queued for it (the link's token is stored only as a hash).
func confirmLinks(ctx context.Context, st *store.Store, ids []int64) ([]string, error) {
	type row struct {
		ID   int64  `db:"registration_id"`
		Text string `db:"text_body"`
	}
	var rows []row
	if err := st.DB.SelectContext(ctx, &rows, `SELECT registration_id, text_body FROM outbox
		WHERE registration_id = ANY($1) AND text_body LIKE '%/confirm/%' ORDER BY id`, pq.Array(ids)); err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	var out []string
	for _, r := range rows {
		if l := confirmLink.FindString(r.Text); l != "" && !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, l)
		}
	}
	if len(out) == 0 && len(ids) > 0 {
		return nil, errors.New("no confirmation links in the outbox")
	}
	return out, nil
}

// bareRush runs the statements a registration issues (internal/registration
// Register and the rate limits of the API handler: event, partners, two
// rate-limit hits, then in one transaction the address lookup, privacy
// notice, registration with its days, consent, the days again for the
// e-mail, and the queued e-mail) straight on the database.
func bareRush(ctx context.Context, st *store.Store, ev store.Event, clients int, d time.Duration, seq *atomic.Int64) Stats {
	rec := newRecorder()
	rctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	ob := outbox.New(st, "http://localhost")
	days := ev.Days()
	var wg sync.WaitGroup
	start := time.Now()
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for rctx.Err() == nil {
				n := seq.Add(1)
				t0 := time.Now()
				err := bareRegister(rctx, st, ob, ev, days, n)
				if rctx.Err() != nil {
					return
				}
				if err != nil {
					rec.Fail(time.Since(t0), "error", err)
					continue
				}
				rec.Add(time.Since(t0), "accepted", false)
			}
		}()
	}
	wg.Wait()
	return rec.Stats(time.Since(start))
}

func bareRegister(ctx context.Context, st *store.Store, ob *outbox.Outbox, ev store.Event, days []time.Time, n int64) error {
	e, err := st.EventBySlug(ctx, st.DB, ev.Slug)
	if err != nil {
		return err
	}
	if _, err := st.Partners(ctx, st.DB, e.ProjectID); err != nil {
		return err
	}
	now := time.Now()
	email := fmt.Sprintf("bare-rush-%d@example.org", n)
	for _, key := range []string{"register-ip:" + addrOf(n), "register-email:" + email} {
		if _, err := st.HitRateLimit(ctx, st.DB, key, now.Truncate(10*time.Minute)); err != nil {
			return err
		}
	}
	return st.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := st.RegistrationByEmail(ctx, tx, e.ID, email); !errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("address lookup: %v", err)
		}
		notice, err := st.CurrentPrivacyNotice(ctx, tx, e.ProjectID, "en")
		if err != nil {
			return err
		}
		exp := now.Add(48 * time.Hour)
		r := store.Registration{EventID: e.ID, Status: store.StatusPending, FirstName: "Rush", LastName: "Bare", Email: &email,
			Country: "LV", City: "Daugavpils", Participation: store.Local, Language: "en", Source: "api",
			PrivacyNoticeID: &notice.ID, PrivacyAcceptedAt: &now, ManageNonce: randBytes(32),
			ConfirmTokenHash: randBytes(32), ConfirmExpiresAt: &exp}
		if err := st.InsertRegistration(ctx, tx, &r, days); err != nil {
			return err
		}
		v := notice.Version
		if err := st.InsertConsent(ctx, tx, r.ID, "privacy_notice", true, &v); err != nil {
			return err
		}
		if _, err := st.RegistrationDays(ctx, tx, r.ID); err != nil {
			return err
		}
		_, err = ob.Enqueue(ctx, tx, outbox.Message{Kind: "confirm", RegistrationID: &r.ID, To: email, Language: "en",
			Subject: "Please confirm your registration", Text: "Open this link to confirm: http://localhost/en/confirm/" + fmt.Sprint(n)})
		return err
	})
}
