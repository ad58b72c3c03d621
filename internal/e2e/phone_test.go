package e2e

import (
	"testing"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// TestPhoneWidth checks that pages fit a 375 px phone: the page itself never
// scrolls sideways (wide tables scroll inside their own box).
func TestPhoneWidth(t *testing.T) {
	const width = 375
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		do(t, ctx, "emulate a phone", chromedp.EmulateViewport(width, 740, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))

		fits := func(page string) {
			t.Helper()
			if w := get(t, ctx, "read the viewport", chromedp.Evaluate[int](`window.innerWidth`)); w != width {
				t.Fatalf("viewport is %d px wide, want %d: the phone emulation did not take", w, width)
			}
			got := get(t, ctx, "measure "+page, chromedp.Evaluate[int](`document.documentElement.scrollWidth`))
			if got > width+1 {
				t.Errorf("%s is %d px wide on a %d px phone", page, got, width)
			}
		}
		do(t, ctx, "open /login", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("login")))
		fits("/login")

		login(t, ctx, base, "admin", demo.Password)
		do(t, ctx, "open /units", chromedp.Navigate(base+"/units"), chromedp.WaitVisible(chromedp.CSS("[data-testid=units-table]")))
		fits("/units")
	})
}
