package setup

import (
	"context"

	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	"golang.org/x/text/unicode/norm"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
)

// An event's custom questions: the registration forms ask them beside the
// built-in fields (registration.ValidateAnswers checks the answers).

// QuestionInput is the question editor's form, or the API's body.
type QuestionInput struct {
	Key      string
	Kind     string
	Required bool
	Label    map[string]string
	Help     map[string]string
	// Options of a choice question, in order. On the form each option is one
	// line of every language's list; Value may be empty there and is then
	// made from the English label.
	Options  []OptionInput
	Min, Max string // number questions: optional bounds
	InReport bool
	// Position: empty keeps it (last for a new question), else 1-based.
	Position string
}

// OptionInput is one option of a choice question.
type OptionInput struct {
	Value string
	Label map[string]string
}

// Limits of questions.
const (
	MaxQuestions       = 50
	maxQuestionOptions = 50
	maxQuestionLabel   = 300
	maxQuestionHelp    = 1000
	maxOptionLabel     = 200
)

var questionKeyRe = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
var optionValueRe = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,39}$`)

// QuestionInputOf fills the form from a question.
func QuestionInputOf(q store.Question) QuestionInput {
	in := QuestionInput{Key: q.Key, Kind: q.Kind, Required: q.Required, Label: map[string]string{},
		Help: map[string]string{}, InReport: q.InReport, Position: strconv.Itoa(q.Position + 1)}
	for k, v := range q.Label {
		in.Label[k] = v
	}
	for k, v := range q.Help {
		in.Help[k] = v
	}
	for _, o := range q.Options {
		oi := OptionInput{Value: o.Value, Label: map[string]string{}}
		for k, v := range o.Label {
			oi.Label[k] = v
		}
		in.Options = append(in.Options, oi)
	}
	if q.Min != nil {
		in.Min = strconv.FormatFloat(*q.Min, 'f', -1, 64)
	}
	if q.Max != nil {
		in.Max = strconv.FormatFloat(*q.Max, 'f', -1, 64)
	}
	return in
}

// OptionValue makes an option's value from its label: lower-case ASCII
// letters and digits joined by "-" (accents dropped), at most 40 characters.
func OptionValue(label string) string {
	var b strings.Builder
	dash := false
	for _, r := range norm.NFD.String(strings.ToLower(label)) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		case r < 0x300 || r > 0x36f: // not a combining mark
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

func optionalNumber(inv *apperr.Invalid, field, s string) *float64 {
	if strings.TrimSpace(s) == "" {
		return nil
	}
	f, ok := registration.ParseNumber(s)
	if !ok {
		inv.Add(field, "questions.error.number")
		return nil
	}
	return &f
}

// questionFrom validates in over q (the question being edited, or a new one).
func questionFrom(in QuestionInput, q *store.Question) error {
	inv := &apperr.Invalid{}
	q.Key = strings.TrimSpace(in.Key)
	if !questionKeyRe.MatchString(q.Key) {
		inv.Add("key", "questions.error.key")
	} else if registration.ReservedQuestionKey(q.Key) {
		inv.Add("key", "questions.error.key_reserved")
	}
	q.Kind = strings.TrimSpace(in.Kind)
	if !slices.Contains(store.QuestionKinds, q.Kind) {
		inv.Add("kind", "questions.error.kind")
	}
	q.Required = in.Required
	q.Label = texts(inv, "label", in.Label, q.Label, maxQuestionLabel, true)
	q.Help = texts(inv, "help", in.Help, q.Help, maxQuestionHelp, false)
	q.Options = nil
	q.Min, q.Max = nil, nil
	q.InReport = in.InReport
	switch q.Kind {
	case store.QuestionSingleChoice, store.QuestionMultipleChoice:
		if len(in.Options) == 0 {
			inv.Add("options", "questions.error.options_none")
		}
		if len(in.Options) > maxQuestionOptions {
			inv.Add("options", "questions.error.options_many")
			break
		}
		seen := map[string]bool{}
		for i, o := range in.Options {
			field := "options"
			label := texts(inv, field, o.Label, nil, maxOptionLabel, false)
			if label["en"] == "" {
				inv.Add(field, "questions.error.option_label")
			}
			v := strings.TrimSpace(o.Value)
			if v == "" {
				v = OptionValue(label["en"])
			}
			if v == "" {
				v = "option-" + strconv.Itoa(i+1)
			}
			if !optionValueRe.MatchString(v) {
				inv.Add(field, "questions.error.option_value")
			} else if seen[v] {
				inv.Add(field, "questions.error.option_twice")
			}
			seen[v] = true
			q.Options = append(q.Options, store.Option{Value: v, Label: label})
		}
	default:
		if in.InReport && q.Kind != store.QuestionCheckbox {
			inv.Add("in_report", "questions.error.in_report")
		}
		if len(in.Options) > 0 {
			inv.Add("options", "questions.error.options_kind")
		}
	}
	if q.Kind == store.QuestionNumber {
		q.Min = optionalNumber(inv, "min", in.Min)
		q.Max = optionalNumber(inv, "max", in.Max)
		if q.Min != nil && q.Max != nil && *q.Min > *q.Max {
			inv.Add("max", "questions.error.range")
		}
	} else if strings.TrimSpace(in.Min) != "" || strings.TrimSpace(in.Max) != "" {
		inv.Add("min", "questions.error.range_kind")
	}
	if p := strings.TrimSpace(in.Position); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > MaxQuestions {
			inv.Add("position", "questions.error.position")
		}
		q.Position = n - 1
	}
	return inv.Err()
}

func questionLog(q store.Question) map[string]any {
	return map[string]any{"key": q.Key, "kind": q.Kind, "required": q.Required, "options": len(q.Options),
		"in_report": q.InReport}
}

// CreateQuestion adds a question to an event, last unless it names its position.
func (s *Service) CreateQuestion(ctx context.Context, actor *auth.Principal, eventID int64, in QuestionInput, ip string) (store.Question, error) {
	q := store.Question{EventID: eventID, Position: -1}
	if err := questionFrom(in, &q); err != nil {
		return q, err
	}
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.LockQuestions(ctx, tx, eventID); err != nil {
			return err
		}
		qs, err := s.Store.Questions(ctx, tx, eventID)
		if err != nil {
			return err
		}
		if len(qs) >= MaxQuestions {
			return &apperr.Invalid{Fields: map[string]string{"key": "questions.error.too_many"}}
		}
		want := q.Position
		q.Position = len(qs)
		if err := s.Store.CreateQuestion(ctx, tx, &q); err != nil {
			return conflict(err, "key", "questions.error.key_taken")
		}
		if want >= 0 && want < len(qs) {
			if err := s.reorder(ctx, tx, eventID, q.ID, want); err != nil {
				return err
			}
			q.Position = want
		}
		return s.log(ctx, tx, actor, ip, "question.create", "event", eventID, questionLog(q))
	})
	return q, err
}

// UpdateQuestion saves a question found by its key. Changing the kind of a
// question that has answers, or dropping an option someone chose, is refused:
// the answers would no longer fit it.
func (s *Service) UpdateQuestion(ctx context.Context, actor *auth.Principal, eventID int64, key string, in QuestionInput, ip string) (store.Question, error) {
	var q store.Question
	err := s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.LockQuestions(ctx, tx, eventID); err != nil {
			return err
		}
		old, err := s.Store.QuestionByKey(ctx, tx, eventID, key)
		if err != nil {
			return err
		}
		q = old
		if err := questionFrom(in, &q); err != nil {
			return err
		}
		if strings.TrimSpace(in.Position) == "" {
			q.Position = old.Position
		}
		answers, err := s.Store.QuestionAnswerValues(ctx, tx, old.ID)
		if err != nil {
			return err
		}
		if len(answers) > 0 {
			if q.Kind != old.Kind {
				return &apperr.Invalid{Fields: map[string]string{"kind": "questions.error.kind_answered"}}
			}
			for _, v := range answers {
				if q.Choice() && !q.Options.Has(v) {
					return &apperr.Invalid{Fields: map[string]string{"options": "questions.error.option_answered"}}
				}
			}
		}
		want := q.Position
		q.Position = old.Position
		if err := s.Store.UpdateQuestion(ctx, tx, q); err != nil {
			return conflict(err, "key", "questions.error.key_taken")
		}
		if want != old.Position {
			if err := s.reorder(ctx, tx, eventID, q.ID, want); err != nil {
				return err
			}
			q.Position = want
		}
		d := questionLog(q)
		if q.Key != old.Key {
			d["old_key"] = old.Key
		}
		return s.log(ctx, tx, actor, ip, "question.update", "event", eventID, d)
	})
	return q, err
}

// MoveQuestion moves a question one place up (by -1) or down (by 1).
func (s *Service) MoveQuestion(ctx context.Context, actor *auth.Principal, eventID int64, key string, by int, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.LockQuestions(ctx, tx, eventID); err != nil {
			return err
		}
		q, err := s.Store.QuestionByKey(ctx, tx, eventID, key)
		if err != nil {
			return err
		}
		if err := s.reorder(ctx, tx, eventID, q.ID, q.Position+by); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "question.move", "event", eventID, map[string]any{"key": key, "by": by})
	})
}

// reorder puts question id at position to (clamped) and numbers the rest
// around it from 0, so that positions stay a plain sequence.
func (s *Service) reorder(ctx context.Context, tx *sqlx.Tx, eventID, id int64, to int) error {
	qs, err := s.Store.Questions(ctx, tx, eventID)
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(qs))
	for _, q := range qs {
		if q.ID != id {
			ids = append(ids, q.ID)
		}
	}
	to = max(0, min(to, len(ids)))
	ids = slices.Insert(ids, to, id)
	return s.Store.SetQuestionOrder(ctx, tx, eventID, ids)
}

// DeleteQuestion removes a question and its answers.
func (s *Service) DeleteQuestion(ctx context.Context, actor *auth.Principal, eventID int64, key, ip string) error {
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.LockQuestions(ctx, tx, eventID); err != nil {
			return err
		}
		q, err := s.Store.QuestionByKey(ctx, tx, eventID, key)
		if err != nil {
			return err
		}
		n, err := s.Store.QuestionAnswerCount(ctx, tx, q.ID)
		if err != nil {
			return err
		}
		if err := s.Store.DeleteQuestion(ctx, tx, eventID, q.ID); err != nil {
			return err
		}
		qs, err := s.Store.Questions(ctx, tx, eventID)
		if err != nil {
			return err
		}
		ids := make([]int64, len(qs))
		for i, x := range qs {
			ids[i] = x.ID
		}
		if err := s.Store.SetQuestionOrder(ctx, tx, eventID, ids); err != nil {
			return err
		}
		return s.log(ctx, tx, actor, ip, "question.delete", "event", eventID, map[string]any{"key": key, "answers": n})
	})
}
