package partner

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// rows is how many member rows the form offers (blank rows are ignored; more
// people are added by submitting another delegation).
const rows = 12

type memberRow struct {
	Index  int
	Member registration.Member
	Errors map[string]string
	// Questions are the event's own questions for this person.
	Questions []view.QuestionField
}

// rowPrefix goes before the names of a row's question inputs; the use case
// keys a row's problems the same way.
func rowPrefix(i int) string { return fmt.Sprintf("members.%d.", i) }

type formData struct {
	Event        view.EventView
	Days         []view.DayView
	Partner      *store.Partner
	Partners     []store.Partner // choice for coordinators and admins
	PartnerSlug  string
	Rows         []memberRow
	Privacy      bool
	Notice       store.PrivacyNotice
	Errors       map[string]string
	ErrorList    []view.FieldError
	CoordinatorE string
	questions    []store.Question
}

// DelegationForm shows the delegation form for an event.
func (h *Handler) DelegationForm(c *gin.Context) error {
	d, err := h.form(c)
	if err != nil {
		return err
	}
	h.render(c, http.StatusOK, d)
	return nil
}

// DelegationSubmit registers the delegation in one transaction and shows it.
func (h *Handler) DelegationSubmit(c *gin.Context) error {
	d, err := h.form(c)
	if err != nil {
		return err
	}
	if err := httpx.ParseForm(c); err != nil {
		return err
	}
	f := c.Request.PostForm
	in := registration.DelegationInput{
		EventSlug: c.Param("slug"), Partner: f.Get("partner"), PrivacyInformed: f.Get("privacy_informed") != "",
		Language: httpx.Lang(c),
	}
	for i := range rows {
		k := func(name string) string { return f.Get(fmt.Sprintf("m%d_%s", i, name)) }
		m := registration.Member{
			FirstName: k("first_name"), LastName: k("last_name"), Email: k("email"), Phone: k("phone"),
			Country: k("country"), City: k("city"), Organisation: k("organisation"), Needs: k("needs"),
		}
		if days, ok := f[fmt.Sprintf("m%d_days", i)]; ok {
			m.Days = days
		}
		m.Answers = view.AnswersFromForm(f, d.questions, rowPrefix(i))
		in.Members = append(in.Members, m)
	}
	del, err := h.Reg.RegisterDelegation(c.Request.Context(), principal(c), in)
	if inv, bad := apperr.AsInvalid(err); bad && len(inv.Fields) > 0 {
		l := h.Env.I18n.Localizer(httpx.Lang(c))
		d.PartnerSlug, d.Privacy = in.Partner, in.PrivacyInformed
		for i := range d.Rows {
			d.Rows[i].Member = in.Members[i]
			d.Rows[i].Questions = view.QuestionFields(l, d.questions, rowPrefix(i), in.Members[i].Answers, inv)
		}
		for field, key := range inv.Fields {
			msg := l.T(key)
			if rest, ok := strings.CutPrefix(field, "members."); ok {
				var row int
				var name string
				if _, err := fmt.Sscanf(strings.Replace(rest, ".", " ", 1), "%d %s", &row, &name); err == nil && row < len(d.Rows) {
					d.Rows[row].Errors[name] = msg
				}
				continue
			}
			d.Errors[field] = msg
		}
		// The summary, in row order.
		for _, name := range []string{"partner", "privacy_informed", "members"} {
			if msg, ok := d.Errors[name]; ok {
				d.ErrorList = append(d.ErrorList, view.FieldError{Field: name, ID: "d-" + name, Label: l.T("partner.field." + name), Message: msg})
			}
		}
		for _, r := range d.Rows {
			for _, name := range []string{"first_name", "last_name", "email", "phone", "country", "city", "organisation", "needs", "days"} {
				if msg, ok := r.Errors[name]; ok {
					d.ErrorList = append(d.ErrorList, view.FieldError{
						Field: name, ID: fmt.Sprintf("m%d-%s", r.Index, name),
						Label: l.T("partner.person", "position", r.Index+1) + ", " + l.T("partner.col."+name), Message: msg})
				}
			}
			for _, fe := range view.QuestionErrors(r.Questions) {
				fe.Label = l.T("partner.person", "position", r.Index+1) + ", " + fe.Label
				d.ErrorList = append(d.ErrorList, fe)
			}
		}
		h.render(c, http.StatusUnprocessableEntity, d)
		return nil
	}
	if err != nil {
		return err
	}
	c.Redirect(http.StatusSeeOther, fmt.Sprintf("/partner/delegations/%d?done=1", del.ID))
	return nil
}

// form prepares the empty form for the :slug event.
func (h *Handler) form(c *gin.Context) (formData, error) {
	p := principal(c)
	partnerID, err := scope(p)
	if err != nil {
		return formData{}, err
	}
	e, err := h.Env.Objects.Event(c, auth.Delegate, c.Param("slug"))
	if err != nil {
		return formData{}, err
	}
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	d := formData{Event: view.NewEventView(e, l, h.Now()), Errors: map[string]string{}, CoordinatorE: p.Email}
	partners, err := h.Store.Partners(c.Request.Context(), h.Store.DB, e.ProjectID)
	if err != nil {
		return d, err
	}
	if partnerID != 0 {
		for i := range partners {
			if partners[i].ID == partnerID {
				d.Partner = &partners[i]
			}
		}
		if d.Partner == nil {
			return d, apperr.ErrForbidden
		}
	} else {
		d.Partners = partners
	}
	days, err := h.Store.EventDays(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return d, err
	}
	for _, day := range days {
		d.Days = append(d.Days, view.DayView{Value: day.Day.Format("2006-01-02"), Label: l.Date(day.Day), Checked: true})
	}
	if d.Notice, err = h.Store.CurrentPrivacyNotice(c.Request.Context(), h.Store.DB, e.ProjectID, lang); err != nil && !errors.Is(err, store.ErrNotFound) {
		return d, err
	}
	if d.questions, err = h.Store.Questions(c.Request.Context(), h.Store.DB, e.ID); err != nil {
		return d, err
	}
	for i := range rows {
		d.Rows = append(d.Rows, memberRow{Index: i, Errors: map[string]string{},
			Questions: view.QuestionFields(l, d.questions, rowPrefix(i), nil, nil)})
	}
	return d, nil
}

func (h *Handler) render(c *gin.Context, status int, d formData) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	if !d.Event.Open && status == http.StatusOK {
		status = http.StatusConflict
	}
	h.Env.HTML(c, status, "partner/delegation_form.html", h.Env.NewPage(c, l.T("partner.new_title", "event", d.Event.TitleText), d))
}
