package e2e

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// TestChangeRequest: 双塘村's reporter asks for a later deadline on a task
// in progress, with a reason; the office sees the request on the task's
// page and approves it, and the task's deadline is the new one.
func TestChangeRequest(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		today := clock.Today(time.Now()).Format(clock.DateFormat)
		var id int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM tasks WHERE lead_unit_id = $1 AND state IN ('accepted', 'in_progress')
			AND deadline >= $2 ORDER BY id LIMIT 1`, unitID(t, a, "双塘村"), today).Scan(&id); err != nil {
			t.Fatal(err)
		}
		path := base + "/tasks/" + strconv.FormatInt(id, 10)
		later := clock.Today(time.Now()).AddDate(0, 0, 45).Format(clock.DateFormat)

		login(t, ctx, base, "shuangtang", demo.Password)
		do(t, ctx, "ask for a later deadline", chromedp.Navigate(path), chromedp.WaitVisible(chromedp.CSS("[data-testid=change-request]")),
			chromedp.SetValue(chromedp.ID("change-deadline"), later),
			chromedp.SendKeys(chromedp.ID("change-reason"), "征地手续待县里批复"),
			chromedp.Click(chromedp.CSS("[data-testid=change-send]")))
		waitText(t, ctx, "[data-testid=task-changes]", "待审批")

		do(t, ctx, "sign out", chromedp.Click(chromedp.CSS("[data-testid=logout]")), chromedp.WaitVisible(chromedp.ID("login")))
		login(t, ctx, base, "duban", demo.Password)
		do(t, ctx, "approve", chromedp.Navigate(path), chromedp.WaitVisible(chromedp.CSS("[data-testid=change-approve]")),
			chromedp.Click(chromedp.CSS("[data-testid=change-approve]")))
		waitText(t, ctx, "[data-testid=task-changes]", "已批准")
		if got := strings.TrimSpace(text(t, ctx, "[data-testid=task-deadline]")); got != later {
			t.Errorf("after the approval the deadline reads %q, want %s", got, later)
		}
	})
}

// waitText waits until the element's text holds want, as a page comes back
// from a post.
func waitText(t *testing.T, ctx context.Context, css, want string) {
	t.Helper()
	got := ""
	for end := time.Now().Add(10 * time.Second); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
		s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(document.querySelector('`+css+`')||{}).innerText||""`))
		if got = s; err == nil && strings.Contains(s, want) {
			return
		}
	}
	screenshot(t, ctx)
	t.Fatalf("%s never showed %q; it reads:\n%s", css, want, got)
}
