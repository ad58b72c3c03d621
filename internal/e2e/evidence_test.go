package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
	"guatu/internal/platform/files"
)

// TestEvidence: 双塘村's reporter reports progress on the village's road
// with a photo, finds it in the task's history and opens it (a PNG served
// as one, nosniff, its Chinese name kept); then 东湖村, a co-unit of the
// winter safety inspection, reports its own part there, and the task's
// rows by unit show it beside the lead unit, the co-units that have not
// reported marked lagging.
func TestEvidence(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		taskID := func(title string) string {
			var id int64
			if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM tasks WHERE title = $1`, title).Scan(&id); err != nil {
				t.Fatalf("task %s: %v", title, err)
			}
			return strconv.FormatInt(id, 10)
		}
		photo := filepath.Join(t.TempDir(), "路基现场.png")
		if err := os.WriteFile(photo, files.SamplePNG(320, 200), 0o600); err != nil {
			t.Fatal(err)
		}

		login(t, ctx, base, "shuangtang", demo.Password)
		road := "/tasks/" + taskID("双塘村道路提档升级")
		do(t, ctx, "report with a photo", chromedp.Navigate(base+road), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-report]")),
			chromedp.SendKeys(chromedp.ID("body"), "路面摊铺完成2公里，见现场照片"),
			chromedp.SetValue(chromedp.ID("percent"), "70"),
			chromedp.SetUploadFiles(chromedp.CSS("[data-testid=report-files]"), []string{photo}),
			chromedp.Click(chromedp.CSS("[data-testid=report-send]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=task-history] [data-testid=file-link]")))
		if got := text(t, ctx, "[data-testid=task-history] [data-testid=files]"); !strings.Contains(got, "路基现场.png") {
			t.Errorf("the history lists %q, want the photo's name", got)
		}
		if got := text(t, ctx, "[data-testid=task-progress]"); got != "70%" {
			t.Errorf("progress %q after the report, want 70%%", got)
		}
		href := get(t, ctx, "read the photo's link", chromedp.Evaluate[string](`document.querySelector('[data-testid=task-history] [data-testid=file-link]').getAttribute('href')`))
		if !strings.HasPrefix(href, road+"/files/") {
			t.Fatalf("the photo links to %s", href)
		}
		resp := get(t, ctx, "open the photo", chromedp.NavigateResponse(base+href))
		header := func(name string) string {
			for k, v := range resp.Headers {
				if strings.EqualFold(k, name) {
					s, _ := v.(string)
					return s
				}
			}
			return ""
		}
		if resp.Status != 200 || header("Content-Type") != "image/png" || header("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(header("Content-Disposition"), "UTF-8''%E8%B7%AF%E5%9F%BA%E7%8E%B0%E5%9C%BA.png") {
			t.Errorf("the photo answered %d with %v", resp.Status, resp.Headers)
		}
		// The browser shows it as the picture it is.
		var width int
		end := time.Now().Add(5 * time.Second)
		for width == 0 && time.Now().Before(end) {
			width, _ = chromedp.Run(ctx, chromedp.Evaluate[int](`(document.images[0]||{}).naturalWidth||0`))
			time.Sleep(100 * time.Millisecond)
		}
		if width != 320 {
			t.Errorf("the opened photo is %d px wide, want 320", width)
		}

		// A co-unit reports its own part; it cannot apply to close.
		do(t, ctx, "sign out", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("[data-testid=logout]")),
			chromedp.Click(chromedp.CSS("[data-testid=logout]")), chromedp.WaitVisible(chromedp.ID("login")))
		login(t, ctx, base, "donghu", demo.Password)
		check := "/tasks/" + taskID("冬季安全生产大检查")
		do(t, ctx, "report the co-unit's part", chromedp.Navigate(base+check), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-report]")),
			chromedp.SendKeys(chromedp.ID("body"), "东湖村企业已检查12家"),
			chromedp.SetValue(chromedp.ID("percent"), "40"),
			chromedp.Click(chromedp.CSS("[data-testid=report-send]")),
			chromedp.WaitVisible(chromedp.CSS(".flash")))
		if n := get(t, ctx, "count the moves", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=move-submit]').length`)); n != 0 {
			t.Error("a co-unit is offered 申请办结")
		}
		rows := text(t, ctx, "[data-testid=task-units]")
		for _, want := range []string{"社会治理局", "东湖村", "40%", "东湖村企业已检查12家", "双塘村", "滞后"} {
			if !strings.Contains(rows, want) {
				t.Errorf("the units' rows lack %q:\n%s", want, rows)
			}
		}
		lagging := get(t, ctx, "read the lagging rows", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=unit-row][data-lagging=true]').length`))
		if lagging != 3 {
			t.Errorf("%d rows marked lagging, want 3 (the co-units that have not reported)", lagging)
		}
	})
}
