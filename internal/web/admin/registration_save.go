package admin

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationSave changes a person's details (their consents and language stay).
func (h *Handler) RegistrationSave(c *gin.Context) error {
	r, e, err := h.registration(c)
	if err != nil {
		return err
	}
	answers, err := h.postedAnswers(c, e)
	if err != nil {
		return err
	}
	partner := ""
	if pid, err := parseOptionalID(c.PostForm("partner")); err == nil && pid != nil {
		if pt, err := h.Store.Partner(c.Request.Context(), h.Store.DB, *pid); err == nil && pt.ProjectID == e.ProjectID {
			partner = pt.Slug
		}
	}
	in := registration.Input{
		FirstName: c.PostForm("first_name"), LastName: c.PostForm("last_name"), Phone: c.PostForm("phone"),
		Country: c.PostForm("country"), City: c.PostForm("city"), Organisation: c.PostForm("organisation"),
		Participation: c.PostForm("participation"), Partner: partner,
		NeedsAccess: c.PostForm("needs_access"), NeedsDiet: c.PostForm("needs_diet"),
		Language: r.Language, PrivacyAccepted: r.PrivacyAcceptedAt != nil,
		StatsConsent: r.AgeBand != "" || r.Gender != "", AgeBand: r.AgeBand, Gender: r.Gender,
		PhotoConsent: r.PhotoConsent, Source: r.Source, Answers: answers,
	}
	if r.Email != nil {
		in.Email = *r.Email
	}
	_, err = h.Registrations.UpdateDetails(c.Request.Context(), r.ID, in, httpx.Principal(c))
	return finish(c, err, regURL(r)+"?done=saved", func(f *form) error {
		show := r
		show.FirstName, show.LastName, show.Phone, show.Country = in.FirstName, in.LastName, in.Phone, in.Country
		show.City, show.Organisation, show.Participation = in.City, in.Organisation, store.Participation(in.Participation)
		show.NeedsAccess, show.NeedsDiet = in.NeedsAccess, in.NeedsDiet
		return h.registrationPage(c, http.StatusUnprocessableEntity, show, e, f, answers)
	})
}

func regURL(r store.Registration) string {
	return "/admin/registrations/" + strconv.FormatInt(r.ID, 10)
}
