package programme_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/decode-attend/attend/internal/dbtest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/programme"
)

// The funder's measures carry the programme's official names: in Latvian
// "Pilsētu sadraudzība" (Town Twinning) and "Pilsētu tīkli" (Networks of
// Towns), in Russian "Породнение городов" and "Сети городов", the same in
// the catalogues, the presets' names and the demo; the partners are named
// in every language, as their towns name them in their own.
func TestMeasureGlossary(t *testing.T) {
	banned := map[string][]string{
		"lv": {"tīklojum", "pašvaldību tīkl", "pilsētu sadraudzība"}, // lower case: the measure's name is capitalised
		"ru": {"породнённые города", "сети городов"},
	}
	official := map[string][2]string{"en": {"Town Twinning", "Networks of Towns"}, "lv": {"Pilsētu sadraudzība", "Pilsētu tīkli"},
		"ru": {"Породнение городов", "Сети городов"}}
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	for lang, words := range banned {
		for k, v := range b.Keys(lang) {
			for _, w := range words {
				if strings.Contains(v, w) {
					t.Errorf("%s %s: %q uses %q", lang, k, v, w)
				}
			}
		}
	}
	for lang, names := range official {
		l := b.Localizer(lang)
		if s := l.T("rulesets.lump.basis_invited"); !strings.Contains(s, names[0]) {
			t.Errorf("%s town twinning: %q", lang, s)
		}
		if s := l.T("rulesets.lump.basis_eligible"); !strings.Contains(s, names[1]) {
			t.Errorf("%s networks of towns: %q", lang, s)
		}
	}

	st := dbtest.Open(t)
	ctx := context.Background()
	if _, err := programme.EnsureSeeded(ctx, st, false, time.Now()); err != nil {
		t.Fatal(err)
	}
	p, err := st.ProjectByCode(ctx, st.DB, programme.ProjectCode)
	if err != nil {
		t.Fatal(err)
	}
	if p.Measure["lv"] != "Pilsētu tīkli" || p.Measure["ru"] != "Сети городов" {
		t.Errorf("demo measure: %v", p.Measure)
	}
	for code, measure := range map[string]int{"efc-tt": 0, "cerv-tt": 0, "efc-not": 1, "cerv-not": 1} {
		rs, err := st.RuleSetByCode(ctx, st.DB, code)
		if err != nil {
			t.Fatal(err)
		}
		for _, lang := range i18n.Languages {
			if rs.Names[lang] == "" {
				t.Errorf("preset %s has no %s name", code, lang)
			}
		}
		for lang, names := range official {
			if !strings.HasSuffix(rs.Names[lang], names[measure]) && !(lang == "en" && strings.HasSuffix(rs.Names[lang], "Town-Twinning")) {
				t.Errorf("preset %s in %s: %q", code, lang, rs.Names[lang])
			}
		}
	}
	parts, err := st.Partners(ctx, st.DB, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, pt := range parts {
		for _, lang := range i18n.Languages {
			if pt.OrganisationTexts[lang] == "" {
				t.Errorf("partner %s has no organisation name in %s", pt.Slug, lang)
			}
		}
		own := strings.ToLower(pt.Country)
		if own == "dk" {
			own = "da"
		}
		if pt.OrganisationTexts[own] != pt.Organisation {
			t.Errorf("partner %s: %q in its own language, organisation %q", pt.Slug, pt.OrganisationTexts[own], pt.Organisation)
		}
	}
	if parts[0].OrganisationTexts["lv"] != "Daugavpils valstspilsētas pašvaldība" {
		t.Errorf("lead partner in Latvian: %q", parts[0].OrganisationTexts["lv"])
	}
}
