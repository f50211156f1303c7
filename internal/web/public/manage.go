package public

import (
	"net/http"
	"slices"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

type manageData struct {
	Event       view.EventView
	Reg         store.Registration
	Days        []view.DayView
	DayLabels   []string
	Base        string // the private link's path
	Position    int
	CountryName string
	PartnerName string
	Errors      map[string]string
	ErrorList   []view.FieldError
	Done        string // what was just changed: days | details
	CanChange   bool
	// Certificate offers the attendance certificate (after the event, to
	// those who attended).
	Certificate bool
}

// managed verifies the private link of the request; a wrong link is a 404
// that says nothing about whether the registration exists.
func (h *Handler) managed(c *gin.Context) (store.Registration, store.Event, error) {
	r, err := privateLink(c, h.Reg)
	if err != nil {
		return r, store.Event{}, err
	}
	e, err := h.Store.Event(c.Request.Context(), h.Store.DB, r.EventID)
	if err != nil {
		return r, e, err
	}
	c.Header("Cache-Control", "no-store")
	return r, e, nil
}

// managedForm is managed for the forms the self-service page posts: the link
// verified, then the posted form read.
func (h *Handler) managedForm(c *gin.Context) (store.Registration, store.Event, error) {
	r, e, err := h.managed(c)
	if err != nil {
		return r, e, err
	}
	return r, e, httpx.ParseForm(c)
}

func (h *Handler) manageData(c *gin.Context, r store.Registration, e store.Event) (manageData, error) {
	lang := httpx.Lang(c)
	l := h.Env.I18n.Localizer(lang)
	ed, err := h.eventData(c, e)
	if err != nil {
		return manageData{}, err
	}
	d := manageData{Event: ed.Event, Reg: r, Days: ed.Days, CountryName: l.Country(r.Country),
		Errors: map[string]string{}, Done: c.Query("done")}
	d.CanChange = r.Status != store.StatusCancelled && ed.Event.Status != "past"
	days, err := h.Store.RegistrationDays(c.Request.Context(), h.Store.DB, r.ID)
	if err != nil {
		return d, err
	}
	var chosen []string
	for _, day := range days {
		chosen = append(chosen, day.Format("2006-01-02"))
		d.DayLabels = append(d.DayLabels, l.Date(day))
	}
	for i := range d.Days {
		d.Days[i].Checked = slices.Contains(chosen, d.Days[i].Value)
	}
	if d.Base, err = h.Reg.ManagePath(c.Request.Context(), h.Store.DB, r, lang); err != nil {
		return d, err
	}
	if d.Position, err = h.Store.WaitlistPosition(c.Request.Context(), h.Store.DB, r); err != nil {
		return d, err
	}
	if r.Status == store.StatusConfirmed && ed.Event.Status == "past" {
		attended, err := h.Store.AttendedDays(c.Request.Context(), h.Store.DB, r.ID)
		if err != nil {
			return d, err
		}
		d.Certificate = len(attended) > 0
	}
	if r.PartnerID != nil {
		if p, err := h.Store.Partner(c.Request.Context(), h.Store.DB, *r.PartnerID); err == nil {
			d.PartnerName = l.PickOr(p.OrganisationTexts, p.Organisation).Marked() + " (" + p.CityIn(l.Lang) + ")"
		}
	}
	return d, nil
}

// Manage is the private self-service page: status, ticket, days, details,
// calendar, cancellation.
func (h *Handler) Manage(c *gin.Context) error {
	d, err := h.managePage(c)
	if err != nil {
		return err
	}
	h.renderManage(c, http.StatusOK, d)
	return nil
}

// managePage verifies the private link and prepares the self-service page.
func (h *Handler) managePage(c *gin.Context) (manageData, error) {
	r, e, err := h.managed(c)
	if err != nil {
		return manageData{}, err
	}
	return h.manageData(c, r, e)
}

func (h *Handler) renderManage(c *gin.Context, status int, d manageData) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	h.Env.HTML(c, status, "public/manage.html", h.Env.NewPage(c, l.T("manage.title"), d))
}

// ManageDays changes the days of the registration.
func (h *Handler) ManageDays(c *gin.Context) error {
	r, e, err := h.managedForm(c)
	if err != nil {
		return err
	}
	days := c.Request.PostForm["days"]
	if days == nil {
		days = []string{}
	}
	_, err = h.Reg.ChangeDays(c.Request.Context(), r.ID, days, nil)
	if inv, bad := apperr.AsInvalid(err); bad && len(inv.Fields) > 0 {
		d, derr := h.manageData(c, r, e)
		if derr != nil {
			return derr
		}
		l := h.Env.I18n.Localizer(httpx.Lang(c))
		for i := range d.Days {
			d.Days[i].Checked = slices.Contains(days, d.Days[i].Value)
		}
		msg := l.T(inv.Fields["days"])
		d.Errors["days"] = msg
		d.ErrorList = []view.FieldError{{Field: "days", ID: "m-day-0", Label: l.T("reg.field.days"), Message: msg}}
		h.renderManage(c, http.StatusUnprocessableEntity, d)
		return nil
	}
	if err != nil {
		return err
	}
	return h.backToManage(c, r, "days")
}

func (h *Handler) backToManage(c *gin.Context, r store.Registration, done string) error {
	p, err := h.Reg.ManagePath(c.Request.Context(), h.Store.DB, r, httpx.Lang(c))
	if err != nil {
		return err
	}
	if done != "" {
		p += "?done=" + done
	}
	c.Redirect(http.StatusSeeOther, p)
	return nil
}
