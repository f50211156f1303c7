package report_test

import (
	"context"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/report"
)

func TestPublishableTextFixture(t *testing.T) {
	f := newFixture(t)
	rep, err := f.service().Event(context.Background(), fixtureSlug, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	b := bundle(t)
	cases := []struct {
		lang string
		want []string
	}{
		{"en", []string{
			"Participation: The event involved 31 citizens, notably 20 participants from the city of Daugavpils (Latvia), " +
				"4 participants from the city of Lodz (Poland), 3 participants from the city of Vejle (Denmark), " +
				"3 participants from the city of Kaunas, Vilnius (Lithuania), 1 participant from the city of Magdeburg (Germany). " +
				"There were some participants from non European Union countries too: 1 from Ukraine.\n" +
				"Location/ Dates: The event took place in DAUGAVPILS (LATVIA), from 23/05/2018 to 24/05/2018.\n" +
				"Short description: Partners meet.",
		}},
		{"lv", []string{
			"Dalība: Pasākumā piedalījās 31 iedzīvotājs, tostarp 20 dalībnieku no pilsētas Daugavpils (Latvija), ",
			"4 dalībnieki no pilsētas Lodz (Polija)",
			"3 dalībnieki no pilsētām Kaunas, Vilnius (Lietuva)",
			"1 dalībnieks no pilsētas Magdeburg (Vācija).",
			"ārpus Eiropas Savienības: 1 no Ukrainas.",
			"Pasākums notika: DAUGAVPILS (LATVIJA), no 23/05/2018 līdz 24/05/2018.",
		}},
		{"ru", []string{
			"Участие: В мероприятии принял участие 31 гражданин, в том числе 20 участников из города Daugavpils (Латвия), ",
			"4 участника из города Lodz (Польша)",
			"3 участника из городов Kaunas, Vilnius (Литва)",
			"1 участник из города Magdeburg (Германия).",
			"не входящих в Европейский союз: 1 из Украины.",
			"с 23/05/2018 по 24/05/2018.",
		}},
	}
	for _, c := range cases {
		got := report.Publishable(b.Localizer(c.lang), rep)
		for _, w := range c.want {
			if !strings.Contains(got.Plain, w) {
				t.Errorf("%s: text lacks %q:\n%s", c.lang, w, got.Plain)
			}
		}
		if !strings.HasPrefix(got.HTML, "<p><strong>") || strings.Count(got.HTML, "<p>") != 3 {
			t.Errorf("%s: HTML form: %s", c.lang, got.HTML)
		}
	}
}

func TestParticipationSentence(t *testing.T) {
	b := bundle(t)
	cases := []struct {
		name, lang string
		c          report.Counts
		want       string
	}{
		{"country without cities, singular", "en", report.Counts{Attended: 4, ByCountry: []report.CountryCount{
			{Country: "IT", Attended: 3, Cities: []string{"Palermo"}}, {Country: "PT", Attended: 1}}},
			"The event involved 4 citizens, notably 3 participants from the city of Palermo (Italy), 1 participant from Portugal."},
		{"nobody yet", "en", report.Counts{}, "The event involved 0 citizens."},
		{"one citizen", "en", report.Counts{Attended: 1, ByCountry: []report.CountryCount{{Country: "PT", Attended: 1}}},
			"The event involved 1 citizen, notably 1 participant from Portugal."},
		{"latvian zero form", "lv", report.Counts{Attended: 10, ByCountry: []report.CountryCount{{Country: "PT", Attended: 10}}},
			"Pasākumā piedalījās 10 iedzīvotāju, tostarp 10 dalībnieku no Portugāles."},
		{"russian few", "ru", report.Counts{Attended: 22, ByCountry: []report.CountryCount{{Country: "PT", Attended: 22}},
			NonEligible: []report.CountryCount{{Country: "GE", Attended: 2}}},
			"В мероприятии приняли участие 22 гражданина, в том числе 22 участника из Португалии. " +
				"В мероприятии участвовали также граждане стран, не входящих в Европейский союз: 2 из Грузии."},
		{"hostile city stays text", "en", report.Counts{Attended: 1, ByCountry: []report.CountryCount{
			{Country: "LV", Attended: 1, Cities: []string{"<script>x</script>"}}}},
			"The event involved 1 citizen, notably 1 participant from the city of <script>x</script> (Latvia)."},
	}
	for _, c := range cases {
		if got := report.Participation(b.Localizer(c.lang), c.c); got != c.want {
			t.Errorf("%s:\n got %q\nwant %q", c.name, got, c.want)
		}
	}
	// In the HTML form the hostile name is escaped.
	er := report.EventReport{Counts: cases[len(cases)-1].c}
	er.Event.FirstDay, er.Event.LastDay = "2018-05-23", "2018-05-23"
	h := report.Publishable(b.Localizer("en"), er).HTML
	if strings.Contains(h, "<script>") || !strings.Contains(h, "&lt;script&gt;") {
		t.Errorf("HTML not escaped: %s", h)
	}
	if !strings.Contains(h, "on 23/05/2018") {
		t.Errorf("one-day event: %s", h)
	}
}
