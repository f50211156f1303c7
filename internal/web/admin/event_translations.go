package admin

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// EventTranslations shows an event's texts in every language, the missing
// ones marked, to fill and save at once.
func (h *Handler) EventTranslations(c *gin.Context) error {
	e, err := h.event(c)
	if err != nil {
		return err
	}
	return h.eventTranslations(c, http.StatusOK, e, nil, newForm(nil).done(c))
}

func (h *Handler) eventTranslations(c *gin.Context, status int, e store.Event, posted setup.TextsInput, f *form) error {
	l := h.l(c)
	d := buildTranslations(l, eventTransFields(h, c, e), posted)
	d.Heading = l.T("translations.event_heading", "event", e.Title.In(l.Lang))
	d.Action = "/admin/events/" + e.Slug + "/translations"
	d.Back = "/admin/events/" + e.Slug
	return h.renderTranslations(c, status, d, f)
}

func eventTransFields(h *Handler, c *gin.Context, e store.Event) []transField {
	l := h.l(c)
	f := setup.EventTextFields
	return []transField{
		{TextField: f[0], Label: l.T("translations.field.title"), Texts: e.Title},
		{TextField: f[1], Label: l.T("translations.field.description"), Texts: e.Description},
		{TextField: f[2], Label: l.T("translations.field.venue"), Texts: e.VenueTexts, Default: e.Venue},
		{TextField: f[3], Label: l.T("translations.field.address"), Texts: e.AddressTexts, Default: e.Address},
	}
}
