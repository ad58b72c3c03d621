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

// TestImportTargets sends a sheet with the year's targets (年度任务数)
// through the browser: one row creates the township's missing target, with
// its figure on it; another differs from the target set, which the preview
// lists and changes only once the person ticks the confirmation.
func TestImportTargets(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "tongji", demo.Password)
		year := clock.Today(time.Now()).Year()
		target := func(indicator string) (value float64, n int) {
			t.Helper()
			err := a.DB.QueryRow(`SELECT COALESCE(MAX(t.target_value), 0), COUNT(*) FROM targets t JOIN indicators i ON i.id = t.indicator_id JOIN units u ON u.id = t.unit_id
				WHERE i.name = $1 AND u.name = $2 AND t.year = $3 AND t.person_id IS NULL`, indicator, demo.TownshipName, year).Scan(&value, &n)
			if err != nil {
				t.Fatal(err)
			}
			return value, n
		}
		if _, n := target("税收收入"); n != 0 {
			t.Fatalf("the demo township has a 税收收入 target already")
		}
		was, n := target("新发展市场主体")
		if n != 1 {
			t.Fatalf("the demo township has %d 新发展市场主体 targets, want 1", n)
		}

		sheet := writeSheet(t, "targets.xlsx", []targets.SheetRow{
			{Indicator: "税收收入", MeasureUnit: "万元", Target: fv(30000), Value: fv(12000)},
			{Indicator: "新发展市场主体", MeasureUnit: "户", Target: fv(was + 50)},
		})
		uploadSheet(t, ctx, base, sheet)
		if got := text(t, ctx, "[data-testid=problem-count]"); got != "0" {
			t.Fatalf("the sheet shows %s problems:\n%s", got, text(t, ctx, "main"))
		}
		if got := text(t, ctx, "[data-testid=target-change-table]"); !strings.Contains(got, "年度目标") || !strings.Contains(got, "→") {
			t.Errorf("the change is not listed:\n%s", got)
		}
		if got := text(t, ctx, "[data-testid=import-targets]"); !strings.Contains(got, "新建1个，修改1个") {
			t.Errorf("the preview says %q, want 新建1个，修改1个", got)
		}

		// Committed without the confirmation: refused, nothing written.
		do(t, ctx, "commit unconfirmed", chromedp.Click(chromedp.CSS("[data-testid=commit]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=import-refused]")))
		if got := text(t, ctx, "[data-testid=import-refused]"); !strings.Contains(got, "修改1个年度目标") {
			t.Errorf("refusal says %q", got)
		}
		if _, n := target("税收收入"); n != 0 {
			t.Errorf("an unconfirmed commit created the target")
		}

		do(t, ctx, "confirm and commit",
			chromedp.Click(chromedp.CSS("[data-testid=import-confirm-targets]")),
			chromedp.Click(chromedp.CSS("[data-testid=commit]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=import-done]")))
		if got := text(t, ctx, "[data-testid=import-done]"); !strings.Contains(got, "已导入1条") || !strings.Contains(got, "新建1个、修改1个") {
			t.Errorf("after commit: %q", got)
		}
		if v, n := target("税收收入"); n != 1 || v != 30000 {
			t.Errorf("税收收入's target: %d of %v, want one of 30000", n, v)
		}
		if v, _ := target("新发展市场主体"); v != was+50 {
			t.Errorf("新发展市场主体's target is %v, want %v", v, was+50)
		}
		var figure float64
		if err := a.DB.QueryRow(`SELECT f.value FROM figures f JOIN targets t ON t.id = f.target_id JOIN indicators i ON i.id = t.indicator_id
			WHERE i.name = '税收收入' AND t.year = $1 AND f.source = 'import'`, year).Scan(&figure); err != nil || figure != 12000 {
			t.Errorf("the figure on the new target: %v, %v; want 12000", figure, err)
		}
	})
}
