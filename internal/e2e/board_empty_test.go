package e2e

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// TestEmptyBoard signs in as the grid worker, whose grid has no targets:
// the board says what it will show once targets are set, shows no 0/0/0
// light tiles, and every link it offers opens a page the worker may see.
func TestEmptyBoard(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startServer(t, engine)
		ctx := newBrowser(t)
		login(t, ctx, base, "wangge", demo.Password)
		do(t, ctx, "open the board", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid=board-empty]`)))
		type empty struct {
			Title  string
			Items  int
			Tiles  bool
			Links  []string
			Labels []string
		}
		got := get(t, ctx, "read the empty board", chromedp.Evaluate[empty](`(() => {
			const s = document.querySelector('[data-testid=board-empty]');
			const links = Array.from(s.querySelectorAll('[data-testid=board-empty-links] a'));
			return {
				title: s.querySelector('h2').textContent.trim(),
				items: s.querySelectorAll('ul li').length,
				tiles: !!document.querySelector('[data-testid=light-counts]'),
				links: links.map(a => a.getAttribute('href')),
				labels: links.map(a => a.textContent.trim()),
			};
		})()`))
		if !strings.Contains(got.Title, "第一网格") {
			t.Errorf("empty board title %q does not name the worker's grid 第一网格", got.Title)
		}
		if got.Items < 4 {
			t.Errorf("empty board lists %d things it will show, want the four kinds", got.Items)
		}
		if got.Tiles {
			t.Errorf("empty board still shows the light tiles (0/0/0)")
		}
		if len(got.Links) < 3 {
			t.Fatalf("empty board offers links %v (%v), want the unit, its people, the campaign and the account", got.Links, got.Labels)
		}
		for i, href := range got.Links {
			do(t, ctx, "follow "+got.Labels[i], chromedp.Navigate(base+href), chromedp.WaitReady(chromedp.CSS("footer")))
			if get(t, ctx, "look at "+href, chromedp.Evaluate[bool](`!!document.querySelector('.error-page')`)) {
				t.Errorf("the empty board's link %s (%s) opens an error page for the grid worker", got.Labels[i], href)
			}
		}
	})
}
