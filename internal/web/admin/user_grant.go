package admin

import (
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// UserGrant gives a user an event, optionally only between two times (in the
// event's time zone).
func (h *Handler) UserGrant(c *gin.Context) error {
	u, err := h.user(c)
	if err != nil {
		return err
	}
	e, err := h.Store.EventBySlug(c.Request.Context(), h.Store.DB, c.PostForm("event"))
	if err != nil {
		f := newForm(nil)
		f.fail(&apperr.Invalid{Fields: map[string]string{"event": "account.error.event"}})
		return h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
	}
	loc := e.Location()
	inv := &apperr.Invalid{}
	from := localTime(inv, "valid_from", c.PostForm("valid_from"), loc)
	until := localTime(inv, "valid_until", c.PostForm("valid_until"), loc)
	if err = inv.Err(); err == nil {
		err = h.Accounts.Grant(c.Request.Context(), httpx.Principal(c), u.ID, e.ID, from, until, c.ClientIP())
	}
	return finish(c, err, userURL(u.ID)+"?done=granted", func(f *form) error {
		f.Values["event"], f.Values["valid_from"], f.Values["valid_until"] = e.Slug, c.PostForm("valid_from"), c.PostForm("valid_until")
		return h.userForm(c, http.StatusUnprocessableEntity, userForm{User: u, Input: inputOfUser(u)}, f)
	})
}

func localTime(inv *apperr.Invalid, field, s string, loc *time.Location) *time.Time {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", s, loc)
	if err != nil {
		inv.Add(field, "admin.error.datetime")
		return nil
	}
	return &t
}
