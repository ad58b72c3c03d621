package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// TestAuditOnAPhone opens the audit log on a 390 px phone: the page itself
// does not scroll sideways (the table scrolls in its frame), every time stays
// on one line, and the entries name their objects rather than showing JSON.
func TestAuditOnAPhone(t *testing.T) {
	const width = 390
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		do(t, ctx, "emulate a phone", chromedp.EmulateViewport(width, 800, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait))
		login(t, ctx, base, "admin", demo.Password)
		do(t, ctx, "open /audit", chromedp.Navigate(base+"/audit?entity=figure"), chromedp.WaitVisible(chromedp.CSS("[data-testid=audit-table]")))
		if got := get(t, ctx, "measure the page", chromedp.Evaluate[int](`document.documentElement.scrollWidth`)); got > width+1 {
			t.Errorf("/audit is %d px wide on a %d px phone", got, width)
		}
		wrapped := get(t, ctx, "count wrapped times", chromedp.Evaluate[int](`[...document.querySelectorAll("[data-testid=audit-table] td.when")].filter(td => {
			const r = document.createRange(); r.selectNodeContents(td); return r.getClientRects().length !== 1
		}).length`))
		if wrapped != 0 {
			t.Errorf("%d times wrap onto a second line", wrapped)
		}
		text := get(t, ctx, "read the table", chromedp.Evaluate[string](`document.querySelector("[data-testid=audit-table]").innerText`))
		for _, bad := range []string{"{", "target_id"} {
			if strings.Contains(text, bad) {
				t.Errorf("the audit table shows %q", bad)
			}
		}
		if !strings.Contains(text, "本年累计") {
			t.Errorf("the figures' entries do not say 本年累计:\n%.500s", text)
		}
	})
}
