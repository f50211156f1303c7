package report_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// The demo's first event, as a Latvian reads it on the municipality's site:
// partner towns by their Latvian names in the genitive, countries declined
// after "no", numbers agreeing with their nouns.
func TestPublishableTextDemoInLatvian(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	now := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	if _, err := programme.EnsureSeeded(ctx, st, true, now); err != nil {
		t.Fatal(err)
	}
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		t.Fatal(err)
	}
	evs, err := st.ProjectEvents(ctx, st.DB, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	s := report.New(st, func() time.Time { return now })
	rep, err := s.Event(ctx, evs[0].Slug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := bundle(t)
	want := map[string][]string{
		"lv": {"Dalība: Pasākumā piedalījās 61 iedzīvotājs, tostarp 38 dalībnieki no pilsētām Daugavpils, Rēzekne (Latvija), " +
			"5 dalībnieki no Kauņas (Lietuva), 4 dalībnieki no Lodzas (Polija), 3 dalībnieki no Magdeburgas (Vācija), " +
			"3 dalībnieki no Vejles (Dānija), 3 dalībnieki no Palermo (Itālija), 3 dalībnieki no pilsētas Oradea (Rumānija), " +
			"2 dalībnieki no Kuenkas (Spānija). " +
			"Pasākumā piedalījās arī dalībnieki no valstīm ārpus Eiropas Savienības: 2 no Gruzijas, 1 no Ukrainas.",
			// The funder's template prescribes dd/mm/yyyy in every language.
			"Vieta/ datumi: Pasākums notika: DAUGAVPILS (LATVIJA), no 30/11/2025 līdz 01/12/2025."},
		"ru": {"5 участников из Каунаса (Литва), 4 участника из Лодзи (Польша)", "из города Орадя (Румыния)",
			"не входящих в Европейский союз: 2 из Грузии, 1 из Украины."},
		"en": {"4 participants from the city of Łódź (Poland)", "There were some participants from non European Union countries too: 2 from Georgia, 1 from Ukraine."},
	}
	for lang, ws := range want {
		got := report.Publishable(b.Localizer(lang), rep).Plain
		for _, w := range ws {
			if !strings.Contains(got, w) {
				t.Errorf("%s: text lacks\n%s\nin\n%s", lang, w, got)
			}
		}
	}
	// The event in a partner town is named in the reader's language.
	rep2, err := s.Event(ctx, evs[1].Slug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got := report.Publishable(b.Localizer("lv"), rep2).Plain; !strings.Contains(got, "Pasākums notika: KAUŅA (LIETUVA), no ") {
		t.Errorf("event in Kaunas: %s", got)
	}
}

// Every country a rule set makes eligible, and the guests' neighbours, can
// follow "no"/"из" in the languages the text is offered in.
func TestCountryFromFormsCoverEligible(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureRuleSets(ctx, st, st.DB); err != nil {
		t.Fatal(err)
	}
	var codes []string
	if err := st.DB.SelectContext(ctx, &codes, `SELECT DISTINCT unnest(eligible_countries) FROM rule_sets ORDER BY 1`); err != nil {
		t.Fatal(err)
	}
	if len(codes) < 30 {
		t.Fatalf("eligible countries: %v", codes)
	}
	codes = append(codes, "UA", "GE", "MD", "TR", "BY", "NO", "IS", "CH", "LI")
	b := bundle(t)
	for _, lang := range report.TextLanguages(b) {
		l := b.Localizer(lang)
		for _, c := range codes {
			if f, ok := l.CountryFrom(c); !ok || f == "" || f == c {
				t.Errorf("%s: no form of %s after \"from\"", lang, c)
			}
		}
	}
}

func TestLatvianParticipationAgrees(t *testing.T) {
	b := bundle(t)
	lv := b.Localizer("lv")
	kaunas := store.Texts{"lv": "Kauņa", "lv-gen": "Kauņas", "en": "Kaunas"}
	cases := []struct {
		n    int
		want string
	}{
		{1, "Pasākumā piedalījās 1 iedzīvotājs, tostarp 1 dalībnieks no Kauņas (Lietuva). " +
			"Pasākumā piedalījās arī dalībnieki no valstīm ārpus Eiropas Savienības: 1 no Gruzijas."},
		{21, "Pasākumā piedalījās 21 iedzīvotājs, tostarp 21 dalībnieks no Kauņas (Lietuva). " +
			"Pasākumā piedalījās arī dalībnieki no valstīm ārpus Eiropas Savienības: 21 no Gruzijas."},
		{61, "Pasākumā piedalījās 61 iedzīvotājs, tostarp 61 dalībnieks no Kauņas (Lietuva). " +
			"Pasākumā piedalījās arī dalībnieki no valstīm ārpus Eiropas Savienības: 61 no Gruzijas."},
		{2, "Pasākumā piedalījās 2 iedzīvotāji, tostarp 2 dalībnieki no Kauņas (Lietuva). " +
			"Pasākumā piedalījās arī dalībnieki no valstīm ārpus Eiropas Savienības: 2 no Gruzijas."},
		{11, "Pasākumā piedalījās 11 iedzīvotāju, tostarp 11 dalībnieku no Kauņas (Lietuva). " +
			"Pasākumā piedalījās arī dalībnieki no valstīm ārpus Eiropas Savienības: 11 no Gruzijas."},
	}
	for _, c := range cases {
		counts := report.Counts{Attended: c.n,
			ByCountry:   []report.CountryCount{{Country: "LT", Attended: c.n, Cities: []string{"Kaunas"}}},
			NonEligible: []report.CountryCount{{Country: "GE", Attended: c.n}},
			PlaceNames:  map[string]store.Texts{report.PlaceKey("LT", "Kaunas"): kaunas}}
		if got := report.Participation(lv, counts); got != c.want {
			t.Errorf("%d:\n got %q\nwant %q", c.n, got, c.want)
		}
	}
	if got := report.Participation(lv, report.Counts{}); got != "Pasākumā piedalījās 0 iedzīvotāju." {
		t.Errorf("nobody: %q", got)
	}
	// A town typed by participants stays as typed; beside a partner town whose
	// genitive is known, both follow "no pilsētām" in the nominative.
	mixed := report.Counts{Attended: 5, ByCountry: []report.CountryCount{{Country: "LT", Attended: 5, Cities: []string{"Kaunas", "Jonava"}}},
		PlaceNames: map[string]store.Texts{report.PlaceKey("LT", "kaunas"): kaunas}}
	if got, want := report.Participation(lv, mixed),
		"Pasākumā piedalījās 5 iedzīvotāji, tostarp 5 dalībnieki no pilsētām Kauņa, Jonava (Lietuva)."; got != want {
		t.Errorf("mixed:\n got %q\nwant %q", got, want)
	}
	// A country without a genitive in the table is named after "valsts".
	if got, want := report.Participation(lv, report.Counts{Attended: 3, ByCountry: []report.CountryCount{{Country: "JP", Attended: 3}}}),
		"Pasākumā piedalījās 3 iedzīvotāji, tostarp 3 dalībnieki no valsts Japāna."; got != want {
		t.Errorf("no genitive:\n got %q\nwant %q", got, want)
	}
}
