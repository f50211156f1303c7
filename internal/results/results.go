// Package results publishes an event's results page: the report's
// publishable paragraph, place, dates, short description and the counts by
// country, with nothing personal. A coordinator publishes it (never the
// system); the date it went public is recorded and shown on the report.
package results

import (
	"context"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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

// Languages are the languages the publishable text exists in.
func (s *Service) Languages() []string { return report.TextLanguages(s.I18n) }

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
	// Share is Attended as a percentage of the largest country's, the
	// length of its bar.
	Share int
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
	city := e.City
	if e.HostPartnerID != nil {
		host, err := s.Store.Partner(ctx, s.Store.DB, *e.HostPartnerID)
		if err != nil {
			return Page{}, err
		}
		if strings.EqualFold(strings.TrimSpace(host.City), strings.TrimSpace(e.City)) {
			city = host.CityIn(lang)
		}
	}
	p.PlaceRest = city + ", " + l.Country(e.Country)
	p.Place = p.PlaceRest
	if p.VenueShown.Text != "" {
		p.Place = p.VenueShown.Text + ", " + p.Place
	}
	most := 0
	for _, c := range rep.ByCountry {
		most = max(most, c.Attended)
	}
	for _, c := range rep.ByCountry {
		share := 0
		if most > 0 {
			share = (c.Attended*100 + most/2) / most
		}
		p.Countries = append(p.Countries, Country{Code: c.Country, Name: l.Country(c.Country), Attended: c.Attended, Share: share})
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

// MaxEmbedOrigins bounds a project's list of framing sites (the database
// holds the same bound).
const MaxEmbedOrigins = 20

// ParseOrigins reads the sites allowed to frame the embeddable results, one
// a line (or separated by spaces or commas): each an https origin,
// scheme://host[:port] and nothing more, no wildcard. The origins come back
// lower-cased, each once; a problem is named "embed_origins".
func ParseOrigins(text string) ([]string, error) {
	inv := &apperr.Invalid{}
	var out []string
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return r == '\n' || r == '\r' || r == ' ' || r == '\t' || r == ',' }) {
		o, ok := origin(f)
		if !ok {
			inv.Add("embed_origins", "results.admin.error.origin")
			break
		}
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	if len(out) > MaxEmbedOrigins {
		inv.Add("embed_origins", "results.admin.error.origins_many")
	}
	if err := inv.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// origin checks one origin; a trailing "/" is allowed and dropped.
func origin(s string) (string, bool) {
	if len(s) > 200 || !utf8.ValidString(s) {
		return "", false
	}
	u, err := url.Parse(strings.TrimSuffix(s, "/"))
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.Path != "" || u.RawQuery != "" ||
		u.Fragment != "" || u.Opaque != "" || strings.ContainsAny(u.Host, "*;'\" \\") {
		return "", false
	}
	host := strings.ToLower(u.Hostname())
	if host == "" || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") || !strings.Contains(host, ".") && host != "localhost" {
		return "", false
	}
	for _, r := range host {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '.' || r == ':' || r == '[' || r == ']') {
			return "", false // an internationalised name goes in its xn-- form
		}
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return "", false
		}
		return "https://" + strings.ToLower(u.Host), true
	}
	return "https://" + host, true
}

// EmbedOrigins are the sites allowed to frame the project's embeddable results.
func (s *Service) EmbedOrigins(ctx context.Context, projectID int64) ([]string, error) {
	return s.Store.EmbedOrigins(ctx, s.Store.DB, projectID)
}

// SetEmbedOrigins replaces the sites allowed to frame the results of event
// e's project (audited); text is as ParseOrigins reads it.
func (s *Service) SetEmbedOrigins(ctx context.Context, actor *auth.Principal, e store.Event, text, ip string) ([]string, error) {
	if actor != nil {
		if err := actor.Check(auth.Manage, auth.EventObject(e), s.Now()); err != nil {
			return nil, err
		}
	}
	origins, err := ParseOrigins(text)
	if err != nil {
		return nil, err
	}
	err = s.Store.InTx(ctx, func(tx *sqlx.Tx) error {
		if err := s.Store.SetEmbedOrigins(ctx, tx, e.ProjectID, origins); err != nil {
			return err
		}
		return audit.Log(ctx, s.Store, tx, audit.Entry{Actor: actor, ActorLabel: "cli", Action: "results.embed_origins",
			ObjectType: "project", ObjectID: e.ProjectID, IP: ip, Details: map[string]any{"origins": origins}})
	})
	return origins, err
}

// FrameAncestors is the frame-ancestors source list for origins: 'none'
// when there are none.
func FrameAncestors(origins []string) string {
	if len(origins) == 0 {
		return "'none'"
	}
	return strings.Join(origins, " ")
}
