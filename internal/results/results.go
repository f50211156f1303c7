// Package results publishes an event's results page: the report's
// publishable paragraph, place, dates, short description and the counts by
// country, with nothing personal. A coordinator publishes it (never the
// system); the date it went public is recorded and shown on the report.
package results

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/decode-attend/attend/internal/apperr"
	"github.com/decode-attend/attend/internal/audit"
	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/report"
	"github.com/decode-attend/attend/internal/store"
)

// Service publishes and reads results pages.
type Service struct {
	Store   *store.Store
	Reports *report.Service
	I18n    *i18n.Bundle
	Now     func() time.Time
}

// New returns the service.
func New(st *store.Store, r *report.Service, b *i18n.Bundle, now func() time.Time) *Service {
	return &Service{Store: st, Reports: r, I18n: b, Now: now}
}

// textKey is a key of the publishable text's template; a language has the
// text when its catalogue has the template itself (not the fallback's).
const textKey = "report.pub.description_label"

// Languages are the languages the publishable text exists in.
func (s *Service) Languages() []string {
	var out []string
	for _, l := range i18n.Languages {
		if _, ok := s.I18n.Keys(l)[textKey]; ok {
			out = append(out, l)
		}
	}
	return out
}

// Publish makes the event's results page public (audited); publishing a
// public page again changes nothing.
func (s *Service) Publish(ctx context.Context, actor *auth.Principal, e store.Event, ip string) error {
	return s.set(ctx, actor, e, ip, true)
}

// Unpublish takes the page down (audited).
func (s *Service) Unpublish(ctx context.Context, actor *auth.Principal, e store.Event, ip string) error {
	return s.set(ctx, actor, e, ip, false)
}

func (s *Service) set(ctx context.Context, actor *auth.Principal, e store.Event, ip string, publish bool) error {
	if actor != nil {
		if err := actor.Check(auth.Manage, auth.EventObject(e), s.Now()); err != nil {
			return err
		}
	}
	action := "results.unpublish"
	if publish {
		action = "results.publish"
	}
	return s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		if publish {
			var by *int64
			if actor != nil && actor.UserID != 0 {
				id := actor.UserID
				by = &id
			}
			err = s.Store.PublishResults(ctx, tx, e.ID, by)
		} else {
			err = s.Store.UnpublishResults(ctx, tx, e.ID)
		}
		if err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: actor, ActorLabel: "cli", Action: action,
			ObjectType: "event", ObjectID: e.ID, IP: ip})
	})
}

// Country is one row of the counts by country.
type Country struct {
	Code, Name string
	Attended   int
}

// Page is what the public results page shows.
type Page struct {
	Event       store.Event
	Title       string
	Description string
	Place       string
	// TitleShown and VenueShown are picked for the reader, marked when in
	// another language; PlaceRest is the city and country after the venue.
	TitleShown  i18n.Shown
	VenueShown  i18n.Shown
	PlaceRest   string
	Dates       string
	Text        report.Text
	Paragraphs  []string // Text.Plain, one per line
	Total       int
	Countries   []Country
	PublishedAt time.Time
	Languages   []string
}

// EventPage builds the results page of a published event in lang;
// ErrNotFound when it is not published or the text does not exist in lang.
func (s *Service) EventPage(ctx context.Context, slug, lang string) (Page, error) {
	langs := s.Languages()
	if !slices.Contains(langs, lang) {
		return Page{}, apperr.ErrNotFound
	}
	e, err := s.Store.EventBySlug(ctx, s.Store.DB, slug)
	if err != nil {
		return Page{}, err
	}
	at, err := s.Store.ResultsPublishedAt(ctx, s.Store.DB, e.ID)
	if err != nil {
		return Page{}, err
	}
	if at == nil {
		return Page{}, apperr.ErrNotFound
	}
	rep, err := s.Reports.Event(ctx, slug, report.Options{})
	if err != nil {
		return Page{}, err
	}
	l := s.I18n.Localizer(lang)
	p := Page{Event: e, Title: e.Title.In(lang), TitleShown: l.Pick(e.Title), VenueShown: l.PickOr(e.VenueTexts, e.Venue), Description: e.Description.In(lang), Dates: l.DateRange(e.FirstDay, e.LastDay),
		Text: report.Publishable(l, rep), Total: rep.Attended, PublishedAt: *at, Languages: langs}
	for _, line := range strings.Split(p.Text.Plain, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Paragraphs = append(p.Paragraphs, line)
		}
	}
	p.PlaceRest = e.City + ", " + l.Country(e.Country)
	p.Place = p.PlaceRest
	if p.VenueShown.Text != "" {
		p.Place = p.VenueShown.Text + ", " + p.Place
	}
	for _, c := range rep.ByCountry {
		p.Countries = append(p.Countries, Country{Code: c.Country, Name: l.Country(c.Country), Attended: c.Attended})
	}
	return p, nil
}

// ProjectPage lists the project's published results pages.
type ProjectPage struct {
	Project store.Project
	Title   string
	// TitleShown is the project's title picked for the reader, marked when
	// in another language.
	TitleShown i18n.Shown
	Events     []store.Event
}

// Project lists a project's published events; ErrNotFound for an unknown
// project or a language without the text.
func (s *Service) Project(ctx context.Context, code, lang string) (ProjectPage, error) {
	if !slices.Contains(s.Languages(), lang) {
		return ProjectPage{}, apperr.ErrNotFound
	}
	p, err := s.Store.ProjectByCode(ctx, s.Store.DB, code)
	if err != nil {
		return ProjectPage{}, err
	}
	es, err := s.Store.PublishedResultEvents(ctx, s.Store.DB, p.ID)
	if err != nil {
		return ProjectPage{}, err
	}
	title := p.Title.In(lang)
	if p.Acronym != "" {
		title = p.Acronym + " - " + title
	}
	shown := s.I18n.Localizer(lang).Pick(p.Title)
	if p.Acronym != "" {
		shown.Text = p.Acronym + " - " + shown.Text
	}
	return ProjectPage{Project: p, Title: title, TitleShown: shown, Events: es}, nil
}
