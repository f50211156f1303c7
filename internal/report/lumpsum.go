package report

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/decode-attend/attend/internal/store"
)

// LumpSum is a call's lump-sum table as an administrator entered it from the
// programme guide: the grant per event, by bands of participants and bands of
// countries. Nothing here is shipped as fact; a rule set without a table
// shows no amounts.
type LumpSum struct {
	// Basis is what the participant bands count: "eligible" (direct eligible
	// participants, Networks of Towns) or "invited" (Town Twinning).
	Basis string `json:"basis"`
	Cells []Cell `json:"cells"`
}

// Lump-sum bases.
const (
	BasisEligible = "eligible"
	BasisInvited  = "invited"
)

// Band is an inclusive range; Max nil has no upper end.
type Band struct {
	Min int  `json:"min"`
	Max *int `json:"max,omitempty"`
}

// Has reports whether n lies in the band.
func (b Band) Has(n int) bool { return n >= b.Min && (b.Max == nil || n <= *b.Max) }

func (b Band) overlaps(o Band) bool {
	lo := max(b.Min, o.Min)
	return b.Has(lo) && o.Has(lo)
}

// String writes the band as the editor reads it: "26-50" or "501+".
func (b Band) String() string {
	if b.Max == nil {
		return strconv.Itoa(b.Min) + "+"
	}
	return fmt.Sprintf("%d-%d", b.Min, *b.Max)
}

// Cell is one amount of the table.
type Cell struct {
	Participants Band    `json:"participants"`
	Countries    Band    `json:"countries"`
	EUR          float64 `json:"eur"`
}

// ParseLumpSum reads a stored table; none (or a malformed one) gives nil.
func ParseLumpSum(j store.JSON) *LumpSum {
	if len(j) == 0 || string(j) == "null" {
		return nil
	}
	var t LumpSum
	if json.Unmarshal(j, &t) != nil || len(t.Cells) == 0 {
		return nil
	}
	return &t
}

// Validate returns the message key of the table's first fault, or "".
func (t LumpSum) Validate() string {
	if t.Basis != BasisEligible && t.Basis != BasisInvited {
		return "rulesets.error.lump_basis"
	}
	if len(t.Cells) == 0 || len(t.Cells) > 400 {
		return "rulesets.error.lump_cells"
	}
	for i, c := range t.Cells {
		for _, b := range []Band{c.Participants, c.Countries} {
			if b.Min < 0 || b.Min > 1_000_000 || b.Max != nil && (*b.Max < b.Min || *b.Max > 1_000_000) {
				return "rulesets.error.lump_band"
			}
		}
		if !(c.EUR >= 0 && c.EUR <= 10_000_000) { // also NaN
			return "rulesets.error.lump_amount"
		}
		for _, o := range t.Cells[:i] {
			if c.Participants.overlaps(o.Participants) && c.Countries.overlaps(o.Countries) {
				return "rulesets.error.lump_overlap"
			}
		}
	}
	return ""
}

// Amount is what participants and countries earn: the amount of the one cell
// whose bands hold both, or 0 and false below (or between) the bands.
func (t LumpSum) Amount(participants, countries int) (float64, bool) {
	for _, c := range t.Cells {
		if c.Participants.Has(participants) && c.Countries.Has(countries) {
			return c.EUR, true
		}
	}
	return 0, false
}

// Earned is what one event's recorded attendance earns under a table.
type Earned struct {
	Basis        string  `json:"basis"`
	Participants int     `json:"participants"` // counted on the table's basis
	Countries    int     `json:"countries"`
	EUR          float64 `json:"eur"`
	InBand       bool    `json:"in_band"`
	// OneMoreParticipant and OneMoreCountry are the change in EUR one more
	// would make (0 when it stays in the same band).
	OneMoreParticipant float64 `json:"one_more_participant"`
	OneMoreCountry     float64 `json:"one_more_country"`
	// Planned is the amount of the grant agreement for the event, if entered.
	Planned *float64 `json:"planned_eur,omitempty"`
}

// Short reports whether the event earns less than planned.
func (e Earned) Short() bool { return e.Planned != nil && e.EUR < *e.Planned-0.005 }

// Earn applies the table to an event's counts.
func (t LumpSum) Earn(c Counts, planned *float64) Earned {
	p := c.Attended
	if t.Basis == BasisInvited {
		p = c.Invited
	}
	eur, in := t.Amount(p, c.Countries)
	more, _ := t.Amount(p+1, c.Countries)
	moreC, _ := t.Amount(p, c.Countries+1)
	return Earned{Basis: t.Basis, Participants: p, Countries: c.Countries, EUR: eur, InBand: in,
		OneMoreParticipant: more - eur, OneMoreCountry: moreC - eur, Planned: planned}
}

// FormatLumpSum writes a table in the editor's text form: one cell a line,
// "participants countries amount", e.g. "26-50 1-3 12000".
func FormatLumpSum(t *LumpSum) string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	for _, c := range t.Cells {
		fmt.Fprintf(&b, "%s %s %s\n", c.Participants, c.Countries, strconv.FormatFloat(c.EUR, 'f', -1, 64))
	}
	return b.String()
}

// ParseBand reads "26-50", "501+" or "7".
func ParseBand(s string) (Band, bool) {
	s = strings.TrimSpace(s)
	if lo, ok := strings.CutSuffix(s, "+"); ok {
		n, err := strconv.Atoi(lo)
		return Band{Min: n}, err == nil
	}
	lo, hi, found := strings.Cut(s, "-")
	if !found {
		hi = lo
	}
	a, err1 := strconv.Atoi(strings.TrimSpace(lo))
	z, err2 := strconv.Atoi(strings.TrimSpace(hi))
	return Band{Min: a, Max: &z}, err1 == nil && err2 == nil
}

// ParseLumpSumText reads the editor's text form; "" is no table. The second
// result is a message key when a line cannot be read or the table is faulty.
func ParseLumpSumText(basis, text string) (*LumpSum, string) {
	t := LumpSum{Basis: basis}
	for _, line := range strings.Split(text, "\n") {
		f := strings.Fields(line)
		if len(f) == 0 {
			continue
		}
		if len(f) != 3 {
			return nil, "rulesets.error.lump_line"
		}
		p, ok1 := ParseBand(f[0])
		c, ok2 := ParseBand(f[1])
		eur, err := strconv.ParseFloat(strings.ReplaceAll(f[2], ",", "."), 64)
		if !ok1 || !ok2 || err != nil {
			return nil, "rulesets.error.lump_line"
		}
		t.Cells = append(t.Cells, Cell{Participants: p, Countries: c, EUR: eur})
	}
	if len(t.Cells) == 0 {
		return nil, ""
	}
	if k := t.Validate(); k != "" {
		return nil, k
	}
	return &t, ""
}
