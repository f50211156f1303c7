package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// registrationPatch is the body of PATCH /api/v1/registrations/{id}: the
// fields sent change, the others stay. partner "" clears it.
type registrationPatch struct {
	FirstName     *string   `json:"first_name"`
	LastName      *string   `json:"last_name"`
	Phone         *string   `json:"phone"`
	Organisation  *string   `json:"organisation"`
	City          *string   `json:"city"`
	Country       *string   `json:"country"`
	Participation *string   `json:"participation"`
	Partner       *string   `json:"partner"`
	Language      *string   `json:"language"`
	Days          *[]string `json:"days"`
	// Answers change the questions they name; the others keep theirs.
	Answers map[string]answerValues `json:"answers"`
}

// RegistrationUpdate answers PATCH /api/v1/registrations/{id}: the details
// and days change as on the registration screen (same validation, one
// transaction, the person gets the re-issued ticket); 409 for a cancelled or
// anonymised registration.
func (h *StaffRegistrationsAPI) RegistrationUpdate(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	r, _, err := h.Env.Objects.Registration(c, auth.Manage, id)
	if err != nil {
		return err
	}
	var p registrationPatch
	if err := decodeJSON(c, &p); err != nil {
		return err
	}
	var ch registration.StaffChange
	if p.Days != nil {
		ch.Days = *p.Days
		if ch.Days == nil {
			ch.Days = []string{}
		}
	}
	if p.FirstName != nil || p.LastName != nil || p.Phone != nil || p.Organisation != nil || p.City != nil ||
		p.Country != nil || p.Participation != nil || p.Partner != nil || p.Language != nil || p.Answers != nil {
		partner := ""
		if r.PartnerID != nil {
			pt, err := h.Store.Partner(c.Request.Context(), h.Store.DB, *r.PartnerID)
			if err != nil {
				return err
			}
			partner = pt.Slug
		}
		in := registration.Input{
			FirstName: r.FirstName, LastName: r.LastName, Phone: r.Phone, Country: r.Country, City: r.City,
			Organisation: r.Organisation, Participation: string(r.Participation), Partner: partner,
			NeedsAccess: r.NeedsAccess, NeedsDiet: r.NeedsDiet, Language: r.Language,
			PrivacyAccepted: r.PrivacyAcceptedAt != nil, StatsConsent: r.AgeBand != "" || r.Gender != "",
			AgeBand: r.AgeBand, Gender: r.Gender, PhotoConsent: r.PhotoConsent, Source: r.Source,
		}
		for _, f := range []struct {
			from *string
			to   *string
		}{
			{p.FirstName, &in.FirstName}, {p.LastName, &in.LastName}, {p.Phone, &in.Phone},
			{p.Organisation, &in.Organisation}, {p.City, &in.City}, {p.Country, &in.Country},
			{p.Participation, &in.Participation}, {p.Partner, &in.Partner}, {p.Language, &in.Language},
		} {
			if f.from != nil {
				*f.to = *f.from
			}
		}
		if p.Language != nil && *p.Language == "" {
			in.Language = "-" // an empty language is refused, not replaced by the caller's
		}
		if r.Email != nil {
			in.Email = *r.Email
		}
		in.Answers, in.PartialAnswers = answersInput(p.Answers), true
		ch.Details = &in
	}
	if _, err := h.Reg.ChangeByStaff(c.Request.Context(), id, ch, httpx.Principal(c)); err != nil {
		return err
	}
	it, err := h.item(c, id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, it)
	return nil
}
