package admin

import (
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/decode-attend/attend/internal/setup"
	"github.com/decode-attend/attend/internal/store"
)

// questionForm is the question editor of an event.
type questionForm struct {
	New       bool
	Event     store.Event
	Key       string // the question's key before this edit
	Input     setup.QuestionInput
	Kinds     []string
	Languages []string
	// Options per language and the options' values, one per line.
	OptionLines map[string]string
	ValueLines  string
	Answers     int // how many registrations answered it
}

func (h *Handler) questionForm(c *gin.Context, status int, d questionForm, f *form) error {
	d.Kinds, d.Languages = store.QuestionKinds, setup.Languages
	if d.OptionLines == nil {
		d.OptionLines = map[string]string{}
		var values []string
		for _, o := range d.Input.Options {
			values = append(values, o.Value)
		}
		for _, lang := range setup.Languages {
			var lines []string
			for _, o := range d.Input.Options {
				lines = append(lines, o.Label[lang])
			}
			d.OptionLines[lang] = strings.Join(lines, "\n")
		}
		d.ValueLines = strings.Join(values, "\n")
	}
	if d.Input.Label == nil {
		d.Input.Label = map[string]string{}
	}
	if d.Input.Help == nil {
		d.Input.Help = map[string]string{}
	}
	f.Data = d
	h.render(c, status, "question", title(d.New, "questions.admin.new_title", "questions.admin.edit_title"), f)
	return nil
}

// questionInput reads the question editor. Options are lines, the same line
// in every language's list being one option.
func questionInput(c *gin.Context) (setup.QuestionInput, map[string]string, string) {
	in := setup.QuestionInput{
		Key: c.PostForm("key"), Kind: c.PostForm("kind"), Required: c.PostForm("required") != "",
		Label: map[string]string{}, Help: map[string]string{}, Min: c.PostForm("min"), Max: c.PostForm("max"),
		InReport: c.PostForm("in_report") != "", Position: c.PostForm("position"),
	}
	lines := map[string][]string{}
	raw := map[string]string{}
	n := 0
	for _, lang := range setup.Languages {
		in.Label[lang] = c.PostForm("label_" + lang)
		in.Help[lang] = c.PostForm("help_" + lang)
		raw[lang] = c.PostForm("options_" + lang)
		lines[lang] = splitLines(raw[lang])
		n = max(n, len(lines[lang]))
	}
	valueText := c.PostForm("option_values")
	values := splitLines(valueText)
	n = max(n, len(values))
	for i := range n {
		o := setup.OptionInput{Label: map[string]string{}}
		if i < len(values) {
			o.Value = values[i]
		}
		blank := strings.TrimSpace(o.Value) == ""
		for _, lang := range setup.Languages {
			if i < len(lines[lang]) {
				o.Label[lang] = lines[lang][i]
				blank = blank && strings.TrimSpace(lines[lang][i]) == ""
			}
		}
		if !blank {
			in.Options = append(in.Options, o)
		}
	}
	return in, raw, valueText
}

// splitLines splits a text area's lines, without the trailing empty ones.
func splitLines(s string) []string {
	ls := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for len(ls) > 0 && strings.TrimSpace(ls[len(ls)-1]) == "" {
		ls = ls[:len(ls)-1]
	}
	return ls
}

// questionAgain shows the editor again with what was typed and its problems.
func (h *Handler) questionAgain(c *gin.Context, d questionForm, raw map[string]string, values string) func(f *form) error {
	return func(f *form) error {
		d.OptionLines, d.ValueLines = raw, values
		return h.questionForm(c, http.StatusUnprocessableEntity, d, f)
	}
}
