package admin_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

func partnerBySlug(t *testing.T, st *store.Store, projectID int64, slug string) store.Partner {
	t.Helper()
	ps, err := st.Partners(context.Background(), st.DB, projectID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Slug == slug {
			return p
		}
	}
	t.Fatalf("no partner %s", slug)
	return store.Partner{}
}

// An administrator edits a town's names per language and the genitives the
// publishable text uses on the partner form: a name changed, one removed,
// one added, the others kept; a name too long is refused and nothing is
// stored. The partner's screens name the organisation in the reader's
// language.
func TestPartnerFormCityTexts(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo})
	st, ctx := s.Store, context.Background()
	p, err := st.ProjectByCode(ctx, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	kaunas := partnerBySlug(t, st, p.ID, "kaunas")
	do := staffClient(t, st, s.URL, store.User{Email: "admin@texts.example", Name: "Admin", Role: auth.RoleAdmin, Language: "lv"})
	path := "/admin/partners/" + strconv.FormatInt(kaunas.ID, 10)
	resp, page := do(http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, `name="city_lv-gen" value="Kauņas"`) ||
		!strings.Contains(page, `name="city_pl" value="Kowno"`) || !strings.Contains(page, "<h1>Kauņas pilsētas pašvaldība</h1>") {
		t.Fatalf("partner form %d:\n%s", resp.StatusCode, page)
	}
	form := url.Values{"csrf_token": {csrfRE.FindStringSubmatch(page)[1]}, "slug": {"kaunas"}, "organisation": {kaunas.Organisation},
		"city": {"Kaunas"}, "country": {"LT"}, "position": {"1"},
		"city_pl": {"Kowno"}, "city_lv-gen": {""}, "city_ru-gen": {"Каунаса"}, "city_de": {"Kauen"}}
	long := url.Values{}
	for k, v := range form {
		long[k] = v
	}
	long.Set("city_lt", strings.Repeat("K", 101))
	if resp, page := do(http.MethodPost, path, long); resp.StatusCode != http.StatusUnprocessableEntity ||
		!strings.Contains(page, "has-error") || !strings.Contains(page, `name="city_de" value="Kauen"`) {
		t.Fatalf("too long a name: %d", resp.StatusCode)
	}
	if got, _ := st.Partner(ctx, st.DB, kaunas.ID); got.CityTexts["de"] != "Kaunas" || got.CityTexts["lv-gen"] != "Kauņas" {
		t.Fatalf("a refused form was stored: %v", got.CityTexts)
	}
	if resp, _ := do(http.MethodPost, path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	got, err := st.Partner(ctx, st.DB, kaunas.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.CityTexts["de"] != "Kauen" || got.CityTexts["pl"] != "Kowno" || got.CityTexts["ru-gen"] != "Каунаса" ||
		got.CityTexts["lv-gen"] != "" || got.CityTexts["lt-gen"] != "Kauno" || got.CityTexts["lv"] != "Kauņa" ||
		got.OrganisationTexts["lv"] != "Kauņas pilsētas pašvaldība" {
		t.Fatalf("saved: %v / %v", got.CityTexts, got.OrganisationTexts)
	}

	// The project's page lists the partners by their names in Latvian.
	if _, page := do(http.MethodGet, "/admin/projects/"+strconv.FormatInt(p.ID, 10), nil); !strings.Contains(page, "Daugavpils valstspilsētas pašvaldība") ||
		!strings.Contains(page, "Kauņas pilsētas pašvaldība") {
		t.Fatal("project page does not name the partners in Latvian")
	}
}

// The project's own rule set is named per language on the project's
// translation screen: its missing languages are counted and filled there;
// a preset's names cannot be changed that way.
func TestProjectTranslationsRuleSetNames(t *testing.T) {
	s := webtest.New(t, webtest.Options{Seed: webtest.Demo})
	st, ctx := s.Store, context.Background()
	p, err := st.ProjectByCode(ctx, st.DB, "decode")
	if err != nil {
		t.Fatal(err)
	}
	preset := *p.RuleSetID
	own := store.RuleSet{Code: "decode-own", Name: "DeCoDe rules", Names: store.Texts{"en": "DeCoDe rules", "lv": "DeCoDe noteikumi"},
		ProjectID: &p.ID, Editable: true}
	if err := st.CreateRuleSet(ctx, st.DB, &own); err != nil {
		t.Fatal(err)
	}
	do := staffClient(t, st, s.URL, store.User{Email: "coord@texts.example", Name: "Coordinator", Role: auth.RoleCoordinator,
		ProjectID: &p.ID, Language: "en"})
	path := "/admin/projects/" + strconv.FormatInt(p.ID, 10) + "/translations"
	if _, page := do(http.MethodGet, path, nil); strings.Contains(page, `name="ruleset_en"`) {
		t.Fatal("a preset's name offered for editing")
	}
	p.RuleSetID = &own.ID
	if err := st.UpdateProject(ctx, st.DB, p); err != nil {
		t.Fatal(err)
	}
	resp, page := do(http.MethodGet, path, nil)
	if resp.StatusCode != http.StatusOK || !strings.Contains(page, "Rule set&#39;s name") ||
		!strings.Contains(page, `name="ruleset_lv" lang="lv" value="DeCoDe noteikumi"`) || !strings.Contains(page, `href="#ruleset_pl"`) {
		t.Fatalf("translation screen %d lacks the rule set:\n%s", resp.StatusCode, page)
	}
	form := url.Values{"csrf_token": {csrfRE.FindStringSubmatch(page)[1]}, "ruleset_pl": {"Zasady DeCoDe"}, "ruleset_lv": {""}}
	if resp, _ := do(http.MethodPost, path, form); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: %d", resp.StatusCode)
	}
	got, err := st.RuleSet(ctx, st.DB, own.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Names["pl"] != "Zasady DeCoDe" || got.Names["lv"] != "" || got.Names["en"] != "DeCoDe rules" {
		t.Fatalf("names: %v", got.Names)
	}
	if err := st.UpdateRuleSetNames(ctx, st.DB, p.ID, preset, store.Texts{"en": "X"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a preset renamed: %v", err)
	}
}
