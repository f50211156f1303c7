package admin

import (
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/account"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type partnerOption struct {
	ID    int64
	Label string
}

type userForm struct {
	New       bool
	User      store.User
	Input     account.UserInput
	Roles     []string
	Languages []string
	Projects  []store.Project
	Partners  []partnerOption
	Grants    []store.GrantView
	Events    []eventRow
	Tokens    []store.TokenView
	Scopes    []string
	NewToken  *account.NewToken
	Sessions  int
	// The selected project and partner (0: none).
	ProjectSel, PartnerSel int64
}

func (h *Handler) userForm(c *gin.Context, status int, d userForm, f *form) error {
	ctx := c.Request.Context()
	var err error
	d.Roles, d.Languages = auth.Roles, i18n.Languages
	if d.Input.ProjectID != nil {
		d.ProjectSel = *d.Input.ProjectID
	}
	if d.Input.PartnerID != nil {
		d.PartnerSel = *d.Input.PartnerID
	}
	if d.Projects, err = h.Store.Projects(ctx, h.Store.DB); err != nil {
		return err
	}
	for _, p := range d.Projects {
		ps, err := h.Store.Partners(ctx, h.Store.DB, p.ID)
		if err != nil {
			return err
		}
		for _, pt := range ps {
			d.Partners = append(d.Partners, partnerOption{ID: pt.ID, Label: p.Acronym + " · " + pt.City + " · " + h.l(c).PickOr(pt.OrganisationTexts, pt.Organisation).Marked()})
		}
	}
	if d.User.ID != 0 {
		if d.Grants, err = h.Store.GrantViews(ctx, h.Store.DB, d.User.ID); err != nil {
			return err
		}
		if d.Events, err = h.eventRows(c); err != nil {
			return err
		}
		if d.Tokens, err = h.Store.TokenViews(ctx, h.Store.DB, d.User.ID); err != nil {
			return err
		}
		if d.Sessions, err = h.Store.CountSessions(ctx, h.Store.DB, d.User.ID); err != nil {
			return err
		}
		d.Scopes = account.ScopesFor(d.User.Role)
	}
	f.Data = d
	h.render(c, status, "user", title(d.New, "admin.user.new_title", "admin.user.edit_title"), f)
	return nil
}

func userInput(c *gin.Context) account.UserInput {
	in := account.UserInput{Email: c.PostForm("email"), Name: c.PostForm("name"), Role: c.PostForm("role"),
		Language: c.PostForm("language"), Password: c.PostForm("password")}
	if pid, err := parseOptionalID(c.PostForm("project")); err == nil {
		in.ProjectID = pid
	}
	if pid, err := parseOptionalID(c.PostForm("partner")); err == nil {
		in.PartnerID = pid
	}
	return in
}

func inputOfUser(u store.User) account.UserInput {
	return account.UserInput{Email: u.Email, Name: u.Name, Role: u.Role, ProjectID: u.ProjectID, PartnerID: u.PartnerID,
		Language: u.Language}
}

func userURL(uid int64) string { return "/admin/users/" + strconv.FormatInt(uid, 10) }

// user loads the user of the :id parameter.
func (h *Handler) user(c *gin.Context) (store.User, error) {
	uid, err := httpx.ID(c, "id")
	if err != nil {
		return store.User{}, err
	}
	return h.Store.User(c.Request.Context(), h.Store.DB, uid)
}
