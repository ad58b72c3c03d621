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

// TestBoardLeader opens the board as the 镇长: the targets in his charge
// (我分管的) come first, above the light counts; the ranking of the leaders
// in charge leads, from a leader's count, to exactly that many targets.
func TestBoardLeader(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		login(t, ctx, base, "zhenzhang", demo.Password)
		if got := pagePath(t, ctx, base); got != "/" {
			t.Fatalf("after signing in the browser is at %q, want the board", got)
		}
		first := get(t, ctx, "find the board's first card", chromedp.Poll[string](`(() => {
			const c = document.querySelector('[data-testid=board] section.card');
			return c && c.dataset.testid;
		})()`, chromedp.WithPollingTimeout(10*time.Second)))
		if first != "led" {
			t.Errorf("the board's first card is %q, want 我分管的 (led)", first)
		}
		if h := innerText(t, ctx, "[data-testid=led] h2"); h != "我分管的" {
			t.Errorf("its heading reads %q, want 我分管的", h)
		}
		above := get(t, ctx, "compare the places", chromedp.Evaluate[bool](`(() => {
			const led = document.querySelector('[data-testid=led]').getBoundingClientRect();
			const tiles = document.querySelector('[data-testid=light-counts]').getBoundingClientRect();
			return led.top < tiles.top;
		})()`))
		if !above {
			t.Error("我分管的 is not above the light counts")
		}
		rows := innerText(t, ctx, "[data-testid=led] tbody")
		for _, want := range []string{"入库税收", "一般公共预算收入", "个百分点"} {
			if !strings.Contains(rows, want) {
				t.Errorf("我分管的 lacks %s:\n%s", want, rows)
			}
		}

		// The ranking's first leader, and the list their count opens.
		n, _ := strconv.Atoi(innerText(t, ctx, "[data-testid=leaders] [data-testid=leader-targets]"))
		if n == 0 {
			t.Fatal("the ranking's first leader counts no target")
		}
		// Clicked from the page's own script: the charts drawn after load
		// can renew the document's nodes between finding the link and a
		// protocol-level click on it.
		if !get(t, ctx, "click the first leader's count", chromedp.Evaluate[bool](`(() => {
			const a = document.querySelector('[data-testid=leaders] [data-testid=leader-targets]');
			if (a) { a.click(); }
			return !!a;
		})()`)) {
			t.Fatal("the ranking's first count is gone")
		}
		if got := waitPath(t, ctx, base, "/targets?"); !strings.Contains(got, "leader=") {
			t.Errorf("the count led to %q, want the list filtered by the leader", got)
		}
		shown := get(t, ctx, "count the rows", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=target-row]').length`))
		if shown != n {
			t.Errorf("the leader's count says %d, the list shows %d rows", n, shown)
		}
		if got := innerText(t, ctx, "[data-testid=leader-shown]"); !strings.HasPrefix(got, "分管领导：") {
			t.Errorf("the list says %q, want the leader named", got)
		}
	})
}
