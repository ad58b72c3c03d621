package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
	"guatu/internal/setup"
)

// TestAccessibilitySetup checks the first-run page a new installation
// opens on, as it first shows and after a wrong setup code, with axe.
func TestAccessibilitySetup(t *testing.T) {
	src := axeSource(t)
	onSQLite(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startEmpty(t, engine, setup.NewCode())
		ctx := newBrowser(t)
		do(t, ctx, "open /", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=setup-form]`)))
		checkAxe(t, ctx, src, "/setup")
		do(t, ctx, "install with a wrong code",
			chromedp.SendKeys(chromedp.CSS(`#code`), "WRONG-CODE"),
			chromedp.SendKeys(chromedp.CSS(`#district`), "新城区"),
			chromedp.SendKeys(chromedp.CSS(`#townships`), "城关镇"),
			chromedp.SendKeys(chromedp.CSS(`#login`), "chief"),
			chromedp.SendKeys(chromedp.CSS(`#password`), "A-long-password"),
			chromedp.SendKeys(chromedp.CSS(`#password2`), "A-long-password"),
			chromedp.Click(chromedp.CSS(`[data-testid=setup-form] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid=error-code]`)))
		checkAxe(t, ctx, src, "/setup (wrong code)")
	})
}

// TestAccessibilityEnglish walks every page of two roles with English
// chosen: the texts differ in length and wording, and a label that exists
// only in Chinese would show here.
func TestAccessibilityEnglish(t *testing.T) {
	src := axeSource(t)
	onSQLite(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startServer(t, engine)
		for _, role := range []string{"tongji", "duban"} {
			t.Run(role, func(t *testing.T) {
				ctx := newBrowser(t)
				login(t, ctx, base, role, demo.Password)
				do(t, ctx, "switch to English", chromedp.Click(chromedp.CSS(`form[action="/lang"] button[name=lang][value=en]`)),
					chromedp.WaitVisible(chromedp.CSS(`form[action="/lang"] button[name=lang][value=zh-CN]`)))
				if lang := get(t, ctx, "read the page language", chromedp.Evaluate[string](`document.documentElement.lang`)); lang != "en" {
					t.Fatalf("after the switch the page says lang=%q, want en", lang)
				}
				walkAxe(t, ctx, src, base, role+" (English)")
			})
		}
	})
}
