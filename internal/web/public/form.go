package public

import (
	"errors"
	"slices"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/view"
)

// Option is a choice of a select list.
type Option struct {
	Value, Label string
}

// formData is the registration form (new registration or change of details).
type formData struct {
	Event      view.EventView
	Edit       bool   // changing details of an existing registration
	Action     string // form action
	Cancel     string // where "back" goes
	Values     map[string]string
	Checked    map[string]bool
	Days       []view.DayView
	Countries  []Option
	Partners   []store.Partner
	Languages  []Option
	AgeBands   []string
	Genders    []string
	Notice     store.PrivacyNotice
	Errors     map[string]string
	ErrorList  []view.FieldError
	Waiting    bool
	EmailShown string // e-mail of the registration being edited (not editable)
	// Questions are the event's own questions, after the built-in fields.
	Questions []view.QuestionField
	questions []store.Question
	lang      *i18n.Localizer
}

// formFields in page order: the error summary lists problems in this order.
var formFields = []struct{ name, id, label string }{
	{"first_name", "f-first_name", "reg.field.first_name"},
	{"last_name", "f-last_name", "reg.field.last_name"},
	{"email", "f-email", "reg.field.email"},
	{"phone", "f-phone", "reg.field.phone"},
	{"country", "f-country", "reg.field.country"},
	{"city", "f-city", "reg.field.city"},
	{"organisation", "f-organisation", "reg.field.organisation"},
	{"participation", "f-participation-local", "reg.field.participation"},
	{"partner", "f-partner", "reg.field.partner"},
	{"days", "f-day-0", "reg.field.days"},
	{"needs", "f-needs", "reg.field.needs_access"},
	{"needs_diet", "f-needs_diet", "reg.field.needs_diet"},
	{"language", "f-language", "reg.field.language"},
	{"age_band", "f-age_band", "reg.field.age_band"},
	{"gender", "f-gender", "reg.field.gender"},
	{"statistics_consent", "f-statistics_consent", "reg.section.optional"},
	{"privacy_notice_accepted", "f-privacy", "reg.section.privacy"},
}

// textFields are copied back into the form as typed.
var textFields = []string{"first_name", "last_name", "email", "phone", "country", "city", "organisation",
	"participation", "partner", "needs", "needs_diet", "language", "age_band", "gender"}

// formInput turns the posted form into use-case input.
func formInput(c *gin.Context, qs []store.Question) registration.Input {
	f := c.Request.PostForm
	in := registration.Input{
		FirstName: f.Get("first_name"), LastName: f.Get("last_name"), Email: f.Get("email"),
		Phone: f.Get("phone"), Country: f.Get("country"), City: f.Get("city"), Organisation: f.Get("organisation"),
		Participation: f.Get("participation"), Partner: f.Get("partner"), Days: f["days"],
		Language: f.Get("language"), PrivacyAccepted: f.Get("privacy_notice_accepted") != "",
		NeedsAccess: f.Get("needs"), NeedsDiet: f.Get("needs_diet"),
		StatsConsent: f.Get("statistics_consent") != "", AgeBand: f.Get("age_band"), Gender: f.Get("gender"),
		PhotoConsent: f.Get("photo_consent") != "", Website: f.Get("website"), Source: "web",
		Answers: view.AnswersFromForm(f, qs, ""),
	}
	if in.Days == nil {
		in.Days = []string{} // unticking every day is an error, not "all days"
	}
	if store.Participation(in.Participation) != store.Invited {
		in.Partner = ""
	}
	return in
}

// newForm prepares the form's choices in the visitor's language.
func (h *Handler) newForm(c *gin.Context, e store.Event, lang string) (formData, error) {
	l := h.Env.I18n.Localizer(lang)
	ed, err := h.eventData(c, e)
	if err != nil {
		return formData{}, err
	}
	partners, err := h.Store.Partners(c.Request.Context(), h.Store.DB, e.ProjectID)
	if err != nil {
		return formData{}, err
	}
	notice, err := h.Store.CurrentPrivacyNotice(c.Request.Context(), h.Store.DB, e.ProjectID, lang)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return formData{}, err
	}
	qs, err := h.Store.Questions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return formData{}, err
	}
	d := formData{
		questions: qs, lang: l, Questions: view.QuestionFields(l, qs, "", nil, nil),
		Event: ed.Event, Days: ed.Days, Partners: partners, Notice: notice, Waiting: ed.Waiting,
		Countries: countryOptions(l), AgeBands: registration.AgeBands, Genders: registration.Genders,
		Values: map[string]string{"language": lang}, Checked: map[string]bool{}, Errors: map[string]string{},
	}
	for _, code := range i18n.Languages {
		d.Languages = append(d.Languages, Option{code, i18n.Endonym(code)})
	}
	return d, nil
}

// fill copies what was typed back into the form, with the errors.
func (d *formData) fill(c *gin.Context, l *i18n.Localizer, err error) {
	f := c.Request.PostForm
	for _, k := range textFields {
		d.Values[k] = f.Get(k)
	}
	for _, k := range []string{"privacy_notice_accepted", "statistics_consent", "photo_consent"} {
		d.Checked[k] = f.Get(k) != ""
	}
	chosen := f["days"]
	for i := range d.Days {
		d.Days[i].Checked = slices.Contains(chosen, d.Days[i].Value)
	}
	inv, _ := apperr.AsInvalid(err)
	d.Questions = view.QuestionFields(l, d.questions, "", view.AnswersFromForm(f, d.questions, ""), inv)
	if inv == nil {
		return
	}
	for _, ff := range formFields {
		if k, ok := inv.Fields[ff.name]; ok {
			msg := l.T(k)
			d.Errors[ff.name] = msg
			d.ErrorList = append(d.ErrorList, view.FieldError{Field: ff.name, ID: ff.id, Label: l.T(ff.label), Message: msg})
		}
	}
	d.ErrorList = append(d.ErrorList, view.QuestionErrors(d.Questions)...)
}

// countryOptions lists every country by its name in the visitor's language,
// sorted the way that language sorts.
func countryOptions(l *i18n.Localizer) []Option {
	named := l.Countries(registration.Countries())
	out := make([]Option, len(named))
	for i, n := range named {
		out[i] = Option{n.Code, n.Name}
	}
	return out
}

func clientKey(c *gin.Context) string { return strings.TrimSpace(c.ClientIP()) }
