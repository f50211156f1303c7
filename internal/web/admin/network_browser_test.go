package admin_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
	"github.com/decode-attend/attend/internal/xlsxtest"
)

// networkBrowser drives the staff screens of one browser session.
type networkBrowser struct {
	t   *testing.T
	ctx context.Context
	url string
}

func (b networkBrowser) run(what string, as ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	if err := chromedp.Do(b.ctx, as...); err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
}

// open loads a page and waits for sel.
func (b networkBrowser) open(path, sel string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.url+path), chromedp.WaitVisible(sel))
}

// fill sets form fields by id (inputs, selects and text areas).
func (b networkBrowser) fill(fields ...string) {
	b.t.Helper()
	for i := 0; i+1 < len(fields); i += 2 {
		b.run("fill "+fields[i], chromedp.SetValue("#"+fields[i], fields[i+1]))
	}
}

// submit presses the button and waits until the next page has loaded; it
// returns that page's path and text.
func (b networkBrowser) submit(button string) (path, text string) {
	b.t.Helper()
	b.run("submit "+button, chromedp.Evaluate[chromedp.Void](`window.oldPage = true`), chromedp.Click(button))
	for i := 0; ; i++ {
		ok, _ := chromedp.Run(b.ctx, chromedp.Evaluate[bool](`!window.oldPage && document.readyState === "complete"`))
		if ok {
			break
		}
		if i > 200 {
			b.t.Fatalf("%s: the next page did not come", button)
		}
		time.Sleep(50 * time.Millisecond)
	}
	path, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`location.pathname + location.search`))
	if err != nil {
		b.t.Fatal(err)
	}
	return path, b.text()
}

func (b networkBrowser) text() string {
	b.t.Helper()
	s, err := chromedp.Run(b.ctx, chromedp.Text("main"))
	if err != nil {
		b.t.Fatal(err)
	}
	return s
}

// shoot checks the page's accessibility and saves it as a phone and a
// desktop screenshot.
func (b networkBrowser) shoot(name string) {
	b.t.Helper()
	browsertest.AssertAccessible(b.t, b.ctx, name)
	browsertest.Screenshot(b.t, b.ctx, name+"-phone")
	b.run("desktop", chromedp.EmulateViewport(1280, 900))
	browsertest.AssertAccessible(b.t, b.ctx, name+" (desktop)")
	browsertest.Screenshot(b.t, b.ctx, name+"-desktop")
	b.run("phone", chromedp.EmulateViewport(390, 844))
}

// A new network set up entirely through the admin screens: a CERV
// Town-Twinning project with its own copy of the CERV rule set and two
// partners, an event whose registration is refused until the privacy
// notice is published, a person registered through the public form, and the
// event's report checked against the CERV rules. Two questions of the event's
// own are asked on the form, found in the participants export, and the
// counted one is counted on the report.
func TestBrowserNewNetwork(t *testing.T) {
	sb := newStaffBrowser(t, webtest.Programme, "", func(store.Event) store.User {
		return store.User{Email: "admin@vejle.example", Name: "Astrid", Role: auth.RoleAdmin, Language: "en"}
	})
	bg, s, st, ctx := context.Background(), sb.s, sb.st, sb.ctx
	b := networkBrowser{t: t, ctx: ctx, url: s.URL}

	// The project.
	b.open("/admin/projects/new", "#code")
	b.fill("code", "tt-vejle", "acronym", "VECU", "title_en", "Vejle and Cuenca: towns that keep their young",
		"programme", "CERV (2021-2027)", "strand", "Town-Twinning", "retention_years", "5")
	projectPath, _ := b.submit(`form[action="/admin/projects"] button[type=submit]`)
	if !strings.HasPrefix(projectPath, "/admin/projects/") {
		t.Fatalf("after creating the project: %s", projectPath)
	}
	projectPath = strings.SplitN(projectPath, "?", 2)[0]

	// Two partners.
	for _, p := range [][]string{{"Vejle Kommune", "vejle", "Vejle", "DK"}, {"Ayuntamiento de Cuenca", "cuenca", "Cuenca", "ES"}} {
		b.open(projectPath, "#p-organisation")
		b.fill("p-organisation", p[0], "p-slug", p[1], "p-city", p[2], "p-country", p[3])
		b.submit(`form[action$="/partners"] button[type=submit]`)
	}
	proj, err := st.ProjectByCode(bg, st.DB, "tt-vejle")
	if err != nil {
		t.Fatal(err)
	}
	if parts, _ := st.Partners(bg, st.DB, proj.ID); len(parts) != 2 {
		t.Fatalf("%d partners", len(parts))
	}

	// Its own rule set, copied from the CERV Town-Twinning preset.
	b.open("/admin/rulesets/cerv-tt", "#copy_code")
	b.shoot("ruleset-preset")
	b.fill("copy_code", "tt-vejle-rules", "copy_project", "tt-vejle")
	if path, _ := b.submit(`form[action$="/copy"] button[type=submit]`); !strings.HasPrefix(path, "/admin/rulesets/tt-vejle-rules") {
		t.Fatalf("after copying: %s", path)
	}
	// An illustrative lump-sum table (Town Twinning counts invited only).
	b.fill("t_event_max_days", "21", "lump_basis", "invited", "lump_sum", "25-50 0+ 10000\n51+ 0+ 20000")
	if _, text := b.submit(`form[action="/admin/rulesets/tt-vejle-rules"] button[type=submit]`); !strings.Contains(text, "Saved.") {
		t.Fatalf("rule set page after saving: %.300s", text)
	}
	b.shoot("ruleset-copy")
	own, err := st.RuleSetByCode(bg, st.DB, "tt-vejle-rules")
	if err != nil || own.ProjectID == nil || *own.ProjectID != proj.ID || !strings.Contains(string(own.Rules), "max_event_days") || !own.HasLumpSum() {
		t.Fatalf("own rule set: %+v %v", own, err)
	}
	b.open(projectPath, "#rule_set")
	b.fill("rule_set", itoa(own.ID))
	b.submit(`form[action="` + projectPath + `"] button[type=submit]`)
	b.shoot("project-checklist")
	if p, _ := st.ProjectByCode(bg, st.DB, "tt-vejle"); p.RuleSetID == nil || *p.RuleSetID != own.ID {
		t.Fatalf("the project's rule set: %v", p.RuleSetID)
	}

	// The event: the host list holds this project's partners only.
	b.open("/admin/events/new?project=tt-vejle", "#host_partner")
	hosts, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#host_partner option")].map(o => o.textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(hosts, "|") != "—|Vejle · Vejle Kommune|Cuenca · Ayuntamiento de Cuenca" {
		t.Fatalf("host partners offered: %q", hosts)
	}
	b.shoot("event-new")
	first := time.Now().AddDate(0, 1, 0)
	var vejle int64
	st.DB.Get(&vejle, `SELECT id FROM partners WHERE project_id = $1 AND slug = 'vejle'`, proj.ID)
	b.fill("slug", "vecu-1-vejle", "title_en", "Twinning days in Vejle", "city", "Vejle", "country", "DK",
		"first_day", first.Format("2006-01-02"), "last_day", first.AddDate(0, 0, 1).Format("2006-01-02"),
		"time_zone", "Europe/Copenhagen", "host_partner", itoa(vejle), "capacity", "120", "planned_grant", "25000",
		"registration_state", "closed")
	eventPath, _ := b.submit(`form[action="/admin/events"] button[type=submit]`)
	if !strings.HasPrefix(eventPath, "/admin/events/vecu-1-vejle") {
		t.Fatalf("after creating the event: %s", eventPath)
	}
	eventPath = "/admin/events/vecu-1-vejle"

	// The first day's timetable; an end before the start is refused.
	firstKey := first.Format("2006-01-02")
	b.open(eventPath, "#start_"+firstKey)
	b.fill("start_"+firstKey, "10:00", "end_"+firstKey, "09:00")
	if _, text := b.submit(`form[action$="/days"] button[type=submit]`); !strings.Contains(text, "The end must be after the start") {
		t.Fatalf("times in the wrong order: %.400s", text)
	}
	b.fill("start_"+firstKey, "09:30", "end_"+firstKey, "17:00")
	b.submit(`form[action$="/days"] button[type=submit]`)

	// Two questions of the event's own: a required choice counted in the
	// report, and an optional tick box.
	b.open(eventPath+"/questions/new", "#key")
	b.fill("key", "workshop", "kind", "single_choice", "label_en", "Which workshop?",
		"options_en", "Youth and work\nClimate in towns")
	b.run("required, counted", chromedp.Click("#required"), chromedp.Click("#in_report"))
	b.shoot("question-new")
	if path, text := b.submit(`form[action$="/questions"] button[type=submit]`); !strings.HasPrefix(path, eventPath) || !strings.Contains(text, "Which workshop?") {
		t.Fatalf("after adding the first question: %s %.300s", path, text)
	}
	b.open(eventPath+"/questions/new", "#key")
	b.fill("key", "visa_letter", "kind", "checkbox", "label_en", "I need a visa letter")
	if _, text := b.submit(`form[action$="/questions"] button[type=submit]`); !strings.Contains(text, "I need a visa letter") {
		t.Fatalf("after adding the second question: %.300s", text)
	}
	var qs []string
	st.DB.Select(&qs, `SELECT q.key || ':' || q.kind || ':' || q.required || ':' || q.in_report FROM event_questions q
		JOIN events e ON e.id = q.event_id WHERE e.slug = 'vecu-1-vejle' ORDER BY q.position`)
	if strings.Join(qs, " ") != "workshop:single_choice:true:true visa_letter:checkbox:false:false" {
		t.Fatalf("questions stored: %q", qs)
	}

	// Opening registration without a published notice is refused, with the
	// reason on the page; the checklist links to the notice.
	b.open(eventPath, "#h-checklist")
	if text := b.text(); !strings.Contains(text, "Publish the privacy notice in English") {
		t.Fatalf("checklist: %.500s", text)
	}
	b.fill("registration_state", "open")
	if _, text := b.submit(`form[action="` + eventPath + `"] button[type=submit]`); !strings.Contains(text, "Registration cannot open: no privacy notice is published") {
		t.Fatalf("opening without a notice: %.500s", text)
	}
	b.shoot("event-refused")
	if e, _ := st.EventBySlug(bg, st.DB, "vecu-1-vejle"); e.RegistrationState != "closed" {
		t.Fatalf("registration state after the refusal: %s", e.RegistrationState)
	}

	// The notice: drafted naming the project's controller, completed and
	// published in every language.
	b.open("/admin/privacy/projects/tt-vejle/notices", "#controller")
	controller, _ := chromedp.Run(ctx, chromedp.Value("#controller"))
	if !strings.Contains(controller, "Vejle Kommune") {
		t.Fatalf("drafted controller: %q", controller)
	}
	b.fill("contact", "privacy@vejle.example", "authority", "Datatilsynet, www.datatilsynet.dk")
	b.submit(`form[action$="/notices"] button[type=submit]:not([name])`)
	var languages int
	st.DB.Get(&languages, `SELECT count(*) FROM privacy_notices WHERE project_id = $1`, proj.ID)
	if languages != 10 {
		t.Fatalf("notice published in %d languages", languages)
	}

	// Now registration opens.
	b.open(eventPath, "#registration_state")
	b.fill("registration_state", "open")
	b.submit(`form[action="` + eventPath + `"] button[type=submit]`)
	if e, _ := st.EventBySlug(bg, st.DB, "vecu-1-vejle"); e.RegistrationState != "open" {
		t.Fatalf("registration state: %s", e.RegistrationState)
	}
	if text := b.text(); !strings.Contains(text, "Nothing is missing") {
		t.Fatalf("checklist after opening: %.500s", text)
	}

	// One person through the public form.
	b.open("/en/events/vecu-1-vejle/register", "#f-first_name")
	b.fill("f-first_name", "Lucía", "f-last_name", "Martínez", "f-email", "lucia@cuenca.example", "f-country", "ES", "f-city", "Cuenca")
	b.run("invited by Cuenca", chromedp.Click("#f-participation-invited"), chromedp.SetValue("#f-partner", "cuenca"),
		chromedp.Click("#f-privacy"))
	// The required question left out is refused, with the message beside it.
	if _, text := b.submit(`form.reg-form button[type=submit]`); !strings.Contains(text, "Which workshop?") || !strings.Contains(text, "This field is required") {
		t.Fatalf("without the required answer: %.600s", text)
	}
	b.shoot("register-question-refused")
	b.run("answers", chromedp.Click("#f-q-workshop-1"), chromedp.Click("#f-q-visa_letter"))
	if on, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById("f-privacy").checked`)); !on {
		b.run("privacy", chromedp.Click("#f-privacy"))
	}
	if path, _ := b.submit(`form.reg-form button[type=submit]`); !strings.Contains(path, "/registered") {
		t.Fatalf("after registering: %s %.300s", path, b.text())
	}
	var regs int
	st.DB.Get(&regs, `SELECT count(*) FROM registrations r JOIN events e ON e.id = r.event_id WHERE e.slug = 'vecu-1-vejle'`)
	if regs != 1 {
		t.Fatalf("%d registrations", regs)
	}

	// The answers are in the participants export, under the questions' keys.
	req, _ := http.NewRequest(http.MethodGet, s.URL+"/admin/reports/events/vecu-1-vejle/participants?format=xlsx&who=all", nil)
	req.AddCookie(&http.Cookie{Name: auth.SessionCookie, Value: sb.cookie})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	book, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("participants export: %d", resp.StatusCode)
	}
	rows := xlsxtest.ReadOnly(t, book)[0].Rows
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	if len(rows) != 2 || rows[1][col["workshop"]] != "Climate in towns" || rows[1][col["visa_letter"]] != "yes" {
		t.Fatalf("participants export: %q", rows)
	}

	// The public page shows the day's times; its .ics carries them in the
	// event's time zone.
	b.open("/en/events/vecu-1-vejle", "main")
	if text := b.text(); !strings.Contains(text, "09:30–17:00") {
		t.Fatalf("public page without the timetable: %.400s", text)
	}
	resp, err = http.Get(s.URL + "/en/events/vecu-1-vejle/calendar.ics")
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(cal), "DTSTART;TZID=Europe/Copenhagen:"+first.Format("20060102")+"T093000") || !strings.Contains(string(cal), "BEGIN:VTIMEZONE") {
		t.Fatalf("calendar file:\n%s", cal)
	}

	// The event's report, checked against the project's CERV rules.
	b.open("/admin/reports/events/vecu-1-vejle", "#rules")
	chosen, _ := chromedp.Run(ctx, chromedp.Value("#rules"))
	if chosen != "tt-vejle-rules" {
		t.Fatalf("report's rule set: %q", chosen)
	}
	rules, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#h-rules ~ .table-wrap table.rules tbody tr")].map(r => r.className + ":" + r.cells[1].textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if grant := b.text(); !strings.Contains(grant, "What the attendance earns") || !strings.Contains(grant, "25,000 EUR") ||
		!strings.Contains(grant, "below the table's lowest band") {
		t.Fatalf("lump sum on the report: %.1500s", grant)
	}
	if len(rules) != 3 || !strings.Contains(strings.Join(rules, "|"), "rule-not-met:") || !strings.Contains(strings.Join(rules, "|"), "50") {
		t.Fatalf("CERV rules on the report: %q", rules)
	}
	// The counted question: one person registered for the climate workshop.
	counted, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#questions table[data-question=workshop] tbody tr")].map(r => r.cells[0].textContent + "=" + r.cells[1].textContent)`))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(counted, "|") != "Youth and work=0|Climate in towns=1" || !strings.Contains(b.text(), "Questions of this event") {
		t.Fatalf("counted question on the report: %q", counted)
	}
	if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#questions table[data-question=visa_letter]").length`)); n != 0 {
		t.Fatal("a question not counted is on the report")
	}
	// The report's wide tables scroll on a phone (axe: scrollable-region-
	// focusable), as they do on every report; checked on a desktop here.
	b.run("desktop", chromedp.EmulateViewport(1280, 900))
	browsertest.AssertAccessible(t, ctx, "report-cerv")
	browsertest.Screenshot(t, ctx, "report-cerv-desktop")
}
