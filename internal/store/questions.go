package store

import (
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Question kinds (event_questions.kind).
const (
	QuestionShortText      = "short_text"
	QuestionLongText       = "long_text"
	QuestionSingleChoice   = "single_choice"
	QuestionMultipleChoice = "multiple_choice"
	QuestionCheckbox       = "checkbox"
	QuestionNumber         = "number"
	QuestionDate           = "date"
)

// QuestionKinds lists the kinds in the order the editor offers them.
var QuestionKinds = []string{QuestionShortText, QuestionLongText, QuestionSingleChoice, QuestionMultipleChoice,
	QuestionCheckbox, QuestionNumber, QuestionDate}

// Option is one answer a choice question offers: a stable value (in exports
// and imports) and its label per language.
type Option struct {
	Value string `json:"value"`
	Label Texts  `json:"label"`
}

// Options is the jsonb list of a question's options.
type Options []Option

// Value implements driver.Valuer.
func (o Options) Value() (driver.Value, error) {
	if o == nil {
		return []byte("[]"), nil
	}
	return json.Marshal(o)
}

// Scan implements sql.Scanner.
func (o *Options) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		return json.Unmarshal(v, o)
	case string:
		return json.Unmarshal([]byte(v), o)
	case nil:
		*o = nil
		return nil
	}
	return fmt.Errorf("options: cannot scan %T", src)
}

// Has reports whether value is one of the options.
func (o Options) Has(value string) bool {
	for _, x := range o {
		if x.Value == value {
			return true
		}
	}
	return false
}

// Label is the option's label in lang, or the value when it has none.
func (o Options) Label(value, lang string) string {
	for _, x := range o {
		if x.Value == value {
			if s := x.Label.In(lang); s != "" {
				return s
			}
		}
	}
	return value
}

// Question is a custom question an event asks on its registration forms.
type Question struct {
	ID       int64    `db:"id"`
	EventID  int64    `db:"event_id"`
	Key      string   `db:"key"`
	Kind     string   `db:"kind"`
	Required bool     `db:"required"`
	Position int      `db:"position"`
	Label    Texts    `db:"label"`
	Help     Texts    `db:"help"`
	Options  Options  `db:"options"`
	Min      *float64 `db:"min_value"`
	Max      *float64 `db:"max_value"`
	InReport bool     `db:"in_report"`
}

// Choice reports whether the question is answered from its options.
func (q Question) Choice() bool {
	return q.Kind == QuestionSingleChoice || q.Kind == QuestionMultipleChoice
}

// Answer is one registration's answer to one question: one value, several
// for a multiple-choice question.
type Answer struct {
	RegistrationID int64          `db:"registration_id"`
	QuestionID     int64          `db:"question_id"`
	EventID        int64          `db:"event_id"`
	Value          pq.StringArray `db:"value"`
}

const questionColumns = `id, event_id, key, kind, required, position, label, help, options, min_value, max_value, in_report`

const selectQuestions = `SELECT ` + questionColumns + ` FROM event_questions WHERE event_id = $1 ORDER BY position, id`

// Questions lists an event's questions in their order.
func (s *Store) Questions(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]Question, error) {
	qs := []Question{}
	err := sqlx.SelectContext(ctx, q, &qs, selectQuestions, eventID)
	return qs, wrap("questions", err)
}

const selectQuestionsOfEvents = `SELECT ` + questionColumns + ` FROM event_questions WHERE event_id = ANY($1::bigint[]) ORDER BY event_id, position, id`

// QuestionsOfEvents lists the questions of several events.
func (s *Store) QuestionsOfEvents(ctx context.Context, q sqlx.QueryerContext, eventIDs []int64) ([]Question, error) {
	qs := []Question{}
	err := sqlx.SelectContext(ctx, q, &qs, selectQuestionsOfEvents, pq.Array(eventIDs))
	return qs, wrap("questions of events", err)
}

const selectQuestionByKey = `SELECT ` + questionColumns + ` FROM event_questions WHERE event_id = $1 AND key = $2`

// QuestionByKey finds one question of an event.
func (s *Store) QuestionByKey(ctx context.Context, q sqlx.QueryerContext, eventID int64, key string) (Question, error) {
	var out Question
	err := sqlx.GetContext(ctx, q, &out, selectQuestionByKey, eventID, key)
	return out, wrap("question by key", err)
}

// A new question goes last unless it names its position.
const insertQuestion = `
INSERT INTO event_questions (event_id, key, kind, required, position, label, help, options, min_value, max_value, in_report)
VALUES (:event_id, :key, :kind, :required,
	CASE WHEN :position < 0 THEN (SELECT coalesce(max(position) + 1, 0) FROM event_questions WHERE event_id = :event_id)
	ELSE :position END,
	:label, :help, :options, :min_value, :max_value, :in_report)
RETURNING position, id`

// CreateQuestion inserts a question and sets its ID (and its position when
// it was negative: last). A key the event already has is ErrConflict
// (constraint event_questions_event_id_key_key).
func (s *Store) CreateQuestion(ctx context.Context, q sqlx.ExtContext, qu *Question) error {
	rows, err := sqlx.NamedQueryContext(ctx, q, insertQuestion, qu)
	if err != nil {
		return wrap("create question", err)
	}
	defer rows.Close()
	if !rows.Next() {
		return wrap("create question", rows.Err())
	}
	return wrap("create question", rows.Scan(&qu.Position, &qu.ID))
}

const updateQuestion = `
UPDATE event_questions SET key = :key, kind = :kind, required = :required, position = :position, label = :label,
	help = :help, options = :options, min_value = :min_value, max_value = :max_value, in_report = :in_report,
	updated_at = now()
WHERE id = :id AND event_id = :event_id`

// UpdateQuestion saves a question's fields.
func (s *Store) UpdateQuestion(ctx context.Context, q sqlx.ExtContext, qu Question) error {
	res, err := sqlx.NamedExecContext(ctx, q, updateQuestion, qu)
	if err != nil {
		return wrap("update question", err)
	}
	return mustAffect(res, "update question")
}

// DeleteQuestion removes a question and, by cascade, its answers.
func (s *Store) DeleteQuestion(ctx context.Context, q sqlx.ExecerContext, eventID, id int64) error {
	res, err := q.ExecContext(ctx, `DELETE FROM event_questions WHERE id = $1 AND event_id = $2`, id, eventID)
	if err != nil {
		return wrap("delete question", err)
	}
	return mustAffect(res, "delete question")
}

// LockQuestions serialises changes to one event's questions (positions are
// renumbered as a whole).
func (s *Store) LockQuestions(ctx context.Context, q sqlx.ExecerContext, eventID int64) error {
	_, err := q.ExecContext(ctx, `SELECT 1 FROM events WHERE id = $1 FOR UPDATE`, eventID)
	return wrap("lock questions", err)
}

const reorderQuestions = `
UPDATE event_questions q SET position = o.n - 1, updated_at = now()
FROM unnest($2::bigint[]) WITH ORDINALITY AS o(id, n)
WHERE q.id = o.id AND q.event_id = $1 AND q.position <> o.n - 1`

// SetQuestionOrder numbers the event's questions in the order of ids.
func (s *Store) SetQuestionOrder(ctx context.Context, q sqlx.ExecerContext, eventID int64, ids []int64) error {
	_, err := q.ExecContext(ctx, reorderQuestions, eventID, pq.Array(ids))
	return wrap("reorder questions", err)
}

const upsertAnswer = `
INSERT INTO registration_answers (registration_id, question_id, event_id, value)
VALUES ($1, $2, $3, $4)
ON CONFLICT (registration_id, question_id) DO UPDATE SET value = EXCLUDED.value`

// SetAnswers stores a registration's answers to the questions in asked:
// those in answers are written, the other questions of asked lose theirs (an
// optional question left empty). Questions not in asked keep their answers.
func (s *Store) SetAnswers(ctx context.Context, q sqlx.ExecerContext, registrationID, eventID int64, asked []int64, answers map[int64][]string) error {
	var clear []int64
	for _, id := range asked {
		v, ok := answers[id]
		if !ok || len(v) == 0 {
			clear = append(clear, id)
			continue
		}
		if _, err := q.ExecContext(ctx, upsertAnswer, registrationID, id, eventID, pq.Array(v)); err != nil {
			return wrap("set answer", err)
		}
	}
	if len(clear) > 0 {
		_, err := q.ExecContext(ctx, `DELETE FROM registration_answers WHERE registration_id = $1 AND question_id = ANY($2::bigint[])`,
			registrationID, pq.Array(clear))
		return wrap("clear answers", err)
	}
	return nil
}

const selectAnswersOf = `
SELECT registration_id, question_id, event_id, value FROM registration_answers
WHERE registration_id = ANY($1::bigint[]) ORDER BY registration_id, question_id`

// AnswersOf lists the answers of the registrations.
func (s *Store) AnswersOf(ctx context.Context, q sqlx.QueryerContext, ids []int64) ([]Answer, error) {
	as := []Answer{}
	err := sqlx.SelectContext(ctx, q, &as, selectAnswersOf, pq.Array(ids))
	return as, wrap("answers", err)
}

const selectEventAnswers = `
SELECT registration_id, question_id, event_id, value FROM registration_answers
WHERE event_id = $1 ORDER BY registration_id, question_id`

// EventAnswers lists every answer given for an event, by registration.
func (s *Store) EventAnswers(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]Answer, error) {
	as := []Answer{}
	err := sqlx.SelectContext(ctx, q, &as, selectEventAnswers, eventID)
	return as, wrap("event answers", err)
}

// DeleteAnswersOf removes every answer of the registrations (erasure).
func (s *Store) DeleteAnswersOf(ctx context.Context, q sqlx.ExecerContext, ids []int64) (int64, error) {
	res, err := q.ExecContext(ctx, `DELETE FROM registration_answers WHERE registration_id = ANY($1::bigint[])`, pq.Array(ids))
	if err != nil {
		return 0, wrap("delete answers", err)
	}
	return res.RowsAffected()
}

// ChoiceCount is how many registrations chose one option of a question
// counted in the report: registered (not cancelled) and attended (admitted on
// at least one day).
type ChoiceCount struct {
	QuestionID int64  `db:"question_id"`
	Value      string `db:"value"`
	Registered int    `db:"registered"`
	Attended   int    `db:"attended"`
}

const selectChoiceCounts = `
SELECT a.question_id, v.value,
	count(*) FILTER (WHERE r.status <> 'cancelled') AS registered,
	count(*) FILTER (WHERE EXISTS (SELECT 1 FROM admissions ad
		WHERE ad.registration_id = r.id AND ad.undone_at IS NULL)) AS attended
FROM registration_answers a
JOIN event_questions q ON q.id = a.question_id AND q.in_report
JOIN registrations r ON r.id = a.registration_id
CROSS JOIN LATERAL unnest(a.value) AS v(value)
WHERE a.event_id = $1
GROUP BY a.question_id, v.value`

// ChoiceCounts counts the answers of an event's questions counted in the report.
func (s *Store) ChoiceCounts(ctx context.Context, q sqlx.QueryerContext, eventID int64) ([]ChoiceCount, error) {
	cs := []ChoiceCount{}
	err := sqlx.SelectContext(ctx, q, &cs, selectChoiceCounts, eventID)
	return cs, wrap("choice counts", err)
}

// CopyQuestions copies an event's questions to another event (event copies).
func (s *Store) CopyQuestions(ctx context.Context, q sqlx.ExecerContext, fromEventID, toEventID int64) error {
	_, err := q.ExecContext(ctx, `
INSERT INTO event_questions (event_id, key, kind, required, position, label, help, options, min_value, max_value, in_report)
SELECT $2, key, kind, required, position, label, help, options, min_value, max_value, in_report
FROM event_questions WHERE event_id = $1`, fromEventID, toEventID)
	return wrap("copy questions", err)
}

// QuestionAnswerValues lists the distinct values given to a question.
func (s *Store) QuestionAnswerValues(ctx context.Context, q sqlx.QueryerContext, questionID int64) ([]string, error) {
	vs := []string{}
	err := sqlx.SelectContext(ctx, q, &vs, `
SELECT DISTINCT v FROM registration_answers, unnest(value) AS v WHERE question_id = $1 ORDER BY v`, questionID)
	return vs, wrap("question answer values", err)
}

// QuestionAnswerCount is how many registrations answered a question.
func (s *Store) QuestionAnswerCount(ctx context.Context, q sqlx.QueryerContext, questionID int64) (int, error) {
	var n int
	err := sqlx.GetContext(ctx, q, &n, `SELECT count(*) FROM registration_answers WHERE question_id = $1`, questionID)
	return n, wrap("question answer count", err)
}

const copyEventDays = `
UPDATE event_days n SET capacity = o.capacity, opens_at = o.opens_at, closes_at = o.closes_at
FROM event_days o
WHERE o.event_id = $1 AND n.event_id = $2 AND n.day = o.day + $3::integer`

// CopyEventDays gives a copied event's days (already created, shifted by
// shift days) the capacities and door hours of the original's days.
func (s *Store) CopyEventDays(ctx context.Context, q sqlx.ExecerContext, fromEventID, toEventID int64, shift int) error {
	_, err := q.ExecContext(ctx, copyEventDays, fromEventID, toEventID, shift)
	return wrap("copy event days", err)
}
