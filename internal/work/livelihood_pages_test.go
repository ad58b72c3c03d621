package work_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// The office adds a project on /livelihood, is refused bad input next to
// its field, records a figure, assigns a task under the project and scores
// a closed task; the township's village reads the page, another township
// does not; the API says what the page says.
func TestLivelihoodPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		office, village, other := signIn(t, srv.URL, "duban"), signIn(t, srv.URL, "shuangtang"), signIn(t, srv.URL, "linjiang")
		year := strconv.Itoa(demoNowYear())
		list := "/livelihood?township=" + strconv.FormatInt(w.township, 10) + "&year=" + year

		status, body := office.get(list)
		if status != 200 || strings.Count(body, `data-testid="item-`) == 0 || !strings.Contains(body, "新增城镇就业岗位") || !strings.Contains(body, `data-testid="livelihood-new"`) {
			t.Fatalf("the office's /livelihood: %d", status)
		}
		for _, n := range []int{1, 10} {
			if !strings.Contains(body, `data-testid="item-`+strconv.Itoa(n)+`"`) {
				t.Errorf("the page lacks item %d", n)
			}
		}
		if _, body := village.get(list); !strings.Contains(body, "新增城镇就业岗位") || strings.Contains(body, `data-testid="livelihood-new"`) || strings.Contains(body, `action="/livelihood/`) {
			t.Errorf("the village's page lacks the items or shows the office's forms")
		}
		if status, _ := other.get(list); status != http.StatusNotFound {
			t.Errorf("another township opening XX镇's projects: %d, want 404", status)
		}
		if _, body := other.get("/livelihood"); strings.Contains(body, "新增城镇就业岗位") {
			t.Errorf("another township sees XX镇's projects on its own page")
		}
		if status, _ := village.get("/livelihood/new"); status != http.StatusForbidden {
			t.Errorf("a village opening the item form: %d, want 403", status)
		}

		// Bad input, each next to its field; nothing is added.
		form := url.Values{"year": {year}, "number": {"3"}, "title": {"农村道路提档升级"}, "target": {"12"}, "measure": {"公里"},
			"lead_unit_id": {strconv.FormatInt(w.units["社会治理局"], 10)}}
		for _, c := range []struct{ name, field, value, err string }{
			{"a negative target", "target", "-5", "error-target"},
			{"a target not a number", "target", "十二", "error-target"},
			{"an empty title", "title", "", "error-title"},
			{"a duplicate number", "number", "3", "error-number"},
		} {
			f := url.Values{}
			for k, v := range form {
				f[k] = v
			}
			f.Set(c.field, c.value)
			before := w.count(t, `SELECT COUNT(*) FROM livelihood_items`)
			status, body := office.post("/livelihood", f)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="`+c.err+`"`) {
				t.Errorf("%s: %d, want 422 with %s", c.name, status, c.err)
			}
			if n := w.count(t, `SELECT COUNT(*) FROM livelihood_items`); n != before {
				t.Errorf("%s added an item", c.name)
			}
		}
		if _, body := office.post("/livelihood", url.Values{"year": {year}, "number": {"3"}, "title": {"x"}, "lead_unit_id": {strconv.FormatInt(w.units["党政办"], 10)}}); !strings.Contains(body, "第三件已有实事") {
			t.Errorf("the duplicate number's message does not name the item")
		}
		// The demo's year has all ten; next year's first item is added.
		next := strconv.Itoa(demoNowYear() + 1)
		form.Set("year", next)
		form.Set("number", "1")
		if status, _ := office.post("/livelihood", form); status != http.StatusSeeOther {
			t.Fatalf("add an item: %d", status)
		}
		var id int64
		d.QueryRowContext(t.Context(), `SELECT id FROM livelihood_items WHERE year = $1 AND number = 1`, demoNowYear()+1).Scan(&id)
		path := "/livelihood/" + strconv.FormatInt(id, 10)
		if status, body := office.post(path+"/actual", url.Values{"actual": {"-3"}, "version": {"1"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-actual"`) {
			t.Errorf("a negative figure: %d, want 422 next to the figure", status)
		}
		if status, _ := office.post(path+"/actual", url.Values{"actual": {"4.5"}, "version": {"1"}}); status != http.StatusSeeOther {
			t.Errorf("record the figure: %d", status)
		}
		if status, body := office.post(path+"/actual", url.Values{"actual": {"5"}, "version": {"1"}}); status != http.StatusConflict || !strings.Contains(body, "刷新") {
			t.Errorf("a figure from a stale page: %d, want 409", status)
		}
		if status, _ := village.post(path+"/actual", url.Values{"actual": {"9"}, "version": {"2"}}); status != http.StatusForbidden {
			t.Errorf("a village recording a figure: %d, want 403", status)
		}
		if status, body := office.get(path + "/edit"); status != 200 || !strings.Contains(body, "农村道路提档升级") {
			t.Errorf("edit page: %d", status)
		}
		edit := url.Values{"year": {next}, "number": {"2"}, "title": {"农村道路提档升级工程"}, "target": {"15"}, "measure": {"公里"},
			"lead_unit_id": {strconv.FormatInt(w.units["社会治理局"], 10)}, "version": {"2"}}
		if status, _ := office.post(path, edit); status != http.StatusSeeOther {
			t.Errorf("edit: %d", status)
		}
		if _, body := office.get("/livelihood?year=" + next); !strings.Contains(body, "农村道路提档升级工程") || !strings.Contains(body, "30.0%") {
			t.Errorf("after the edit the page lacks the new title or 4.5 of 15 (30%%)")
		}

		// A task assigned under the item shows it, with a link back.
		itemID := strconv.FormatInt(id, 10)
		if _, body := office.get("/tasks/new"); !strings.Contains(body, `name="livelihood_id"`) {
			t.Fatalf("the task form lacks the item select")
		}
		task := url.Values{"title": {"双塘村至东湖村道路拓宽"}, "source": {"livelihood"}, "livelihood_id": {itemID},
			"lead_unit_id": {strconv.FormatInt(w.units["双塘村"], 10)}, "leader_id": {strconv.FormatInt(w.people["赵丽华"], 10)},
			"assigned_on": {"2026-11-25"}, "deadline": {"2026-12-30"}, "level": {"normal"}}
		if status, _ := office.post("/tasks", task); status != http.StatusSeeOther {
			t.Fatalf("assign under the item: %d", status)
		}
		var taskID int64
		d.QueryRowContext(t.Context(), `SELECT id FROM tasks WHERE title = '双塘村至东湖村道路拓宽'`).Scan(&taskID)
		if _, body := village.get("/tasks/" + strconv.FormatInt(taskID, 10)); !strings.Contains(body, `data-testid="task-item-link"`) || !strings.Contains(body, "农村道路提档升级工程") {
			t.Errorf("the task page lacks its item")
		}
		if _, body := office.get("/livelihood?year=" + next); !strings.Contains(body, "双塘村至东湖村道路拓宽") {
			t.Errorf("the item's row lacks its new task")
		}

		// A closed demo task is scored from its page.
		var closed int64
		d.QueryRowContext(t.Context(), `SELECT id FROM tasks WHERE title = '危化品企业风险评估'`).Scan(&closed)
		tp := "/tasks/" + strconv.FormatInt(closed, 10)
		if _, body := office.get(tp); !strings.Contains(body, `data-testid="eval-form"`) || !strings.Contains(body, "尚未评价") {
			t.Errorf("the closed task's page lacks the evaluation form")
		}
		if status, body := office.post(tp+"/evaluation", url.Values{"quality": {"perfect"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-quality"`) {
			t.Errorf("an unknown grade: %d, want 422 next to the grade", status)
		}
		if status, _ := village.post(tp+"/evaluation", url.Values{"quality": {"excellent"}}); status != http.StatusNotFound && status != http.StatusForbidden {
			t.Errorf("a village scoring: %d, want 403 or 404", status)
		}
		if status, _ := office.post(tp+"/evaluation", url.Values{"quality": {"excellent"}, "eval_comment": {"评估报告规范"}}); status != http.StatusSeeOther {
			t.Fatalf("evaluate: %d", status)
		}
		if _, body := office.get(tp); !strings.Contains(body, `data-testid="eval-quality">优`) || !strings.Contains(body, "逾期") {
			t.Errorf("the evaluated task's page lacks 优 or 逾期")
		}

		for _, p := range []string{"/livelihood", list, "/livelihood/new", path + "/edit", "/tasks/completion", "/tasks/completion?sort=-rate&year=2026", tp, "/tasks/new"} {
			for _, lang := range []string{"", "en"} {
				req, _ := http.NewRequest(http.MethodGet, srv.URL+p, nil)
				if lang != "" {
					req.Header.Set("Accept-Language", lang)
				}
				status, body := office.do(req)
				if status != 200 || missingKey.MatchString(body) {
					t.Errorf("%s (%s): %d, missing key %q", p, lang, status, missingKey.FindString(body))
				}
			}
		}

		// The API.
		status, body = office.get("/api/v1/livelihood?year=" + year)
		var got work.ItemsJSON
		if err := json.Unmarshal([]byte(body), &got); status != 200 || err != nil {
			t.Fatalf("GET /api/v1/livelihood: %d %v", status, err)
		}
		if len(got.Items) != 10 || got.TownshipID != w.township {
			t.Fatalf("the API lists %d items of %d", len(got.Items), got.TownshipID)
		}
		// The server reads the system clock: so does this store.
		items, _ := (&work.Store{DB: d}).Items(w.as(t, "duban"), w.township, demoNowYear())
		for i, it := range got.Items {
			if it.ID != items[i].ID || len(it.TaskIDs) != len(items[i].TaskIDs) || (it.Progress == nil) != (items[i].Progress == nil) || it.Status != items[i].Status {
				t.Errorf("API item %d: %+v, store %+v", i+1, it, items[i])
			}
		}
		if status, _ := other.get("/api/v1/livelihood?township=" + strconv.FormatInt(w.township, 10)); status != http.StatusNotFound {
			t.Errorf("another township's API call: %d, want 404", status)
		}
		if status, _ := office.get("/api/v1/livelihood?year=12"); status != http.StatusUnprocessableEntity {
			t.Errorf("a year 12: %d, want 422", status)
		}
	})
}

func demoNowYear() int { return demoNow.Year() }
