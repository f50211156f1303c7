package setup_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

func TestSaveTexts(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	svc := setup.New(st, time.Now, nil)
	actor := &auth.Principal{Role: auth.RoleAdmin}
	e, err := st.EventBySlug(ctx, st.DB, "decode-2-kaunas")
	if err != nil {
		t.Fatal(err)
	}
	// Every language of the demo is there: the venue too.
	for _, l := range setup.TranslationLanguages {
		if e.Title[l] == "" || e.Description[l] == "" || e.VenueTexts[l] == "" {
			t.Errorf("demo event 2 misses %s: %q %q %q", l, e.Title[l], e.Description[l], e.VenueTexts[l])
		}
	}

	in := setup.TextsInput{
		"title":       {"pl": "Nowy tytuł", "de": ""},
		"description": {"pl": "Linia 1\nLinia 2"},
		"venue":       {"pl": "Urząd Miasta Kowna, sala 2"},
		"address":     {"pl": "Laisvės al. 96", "en": "Laisvės al. 96"},
	}
	saved, err := svc.SaveEventTexts(ctx, actor, e.ID, in, "192.0.2.1")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := st.Event(ctx, st.DB, e.ID)
	if got.Title["pl"] != "Nowy tytuł" || got.Title["de"] != "" || got.Title["lv"] != e.Title["lv"] ||
		got.Description["pl"] != "Linia 1\nLinia 2" || got.VenueTexts["pl"] != "Urząd Miasta Kowna, sala 2" ||
		got.AddressTexts["en"] != "Laisvės al. 96" || got.Venue != e.Venue || saved.Title["pl"] != "Nowy tytuł" {
		t.Fatalf("saved: %+v", got)
	}
	if text, lang := got.Title.Pick("de"); lang != "en" || text != e.Title["en"] {
		t.Errorf("removed German falls back to %q %q", text, lang)
	}
	var n int
	if err := st.DB.GetContext(ctx, &n, `SELECT count(*) FROM audit_log WHERE action = 'event.texts' AND object_id = $1`, strconv.FormatInt(e.ID, 10)); err != nil || n != 1 {
		t.Errorf("audit entries %d %v", n, err)
	}

	// Bad input anywhere: refused with the field named, nothing stored (the
	// good Latvian text beside it neither).
	for name, bad := range map[string]setup.TextsInput{
		"nul":       {"title": {"lv": "Labs", "lt": "a\x00b"}},
		"utf8":      {"title": {"lv": "Labs", "lt": "a\xffb"}},
		"long":      {"title": {"lv": "Labs", "lt": strings.Repeat("ž", 301)}},
		"line":      {"venue": {"lv": "Labs", "lt": "a\nb"}},
		"language":  {"title": {"lv": "Labs", "xx": "b"}},
		"no_en":     {"title": {"lv": "Labs", "en": ""}},
		"long_desc": {"title": {"lv": "Labs"}, "description": {"lt": strings.Repeat("a", 5001)}},
	} {
		_, err := svc.SaveEventTexts(ctx, actor, e.ID, bad, "192.0.2.1")
		inv, ok := apperr.AsInvalid(err)
		if !ok || len(inv.Fields) == 0 {
			t.Errorf("%s: %v", name, err)
			continue
		}
		after, _ := st.Event(ctx, st.DB, e.ID)
		if after.Title["lv"] != got.Title["lv"] {
			t.Errorf("%s: half stored: %q", name, after.Title["lv"])
		}
	}
	if _, err := svc.SaveEventTexts(ctx, actor, e.ID, setup.TextsInput{"title": {"lt": "a\x00b"}}, ""); err == nil ||
		!strings.Contains(err.Error(), "title_lt") {
		t.Errorf("field not named: %v", err)
	}

	// A project's title, measure and partner names in one go; a bad partner
	// name leaves the title as it was.
	p, _ := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	ps, _ := st.Partners(ctx, st.DB, p.ID)
	org := setup.PartnerField(ps[1]).Name
	if err := svc.SaveProjectTexts(ctx, actor, p.ID, setup.TextsInput{"title": {"lt": "Naujas"}, org: {"lt": "Kauno miesto savivaldybė"}}, ""); err != nil {
		t.Fatal(err)
	}
	if err := svc.SaveProjectTexts(ctx, actor, p.ID, setup.TextsInput{"title": {"lt": "Kitas"}, org: {"lt": "x\x01"}}, ""); err == nil {
		t.Fatal("control character accepted")
	}
	p2, _ := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	pt, _ := st.Partner(ctx, st.DB, ps[1].ID)
	if p2.Title["lt"] != "Naujas" || pt.OrganisationTexts["lt"] != "Kauno miesto savivaldybė" || pt.Organisation != ps[1].Organisation {
		t.Fatalf("project texts: %q %+v", p2.Title["lt"], pt)
	}
}

func TestTextsPick(t *testing.T) {
	tx := store.Texts{"en": "E", "lv": "L", "de": ""}
	for _, c := range []struct{ lang, fb, text, used string }{
		{"lv", "", "L", "lv"}, {"pl", "", "E", "en"}, {"de", "", "E", "en"}, {"pl", "lv", "L", "lv"},
	} {
		var fb []string
		if c.fb != "" {
			fb = []string{c.fb}
		}
		if text, used := tx.Pick(c.lang, fb...); text != c.text || used != c.used {
			t.Errorf("%s: %q %q", c.lang, text, used)
		}
	}
	if text, used := (store.Texts{"ru": "R", "lt": "T"}).Pick("pl"); text != "T" || used != "lt" {
		t.Errorf("no English: %q %q", text, used)
	}
	if text, used := (store.Texts{}).Pick("pl"); text != "" || used != "" {
		t.Errorf("empty: %q %q", text, used)
	}
}
