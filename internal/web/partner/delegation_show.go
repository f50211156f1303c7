package partner

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type memberView struct {
	store.DelegationMember
	CountryName string
	DayLabels   []string
	AllDays     bool
	ManagePath  string
}

type showData struct {
	Delegation store.Delegation
	Event      view.EventView
	Partner    store.Partner
	Members    []memberView
	Done       bool
	Confirmed  int
	Waitlisted int
	Attended   int
}

// DelegationShow lists a delegation's people with status and attendance. Each
// row links to the person's self-service page, so that the coordinator can
// change days or cancel for members without their own e-mail address.
func (h *Handler) DelegationShow(c *gin.Context) error {
	id, err := httpx.ID(c, "id")
	if err != nil {
		return err
	}
	del, e, err := h.Env.Objects.Delegation(c, auth.Delegate, id)
	if err != nil {
		return err
	}
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	pt, err := h.Store.Partner(c.Request.Context(), h.Store.DB, del.PartnerID)
	if err != nil {
		return err
	}
	ms, err := h.Store.DelegationMembers(c.Request.Context(), h.Store.DB, del.ID)
	if err != nil {
		return err
	}
	d := showData{Delegation: del, Event: view.NewEventView(e, l, h.Now()), Partner: pt, Done: c.Query("done") != ""}
	for _, m := range ms {
		v := memberView{DelegationMember: m, CountryName: l.Country(m.Country)}
		days, err := h.Store.RegistrationDays(c.Request.Context(), h.Store.DB, m.ID)
		if err != nil {
			return err
		}
		for _, day := range days {
			v.DayLabels = append(v.DayLabels, l.Date(day))
		}
		v.AllDays = len(days) == len(e.Days())
		if v.ManagePath, err = h.Reg.ManagePath(c.Request.Context(), h.Store.DB, m.Registration, lang); err != nil {
			return err
		}
		switch m.Status {
		case store.StatusConfirmed:
			d.Confirmed++
		case store.StatusWaitlisted:
			d.Waitlisted++
		}
		if m.AdmittedDays > 0 {
			d.Attended++
		}
		d.Members = append(d.Members, v)
	}
	// The list shows personal data of several people: record who looked.
	if err := audit.Log(c.Request.Context(), h.Store, h.Store.DB, audit.Entry{Actor: principal(c), Action: "delegation.view", ObjectType: "delegation",
		ObjectID: del.ID, IP: c.ClientIP(), Details: map[string]any{"members": len(ms)}}); err != nil {
		return err
	}
	h.Env.HTML(c, http.StatusOK, "partner/delegation.html", h.Env.NewPage(c, l.T("partner.delegation_title", "event", d.Event.TitleText), d))
	return nil
}
