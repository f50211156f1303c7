package messaging

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type recipientRow struct {
	store.MessageRecipientState
	StateLabel, LanguageName, Next string
}

type messageData struct {
	Heading, Back, Segment, States string
	Flash                          string
	Message                        store.Message
	Texts                          []previewLang
	Recipients                     []recipientRow
}

// MessageShow shows a sent message and each recipient's delivery state.
func (h *Handler) MessageShow(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return apperr.ErrNotFound
	}
	ctx := c.Request.Context()
	st, err := h.Messages.Status(ctx, id)
	if err != nil {
		return err
	}
	m := st.Message
	back := ""
	if m.EventID != nil {
		e, err := h.Env.Objects.EventByID(c, auth.Manage, *m.EventID)
		if err != nil {
			return err
		}
		back = "/admin/events/" + e.Slug + "/messages"
	} else {
		if _, err := h.Env.Objects.ProjectByID(c, auth.Manage, m.ProjectID); err != nil {
			return err
		}
		back = "/admin/projects/" + strconv.FormatInt(m.ProjectID, 10) + "/messages"
	}
	partners, err := h.Store.Partners(ctx, h.Store.DB, m.ProjectID)
	if err != nil {
		return err
	}
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	d := messageData{Heading: l.T("messages.message_title", "date", l.DateTime(m.CreatedAt)), Back: back,
		Segment: segmentLabel(l, m, partners), States: statesLine(l, st.Counts), Message: m}
	if c.Query("sent") != "" {
		d.Flash = l.N("messages.sent_flash", m.Recipients)
	}
	for _, lang := range sortedKeys(m.Subject) {
		d.Texts = append(d.Texts, previewLang{Name: l.Language(lang), Subject: m.Subject[lang], Text: m.Body[lang]})
	}
	for _, r := range st.Recipients {
		row := recipientRow{MessageRecipientState: r, StateLabel: l.T("messages.state." + r.State()), LanguageName: l.Language(r.Language)}
		if r.NextAttempt != nil && r.State() == "retrying" {
			row.Next = l.DateTime(*r.NextAttempt)
		}
		d.Recipients = append(d.Recipients, row)
	}
	h.Env.HTML(c, http.StatusOK, "messages/message.html", h.Env.NewPage(c, d.Heading, d))
	return nil
}
