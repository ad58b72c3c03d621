package e2e

import (
	"strings"
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

		// The target list is a card per target: the light, the completion
		// and the gap come first, under the name, with their column's name.
		do(t, ctx, "open /targets", chromedp.Navigate(base+"/targets"), chromedp.WaitVisible(chromedp.CSS("[data-testid=target-row]")))
		fits("/targets")
		order := get(t, ctx, "read the first card", chromedp.Evaluate[[]string](`(() => {
			const tr = document.querySelector('[data-testid=target-row]');
			const cells = [...tr.children].filter(td => td.dataset.label && !td.classList.contains('c-indicator'));
			cells.sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top || a.getBoundingClientRect().left - b.getBoundingClientRect().left);
			return cells.slice(0, 3).map(td => td.dataset.label + ':' + getComputedStyle(td, '::before').content);
		})()`))
		for i, want := range []string{"亮灯", "占年计划", "较序时"} {
			if i >= len(order) || !strings.HasPrefix(order[i], want+":") || !strings.Contains(order[i], want) {
				t.Errorf("card cell %d is %v, want %s first with its label shown", i, order, want)
				break
			}
		}
	})
}
