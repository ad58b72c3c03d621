package e2e

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// TestLivelihoodProjects: the supervision office (duban) adds next year's
// first livelihood project on /livelihood, puts an open livelihood task of
// the demo under it from the task's page, and finds the task on the
// project's row; this year's ten print on one A4 sheet.
func TestLivelihoodProjects(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		next := clock.Today(time.Now()).Year() + 1
		const title, task = "农村电网改造升级", "村级便民服务中心提升"

		login(t, ctx, base, "duban", demo.Password)
		do(t, ctx, "open the projects", chromedp.Navigate(base+"/livelihood"), chromedp.WaitVisible(chromedp.CSS("[data-testid=livelihood-table]")),
			chromedp.Click(chromedp.CSS("[data-testid=livelihood-new]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=item-form]")))
		do(t, ctx, "add the project",
			chromedp.SetValue(chromedp.ID("year"), strconv.Itoa(next)),
			chromedp.SetValue(chromedp.ID("number"), "1"),
			chromedp.SendKeys(chromedp.ID("item-title"), title),
			chromedp.SendKeys(chromedp.ID("content"), "改造农村低电压台区，新增变压器"),
			chromedp.SendKeys(chromedp.ID("target"), "-8"),
			chromedp.SendKeys(chromedp.ID("measure"), "台"),
			chromedp.SetValue(chromedp.ID("lead_unit_id"), strconv.FormatInt(unitID(t, a, "社会治理局"), 10)),
			chromedp.Click(chromedp.CSS("[data-testid=item-save]")))
		if got := text(t, ctx, "[data-testid=error-target]"); !strings.Contains(got, "正数") {
			t.Fatalf("a negative target: the form says %q", got)
		}
		do(t, ctx, "correct the target",
			chromedp.SetValue(chromedp.ID("target"), "8"),
			chromedp.Click(chromedp.CSS("[data-testid=item-save]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=item-1]")))
		if got := text(t, ctx, "[data-testid=item-1]"); !strings.Contains(got, title) || !strings.Contains(got, "8 台") {
			t.Fatalf("next year's first row: %q", got)
		}

		var taskID int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM tasks WHERE title = $1`, task).Scan(&taskID); err != nil {
			t.Fatal(err)
		}
		var itemID int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM livelihood_items WHERE title = $1`, title).Scan(&itemID); err != nil {
			t.Fatal(err)
		}
		do(t, ctx, "open the task", chromedp.Navigate(base+"/tasks/"+strconv.FormatInt(taskID, 10)), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-item-form]")))
		do(t, ctx, "put it under the project",
			chromedp.SetValue(chromedp.ID("link_item"), strconv.FormatInt(itemID, 10)),
			chromedp.Click(chromedp.CSS("[data-testid=task-item-save]")))
		// The task served another project before: wait for the page the post brings back.
		waitText(t, ctx, "[data-testid=task-item-link]", title)
		do(t, ctx, "follow the link", chromedp.Click(chromedp.CSS("[data-testid=task-item-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=item-tasks-1]")))
		if got := text(t, ctx, "[data-testid=item-tasks-1]"); !strings.Contains(got, task) {
			t.Errorf("the project's tasks: %q, want %s", got, task)
		}

		// This year's ten on one A4 sheet, every project in the text.
		if _, err := exec.LookPath("pdftotext"); err != nil {
			t.Skip("pdftotext not found: install poppler-utils to read the printed sheet")
		}
		do(t, ctx, "open this year", chromedp.Navigate(base+"/livelihood"), chromedp.WaitVisible(chromedp.CSS("[data-testid=item-10]")))
		pdf := printPDF(t, ctx, sheetA4, "livelihood")
		pages, w, h := pdfInfo(t, pdf)
		if pages != 1 || !near(w, sheetA4.width) || !near(h, sheetA4.height) {
			t.Errorf("the projects print on %d page(s) of %.0f × %.0f pt, want one A4 landscape", pages, w, h)
		}
		flat := squash(pdfText(t, pdf))
		for _, want := range []string{demo.TownshipName, "十件民生实事", "新增城镇就业岗位", "村级便民服务中心提升", "牵头单位", "完成进度", "数据截至"} {
			if !strings.Contains(flat, want) {
				t.Errorf("the printed sheet lacks %q:\n%s", want, flat)
			}
		}
		for _, hidden := range []string{"登记完成数", "新增实事"} {
			if strings.Contains(flat, hidden) {
				t.Errorf("the printed sheet shows the office's %q", hidden)
			}
		}
		if dir := os.Getenv("GUATU_E2E_SHOTS"); dir != "" {
			if _, err := exec.LookPath("pdftoppm"); err == nil {
				exec.Command("pdftoppm", "-png", "-r", "60", pdf, filepath.Join(dir, "livelihood-A4")).Run()
			}
		}
	})
}
