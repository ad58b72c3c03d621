package work_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// inboxOf counts the messages of login whose title starts with prefix.
func inboxOf(t *testing.T, d *db.DB, login, prefix string) int {
	t.Helper()
	return count(t, d, `SELECT COUNT(*) FROM inbox i JOIN users u ON u.id = i.recipient_id WHERE u.login = $1 AND i.title LIKE $2`, login, prefix+"%")
}

// TestReminderLadder urges 双塘村 about a task and lets it go unanswered: the
// reminder climbs to the unit's head (梁德福, at the village robot), then
// the leader in charge (李卫东, zhenzhang), then the principal leader (张建国,
// shuji) after the township's days, once per rung whatever runs it; a
// report stops the ladder, and a township's 0 holds it.
func TestReminderLadder(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := setup(t, d)
		now := demoNow
		w.s.Now = func() time.Time { return now }
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		if _, err := d.ExecContext(ctx, `INSERT INTO webhooks (unit_id, kind, url, created_at, updated_at)
			VALUES ($1, 'dingtalk', 'http://127.0.0.1:1/robot/send?access_token=t', $2, $2)`, w.units["双塘村"], now.UTC()); err != nil {
			t.Fatal(err)
		}
		in := w.input("双塘村河道清淤")
		in.CoUnitIDs, in.LeaderID, in.ResponsibleID = nil, w.people["李卫东"], nil
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Take(village, task.ID, 0, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		first, err := w.s.Urge(office, task.ID, "请本周报送清淤进度")
		if err != nil {
			t.Fatal(err)
		}
		// The first rung reaches the liaison 宋小芳 (shuangtang) too.
		if inboxOf(t, d, "shuangtang", "催办：") != 1 {
			t.Fatalf("the liaison did not get the reminder")
		}
		climb := func(after time.Duration) int {
			t.Helper()
			now = first.At.Add(after)
			n, err := w.s.Escalate(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := climb(47 * time.Hour); n != 0 {
			t.Fatalf("climbed %d before the 2 days were up", n)
		}
		// Two instances at the moment the days are up: one climb.
		now = first.At.Add(48*time.Hour + time.Minute)
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				other := &work.Store{DB: d, Now: w.s.Now}
				if _, err := other.Escalate(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		rems, err := w.s.Reminders(office, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rems) != 2 || rems[0].Rung != 1 || rems[0].EscalatedFrom == nil || *rems[0].EscalatedFrom != first.ID {
			t.Fatalf("after 2 days: %+v, want one climb to the unit head", rems)
		}
		if rems[0].PersonID == nil || *rems[0].PersonID != w.people["梁德福"] || rems[0].ActorLogin != "system" {
			t.Errorf("the head's rung: person %v by %s", rems[0].PersonID, rems[0].ActorLogin)
		}
		var mobiles, wecom string
		if err := d.QueryRowContext(ctx, `SELECT mobiles, wecom_ids FROM outbox WHERE item = $1`, "reminder/"+itoa(rems[0].ID)).Scan(&mobiles, &wecom); err != nil || mobiles != "13805150020" || wecom != "LiangDeFu" {
			t.Errorf("the head @-mentioned at the village robot: %q %q %v", mobiles, wecom, err)
		}
		if n := climb(48*time.Hour + 2*time.Minute); n != 0 {
			t.Errorf("climbed again at once: %d", n)
		}
		if n := climb(96*time.Hour + 2*time.Minute); n != 1 || inboxOf(t, d, "zhenzhang", "催办升级") != 1 {
			t.Fatalf("after 2 more days: %d climbs, zhenzhang's inbox %d", n, inboxOf(t, d, "zhenzhang", "催办升级"))
		}
		if n := climb(168*time.Hour + 3*time.Minute); n != 1 || inboxOf(t, d, "shuji", "催办升级") != 1 {
			t.Fatalf("after 3 more days: %d climbs, shuji's inbox %d", n, inboxOf(t, d, "shuji", "催办升级"))
		}
		if n := climb(30 * 24 * time.Hour); n != 0 {
			t.Errorf("climbed past the principal leader: %d", n)
		}

		// A new reminder starts the ladder again; a report answers it.
		second, err := w.s.Urge(office, task.ID, "请报送清淤照片")
		if err != nil {
			t.Fatal(err)
		}
		now = second.At.Add(time.Hour)
		if _, _, err := w.s.Report(village, task.ID, 0, work.ReportInput{Percent: 40, Body: "已清淤400米"}); err != nil {
			t.Fatal(err)
		}
		first = second
		if n := climb(3 * 24 * time.Hour); n != 0 {
			t.Errorf("an answered reminder climbed: %d", n)
		}

		// A township that stops the ladder at the first rung.
		rules := work.DefaultRules
		rules.Escalate = [3]int{0, 2, 3}
		if err := w.s.SetRules(office, w.township, rules); err != nil {
			t.Fatal(err)
		}
		third, err := w.s.Urge(office, task.ID, "请报送下一阶段进度")
		if err != nil {
			t.Fatal(err)
		}
		first = third
		if n := climb(10 * 24 * time.Hour); n != 0 {
			t.Errorf("climbed under a 0-day rung: %d", n)
		}
		for _, bad := range []int{-1, 31} {
			rules.Escalate = [3]int{2, bad, 3}
			if err := w.s.SetRules(office, w.township, rules); err == nil {
				t.Errorf("ladder days %d accepted", bad)
			}
		}
	})
}
