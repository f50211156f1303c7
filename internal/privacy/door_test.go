package privacy_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/tickets"
)

// The door's offline bundle holds only what the door shows: never an e-mail
// address or a phone number, as keys or as values.
func TestDoorBundleHoldsNoContactData(t *testing.T) {
	ctx := context.Background()
	f := seedDemo(t, true)
	mustExec(t, f.st, `UPDATE registrations SET phone = '+371 29' || lpad(id::text, 6, '0')`)
	evs, err := f.st.ProjectEvents(ctx, f.st.DB, f.p.ID)
	if err != nil {
		t.Fatal(err)
	}
	svc := checkin.New(f.st, tickets.New(f.st), time.Now)
	svc.Now = func() time.Time { return testNow }
	b, err := svc.Bundle(ctx, evs[3], nil) // event 4, under way today
	if err != nil {
		t.Fatal(err)
	}
	if len(b.People) == 0 {
		t.Fatal("the bundle lists no one: nothing to check")
	}
	raw, _ := json.Marshal(b)
	var doc any
	json.Unmarshal(raw, &doc)
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				lk := strings.ToLower(k)
				if strings.Contains(lk, "mail") || strings.Contains(lk, "phone") || strings.Contains(lk, "tel") {
					t.Errorf("bundle key %q", k)
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		case string:
			if strings.Contains(v, "@") || strings.HasPrefix(v, "+371 29") {
				t.Errorf("bundle value looks like contact data: %q", v)
			}
		}
	}
	walk(doc)
}
