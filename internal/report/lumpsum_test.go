package report

import (
	"testing"
)

// A made-up table in the shape of a programme guide's: participant bands
// across, country bands down. The figures are for the test only.
const testTable = `
25-50   1-4  5000
25-50   5-9  6000
25-50   10+  7000
51-100  1-4  10000
51-100  5-9  12000
51-100  10+  14000
101-200 1-4  20000
101-200 5-9  24000
101-200 10+  28000
201+    1-4  30000
201+    5-9  36000
201+    10+  40000
`

func TestLumpSumBandEdges(t *testing.T) {
	tab, key := ParseLumpSumText(BasisEligible, testTable)
	if tab == nil {
		t.Fatalf("table refused: %s", key)
	}
	pBands := []struct {
		lo, hi int
		col    int
	}{{25, 50, 0}, {51, 100, 1}, {101, 200, 2}, {201, 100000, 3}}
	cBands := []struct{ lo, hi, row int }{{1, 4, 0}, {5, 9, 1}, {10, 60, 2}}
	amounts := [4][3]float64{{5000, 6000, 7000}, {10000, 12000, 14000}, {20000, 24000, 28000}, {30000, 36000, 40000}}
	for _, pb := range pBands {
		for _, cb := range cBands {
			for _, p := range []int{pb.lo, pb.hi} {
				for _, c := range []int{cb.lo, cb.hi} {
					got, ok := tab.Amount(p, c)
					if want := amounts[pb.col][cb.row]; !ok || got != want {
						t.Errorf("Amount(%d participants, %d countries) = %v %v, want %v", p, c, got, ok, want)
					}
				}
			}
		}
	}
	// Below the lowest bands nothing is earned.
	for _, pc := range [][2]int{{24, 5}, {0, 0}, {60, 0}} {
		if got, ok := tab.Amount(pc[0], pc[1]); ok || got != 0 {
			t.Errorf("Amount(%d, %d) = %v %v, want nothing", pc[0], pc[1], got, ok)
		}
	}
	// One more participant at an upper edge crosses into the next band; at
	// a lower edge it changes nothing.
	e := tab.Earn(Counts{Attended: 50, Invited: 10, Countries: 4}, nil)
	if e.EUR != 5000 || e.OneMoreParticipant != 5000 || e.OneMoreCountry != 1000 {
		t.Errorf("Earn at 50/4 = %+v, want 5000, +5000 a participant, +1000 a country", e)
	}
	planned := 12000.0
	e = tab.Earn(Counts{Attended: 51, Countries: 5}, &planned)
	if e.EUR != 12000 || e.OneMoreParticipant != 0 || e.OneMoreCountry != 0 || e.Short() {
		t.Errorf("Earn at 51/5 = %+v, want 12000 and no change", e)
	}
	e = tab.Earn(Counts{Attended: 24, Countries: 5}, &planned)
	if e.EUR != 0 || e.InBand || !e.Short() || e.OneMoreParticipant != 6000 {
		t.Errorf("Earn at 24/5 = %+v, want nothing, short of plan, +6000 with one more", e)
	}
}

func TestLumpSumInvitedBasis(t *testing.T) {
	// Town Twinning counts invited participants only.
	tab, key := ParseLumpSumText(BasisInvited, "25-50 0+ 5000\n51-100 0+ 10000\n101+ 0+ 15000\n")
	if tab == nil {
		t.Fatalf("table refused: %s", key)
	}
	for _, tc := range []struct {
		invited int
		want    float64
	}{{24, 0}, {25, 5000}, {50, 5000}, {51, 10000}, {100, 10000}, {101, 15000}, {5000, 15000}} {
		e := tab.Earn(Counts{Attended: 400, Invited: tc.invited, Countries: 3}, nil)
		if e.EUR != tc.want || e.Participants != tc.invited {
			t.Errorf("%d invited of 400: %+v, want %v", tc.invited, e, tc.want)
		}
	}
}

func TestLumpSumRefusesFaultyTables(t *testing.T) {
	for name, tc := range map[string]struct{ basis, text, key string }{
		"overlap":    {BasisEligible, "25-50 1-4 5000\n50-100 1-4 9000", "rulesets.error.lump_overlap"},
		"open ended": {BasisEligible, "25+ 1+ 5000\n100-200 3-4 9000", "rulesets.error.lump_overlap"},
		"reversed":   {BasisEligible, "50-25 1-4 5000", "rulesets.error.lump_band"},
		"negative":   {BasisEligible, "25-50 1-4 -5", "rulesets.error.lump_amount"},
		"huge":       {BasisEligible, "25-50 1-4 1e300", "rulesets.error.lump_amount"},
		"nan":        {BasisEligible, "25-50 1-4 NaN", "rulesets.error.lump_amount"},
		"line":       {BasisEligible, "25-50 5000", "rulesets.error.lump_line"},
		"words":      {BasisEligible, "a-b 1-4 5000", "rulesets.error.lump_line"},
		"basis":      {"other", "25-50 1-4 5000", "rulesets.error.lump_basis"},
	} {
		if tab, key := ParseLumpSumText(tc.basis, tc.text); tab != nil || key != tc.key {
			t.Errorf("%s: %v %q, want refused with %s", name, tab, key, tc.key)
		}
	}
	if tab, key := ParseLumpSumText(BasisEligible, "  \n"); tab != nil || key != "" {
		t.Errorf("empty text: %v %q, want no table", tab, key)
	}
	// The text form round-trips.
	tab, _ := ParseLumpSumText(BasisEligible, testTable)
	again, key := ParseLumpSumText(BasisEligible, FormatLumpSum(tab))
	if again == nil || len(again.Cells) != 12 || again.Cells[11].Participants.Max != nil || again.Cells[11].EUR != 40000 {
		t.Errorf("round trip: %+v %q", again, key)
	}
}
