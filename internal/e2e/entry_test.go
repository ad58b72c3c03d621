package e2e

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestEntryRefusesWhatCannotBeTrue: on a target's figure form the
// statistician is refused a cumulative total below the month before, with
// that month named; a month already reported opens with its kept values and
// its correction needs a reason; a figure 10,000 times off asks for
// 确认数值无误 and is written once it is ticked.
func TestEntryRefusesWhatCannotBeTrue(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "tongji", demo.Password)

		id := townTarget(t, a, "入库税收")
		// The demo has figures up to last month, the last one that has ended.
		today := clock.Today(time.Now())
		last := today.AddDate(0, 0, -today.Day())
		if last.Year() != today.Year() || last.Month() < 2 {
			t.Skip("the demo's year has fewer than two ended months today")
		}
		year, month := last.Year(), int(last.Month())
		period, before := targets.Period(year, month), targets.Period(year, month-1)
		kept, keptLY := keptFigure(t, a, id, period)
		prev, _ := keptFigure(t, a, id, before)
		if keptLY == nil {
			t.Fatalf("the demo's %s has no 去年同期", period)
		}
		page := fmt.Sprintf("%s/targets/%d", base, id)
		submit := chromedp.Click(chromedp.CSS(`[data-testid=figure-form] button[type=submit]`))
		setValue := func(id, v string) chromedp.Action[chromedp.Void] {
			return chromedp.Steps(chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = ''`, id)), chromedp.SendKeys(chromedp.ID(id), v))
		}
		refused := func(t *testing.T, step string) {
			t.Helper()
			resp, err := chromedp.RunResponse(ctx, submit)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			if resp.Status != 422 {
				t.Fatalf("%s: status %d, want 422", step, resp.Status)
			}
		}
		figures := func() int {
			var n int
			if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM figures WHERE target_id = $1`, id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		t.Run("choosing a reported month fills in its kept values", func(t *testing.T) {
			do(t, ctx, "open the target", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS("[data-testid=figure-form]")))
			do(t, ctx, "choose the month before", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(
				`(s => { s.value = %q; s.dispatchEvent(new Event('change')); })(document.getElementById('period'))`, before)))
			if got := get(t, ctx, "read the value", chromedp.Value(chromedp.ID("value"))); got != num(prev) {
				t.Errorf("value for %s = %q, want the kept %q", before, got, num(prev))
			}
		})

		t.Run("a total below the month before is refused, naming it", func(t *testing.T) {
			n := figures()
			do(t, ctx, "open the target on the month", chromedp.Navigate(page+"?period="+period), chromedp.WaitVisible(chromedp.CSS("[data-testid=figure-form]")),
				setValue("value", num(prev-100)), chromedp.SendKeys(chromedp.ID("reason"), "试填"))
			refused(t, "submit a decrease")
			want := fmt.Sprintf("低于%d年1-%d月的", year, month-1)
			if got := text(t, ctx, "[data-testid=error-correction]"); !strings.Contains(got, want) || !strings.Contains(got, "请按更正录入") {
				t.Errorf("refusal %q, want it to name %s and ask for a correction", got, want)
			}
			if figures() != n {
				t.Error("the refused figure was written")
			}
		})

		t.Run("a correction starts from the kept values and needs a reason", func(t *testing.T) {
			do(t, ctx, "open the month from the history", chromedp.Navigate(page),
				chromedp.WaitVisible(chromedp.CSS(fmt.Sprintf(`[data-testid=history-row][data-period=%q] [data-testid=correct-link]`, period))),
				chromedp.Click(chromedp.CSS(fmt.Sprintf(`[data-testid=history-row][data-period=%q] [data-testid=correct-link]`, period))),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=prefilled-note]")))
			if got := get(t, ctx, "read the month", chromedp.Value(chromedp.ID("period"))); got != period {
				t.Errorf("month = %q, want %s", got, period)
			}
			if got := get(t, ctx, "read the value", chromedp.Value(chromedp.ID("value"))); got != num(kept) {
				t.Errorf("value = %q, want the kept %q", got, num(kept))
			}
			if got := get(t, ctx, "read 去年同期", chromedp.Value(chromedp.ID("last_year_value"))); got != num(*keptLY) {
				t.Errorf("去年同期 = %q, want the kept %q", got, num(*keptLY))
			}
			do(t, ctx, "change the value only", setValue("value", num(kept+10)))
			refused(t, "submit without a reason")
			if got := text(t, ctx, "[data-testid=error-reason]"); !strings.Contains(got, "更正原因") {
				t.Errorf("reason error %q, want 更正原因", got)
			}
			do(t, ctx, "give the reason", chromedp.SendKeys(chromedp.ID("reason"), "税务局补录一笔"), submit, chromedp.WaitVisible(chromedp.CSS(".flash")))
			row := text(t, ctx, fmt.Sprintf(`[data-testid=history-row][data-period=%q]`, period))
			if !strings.Contains(row, "税务局补录一笔") || !strings.Contains(row, "当前") {
				t.Errorf("newest entry %q, want it current with its reason", row)
			}
			v, ly := keptFigure(t, a, id, period)
			if v != kept+10 || ly == nil || *ly != *keptLY {
				t.Errorf("kept %v / %v, want %v with 去年同期 %v kept", v, ly, kept+10, *keptLY)
			}
		})

		t.Run("a figure 10,000 times off needs 确认数值无误", func(t *testing.T) {
			n := figures()
			wrong := (kept + 10) * 10000
			do(t, ctx, "enter 亿元 as 万元", chromedp.Navigate(page+"?period="+period), chromedp.WaitVisible(chromedp.CSS("[data-testid=figure-form]")),
				setValue("value", num(wrong)), chromedp.SendKeys(chromedp.ID("reason"), "核实"))
			refused(t, "submit the suspect figure")
			if got := text(t, ctx, "[data-testid=error-confirm]"); !strings.Contains(got, "约1万倍") || !strings.Contains(got, "确认数值无误") {
				t.Errorf("flag %q, want about 10,000 times and the confirmation asked", got)
			}
			if figures() != n {
				t.Fatal("the suspect figure was written unconfirmed")
			}
			do(t, ctx, "confirm it", chromedp.Click(chromedp.CSS("[data-testid=confirm]")), submit, chromedp.WaitVisible(chromedp.CSS(".flash")))
			if v, _ := keptFigure(t, a, id, period); v != wrong {
				t.Errorf("kept %v, want the confirmed %v", v, wrong)
			}
		})
	})
}

// keptFigure reads the current figure of a target's period.
func keptFigure(t *testing.T, a *app.App, id int64, period string) (float64, *float64) {
	t.Helper()
	var v float64
	var ly *float64
	err := a.DB.QueryRowContext(context.Background(), `SELECT value, last_year_value FROM figures WHERE target_id = $1 AND period = $2 ORDER BY id DESC LIMIT 1`, id, period).Scan(&v, &ly)
	if err != nil {
		t.Fatalf("figure %s of target %d: %v", period, id, err)
	}
	return v, ly
}

// num writes a number as the form's inputs hold it.
func num(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }

// TestDatedFigure: the statistician enters a 调度数 as of today on a
// target's page; the history tags it and the figure reads 截至M月D日, and
// a day to come is refused next to the day.
func TestDatedFigure(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "tongji", demo.Password)
		id := townTarget(t, a, "入库税收")
		today := clock.Today(time.Now())
		last := today.AddDate(0, 0, -today.Day())
		if last.Year() != today.Year() {
			t.Skip("the demo's year has no ended month today")
		}
		kept, _ := keptFigure(t, a, id, targets.Period(last.Year(), int(last.Month())))
		page := fmt.Sprintf("%s/targets/%d", base, id)
		enter := func(day string, value float64) {
			t.Helper()
			do(t, ctx, "enter a 调度数 as of "+day, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("as_of")),
				chromedp.SetValue(chromedp.ID("as_of"), day),
				chromedp.SetValue(chromedp.ID("value"), strconv.FormatFloat(value, 'f', -1, 64)),
				chromedp.Click(chromedp.CSS(`[data-testid=figure-form] button[type=submit]`)))
		}
		enter(today.AddDate(0, 0, 1).Format(clock.DateFormat), kept+20)
		if got := text(t, ctx, "[data-testid=error-as_of]"); !strings.Contains(got, "还没到") {
			t.Errorf("a day to come: %q, want it refused as not yet come", got)
		}
		enter(today.Format(clock.DateFormat), kept+10)
		do(t, ctx, "see the history", chromedp.WaitVisible(chromedp.CSS("[data-testid=as-of]")))
		want := fmt.Sprintf("截至%d月%d日", int(today.Month()), today.Day())
		if got := text(t, ctx, "[data-testid=stat-actual]") + innerText(t, ctx, "main"); !strings.Contains(got, want) {
			t.Errorf("the target's page does not read %s", want)
		}
	})
}
