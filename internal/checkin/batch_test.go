package checkin_test

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/checkin/checkintest"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/tickets"
)

// Scans arriving together are written together (store/doorbatch.go); each
// must still answer for itself: every person in once, the second scan of
// the same person (even in the same batch) "already admitted", a retried scan
// id (which fails its batch) the first answer, a revoked device refused, and
// the log holding exactly the answers given. (A retried scan id answers
// "admitted" twice: the first answer, replayed.)
func TestScanBatchesUnderLoad(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	const people = 40
	f := checkintest.New(t, st, people)
	svc := checkin.New(st, tickets.New(st), time.Now)
	var doors []*auth.Principal
	for _, name := range []string{"Door 1", "Door 2", "Door 3"} {
		_, tok := f.Device(t, f.A, name)
		p := f.Principal(t, tok)
		p.TokenHash = auth.Hash(tok) // as a device known from memory: the statement checks its token
		doors = append(doors, p)
	}
	devID, revokedTok := f.Device(t, f.A, "Door lost")
	revoked := f.Principal(t, revokedTok)
	revoked.TokenHash = auth.Hash(revokedTok)
	if _, err := st.DB.Exec(`UPDATE devices SET revoked_at = now() WHERE id = $1`, devID); err != nil {
		t.Fatal(err)
	}

	type job struct {
		who    *auth.Principal
		person int // -1: a forged payload
		scanID string
	}
	var jobs []job
	for round := range 3 {
		for i := range people {
			jobs = append(jobs, job{doors[(i+round)%len(doors)], i, uuid.NewString()})
		}
		// A device retrying the same scan id at once.
		retried := uuid.NewString()
		jobs = append(jobs, job{doors[0], round, retried}, job{doors[0], round, retried})
		jobs = append(jobs, job{doors[1], -1, uuid.NewString()}, job{revoked, round, uuid.NewString()})
	}
	type answer struct {
		job
		res checkin.Result
		err error
	}
	answers := make([]answer, len(jobs))
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			payload := "x.y.z"
			if j.person >= 0 {
				payload = f.People[j.person].Ticket.Payload
			} else {
				payload = forge(f.People[0].Ticket.Payload)
			}
			<-start
			res, err := svc.Scan(ctx, j.who, checkin.Scan{EventID: f.A.ID, Payload: payload, ScanID: j.scanID})
			answers[i] = answer{j, res, err}
		})
	}
	close(start)
	wg.Wait()

	if batches, scans := st.DoorBatchStats(); batches == 0 || scans < 2*batches {
		t.Fatalf("%d batches of %d scans: the scans were not written together", batches, scans)
	} else {
		t.Logf("%d scans in %d batches of two or more", scans, batches)
	}
	admitted := map[int]map[string]bool{} // person: the scan ids that admitted them
	byScanID := map[string][]checkin.Result{}
	for _, a := range answers {
		switch {
		case a.who == revoked:
			if !errors.Is(a.err, apperr.ErrUnauthorized) {
				t.Errorf("revoked device: %+v, %v", a.res, a.err)
			}
			continue
		case a.err != nil:
			t.Fatalf("scan %+v: %v", a.job, a.err)
		case a.person < 0:
			if a.res.Result != checkin.Invalid || a.res.Reason != "bad_signature" {
				t.Errorf("forged: %+v", a.res)
			}
		case a.res.Result == checkin.Admitted:
			if admitted[a.person] == nil {
				admitted[a.person] = map[string]bool{}
			}
			admitted[a.person][a.scanID] = true
		case a.res.Result != checkin.AlreadyAdmitted:
			t.Errorf("person %d: %+v", a.person, a.res)
		}
		byScanID[a.scanID] = append(byScanID[a.scanID], a.res)
	}
	for i := range people {
		if len(admitted[i]) != 1 {
			t.Errorf("person %d admitted by %d scans", i, len(admitted[i]))
		}
	}
	if n := count(t, st, `SELECT count(*) FROM admissions WHERE event_id = $1 AND undone_at IS NULL`, f.A.ID); n != people {
		t.Errorf("%d admissions, want %d", n, people)
	}
	// The log holds one row per scan id, with the answer given for it.
	if n := count(t, st, `SELECT count(*) FROM scans WHERE event_id = $1`, f.A.ID); n != len(byScanID) {
		t.Errorf("%d scans logged for %d scan ids", n, len(byScanID))
	}
	for id, got := range byScanID {
		var logged []byte
		if err := st.DB.Get(&logged, `SELECT response FROM scans WHERE scan_id = $1`, id); err != nil {
			t.Fatalf("scan %s: %v", id, err)
		}
		var want checkin.Result
		if err := json.Unmarshal(logged, &want); err != nil {
			t.Fatal(err)
		}
		w, _ := json.Marshal(want)
		for _, r := range got {
			if g, _ := json.Marshal(r); string(g) != string(w) {
				t.Errorf("scan %s answered %s, logged %s", id, g, w)
			}
		}
	}
}
