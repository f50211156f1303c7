package i18n

import (
	"testing"
)

// TestPluralCategoriesCLDR checks the category of each number in each
// language against the CLDR cardinal rules, written out here from
// common/supplemental/plurals.xml (n absolute value, i integer digits, v
// number of visible fraction digits, f visible fraction digits, t f without
// trailing zeros):
//
//	lv  zero: n%10=0 or n%100=11..19 or v=2 and f%100=11..19
//	    one:  n%10=1 and n%100!=11 or v=2 and f%10=1 and f%100!=11 or v!=2 and f%10=1
//	en, de, it: one: i=1 and v=0      (it's "many" is for millions only)
//	es  one: n=1                       (es's "many" is for millions only)
//	da  one: n=1 or t!=0 and i=0,1
//	ru  one: v=0 and i%10=1 and i%100!=11; few: v=0 and i%10=2..4 and i%100!=12..14;
//	    many: v=0 and (i%10=0 or i%10=5..9 or i%100=11..14)
//	lt  one: n%10=1 and n%100!=11..19; few: n%10=2..9 and n%100!=11..19; many: f!=0
//	pl  one: i=1 and v=0; few: v=0 and i%10=2..4 and i%100!=12..14;
//	    many: v=0 and i!=1 and i%10=0..1 or v=0 and i%10=5..9 or v=0 and i%100=12..14
//	ro  one: i=1 and v=0; few: v!=0 or n=0 or n!=1 and n%100=1..19
func TestPluralCategoriesCLDR(t *testing.T) {
	numbers := []string{"0", "1", "2", "3", "5", "11", "12", "21", "22", "25", "61", "101", "111", "1.5"}
	want := map[string][]string{
		//     0        1      2        3        5        11       12       21       22       25       61       101      111      1.5
		"lv": {"zero", "one", "other", "other", "other", "zero", "zero", "one", "other", "other", "one", "one", "zero", "other"},
		"en": {"other", "one", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other"},
		"ru": {"many", "one", "few", "few", "many", "many", "many", "one", "few", "many", "one", "one", "many", "other"},
		"lt": {"other", "one", "few", "few", "few", "other", "other", "one", "few", "few", "one", "one", "other", "many"},
		"pl": {"many", "one", "few", "few", "many", "many", "many", "many", "few", "many", "many", "many", "many", "other"},
		"de": {"other", "one", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other"},
		"ro": {"few", "one", "few", "few", "few", "few", "few", "other", "other", "other", "other", "few", "few", "few"},
		"it": {"other", "one", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other"},
		"da": {"other", "one", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "one"},
		"es": {"other", "one", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other", "other"},
	}
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != len(Languages) {
		t.Fatalf("table covers %d languages, want all %d", len(want), len(Languages))
	}
	for _, lang := range Languages {
		l := b.Localizer(lang)
		for i, num := range numbers {
			var got string
			if num == "1.5" {
				got = l.DecimalCategory(1.5, 1)
			} else {
				n := 0
				for _, c := range num {
					n = n*10 + int(c-'0')
				}
				got = l.PluralCategory(n)
				if dec := l.DecimalCategory(float64(n), 0); dec != got {
					t.Errorf("%s %s: DecimalCategory with no decimals %q, PluralCategory %q", lang, num, dec, got)
				}
			}
			if got != want[lang][i] {
				t.Errorf("%s %s: category %q, CLDR says %q", lang, num, got, want[lang][i])
			}
		}
	}
}

// TestPluralMessages checks real catalogue messages end to end, including the
// Latvian "61 persona" and decimal counts.
func TestPluralMessages(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		lang, key string
		n         int
		want      string
	}{
		{"en", "event.places_left", 1, "1 place left"},
		{"en", "event.places_left", 2, "2 places left"},
		{"lv", "event.places_left", 1, "Atlikusi 1 vieta"},
		{"lv", "event.places_left", 21, "Atlikusi 21 vieta"},
		{"lv", "event.places_left", 11, "Atlikušas 11 vietas"},
		{"ru", "event.places_left", 1, "Осталось 1 место"},
		{"ru", "event.places_left", 3, "Осталось 3 места"},
		{"ru", "event.places_left", 5, "Осталось 5 мест"},
		{"ru", "event.places_left", 22, "Осталось 22 места"},
		{"pl", "event.places_left", 5, "Zostało 5 miejsc"},
		{"lv", "report.page.lists_note", 61, "Ieskaitītajos sarakstos ir 61 persona; {participants}."},
		{"lv", "report.page.direct_participants", 61, "atskaitē ir 61 tiešais dalībnieks"},
		{"lv", "report.page.direct_participants", 11, "atskaitē ir 11 tiešo dalībnieku"},
		{"lt", "door.js.status.list", 12, "Sąraše 12 žmonių"},
		{"pl", "door.js.status.list", 22, "Na liście 22 osoby"},
	}
	for _, c := range cases {
		if got := b.Localizer(c.lang).N(c.key, c.n); got != c.want {
			t.Errorf("%s %s %d: got %q, want %q", c.lang, c.key, c.n, got, c.want)
		}
	}
	for _, c := range []struct {
		lang string
		x    float64
		want string
	}{
		{"lv", 1.5, "1,5 dienas"}, {"lv", 0.1, "0,1 diena"}, {"lv", 2, "2,0 dienas"}, {"lv", 1, "1,0 diena"},
		{"ru", 1.5, "1,5 дня"}, {"ru", 5, "5,0 дня"}, {"en", 1.5, "1.5 days"}, {"en", 1, "1.0 days"},
	} {
		if got := b.Localizer(c.lang).NF("report.days_average", c.x, 1); got != c.want {
			t.Errorf("%s %v: got %q, want %q", c.lang, c.x, got, c.want)
		}
	}
	if got := RequiredForms("lv"); len(got) != 3 {
		t.Errorf("lv forms: %v", got)
	}
}
