package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/xuri/excelize/v2"

	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// TestTaskImportInBrowser: the office uploads a meeting's sheet of two
// tasks, the first with an unknown unit: the preview names row and column
// and offers no import; the corrected sheet previews both and imports them
// as 交办.
func TestTaskImportInBrowser(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		today := clock.Today(time.Now())
		write := func(name, unit string) string {
			t.Helper()
			f := excelize.NewFile()
			defer f.Close()
			rows := [][]any{
				{"事项名称", "牵头单位", "分管领导", "交办日期", "办结时限", "督办级别"},
				{"双塘村冬季河道保洁", unit, "赵丽华", today.Format(clock.DateFormat), today.AddDate(0, 0, 20).Format(clock.DateFormat), "重点"},
				{"东湖村冬季消防检查", "东湖村", "赵丽华", today.Format(clock.DateFormat), today.AddDate(0, 0, 15).Format(clock.DateFormat), "一般"},
			}
			for i, r := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, i+1)
				if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
					t.Fatal(err)
				}
			}
			path := filepath.Join(t.TempDir(), name)
			if err := f.SaveAs(path); err != nil {
				t.Fatal(err)
			}
			return path
		}
		upload := func(path string) {
			t.Helper()
			do(t, ctx, "upload "+filepath.Base(path), chromedp.Navigate(base+"/tasks/import"), chromedp.WaitVisible(chromedp.ID("file")),
				chromedp.SetUploadFiles(chromedp.ID("file"), []string{path}),
				chromedp.Click(chromedp.CSS("[data-testid=import-upload]")),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=import-preview]")))
		}
		login(t, ctx, base, "duban", demo.Password)
		upload(write("有错.xlsx", "双塘"))
		if got := text(t, ctx, "[data-testid=import-problems]"); !strings.Contains(got, "第2行「牵头单位」") || !strings.Contains(got, "双塘") {
			t.Errorf("the problems do not name row 2's lead unit:\n%s", got)
		}
		if n := get(t, ctx, "look for the import button", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=import-commit]').length`)); n != 0 {
			t.Error("a sheet with a problem offers its import")
		}
		upload(write("调度会.xlsx", "双塘村"))
		do(t, ctx, "import", chromedp.Click(chromedp.CSS("[data-testid=import-commit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=tasks-table]")))
		list := text(t, ctx, "[data-testid=tasks-table]")
		for _, want := range []string{"双塘村冬季河道保洁", "东湖村冬季消防检查"} {
			if !strings.Contains(list, want) {
				t.Errorf("the register of 交办 tasks lacks %s:\n%s", want, list)
			}
		}
	})
}
