package web_test

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/setup"
)

// The translation screen: the coordinator sees every text in the ten
// languages, saves them at once, bad input is refused whole, and another
// project's coordinator can neither see nor change it.
func TestTranslationScreen(t *testing.T) {
	f := newFixture(t, nil)
	o := newOther(t, f)
	ctx := context.Background()
	coord := f.as(t, "coordinator")
	page := "/admin/events/" + slugA + "/translations"

	rec := f.do(t, f.srv, coord, "GET", page, nil)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %d", rec.Code)
	}
	body := rec.Body.String()
	for _, l := range setup.TranslationLanguages {
		if !strings.Contains(body, `id="title_`+l+`"`) || !strings.Contains(body, `id="lang-`+l+`"`) {
			t.Errorf("no %s column", l)
		}
	}
	if !strings.Contains(body, "0 translations missing") {
		t.Errorf("the demo event misses translations: %s", between(body, "<h2 id=\"h-overview\">", "</h2>"))
	}
	// The event page links the screen.
	if b := f.do(t, f.srv, coord, "GET", "/admin/events/"+slugA, nil).Body.String(); !strings.Contains(b, `href="`+page+`"`) {
		t.Error("event page does not link the translation screen")
	}

	// Polish title and description removed, Lithuanian venue changed: one save.
	form := url.Values{"title_pl": {""}, "description_pl": {""}, "venue_lt": {"Lodzės vaivadijos maršalo tarnyba, 2 salė"}}
	if rec := f.do(t, f.srv, coord, "POST", page, form); rec.Code != http.StatusSeeOther {
		t.Fatalf("save %d %s", rec.Code, rec.Body.String())
	}
	e, _ := f.st.EventBySlug(ctx, f.st.DB, slugA)
	if e.Title["pl"] != "" || e.Description["pl"] != "" || e.VenueTexts["lt"] != "Lodzės vaivadijos maršalo tarnyba, 2 salė" || e.Title["lv"] == "" {
		t.Fatalf("saved: %v %v", e.Title, e.VenueTexts)
	}
	body = f.do(t, f.srv, coord, "GET", page, nil).Body.String()
	if !strings.Contains(body, "2 translations missing") || !strings.Contains(body, `<td class="missing" data-lang="pl">2</td>`) ||
		!strings.Contains(body, `href="#title_pl"`) {
		t.Errorf("missing cells not marked: %s", between(body, "<tfoot>", "</tfoot>"))
	}

	// The public pages in Polish mark the English fallback.
	for _, target := range []string{"/pl/events/" + slugA, "/pl/"} {
		b := f.do(t, f.srv, f.as(t, "anonymous"), "GET", target, nil).Body.String()
		if !strings.Contains(b, `<span lang="en">`+e.Title["en"]+`</span> <small class="lang-fallback">(po angielsku)</small>`) {
			t.Errorf("%s: fallback not marked", target)
		}
	}

	// Over-long: 422 with the localized message on the field, nothing saved.
	form = url.Values{"title_lv": {"Jauns"}, "title_lt": {strings.Repeat("ą", 301)}}
	rec = f.do(t, f.srv, coord, "POST", page, form)
	if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `id="title_lt-error"`) {
		t.Fatalf("over-long: %d", rec.Code)
	}
	// NUL and invalid UTF-8: 4xx before the handler.
	for _, bad := range []string{"a\x00b", "a\xffb"} {
		rec = f.do(t, f.srv, coord, "POST", page, url.Values{"title_lv": {"Jauns"}, "title_lt": {bad}})
		if rec.Code < 400 || rec.Code >= 500 {
			t.Errorf("%q: %d", bad, rec.Code)
		}
	}
	if after, _ := f.st.EventBySlug(ctx, f.st.DB, slugA); after.Title["lv"] != e.Title["lv"] {
		t.Fatalf("half stored: %q", after.Title["lv"])
	}

	// Another project's coordinator: not found, nothing changed, for the event
	// and the project screens alike.
	foreign := o.callers["coordOther"]
	for _, target := range []string{page, "/admin/projects/" + itoa(e.ProjectID) + "/translations"} {
		if rec := f.do(t, f.srv, foreign, "GET", target, nil); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
			t.Errorf("GET %s by another project: %d", target, rec.Code)
		}
		if rec := f.do(t, f.srv, foreign, "POST", target, url.Values{"title_en": {"Taken over"}}); rec.Code != http.StatusNotFound && rec.Code != http.StatusForbidden {
			t.Errorf("POST %s by another project: %d", target, rec.Code)
		}
	}
	if after, _ := f.st.EventBySlug(ctx, f.st.DB, slugA); after.Title["en"] == "Taken over" {
		t.Fatal("another project's coordinator changed the title")
	}
	// Their own project's screen is theirs.
	if rec := f.do(t, f.srv, foreign, "GET", "/admin/projects/"+itoa(o.project.ID)+"/translations", nil); rec.Code != http.StatusOK {
		t.Errorf("own project: %d", rec.Code)
	}

	// The project screen saves the project title and partner names at once.
	ps, _ := f.st.Partners(ctx, f.st.DB, e.ProjectID)
	org := setup.PartnerField(ps[1]).Name
	rec = f.do(t, f.srv, coord, "POST", "/admin/projects/"+itoa(e.ProjectID)+"/translations",
		url.Values{"title_lt": {"Regioninių centrų iššūkiai"}, org + "_lt": {"Kauno miesto savivaldybė"}})
	if rec.Code != http.StatusSeeOther {
		t.Fatalf("project save %d %s", rec.Code, rec.Body.String())
	}
	p, _ := f.st.Project(ctx, f.st.DB, e.ProjectID)
	pt, _ := f.st.Partner(ctx, f.st.DB, ps[1].ID)
	if p.Title["lt"] != "Regioninių centrų iššūkiai" || pt.OrganisationTexts["lt"] != "Kauno miesto savivaldybė" {
		t.Errorf("project texts: %v %v", p.Title, pt.OrganisationTexts)
	}
}

// The demo speaks every language: its home page in each of the ten shows the
// events in that language, no fallback marked.
func TestDemoHomeEveryLanguage(t *testing.T) {
	f := newFixture(t, nil)
	for _, l := range i18n.Languages {
		rec := f.do(t, f.srv, f.as(t, "anonymous"), "GET", "/"+l+"/", nil)
		if rec.Code != http.StatusOK {
			t.Fatalf("%s: %d", l, rec.Code)
		}
		b := rec.Body.String()
		if strings.Contains(b, "lang-fallback") {
			t.Errorf("%s: a fallback on the demo's home page: %s", l, between(b, "lang-fallback", "</h3>"))
		}
		e := f.eventA
		if !strings.Contains(b, html.EscapeString(e.Title[l])) {
			t.Errorf("%s: event title %q not shown", l, e.Title[l])
		}
		ev := f.do(t, f.srv, f.as(t, "anonymous"), "GET", "/"+l+"/events/"+slugA, nil).Body.String()
		if strings.Contains(ev, "lang-fallback") || !strings.Contains(ev, html.EscapeString(e.VenueTexts[l])) {
			t.Errorf("%s: event page not all in the language", l)
		}
	}
}

// between is the text of s from after a up to b (for failure messages).
func between(s, a, b string) string {
	i := strings.Index(s, a)
	if i < 0 {
		return ""
	}
	s = s[i+len(a):]
	if j := strings.Index(s, b); j >= 0 {
		return s[:j]
	}
	return s
}
