package door_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

// The live screen shows the times of double entries in the event's zone, not
// in the database session's zone (UTC).
func TestLiveDoubleEntriesInEventZone(t *testing.T) {
	st := dbtest.Open(t)
	f := checkintest.New(t, st, 0)
	ts := newServer(t, st)
	ctx := t.Context()
	ev := store.Event{ProjectID: f.Project.ID, Slug: f.Project.Code + "-waw", Number: 3,
		Title: store.Texts{"en": "Event Warsaw"}, City: "Warsaw", Country: "PL",
		FirstDay: f.Today.AddDate(0, 0, -1), LastDay: f.Today.AddDate(0, 0, 1), TimeZone: "Europe/Warsaw"}
	if err := st.CreateEvent(ctx, st.DB, &ev); err != nil {
		t.Fatal(err)
	}
	p := f.Add(t, ev, "Kowalska", f.Today)
	kept := time.Date(2026, 7, 1, 8, 5, 9, 0, time.UTC) // 10:05:09 in Warsaw (CEST)
	other := time.Date(2026, 7, 1, 8, 22, 12, 0, time.UTC)
	keptScan := newUUID()
	de := store.DoubleEntry{EventID: ev.ID, RegistrationID: &p.Reg.ID, Day: f.Today,
		KeptScanID: &keptScan, OtherScanID: newUUID(), KeptAt: &kept, OtherAt: other}
	if err := st.InsertDoubleEntry(ctx, st.DB, de); err != nil {
		t.Fatal(err)
	}
	c, _ := session(t, st, ts, f.User(t, auth.RoleCoordinator).ID)
	code, _, page := call(t, c, http.MethodGet, ts.URL+"/door/live?event="+ev.Slug, nil, "Accept-Language", "en")
	if code != 200 || !strings.Contains(page, "Test Kowalska") {
		t.Fatalf("live page %d without the double entry", code)
	}
	for _, want := range []string{"10:05:09", "10:22:12"} {
		if !strings.Contains(page, want) {
			t.Errorf("live page lacks %s (Warsaw time)", want)
		}
	}
	for _, utc := range []string{"08:05:09", "08:22:12"} {
		if strings.Contains(page, utc) {
			t.Errorf("live page shows %s (UTC)", utc)
		}
	}
}
