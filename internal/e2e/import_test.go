package e2e

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// writeSheet saves an import file for the last month of this year that has
// ended in Beijing (the current month is refused until it is over) in the
// test's folder. In January no month of this year has ended, so there is
// nothing this year's targets can take.
func writeSheet(t *testing.T, name string, rows []targets.SheetRow) string {
	t.Helper()
	today := clock.Today(time.Now())
	if today.Month() == time.January {
		t.Skip("in January no month of this year has ended yet")
	}
	month := int(today.Month()) - 1
	path := filepath.Join(t.TempDir(), name)
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := targets.WriteSheet(f, demo.TownshipName+"主要经济指标完成情况", month, rows); err != nil {
		t.Fatal(err)
	}
	return path
}

func fv(v float64) *float64 { return &v }

// uploadSheet chooses a file in the import form and sends it.
func uploadSheet(t *testing.T, ctx context.Context, base, path string) {
	t.Helper()
	do(t, ctx, "upload "+filepath.Base(path),
		chromedp.Navigate(base+"/targets/import"),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-form]")),
		chromedp.SetUploadFiles(chromedp.CSS("#file"), []string{path}),
		chromedp.Click(chromedp.CSS("[data-testid=import-submit]")),
		chromedp.WaitVisible(chromedp.CSS("[data-testid=import-summary]")))
}

// TestImport sends the statistics station's sheet through the browser: a
// clean file previews without problems and is committed; a bad one shows
// each problem with its row and column and cannot be committed.
func TestImport(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "tongji", demo.Password)

		clean := writeSheet(t, "clean.xlsx", []targets.SheetRow{
			{Indicator: "入库税收", MeasureUnit: "万元", Value: fv(48000), LastYear: fv(45000)},
			{Indicator: "新发展市场主体", MeasureUnit: "户", Value: fv(1700), LastYear: fv(1600)},
			{Indicator: "固定资产投资", MeasureUnit: "亿元", Value: fv(27.5), LastYear: fv(26)},
		})
		uploadSheet(t, ctx, base, clean)
		if got := text(t, ctx, "[data-testid=problem-count]"); got != "0" {
			t.Fatalf("a clean file shows %s problems", got)
		}
		if rows := text(t, ctx, "[data-testid=row-table]"); !strings.Contains(rows, "入库税收") || !strings.Contains(rows, "48,000") {
			t.Errorf("preview rows lack 入库税收 48,000:\n%s", rows)
		}
		var before int
		a.DB.QueryRow(`SELECT COUNT(*) FROM figures WHERE source = 'import'`).Scan(&before)
		do(t, ctx, "commit", chromedp.Click(chromedp.CSS("[data-testid=commit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=import-done]")))
		if got := text(t, ctx, "[data-testid=import-done]"); !strings.Contains(got, "已导入3条") {
			t.Errorf("after commit: %q, want 已导入3条", got)
		}
		var after int
		a.DB.QueryRow(`SELECT COUNT(*) FROM figures WHERE source = 'import'`).Scan(&after)
		if after != before+3 {
			t.Errorf("commit wrote %d imported figures, want 3", after-before)
		}

		bad := writeSheet(t, "bad.xlsx", []targets.SheetRow{
			{Indicator: "入库税收", MeasureUnit: "户", Value: fv(100)},
			{Indicator: "不存在的指标", MeasureUnit: "万元", Value: fv(5)},
		})
		uploadSheet(t, ctx, base, bad)
		problems := text(t, ctx, "[data-testid=problem-table]")
		for _, want := range []string{"行", "列", "B", "A", "计量单位“户”", "不存在的指标"} {
			if !strings.Contains(problems, want) {
				t.Errorf("problem table lacks %q:\n%s", want, problems)
			}
		}
		if n := get(t, ctx, "look for the commit button", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=commit]').length`)); n != 0 {
			t.Errorf("a file with problems offers to commit")
		}
	})
}
