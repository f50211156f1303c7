package i18n

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestCataloguesComplete fails on a missing key, a missing or unknown plural
// form, and a plural message in one language that is plain in another. The
// areas of EveryLanguageAreas must be complete in all ten languages, every
// area in MinimumStaffLanguages.
func TestCataloguesComplete(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	en := b.Keys(Fallback)
	if len(en) == 0 {
		t.Fatal("English catalogue is empty")
	}
	every := EveryLanguageAreas()
	for _, lang := range Languages {
		keys := b.Keys(lang)
		full := slices.Contains(MinimumStaffLanguages, lang)
		for key, area := range en {
			if !full && !slices.Contains(every, area) {
				continue
			}
			if _, ok := keys[key]; !ok {
				t.Errorf("%s: missing key %q (area %s)", lang, key, area)
				continue
			}
			if keys[key] != area {
				t.Errorf("%s: %q is in area %s, in English in %s", lang, key, keys[key], area)
			}
			enForms := b.PluralForms(Fallback, key)
			forms := b.PluralForms(lang, key)
			if (enForms == nil) != (forms == nil) {
				t.Errorf("%s: %q is plural in one language and not in the other", lang, key)
				continue
			}
			for _, need := range RequiredForms(lang) {
				if forms != nil && !slices.Contains(forms, need) {
					t.Errorf("%s: %q lacks plural form %q", lang, key, need)
				}
			}
			for _, f := range forms {
				if !slices.Contains([]string{"zero", "one", "two", "few", "many", "other"}, f) {
					t.Errorf("%s: %q has unknown plural form %q", lang, key, f)
				}
			}
		}
		for key := range keys {
			if _, ok := en[key]; !ok {
				t.Errorf("%s: key %q is not in the English catalogue", lang, key)
			}
		}
	}
	for _, lang := range MinimumStaffLanguages {
		if !slices.Contains(FullLanguages, lang) {
			t.Errorf("%s must be offered on the staff screens (FullLanguages: %v)", lang, FullLanguages)
		}
	}
}

var placeholderRe = regexp.MustCompile(`\{([a-z_]+)\}`)

// TestNumbersArePlural fails on any message, in any language, that holds a
// quantity placeholder but is a plain string, or that is plural but chosen
// by another number than {count}.
func TestNumbersArePlural(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range Languages {
		for key, e := range b.msgs[lang] {
			texts := []string{e.text}
			if e.plural != nil {
				texts = nil
				for _, s := range e.plural {
					texts = append(texts, s)
				}
			}
			for _, s := range texts {
				for _, m := range placeholderRe.FindAllStringSubmatch(s, -1) {
					name := m[1]
					if !slices.Contains(QuantityPlaceholders, name) {
						continue
					}
					if e.plural == nil {
						t.Errorf("%s: %q holds the number {%s} but is not a plural message", lang, key, name)
					} else if name != "count" {
						t.Errorf("%s: plural %q holds a second number {%s}; only {count} chooses the form", lang, key, name)
					}
				}
			}
		}
	}
}

// TestEveryKeyIsUsed fails on a key that no Go file, template or script of
// the application names (tests do not count) and that DynamicKeys does not
// list; and on DynamicKeys entries that no longer exist or whose prefix no
// code builds any more.
func TestEveryKeyIsUsed(t *testing.T) {
	b, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	src := applicationSource(t)
	literal := regexp.MustCompile("[\"`']([a-z][a-z0-9_]*(?:\\.[a-z0-9_-]+)+)[\"`']")
	used := map[string]bool{}
	for _, m := range literal.FindAllStringSubmatch(src, -1) {
		used[m[1]] = true
	}
	en := b.Keys(Fallback)
	for prefix, members := range DynamicKeys {
		stem := strings.TrimSuffix(prefix, ".")
		if !strings.Contains(src, `"`+prefix) && !strings.Contains(src, `"`+stem+`"`) {
			t.Errorf("DynamicKeys: no code builds keys from %q", prefix)
		}
		for _, m := range members {
			if _, ok := en[prefix+m]; !ok {
				t.Errorf("DynamicKeys: %q is not in the English catalogue", prefix+m)
			}
			used[prefix+m] = true
		}
	}
	for key, area := range en {
		if !used[key] {
			t.Errorf("key %q (area %s) is used by no code; remove it or list it in DynamicKeys", key, area)
		}
	}
}

// applicationSource concatenates the Go files (without tests), templates and
// scripts of the module.
func applicationSource(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, dir := range []string{"cmd", "internal", "templates", "assets/static"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if d.Name() == "node_modules" || d.Name() == "locales" {
					return filepath.SkipDir
				}
				return nil
			}
			name := d.Name()
			code := strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !strings.Contains(p, "test"+string(filepath.Separator))
			if code || strings.HasSuffix(name, ".html") || strings.HasSuffix(name, ".js") {
				raw, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				sb.Write(raw)
				sb.WriteByte('\n')
			}
			return nil
		})
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
	}
	return sb.String()
}
