package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// RegistrationsAPI serves the public registration API.
type RegistrationsAPI struct {
	Env    *httpx.Env
	Reg    *registration.Service
	Limits *ratelimit.Limiter
}

// registrationRequest is the JSON body of POST /api/v1/events/{slug}/registrations.
type registrationRequest struct {
	FirstName             string    `json:"first_name"`
	LastName              string    `json:"last_name"`
	Email                 string    `json:"email"`
	Phone                 string    `json:"phone"`
	Country               string    `json:"country"`
	City                  string    `json:"city"`
	Organisation          string    `json:"organisation"`
	Participation         string    `json:"participation"`
	Partner               string    `json:"partner"`
	Days                  *[]string `json:"days"`
	Language              string    `json:"language"`
	PrivacyNoticeAccepted bool      `json:"privacy_notice_accepted"`
	Needs                 string    `json:"needs"`
	AgeBand               string    `json:"age_band"`
	Gender                string    `json:"gender"`
	StatisticsConsent     bool      `json:"statistics_consent"`
	PhotoConsent          bool      `json:"photo_consent"`
	// Answers to the event's own questions: key -> value.
	Answers map[string]answerValues `json:"answers"`
}

// input is the request as the registration use case takes it: without days
// (absent or null) every day, with [] none.
func (r registrationRequest) input() registration.Input {
	in := registration.Input{
		FirstName: r.FirstName, LastName: r.LastName, Email: r.Email, Phone: r.Phone,
		Country: r.Country, City: r.City, Organisation: r.Organisation,
		Participation: r.Participation, Partner: r.Partner, Language: r.Language,
		PrivacyAccepted: r.PrivacyNoticeAccepted, NeedsAccess: r.Needs,
		StatsConsent: r.StatisticsConsent, AgeBand: r.AgeBand, Gender: r.Gender,
		PhotoConsent: r.PhotoConsent, Answers: answersInput(r.Answers),
	}
	if r.Days != nil {
		in.Days = *r.Days
		if in.Days == nil {
			in.Days = []string{}
		}
	}
	return in
}

// registrationResponse carries no id: the answer for an address already
// registered must not differ from the one for a new address.
type registrationResponse struct {
	Status string `json:"status"`
}

// Create answers POST /api/v1/events/:slug/registrations: 202 "pending
// confirmation" (the same for a new and a known address; the person reads the
// rest in their e-mail), 422 with field messages, 409 when registration is closed.
func (h *RegistrationsAPI) Create(c *gin.Context) error {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		h.fail(c, http.StatusUnsupportedMediaType, "unsupported_media_type", "api.error.content_type")
		return nil
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return apperr.ErrTooLarge
		}
		return &apperr.Invalid{}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var req registrationRequest
	if err := dec.Decode(&req); err != nil || dec.More() {
		h.fail(c, http.StatusBadRequest, "malformed_json", "api.error.malformed")
		return nil
	}
	in := req.input()
	in.Source = "api"
	if err := h.Limits.Allow(c.Request.Context(), ratelimit.RegisterPerIP, strings.TrimSpace(c.ClientIP())); err != nil {
		return err
	}
	if in.Email != "" {
		if err := h.Limits.Allow(c.Request.Context(), ratelimit.RegisterPerEmail, in.Email); err != nil {
			return err
		}
	}
	res, err := h.Reg.Register(c.Request.Context(), c.Param("slug"), in, httpx.Lang(c))
	if errors.Is(err, apperr.ErrClosed) {
		h.fail(c, http.StatusConflict, "closed", "event.registration_closed")
		return nil
	}
	if err != nil {
		return err
	}
	c.JSON(http.StatusAccepted, registrationResponse{Status: string(res.Status)})
	return nil
}

// fail answers with the API's error shape and a message of its own (the
// content type, the JSON, a closed registration), which the one error mapping
// does not give; the handler then returns nil.
func (h *RegistrationsAPI) fail(c *gin.Context, status int, code, key string) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	c.AbortWithStatusJSON(status, httpx.APIError{Error: httpx.APIErrorBody{Code: code, Message: l.T(key), RequestID: httpx.RequestID(c)}})
}
