package admin

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
)

type usersData struct {
	Users []store.User
	Roles []string
	Q     string
	Role  string
}

// UsersList lists staff accounts with a search by name or e-mail and role.
func (h *Handler) UsersList(c *gin.Context) error {
	d := usersData{Roles: auth.Roles, Q: strings.TrimSpace(c.Query("q")), Role: c.Query("role")}
	if len(d.Q) > 200 {
		d.Q = d.Q[:200]
	}
	if !slices.Contains(auth.Roles, d.Role) {
		d.Role = ""
	}
	var err error
	if d.Users, err = h.Store.Users(c.Request.Context(), h.Store.DB, store.UserFilter{Q: d.Q, Role: d.Role}); err != nil {
		return err
	}
	h.render(c, http.StatusOK, "users", "admin.users.title", newForm(d).done(c))
	return nil
}
