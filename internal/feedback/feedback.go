// Package feedback is the short form attendees answer after an event: the
// questions are set per event (a 1-5 rating and a comment by default), each
// person answers once and may change the answer until the closing time, and
// the event's report shows counts, averages and the comments without names.
package feedback

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/plaintext"
	"github.com/decode-attend/attend/internal/store"
)

// Question kinds.
const (
	Rating = "rating" // 1 to 5
	Text   = "text"   // free text, optional
)

// MaxText is the longest free-text answer.
const MaxText = 4000

// DefaultOpenDays is how long the form stays open after the last day when
// the event sets no closing time.
const DefaultOpenDays = 30

// Question is one question of an event's form. Label maps a language to the
// question; empty for the default questions, whose labels are in the catalogue.
type Question struct {
	ID    string            `json:"id"`
	Kind  string            `json:"kind"`
	Label map[string]string `json:"label,omitempty"`
}

// Defaults are the questions of an event that sets none.
var Defaults = []Question{{ID: "overall", Kind: Rating}, {ID: "comment", Kind: Text}}

// LabelIn is the question in lang: the event's own text, else the catalogue's
// for a default question, else English, else any.
func (q Question) LabelIn(l *i18n.Localizer, lang string) string {
	if s := q.Label[lang]; s != "" {
		return s
	}
	if q.Label == nil {
		return l.T("feedback.q." + q.ID)
	}
	return store.Texts(q.Label).In(lang)
}

// Links gives a registration's private path (the registration capability owns it).
type Links interface {
	ManagePath(ctx context.Context, q sqlx.ExtContext, r store.Registration, lang string) (string, error)
}

// Service reads and saves answers.
type Service struct {
	Store   *store.Store
	Links   Links
	BaseURL string
	Now     func() time.Time
}

// New builds the service.
func New(st *store.Store, links Links, baseURL string, now func() time.Time) *Service {
	return &Service{Store: st, Links: links, BaseURL: strings.TrimRight(baseURL, "/"), Now: now}
}

// URL is the personal feedback form of r in lang (the person's own language
// when lang is empty), for e-mails such as the certificate's.
func (s *Service) URL(ctx context.Context, q sqlx.ExtContext, r store.Registration, lang string) (string, error) {
	if lang == "" {
		lang = r.Language
	}
	p, err := s.Links.ManagePath(ctx, q, r, lang)
	if err != nil {
		return "", err
	}
	return s.BaseURL + p + "/feedback", nil
}

// Settings are an event's questions and closing time.
type Settings struct {
	Questions []Question
	ClosesAt  time.Time
}

// Settings loads an event's questions (the defaults when it sets none) and
// when its form closes.
func (s *Service) Settings(ctx context.Context, q sqlx.QueryerContext, e store.Event) (Settings, error) {
	raw, err := s.Store.EventFeedbackSettings(ctx, q, e.ID)
	if err != nil {
		return Settings{}, err
	}
	st := Settings{Questions: Defaults}
	if len(raw.Questions) > 0 {
		var qs []Question
		if err := json.Unmarshal(raw.Questions, &qs); err != nil {
			return Settings{}, err
		}
		if len(qs) > 0 {
			st.Questions = qs
		}
	}
	if raw.ClosesAt != nil {
		st.ClosesAt = *raw.ClosesAt
	} else {
		st.ClosesAt = DefaultClose(e)
	}
	return st, nil
}

// DefaultClose is when the form of an event that sets no closing time
// closes: DefaultOpenDays after its last day, at the end of that day.
func DefaultClose(e store.Event) time.Time {
	end := e.LastDay.AddDate(0, 0, DefaultOpenDays+1)
	return time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, e.Location())
}

// State says whether a person may answer now.
type State string

// States of the form for one person.
const (
	Open        State = "open"
	NotYet      State = "not_yet"      // the event has not ended
	Closed      State = "closed"       // past the closing time
	NotAttended State = "not_attended" // only attendees answer
)

// Form is what one person sees.
type Form struct {
	Settings
	State   State
	Answers map[string]any // the person's saved answers, nil when none
	Saved   *time.Time
}

// FormFor loads r's form and saved answers.
func (s *Service) FormFor(ctx context.Context, r store.Registration, e store.Event) (Form, error) {
	st, err := s.Settings(ctx, s.Store.DB, e)
	if err != nil {
		return Form{}, err
	}
	f := Form{Settings: st, State: Open}
	attended, err := s.Store.Attended(ctx, s.Store.DB, r.ID)
	if err != nil {
		return f, err
	}
	now := s.Now()
	switch {
	case !attended || r.AnonymisedAt != nil:
		f.State = NotAttended
	case e.Phase(now) == "upcoming":
		f.State = NotYet
	case !now.Before(st.ClosesAt):
		f.State = Closed
	}
	a, err := s.Store.Feedback(ctx, s.Store.DB, r.ID)
	switch {
	case err == nil:
		if err := json.Unmarshal(a.Answers, &f.Answers); err != nil {
			return f, err
		}
		f.Saved = &a.UpdatedAt
	case !errors.Is(err, store.ErrNotFound):
		return f, err
	}
	return f, nil
}

// ErrNotAllowed is the answer of a person who may not answer now (see State).
var ErrNotAllowed = errors.New("feedback: not open for this person")

// Save validates and stores r's answers (field name "q_<question id>" ->
// typed value), replacing earlier ones, in one transaction. Ratings are
// whole numbers 1-5 and required; text is optional.
func (s *Service) Save(ctx context.Context, r store.Registration, e store.Event, in map[string]string, ip string) error {
	f, err := s.FormFor(ctx, r, e)
	if err != nil {
		return err
	}
	if f.State != Open {
		return ErrNotAllowed
	}
	inv := &apperr.Invalid{}
	out := map[string]any{}
	for _, q := range f.Questions {
		v := strings.TrimSpace(strings.ReplaceAll(in["q_"+q.ID], "\r\n", "\n"))
		switch q.Kind {
		case Rating:
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 || n > 5 {
				inv.Add("q_"+q.ID, "feedback.error.rating")
				continue
			}
			out[q.ID] = n
		case Text:
			if !plaintext.Valid(v, true) || utf8.RuneCountInString(v) > MaxText {
				inv.Add("q_"+q.ID, "feedback.error.text")
				continue
			}
			if v != "" {
				out[q.ID] = v
			}
		}
	}
	if err := inv.Err(); err != nil {
		return err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := s.Store.SaveFeedback(ctx, tx, e.ID, r.ID, b); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{ActorLabel: "participant", Action: "feedback.save",
			ObjectType: "registration", ObjectID: r.ID, IP: ip})
	})
}

// QuestionSummary is one question's result: how many answered, the average
// of a rating (and how many gave each score), the comments of a text.
type QuestionSummary struct {
	ID       string         `json:"id"`
	Kind     string         `json:"kind"`
	Label    string         `json:"label"`
	Answers  int            `json:"answers"`
	Average  float64        `json:"average,omitempty"` // of the ratings given; 0 when none
	Scores   map[string]int `json:"scores,omitempty"`
	Comments []string       `json:"comments,omitempty"`
}

// Summary is an event's feedback for the programme's evaluation: no names.
type Summary struct {
	Responses int               `json:"responses"`
	ClosesAt  time.Time         `json:"closes_at"`
	Questions []QuestionSummary `json:"questions"`
}

// Summarise computes the event's summary. Label is the event's own question
// in lang; empty for a default question, whose label is in the catalogue
// ("feedback.q.<id>").
func Summarise(ctx context.Context, st *store.Store, e store.Event, lang string) (Summary, error) {
	s := &Service{Store: st}
	set, err := s.Settings(ctx, st.DB, e)
	if err != nil {
		return Summary{}, err
	}
	rows, err := st.EventFeedback(ctx, st.DB, e.ID)
	if err != nil {
		return Summary{}, err
	}
	sum := Summary{Responses: len(rows), ClosesAt: set.ClosesAt}
	for _, q := range set.Questions {
		qs := QuestionSummary{ID: q.ID, Kind: q.Kind}
		if q.Label != nil {
			qs.Label = store.Texts(q.Label).In(lang)
		}
		total := 0
		for _, raw := range rows {
			var a map[string]any
			if json.Unmarshal(raw, &a) != nil {
				continue
			}
			switch v := a[q.ID].(type) {
			case float64:
				if q.Kind == Rating {
					qs.Answers++
					total += int(v)
					if qs.Scores == nil {
						qs.Scores = map[string]int{}
					}
					qs.Scores[strconv.Itoa(int(v))]++
				}
			case string:
				if q.Kind == Text && v != "" {
					qs.Answers++
					qs.Comments = append(qs.Comments, v)
				}
			}
		}
		if q.Kind == Rating && qs.Answers > 0 {
			qs.Average = math.Round(float64(total)/float64(qs.Answers)*100) / 100
		}
		sum.Questions = append(sum.Questions, qs)
	}
	return sum, nil
}

// MaxQuestions is how many questions an event's form may have.
const MaxQuestions = 8

// SaveSettings sets an event's questions (none: the defaults) and the day
// the form closes (the end of that day on the event's clock; empty: the
// default), audited.
func (s *Service) SaveSettings(ctx context.Context, p *auth.Principal, e store.Event, qs []Question, closesOn string, ip string) error {
	inv := &apperr.Invalid{}
	var closes *time.Time
	if closesOn != "" {
		d, err := time.ParseInLocation(time.DateOnly, closesOn, e.Location())
		if err != nil || d.Before(e.FirstDay.AddDate(0, 0, -1)) || d.After(e.LastDay.AddDate(2, 0, 0)) {
			inv.Add("closes_on", "feedback.error.closes_on")
		} else {
			end := d.AddDate(0, 0, 1)
			closes = &end
		}
	}
	if len(qs) > MaxQuestions {
		inv.Add("questions", "feedback.error.questions")
	}
	for i, q := range qs {
		field := "label_" + strconv.Itoa(i+1) + "_en"
		if q.Kind != Rating && q.Kind != Text {
			inv.Add("kind_"+strconv.Itoa(i+1), "feedback.error.kind")
		}
		if strings.TrimSpace(q.Label["en"]) == "" {
			inv.Add(field, "feedback.error.label")
		}
		for lang, l := range q.Label {
			if !plaintext.Valid(l, false) || utf8.RuneCountInString(l) > 200 {
				inv.Add("label_"+strconv.Itoa(i+1)+"_"+lang, "feedback.error.text")
			}
		}
	}
	if err := inv.Err(); err != nil {
		return err
	}
	var raw []byte
	if len(qs) > 0 {
		var err error
		if raw, err = json.Marshal(qs); err != nil {
			return err
		}
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetEventFeedback(ctx, tx, e.ID, raw, closes); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: p, Action: "event.feedback_settings", ObjectType: "event",
			ObjectID: e.ID, IP: ip, Details: map[string]any{"questions": len(qs), "closes_on": closesOn}})
	})
}
