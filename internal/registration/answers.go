package registration

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/sheetin"
	"github.com/decode-attend/attend/internal/store"
)

// The answers to an event's custom questions, validated like the built-in
// fields: each kind's rule below, a problem named "answers.<key>".

// Limits of answers, in characters.
const (
	maxShortAnswer = 300
	maxLongAnswer  = 2000
	// MaxNumber bounds number answers (and questions' bounds): well inside
	// what a float64 holds exactly.
	MaxNumber = 1e12
)

// Message keys of answer errors (catalogue area "questions").
const (
	errAnswerChoice  = "questions.error.choice"
	errAnswerOne     = "questions.error.one"
	errAnswerNumber  = "questions.error.number"
	errAnswerRange   = "questions.error.number_range"
	errAnswerDate    = "questions.error.date"
	errAnswerUnknown = "questions.error.unknown"
	errAnswerBox     = "questions.error.checkbox"
)

// AnswerField is the name problems with a question's answer carry.
func AnswerField(key string) string { return "answers." + key }

// ParseNumber reads a decimal number ("," as the decimal mark too) within
// ±MaxNumber, or reports false.
func ParseNumber(s string) (float64, bool) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", ".")
	if s == "" || len(s) > 40 {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > MaxNumber {
		return 0, false
	}
	return f, true
}

// FormatNumber is a number answer as stored and shown: no exponent, no
// trailing zeros.
func FormatNumber(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// checkboxValue reads a ticked or unticked box.
func checkboxValue(s string) (ticked, ok bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "yes", "true", "on", "1", "x":
		return true, true
	case "", "no", "false", "off", "0":
		return false, true
	}
	return false, false
}

// validAnswers checks the answers (key -> values) to qs. With partial, only
// the questions in, answers names are checked and changed (an import whose
// sheet has columns for some questions); otherwise every question is asked and
// one left out is unanswered. It returns the answers to store by question id
// and the ids of the questions asked.
func validAnswers(inv *apperr.Invalid, qs []store.Question, in map[string][]string, partial bool) (map[int64][]string, []int64) {
	out := map[int64][]string{}
	var asked []int64
	for key := range in {
		if !slices.ContainsFunc(qs, func(q store.Question) bool { return q.Key == key }) {
			field := AnswerField(key)
			if !validKeyText(key) {
				field = "answers"
			}
			inv.Add(field, errAnswerUnknown)
		}
	}
	for _, q := range qs {
		vals, named := in[q.Key]
		if partial && !named {
			continue
		}
		asked = append(asked, q.ID)
		if v := answer(inv, q, vals); len(v) > 0 {
			out[q.ID] = v
		}
	}
	return out, asked
}

// validKeyText keeps a hostile key out of the field names errors carry.
func validKeyText(k string) bool {
	if k == "" || len(k) > 40 {
		return false
	}
	for _, r := range k {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return false
		}
	}
	return true
}

// answer checks one question's values and returns what to store (nil: no answer).
func answer(inv *apperr.Invalid, q store.Question, vals []string) []string {
	field := AnswerField(q.Key)
	// Empty values are no values (a form's blank input, a sheet's empty cell).
	var vs []string
	for _, v := range vals {
		if strings.TrimSpace(v) != "" {
			vs = append(vs, v)
		}
	}
	if q.Kind != store.QuestionMultipleChoice && len(vs) > 1 {
		inv.Add(field, errAnswerOne)
		return nil
	}
	var out []string
	switch q.Kind {
	case store.QuestionShortText, store.QuestionLongText:
		long := q.Kind == store.QuestionLongText
		limit := maxShortAnswer
		if long {
			limit = maxLongAnswer
		}
		if len(vs) == 1 {
			if t := cleanText(inv, field, vs[0], limit, false, long); t != "" {
				out = []string{t}
			}
		}
	case store.QuestionSingleChoice, store.QuestionMultipleChoice:
		chosen := map[string]bool{}
		for _, v := range vs {
			v = strings.TrimSpace(v)
			if !q.Options.Has(v) {
				inv.Add(field, errAnswerChoice)
				return nil
			}
			chosen[v] = true
		}
		for _, o := range q.Options { // in the options' order, each once
			if chosen[o.Value] {
				out = append(out, o.Value)
			}
		}
	case store.QuestionCheckbox:
		if len(vs) == 1 {
			ticked, ok := checkboxValue(vs[0])
			if !ok {
				inv.Add(field, errAnswerBox)
				return nil
			}
			if ticked {
				out = []string{"yes"}
			}
		}
	case store.QuestionNumber:
		if len(vs) == 1 {
			f, ok := ParseNumber(vs[0])
			if !ok {
				inv.Add(field, errAnswerNumber)
				return nil
			}
			if q.Min != nil && f < *q.Min || q.Max != nil && f > *q.Max {
				inv.Add(field, errAnswerRange)
				return nil
			}
			out = []string{FormatNumber(f)}
		}
	case store.QuestionDate:
		if len(vs) == 1 {
			d, err := time.Parse("2006-01-02", strings.TrimSpace(vs[0]))
			if err != nil || d.Year() < 1900 || d.Year() > 2200 {
				inv.Add(field, errAnswerDate)
				return nil
			}
			out = []string{d.Format("2006-01-02")}
		}
	}
	if q.Required && len(out) == 0 {
		inv.Add(field, errRequired)
	}
	return out
}

// Import columns of questions are named "answers.<key>"; a header that is a
// question's key (the participants export's header) is that question's
// column (question keys never are built-in fields' names). mapped: the
// columns were chosen on the import screen; a column left unmapped there is
// still a question's when its header is the key.
func questionColumns(qs []store.Question, header, cols []string, mapped bool) []string {
	if len(qs) == 0 {
		return cols
	}
	out := slices.Clone(cols)
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		for _, q := range qs {
			if h == q.Key && (!mapped || out[i] == "") {
				out[i] = AnswerField(q.Key)
			}
		}
	}
	return out
}

func isQuestionField(qs []store.Question, f string) bool {
	key, ok := strings.CutPrefix(f, "answers.")
	return ok && slices.ContainsFunc(qs, func(q store.Question) bool { return q.Key == key })
}

// importAnswers reads a row's cells of question columns: a multiple choice
// as values separated by ";", an option by its value or by its label in any
// language.
func importAnswers(qs []store.Question, col map[string]int, get func(string) string) map[string][]string {
	out := map[string][]string{}
	for _, q := range qs {
		f := AnswerField(q.Key)
		if _, ok := col[f]; !ok {
			continue
		}
		cell := get(f)
		var vs []string
		if q.Kind == store.QuestionMultipleChoice {
			vs = strings.Split(cell, ";")
		} else {
			vs = []string{cell}
		}
		if q.Choice() {
			for i, v := range vs {
				vs[i] = optionOf(q, v)
			}
		}
		out[q.Key] = vs
	}
	return out
}

// optionOf finds the option a cell names, by value or by label.
func optionOf(q store.Question, cell string) string {
	c := strings.TrimSpace(cell)
	if q.Options.Has(c) {
		return c
	}
	n := sheetin.Normalize(c)
	for _, o := range q.Options {
		for _, l := range o.Label {
			if n != "" && sheetin.Normalize(l) == n {
				return o.Value
			}
		}
	}
	return c
}

// answersDiffer reports whether storing answers for asked would change had.
func answersDiffer(had map[int64][]string, asked []int64, answers map[int64][]string) bool {
	for _, id := range asked {
		if !slices.Equal(had[id], answers[id]) {
			return true
		}
	}
	return false
}

// ReservedQuestionKey reports whether key is a built-in field's name, which
// a question may not take (it would be ambiguous in imports).
func ReservedQuestionKey(key string) bool {
	if slices.Contains(ImportFields, key) {
		return true
	}
	_, ok := exportColumns[key]
	if ok {
		return true
	}
	_, ok = englishHeaders[key]
	return ok
}
