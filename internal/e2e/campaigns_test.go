package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// TestCampaignAddAndEdit: the township head (镇长, a leader) starts a
// campaign from the campaigns list, is told next to the field when its end
// comes before its start, then edits its period and goals and finds it
// listed with the new end.
func TestCampaignAddAndEdit(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "zhenzhang", demo.Password)
		year := strconv.Itoa(clock.Today(time.Now()).Year())
		const name = "项目建设攻坚月"

		do(t, ctx, "open the campaigns", chromedp.Navigate(base+"/campaigns"), chromedp.WaitVisible(chromedp.CSS("[data-testid=campaigns-table]")))
		if got := text(t, ctx, "[data-testid=campaigns-table]"); !strings.Contains(got, demo.CampaignName) {
			t.Errorf("the list lacks the demo campaign:\n%s", got)
		}
		do(t, ctx, "click new", chromedp.Click(chromedp.CSS("[data-testid=campaign-new]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=campaign-form]")))

		t.Run("end before start", func(t *testing.T) {
			before := countCampaigns(t, a)
			do(t, ctx, "fill in the form",
				chromedp.SendKeys(chromedp.ID("name"), name),
				chromedp.SetValue(chromedp.ID("start"), year+"-07-31"),
				chromedp.SetValue(chromedp.ID("end"), year+"-07-01"),
			)
			resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-testid=campaign-form] button[type=submit]`)))
			if err != nil {
				t.Fatalf("submit: %v", err)
			}
			if resp.Status != 422 {
				t.Errorf("status = %d, want 422", resp.Status)
			}
			if got := text(t, ctx, "[data-testid=error-end]"); !strings.Contains(got, "结束日期不能早于开始日期") {
				t.Errorf("end error = %q", got)
			}
			nextTo := get(t, ctx, "find the end field", chromedp.Evaluate[bool](
				`document.querySelector('[data-testid=error-end]').parentElement.contains(document.getElementById('end'))`))
			if !nextTo {
				t.Error("the error is not next to the end field")
			}
			if got := get(t, ctx, "read the name", chromedp.Evaluate[string](`document.getElementById('name').value`)); got != name {
				t.Errorf("the name was not kept: %q", got)
			}
			if after := countCampaigns(t, a); after != before {
				t.Errorf("campaigns: %d before, %d after a refused form", before, after)
			}
		})

		do(t, ctx, "add the campaign",
			chromedp.SetValue(chromedp.ID("start"), year+"-07-01"),
			chromedp.SetValue(chromedp.ID("end"), year+"-07-31"),
			chromedp.SendKeys(chromedp.ID("goals"), "新开工项目5个"),
			chromedp.Click(chromedp.CSS(`[data-testid=campaign-form] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")),
		)
		if got := text(t, ctx, ".flash"); !strings.Contains(got, "已保存") {
			t.Errorf("flash = %q, want 已保存", got)
		}
		path := pagePath(t, ctx, base)
		if !strings.HasPrefix(path, "/campaigns/") || path == "/campaigns/new" {
			t.Fatalf("after adding, the browser is at %s", path)
		}

		do(t, ctx, "edit the period and the goals",
			chromedp.SetValue(chromedp.ID("end"), year+"-08-15"),
			chromedp.Evaluate[chromedp.Void](`document.getElementById('goals').value = ''`),
			chromedp.SendKeys(chromedp.ID("goals"), "新开工项目6个"),
		)
		// The flash of the add is still on the page: wait for the save's own answer.
		if _, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-testid=campaign-form] button[type=submit]`))); err != nil {
			t.Fatalf("save the edit: %v", err)
		}
		if got := text(t, ctx, ".flash"); !strings.Contains(got, "已保存") {
			t.Errorf("flash after the edit = %q, want 已保存", got)
		}
		if got := get(t, ctx, "read the goals", chromedp.Evaluate[string](`document.getElementById('goals').value`)); got != "新开工项目6个" {
			t.Errorf("goals after the edit = %q", got)
		}

		do(t, ctx, "back to the list", chromedp.Navigate(base+"/campaigns?year="+year), chromedp.WaitVisible(chromedp.CSS("[data-testid=campaigns-table]")))
		rows := get(t, ctx, "read the list", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll('[data-testid=campaigns-table] tbody tr'), r => r.innerText)`))
		found := false
		for _, r := range rows {
			if strings.Contains(r, name) {
				found = true
				if !strings.Contains(r, year+"-08-15") || !strings.Contains(r, demo.TownshipName) {
					t.Errorf("listed as %q, want XX镇 and the new end %s-08-15", r, year)
				}
			}
		}
		if !found {
			t.Errorf("the list lacks %s:\n%s", name, strings.Join(rows, "\n"))
		}
		var goals, end string
		if err := a.DB.QueryRowContext(context.Background(), `SELECT goals, end_date FROM campaigns WHERE name = $1`, name).Scan(&goals, &end); err != nil {
			t.Fatal(err)
		}
		if goals != "新开工项目6个" || end != year+"-08-15" {
			t.Errorf("stored goals %q, end %s", goals, end)
		}
	})
}

func countCampaigns(t *testing.T, a *app.App) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM campaigns`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
