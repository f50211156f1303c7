package public

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
	"github.com/decode-attend/attend/internal/web/view"
)

// ManageEdit shows the registration form filled with the stored details.
func (h *Handler) ManageEdit(c *gin.Context) error {
	r, e, err := h.managed(c)
	if err != nil {
		return err
	}
	d, err := h.editForm(c, r, e)
	if err != nil {
		return err
	}
	d.Values = map[string]string{
		"first_name": r.FirstName, "last_name": r.LastName, "phone": r.Phone, "country": r.Country,
		"city": r.City, "organisation": r.Organisation, "participation": string(r.Participation),
		"needs": r.NeedsAccess, "needs_diet": r.NeedsDiet, "language": r.Language,
		"age_band": r.AgeBand, "gender": r.Gender,
	}
	if r.PartnerID != nil {
		for _, p := range d.Partners {
			if p.ID == *r.PartnerID {
				d.Values["partner"] = p.Slug
			}
		}
	}
	d.Checked["statistics_consent"] = r.AgeBand != "" || r.Gender != ""
	d.Checked["photo_consent"] = r.PhotoConsent
	as, err := h.Store.AnswersOf(c.Request.Context(), h.Store.DB, []int64{r.ID})
	if err != nil {
		return err
	}
	d.Questions = view.QuestionFields(d.lang, d.questions, "", view.AnswersByKey(d.questions, as), nil)
	h.renderEdit(c, http.StatusOK, d)
	return nil
}

// ManageEditSubmit stores changed details.
func (h *Handler) ManageEditSubmit(c *gin.Context) error {
	r, e, err := h.managedForm(c)
	if err != nil {
		return err
	}
	qs, err := h.Store.Questions(c.Request.Context(), h.Store.DB, e.ID)
	if err != nil {
		return err
	}
	_, err = h.Reg.UpdateDetails(c.Request.Context(), r.ID, formInput(c, qs), nil)
	if inv, bad := apperr.AsInvalid(err); bad && len(inv.Fields) > 0 {
		d, derr := h.editForm(c, r, e)
		if derr != nil {
			return derr
		}
		d.fill(c, h.Env.I18n.Localizer(httpx.Lang(c)), err)
		h.renderEdit(c, http.StatusUnprocessableEntity, d)
		return nil
	}
	if err != nil {
		return err
	}
	return h.backToManage(c, r, "details")
}

func (h *Handler) editForm(c *gin.Context, r store.Registration, e store.Event) (formData, error) {
	lang := httpx.Lang(c)
	d, err := h.newForm(c, e, lang)
	if err != nil {
		return d, err
	}
	base, err := h.Reg.ManagePath(c.Request.Context(), h.Store.DB, r, lang)
	if err != nil {
		return d, err
	}
	d.Edit, d.Action, d.Cancel = true, base+"/edit", base
	if r.Email != nil {
		d.EmailShown = *r.Email
	}
	return d, nil
}

func (h *Handler) renderEdit(c *gin.Context, status int, d formData) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	c.Header("Cache-Control", "no-store")
	h.Env.HTML(c, status, "public/register.html", h.Env.NewPage(c, l.T("edit.title"), d))
}
