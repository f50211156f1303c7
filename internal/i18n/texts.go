package i18n

import (
	"html/template"
	"strings"
)

// Picker is a text per language (store.Texts): the text in a language, else
// in a fallback, with the language it is in.
type Picker interface {
	Pick(lang string, fallbacks ...string) (text, usedLang string)
}

// Shown is a programme text picked for a reader: the text, the language it
// is in and, when that is not the reader's language, the localized marker
// that says so ("(in English)").
type Shown struct {
	Text     string
	Lang     string
	Fallback bool
	Marker   string
}

// String is the text alone, for attributes, titles and plain text.
func (s Shown) String() string { return s.Text }

// Marked is the text for plain-text media (e-mails): a fallback followed by
// its marker.
func (s Shown) Marked() string {
	if !s.Fallback {
		return s.Text
	}
	return s.Text + " " + s.Marker
}

// HTML is the text for a page: a fallback inside <span lang="xx"> followed
// by its marker, so that screen readers speak it in its own language and
// readers see it is not in theirs.
func (s Shown) HTML() template.HTML {
	if !s.Fallback {
		return template.HTML(template.HTMLEscapeString(s.Text))
	}
	return template.HTML(`<span lang="` + template.HTMLEscapeString(s.Lang) + `">` + template.HTMLEscapeString(s.Text) +
		`</span> <small class="lang-fallback">` + template.HTMLEscapeString(s.Marker) + `</small>`)
}

// Pick picks t's text for the reader: in the reader's language, else in
// English, else in any language, marked when it is not the reader's.
func (l *Localizer) Pick(t Picker) Shown {
	text, used := t.Pick(l.Lang)
	return l.shown(text, used)
}

// PickOr is Pick for a text with an untranslated default (def, e.g. a venue
// typed once): the reader's language, else def unmarked, else another
// language marked.
func (l *Localizer) PickOr(t Picker, def string) Shown {
	if text, used := t.Pick(l.Lang); used == l.Lang || def == "" {
		return l.shown(text, used)
	}
	return Shown{Text: def, Lang: l.Lang}
}

func (l *Localizer) shown(text, used string) Shown {
	s := Shown{Text: text, Lang: used}
	if text != "" && used != l.Lang {
		s.Fallback, s.Marker = true, l.T("public.fallback."+used)
	}
	return s
}

// THTML translates key for a page, with the placeholder name filled by a
// picked text as Shown.HTML renders it; the rest of the message and the
// other placeholders (name/value pairs in args) are escaped.
func (l *Localizer) THTML(key, name string, s Shown, args ...any) template.HTML {
	parts := strings.Split(l.T(key, args...), "{"+name+"}")
	for i, p := range parts {
		parts[i] = template.HTMLEscapeString(p)
	}
	return template.HTML(strings.Join(parts, string(s.HTML())))
}
