package work_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/jobs"
	"guatu/internal/work"
)

// digests are the inbox's digest messages by recipient login.
func (w *world) digests(t *testing.T) map[string][]string {
	t.Helper()
	rows, err := w.d.QueryContext(context.Background(), `SELECT u.login, i.title || '\n' || i.body FROM inbox i JOIN users u ON u.id = i.recipient_id
		WHERE i.title LIKE '督办提醒%' ORDER BY i.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var login, text string
		if err := rows.Scan(&login, &text); err != nil {
			t.Fatal(err)
		}
		out[login] = append(out[login], text)
	}
	return out
}

func TestDailyDigest(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := demoSetup(t, d)
		now := demoNow
		w.s.Now = func() time.Time { return now }
		town := strconv.FormatInt(w.township, 10)
		day := clock.Today(now).Format(clock.DateFormat)

		// 双塘村's robot, to see one message per person and robot.
		if _, err := d.ExecContext(ctx, `INSERT INTO webhooks (unit_id, kind, name, url, created_at, updated_at)
			VALUES ($1, 'dingtalk', '双塘村工作群', 'http://127.0.0.1:1/robot/send?access_token=x', $2, $2)`, w.units["双塘村"], now.UTC()); err != nil {
			t.Fatal(err)
		}

		// Before the township's time nothing is queued; after it, one
		// digest a township and day however often the schedule runs.
		now = time.Date(2026, 11, 25, 7, 59, 0, 0, clock.Beijing)
		if err := w.s.ScheduleDigests(ctx); err != nil {
			t.Fatal(err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM job_runs WHERE name = $1`, work.DigestJob); n != 0 {
			t.Fatalf("%d digests queued before 08:00", n)
		}
		now = demoNow
		for range 2 {
			if err := w.s.ScheduleDigests(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if n := w.count(t, `SELECT COUNT(*) FROM job_runs WHERE name = $1 AND run_key = $2 AND payload = $3`, work.DigestJob, town+"/"+day, town); n != 1 {
			t.Fatalf("%d digests of XX镇 queued, want 1", n)
		}

		got, err := w.s.Digest(ctx, town+"/"+day, town)
		if err != nil {
			t.Fatal(err)
		}
		if got.People == 0 || got.Inbox == 0 || got.Robots != 1 {
			t.Fatalf("digest %+v: want people, inbox messages and one robot message", got)
		}
		msgs := w.digests(t)
		// 宋小芳 (shuangtang) answers for 双塘村's three tasks, 拆迁清零
		// among them five days overdue: one message, not one per task.
		// 许文斌 (donghu) has only tasks under review or far off: none.
		if len(msgs["shuangtang"]) != 1 {
			t.Errorf("shuangtang got %d digests, want 1: %v", len(msgs["shuangtang"]), msgs["shuangtang"])
		}
		if len(msgs["donghu"]) != 0 {
			t.Errorf("donghu, with nothing to act on, got %v", msgs["donghu"])
		}
		if m := strings.Join(msgs["shuangtang"], ""); !strings.Contains(m, "【超期5天】双塘村拆迁清零") {
			t.Errorf("shuangtang's digest does not name the overdue task: %s", m)
		}
		// The office and the leaders are nobody's responsible person here.
		for _, login := range []string{"duban", "shuji", "admin", "guest"} {
			if len(msgs[login]) != 0 {
				t.Errorf("%s got a digest: %v", login, msgs[login])
			}
		}
		var total int
		for _, m := range msgs {
			total += len(m)
		}
		if total != got.Inbox {
			t.Errorf("%d digest messages in the inbox, the digest says %d", total, got.Inbox)
		}
		var mobiles, wecom, body string
		if err := d.QueryRowContext(ctx, `SELECT mobiles, wecom_ids, body FROM outbox WHERE item = $1`, "digest/"+town).Scan(&mobiles, &wecom, &body); err != nil {
			t.Fatal(err)
		}
		if mobiles != "13805150021" || wecom != "SongXiaoFang" || !strings.Contains(body, "双塘村拆迁清零") {
			t.Errorf("the robot's message: @%q <@%q> %q", mobiles, wecom, body)
		}

		// Run again for the day (a second instance, a retry): nothing more.
		again, err := w.s.Digest(ctx, town+"/"+day, town)
		if err != nil || !again.Again || again.Inbox != 0 {
			t.Fatalf("again: %+v %v", again, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM inbox WHERE title LIKE '督办提醒%'`); n != total {
			t.Errorf("the day's digest sent twice: %d messages, want %d", n, total)
		}

		// The next day, recipients are read afresh: shuangtang's account
		// is disabled (宋小芳 has left), and her tasks reach nobody, in the
		// inbox or at the robot; the others get their second digest.
		if _, err := d.ExecContext(ctx, `UPDATE users SET disabled = TRUE WHERE login = 'shuangtang'`); err != nil {
			t.Fatal(err)
		}
		next := clock.Today(now).AddDate(0, 0, 1).Format(clock.DateFormat)
		now = now.Add(24 * time.Hour)
		second, err := w.s.Digest(ctx, town+"/"+next, town)
		if err != nil {
			t.Fatal(err)
		}
		if msgs := w.digests(t); len(msgs["shuangtang"]) != 1 || second.Robots != 0 || second.Inbox == 0 {
			t.Errorf("the next day: shuangtang %d (want still 1), digest %+v (want no robot message, some inbox)", len(msgs["shuangtang"]), second)
		}

		// A township without a digest time gets none.
		rules := work.DefaultRules
		rules.DigestAt = ""
		if err := w.s.SetRules(w.as(t, "duban"), w.township, rules); err != nil {
			t.Fatal(err)
		}
		now = now.Add(24 * time.Hour)
		if err := w.s.ScheduleDigests(ctx); err != nil {
			t.Fatal(err)
		}
		third := clock.Today(now).Format(clock.DateFormat)
		if n := w.count(t, `SELECT COUNT(*) FROM job_runs WHERE name = $1 AND run_key = $2`, work.DigestJob, town+"/"+third); n != 0 {
			t.Errorf("a digest queued with no digest time")
		}
	})
}

// TestDigestRunsOnceOnTwoRunners runs the queued digest on two runners of
// one database at once: one run, one set of messages.
func TestDigestRunsOnceOnTwoRunners(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := demoSetup(t, d)
		if err := w.s.ScheduleDigests(ctx); err != nil {
			t.Fatal(err)
		}
		var runners []*jobs.Runner
		for _, owner := range []string{"a", "b"} {
			s := &work.Store{DB: d, Now: w.s.Now}
			r := &jobs.Runner{DB: d, Now: w.s.Now, Owner: owner}
			r.Handle(work.DigestJob, s.SendDigest)
			runners = append(runners, r)
		}
		done := make(chan struct{})
		for _, r := range runners {
			go func() { r.RunDue(ctx); done <- struct{}{} }()
		}
		<-done
		<-done
		msgs := w.digests(t)
		if len(msgs["shuangtang"]) != 1 {
			t.Errorf("shuangtang got %d digests from two runners, want 1", len(msgs["shuangtang"]))
		}
		if n := w.count(t, `SELECT COUNT(*) FROM task_digests WHERE township_id = $1`, w.township); n != 1 {
			t.Errorf("%d digest records, want 1", n)
		}
	})
}

func TestDueWindowRule(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		in := w.input("五天后到期")
		in.AssignedOn, in.Deadline = "2026-11-20", "2026-11-30" // five days after demoNow
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		due := work.Yellow
		count := func() int {
			n, err := w.s.Count(office, work.Filter{Light: &due})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if got, _ := w.s.Task(office, task.ID); got.Light != work.Green || count() != 0 {
			t.Fatalf("five days out under the default 3-day window: %q, %d due", got.Light, count())
		}
		for _, bad := range []int{-1, 31} {
			r := work.DefaultRules
			r.DueWindow = bad
			if err := w.s.SetRules(office, w.township, r); err == nil || !strings.Contains(err.Error(), "due_window") {
				t.Errorf("window %d: %v, want refused", bad, err)
			}
		}
		r := work.DefaultRules
		r.DigestAt = "8点"
		if err := w.s.SetRules(office, w.township, r); err == nil || !strings.Contains(err.Error(), "digest_at") {
			t.Errorf("digest at 8点: %v, want refused", err)
		}
		r = work.DefaultRules
		r.DueWindow = 7
		if err := w.s.SetRules(office, w.township, r); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.s.Task(office, task.ID); got.Light != work.Yellow {
			t.Errorf("five days out under a 7-day window: %q, want due", got.Light)
		}
		if n := count(); n != 1 {
			t.Errorf("the due list has %d, want the task", n)
		}
		page, err := w.s.Tasks(office, work.Filter{Light: &due}, db.All(1000))
		if err != nil || len(page) != 1 || page[0].ID != task.ID {
			t.Errorf("the due page: %v %v", page, err)
		}
	})
}
