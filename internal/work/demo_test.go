package work_test

import (
	"context"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// The demo's register spreads over every state, has overdue and listed
// tasks, and a second load changes nothing.
func TestDemoTasks(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		count := func(q string) int {
			t.Helper()
			var n int
			if err := d.QueryRowContext(context.Background(), q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		tasks, steps, audits := count(`SELECT COUNT(*) FROM tasks`), count(`SELECT COUNT(*) FROM workflow_steps`), count(`SELECT COUNT(*) FROM audit_log`)
		if tasks < 35 {
			t.Errorf("the demo has %d tasks, want about forty", tasks)
		}
		ctx := w.as(t, "duban")
		for state, want := range work.DemoStates() {
			st := state
			got, err := w.s.Tasks(ctx, work.Filter{Status: &st}, db.All(1000))
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != want || want == 0 {
				t.Errorf("%s: got %d tasks, want %d", state, len(got), want)
			}
		}
		for _, l := range []work.Light{work.Red, work.Yellow, work.Green} {
			light := l
			if got, _ := w.s.Tasks(ctx, work.Filter{Light: &light}, db.All(1000)); len(got) == 0 {
				t.Errorf("no %s task in the demo", l)
			}
		}
		listed := work.Listed
		if got, _ := w.s.Tasks(ctx, work.Filter{Level: &listed}, db.All(1000)); len(got) < 3 {
			t.Errorf("%d listed tasks, want a few", len(got))
		}
		if todo, _ := w.s.Todo(w.as(t, "shuangtang")); len(todo) == 0 {
			t.Error("双塘村 has nothing to do in the demo")
		}
		if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
			t.Fatal(err)
		}
		if a, b, c := count(`SELECT COUNT(*) FROM tasks`), count(`SELECT COUNT(*) FROM workflow_steps`), count(`SELECT COUNT(*) FROM audit_log`); a != tasks || b != steps || c != audits {
			t.Errorf("a second load: tasks %d→%d, steps %d→%d, audit %d→%d", tasks, a, steps, b, audits, c)
		}
	})
}
