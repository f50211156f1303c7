package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/store"
)

func TestClaimJobOncePerPeriod(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	now := time.Date(2026, 1, 2, 3, 0, 0, 0, time.UTC)
	ok, err := st.ClaimJob(ctx, st.DB, "j", now, 20*time.Hour)
	if err != nil || !ok {
		t.Fatalf("first claim: %v %v", ok, err)
	}
	if ok, _ := st.ClaimJob(ctx, st.DB, "j", now.Add(time.Hour), 20*time.Hour); ok {
		t.Error("claimed twice within the period")
	}
	// A failed run gives its claim back and the next tick may claim again.
	if err := st.UnclaimJob(ctx, st.DB, "j", now); err != nil {
		t.Fatal(err)
	}
	if ok, _ := st.ClaimJob(ctx, st.DB, "j", now.Add(time.Hour), 20*time.Hour); !ok {
		t.Error("no claim after unclaim")
	}
	// Unclaiming with a stale time does not undo another instance's claim.
	st.UnclaimJob(ctx, st.DB, "j", now)
	if ok, _ := st.ClaimJob(ctx, st.DB, "j", now.Add(2*time.Hour), 20*time.Hour); ok {
		t.Error("a stale unclaim released the current claim")
	}
	if ok, _ := st.ClaimJob(ctx, st.DB, "j", now.Add(22*time.Hour), 20*time.Hour); !ok {
		t.Error("no claim after the period")
	}
}

func TestPublishPrivacyNoticeNumbersVersionsUnderConcurrency(t *testing.T) {
	ctx := context.Background()
	st := dbtest.Open(t)
	p := store.Project{Code: "p", Title: store.Texts{"en": "P"}}
	if err := st.CreateProject(ctx, st.DB, &p); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.InTx(ctx, func(tx *sqlx.Tx) error {
				v, err := st.NextPrivacyNoticeVersion(ctx, tx, p.ID)
				if err != nil {
					return err
				}
				n := store.PrivacyNotice{ProjectID: p.ID, Version: v, Language: "en", Body: "b"}
				return st.PublishPrivacyNotice(ctx, tx, &n, store.JSON(`{"controller":"c"}`), nil)
			})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	vs, err := st.PrivacyNoticeVersions(ctx, st.DB, p.ID)
	if err != nil || len(vs) != 4 || vs[0].Version != 4 || vs[3].Version != 1 {
		t.Fatalf("versions: %+v %v", vs, err)
	}
	raw, _ := st.LatestPrivacyNoticeParams(ctx, st.DB, p.ID)
	if string(raw) != `{"controller": "c"}` {
		t.Errorf("params: %s", raw)
	}
	n, err := st.PrivacyNoticeVersion(ctx, st.DB, p.ID, 2, "de")
	if err != nil || n.Version != 2 || n.Language != "en" {
		t.Errorf("version 2 in German falls back to English: %+v %v", n, err)
	}
}
