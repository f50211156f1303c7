package admin

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// registrationFields are the form's text fields, shown again after an error.
var registrationFields = []string{"first_name", "last_name", "email", "phone", "country", "city", "organisation",
	"participation", "partner", "language", "needs", "needs_diet", "reason", "privacy_notice_accepted", "send_ticket"}

// RegistrationCreate registers a person on their behalf (confirmed at once,
// or waitlisted when full), then shows the registration with its ticket.
func (h *Handler) RegistrationCreate(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	answers, err := h.postedAnswers(c, e)
	if err != nil {
		return err
	}
	days := c.PostFormArray("days")
	if days == nil {
		days = []string{}
	}
	in := registration.Input{
		FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"), Email: c.PostForm("email"),
		Phone: c.PostForm("phone"), Country: c.PostForm("country"), City: c.PostForm("city"),
		Organisation: c.PostForm("organisation"), Participation: c.PostForm("participation"),
		Partner: c.PostForm("partner"), Language: c.PostForm("language"), Days: days,
		NeedsAccess: c.PostForm("needs"), NeedsDiet: c.PostForm("needs_diet"),
		PrivacyAccepted: c.PostForm("privacy_notice_accepted") == "1", Answers: answers,
	}
	send := c.PostForm("send_ticket") == "1"
	res, err := h.Registrations.RegisterByStaff(c.Request.Context(), httpx.Principal(c), e.Slug, in,
		c.PostForm("reason"), send)
	again := func(status int, f *form) error {
		for _, k := range registrationFields {
			f.Values[k] = c.PostForm(k)
		}
		return h.newRegistrationPage(c, status, e, f, days, answers)
	}
	var dup *registration.AlreadyRegistered
	if errors.As(err, &dup) {
		f := newForm(dup.ID)
		f.Errors["email"] = "admin.registration_new.duplicate"
		f.Message, f.Kind = "admin.form.errors", "error"
		return again(http.StatusConflict, f)
	}
	if f := newForm(nil); f.fail(err) {
		return again(http.StatusUnprocessableEntity, f)
	}
	if err != nil {
		return err
	}
	done := "added"
	if res.Emailed {
		done = "added_emailed"
	}
	redirect(c, "/admin/registrations/"+strconv.FormatInt(res.Registration.ID, 10)+"?done="+done)
	return nil
}
