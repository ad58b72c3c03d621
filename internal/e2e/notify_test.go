package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/notify"
	"guatu/internal/work"
)

// robotStandIn is a local DingTalk robot: it checks each post's signature
// with its secret, as DingTalk does, and keeps what it was sent.
type robotStandIn struct {
	secret string
	mu     sync.Mutex
	posts  []string
	bad    []string
}

func (s *robotStandIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	ts, _ := strconv.ParseInt(r.URL.Query().Get("timestamp"), 10, 64)
	want, _ := url.QueryUnescape(notify.Sign(ts, s.secret))
	if r.URL.Query().Get("access_token") != "e2e-token" || want == "" || r.URL.Query().Get("sign") != want {
		s.bad = append(s.bad, r.URL.RawQuery)
		json.NewEncoder(w).Encode(map[string]any{"errcode": 310000, "errmsg": "sign not match"})
		return
	}
	var v struct {
		Text struct{ Content string } `json:"text"`
	}
	json.Unmarshal(b, &v)
	s.posts = append(s.posts, v.Text.Content)
	json.NewEncoder(w).Encode(map[string]any{"errcode": 0, "errmsg": "ok"})
}

// TestReminderReachesInboxAndRobot: the administrator gives 双塘村 a
// DingTalk robot (its address shown masked); the office urges a task of
// 双塘村 from its page; the village's reporter sees the unread count in
// the header, opens the inbox and the message; the sender posts it, signed,
// to the stand-in robot; the delivery log says it was sent.
func TestReminderReachesInboxAndRobot(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		robot := &robotStandIn{secret: "SECe2esecret"}
		srv := httptest.NewServer(robot)
		defer srv.Close()
		const title = "双塘村垃圾分类示范"
		const note = "请于本周五前报送进展"

		as := func(who string) {
			t.Helper()
			do(t, ctx, "sign out", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("[data-testid=logout]")),
				chromedp.Click(chromedp.CSS("[data-testid=logout]")), chromedp.WaitVisible(chromedp.ID("login")))
			login(t, ctx, base, who, demo.Password)
		}

		login(t, ctx, base, "admin", demo.Password)
		do(t, ctx, "add the robot", chromedp.Navigate(base+"/admin/webhooks"), chromedp.WaitVisible(chromedp.CSS("[data-testid=webhook-form]")),
			chromedp.SetValue(chromedp.ID("unit_id"), strconv.FormatInt(unitID(t, a, "双塘村"), 10)),
			chromedp.SetValue(chromedp.ID("kind"), "dingtalk"),
			chromedp.SendKeys(chromedp.ID("name"), "双塘村工作群"),
			chromedp.SendKeys(chromedp.ID("url"), srv.URL+"/robot/send?access_token=e2e-token"),
			chromedp.SendKeys(chromedp.ID("secret"), robot.secret),
			chromedp.SendKeys(chromedp.ID("keyword"), "督办"),
			chromedp.Click(chromedp.CSS("[data-testid=webhook-add]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=webhooks-table] [data-testid^=webhook-]")))
		hooks := text(t, ctx, "[data-testid=webhooks-table]")
		if !strings.Contains(hooks, "双塘村工作群") || strings.Contains(hooks, "e2e-token") || strings.Contains(hooks, "SECe2esecret") {
			t.Errorf("the robots' list shows a credential or lacks the robot:\n%s", hooks)
		}

		// The office's task for 双塘村, assigned through the store.
		office, err := a.Auth.UserByLogin(context.Background(), "duban")
		if err != nil {
			t.Fatal(err)
		}
		var leader int64
		if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = '赵丽华'`).Scan(&leader); err != nil {
			t.Fatal(err)
		}
		today := clock.Today(time.Now())
		task, err := a.Work.Create(auth.WithUser(context.Background(), office), work.Input{Title: title, Source: work.FromMeeting,
			LeadUnitID: unitID(t, a, "双塘村"), LeaderID: leader, AssignedOn: today.Format(clock.DateFormat),
			Deadline: today.AddDate(0, 0, 10).Format(clock.DateFormat), Level: work.Normal})
		if err != nil {
			t.Fatal(err)
		}
		path := "/tasks/" + strconv.FormatInt(task.ID, 10)
		// The morning's digest may have reached shuangtang already: stop it
		// for the day and count from a read inbox.
		rules := work.DefaultRules
		rules.DigestAt = ""
		if err := a.Work.SetRules(auth.WithUser(context.Background(), office), task.TownshipID, rules); err != nil {
			t.Fatal(err)
		}
		if _, err := a.DB.ExecContext(context.Background(), `UPDATE inbox SET read_at = $1
			WHERE recipient_id = (SELECT id FROM users WHERE login = 'shuangtang') AND read_at IS NULL`, time.Now().UTC()); err != nil {
			t.Fatal(err)
		}

		as("duban")
		do(t, ctx, "urge the task", chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.ID("note")),
			chromedp.SendKeys(chromedp.ID("note"), note),
			chromedp.Click(chromedp.CSS("[data-testid=remind-send]")),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=reminder]")))
		if got := text(t, ctx, "[data-testid=reminders-table]"); !strings.Contains(got, note) || !strings.Contains(got, "钉钉群") || !strings.Contains(got, "未响应") {
			t.Errorf("the reminders lack the note, the robot or the answer:\n%s", got)
		}
		if got := text(t, ctx, "[data-testid=task-history]"); !strings.Contains(got, "催办") {
			t.Errorf("the history lacks the reminder:\n%s", got)
		}

		as("shuangtang")
		if got := text(t, ctx, "[data-testid=unread]"); got != "1" {
			t.Errorf("the header's unread count = %q, want 1", got)
		}
		do(t, ctx, "open the inbox", chromedp.Click(chromedp.CSS("[data-testid=inbox-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=inbox-table]")))
		if got := text(t, ctx, "[data-testid=inbox-table]"); !strings.Contains(got, title) || !strings.Contains(got, "未读") {
			t.Errorf("the inbox lacks the unread reminder:\n%s", got)
		}
		do(t, ctx, "open the message", chromedp.Click(chromedp.CSS("[data-testid=inbox-table] a")), chromedp.WaitVisible(chromedp.CSS("[data-testid=note-body]")))
		if got := text(t, ctx, "[data-testid=note-body]"); !strings.Contains(got, note) || !strings.Contains(got, "何晓东") {
			t.Errorf("the message = %q, want the note and who urged", got)
		}
		if n := get(t, ctx, "count the badge", chromedp.Evaluate[int](`document.querySelectorAll('[data-testid=unread]').length`)); n != 0 {
			t.Errorf("the unread badge is still shown after opening the message")
		}
		do(t, ctx, "follow the link", chromedp.Click(chromedp.CSS("[data-testid=note-link]")), chromedp.WaitVisible(chromedp.CSS("[data-testid=task-status]")))
		if got := pagePath(t, ctx, base); got != path {
			t.Errorf("the message's link leads to %s, want %s", got, path)
		}

		// The sender job's turn: the stand-in robot gets the message once.
		if err := a.Sender.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		if err := a.Sender.Run(context.Background()); err != nil {
			t.Fatal(err)
		}
		robot.mu.Lock()
		posts, bad := robot.posts, robot.bad
		robot.mu.Unlock()
		if len(bad) > 0 {
			t.Errorf("posts with a bad signature: %v", bad)
		}
		if len(posts) != 1 || !strings.Contains(posts[0], title) || !strings.Contains(posts[0], note) || !strings.Contains(posts[0], "督办") {
			t.Fatalf("the robot got %q, want one post with the task, the note and the keyword", posts)
		}

		as("admin")
		do(t, ctx, "read the delivery log", chromedp.Navigate(base+"/admin/deliveries"), chromedp.WaitVisible(chromedp.CSS("[data-testid=deliveries-table]")))
		if got := text(t, ctx, "[data-testid=deliveries-table]"); !strings.Contains(got, "已送达") || !strings.Contains(got, title) || strings.Contains(got, "e2e-token") {
			t.Errorf("the delivery log:\n%s", got)
		}
	})
}
