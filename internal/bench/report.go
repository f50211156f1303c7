package bench

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
)

// LoadVolume adds n registrations spread over the programme's five events,
// each admitted on two days with one scan per admission (as the report
// package's benchmark does), in a few bulk statements.
func LoadVolume(ctx context.Context, st *store.Store, n int) error {
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		return err
	}
	evs, err := st.ProjectEvents(ctx, st.DB, p.ID)
	if err != nil {
		return err
	}
	parts, err := st.Partners(ctx, st.DB, p.ID)
	if err != nil {
		return err
	}
	var eids, pids []int64
	for _, e := range evs {
		eids = append(eids, e.ID)
	}
	for _, pt := range parts {
		pids = append(pids, pt.ID)
	}
	tag := hex.EncodeToString(randBytes(4))
	return st.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE events SET capacity = NULL WHERE id = ANY($1)`, pq.Array(eids)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE event_days SET capacity = NULL WHERE event_id = ANY($1)`, pq.Array(eids)); err != nil {
			return err
		}
		var ids []int64
		if err := tx.SelectContext(ctx, &ids, `
INSERT INTO registrations (event_id, status, first_name, last_name, email, country, city, participation, partner_id,
	age_band, gender, source, created_at)
SELECT ($1::bigint[])[1 + g % cardinality($1::bigint[])], CASE WHEN g % 50 = 0 THEN 'cancelled' ELSE 'confirmed' END,
	'First' || g, 'Last' || g, 'volume-' || $4 || '-' || g || '@example.org',
	(ARRAY['LV','LT','PL','DE','RO','IT','DK','ES','PT','UA'])[1 + (g / 5) % 10],
	(ARRAY['Daugavpils','Kaunas','Lodz','Magdeburg','Oradea','Palermo','Vejle','Cuenca','','Lviv'])[1 + (g / 5) % 10],
	CASE WHEN (g / 5) % 10 = 0 THEN 'local' WHEN (g / 5) % 10 < 8 THEN 'invited' ELSE 'other' END,
	CASE WHEN (g / 5) % 10 BETWEEN 1 AND 7 AND cardinality($2::bigint[]) > 0 THEN ($2::bigint[])[1 + (g / 5) % cardinality($2::bigint[])] END,
	(ARRAY['', '18-25', '26-35', '36-50'])[1 + g % 4], (ARRAY['', 'female', 'male'])[1 + g % 3],
	'demo', now()
FROM generate_series(1, $3::int) g
RETURNING id`, pq.Array(eids), pq.Array(pids), n, tag); err != nil {
			return fmt.Errorf("registrations: %w", err)
		}
		for _, q := range []string{`
INSERT INTO registration_days (registration_id, event_id, day)
SELECT r.id, r.event_id, d.day FROM registrations r JOIN event_days d ON d.event_id = r.event_id
WHERE r.id = ANY($1) AND d.day <= (SELECT e.first_day + 1 FROM events e WHERE e.id = r.event_id)`, `
INSERT INTO admissions (event_id, registration_id, day, admitted_at, method)
SELECT rd.event_id, rd.registration_id, rd.day, rd.day + time '08:00' + (rd.registration_id % 240) * interval '1 minute', 'qr'
FROM registration_days rd JOIN registrations r ON r.id = rd.registration_id
WHERE rd.registration_id = ANY($1) AND r.status = 'confirmed'`, `
INSERT INTO scans (scan_id, event_id, registration_id, day, method, result, scanned_at)
SELECT gen_random_uuid(), a.event_id, a.registration_id, a.day, 'qr', 'admitted', a.admitted_at
FROM admissions a WHERE a.registration_id = ANY($1)`} {
			if _, err := tx.ExecContext(ctx, q, pq.Array(ids)); err != nil {
				return fmt.Errorf("volume: %w", err)
			}
		}
		for _, id := range eids {
			if err := st.RecountSeats(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
}

// reportToken creates an administrator with a report-scope API token.
func reportToken(ctx context.Context, st *store.Store) (string, error) {
	var b [16]byte
	rand.Read(b[:])
	tok := auth.TokenPrefix + hex.EncodeToString(b[:])
	u := store.User{Email: "bench-" + hex.EncodeToString(b[:4]) + "@example.org", Name: "Load test", Role: "admin"}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		return "", err
	}
	t := store.APIToken{TokenHash: auth.Hash(tok), Prefix: tok[:8], UserID: &u.ID, Scopes: pq.StringArray{auth.ScopeReport}, Label: "load test"}
	return tok, st.CreateToken(ctx, st.DB, &t)
}

func runReport(ctx context.Context, o Options) (Report, error) {
	if o.People <= 0 {
		o.People = 20000
	}
	if o.Duration <= 0 {
		o.Duration = 10 * time.Second
	}
	clients := 2 // coordinators looking at the report at once
	if o.Coordinators > 0 {
		clients = o.Coordinators
	}
	e, err := setup(ctx, &o, clients+4)
	if err != nil {
		return Report{}, err
	}
	defer e.close()
	var foldAll time.Duration
	if !o.Reuse || e.db != nil {
		fmt.Fprintf(o.Out, "generating %d registrations with admissions and scans over the programme\n", o.People)
		t0 := time.Now()
		if err := LoadVolume(ctx, e.store, o.People); err != nil {
			return Report{}, err
		}
		fmt.Fprintf(o.Out, "  generated in %.1fs\n", time.Since(t0).Seconds())
		// The running server folds the queue every few seconds too; whichever
		// folds first, this is the time from the generation's commit until the
		// report's counts hold everything.
		f0 := time.Now()
		folded, err := e.store.FoldReport(ctx)
		if err != nil {
			return Report{}, err
		}
		foldAll = time.Since(f0)
		fmt.Fprintf(o.Out, "  report counts folded %.1fs after the generation (%d queued changes folded here; 0: by the server's worker)\n", foldAll.Seconds(), folded)
		if _, err := e.store.DB.ExecContext(ctx, `VACUUM (ANALYZE)`); err != nil {
			return Report{}, err
		}
	}
	var regs, adms int
	if err := e.store.DB.GetContext(ctx, &regs, `SELECT count(*) FROM registrations`); err != nil {
		return Report{}, err
	}
	if err := e.store.DB.GetContext(ctx, &adms, `SELECT count(*) FROM admissions WHERE undone_at IS NULL`); err != nil {
		return Report{}, err
	}
	fmt.Fprintf(o.Out, "the database holds %d registrations and %d admissions; load %s\n", regs, adms, loadAvg())
	tok, err := reportToken(ctx, e.store)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Concurrent: clients, Postgres: e.postgres, Extra: map[string]any{"people": o.People, "registrations": regs, "admissions": adms,
		"fold_all_s": round2(foldAll.Seconds())}}
	loop := func(one func() (string, bool)) Stats {
		rec := newRecorder()
		rctx, cancel := context.WithTimeout(ctx, o.Duration)
		defer cancel()
		var wg sync.WaitGroup
		start := time.Now()
		for range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for rctx.Err() == nil {
					t0 := time.Now()
					// A report outlasting the run still counts: the run ends after it.
					outcome, failed := one()
					rec.Add(time.Since(t0), outcome, failed)
				}
			}()
		}
		wg.Wait()
		return rec.Stats(time.Since(start))
	}
	fmt.Fprintf(o.Out, "server: %d clients building the project report for %v\n", clients, o.Duration)
	var rss *rssSampler
	if e.pid > 0 {
		rss = sampleRSS(e.pid, 200*time.Millisecond)
	}
	c := &http.Client{Timeout: 2 * time.Minute}
	getReport := func() (string, bool) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, e.url+"/api/v1/projects/"+programme.ProjectCode+"/report", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := c.Do(req)
		if err != nil {
			return "transport_error", true
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return "http_" + strconv.Itoa(resp.StatusCode), resp.StatusCode != http.StatusOK
	}
	srv := loop(getReport)
	if rss != nil {
		peak, last := rss.Stop()
		rep.RSSPeakMiB, rep.RSSEndMiB = mib(peak), mib(last)
	}
	fmt.Fprintf(o.Out, "  server:  %s\n", srv)
	if err := reportQueued(ctx, o, e, &rep); err != nil {
		return rep, err
	}

	var eids pq.Int64Array
	if err := e.store.DB.GetContext(ctx, &eids, `SELECT array_agg(id ORDER BY id) FROM events`); err != nil {
		return rep, err
	}
	// The report's aggregate queries over all events; the participant list
	// (one event, a filter) is a page of its own, not part of the report.
	var names []string
	for name := range store.ReportQueries {
		if name != "participants" {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	fmt.Fprintf(o.Out, "bare database: the report's aggregate queries (%s) in one read-only snapshot, %d connections\n",
		strings.Join(names, ", "), clients)
	var firstErr error
	var errOnce sync.Once
	bare := loop(func() (string, bool) {
		err := e.store.ReportSnapshot(ctx, func(tx *sqlx.Tx) error {
			for _, name := range names {
				rows, err := tx.QueryContext(ctx, store.ReportQueries[name], eids)
				if err != nil {
					return err
				}
				for rows.Next() {
				}
				rows.Close()
				if err := rows.Err(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			errOnce.Do(func() { firstErr = err })
			return "error", true
		}
		return "ok", false
	})
	if firstErr != nil {
		bare.FirstError = firstErr.Error()
	}
	fmt.Fprintf(o.Out, "  bare db: %s\n", bare)
	rep.Server, rep.Bare = &srv, &bare
	if bare.Throughput > 0 {
		rep.Ratio = round2(srv.Throughput / bare.Throughput)
	}
	fmt.Fprintf(o.Out, "ratio server/bare database: %.2f\n", rep.Ratio)
	if e.pid > 0 {
		fmt.Fprintf(o.Out, "server RSS: peak %.1f MiB, at the end %.1f MiB\n", rep.RSSPeakMiB, rep.RSSEndMiB)
	}
	return rep, nil
}

// reportQueued measures the maintained counts with changes queued: a
// thousand admissions undone and the report's queries read at once (in the
// same snapshot as the queue they correct for), then the fold of those
// changes; the admissions are given back and folded again.
func reportQueued(ctx context.Context, o Options, e *env, rep *Report) error {
	var eids pq.Int64Array
	if err := e.store.DB.GetContext(ctx, &eids, `SELECT array_agg(id ORDER BY id) FROM events`); err != nil {
		return err
	}
	var ids pq.Int64Array
	if err := e.store.DB.GetContext(ctx, &ids, `
WITH u AS (UPDATE admissions SET undone_at = now() WHERE id IN (
	SELECT id FROM admissions WHERE undone_at IS NULL ORDER BY id LIMIT 1000) RETURNING id)
SELECT array_agg(id) FROM u`); err != nil {
		return err
	}
	var queued int
	var read time.Duration
	err := e.store.ReportSnapshot(ctx, func(tx *sqlx.Tx) error {
		if err := tx.GetContext(ctx, &queued, `SELECT count(DISTINCT registration_id) FROM report_dirty`); err != nil {
			return err
		}
		t0 := time.Now()
		if _, err := e.store.RegistrationGroups(ctx, tx, eids); err != nil {
			return err
		}
		if _, err := e.store.DaysRegistered(ctx, tx, eids); err != nil {
			return err
		}
		read = time.Since(t0)
		return nil
	})
	if err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := e.store.FoldReport(ctx); err != nil {
		return err
	}
	fold := time.Since(t0)
	if _, err := e.store.DB.ExecContext(ctx, `UPDATE admissions SET undone_at = NULL WHERE id = ANY($1)`, ids); err != nil {
		return err
	}
	if _, err := e.store.FoldReport(ctx); err != nil {
		return err
	}
	fmt.Fprintf(o.Out, "  maintained report queries with %d registrations queued: %.0f ms; folding %d undone admissions: %.0f ms\n",
		queued, ms(read), len(ids), ms(fold))
	rep.Extra["queued_registrations"], rep.Extra["queued_read_ms"] = queued, ms(read)
	rep.Extra["fold_1000_ms"] = ms(fold)
	return nil
}
