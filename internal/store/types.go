package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"sort"
)

// Texts is a jsonb column mapping a language code to text (titles, descriptions).
type Texts map[string]string

// In returns the text in lang, else English, else any language, else "".
func (t Texts) In(lang string) string {
	if s := t[lang]; s != "" {
		return s
	}
	if s := t["en"]; s != "" {
		return s
	}
	for _, s := range t {
		return s
	}
	return ""
}

// Pick returns the text in lang and lang; else the text in the first of
// fallbacks that has one, then English, then the first language in sorted
// order, with the language it is in; "", "" when there is no text at all. A
// caller showing a text whose language differs from lang says so.
func (t Texts) Pick(lang string, fallbacks ...string) (text, usedLang string) {
	if s := t[lang]; s != "" {
		return s, lang
	}
	for _, l := range append(fallbacks, "en") {
		if s := t[l]; s != "" {
			return s, l
		}
	}
	langs := make([]string, 0, len(t))
	for l, s := range t {
		if s != "" {
			langs = append(langs, l)
		}
	}
	if len(langs) == 0 {
		return "", ""
	}
	sort.Strings(langs)
	return t[langs[0]], langs[0]
}

// Value implements driver.Valuer.
func (t Texts) Value() (driver.Value, error) {
	if t == nil {
		return []byte("{}"), nil
	}
	return json.Marshal(t)
}

// Scan implements sql.Scanner.
func (t *Texts) Scan(src any) error {
	var b []byte
	switch v := src.(type) {
	case []byte:
		b = v
	case string:
		b = []byte(v)
	case nil:
		*t = Texts{}
		return nil
	default:
		return fmt.Errorf("texts: cannot scan %T", src)
	}
	return json.Unmarshal(b, t)
}

// JSON is a raw jsonb column.
type JSON json.RawMessage

// Value implements driver.Valuer.
func (j JSON) Value() (driver.Value, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return []byte(j), nil
}

// Scan implements sql.Scanner.
func (j *JSON) Scan(src any) error {
	switch v := src.(type) {
	case []byte:
		*j = append((*j)[:0], v...)
	case string:
		*j = JSON(v)
	case nil:
		*j = nil
	default:
		return fmt.Errorf("json: cannot scan %T", src)
	}
	return nil
}

// MarshalJSON keeps the raw document.
func (j JSON) MarshalJSON() ([]byte, error) {
	if len(j) == 0 {
		return []byte("null"), nil
	}
	return j, nil
}

// Status is where a registration stands. The database's check constraint
// holds the same four values.
type Status string

// Registration statuses.
const (
	StatusPending    Status = "pending_confirmation" // waits for the e-mail address to be confirmed
	StatusConfirmed  Status = "confirmed"            // holds a seat and a ticket
	StatusWaitlisted Status = "waitlisted"           // waits for a seat, in waitlist_seq order
	StatusCancelled  Status = "cancelled"            // by the person, the staff or an erasure
)

// Participation is how a participant stands to the event in the funder's
// terms: from the host town, sent by a partner from another country, or
// anyone else. The database's check constraint holds the same three values.
type Participation string

// Participation kinds.
const (
	Local   Participation = "local"
	Invited Participation = "invited"
	Other   Participation = "other"
)
