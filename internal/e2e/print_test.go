package e2e

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// A sheet of paper in landscape, as Chromium is asked to print on it and as
// pdfinfo reports it back, in points.
type sheet struct {
	name          string // A3, A4: the board's button (data-print) and the file's name
	paper         chromedp.PaperSize
	width, height float64 // landscape, in points
	maxPages      int
}

var (
	sheetA3 = sheet{"A3", chromedp.PaperA3, 1190.55, 841.89, 1}
	sheetA4 = sheet{"A4", chromedp.PaperA4, 841.89, 595.28, 2}
)

// TestBoardPrint prints the party secretary's board on A3 and on A4
// landscape, as 打印(A3) and 打印(A4) do, and reads the PDFs back: one A3
// sheet, at most two A4 pages, every column of the board's tables, and the
// header's township, campaign, 第N天 and print date.
func TestBoardPrint(t *testing.T) {
	needPoppler(t)
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		login(t, ctx, base, "shuji", demo.Password)
		waitCharts(t, ctx)
		// The print buttons call window.print(), whose dialog a headless
		// browser cannot answer; the PDF is printed through the protocol.
		do(t, ctx, "stub the print dialog", chromedp.Evaluate[chromedp.Void](`window.print = () => {}`))

		// The columns are read from the page, hidden ones included, so a
		// column the print rules drop is missed in the PDF.
		heads := get(t, ctx, "read the column headers", chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('[data-testid=board] table thead th')].map(th => th.textContent.trim()).filter(Boolean)`))
		for _, want := range []string{"全年目标", "同比", "预计全年", "尚需月均"} {
			if !contains(heads, want) {
				t.Fatalf("the board's headers %q lack %s", heads, want)
			}
		}

		for _, s := range []sheet{sheetA3, sheetA4} {
			t.Run(s.name, func(t *testing.T) {
				do(t, ctx, "click 打印("+s.name+")", chromedp.Click(chromedp.CSS("[data-testid=print-"+strings.ToLower(s.name)+"]")))
				if got := get(t, ctx, "read the sheet", chromedp.Evaluate[string](`document.documentElement.getAttribute('data-paper') || ''`)); got != strings.ToLower(s.name) {
					t.Fatalf("after 打印(%s) <html data-paper> is %q", s.name, got)
				}
				pdf := printPDF(t, ctx, s, "board")
				pages, w, h := pdfInfo(t, pdf)
				if pages < 1 || pages > s.maxPages {
					t.Errorf("the board takes %d pages on %s landscape, want 1 to %d", pages, s.name, s.maxPages)
				}
				if !near(w, s.width) || !near(h, s.height) {
					t.Errorf("page size %.2f × %.2f pt, want %s landscape %.2f × %.2f", w, h, s.name, s.width, s.height)
				}
				text := pdfText(t, pdf)
				flat := squash(text)
				for _, want := range append([]string{demo.TownshipName, demo.CampaignName, "打印日期", "数据截至"}, heads...) {
					if !strings.Contains(flat, squash(want)) {
						t.Errorf("the %s PDF lacks %q; its text:\n%s", s.name, want, text)
					}
				}
				if !regexp.MustCompile(`第\d+天`).MatchString(flat) {
					t.Errorf("the %s PDF lacks 第N天; its text:\n%s", s.name, text)
				}
			})
		}

		// After printing, the sheet chosen is forgotten: Ctrl+P prints on
		// the default, A4 landscape, whatever paper the dialog offers.
		t.Run("default", func(t *testing.T) {
			if got := get(t, ctx, "read the sheet", chromedp.Evaluate[string](`document.documentElement.getAttribute('data-paper') || ''`)); got != "" {
				t.Errorf("after printing <html data-paper> is still %q", got)
			}
			_, w, h := pdfInfo(t, printPDF(t, ctx, sheetA3, "board-default"))
			if !near(w, sheetA4.width) || !near(h, sheetA4.height) {
				t.Errorf("Ctrl+P prints on %.2f × %.2f pt, want A4 landscape", w, h)
			}
		})
	})
}

// TestTargetsPrint prints the target list and one target's page on A4
// landscape: the list with every column, the page with its chart inside the
// sheet's width.
func TestTargetsPrint(t *testing.T) {
	needPoppler(t)
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "shuji", demo.Password)

		do(t, ctx, "open the targets", chromedp.Navigate(base+"/targets"), chromedp.WaitVisible(chromedp.CSS("[data-testid=targets-table]")))
		heads := get(t, ctx, "read the column headers", chromedp.Evaluate[[]string](
			`[...document.querySelectorAll('[data-testid=targets-table] thead th')].map(th => th.textContent.trim()).filter(Boolean)`))
		if len(heads) < 10 {
			t.Fatalf("the target list has %d column headers: %q", len(heads), heads)
		}
		pdf := printPDF(t, ctx, sheetA4, "targets")
		text := pdfText(t, pdf)
		flat := squash(text)
		for _, want := range heads {
			if !strings.Contains(flat, squash(want)) {
				t.Errorf("the printed target list lacks the column %q; its text:\n%s", want, text)
			}
		}

		id := townTarget(t, a, "固定资产投资")
		do(t, ctx, "open a target", chromedp.Navigate(fmt.Sprintf("%s/targets/%d", base, id)), chromedp.WaitVisible(chromedp.CSS("#chart canvas")))
		pdf = printPDF(t, ctx, sheetA4, "target")
		if text := squash(pdfText(t, pdf)); !strings.Contains(text, "固定资产投资") {
			t.Errorf("the printed target lacks its indicator's name:\n%s", text)
		}
		// The chart, drawn at the screen's width, must shrink to the sheet's:
		// laid out for print at the width of A4 landscape less its margins
		// (277 mm, 1047 px), the canvas stays inside the page.
		const printWidth = 1047
		do(t, ctx, "lay the page out for print",
			chromedp.EmulateViewport(printWidth, 740),
			chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
				_, err := cdp.Call(ctx, tg, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"})
				return err
			}))
		right := get(t, ctx, "measure the chart", chromedp.Evaluate[float64](`document.querySelector('#chart canvas').getBoundingClientRect().right`))
		if right > printWidth {
			t.Errorf("printed, the chart reaches %.0f px on a page %d px wide", right, printWidth)
		}
	})
}

// needPoppler skips a test that reads PDFs back when poppler-utils is missing.
func needPoppler(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"pdftotext", "pdfinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not found: install poppler-utils to read the printed PDFs back", tool)
		}
	}
}

// waitCharts waits until board.js has drawn every indicator's chart.
func waitCharts(t *testing.T, ctx context.Context) {
	t.Helper()
	n := get(t, ctx, "count charts", chromedp.Evaluate[int](`JSON.parse(document.getElementById('board-data').textContent).charts.length`))
	do(t, ctx, "wait for the charts", chromedp.Poll[chromedp.Void](`document.querySelectorAll('#board-charts .spark canvas').length >= `+strconv.Itoa(n),
		chromedp.WithPollingTimeout(15*time.Second)))
}

// printPDF prints the page as Chromium's print dialog would on the sheet in
// landscape, the page's own @page size preferred, and returns the file's
// path. With GUATU_E2E_SHOTS set, a copy goes there to be looked at.
func printPDF(t *testing.T, ctx context.Context, s sheet, name string) string {
	t.Helper()
	pdf := get(t, ctx, "print "+name+" on "+s.name, chromedp.PrintToPDF(
		chromedp.PDFPaper(s.paper), chromedp.PDFLandscape(), chromedp.PDFPreferCSSPageSize(), chromedp.PDFPrintBackground()))
	file := filepath.Join(t.TempDir(), name+"-"+s.name+".pdf")
	if err := os.WriteFile(file, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	if dir := os.Getenv("GUATU_E2E_SHOTS"); dir != "" {
		keep := filepath.Join(dir, strings.NewReplacer("/", "_").Replace(t.Name())+"-"+name+"-"+s.name+".pdf")
		if err := os.MkdirAll(dir, 0o755); err == nil && os.WriteFile(keep, pdf, 0o644) == nil {
			t.Logf("printed %s: %s", name, keep)
		}
	}
	return file
}

// pdfInfo reads a PDF's page count and its first page's size in points.
func pdfInfo(t *testing.T, file string) (pages int, width, height float64) {
	t.Helper()
	out, err := exec.Command("pdfinfo", file).Output()
	if err != nil {
		t.Fatalf("pdfinfo %s: %v", file, err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	sz := regexp.MustCompile(`(?m)^Page size:\s+([\d.]+) x ([\d.]+) pts`).FindSubmatch(out)
	if m == nil || sz == nil {
		t.Fatalf("pdfinfo %s says:\n%s", file, out)
	}
	pages, _ = strconv.Atoi(string(m[1]))
	width, _ = strconv.ParseFloat(string(sz[1]), 64)
	height, _ = strconv.ParseFloat(string(sz[2]), 64)
	return pages, width, height
}

// pdfText is the PDF's text laid out as on the page.
func pdfText(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-layout", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", file, err)
	}
	return string(out)
}

// squash drops all white space: pdftotext spaces out Chinese text and
// columns as it lays them, and a header is found whatever the spacing.
func squash(s string) string {
	return strings.Join(strings.Fields(s), "")
}

func near(a, b float64) bool { return a-b < 1 && b-a < 1 }

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
