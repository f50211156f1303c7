package admin_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
	"github.com/decode-attend/attend/internal/web/webtest"
)

// The import screen in a browser: upload a file, see its column mapping,
// first rows and an error named by row and column (nothing stored), map a
// column by hand, check again, and import.
func TestBrowserImportScreen(t *testing.T) {
	b := newStaffBrowser(t, webtest.Demo, "decode-4-lodz", func(store.Event) store.User { // begins today in the demo
		return store.User{Email: "coord@example.org", Name: "Cora", Role: auth.RoleCoordinator, Language: "lv"}
	})
	s, st, ev, ctx := b.s, b.st, b.ev, b.ctx
	today := ev.FirstDay.Format("2006-01-02")
	dir := t.TempDir()
	// Latvian headers; "Apmeklējums" is not a name the import knows, so it is mapped by hand.
	bad := filepath.Join(dir, "dalibnieki.csv")
	os.WriteFile(bad, []byte("Vārds;Uzvārds;E-pasts;Pilsēta;Valsts;Dalības veids;Apmeklējums\n"+
		"Anna;Bērziņa;anna.imp@example.lv;Daugavpils;Latvija;other;"+today+"\n"+
		"Jānis;Ozols;janis@;Daugavpils;LV;other;\n"), 0o600)
	good := filepath.Join(dir, "dalibnieki-labots.csv")
	os.WriteFile(good, []byte("Vārds;Uzvārds;E-pasts;Pilsēta;Valsts;Dalības veids;Apmeklējums\n"+
		"Anna;Bērziņa;anna.imp@example.lv;Daugavpils;Latvija;other;"+today+"\n"+
		"Jānis;Ozols;janis.imp@example.lv;Daugavpils;LV;other;\n"), 0o600)
	imported := func() int {
		var n int
		st.DB.Get(&n, `SELECT count(*) FROM registrations WHERE event_id = $1 AND source = 'import'`, ev.ID)
		return n
	}

	run := func(what string, as ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, as...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(sel))
		if err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
		return s
	}
	run("event page", chromedp.Navigate(s.URL+"/admin/events/"+ev.Slug), chromedp.WaitVisible(`a[href$="/import"]`))
	run("open the import", chromedp.Click(`a[href$="/import"]`), chromedp.WaitVisible("#import-upload"))
	browsertest.AssertAccessible(t, ctx, "import upload")
	browsertest.Screenshot(t, ctx, "import-upload")

	run("upload", chromedp.SetUploadFiles("#file", []string{bad}), chromedp.Click(`#import-upload button[type=submit]`),
		chromedp.WaitVisible("#import-preview"))
	errorsText, first := text("table[aria-labelledby=import-errors] tbody"), text("table.preview tbody tr td:nth-child(2)")
	mapped, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll("#import-preview select")].map(s => s.value)`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errorsText, "3") || !strings.Contains(errorsText, "C (E-pasts)") || strings.Contains(errorsText, "reg.error") {
		t.Errorf("errors table: %q", errorsText)
	}
	if first != "Anna" {
		t.Errorf("first row's first cell: %q", first)
	}
	want := []string{"first_name", "last_name", "email", "city", "country", "participation", ""}
	if strings.Join(mapped, ",") != strings.Join(want, ",") {
		t.Errorf("mapping %v, want %v", mapped, want)
	}
	applyButtons, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("#import-apply").length`))
	if applyButtons != 0 || imported() != 0 {
		t.Fatalf("a file with errors: %d import buttons, %d stored", applyButtons, imported())
	}
	browsertest.AssertAccessible(t, ctx, "import preview with errors")
	browsertest.Screenshot(t, ctx, "import-preview-errors")

	run("upload the corrected file", chromedp.Navigate(s.URL+"/admin/events/"+ev.Slug+"/import"), chromedp.WaitVisible("#import-upload"),
		chromedp.SetUploadFiles("#file", []string{good}), chromedp.Click(`#import-upload button[type=submit]`),
		chromedp.WaitVisible("#import-apply"))
	// Mark the page, so that the wait below sees the new one.
	run("map the attendance column by hand", chromedp.SetValue("#map_6", "attended"),
		chromedp.Evaluate[chromedp.Void](`window.oldPage = true`), chromedp.Click(`#import-preview button.secondary`))
	for i := 0; ; i++ {
		ok, _ := chromedp.Run(ctx, chromedp.Evaluate[bool](`!window.oldPage && document.readyState === "complete" && !!document.querySelector("#import-apply")`))
		if ok {
			break
		}
		if i > 100 {
			t.Fatal("the checked page did not come")
		}
		time.Sleep(50 * time.Millisecond)
	}
	admissions := text("#import-counts .stat:nth-child(5) b")
	if admissions != "1" || imported() != 0 {
		t.Fatalf("after mapping: %s admissions shown, %d stored", admissions, imported())
	}
	browsertest.Screenshot(t, ctx, "import-preview")
	run("import", chromedp.Click("#import-apply"), chromedp.WaitVisible(".notice.success"))
	if n := imported(); n != 2 {
		t.Fatalf("%d imported", n)
	}
	var n int
	st.DB.Get(&n, `SELECT count(*) FROM admissions WHERE event_id = $1 AND method = 'import' AND user_id = $2`, ev.ID, b.user.ID)
	if n != 1 {
		t.Fatalf("%d admissions by the import", n)
	}
	st.DB.Get(&n, `SELECT count(*) FROM import_uploads WHERE file_name = 'dalibnieki-labots.csv'`)
	if n != 0 {
		t.Fatal("the applied file is still kept")
	}
}
