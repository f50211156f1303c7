package view

import (
	"net/url"
	"slices"
	"strings"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
)

// QuestionField is one of an event's own questions as a form shows it, in
// one language, with what was typed or stored and its problem.
type QuestionField struct {
	Key, Kind       string
	Name            string // input name: answers.<key>, with the form's prefix
	ID              string // element id
	Label, Help     string
	Required        bool
	Options         []QuestionOption
	Value           string // text, number or date
	Checked         bool   // a ticked checkbox
	Min, Max        string
	Error           string
	OptionalText    string
	RequiredText    string
	ChooseText      string
	ShowAsLongInput bool
}

// QuestionOption is one option of a choice question.
type QuestionOption struct {
	Value, Label, ID string
	Checked          bool
}

// QuestionFields prepares the questions for a form: prefix goes before each
// input's name (a delegation row's "members.3."), values are the answers
// by key, inv the problems keyed by prefix + "answers.<key>".
func QuestionFields(l *i18n.Localizer, qs []store.Question, prefix string, values map[string][]string, inv *apperr.Invalid) []QuestionField {
	out := make([]QuestionField, 0, len(qs))
	idp := "f-" + strings.NewReplacer(".", "-").Replace(prefix) + "q-"
	for _, q := range qs {
		vs := values[q.Key]
		f := QuestionField{Key: q.Key, Kind: q.Kind, Name: prefix + registration.AnswerField(q.Key), ID: idp + q.Key,
			Label: q.Label.In(l.Lang), Help: q.Help.In(l.Lang), Required: q.Required,
			OptionalText: l.T("reg.optional"), RequiredText: l.T("reg.required"), ChooseText: l.T("questions.choose"),
			ShowAsLongInput: q.Kind == store.QuestionLongText}
		if len(vs) > 0 && q.Kind != store.QuestionMultipleChoice {
			f.Value = vs[0]
		}
		if q.Kind == store.QuestionCheckbox && len(vs) > 0 {
			f.Checked = vs[0] != "" && vs[0] != "no"
		}
		if q.Min != nil {
			f.Min = registration.FormatNumber(*q.Min)
		}
		if q.Max != nil {
			f.Max = registration.FormatNumber(*q.Max)
		}
		for i, o := range q.Options {
			f.Options = append(f.Options, QuestionOption{Value: o.Value, Label: o.Label.In(l.Lang),
				ID: f.ID + "-" + itoa(i), Checked: slices.Contains(vs, o.Value)})
		}
		if inv != nil {
			if k, ok := inv.Fields[f.Name]; ok {
				f.Error = l.T(k)
			}
		}
		out = append(out, f)
	}
	return out
}

// QuestionErrors lists the questions' problems for a form's error summary.
func QuestionErrors(fs []QuestionField) []FieldError {
	var out []FieldError
	for _, f := range fs {
		if f.Error != "" {
			id := f.ID
			if len(f.Options) > 0 {
				id = f.Options[0].ID
			}
			out = append(out, FieldError{Field: f.Name, ID: id, Label: f.Label, Message: f.Error})
		}
	}
	return out
}

// AnswersFromForm reads the answers to qs from a posted form (inputs named
// prefix + "answers.<key>"). A question's input left out (an unticked box,
// no option chosen) is no answer.
func AnswersFromForm(form url.Values, qs []store.Question, prefix string) map[string][]string {
	out := make(map[string][]string, len(qs))
	for _, q := range qs {
		if vs, ok := form[prefix+registration.AnswerField(q.Key)]; ok {
			out[q.Key] = vs
		}
	}
	return out
}

// AnswersByKey turns stored answers (by question id) into answers by key.
func AnswersByKey(qs []store.Question, as []store.Answer) map[string][]string {
	out := map[string][]string{}
	for _, a := range as {
		for _, q := range qs {
			if q.ID == a.QuestionID {
				out[q.Key] = a.Value
			}
		}
	}
	return out
}

func itoa(i int) string {
	const digits = "0123456789"
	if i < 10 {
		return digits[i : i+1]
	}
	return itoa(i/10) + digits[i%10:i%10+1]
}
