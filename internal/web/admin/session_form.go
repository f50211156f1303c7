package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// sessionForm is the editor of one session of an event's day.
type sessionForm struct {
	New       bool
	Event     store.Event
	ID        int64 // the session edited (0: new)
	Input     setup.SessionInput
	Days      []store.EventDay
	Languages []string
}

func (h *Handler) sessionForm(c *gin.Context, status int, d sessionForm, f *form) error {
	days, err := h.Store.EventDays(c.Request.Context(), h.Store.DB, d.Event.ID)
	if err != nil {
		return err
	}
	d.Days, d.Languages = days, setup.Languages
	if d.Input.Title == nil {
		d.Input.Title = map[string]string{}
	}
	f.Data = d
	h.render(c, status, "session", title(d.New, "timetable.sessions.new_title", "timetable.sessions.edit_title"), f)
	return nil
}

// sessionInput reads the session editor; the titles of the form's languages.
func sessionInput(c *gin.Context) setup.SessionInput {
	in := setup.SessionInput{Day: c.PostForm("day"), Start: c.PostForm("start"), End: c.PostForm("end"),
		Title: map[string]string{}, Room: c.PostForm("room"), Speakers: c.PostForm("speakers")}
	for _, lang := range setup.Languages {
		in.Title[lang] = c.PostForm("title_" + lang)
	}
	return in
}

// session finds the :id session of event e; anything else is not found.
func (h *Handler) session(c *gin.Context, e store.Event) (store.EventSession, error) {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return store.EventSession{}, err
	}
	return h.Store.EventSession(c.Request.Context(), h.Store.DB, e.ID, id)
}

func (h *Handler) sessionAgain(c *gin.Context, d sessionForm) func(f *form) error {
	return func(f *form) error { return h.sessionForm(c, http.StatusUnprocessableEntity, d, f) }
}
