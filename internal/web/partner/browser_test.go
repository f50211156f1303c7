package partner_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/decode-attend/attend/internal/auth"
	"github.com/decode-attend/attend/internal/browsertest"
	"github.com/decode-attend/attend/internal/store"
)

// The coordinator's pages in a browser: register a delegation by keyboard
// and check every page with axe-core.
func TestBrowserDelegation(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	st, f, base := setup(t)
	kaunas := f.Partners["kaunas"]
	u := store.User{Email: "coord@kaunas.lt", Name: "Coordinator", Role: auth.RolePartner, PartnerID: &kaunas.ID, Language: "lt"}
	if err := st.CreateUser(context.Background(), st.DB, &u); err != nil {
		t.Fatal(err)
	}
	cookie, err := auth.New(st, time.Now).StartSession(context.Background(), u.ID, true)
	if err != nil {
		t.Fatal(err)
	}
	ctx, _ := browsertest.NewContext(t)
	browsertest.SetCookie(t, ctx, base+"/", auth.SessionCookie, cookie)
	open := func(path string) {
		t.Helper()
		if err := chromedp.Do(ctx, chromedp.Navigate(base+path)); err != nil {
			t.Fatal(err)
		}
	}
	open("/partner/")
	browsertest.AssertAccessible(t, ctx, "partner home")
	open("/partner/events/" + f.Event.Slug + "/delegation")
	browsertest.AssertAccessible(t, ctx, "delegation form")
	browsertest.Screenshot(t, ctx, "partner-form")
	// Three person blocks show at first; the button reveals one more at a
	// time and moves the focus into it.
	visible := func() int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll("fieldset.member")].filter(f => f.offsetParent !== null).length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := visible(); n != 3 {
		t.Fatalf("%d person blocks shown at first, want 3", n)
	}
	if err := chromedp.Do(ctx, chromedp.Focus("button.add-person"), chromedp.KeyEvent("\r")); err != nil {
		t.Fatal(err)
	}
	if n := visible(); n != 4 {
		t.Fatalf("%d person blocks after adding one, want 4", n)
	}
	if id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.id`)); err != nil || id != "m3-first_name" {
		t.Fatalf("focus after adding a person: %q %v", id, err)
	}
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.SendKeys("#m0-first_name", "Jūratė"), chromedp.SendKeys("#m0-last_name", "Žemaitė"),
		chromedp.SendKeys("#m0-email", "jurate@kaunas.lt"),
		chromedp.SendKeys("#m1-first_name", "Rūta"), chromedp.SendKeys("#m1-last_name", "Butkus"),
		chromedp.SendKeys("#d-privacy_informed", " "),
		chromedp.Submit("#d-privacy_informed"),
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	if err := browsertest.WaitForPage(ctx, "/partner/delegations/"); err != nil {
		t.Fatalf("no delegation page: %v", err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("main").innerText`))
	if err != nil || !strings.Contains(text, "Jūratė Žemaitė") || !strings.Contains(text, "Rūta Butkus") {
		t.Fatalf("delegation page: %v %q", err, text)
	}
	browsertest.AssertAccessible(t, ctx, "delegation")
	browsertest.Screenshot(t, ctx, "partner-delegation")
}
