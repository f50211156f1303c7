package api

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// StaffRegistrationsAPI serves the registrations API for staff (report or
// admin scope tokens of coordinators and administrators, or their sessions):
// list, read, change and cancel registrations, and register people on their
// behalf. Every object is loaded through Env.Objects, so a coordinator limited
// to a project finds nothing of another's.
type StaffRegistrationsAPI struct {
	Env   *httpx.Env
	Store *store.Store
	Reg   *registration.Service
}

// registrationItem is a registration as the API gives it.
type registrationItem struct {
	ID            int64      `json:"id"`
	Event         string     `json:"event"`
	Status        string     `json:"status"`
	FirstName     string     `json:"first_name"`
	LastName      string     `json:"last_name"`
	Email         *string    `json:"email"`
	Phone         string     `json:"phone"`
	Organisation  string     `json:"organisation"`
	City          string     `json:"city"`
	Country       string     `json:"country"`
	Participation string     `json:"participation"`
	Partner       *string    `json:"partner"`
	Language      string     `json:"language"`
	Days          []string   `json:"days"`
	AttendedDays  []string   `json:"attended_days"`
	Source        string     `json:"source"`
	CreatedAt     time.Time  `json:"created_at"`
	ConfirmedAt   *time.Time `json:"confirmed_at"`
	CancelledAt   *time.Time `json:"cancelled_at"`
	Anonymised    bool       `json:"anonymised"`
	Erased        bool       `json:"erased"`
}

func newRegistrationItem(r store.RegistrationItem) registrationItem {
	days, attended := []string(r.Days), []string(r.AttendedDays)
	if days == nil {
		days = []string{}
	}
	if attended == nil {
		attended = []string{}
	}
	return registrationItem{
		ID: r.ID, Event: r.EventSlug, Status: string(r.Status), FirstName: r.FirstName, LastName: r.LastName,
		Email: r.Email, Phone: r.Phone, Organisation: r.Organisation, City: r.City, Country: r.Country,
		Participation: string(r.Participation), Partner: r.PartnerSlug, Language: r.Language,
		Days: days, AttendedDays: attended, Source: r.Source, CreatedAt: r.CreatedAt,
		ConfirmedAt: r.ConfirmedAt, CancelledAt: r.CancelledAt,
		Anonymised: r.AnonymisedAt != nil, Erased: r.ErasedAt != nil,
	}
}

// item reads one registration as the API gives it.
func (h *StaffRegistrationsAPI) item(c *gin.Context, id int64) (registrationItem, error) {
	r, err := h.Store.RegistrationItem(c.Request.Context(), h.Store.DB, id)
	if err != nil {
		return registrationItem{}, err
	}
	return newRegistrationItem(r), nil
}

// Cursors are opaque to clients: the last id of a page, base64url-encoded
// with a prefix so that a stray number is not taken for one.
const cursorPrefix = "r1:"

func encodeCursor(id int64) string {
	return base64.RawURLEncoding.EncodeToString([]byte(cursorPrefix + strconv.FormatInt(id, 10)))
}

func decodeCursor(s string) (int64, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || !strings.HasPrefix(string(b), cursorPrefix) {
		return 0, false
	}
	n, err := strconv.ParseInt(strings.TrimPrefix(string(b), cursorPrefix), 10, 64)
	return n, err == nil && n > 0
}

// decodeJSON reads a JSON request body into v: another content type is 415,
// anything but one JSON object with known fields is 400.
func decodeJSON(c *gin.Context, v any) error {
	mt, _, err := mime.ParseMediaType(c.GetHeader("Content-Type"))
	if err != nil || mt != "application/json" {
		return apperr.ErrUnsupportedMedia
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
	if err := dec.Decode(v); err != nil || dec.More() {
		return &apperr.Invalid{}
	}
	return nil
}

// failAlreadyRegistered answers 409 for an address the event already has,
// naming the registration (staff may see who is registered).
func (h *StaffRegistrationsAPI) failAlreadyRegistered(c *gin.Context, id int64) {
	l := h.Env.I18n.Localizer(httpx.Lang(c))
	msg := l.T("admin.api.already_registered", "id", id)
	c.AbortWithStatusJSON(http.StatusConflict, httpx.APIError{Error: httpx.APIErrorBody{Code: "already_registered",
		Message: msg, Fields: map[string]string{"email": msg}, RequestID: httpx.RequestID(c)}})
}
