package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/i18n"
	"github.com/decode-attend/attend/internal/programme"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web"
)

// foreignMin is the shortest catalogue text looked for on a page of another
// language: shorter ones ("Online", "E-mail", "Partner") are shared words.
const foreignMin = 12

// foreignTexts lists the texts of the English and Latvian catalogues (the
// languages a missing translation or a wrong default shows) that differ from
// every text of lang's catalogue: plain messages and each plural form, cut at
// their placeholders, each piece of at least foreignMin characters.
func foreignTexts(t *testing.T, b *i18n.Bundle, lang string) []string {
	t.Helper()
	own := strings.Join(catalogueTexts(b, lang), "\x00")
	seen := map[string]bool{}
	var out []string
	for _, other := range []string{"en", "lv"} {
		if other == lang {
			continue
		}
		for _, s := range catalogueTexts(b, other) {
			for _, piece := range regexp.MustCompile(`\{[a-z_]+\}`).Split(s, -1) {
				piece = strings.TrimSpace(piece)
				if len([]rune(piece)) < foreignMin || seen[piece] || strings.Contains(own, piece) {
					continue
				}
				seen[piece] = true
				out = append(out, piece)
			}
		}
	}
	return out
}

// catalogueTexts is every text of lang's catalogue, plural forms included.
func catalogueTexts(b *i18n.Bundle, lang string) []string {
	l := b.Localizer(lang)
	var out []string
	for key := range b.Keys(lang) {
		if forms := b.PluralForms(lang, key); forms != nil {
			for _, n := range []int{0, 1, 2, 5, 11, 21} {
				out = append(out, strings.ReplaceAll(l.N(key, n), l.Number(n), "{count}"))
			}
			continue
		}
		out = append(out, l.T(key))
	}
	return out
}

// pageTextJS collects what a person can read or hear on the page: text
// (scripts and styles aside) and the attributes shown or spoken in its place.
// Left out are text marked as being in another language (lang="en" on a
// privacy notice not yet published in this one: data, declared as such) and
// machine codes shown as code (<code>: the audit log's action names).
const pageTextJS = `(() => {
  const out = [];
  const page = document.documentElement.lang;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => {
      const el = n.parentElement;
      if (!el || el.closest("script,style,template,code")) return NodeFilter.FILTER_REJECT;
      const marked = el.closest("[lang]");
      return marked && marked.lang !== page ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
    } });
  while (walk.nextNode()) { const s = walk.currentNode.nodeValue.trim(); if (s) out.push(s); }
  for (const el of document.querySelectorAll("[placeholder],[title],[aria-label],[alt],input[type=submit],input[type=button]")) {
    for (const a of ["placeholder", "title", "aria-label", "alt", "value"]) {
      const v = el.getAttribute(a); if (v && (a !== "value" || el.type === "submit" || el.type === "button")) out.push(v);
    }
  }
  out.push(document.title);
  return document.documentElement.lang + "\n" + out.join("\n");
})()`

// walker opens pages in one browser as one signed-in person in one language.
type walker struct {
	t       *testing.T
	ctx     context.Context
	base    string
	lang    string
	cookie  string
	foreign []string
	checked int
}

func (w *walker) get(path string) (int, string) {
	w.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, w.base+path, nil)
	req.AddCookie(&http.Cookie{Name: "attend_session", Value: w.cookie})
	req.AddCookie(&http.Cookie{Name: "attend_lang", Value: w.lang})
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		w.t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, resp.Header.Get("Content-Type")
}

// visit opens path, waits for scripts to fill the page, and fails on any
// text of another language's catalogue in it.
func (w *walker) visit(path string, wait time.Duration) {
	w.t.Helper()
	if err := chromedp.Do(w.ctx, chromedp.Navigate(w.base+path)); err != nil {
		w.t.Fatalf("%s: %v", path, err)
	}
	time.Sleep(wait)
	text, err := chromedp.Run(w.ctx, chromedp.Evaluate[string](pageTextJS))
	if err != nil {
		w.t.Fatalf("%s: %v", path, err)
	}
	htmlLang, body, _ := strings.Cut(text, "\n")
	if htmlLang != w.lang {
		w.t.Errorf("%s in %s: the page says lang=%q", path, w.lang, htmlLang)
	}
	for _, f := range w.foreign {
		if i := strings.Index(body, f); i >= 0 {
			from, to := max(0, i-60), min(len(body), i+len(f)+60)
			w.t.Errorf("%s in %s: text of another language on the page: %q in %q", path, w.lang, f, body[from:to])
		}
	}
	w.checked++
}

func (f *fixture) newWalker(t *testing.T, who, lang string, foreign []string) *walker {
	t.Helper()
	cookie, _ := f.session(t, who)
	ctx, _ := browsertest.NewContext(t)
	browsertest.SetCookie(t, ctx, f.app.URL+"/", "attend_session", cookie)
	browsertest.SetCookie(t, ctx, f.app.URL+"/", "attend_lang", lang)
	return &walker{t: t, ctx: ctx, base: f.app.URL, lang: lang, cookie: cookie, foreign: foreign}
}

// Every door and partner screen in Lithuanian and Polish, and every staff
// screen in Russian, show no text of another language outside the data.
func TestBrowserScreensInTheirLanguage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	f := newFixture(t, nil)
	b, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	bg := context.Background()
	pu := f.users["partner"]
	d := store.Delegation{EventID: f.eventA.ID, PartnerID: *pu.PartnerID, CreatedBy: &pu.ID}
	if err := f.st.CreateDelegation(bg, f.st.DB, &d); err != nil {
		t.Fatal(err)
	}
	// Two of the demo's confirmed people of event A come with the delegation;
	// one admitted today, so that the signing desk has someone to sign.
	var regs []int64
	if err := f.st.DB.Select(&regs, `SELECT id FROM registrations WHERE event_id = $1 AND status = 'confirmed' ORDER BY id LIMIT 2`, f.eventA.ID); err != nil || len(regs) < 2 {
		t.Fatalf("demo registrations: %v %v", regs, err)
	}
	if _, err := f.st.DB.Exec(`UPDATE registrations SET delegation_id = $1 WHERE id = ANY($2)`, d.ID, fmt.Sprintf("{%d,%d}", regs[0], regs[1])); err != nil {
		t.Fatal(err)
	}
	var admitted int64
	f.st.DB.Get(&admitted, `SELECT registration_id FROM admissions WHERE event_id = $1 AND day = $2 ORDER BY id DESC LIMIT 1`, f.eventA.ID, f.eventA.FirstDay)

	for _, lang := range []string{"lt", "pl"} {
		foreign := foreignTexts(t, b, lang)
		door := f.newWalker(t, "doorA", lang, foreign)
		door.visit("/door/scan?event="+slugA, 3*time.Second)
		browsertest.Screenshot(t, door.ctx, "door-scan-"+lang)
		door.visit("/door/live", time.Second)
		door.visit("/door/live?event="+slugA, 2*time.Second)
		door.visit("/door/pair", time.Second)
		door.visit("/door/sign/"+slugA, time.Second)
		if admitted != 0 {
			door.visit("/door/sign/"+slugA+"/"+strconv.FormatInt(admitted, 10), time.Second)
		}
		door.visit("/account", 0)

		partner := f.newWalker(t, "partner", lang, foreign)
		partner.visit("/partner/", 0)
		browsertest.Screenshot(t, partner.ctx, "partner-home-"+lang)
		partner.visit("/partner/events/"+slugA+"/delegation", 0)
		partner.visit("/partner/delegations/"+strconv.FormatInt(d.ID, 10), 0)
		partner.visit("/account", 0)
		t.Logf("%s: %d door and %d partner screens checked against %d texts of other languages", lang, door.checked, partner.checked, len(foreign))
	}

	// The staff screens in Russian: every page of the route table for
	// coordinators and administrators, with the demo's objects.
	admin := f.newWalker(t, "admin", "ru", foreignTexts(t, b, "ru"))
	var ids struct {
		Registration, RuleSet, User, Partner, Project, Mail int64
	}
	ids.Partner, ids.Project = *pu.PartnerID, f.eventA.ProjectID
	f.st.DB.Get(&ids.Mail, `SELECT id FROM outbox ORDER BY id LIMIT 1`)
	f.st.DB.Get(&ids.Registration, `SELECT id FROM registrations WHERE event_id = $1 ORDER BY id LIMIT 1`, f.eventA.ID)
	f.st.DB.Get(&ids.RuleSet, `SELECT id FROM rule_sets ORDER BY id LIMIT 1`)
	ids.User = f.users["doorA"].ID
	fill := func(path string) (string, bool) {
		r := strings.NewReplacer(":slug", slugA, ":code", programme.ProjectCode)
		path = r.Replace(path)
		switch {
		case strings.HasPrefix(path, "/admin/registrations/:id"):
			path = strings.Replace(path, ":id", strconv.FormatInt(ids.Registration, 10), 1)
		case strings.HasPrefix(path, "/admin/rulesets/:id"):
			path = strings.Replace(path, ":id", strconv.FormatInt(ids.RuleSet, 10), 1)
		case strings.HasPrefix(path, "/admin/users/:id"):
			path = strings.Replace(path, ":id", strconv.FormatInt(ids.User, 10), 1)
		case strings.HasPrefix(path, "/admin/partners/:id"):
			path = strings.Replace(path, ":id", strconv.FormatInt(ids.Partner, 10), 1)
		case strings.HasPrefix(path, "/admin/projects/:id"):
			path = strings.Replace(path, ":id", strconv.FormatInt(ids.Project, 10), 1)
		case strings.HasPrefix(path, "/admin/mail/:id") && ids.Mail != 0 && !strings.Contains(path, ":aid"):
			path = strings.Replace(path, ":id", strconv.FormatInt(ids.Mail, 10), 1)
		}
		return path, !strings.ContainsAny(path, ":*")
	}
	var skipped []string
	for _, rt := range f.srv.Routes() {
		if rt.Method != http.MethodGet || (rt.Access != web.Coordinator && rt.Access != web.Admin) {
			continue
		}
		path, ok := fill(rt.Path)
		if !ok {
			skipped = append(skipped, rt.Path)
			continue
		}
		status, ctype := admin.get(path)
		if status != http.StatusOK || !strings.HasPrefix(ctype, "text/html") {
			continue // downloads (PDF, CSV, XLSX) and redirects
		}
		admin.visit(path, 300*time.Millisecond)
		if path == "/admin/reports/events/"+slugA {
			browsertest.Screenshot(t, admin.ctx, "admin-report-ru")
		}
	}
	if admin.checked < 15 {
		t.Errorf("only %d staff screens checked", admin.checked)
	}
	slices.Sort(skipped)
	t.Logf("ru: %d staff screens checked; not reached (no object to fill in): %v", admin.checked, skipped)
}
