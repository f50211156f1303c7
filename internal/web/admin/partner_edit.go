package admin

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

type partnerForm struct {
	Partner store.Partner
	Input   setup.PartnerInput
	Cities  []cityField
}

// cityField is one of the town's names on the partner form.
type cityField struct {
	Key, Lang, Value string
	Genitive         bool
}

// cityFields are the town's names to show: what was posted, else what is
// saved.
func cityFields(p store.Partner, in setup.PartnerInput) []cityField {
	var out []cityField
	for _, k := range cityTextKeys() {
		v, posted := in.CityTexts[k]
		if !posted {
			v = p.CityTexts[k]
		}
		lang, gen := strings.CutSuffix(k, "-gen")
		out = append(out, cityField{Key: k, Lang: lang, Value: v, Genitive: gen})
	}
	return out
}

// partner loads the partner of the :id parameter; the caller must be one
// who may manage the partner's project.
func (h *Handler) partner(c *gin.Context) (store.Partner, error) {
	pid, err := httpx.ID(c, "id")
	if err != nil {
		return store.Partner{}, err
	}
	p, err := h.Store.Partner(c.Request.Context(), h.Store.DB, pid)
	if err != nil {
		return p, err
	}
	return p, httpx.Principal(c).Check(auth.Manage, auth.ProjectObject(p.ProjectID), h.Now())
}

// PartnerEdit shows a partner's form.
func (h *Handler) PartnerEdit(c *gin.Context) error {
	p, err := h.partner(c)
	if err != nil {
		return err
	}
	in := setup.PartnerInput{Slug: p.Slug, Organisation: p.Organisation, City: p.City, Country: p.Country,
		Position: strconv.Itoa(p.Position)}
	h.render(c, http.StatusOK, "partner", "admin.partner.title", newForm(partnerForm{Partner: p, Input: in, Cities: cityFields(p, in)}))
	return nil
}
