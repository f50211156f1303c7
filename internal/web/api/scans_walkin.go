package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/checkin"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// DoorWalkIn answers POST /api/v1/door/walkins: register a person at the
// door for today and admit them at once.
func (h *DoorAPI) DoorWalkIn(c *gin.Context) error {
	var req struct {
		FirstName     string `json:"first_name"`
		LastName      string `json:"last_name"`
		Email         string `json:"email"`
		Country       string `json:"country"`
		City          string `json:"city"`
		Organisation  string `json:"organisation"`
		Participation string `json:"participation"`
		Consent       bool   `json:"consent"`
		Language      string `json:"language"`
		ScanID        string `json:"scan_id"`
	}
	ev, err := h.eventBody(c, &req)
	if err != nil {
		return err
	}
	lang := req.Language
	if !h.Env.I18n.Supported(lang) {
		lang = httpx.Lang(c)
	}
	res, err := h.Checkin.RegisterWalkIn(c.Request.Context(), httpx.Principal(c), h.Notifier(), checkin.WalkIn{
		EventID: ev.ID, FirstName: req.FirstName, LastName: req.LastName, Email: req.Email, Country: req.Country,
		City: req.City, Organisation: req.Organisation, Participation: req.Participation, Consent: req.Consent,
		Language: lang, ScanID: req.ScanID,
	})
	if err != nil {
		return err
	}
	c.JSON(http.StatusCreated, res)
	return nil
}
