package work_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
	"guatu/internal/work"
)

// closeTask takes a new task of the world from 交办 to 办结 as the village
// and the office would.
func (w *world) closeTask(t *testing.T, in work.Input) work.Task {
	t.Helper()
	office, village := w.as(t, "duban"), w.as(t, "shuangtang")
	task, err := w.s.Create(office, in)
	if err != nil {
		t.Fatal(err)
	}
	for _, step := range []func() error{
		func() error { _, err := w.s.Take(village, task.ID, 0, work.Claim, ""); return err },
		func() error { _, err := w.s.Progress(village, task.ID, 0, 100, "已完成"); return err },
		func() error { _, err := w.s.Take(village, task.ID, 0, work.Submit, ""); return err },
		func() error { _, err := w.s.Take(office, task.ID, 0, work.Close, ""); return err },
	} {
		if err := step(); err != nil {
			t.Fatal(err)
		}
	}
	return task
}

// A closed task is scored by the office: on time or late from its closing
// date (demoNow, 25 November) against its deadline, and a grade; an open
// task, an unknown grade or a village's hand is refused and writes nothing.
func TestEvaluate(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		late := w.input("逾期办结的事项")
		late.Deadline = "2026-11-20"
		onTime := w.input("按期办结的事项")
		onTime.Deadline = "2026-11-25" // closed on its deadline day
		lateTask, onTimeTask := w.closeTask(t, late), w.closeTask(t, onTime)
		open, err := w.s.Create(office, w.input("还在办理的事项"))
		if err != nil {
			t.Fatal(err)
		}
		audits := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action <> 'denied'`)
		for _, c := range []struct {
			name    string
			ctx     context.Context
			id      int64
			quality work.Quality
			comment string
			code    platform.Code
			field   string
		}{
			{"an open task", office, open.ID, work.Good, "", platform.Invalid, "quality"},
			{"an unknown grade", office, lateTask.ID, "perfect", "", platform.Invalid, "quality"},
			{"no grade", office, lateTask.ID, "", "", platform.Invalid, "quality"},
			{"a comment too long", office, lateTask.ID, work.Good, strings.Repeat("好", 501), platform.Invalid, "eval_comment"},
			{"the lead village", w.as(t, "shuangtang"), lateTask.ID, work.Excellent, "", platform.Forbidden, ""},
			{"another township", w.as(t, "linjiang"), lateTask.ID, work.Excellent, "", platform.NotFound, ""},
		} {
			_, err := w.s.Evaluate(c.ctx, c.id, c.quality, c.comment)
			if e := platform.AsError(err); err == nil || e.Code != c.code || e.Field != c.field {
				t.Errorf("%s: got %v, want %s %s", c.name, err, c.code, c.field)
			}
		}
		// A refusal out of scope is audited as denied; nothing else is written.
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE action <> 'denied'`); n != audits || w.count(t, `SELECT COUNT(*) FROM task_evaluations`) != 0 {
			t.Errorf("refusals wrote %d entries or an evaluation", n-audits)
		}
		ev, err := w.s.Evaluate(office, lateTask.ID, work.Fair, "逾期五天")
		if err != nil {
			t.Fatal(err)
		}
		if ev.Timeliness != work.Late || ev.ClosedOn != "2026-11-25" || ev.Deadline != "2026-11-20" || ev.Quality != work.Fair {
			t.Errorf("late task: %+v", ev)
		}
		ev, err = w.s.Evaluate(office, onTimeTask.ID, work.Excellent, "")
		if err != nil || ev.Timeliness != work.OnTime {
			t.Errorf("task closed on its deadline day: %+v, %v", ev, err)
		}
		if _, err := w.s.Evaluate(office, lateTask.ID, work.Good, "复核后调整"); err != nil {
			t.Fatal(err)
		}
		got, err := w.s.Evaluation(w.as(t, "shuangtang"), lateTask.ID)
		if err != nil || got.Quality != work.Good || got.Comment != "复核后调整" || got.Evaluator != "duban" {
			t.Errorf("the village reads %+v, %v", got, err)
		}
		if n := w.count(t, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task_evaluation' AND entity_id IN ($1, $2)`,
			strconv.FormatInt(lateTask.ID, 10), strconv.FormatInt(onTimeTask.ID, 10)); n != 3 {
			t.Errorf("%d evaluation entries, want 3 (two scores, one change)", n)
		}
		if _, err := w.s.Evaluation(office, open.ID); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("an open task's evaluation: got %v, want not found", err)
		}
	})
}

// directCompletion counts the register by lead unit straight from the
// tables: all, closed, stopped, struck off and closed by the deadline (the
// 办结 step's Beijing date).
func directCompletion(t *testing.T, d *db.DB, township int64) map[int64][5]int {
	t.Helper()
	ctx := context.Background()
	rows, err := d.QueryContext(ctx, `SELECT id, lead_unit_id, state, deadline FROM tasks WHERE township_id = $1`, township)
	if err != nil {
		t.Fatal(err)
	}
	type task struct {
		id, unit        int64
		state, deadline string
	}
	var tasks []task
	for rows.Next() {
		var x task
		if err := rows.Scan(&x.id, &x.unit, &x.state, &x.deadline); err != nil {
			t.Fatal(err)
		}
		tasks = append(tasks, x)
	}
	rows.Close()
	out := map[int64][5]int{}
	for _, x := range tasks {
		c := out[x.unit]
		c[0]++
		switch x.state {
		case "closed":
			c[1]++
			var at time.Time
			if err := d.QueryRowContext(ctx, `SELECT at FROM workflow_steps WHERE item_kind = 'task' AND item_id = $1 AND to_state = 'closed'`, x.id).Scan(&at); err != nil {
				t.Fatal(err)
			}
			if at.In(clock.Beijing).Format(clock.DateFormat) <= x.deadline {
				c[4]++
			}
		case "stopped":
			c[2]++
		case "struck_off":
			c[3]++
		}
		out[x.unit] = c
	}
	return out
}

var completionRow = regexp.MustCompile(`data-testid="completion-(\d+)"><td>([^<]*)</td><td class="num">(\d+)</td><td class="num">(\d+)</td>\s*<td class="num">(\d+)</td><td class="num">(\d+)</td><td class="num">([^<]*)</td><td class="num">(\d+)</td>`)

// The completion record counts each unit's own tasks as lead unit, and the
// page, its .xlsx and a direct count of the tables say the same, for the
// office and for a village (whose co-unit tasks are not its own).
func TestCompletionPageExport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		// 双塘村 helps on a task it does not lead; it must not count.
		help := w.input("协助东湖村的事项")
		help.LeadUnitID, help.ResponsibleID, help.CoUnitIDs = w.units["东湖村"], nil, []int64{w.units["双塘村"]}
		if _, err := w.s.Create(w.as(t, "duban"), help); err != nil {
			t.Fatal(err)
		}
		want := directCompletion(t, d, w.township)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		for _, login := range []string{"duban", "shuangtang"} {
			t.Run(login, func(t *testing.T) {
				b := signIn(t, srv.URL, login)
				status, page := b.get("/tasks/completion?sort=-rate")
				if status != 200 {
					t.Fatalf("page: %d", status)
				}
				got := map[int64][5]int{}
				rates := map[int64]string{}
				for _, m := range completionRow.FindAllStringSubmatch(page, -1) {
					id, _ := strconv.ParseInt(m[1], 10, 64)
					n := func(i int) int { v, _ := strconv.Atoi(m[i]); return v }
					got[id] = [5]int{n(3), n(4), n(5), n(6), n(8)}
					rates[id] = m[7]
				}
				units := map[int64]bool{}
				for id := range want {
					if login == "duban" || id == w.units["双塘村"] {
						units[id] = true
					}
				}
				if len(got) != len(units) {
					t.Errorf("the page shows %d units, want %d", len(got), len(units))
				}
				for id := range units {
					c := want[id]
					if got[id] != c {
						t.Errorf("unit %d on the page: %v, counted %v (all, closed, stopped, struck off, on time)", id, got[id], c)
					}
					if r := work.CompletionRate(c[0], c[1], c[2], c[3]); rates[id] != web.FormatPercent(r) {
						t.Errorf("unit %d rate on the page %q, want %q", id, rates[id], web.FormatPercent(r))
					}
				}
				req, _ := http.NewRequest(http.MethodGet, srv.URL+"/tasks/completion.xlsx?sort=-rate", nil)
				resp, err := b.c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				defer resp.Body.Close()
				f, err := excelize.OpenReader(resp.Body)
				if err != nil {
					t.Fatalf("export: %v", err)
				}
				rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(rows) < 2 || strings.Join(rows[1], "|") != "牵头单位|事项总数|办结数|中止数|销号数|办结率|按期办结数" {
					t.Fatalf("export headers: %q", rows)
				}
				names := map[string]int64{}
				for id := range units {
					var name string
					d.QueryRowContext(context.Background(), `SELECT name FROM units WHERE id = $1`, id).Scan(&name)
					names[name] = id
				}
				if len(rows)-2 != len(units) {
					t.Errorf("the export has %d rows, want %d", len(rows)-2, len(units))
				}
				for _, r := range rows[2:] {
					for len(r) < 7 {
						r = append(r, "")
					}
					id, ok := names[r[0]]
					if !ok {
						t.Errorf("the export has a row for %q", r[0])
						continue
					}
					n := func(i int) int { v, _ := strconv.Atoi(r[i]); return v }
					if c := want[id]; [5]int{n(1), n(2), n(3), n(4), n(6)} != c {
						t.Errorf("%s in the export: %v, counted %v", r[0], r, c)
					}
					c := want[id]
					if rate := work.CompletionRate(c[0], c[1], c[2], c[3]); rate != nil {
						v, _ := strconv.ParseFloat(r[5], 64)
						if v-*rate > 1e-9 || *rate-v > 1e-9 {
							t.Errorf("%s rate in the export %s, want %v", r[0], r[5], *rate)
						}
					} else if r[5] != "" {
						t.Errorf("%s has no rate but the export says %q", r[0], r[5])
					}
				}
			})
		}
		b := signIn(t, srv.URL, "duban")
		if status, _ := b.get("/tasks/completion?year=abc"); status != http.StatusUnprocessableEntity {
			t.Errorf("a year that is not a number: %d, want 422", status)
		}
		if status, body := b.get("/tasks/completion?" + url.Values{"unit": {strconv.FormatInt(w.unitOf(t, "临江镇"), 10)}}.Encode()); status != http.StatusNotFound {
			t.Errorf("another township's unit: %d, want 404\n%s", status, body[:min(len(body), 200)])
		}
	})
}
