package work_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

func TestCardFor(t *testing.T) {
	cases := []struct {
		name                      string
		daysLate, yellows, redAft int
		color                     work.Color
		cause                     work.Cause
		card                      bool
	}{
		{"not late", 0, 0, 7, "", "", false},
		{"a day early", -1, 5, 7, "", "", false},
		{"the first day late", 1, 0, 7, work.YellowCard, work.LateCause, true},
		{"the last yellow day", 7, 0, 7, work.YellowCard, work.LateCause, true},
		{"one day past the township's days", 8, 0, 7, work.RedCard, work.LateCause, true},
		{"a stricter township", 4, 0, 3, work.RedCard, work.LateCause, true},
		{"one yellow before", 2, 1, 7, work.YellowCard, work.LateCause, true},
		{"two yellows before", 1, 2, 7, work.RedCard, work.RepeatCause, true},
		{"late beyond and repeated: lateness names it", 9, 3, 7, work.RedCard, work.LateCause, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			color, cause, ok := work.CardFor(c.daysLate, c.yellows, c.redAft)
			if color != c.color || cause != c.cause || ok != c.card {
				t.Errorf("got %q %q %v, want %q %q %v", color, cause, ok, c.color, c.cause, c.card)
			}
		})
	}
}

func TestSweep(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		now := demoNow
		s := &work.Store{DB: d, Now: func() time.Time { return now }}
		at := func(day string, hour int) {
			tm, err := time.ParseInLocation("2006-01-02", day, clock.Beijing)
			if err != nil {
				t.Fatal(err)
			}
			now = tm.Add(time.Duration(hour) * time.Hour)
		}
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		systemAudits := func() int {
			t.Helper()
			var n int
			if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity = 'task_card' AND actor_login = 'system'`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		audits := systemAudits() // the demo's own cards
		create := func(title, deadline string) work.Task {
			t.Helper()
			in := w.input(title)
			in.Deadline = deadline
			task, err := s.Create(office, in)
			if err != nil {
				t.Fatal(err)
			}
			return task
		}
		a := create("一号事项", "2026-11-30")
		b := create("二号事项", "2026-11-26")
		c := create("三号事项", "2026-12-20")
		sweep := func(raised, cleared int) {
			t.Helper()
			got, err := s.Sweep(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got.Raised != raised || got.Cleared != cleared {
				t.Fatalf("at %s: swept %+v, want %d raised and %d taken down", now.Format(time.DateTime), got, raised, cleared)
			}
		}
		cardOf := func(id int64) work.Color {
			t.Helper()
			task, err := s.Task(village, id)
			if err != nil {
				t.Fatal(err)
			}
			return task.Card
		}
		listed := func(color work.Color) []int64 {
			t.Helper()
			tasks, err := s.Tasks(office, work.Filter{Card: &color}, db.All(100))
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, task := range tasks {
				ids = append(ids, task.ID)
			}
			return ids
		}

		sweep(0, 0)
		// The last minute of 30 November in Beijing: 一号 is due today, not late.
		at("2026-11-30", 23)
		now = now.Add(59 * time.Minute)
		sweep(1, 0)
		if cardOf(a.ID) != "" || cardOf(b.ID) != work.YellowCard {
			t.Fatalf("cards: 一号 %q, 二号 %q; want none and yellow", cardOf(a.ID), cardOf(b.ID))
		}
		sweep(0, 0) // nothing changed, nothing written
		if got := listed(work.YellowCard); len(got) != 1 || got[0] != b.ID {
			t.Errorf("yellow list: %v, want [%d]", got, b.ID)
		}

		// 4 December: 二号 is 8 days late, past 7: its yellow becomes red.
		at("2026-12-04", 10)
		sweep(2, 1)
		if cardOf(a.ID) != work.YellowCard || cardOf(b.ID) != work.RedCard {
			t.Fatalf("cards: 一号 %q, 二号 %q; want yellow and red", cardOf(a.ID), cardOf(b.ID))
		}
		cards, err := s.Cards(village, b.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cards) != 2 || !cards[0].Standing() || cards[0].RaisedOn != "2026-12-04" ||
			cards[1].Standing() || cards[1].ClearedWhy != work.ClearedUpgraded || cards[1].RaisedOn != "2026-11-27" {
			t.Errorf("二号's cards: %+v", cards)
		}

		// The office exempts 一号 for an objective reason: it stays down.
		yellow := func(id int64) int64 {
			cs, err := s.Cards(office, id)
			if err != nil || len(cs) == 0 {
				t.Fatalf("cards of %d: %v %v", id, cs, err)
			}
			return cs[0].ID
		}
		card := yellow(a.ID)
		if err := s.Exempt(village, a.ID, card, "客观原因"); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("the village exempting itself: got %v, want forbidden", err)
		}
		if err := s.Exempt(office, a.ID, card, "  "); platform.AsError(err).Field != "reason" {
			t.Errorf("no reason: got %v, want invalid reason", err)
		}
		if err := s.Exempt(office, b.ID, card, "上级调整"); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("a card of another task: got %v, want not found", err)
		}
		if err := s.Exempt(office, a.ID, card, "上级规划调整，须待批复"); err != nil {
			t.Fatal(err)
		}
		if err := s.Exempt(office, a.ID, card, "再次"); platform.AsError(err).Field != "reason" {
			t.Errorf("a card down already: got %v, want invalid", err)
		}
		sweep(0, 0)
		if cardOf(a.ID) != "" {
			t.Errorf("一号 after its exemption: %q", cardOf(a.ID))
		}

		// Stopping 二号 takes its card down with the move.
		if _, err := s.Take(office, b.ID, 0, work.Stop, "项目取消"); err != nil {
			t.Fatal(err)
		}
		if got := listed(work.RedCard); len(got) != 0 {
			t.Errorf("red list after the stop: %v", got)
		}
		sweep(0, 0)

		// 三号 late against one deadline after another: the third card is red.
		move := func(deadline string) {
			t.Helper()
			if _, err := d.ExecContext(context.Background(), `UPDATE tasks SET deadline = $1 WHERE id = $2`, deadline, c.ID); err != nil {
				t.Fatal(err)
			}
		}
		move("2026-12-02")
		sweep(1, 0)
		move("2026-12-03")
		at("2026-12-05", 9)
		sweep(1, 1)
		move("2026-12-04")
		sweep(1, 1)
		cs, err := s.Cards(office, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(cs) != 3 || cs[0].Color != work.RedCard || cs[0].Cause != work.RepeatCause || cs[1].Color != work.YellowCard {
			t.Errorf("三号's cards: %+v", cs)
		}

		// Each raise and take-down is audited, as the system.
		if n := systemAudits() - audits; n != 9 { // raised 二号 ×2, 一号, 三号 ×3; taken down 二号 upgraded, 三号 ×2 (the exemption is the office's, the stop the task's)
			t.Errorf("got %d system card audits, want 9", n)
		}
	})
}

// rules is the default rules with red after days.
func rules(days int) work.Rules { r := work.DefaultRules; r.RedAfter = days; return r }

func TestRedAfterSetting(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		if err := w.s.SetRules(w.as(t, "shuangtang"), w.township, rules(3)); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village: got %v, want forbidden", err)
		}
		for _, days := range []int{0, 91} {
			if err := w.s.SetRules(office, w.township, rules(days)); platform.AsError(err).Field != "red_after" {
				t.Errorf("%d days: got %v, want invalid", days, err)
			}
		}
		if err := w.s.SetRules(office, w.units["双塘村"], rules(3)); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("a village as township: got %v, want not found", err)
		}
		if err := w.s.SetRules(office, w.township, rules(3)); err != nil {
			t.Fatal(err)
		}
		if got, err := w.s.RedAfter(context.Background(), d, w.township); err != nil || got != 3 {
			t.Errorf("red after: %d %v", got, err)
		}
		in := w.input("严格事项")
		in.AssignedOn, in.Deadline = "2026-11-01", "2026-11-20" // 5 days late at demoNow: red under 3
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Sweep(context.Background()); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.s.Task(office, task.ID); got.Card != work.RedCard {
			t.Errorf("5 days late under a 3-day rule: %q, want red", got.Card)
		}
	})
}
