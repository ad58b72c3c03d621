package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// TestTaskOrderPrint: the office opens a task's 督办单 from its page and
// prints it: one A4 portrait sheet with the township's heading, the
// order's number, the task's particulars and its reports so far.
func TestTaskOrderPrint(t *testing.T) {
	needPoppler(t)
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		var id int64
		var title, deadline, body string
		if err := a.DB.QueryRowContext(context.Background(), `SELECT t.id, t.title, t.deadline, r.body FROM tasks t
			JOIN task_reports r ON r.task_id = t.id ORDER BY t.id LIMIT 1`).Scan(&id, &title, &deadline, &body); err != nil {
			t.Fatal(err)
		}
		login(t, ctx, base, "duban", demo.Password)
		do(t, ctx, "open the task", chromedp.Navigate(base+"/tasks/"+strconv.FormatInt(id, 10)),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=task-print]")),
			chromedp.Click(chromedp.CSS("[data-testid=task-print]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=task-order]")))
		pdf := printPDF(t, ctx, sheetA4, "order")
		pages, w, h := pdfInfo(t, pdf)
		if pages != 1 || !near(w, 595.28) || !near(h, 841.89) {
			t.Errorf("the order prints on %d pages of %.0f×%.0f pt, want one A4 portrait sheet (595×842)", pages, w, h)
		}
		text := squash(pdfText(t, pdf))
		for _, want := range []string{"XX镇督查督办单", "督办〔", strconv.FormatInt(id, 10) + "号", squash(title), deadline, "办理情况反馈", squash(body), "签收人"} {
			if !strings.Contains(text, want) {
				t.Errorf("the printed order lacks %q:\n%s", want, text)
			}
		}
	})
}
