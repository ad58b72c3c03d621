package work_test

import (
	"context"
	"strconv"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// setupItems is setup with no livelihood project either.
func setupItems(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := setup(t, d)
	if _, err := d.ExecContext(context.Background(), `DELETE FROM livelihood_items`); err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *world) count(t *testing.T, q string, args ...any) int {
	t.Helper()
	var n int
	if err := w.d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// item is a valid item of XX镇's 2026 led by 社会治理局.
func (w *world) item(number int, title string) work.ItemInput {
	return work.ItemInput{Year: 2026, Number: number, Title: title, Content: "新改建农村公路", Target: ptr(12.0), Measure: "公里",
		LeadUnitID: w.units["社会治理局"]}
}

// Bad input on an item is refused, naming its field, and changes nothing:
// no row, no audit entry.
func TestItemRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setupItems(t, d)
		ctx := w.as(t, "duban")
		if _, err := w.s.CreateItem(ctx, w.item(5, "农村道路提档升级")); err != nil {
			t.Fatal(err)
		}
		cases := []struct {
			name  string
			edit  func(in *work.ItemInput)
			field string // "" when accepted
		}{
			{"empty title", func(in *work.ItemInput) { in.Title = "  " }, "title"},
			{"negative target", func(in *work.ItemInput) { in.Target = ptr(-500.0) }, "target"},
			{"zero target", func(in *work.ItemInput) { in.Target = ptr(0.0) }, "target"},
			{"target without its measure", func(in *work.ItemInput) { in.Measure = "" }, "measure"},
			{"number 0", func(in *work.ItemInput) { in.Number = 0 }, "number"},
			{"number 11", func(in *work.ItemInput) { in.Number = 11 }, "number"},
			{"a number the year has", func(in *work.ItemInput) { in.Number = 5 }, "number"},
			{"no year", func(in *work.ItemInput) { in.Year = 0 }, "year"},
			{"no lead unit", func(in *work.ItemInput) { in.LeadUnitID = 0 }, "lead_unit_id"},
			{"a title too long", func(in *work.ItemInput) { in.Title = string(make([]rune, 61)) + "路" }, "title"},
			{"the same number next year", func(in *work.ItemInput) { in.Number, in.Year = 5, 2027 }, ""},
			{"without a number", func(in *work.ItemInput) { in.Target, in.Measure = nil, "" }, ""},
		}
		for i, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				in := w.item(i%9+1, "实事"+string(rune('A'+i)))
				if in.Number == 5 {
					in.Number = 10
				}
				c.edit(&in)
				items, audits := w.count(t, `SELECT COUNT(*) FROM livelihood_items`), w.count(t, `SELECT COUNT(*) FROM audit_log`)
				_, err := w.s.CreateItem(ctx, in)
				if c.field == "" {
					if err != nil {
						t.Fatalf("got %v, want accepted", err)
					}
					return
				}
				if e := platform.AsError(err); err == nil || e.Code != platform.Invalid || e.Field != c.field {
					t.Fatalf("got %v, want invalid %s", err, c.field)
				}
				if a, b := w.count(t, `SELECT COUNT(*) FROM livelihood_items`), w.count(t, `SELECT COUNT(*) FROM audit_log`); a != items || b != audits {
					t.Errorf("a refused item changed the tables: items %d→%d, audit %d→%d", items, a, audits, b)
				}
			})
		}
		if _, err := w.s.CreateItem(w.as(t, "shuangtang"), w.item(8, "村里自己定实事")); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village adding an item: got %v, want forbidden", err)
		}
		other := w.item(8, "临江镇的实事")
		other.LeadUnitID = w.unitOf(t, "临江镇")
		if _, err := w.s.CreateItem(ctx, other); platform.AsError(err).Field != "lead_unit_id" {
			t.Errorf("an item led by another township's unit: got %v, want invalid lead_unit_id", err)
		}
	})
}

// unitOf finds a unit of any township by name.
func (w *world) unitOf(t *testing.T, name string) int64 {
	t.Helper()
	var id int64
	if err := w.d.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatalf("unit %s: %v", name, err)
	}
	return id
}

// The office records an item's actual figure; a negative figure, one for
// an item without a number, a stale version or an edit into a taken number
// is refused and changes nothing.
func TestItemActualAndEdit(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setupItems(t, d)
		ctx := w.as(t, "duban")
		road, err := w.s.CreateItem(ctx, w.item(5, "农村道路提档升级"))
		if err != nil {
			t.Fatal(err)
		}
		plain := w.item(3, "中心小学食堂改造")
		plain.Target, plain.Measure = nil, ""
		school, err := w.s.CreateItem(ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		got, err := w.s.SetActual(ctx, road.ID, road.Version, ptr(7.5))
		if err != nil {
			t.Fatal(err)
		}
		if got.Actual == nil || *got.Actual != 7.5 || got.Progress == nil || *got.Progress != 7.5/12 || got.Status == work.NotStarted {
			t.Errorf("after 7.5 of 12 公里: actual %v, progress %v, status %s", got.Actual, got.Progress, got.Status)
		}
		audits := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'livelihood'`)
		for _, c := range []struct {
			name    string
			id, ver int64
			actual  *float64
			code    platform.Code
		}{
			{"negative", road.ID, got.Version, ptr(-1.0), platform.Invalid},
			{"missing", road.ID, got.Version, nil, platform.Invalid},
			{"an item without a number", school.ID, school.Version, ptr(3.0), platform.Invalid},
			{"a stale version", road.ID, road.Version, ptr(9.0), platform.Conflict},
		} {
			if _, err := w.s.SetActual(ctx, c.id, c.ver, c.actual); platform.ErrorCode(err) != c.code {
				t.Errorf("%s: got %v, want %s", c.name, err, c.code)
			}
		}
		if _, err := w.s.SetActual(w.as(t, "shuangtang"), road.ID, 0, ptr(9.0)); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village recording the figure: got %v, want forbidden", err)
		}
		edit := w.item(3, "农村道路提档升级")
		if _, err := w.s.UpdateItem(ctx, road.ID, got.Version, edit); platform.AsError(err).Field != "number" {
			t.Errorf("an edit into a taken number: got %v, want invalid number", err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'livelihood'`); n != audits {
			t.Errorf("refusals wrote %d audit entries", n-audits)
		}
		again, _ := w.s.Item(ctx, road.ID)
		if *again.Actual != 7.5 || again.Number != 5 {
			t.Errorf("after the refusals: actual %v, number %d", *again.Actual, again.Number)
		}
		edit.Number, edit.Target, edit.Measure = 6, nil, ""
		after, err := w.s.UpdateItem(ctx, road.ID, got.Version, edit)
		if err != nil {
			t.Fatal(err)
		}
		if after.Number != 6 || after.Target != nil || after.Actual != nil {
			t.Errorf("an item whose number was taken away: number %d, target %v, actual %v", after.Number, after.Target, after.Actual)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'livelihood' AND action = 'update' AND entity_id = $1`, strconv.FormatInt(road.ID, 10)); n != 2 {
			t.Errorf("%d update entries, want 2 (the figure, the edit)", n)
		}
	})
}

// A livelihood task is linked to its item when assigned; the item reads
// its progress from its tasks when it has no number; a task of another
// source or an item of another township is refused; the township's people
// read the items, another township's do not.
func TestItemTasks(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setupItems(t, d)
		ctx := w.as(t, "duban")
		plain := w.item(3, "中心小学食堂改造")
		plain.Target, plain.Measure = nil, ""
		school, err := w.s.CreateItem(ctx, plain)
		if err != nil {
			t.Fatal(err)
		}
		in := w.input("中心小学食堂设备安装")
		in.Source, in.LivelihoodID = work.FromLivelihood, &school.ID
		task, err := w.s.Create(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		meeting := w.input("会议交办的事项")
		meeting.LivelihoodID = &school.ID
		if _, err := w.s.Create(ctx, meeting); platform.AsError(err).Field != "livelihood_id" {
			t.Errorf("a meeting's task under an item: got %v, want invalid livelihood_id", err)
		}
		meeting.LivelihoodID = nil
		if _, err := w.s.Create(ctx, meeting); err != nil {
			t.Fatal(err)
		}
		bad := w.input("挂到不存在的实事")
		bad.Source, bad.LivelihoodID = work.FromLivelihood, ptr(int64(999999))
		if _, err := w.s.Create(ctx, bad); platform.AsError(err).Field != "livelihood_id" {
			t.Errorf("an unknown item: got %v, want invalid livelihood_id", err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM tasks WHERE title = '挂到不存在的实事'`); n != 0 {
			t.Errorf("the refused task was kept")
		}
		it, err := w.s.Item(ctx, school.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(it.TaskIDs) != 1 || it.TaskIDs[0] != task.ID {
			t.Fatalf("the item's tasks are %v, want only the livelihood task %d", it.TaskIDs, task.ID)
		}
		if it.Progress == nil || *it.Progress != 0 || it.Status != work.NotStarted {
			t.Errorf("before a report: progress %v, status %s", it.Progress, it.Status)
		}
		village := w.as(t, "shuangtang")
		if _, err := w.s.Take(village, task.ID, 0, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Progress(village, task.ID, 0, 40, "设备已进场"); err != nil {
			t.Fatal(err)
		}
		it, _ = w.s.Item(ctx, school.ID)
		if it.Progress == nil || *it.Progress != 0.4 {
			t.Errorf("after a report of 40%%: progress %v", it.Progress)
		}
		items, err := w.s.Items(w.as(t, "donghu"), w.township, 2026)
		if err != nil || len(items) != 1 {
			t.Errorf("another village of the township reads %d items (%v), want 1", len(items), err)
		}
		if _, err := w.s.Items(w.as(t, "linjiang"), w.township, 2026); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another township reading XX镇's items: got %v, want not found", err)
		}
		if _, err := w.s.Item(w.as(t, "linjiang"), school.ID); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another township reading an item: got %v, want not found", err)
		}
		// Moving the task: off the item, onto another; a meeting's task and a
		// village's hand are refused.
		road, err := w.s.CreateItem(ctx, w.item(5, "农村道路提档升级"))
		if err != nil {
			t.Fatal(err)
		}
		if err := w.s.Link(ctx, task.ID, road.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.s.TaskItem(ctx, task.ID); got != road.ID {
			t.Errorf("after the move the task serves %d, want %d", got, road.ID)
		}
		if err := w.s.Link(village, task.ID, school.ID); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village moving the task: got %v, want forbidden", err)
		}
		var other int64
		w.d.QueryRowContext(context.Background(), `SELECT id FROM tasks WHERE title = '会议交办的事项'`).Scan(&other)
		if err := w.s.Link(ctx, other, school.ID); platform.AsError(err).Field != "livelihood_id" {
			t.Errorf("linking a meeting's task: got %v, want invalid livelihood_id", err)
		}
	})
}

// The demo has XX镇's ten projects of the year, the demo's livelihood
// tasks under them, some closed tasks scored, and a second load changes
// none of it.
func TestDemoLivelihood(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		items, err := w.s.Items(w.as(t, "duban"), w.township, demoNow.Year())
		if err != nil {
			t.Fatal(err)
		}
		if len(items) != 10 {
			t.Fatalf("the demo has %d items, want ten", len(items))
		}
		statuses := map[work.ItemStatus]int{}
		plain := 0
		for i, it := range items {
			if it.Number != i+1 {
				t.Errorf("item %d is numbered %d", i+1, it.Number)
			}
			if it.Target == nil {
				plain++
			}
			statuses[it.Status]++
		}
		if plain == 0 || plain == 10 {
			t.Errorf("%d items without a number, want some", plain)
		}
		for _, st := range []work.ItemStatus{work.Done, work.OnTrack, work.Behind, work.NotStarted} {
			if statuses[st] == 0 {
				t.Errorf("no item is %s: %v", st, statuses)
			}
		}
		linked := w.count(t, `SELECT COUNT(*) FROM livelihood_tasks`)
		if want := w.count(t, `SELECT COUNT(*) FROM tasks WHERE source = 'livelihood'`); linked != want || linked == 0 {
			t.Errorf("%d tasks linked, want every livelihood task of the demo (%d)", linked, want)
		}
		evals, late := w.count(t, `SELECT COUNT(*) FROM task_evaluations`), w.count(t, `SELECT COUNT(*) FROM task_evaluations WHERE timeliness = 'late'`)
		if evals < 3 || late == 0 || late == evals {
			t.Errorf("%d evaluations, %d late: want a few, some late, some on time", evals, late)
		}
		audits := w.count(t, `SELECT COUNT(*) FROM audit_log`)
		if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
			t.Fatal(err)
		}
		if a, b, c, e := w.count(t, `SELECT COUNT(*) FROM livelihood_items`), w.count(t, `SELECT COUNT(*) FROM livelihood_tasks`),
			w.count(t, `SELECT COUNT(*) FROM task_evaluations`), w.count(t, `SELECT COUNT(*) FROM audit_log`); a != 10 || b != linked || c != evals || e != audits {
			t.Errorf("a second load: items %d, links %d→%d, evaluations %d→%d, audit %d→%d", a, linked, b, evals, c, audits, e)
		}
	})
}
