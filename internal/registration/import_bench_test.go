package registration_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/xuri/excelize/v2"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/registration/regtest"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
)

// BenchmarkImport5000XLSX imports a 5,000-row XLSX workbook (every column,
// attendance on both days of a past two-day event) into a fresh event, and,
// in the same run, inserts the same rows into the bare database with plain
// INSERTs in one transaction (registration, its days, its admissions) for
// comparison. Run it with
//
//	go test ./internal/registration -run '^$' -bench Import5000XLSX -benchtime 3x
func BenchmarkImport5000XLSX(b *testing.B) {
	const n = 5000
	ctx := context.Background()
	st := dbtest.Open(b)
	f := regtest.NewFixture(b, st, "bench-import", nil)
	probe := eventAround(b, st, f, "bench-probe", -10, -9, nil)
	d0, d1 := day(probe, 0), day(probe, 1)
	x := excelize.NewFile()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		b.Fatal(err)
	}
	head := []any{"first_name", "last_name", "email", "phone", "organisation", "city", "country", "participation", "partner", "language", "days", "attended"}
	sw.SetRow("A1", head)
	partners := []struct{ city, country, slug string }{{"Daugavpils", "LV", ""}, {"Kaunas", "LT", "kaunas"}, {"Łódź", "PL", "lodz"}, {"Lisboa", "PT", ""}}
	for i := 0; i < n; i++ {
		p := partners[i%len(partners)]
		part := "other"
		switch {
		case p.country == "LV":
			part = "local"
		case p.slug != "":
			part = "invited"
		}
		attended := d0 + ";" + d1
		if i%3 == 0 {
			attended = d0
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		sw.SetRow(cell, []any{fmt.Sprintf("Person%d", i), fmt.Sprintf("Family%d", i), fmt.Sprintf("p%d@example.org", i), "+371 2000 0000",
			"Organisation " + fmt.Sprint(i%50), p.city, p.country, part, p.slug, "en", d0 + ";" + d1, attended})
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		b.Fatal(err)
	}
	file := buf.Bytes()
	svc := newService(st)
	headers := registration.NewHeaders(bundle)
	var importTotal, bareTotal time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		e := eventAround(b, st, f, fmt.Sprintf("bench-imp-%d", i), -10, -9, nil)
		start := time.Now()
		sh, err := sheetin.Read(file)
		if err != nil {
			b.Fatal(err)
		}
		res, err := svc.Import(ctx, nil, e.Slug, sh, registration.ImportOptions{FileName: "bench.xlsx", SHA256: "bench", Headers: headers})
		if err != nil || res.Created != n {
			b.Fatalf("import: %v %+v", err, res.Errors[:min(3, len(res.Errors))])
		}
		importTotal += time.Since(start)

		bare := eventAround(b, st, f, fmt.Sprintf("bench-bare-%d", i), -10, -9, nil)
		start = time.Now()
		if err := bareInsert(ctx, st, bare, sh); err != nil {
			b.Fatal(err)
		}
		bareTotal += time.Since(start)
	}
	b.StopTimer()
	b.ReportMetric(float64(importTotal.Milliseconds())/float64(b.N), "import-ms/op")
	b.ReportMetric(float64(bareTotal.Milliseconds())/float64(b.N), "bare-insert-ms/op")
}

// bareInsert writes the sheet's rows with plain INSERTs, unchecked: the
// database's own cost of the same rows.
func bareInsert(ctx context.Context, st *store.Store, e store.Event, sh *sheetin.Sheet) error {
	return st.InTx(ctx, func(tx *sqlx.Tx) error {
		for _, r := range sh.Rows {
			c := r.Cells
			var id int64
			if err := tx.GetContext(ctx, &id, `INSERT INTO registrations (event_id, status, first_name, last_name, email, phone,
				organisation, city, country, participation, language, source, confirmed_at)
				VALUES ($1, 'confirmed', $2, $3, $4, $5, $6, $7, $8, $9, $10, 'import', now()) RETURNING id`,
				e.ID, c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7], c[9]); err != nil {
				return err
			}
			for _, d := range []string{day(e, 0), day(e, 1)} {
				if _, err := tx.ExecContext(ctx, `INSERT INTO registration_days (registration_id, event_id, day) VALUES ($1, $2, $3)`, id, e.ID, d); err != nil {
					return err
				}
			}
			for _, d := range bytes.Split([]byte(c[11]), []byte(";")) {
				if _, err := tx.ExecContext(ctx, `INSERT INTO admissions (event_id, registration_id, day, admitted_at, method) VALUES ($1, $2, $3, now(), 'import')`,
					e.ID, id, string(d)); err != nil {
					return err
				}
			}
		}
		return nil
	})
}
