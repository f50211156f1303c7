package bench

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// WAL is PostgreSQL's write-ahead log activity (pg_stat_wal, since 14):
// what the commits of a run wrote and how much of it was full-page images,
// the copies of a page logged on its first change after a checkpoint.
type WAL struct {
	Records int64 `json:"records" db:"wal_records"`
	FPI     int64 `json:"full_page_images" db:"wal_fpi"`
	Bytes   int64 `json:"bytes" db:"wal_bytes"`
}

func walStat(ctx context.Context, db *sqlx.DB) (WAL, bool) {
	var w WAL
	err := db.GetContext(ctx, &w, `SELECT wal_records, wal_fpi, wal_bytes::bigint AS wal_bytes FROM pg_stat_wal`)
	return w, err == nil
}

// per is the WAL of a run per request.
func (w WAL) per(n int) string {
	if n <= 0 {
		return "no requests"
	}
	return fmt.Sprintf("%.0f bytes, %.1f records and %.2f full-page images per scan", float64(w.Bytes)/float64(n), float64(w.Records)/float64(n), float64(w.FPI)/float64(n))
}

func (w WAL) sub(o WAL) WAL {
	return WAL{Records: w.Records - o.Records, FPI: w.FPI - o.FPI, Bytes: w.Bytes - o.Bytes}
}
