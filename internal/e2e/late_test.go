package e2e

import (
	"context"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// startServerAt is startServer with the app's clock fixed at now.
func startServerAt(t *testing.T, engine db.Dialect, now time.Time) (string, *app.App) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, app.Config{DSN: apptest.DSN(t, engine), Log: slog.New(slog.DiscardHandler), Clock: &clock.Fixed{T: now}})
	if err != nil {
		cancel()
		t.Fatalf("open app: %v", err)
	}
	if _, err := demo.Load(ctx, a.DB, now); err != nil {
		cancel()
		a.Close()
		t.Fatalf("load demo: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		a.Close()
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		a.Close()
	})
	return "http://" + l.Addr().String(), a
}

// TestLateReport: after the reporting day (the 5th), 东湖村's 入库税收, which
// has 1-10月 only, is 未报 on the board and in its list; the statistician
// sends a 催报, which reaches the village's reporter on their board.
func TestLateReport(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startServerAt(t, engine, time.Date(2026, 12, 8, 10, 0, 0, 0, clock.Beijing))
		ctx := newBrowser(t)
		login(t, ctx, base, "tongji", demo.Password)
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(text(t, ctx, "[data-testid=count-late] .v")), "项"))
		if err != nil || n == 0 {
			t.Fatalf("the 未报 tile reads %d (%v), want the late targets", n, err)
		}
		// Follow the tile's own link rather than click it: a click once lost
		// its node ("could not find node with given id") right after the
		// board loaded, and the href is what the tile promises anyway.
		tile := get(t, ctx, "read the 未报 tile's link", chromedp.Evaluate[string](`document.querySelector('[data-testid=count-late]').getAttribute('href')`))
		do(t, ctx, "open the late list", chromedp.Navigate(base+tile), chromedp.WaitVisible(chromedp.CSS("[data-testid=target-row]")))
		rows := get(t, ctx, "count late rows", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=target-row] [data-testid=late]').length`))
		all := get(t, ctx, "count rows", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=target-row]').length`))
		if rows != all || (all != n && all < 50) {
			t.Errorf("the late list shows %d rows, %d of them tagged 未报; the tile counts %d", all, rows, n)
		}
		href := get(t, ctx, "find 东湖村 入库税收", chromedp.Evaluate[string](`(() => {
			for (const tr of document.querySelectorAll('[data-testid=target-row]')) {
				if (tr.innerText.includes('入库税收') && tr.innerText.includes('东湖村')) { return tr.querySelector('a[href^="/targets/"]').getAttribute('href'); }
			}
			return '';
		})()`))
		if href == "" {
			t.Fatal("东湖村 入库税收 is not in the late list")
		}
		do(t, ctx, "open the target", chromedp.Navigate(base+href), chromedp.WaitVisible(chromedp.CSS("[data-testid=late-note]")))
		if note := text(t, ctx, "[data-testid=late-note]"); !strings.Contains(note, "1-11月") {
			t.Errorf("late note = %q, want it to name 1-11月", note)
		}
		// Each press is a form post that reloads the page: wait for the
		// reload itself, or the reminder seen may be the old page's, and the
		// count taken while the new one is still empty.
		for _, step := range []string{"send the reminder", "send it again"} {
			if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS("[data-testid=remind]"))); err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			do(t, ctx, step, chromedp.WaitVisible(chromedp.CSS("[data-testid=reminder]")))
		}
		if k := get(t, ctx, "count reminders", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=reminder]').length`)); k != 1 {
			t.Errorf("%d reminders after sending twice in a day, want 1", k)
		}

		reporter := newBrowser(t)
		login(t, reporter, base, "donghu", demo.Password)
		if got := text(t, reporter, "[data-testid=my-reminders]"); !strings.Contains(got, "入库税收") {
			t.Errorf("the reporter's board shows %q, want the 催报 for 入库税收", got)
		}
	})
}
