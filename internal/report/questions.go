package report

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/i18n"

	"github.com/decode-attend/attend/internal/store"
)

// QuestionCount is an event's own choice question (or tick box) counted in
// its report, as the age bands are: per option, the people registered who
// chose it and the people who attended (suppressed when few, unless raw). A
// tick box has one option, "yes" (ticked), without a label of its own.
type QuestionCount struct {
	Key     string        `json:"key"`
	Label   store.Texts   `json:"label"`
	Options []OptionCount `json:"options"`
}

// OptionCount is one option's figures.
type OptionCount struct {
	Value      string      `json:"value"`
	Label      store.Texts `json:"label"`
	Registered int         `json:"registered"`
	Attended   ValueCount  `json:"attended"`
}

// questionCounts reads the figures of the event's questions marked for the report.
func (s *Service) questionCounts(ctx context.Context, q sqlx.QueryerContext, eventID int64, raw bool) ([]QuestionCount, error) {
	qs, err := s.Store.Questions(ctx, q, eventID)
	if err != nil {
		return nil, err
	}
	cs, err := s.Store.ChoiceCounts(ctx, q, eventID)
	if err != nil {
		return nil, err
	}
	var out []QuestionCount
	for _, qu := range qs {
		if !qu.InReport {
			continue
		}
		qc := QuestionCount{Key: qu.Key, Label: qu.Label}
		opts := qu.Options
		if qu.Kind == store.QuestionCheckbox {
			opts = []store.Option{{Value: "yes"}}
		}
		for _, o := range opts {
			oc := OptionCount{Value: o.Value, Label: o.Label}
			att := 0
			for _, c := range cs {
				if c.QuestionID == qu.ID && c.Value == o.Value {
					oc.Registered, att = c.Registered, c.Attended
				}
			}
			oc.Attended = ValueCount{Value: o.Value}
			if !raw && att > 0 && att < SmallCount {
				oc.Attended.Suppressed = true
			} else {
				oc.Attended.Count = &att
			}
			qc.Options = append(qc.Options, oc)
		}
		out = append(out, qc)
	}
	return out, nil
}

// OptionText is an option's label in lang (a tick box's "yes" from the catalogue).
func OptionText(l *i18n.Localizer, o OptionCount) string {
	if len(o.Label) == 0 {
		return l.T("questions.report.ticked")
	}
	return o.Label.In(l.Lang)
}
