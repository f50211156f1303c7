package programme_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/programme"
)

// Demo people look real to a local: in Latvian, Lithuanian and Polish a
// woman's surname takes the feminine form and a man's the masculine one, and
// a stated gender matches the name.
func TestDemoSurnamesAgreeWithGender(t *testing.T) {
	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, true, time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	var people []struct {
		First    string `db:"first_name"`
		Last     string `db:"last_name"`
		Country  string `db:"country"`
		Gender   string `db:"gender"`
		Language string `db:"language"`
	}
	if err := st.DB.Select(&people, `SELECT first_name, last_name, country, gender, language FROM registrations WHERE source = 'demo'`); err != nil {
		t.Fatal(err)
	}
	// Surnames one form serves both genders with.
	common := map[string]bool{"Skuja": true, "Dzērve": true, "Nowak": true, "Wójcik": true}
	ends := func(s string, suffixes ...string) bool {
		for _, x := range suffixes {
			if strings.HasSuffix(s, x) {
				return true
			}
		}
		return false
	}
	seen := map[string]int{}
	russian := 0
	for _, p := range people {
		var female, ok bool
		switch p.Country {
		case "LV":
			// Latvian women's names end in -a or -e, men's in -s or -š.
			female = ends(p.First, "a", "e")
			ok = common[p.Last] || female && !ends(p.Last, "s", "š") || !female && ends(p.Last, "s", "š")
			if p.Language == "ru" {
				russian++
				if ends(p.First, "й") || strings.ContainsAny(p.First+p.Last, "абвгдежзийклмнопрстуфхцчшщыэюя") {
					t.Errorf("%s %s: Daugavpils residents register in the Latvian spelling", p.First, p.Last)
				}
			}
		case "LT":
			female = ends(p.First, "ė", "a")
			ok = female && ends(p.Last, "ienė", "aitė", "ytė", "utė", "ūtė") || !female && ends(p.Last, "as", "is", "us", "ys")
		case "PL":
			female = ends(p.First, "a")
			ok = common[p.Last] || female && !ends(p.Last, "ski", "cki") || !female && !ends(p.Last, "ska", "cka")
		default:
			continue
		}
		seen[p.Country]++
		if !ok {
			t.Errorf("%s %s (%s): surname does not agree with the first name", p.First, p.Last, p.Country)
		}
		if p.Gender == "female" && !female || p.Gender == "male" && female {
			t.Errorf("%s %s: stated gender %q", p.First, p.Last, p.Gender)
		}
	}
	if seen["LV"] < 50 || seen["LT"] < 20 || seen["PL"] < 20 || russian < 10 {
		t.Fatalf("too few people to judge: %v, %d Russian speakers", seen, russian)
	}
}
