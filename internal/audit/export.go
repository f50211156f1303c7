package audit

import (
	"context"
	"encoding/csv"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/store"
)

// MaxExport bounds one CSV export; narrow the filter for more.
const MaxExport = 10000

// List returns entries matching f, newest first.
func List(ctx context.Context, st *store.Store, f store.AuditFilter) ([]store.AuditEntry, error) {
	return st.Audit(ctx, st.DB, f)
}

// WriteCSV writes entries as CSV (UTF-8, header row). Cells that a spreadsheet
// would read as a formula are neutralised with a leading apostrophe.
func WriteCSV(w io.Writer, es []store.AuditEntry) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"id", "at", "actor", "action", "object_type", "object_id", "ip", "details"}); err != nil {
		return err
	}
	for _, e := range es {
		row := []string{strconv.FormatInt(e.ID, 10), e.At.UTC().Format(time.RFC3339), e.Actor, e.Action, e.ObjectType,
			e.ObjectID, e.IP, string(e.Details)}
		for i := range row {
			row[i] = SafeCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// SafeCell keeps a text cell from being read as a formula (= + - @, tab, CR).
func SafeCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}
