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

// TestWarningCards: the demo's late tasks carry their cards; the cards
// page counts them as the register filtered by colour lists them; the
// office exempts one card for an objective reason, the task page keeps it
// on the record as exempted, and the count drops by one.
func TestWarningCards(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		var standing int
		if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM task_cards WHERE cleared_at IS NULL`).Scan(&standing); err != nil {
			t.Fatal(err)
		}
		if standing == 0 {
			t.Fatal("the demo has no standing card")
		}
		login(t, ctx, base, "duban", demo.Password)
		township := strconv.FormatInt(unitID(t, a, "XX镇"), 10)
		count := func(color string) int {
			t.Helper()
			do(t, ctx, "open the cards", chromedp.Navigate(base+"/tasks/cards"), chromedp.WaitVisible(chromedp.CSS("[data-testid=cards-table]")))
			n, err := strconv.Atoi(strings.TrimSpace(text(t, ctx, "[data-testid=cards-"+township+"] [data-testid=cards-"+color+"]")))
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		rows := func(color string) int {
			t.Helper()
			do(t, ctx, "list "+color, chromedp.Navigate(base+"/tasks?card="+color), chromedp.WaitVisible(chromedp.CSS("[data-testid=tasks-table]")))
			return get(t, ctx, "count rows", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=tasks-table] tbody tr [data-testid=card]').length`))
		}
		yellow, red := count("yellow"), count("red")
		if yellow+red == 0 {
			t.Fatal("the cards page shows no card")
		}
		if got := rows("yellow"); got != yellow {
			t.Errorf("the yellow list has %d rows, the cards page says %d", got, yellow)
		}
		if got := rows("red"); got != red {
			t.Errorf("the red list has %d rows, the cards page says %d", got, red)
		}
		color := "red"
		if red == 0 {
			color = "yellow"
		}
		rows(color)
		do(t, ctx, "open a carded task", chromedp.Click(chromedp.CSS("[data-testid=tasks-table] tbody tr a")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=task-card]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=card-exempt-form] input[name=reason]")))
		do(t, ctx, "exempt without a reason", chromedp.Click(chromedp.CSS("[data-testid=card-exempt]")))
		// The browser's own check (required) or the server's message: either way nothing is exempted.
		do(t, ctx, "exempt with a reason",
			chromedp.WaitVisible(chromedp.CSS("[data-testid=card-exempt-form] input[name=reason]")),
			chromedp.SendKeys(chromedp.CSS("[data-testid=card-exempt-form] input[name=reason]"), "上级规划调整，待批复"),
			chromedp.Click(chromedp.CSS("[data-testid=card-exempt]")))
		waitText(t, ctx, "[data-testid=task-cards]", "客观原因免责")
		cards := text(t, ctx, "[data-testid=task-cards]")
		for _, want := range []string{"客观原因免责", "上级规划调整，待批复", "duban"} {
			if !strings.Contains(cards, want) {
				t.Errorf("the task's cards lack %q:\n%s", want, cards)
			}
		}
		want := red
		if color == "yellow" {
			want = yellow
		}
		if got := count(color); got != want-1 {
			t.Errorf("after the exemption the page counts %d %s cards, want %d", got, color, want-1)
		}
	})
}
