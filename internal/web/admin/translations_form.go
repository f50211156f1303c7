package admin

import (
	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// transCell is one field in one language on the translation screen.
type transCell struct {
	Name      string // form field: <field>_<lang>
	Lang      string
	Value     string
	Missing   bool
	MultiLine bool
	Max       int
}

// transRow is one field across the languages (the overview grid).
type transRow struct {
	Label string
	Cells []transCell
}

// transLang is one language across the fields (the inputs).
type transLang struct {
	Lang, Name string
	Missing    int
	Cells      []transCell
	Labels     []string
}

type translationsPage struct {
	Heading, Action, Back string
	Langs                 []transLang
	Rows                  []transRow
	Missing               int
}

// transField is a row of the screen with its saved texts and its
// untranslated default (counted as a text: a venue typed once).
type transField struct {
	setup.TextField
	Label   string
	Texts   store.Texts
	Default string
}

// buildTranslations builds the grid: posted values (nil: the saved texts), and
// a cell is missing when the field has a text somewhere but none here.
func buildTranslations(l *i18n.Localizer, fields []transField, posted setup.TextsInput) translationsPage {
	var d translationsPage
	for _, lang := range setup.TranslationLanguages {
		d.Langs = append(d.Langs, transLang{Lang: lang, Name: i18n.Endonym(lang)})
	}
	for _, f := range fields {
		row := transRow{Label: f.Label}
		has := f.Default != ""
		for _, t := range f.Texts {
			has = has || t != ""
		}
		for i, lang := range setup.TranslationLanguages {
			v := f.Texts[lang]
			if posted != nil {
				if pv, ok := posted[f.Name][lang]; ok {
					v = pv
				}
			}
			cell := transCell{Name: f.Name + "_" + lang, Lang: lang, Value: v, MultiLine: f.MultiLine, Max: f.Max,
				Missing: f.Texts[lang] == "" && (has || f.Required)}
			row.Cells = append(row.Cells, cell)
			d.Langs[i].Cells = append(d.Langs[i].Cells, cell)
			d.Langs[i].Labels = append(d.Langs[i].Labels, f.Label)
			if cell.Missing {
				d.Langs[i].Missing++
				d.Missing++
			}
		}
		d.Rows = append(d.Rows, row)
	}
	return d
}

// textsInput reads the screen's inputs: each field in each language posted.
func textsInput(c *gin.Context, fields []transField) setup.TextsInput {
	in := setup.TextsInput{}
	for _, f := range fields {
		m := map[string]string{}
		for _, lang := range setup.TranslationLanguages {
			if v, ok := c.GetPostForm(f.Name + "_" + lang); ok {
				m[lang] = v
			}
		}
		in[f.Name] = m
	}
	return in
}

func (h *Handler) renderTranslations(c *gin.Context, status int, d translationsPage, f *form) error {
	f.Data = d
	h.render(c, status, "translations", "translations.title", f)
	return nil
}
