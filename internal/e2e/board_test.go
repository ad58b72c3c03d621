package e2e

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// TestBoard opens the campaign board as the party secretary: the countdown,
// every colour of light among the township's indicators, the charts drawn,
// and the red count leading to the red targets.
func TestBoard(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		login(t, ctx, base, "shuji", demo.Password)
		if got := pagePath(t, ctx, base); got != "/" {
			t.Fatalf("after signing in the browser is at %q, want the board", got)
		}

		// Every indicator gets its chart, drawn by ECharts on a canvas. The
		// page is read once they are: board.js builds the chart grid, and a
		// node read while the DOM grows may be gone by the time it is read.
		charts := get(t, ctx, "count charts", chromedp.Evaluate[int](`JSON.parse(document.getElementById('board-data').textContent).charts.length`))
		if charts == 0 {
			t.Fatal("the board carries no chart data")
		}
		do(t, ctx, "wait for the charts",
			chromedp.Poll[chromedp.Void](`document.querySelectorAll('#board-charts .spark canvas').length >= `+strconv.Itoa(charts),
				chromedp.WithPollingTimeout(15*time.Second)))
		blank := get(t, ctx, "look at a chart", chromedp.Evaluate[bool](`(() => {
			const c = document.querySelector('#board-charts .spark canvas');
			return c.width === 0 || c.height === 0;
		})()`))
		if blank {
			t.Errorf("the first chart's canvas has no size")
		}
		// A chart's light is told in words beside its dot, not by colour alone.
		words := get(t, ctx, "read the charts' lights", chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll('#board-charts figcaption'), c => { const w = c.querySelector('[data-testid=chart-light]'); return w ? w.textContent : ''; })`))
		for i, w := range words {
			if w != "绿灯" && w != "黄灯" && w != "红灯" && w != "暂无数据" {
				t.Errorf("chart %d's caption tells its light as %q, want 绿灯, 黄灯, 红灯 or 暂无数据", i+1, w)
			}
		}

		countdown := innerText(t, ctx, "[data-testid=campaign-days]")
		if !strings.Contains(countdown, demo.CampaignName) || !strings.Contains(countdown, "天") {
			t.Errorf("countdown = %q, want the days left in %s", countdown, demo.CampaignName)
		}
		if got := innerText(t, ctx, "[data-testid=board-unit]"); got != demo.TownshipName {
			t.Errorf("board of %q, want %s", got, demo.TownshipName)
		}
		for _, light := range []string{"red", "yellow", "green"} {
			n := get(t, ctx, "count "+light+" badges", chromedp.Evaluate[int](
				`document.querySelectorAll('[data-testid=indicator-table] .light-`+light+`[data-testid=light]').length`))
			if n == 0 {
				t.Errorf("the indicator table has no %s light", light)
			}
		}

		do(t, ctx, "click the red count", chromedp.Click(chromedp.CSS("[data-testid=count-red]")))
		if got := waitPath(t, ctx, base, "/targets"); !strings.HasPrefix(got, "/targets?light=red") {
			t.Errorf("the red count led to %q, want /targets?light=red…", got)
		}
	})
}

// TestBoardDistrict shows the district's league of townships above the
// board, and choosing a township shows its board.
func TestBoardDistrict(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		login(t, ctx, base, "admin", demo.Password)

		league := innerText(t, ctx, "[data-testid=league]")
		for _, town := range []string{demo.TownshipName, demo.NeighbourA, demo.NeighbourB} {
			if !strings.Contains(league, town) {
				t.Errorf("league lacks %s:\n%s", town, league)
			}
		}
		do(t, ctx, "choose "+demo.NeighbourA,
			chromedp.Evaluate[chromedp.Void](`(() => {
				const s = document.querySelector('[data-testid=township-select]');
				s.value = [...s.options].find(o => o.text === '`+demo.NeighbourA+`').value;
				s.dispatchEvent(new Event('change', {bubbles: true}));
			})()`))
		waitPath(t, ctx, base, "/?unit=")
		if got := innerText(t, ctx, "[data-testid=board-unit]"); got != demo.NeighbourA {
			t.Errorf("after choosing %s the board shows %q", demo.NeighbourA, got)
		}
	})
}

// waitPath waits until the browser's page, a navigation away, starts with
// prefix, and returns it.
func waitPath(t *testing.T, ctx context.Context, base, prefix string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		// Reading the location while the page navigates can fail ("inspected
		// target navigated"): that is a reason to look again, not to fail.
		loc, err := chromedp.Run(ctx, chromedp.Location())
		got := strings.TrimPrefix(loc, base)
		if err == nil && strings.HasPrefix(got, prefix) {
			do(t, ctx, "wait for "+got, chromedp.WaitReady(chromedp.CSS("body")))
			return got
		}
		if time.Now().After(deadline) {
			t.Fatalf("the browser stays at %q, want %s…", got, prefix)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// innerText reads an element's visible text in the page itself, without
// holding a DOM node between waiting and reading: the board's script keeps
// adding to the page as it draws.
func innerText(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	js, _ := json.Marshal(css)
	return get(t, ctx, "read "+css, chromedp.Poll[string](`(() => { const e = document.querySelector(`+string(js)+`); return e && e.innerText.trim(); })()`,
		chromedp.WithPollingTimeout(10*time.Second)))
}
