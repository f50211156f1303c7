package audit_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"
	"testing"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

func TestSafeCell(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")", "+1": "'+1", "-2": "'-2", "@SUM(A1)": "'@SUM(A1)",
		"\tx": "'\tx", "plain": "plain", "": "", "user:3": "user:3",
	} {
		if got := audit.SafeCell(in); got != want {
			t.Errorf("SafeCell(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLogListExport(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	u := store.User{Email: "a@example.org", Name: "A", Role: auth.RoleAdmin}
	if err := st.CreateUser(ctx, st.DB, &u); err != nil {
		t.Fatal(err)
	}
	p := &auth.Principal{UserID: u.ID, Role: auth.RoleAdmin}
	for _, e := range []audit.Entry{
		{Actor: p, Action: "user.create", ObjectType: "user", ObjectID: 7, IP: "192.0.2.1", Details: map[string]any{"role": "door"}},
		{ActorLabel: "cli", Action: "export.participants", ObjectType: "event", ObjectID: "=cmd|' /C calc'!A0"},
		{Action: "retention.run"},
	} {
		if err := audit.Log(ctx, st, st.DB, e); err != nil {
			t.Fatal(err)
		}
	}
	es, err := audit.List(ctx, st, store.AuditFilter{Action: "export."})
	if err != nil || len(es) != 1 || es[0].Actor != "cli" {
		t.Fatalf("filter by action prefix: %+v %v", es, err)
	}
	all, err := audit.List(ctx, st, store.AuditFilter{})
	if err != nil || len(all) != 3 || all[2].Actor != "user:"+itoa(u.ID) || all[2].ActorName != "A" || all[0].Actor != "system" {
		t.Fatalf("list: %+v %v", all, err)
	}
	var buf bytes.Buffer
	if err := audit.WriteCSV(&buf, all); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil || len(rows) != 4 || rows[0][3] != "action" {
		t.Fatalf("csv: %v %v", rows, err)
	}
	if rows[2][5] != "'=cmd|' /C calc'!A0" {
		t.Fatalf("formula not neutralised: %q", rows[2][5])
	}
	// Append-only: the application cannot change or delete entries.
	if _, err := st.DB.ExecContext(ctx, `UPDATE audit_log SET action = 'x'`); err == nil {
		t.Fatal("audit entry updated")
	}
	if _, err := st.DB.ExecContext(ctx, `DELETE FROM audit_log`); err == nil {
		t.Fatal("audit entry deleted")
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
