// Package public serves the pages anyone may open: the home page, event pages,
// registration and the private self-service pages.
package public

import (
	"time"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/ratelimit"
	"github.com/decode-attend/attend/internal/registration"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/httpx"
)

// Handler holds what public pages need.
type Handler struct {
	Env   *httpx.Env
	Store *store.Store
	Now   func() time.Time
	// Reg and Limits serve registration and self-service; the router sets them.
	Reg    *registration.Service
	Limits *ratelimit.Limiter
}

// EventView is an event prepared for a page in one language.
type EventView struct {
	store.Event
	TitleText       string
	DescriptionText string
	CountryName     string
	Dates           string
	Status          string // past | ongoing | upcoming
	Open            bool
	PlacesLeft      *int
	DayCount        int
}

// NewEventView localizes an event for display at now.
func NewEventView(e store.Event, l *i18n.Localizer, now time.Time) EventView {
	loc := e.Location()
	local := now.In(loc)
	today := time.Date(local.Year(), local.Month(), local.Day(), 0, 0, 0, 0, time.UTC)
	status := "upcoming"
	switch {
	case today.After(e.LastDay):
		status = "past"
	case !today.Before(e.FirstDay):
		status = "ongoing"
	}
	return EventView{
		Event: e, TitleText: e.Title.In(l.Lang), DescriptionText: e.Description.In(l.Lang),
		CountryName: l.Country(e.Country), Dates: l.DateRange(e.FirstDay, e.LastDay),
		Status: status, Open: e.RegistrationOpen(now), PlacesLeft: e.PlacesLeft(),
		DayCount: int(e.LastDay.Sub(e.FirstDay).Hours()/24) + 1,
	}
}
