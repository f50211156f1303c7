package api

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// The JSON shapes of an event's custom questions (90-questions.json).

// Question is a question as the API answers it (the public event list, and
// the questions API for staff).
type Question struct {
	Key      string         `json:"key"`
	Kind     string         `json:"kind"`
	Required bool           `json:"required"`
	Position int            `json:"position"`
	Label    store.Texts    `json:"label"`
	Help     store.Texts    `json:"help"`
	Options  []store.Option `json:"options"`
	Min      *float64       `json:"min"`
	Max      *float64       `json:"max"`
	InReport bool           `json:"in_report"`
}

func questionJSON(q store.Question) Question {
	opts := []store.Option(q.Options)
	if opts == nil {
		opts = []store.Option{}
	}
	if q.Help == nil {
		q.Help = store.Texts{}
	}
	return Question{Key: q.Key, Kind: q.Kind, Required: q.Required, Position: q.Position + 1, Label: q.Label,
		Help: q.Help, Options: opts, Min: q.Min, Max: q.Max, InReport: q.InReport}
}

func questionsJSON(qs []store.Question) []Question {
	out := make([]Question, 0, len(qs))
	for _, q := range qs {
		out = append(out, questionJSON(q))
	}
	return out
}

// questionBody is the body of POST .../questions and PATCH .../questions/{key}.
type questionBody struct {
	Key      optional[string]       `json:"key"`
	Kind     optional[string]       `json:"kind"`
	Required optional[bool]         `json:"required"`
	Position optional[int]          `json:"position"`
	Label    map[string]string      `json:"label"`
	Help     map[string]string      `json:"help"`
	Options  optional[[]optionBody] `json:"options"`
	Min      optional[float64]      `json:"min"`
	Max      optional[float64]      `json:"max"`
	InReport optional[bool]         `json:"in_report"`
}

type optionBody struct {
	Value string            `json:"value"`
	Label map[string]string `json:"label"`
}

// apply lays the fields the body names over a question's form.
func (b questionBody) apply(in *setup.QuestionInput) {
	b.Key.str(&in.Key, asIs)
	b.Kind.str(&in.Kind, asIs)
	if b.Required.Set {
		in.Required = b.Required.V
	}
	b.Position.str(&in.Position, intText)
	if in.Label == nil {
		in.Label = map[string]string{}
	}
	mergeTexts(in.Label, b.Label)
	if in.Help == nil {
		in.Help = map[string]string{}
	}
	mergeTexts(in.Help, b.Help)
	if b.Options.Set {
		in.Options = nil
		for _, o := range b.Options.V {
			in.Options = append(in.Options, setup.OptionInput{Value: o.Value, Label: o.Label})
		}
	}
	b.Min.str(&in.Min, floatText)
	b.Max.str(&in.Max, floatText)
	if b.InReport.Set {
		in.InReport = b.InReport.V
	}
}

// answerValues is one answer in a registration's "answers": a string, a
// number, true or false (a checkbox), an array of strings (a multiple
// choice) or null (no answer).
type answerValues []string

func (a *answerValues) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case bytes.Equal(b, []byte("null")):
		*a = nil
	case bytes.Equal(b, []byte("true")):
		*a = []string{"yes"}
	case bytes.Equal(b, []byte("false")):
		*a = nil
	case len(b) > 0 && b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*a = []string{s}
	case len(b) > 0 && b[0] == '[':
		var ss []string
		if err := json.Unmarshal(b, &ss); err != nil {
			return err
		}
		*a = ss
	case len(b) > 0 && (b[0] == '-' || b[0] >= '0' && b[0] <= '9'):
		var n json.Number
		if err := json.Unmarshal(b, &n); err != nil {
			return err
		}
		*a = []string{n.String()}
	default:
		return errors.New("answer: not a string, number, boolean or list of strings")
	}
	return nil
}

// answersInput turns the body's answers into the use case's.
func answersInput(m map[string]answerValues) map[string][]string {
	if m == nil {
		return nil
	}
	out := make(map[string][]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
