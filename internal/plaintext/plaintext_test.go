package plaintext

import "testing"

func TestValid(t *testing.T) {
	for _, c := range []struct {
		s         string
		one, many bool
	}{
		{"Jūratė Kazlauskienė", true, true},
		{"<script>'; DROP TABLE x;--", true, true},
		{"", true, true},
		{"line\nbreak", false, true},
		{"cr\r\nlf", false, true},
		{"tab\there", false, true},
		{"nul\x00", false, false},
		{"bell\x07", false, false},
		{"del\x7f", false, false},
		{"c1\u0085", false, false},
		{"c1\u009b[31m", false, false},
		{"\xff\xfe", false, false},
		{"\xc3\x28", false, false},
		{"\xed\xa0\x80", false, false}, // a UTF-16 surrogate encoded as UTF-8
	} {
		if got := Valid(c.s, false); got != c.one {
			t.Errorf("Valid(%q, single line) = %v", c.s, got)
		}
		if got := Valid(c.s, true); got != c.many {
			t.Errorf("Valid(%q, multi-line) = %v", c.s, got)
		}
	}
}
