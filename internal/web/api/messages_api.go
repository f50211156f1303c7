package api

import (
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/messages"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// MessagesAPI sends coordinators' messages to segments and reports their
// delivery (report or admin scope tokens of coordinators, or their sessions).
type MessagesAPI struct {
	Env      *httpx.Env
	Messages *messages.Service
}

// messageRequest is the body of POST /api/v1/events/{slug}/messages and
// /api/v1/projects/{code}/messages.
type messageRequest struct {
	Segment   string            `json:"segment"`
	Day       string            `json:"day"`
	Subject   map[string]string `json:"subject"`
	Body      map[string]string `json:"body"`
	Essential bool              `json:"essential"`
	DryRun    bool              `json:"dry_run"`
}

// messageAccepted is the 202 answer.
type messageAccepted struct {
	ID         int64                    `json:"id,omitempty"`
	DryRun     bool                     `json:"dry_run"`
	Recipients int                      `json:"recipients"`
	Languages  []messagePreviewLanguage `json:"languages,omitempty"`
}

type messagePreviewLanguage struct {
	Language   string `json:"language"`
	Recipients int    `json:"recipients"`
	Subject    string `json:"subject"`
	Text       string `json:"text"`
}

// messageState is the answer of GET /api/v1/messages/{id}.
type messageState struct {
	ID         int64                `json:"id"`
	Event      string               `json:"event,omitempty"`
	Segment    string               `json:"segment"`
	Day        string               `json:"day,omitempty"`
	Essential  bool                 `json:"essential"`
	Subject    map[string]string    `json:"subject"`
	Body       map[string]string    `json:"body"`
	CreatedAt  time.Time            `json:"created_at"`
	Counts     map[string]int       `json:"counts"`
	Recipients []messageRecipientIO `json:"recipients"`
}

type messageRecipientIO struct {
	Registration int64      `json:"registration"`
	Name         string     `json:"name"`
	Email        string     `json:"email"`
	Language     string     `json:"language"`
	State        string     `json:"state"`
	Attempts     int        `json:"attempts"`
	LastError    string     `json:"last_error,omitempty"`
	SentAt       *time.Time `json:"sent_at,omitempty"`
	NextAttempt  *time.Time `json:"next_attempt,omitempty"`
}

func (h *MessagesAPI) send(c *gin.Context, d messages.Draft, dry bool) error {
	ctx := c.Request.Context()
	if dry {
		pv, err := h.Messages.Preview(ctx, d)
		if err != nil {
			return err
		}
		out := messageAccepted{DryRun: true, Recipients: pv.Recipients}
		for _, l := range pv.Languages {
			out.Languages = append(out.Languages, messagePreviewLanguage{Language: l.Language, Recipients: l.Count, Subject: l.Subject, Text: l.Text})
		}
		c.JSON(202, out)
		return nil
	}
	m, err := h.Messages.Send(ctx, httpx.Principal(c), d, c.ClientIP())
	if err != nil {
		return err
	}
	c.Header("Location", "/api/v1/messages/"+strconv.FormatInt(m.ID, 10))
	c.JSON(202, messageAccepted{ID: m.ID, Recipients: m.Recipients})
	return nil
}

func (req messageRequest) draft(projectID int64, e *store.Event) messages.Draft {
	return messages.Draft{ProjectID: projectID, Event: e, Segment: req.Segment, Day: req.Day,
		Subject: req.Subject, Body: req.Body, Essential: req.Essential}
}

func stateJSON(st messages.State, eventSlug string) messageState {
	m := st.Message
	out := messageState{ID: m.ID, Event: eventSlug, Segment: m.Segment, Essential: m.Essential,
		Subject: m.Subject, Body: m.Body, CreatedAt: m.CreatedAt, Counts: st.Counts, Recipients: []messageRecipientIO{}}
	if m.Day != nil {
		out.Day = m.Day.Format(time.DateOnly)
	}
	for _, r := range st.Recipients {
		out.Recipients = append(out.Recipients, messageRecipientIO{Registration: r.RegistrationID, Name: r.FirstName + " " + r.LastName,
			Email: r.Email, Language: r.Language, State: r.State(), Attempts: r.Attempts, LastError: r.LastError,
			SentAt: r.SentAt, NextAttempt: r.NextAttempt})
	}
	return out
}
