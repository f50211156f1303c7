package report_test

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// loadVolume fills the DeCoDe programme with n registrations spread over its
// five events, each admitted on two days with one scan per admission.
func loadVolume(tb testing.TB, st *store.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		tb.Fatal(err)
	}
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		tb.Fatal(err)
	}
	evs, _ := st.ProjectEvents(ctx, st.DB, p.ID)
	parts, _ := st.Partners(ctx, st.DB, p.ID)
	var eids, pids []int64
	for _, e := range evs {
		eids = append(eids, e.ID)
	}
	for _, pt := range parts {
		pids = append(pids, pt.ID)
	}
	stmts := []string{`
INSERT INTO registrations (event_id, status, first_name, last_name, email, country, city, participation, partner_id,
	age_band, gender, source, created_at)
SELECT ($1::bigint[])[1 + g % 5], CASE WHEN g % 50 = 0 THEN 'cancelled' ELSE 'confirmed' END,
	'First' || g, 'Last' || g, 'bench' || g || '@example.org',
	(ARRAY['LV','LT','PL','DE','RO','IT','DK','ES','PT','UA'])[1 + (g / 5) % 10],
	(ARRAY['Daugavpils','Kaunas','Lodz','Magdeburg','Oradea','Palermo','Vejle','Cuenca','','Lviv'])[1 + (g / 5) % 10],
	CASE WHEN (g / 5) % 10 = 0 THEN 'local' WHEN (g / 5) % 10 < 8 THEN 'invited' ELSE 'other' END,
	CASE WHEN (g / 5) % 10 BETWEEN 1 AND 7 THEN ($2::bigint[])[1 + (g / 5) % 10] END,
	(ARRAY['', '18-25', '26-35', '36-50'])[1 + g % 4], (ARRAY['', 'female', 'male'])[1 + g % 3],
	'demo', now()
FROM generate_series(1, $3::int) g`, `
INSERT INTO admissions (event_id, registration_id, day, admitted_at, method)
SELECT r.event_id, r.id, e.first_day + d, (e.first_day + d) + time '08:00' + (r.id % 240) * interval '1 minute', 'qr'
FROM registrations r JOIN events e ON e.id = r.event_id CROSS JOIN generate_series(0, 1) d`, `
INSERT INTO registration_days (registration_id, event_id, day)
SELECT r.id, r.event_id, e.first_day + d
FROM registrations r JOIN events e ON e.id = r.event_id CROSS JOIN generate_series(0, 1) d`, `
INSERT INTO scans (scan_id, event_id, registration_id, day, method, result, scanned_at)
SELECT gen_random_uuid(), a.event_id, a.registration_id, a.day, 'qr', 'admitted', a.admitted_at FROM admissions a`,
		`VACUUM ANALYZE`}
	for i, q := range stmts {
		var args []any
		if i == 0 {
			args = []any{pq.Array(eids), pq.Array(pids), n}
		}
		if _, err := st.DB.ExecContext(ctx, q, args...); err != nil {
			tb.Fatal(err)
		}
	}
}

// BenchmarkProjectReport builds the DeCoDe project report over 100,000
// registrations, 200,000 admissions and 200,000 scans.
func BenchmarkProjectReport(b *testing.B) {
	st := dbtest.Open(b)
	loadVolume(b, st, 100_000)
	svc := report.New(st, time.Now)
	ctx := context.Background()
	var rep report.ProjectReport
	b.ResetTimer()
	for b.Loop() {
		var err error
		if rep, err = svc.Project(ctx, programme.ProjectCode, report.Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	if rep.AttendedAll != 100_000 {
		b.Fatalf("attended_all = %d, want 100000", rep.AttendedAll)
	}
	b.ReportMetric(float64(rep.AttendedAll), "participants")
}

// repeatedScan finds sequential scans of the big tables and how often they run.
var repeatedScan = regexp.MustCompile(`Seq Scan on (admissions|registrations|scans)\b[^\n]*loops=(\d+)`)

// TestReportQueryPlans prints the plans of the report queries on a volume
// (go test -run QueryPlans -v) and checks that no query reads a whole big
// table more than once (a sequential scan inside a loop).
func TestReportQueryPlans(t *testing.T) {
	if testing.Short() {
		t.Skip("loads 20,000 registrations")
	}
	st := dbtest.Open(t)
	rows := 20_000
	if n, err := strconv.Atoi(os.Getenv("REPORTS_PLAN_ROWS")); err == nil && n > 0 {
		rows = n // e.g. 100000 to see the benchmark's plans
	}
	loadVolume(t, st, rows)
	ctx := context.Background()
	var ids pq.Int64Array
	if err := st.DB.GetContext(ctx, &ids, `SELECT array_agg(id ORDER BY id) FROM events`); err != nil {
		t.Fatal(err)
	}
	for name, args := range map[string][]any{
		"registration_groups": {ids},
		"days_registered":     {ids},
		"participants":        {ids[0], "attended"},
	} {
		// In the report's own transaction settings.
		var plan []string
		err := st.ReportSnapshot(ctx, func(tx *sqlx.Tx) error {
			return tx.SelectContext(ctx, &plan, "EXPLAIN (ANALYZE, TIMING OFF) "+store.ReportQueries[name], args...)
		})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		text := strings.Join(plan, "\n")
		t.Logf("%s:\n%s", name, text)
		for _, line := range plan {
			// A parallel scan's loops are its workers, not repetitions.
			if m := repeatedScan.FindStringSubmatch(line); m != nil && m[2] != "1" && !strings.Contains(line, "Parallel") {
				t.Errorf("%s reads all of %s %s times:\n%s", name, m[1], m[2], text)
			}
		}
	}
}
