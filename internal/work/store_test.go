package work_test

import (
	"context"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

var demoNow = time.Date(2026, 11, 25, 10, 0, 0, 0, clock.Beijing)

// world is the demo township as the tests need it.
type world struct {
	d        *db.DB
	s        *work.Store
	township int64
	units    map[string]int64 // by name
	people   map[string]int64 // by name
}

// setup loads the demo with an empty register, so each test counts its
// own tasks (demoSetup keeps the demo's).
func setup(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := demoSetup(t, d)
	for _, table := range []string{"task_cards", "task_files", "task_unit_reports", "task_reports", "task_units", "tasks", "workflow_steps"} {
		if _, err := d.ExecContext(context.Background(), `DELETE FROM `+table); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func demoSetup(t *testing.T, d *db.DB) *world {
	t.Helper()
	res, err := demo.Load(context.Background(), d, demoNow)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{d: d, s: &work.Store{DB: d, Now: func() time.Time { return demoNow }}, township: res.TownshipID,
		units: map[string]int64{}, people: map[string]int64{}}
	sc, err := (&org.Store{DB: d}).Scope(w.as(t, "admin"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range sc.Units() {
		if _, ok := sc.TownshipOf(u.ID); ok {
			if tw, _ := sc.TownshipOf(u.ID); tw.ID == res.TownshipID {
				w.units[u.Name] = u.ID
			}
		}
	}
	ps, err := sc.People(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		w.people[p.Name] = p.ID
	}
	return w
}

func (w *world) as(t *testing.T, login string) context.Context {
	t.Helper()
	u, err := (&auth.Store{DB: w.d}).UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatalf("user %s: %v", login, err)
	}
	return auth.WithUser(context.Background(), u)
}

func ptr[T any](v T) *T { return &v }

// input is a valid task for 双塘村 under 赵丽华.
func (w *world) input(title string) work.Input {
	return work.Input{Title: title, Requirement: "11月底前完成", Source: work.FromMeeting, Category: "民生",
		LeadUnitID: w.units["双塘村"], ResponsibleID: ptr(w.people["梁德福"]), CoUnitIDs: []int64{w.units["东湖村"]},
		LeaderID: w.people["赵丽华"], AssignedOn: "2026-11-01", Deadline: "2026-12-20", Level: work.Normal}
}

func TestCreateRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		ctx := w.as(t, "duban")
		cases := []struct {
			name  string
			edit  func(in *work.Input)
			field string // "" when accepted
		}{
			{"a meeting's task", func(in *work.Input) {}, ""},
			{"no title", func(in *work.Input) { in.Title = " " }, "title"},
			{"deadline on the assignment day", func(in *work.Input) { in.Deadline = in.AssignedOn }, "deadline"},
			{"deadline before", func(in *work.Input) { in.Deadline = "2026-10-31" }, "deadline"},
			{"deadline not a date", func(in *work.Input) { in.Deadline = "2026-02-30" }, "deadline"},
			{"instruction without document", func(in *work.Input) {
				in.Source, in.SourceLeaderID = work.FromInstruction, ptr(w.people["张建国"])
			}, "doc_number"},
			{"instruction with document", func(in *work.Input) {
				in.Source, in.SourceLeaderID, in.DocNumber, in.DocDate = work.FromInstruction, ptr(w.people["张建国"]), "〔2026〕12号", "2026-10-30"
			}, ""},
			{"instruction by someone off the team", func(in *work.Input) {
				in.Source, in.SourceLeaderID, in.DocNumber, in.DocDate = work.FromInstruction, ptr(w.people["梁德福"]), "〔2026〕13号", "2026-10-30"
			}, "source_leader_id"},
			{"listed without its leader", func(in *work.Input) { in.Level = work.Listed }, "listing_leader_id"},
			{"listed", func(in *work.Input) { in.Level, in.ListingLeader = work.Listed, ptr(w.people["张建国"]) }, ""},
			{"leader in charge off the team", func(in *work.Input) { in.LeaderID = w.people["宋小芳"] }, "leader_id"},
			{"responsible of another unit", func(in *work.Input) { in.ResponsibleID = ptr(w.people["许文斌"]) }, "responsible_id"},
			{"co-unit is the lead unit", func(in *work.Input) { in.CoUnitIDs = []int64{in.LeadUnitID} }, "co_unit_ids"},
			{"unknown source", func(in *work.Input) { in.Source = "rumour" }, "source"},
			{"unknown level", func(in *work.Input) { in.Level = "urgent" }, "level"},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := w.input("事项" + string(rune('A'+i)))
				c.edit(&in)
				_, err := w.s.Create(ctx, in)
				if c.field == "" {
					if err != nil {
						t.Fatalf("got %v, want accepted", err)
					}
					return
				}
				if e := platform.AsError(err); err == nil || e.Code != platform.Invalid || e.Field != c.field {
					t.Fatalf("got %v, want invalid %s", err, c.field)
				}
			})
		}
		if _, err := w.s.Create(ctx, w.input("事项A")); platform.AsError(err).Field != "title" {
			t.Errorf("the same title twice: got %v, want invalid title", err)
		}
		if _, err := w.s.Create(w.as(t, "shuangtang"), w.input("村里自己交办")); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village assigning: got %v, want forbidden", err)
		}
	})
}

func TestTaskFlow(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village, other, helper := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "wangge"), w.as(t, "donghu")
		in := w.input("双塘村农村人居环境整治")
		in.CoUnitIDs = nil
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		// 东湖村 is not on this task: it does not exist for them.
		if _, err := w.s.Task(helper, task.ID); platform.ErrorCode(err) != platform.NotFound {
			t.Fatalf("another village reading: got %v, want not found", err)
		}
		move := func(ctx context.Context, name, comment string) work.Task {
			t.Helper()
			cur, err := w.s.Task(ctx, task.ID)
			if err != nil {
				t.Fatal(err)
			}
			got, err := w.s.Take(ctx, task.ID, cur.Version, name, comment)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return got
		}
		if got := move(village, work.Claim, ""); got.Status != work.Accepted {
			t.Fatalf("after claim: %s", got.Status)
		}
		cur, _ := w.s.Task(village, task.ID)
		if got, err := w.s.Progress(village, task.ID, cur.Version, 60, "已清理垃圾点12处"); err != nil || got.Status != work.InProgress || got.Progress != 60 {
			t.Fatalf("report: %+v %v", got, err)
		}
		if _, err := w.s.Progress(village, task.ID, 0, 101, "x"); platform.AsError(err).Field != "percent" {
			t.Errorf("101%%: got %v", err)
		}
		move(village, work.Submit, "")
		if _, err := w.s.Take(village, task.ID, 0, work.Close, ""); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("the village closing its own: got %v, want forbidden", err)
		}
		if _, err := w.s.Take(office, task.ID, 0, work.Return, ""); platform.AsError(err).Field != "comment" {
			t.Errorf("return without reason: got %v", err)
		}
		if got := move(office, work.Return, "缺整治前后照片"); got.Status != work.InProgress {
			t.Fatalf("returned to %s, want in_progress (the state before review)", got.Status)
		}
		// The village's grid is not the lead unit and does not see its tasks.
		if _, err := w.s.Take(other, task.ID, 0, work.Submit, ""); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("the grid applying: got %v, want not found", err)
		}
		move(village, work.Submit, "照片已补")
		if got := move(office, work.Close, ""); got.Status != work.Closed || got.Light != work.NoLight || got.Progress != 100 {
			t.Fatalf("closed: %+v", got)
		}
		steps, err := w.s.Steps(office, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := []string{"assign", work.Claim, work.Report, work.Submit, work.Return, work.Submit, work.Close}
		if len(steps) != len(want) {
			t.Fatalf("got %d steps, want %d: %+v", len(steps), len(want), steps)
		}
		for i, st := range steps {
			if st.Transition != want[i] {
				t.Errorf("step %d: got %s, want %s", i, st.Transition, want[i])
			}
		}
		if steps[4].Comment != "缺整治前后照片" || steps[4].ActorLogin != "duban" {
			t.Errorf("return step: %+v", steps[4])
		}
		var audits int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity = 'task' AND entity_id = $1 AND action <> 'denied'`, audit(task.ID)).Scan(&audits); err != nil {
			t.Fatal(err)
		}
		if audits != len(want) {
			t.Errorf("got %d audit entries, want %d", audits, len(want))
		}
		var denied int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE entity = 'task' AND entity_id = $1 AND action = 'denied'`, audit(task.ID)).Scan(&denied); err != nil {
			t.Fatal(err)
		}
		if denied != 2 {
			t.Errorf("got %d denied entries, want 2 (东湖村 reading, the grid applying)", denied)
		}
		reports, err := w.s.Reports(village, task.ID)
		if err != nil || len(reports) != 1 || reports[0].Percent != 60 {
			t.Errorf("reports: %+v %v", reports, err)
		}
	})
}

func audit(id int64) string { return itoa(id) }

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

func TestListedAndCoUnits(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village, helper, shuji, mayor := w.as(t, "duban"), w.as(t, "shuangtang"), w.as(t, "donghu"), w.as(t, "shuji"), w.as(t, "zhenzhang")
		in := w.input("双塘村拆迁清零")
		in.Level, in.ListingLeader = work.Listed, ptr(w.people["张建国"])
		task, err := w.s.Create(office, in)
		if err != nil {
			t.Fatal(err)
		}
		// The co-unit sees the task but may not act on it.
		seen, err := w.s.Task(helper, task.ID)
		if err != nil {
			t.Fatalf("co-unit reading: %v", err)
		}
		if got := w.s.Allowed(helper, seen); len(got) != 0 {
			t.Errorf("co-unit may %v, want nothing", got)
		}
		if _, err := w.s.Take(helper, task.ID, 0, work.Claim, ""); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("co-unit claiming: got %v, want forbidden", err)
		}
		for _, m := range []string{work.Claim, work.Submit} {
			if _, err := w.s.Take(village, task.ID, 0, m, ""); err != nil {
				t.Fatal(err)
			}
		}
		for name, ctx := range map[string]context.Context{"the office": office, "another leader": mayor} {
			if _, err := w.s.Take(ctx, task.ID, 0, work.Close, ""); platform.ErrorCode(err) != platform.Forbidden {
				t.Errorf("%s closing a listed task: got %v, want forbidden", name, err)
			}
		}
		if got, err := w.s.Take(shuji, task.ID, 0, work.Close, "验收合格"); err != nil || got.Status != work.Closed {
			t.Fatalf("listing leader closing: %+v %v", got, err)
		}
	})
}

func TestStaleVersion(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		task, err := w.s.Create(office, w.input("税源排查"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Take(village, task.ID, task.Version, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		// The office's page still shows the task as assigned.
		if _, err := w.s.Take(office, task.ID, task.Version, work.Stop, "并入其他事项"); platform.ErrorCode(err) != platform.Conflict {
			t.Fatalf("stop on a stale page: got %v, want conflict", err)
		}
		got, _ := w.s.Task(office, task.ID)
		if got.Status != work.Accepted {
			t.Errorf("got %s, want accepted", got.Status)
		}
	})
}

func TestListFilters(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		// demoNow is 25 November: 20 November is overdue, 27 November due, 20 December normal.
		deadlines := map[string]string{"逾期的": "2026-11-20", "临期的": "2026-11-27", "当天的": "2026-11-25", "正常的": "2026-12-20"}
		for title, dl := range deadlines {
			in := w.input(title)
			in.Deadline = dl
			if _, err := w.s.Create(office, in); err != nil {
				t.Fatal(err)
			}
		}
		in := w.input("东湖村的")
		in.LeadUnitID, in.ResponsibleID, in.CoUnitIDs = w.units["东湖村"], nil, nil
		if _, err := w.s.Create(office, in); err != nil {
			t.Fatal(err)
		}
		count := func(ctx context.Context, f work.Filter) []work.Task {
			t.Helper()
			got, err := w.s.Tasks(ctx, f, db.All(100))
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		all := count(office, work.Filter{})
		if len(all) != 5 || all[0].Title != "逾期的" {
			t.Fatalf("office sees %d tasks, first %q; want 5, 逾期的 first by deadline", len(all), all[0].Title)
		}
		for _, task := range all {
			d, _ := clock.ParseDate(task.Deadline)
			l := task.Light
			got := count(office, work.Filter{Light: &l})
			found := false
			for _, g := range got {
				found = found || g.ID == task.ID
			}
			if !found || l != work.LightOf(task.Status, d, demoNow, work.DefaultDueWindow) {
				t.Errorf("%s: light %s not found by the light filter", task.Title, l)
			}
		}
		red, yellow := work.Red, work.Yellow
		if n := len(count(office, work.Filter{Light: &red})); n != 1 {
			t.Errorf("overdue: got %d, want 1", n)
		}
		if n := len(count(office, work.Filter{Light: &yellow})); n != 2 {
			t.Errorf("due: got %d, want 2 (the deadline day itself is due, not overdue)", n)
		}
		// 双塘村 leads four and helps on none; 东湖村 leads one and helps on four.
		if n := len(count(w.as(t, "shuangtang"), work.Filter{})); n != 4 {
			t.Errorf("双塘村 sees %d, want 4", n)
		}
		if n := len(count(w.as(t, "donghu"), work.Filter{})); n != 5 {
			t.Errorf("东湖村 sees %d, want 5", n)
		}
		if n := len(count(w.as(t, "linjiang"), work.Filter{})); n != 0 {
			t.Errorf("another township sees %d, want 0", n)
		}
		unit := w.units["东湖村"]
		if n := len(count(office, work.Filter{UnitID: &unit})); n != 1 {
			t.Errorf("led by 东湖村: got %d, want 1", n)
		}
		if n := len(count(office, work.Filter{Search: "临期"})); n != 1 {
			t.Errorf("search: got %d, want 1", n)
		}
		todo, err := w.s.Todo(w.as(t, "shuangtang"))
		if err != nil {
			t.Fatal(err)
		}
		if len(todo) != 4 || todo[0].Title != "逾期的" {
			t.Errorf("双塘村's to-do: %d, first %q", len(todo), todo[0].Title)
		}
		if todo, _ := w.s.Todo(office); len(todo) != 0 {
			t.Errorf("the office has %d to do before anything is submitted, want 0", len(todo))
		}
	})
}

// A village moved to another township takes its tasks along.
func TestUnitMoveCarriesTasks(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		in := w.input("双塘村搬家")
		in.CoUnitIDs = nil
		task, err := w.s.Create(w.as(t, "duban"), in)
		if err != nil {
			t.Fatal(err)
		}
		var linjiang int64
		if err := d.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = '临江镇'`).Scan(&linjiang); err != nil {
			t.Fatal(err)
		}
		os := app.OrgStore(d)
		if _, err := os.UpdateUnit(w.as(t, "admin"), w.units["双塘村"], org.UnitInput{ParentID: &linjiang, Kind: org.Village, Name: "双塘村"}); err != nil {
			t.Fatal(err)
		}
		var township int64
		if err := d.QueryRowContext(context.Background(), `SELECT township_id FROM tasks WHERE id = $1`, task.ID).Scan(&township); err != nil {
			t.Fatal(err)
		}
		if township != linjiang {
			t.Errorf("the task's township is %d, want 临江镇 (%d)", township, linjiang)
		}
		if n, err := w.s.Tasks(w.as(t, "linjiang"), work.Filter{}, db.All(10)); err != nil || len(n) != 1 {
			t.Errorf("临江镇 sees %d tasks (%v), want the one moved in", len(n), err)
		}
	})
}
