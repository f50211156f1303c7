package api_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/web/webtest"
)

type progTexts struct {
	Venue             string            `json:"venue"`
	VenueTexts        map[string]string `json:"venue_texts"`
	AddressTexts      map[string]string `json:"address_texts"`
	Title             map[string]string `json:"title"`
	Organisation      string            `json:"organisation"`
	OrganisationTexts map[string]string `json:"organisation_texts"`
	Slug              string            `json:"slug"`
}

// The venue, the address and a partner's organisation per language: the
// API answers them as language -> text maps and takes them as it takes
// titles (the languages named change, an empty text removes one, a body
// without them keeps them); a language the site does not speak or a text
// with control characters is refused with the field named.
func TestProgrammeAPITexts(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Programme})
	_, tok := progUser(t, s.Store, "admin@example.org", auth.RoleAdmin, auth.ScopeAdmin, nil)
	as := progClient{t: t, url: s.URL + "/api/v1", token: tok}

	// The demo's texts come out in the GET answers.
	var ev progTexts
	a := as.want(http.StatusOK, "GET", "/events/decode-2-kaunas", nil)
	a.decode(t, &ev)
	if ev.VenueTexts["lt"] == "" || ev.VenueTexts["pl"] == "" || ev.AddressTexts == nil ||
		!strings.Contains(string(a.body), `"address_texts":`) {
		t.Fatalf("event texts: %s", a.body)
	}
	var partners []progTexts
	as.want(http.StatusOK, "GET", "/projects/decode/partners", nil).decode(t, &partners)
	if len(partners) == 0 || partners[0].Slug != "daugavpils" ||
		partners[0].OrganisationTexts["lv"] != "Daugavpils valstspilsētas pašvaldība" || len(partners[0].OrganisationTexts) != 10 {
		t.Fatalf("partners: %+v", partners)
	}

	// Set, remove and keep, like titles.
	as.want(http.StatusOK, "PATCH", "/events/decode-2-kaunas", map[string]any{
		"venue_texts": map[string]string{"pl": "Ratusz w Kownie", "lt": ""}, "address_texts": map[string]string{"lt": "Laisvės al. 96, Kaunas"},
	}).decode(t, fresh(&ev))
	if ev.VenueTexts["pl"] != "Ratusz w Kownie" || ev.VenueTexts["lt"] != "" || ev.VenueTexts["en"] == "" ||
		ev.AddressTexts["lt"] != "Laisvės al. 96, Kaunas" {
		t.Fatalf("patched texts: %+v", ev)
	}
	as.want(http.StatusOK, "PATCH", "/events/decode-2-kaunas", map[string]any{"title": map[string]string{"es": "Buenas prácticas"}}).decode(t, fresh(&ev))
	if ev.VenueTexts["pl"] != "Ratusz w Kownie" || ev.AddressTexts["lt"] == "" || ev.Title["es"] != "Buenas prácticas" {
		t.Fatalf("a patch without the texts changed them: %+v", ev)
	}
	as.want(http.StatusOK, "PATCH", "/projects/decode/partners/kaunas", map[string]any{
		"organisation_texts": map[string]string{"pl": "Urząd Miasta Kowna", "de": ""}}).decode(t, fresh(&ev))
	if ev.OrganisationTexts["pl"] != "Urząd Miasta Kowna" || ev.OrganisationTexts["de"] != "" || ev.OrganisationTexts["lt"] != "Kauno miesto savivaldybė" {
		t.Fatalf("patched organisation: %+v", ev)
	}

	// A new event takes them on POST.
	as.want(http.StatusCreated, "POST", "/projects/decode/events", map[string]any{
		"slug": "decode-9-kaunas", "title": map[string]string{"en": "Follow-up"}, "city": "Kaunas", "country": "LT",
		"first_day": "2019-05-06", "last_day": "2019-05-07", "time_zone": "Europe/Vilnius", "venue": "Town Hall",
		"venue_texts": map[string]string{"lt": "Rotušė"}, "address_texts": map[string]string{"lt": "Rotušės a. 1"},
	}).decode(t, fresh(&ev))
	if ev.VenueTexts["lt"] != "Rotušė" || ev.AddressTexts["lt"] != "Rotušės a. 1" || ev.Venue != "Town Hall" {
		t.Fatalf("created: %+v", ev)
	}

	for _, c := range []struct {
		path  string
		body  map[string]any
		field string
	}{
		{"/events/decode-2-kaunas", map[string]any{"venue_texts": map[string]string{"xx": "Hall"}}, "venue_texts_xx"},
		{"/events/decode-2-kaunas", map[string]any{"venue_texts": map[string]string{"lv": strings.Repeat("x", 301)}}, "venue_texts_lv"},
		{"/projects/decode/partners/kaunas", map[string]any{"organisation_texts": map[string]string{"en-gen": "X"}}, "organisation_texts_en-gen"},
	} {
		code, fields := as.want(http.StatusUnprocessableEntity, "PATCH", c.path, c.body).fields(t)
		if code != "invalid" || fields[c.field] == "" {
			t.Errorf("%v: %s %v", c.body, code, fields)
		}
	}
	if _, f := as.want(http.StatusUnprocessableEntity, "PATCH", "/events/decode-2-kaunas", map[string]any{"venue_texts": "Hall"}).fields(t); f["venue_texts"] == "" {
		t.Errorf("a string for a map: %v", f)
	}
	// Control characters are refused before any field is read.
	as.want(http.StatusBadRequest, "PATCH", "/events/decode-2-kaunas", map[string]any{"address_texts": map[string]string{"pl": "a\x07b"}})
	var after progTexts
	as.want(http.StatusOK, "GET", "/events/decode-2-kaunas", nil).decode(t, &after)
	if after.VenueTexts["xx"] != "" || after.VenueTexts["lv"] == strings.Repeat("x", 301) || after.AddressTexts["pl"] != "" {
		t.Fatalf("a refused patch was stored: %+v", after)
	}
}

// fresh empties v for a decode (json fills an existing map, keeping its keys).
func fresh(v *progTexts) *progTexts {
	*v = progTexts{}
	return v
}
