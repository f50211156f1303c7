package report

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/store"
)

// QuestionCount is an event's own choice question counted in its report, as
// the age bands are: per option, the people registered who chose it and the
// people who attended (suppressed when few, unless raw).
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
	out := []QuestionCount{}
	for _, qu := range qs {
		if !qu.InReport {
			continue
		}
		qc := QuestionCount{Key: qu.Key, Label: qu.Label}
		for _, o := range qu.Options {
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
