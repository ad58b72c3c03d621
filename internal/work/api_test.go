package work_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/workflow"
	"guatu/internal/work"
)

func TestAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		token := func(login string) string {
			as := &auth.Store{DB: d}
			u, err := as.UserByLogin(context.Background(), login)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := as.CreateToken(context.Background(), u.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		call := func(tok, method, path, body string, out any) int {
			t.Helper()
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if out != nil && resp.StatusCode < 300 {
				if err := json.Unmarshal(b, out); err != nil {
					t.Fatalf("%s %s: %v\n%s", method, path, err, b)
				}
			}
			return resp.StatusCode
		}
		office, village := token("duban"), token("shuangtang")
		today := clock.Today(time.Now())
		body := `{"title":"税源排查","source":"meeting","lead_unit_id":` + strconv.FormatInt(w.units["双塘村"], 10) +
			`,"leader_id":` + strconv.FormatInt(w.people["刘晓明"], 10) + `,"assigned_on":"` + today.AddDate(0, 0, -10).Format(clock.DateFormat) +
			`","deadline":"` + today.AddDate(0, 0, -1).Format(clock.DateFormat) + `","level":"key"}`
		if code := call(village, "POST", "/api/v1/tasks", body, nil); code != http.StatusForbidden {
			t.Errorf("a village assigning: %d, want 403", code)
		}
		var created work.TaskDetailJSON
		if code := call(office, "POST", "/api/v1/tasks", body, &created); code != http.StatusCreated {
			t.Fatalf("assign: %d", code)
		}
		if !created.Overdue || created.Light == nil || *created.Light != work.Red || len(created.Steps) != 1 {
			t.Errorf("a task past its deadline: %+v", created)
		}
		path := "/api/v1/tasks/" + strconv.FormatInt(created.ID, 10)
		var moved work.TaskDetailJSON
		if code := call(village, "POST", path+"/transitions", `{"transition":"claim","version":1}`, &moved); code != http.StatusOK || moved.Status != work.Accepted {
			t.Fatalf("claim: %d %s", code, moved.Status)
		}
		if code := call(village, "POST", path+"/transitions", `{"transition":"report","version":1,"comment":"x","percent":10}`, nil); code != http.StatusConflict {
			t.Errorf("a stale version: %d, want 409", code)
		}
		if code := call(village, "POST", path+"/transitions", `{"transition":"report","comment":"已排查12家","percent":40}`, &moved); code != http.StatusOK || moved.Progress != 40 {
			t.Errorf("report: %d %d", code, moved.Progress)
		}
		if code := call(village, "POST", path+"/transitions", `{"transition":"report","comment":"x"}`, nil); code != http.StatusUnprocessableEntity {
			t.Errorf("a report without its percentage: %d, want 422", code)
		}
		var list work.TasksJSON
		if code := call(office, "GET", "/api/v1/tasks?overdue=true", "", &list); code != 200 || list.Total != 1 || list.Tasks[0].Deadline != today.AddDate(0, 0, -1).Format(clock.DateFormat) {
			t.Errorf("overdue: %d %+v", code, list)
		}
		if code := call(office, "GET", "/api/v1/tasks?overdue=false", "", &list); code != 200 || list.Total != 0 {
			t.Errorf("not overdue: %d %d", code, list.Total)
		}
		var got work.TaskDetailJSON
		if code := call(token("donghu"), "GET", path, "", nil); code != http.StatusNotFound {
			t.Errorf("another village: %d, want 404", code)
		}
		if code := call(village, "GET", path, "", &got); code != 200 || len(got.Steps) != 3 || got.Steps[2].Transition != work.Report {
			t.Errorf("the task's steps: %d %+v", code, got.Steps)
		}

		// PATCH corrects what it names and leaves the rest; a claimed
		// task's deadline is a change request's, not a PATCH's.
		var patched work.TaskDetailJSON
		if code := call(office, "PATCH", path, `{"title":"税源排查（重点企业）","co_unit_ids":[`+strconv.FormatInt(w.units["东湖村"], 10)+`]}`, &patched); code != http.StatusOK ||
			patched.Title != "税源排查（重点企业）" || patched.Level != work.Key || patched.Progress != 40 || len(patched.CoUnitIDs) != 1 {
			t.Errorf("PATCH the title and co-units: %d %+v", code, patched)
		}
		if code := call(office, "PATCH", path, `{"deadline":"`+today.AddDate(0, 0, 30).Format(clock.DateFormat)+`"}`, nil); code != http.StatusUnprocessableEntity {
			t.Errorf("PATCH a claimed task's deadline: %d, want 422", code)
		}
		if code := call(office, "PATCH", path, `{"title":"x","version":1}`, nil); code != http.StatusConflict {
			t.Errorf("PATCH at a stale version: %d, want 409", code)
		}
		if code := call(village, "PATCH", path, `{"title":"x"}`, nil); code != http.StatusForbidden {
			t.Errorf("a village's PATCH: %d, want 403", code)
		}
		if code := call(office, "PATCH", path, `{"state":"closed"}`, nil); code != http.StatusUnprocessableEntity {
			t.Errorf("PATCH of a field it does not have: %d, want 422", code)
		}
		if code := call(office, "DELETE", path, "", nil); code != http.StatusUnprocessableEntity {
			t.Errorf("DELETE a claimed task: %d, want 422", code)
		}
		var fresh work.TaskDetailJSON
		if code := call(office, "POST", "/api/v1/tasks", strings.Replace(body, "税源排查", "误建的事项", 1), &fresh); code != http.StatusCreated {
			t.Fatalf("assign: %d", code)
		}
		freshPath := "/api/v1/tasks/" + strconv.FormatInt(fresh.ID, 10)
		if code := call(office, "DELETE", freshPath+"?version=9", "", nil); code != http.StatusConflict {
			t.Errorf("DELETE at another version: %d, want 409", code)
		}
		if code := call(office, "DELETE", freshPath+"?version=1", "", nil); code != http.StatusNoContent {
			t.Errorf("DELETE at 交办: %d, want 204", code)
		}
		if code := call(office, "GET", freshPath, "", nil); code != http.StatusNotFound {
			t.Errorf("the deleted task: %d, want 404", code)
		}
	})
}

// The API stops, resumes and strikes off a task as the page does: a
// refusal answers 422 with a Chinese message on the field at fault and
// changes nothing; the register's filters know the states.
func TestAPIStopResumeStrike(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		token := func(login string) string {
			as := &auth.Store{DB: d}
			u, err := as.UserByLogin(context.Background(), login)
			if err != nil {
				t.Fatal(err)
			}
			tok, err := as.CreateToken(context.Background(), u.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
		type apiError struct {
			Error, Message, Field string
		}
		call := func(tok, method, path, body string, out any) (int, apiError) {
			t.Helper()
			req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
			req.Header.Set("Authorization", "Bearer "+tok)
			if body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			var e apiError
			if resp.StatusCode >= 300 {
				json.Unmarshal(b, &e)
			} else if out != nil {
				if err := json.Unmarshal(b, out); err != nil {
					t.Fatalf("%s %s: %v\n%s", method, path, err, b)
				}
			}
			return resp.StatusCode, e
		}
		office, village := token("duban"), token("shuangtang")
		task, err := w.s.Create(w.as(t, "duban"), w.input("光伏屋顶项目并网"))
		if err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/tasks/" + strconv.FormatInt(task.ID, 10)
		var got work.TaskDetailJSON
		if code, _ := call(village, "POST", path+"/transitions", `{"transition":"claim"}`, &got); code != http.StatusOK || got.Status != work.Accepted {
			t.Fatalf("claim: %d %s", code, got.Status)
		}
		version := got.Version
		refusals := []struct {
			name, tok, body string
			code            int
			field, message  string
		}{
			{"a stop without a reason", office, `{"transition":"stop","comment":" "}`, http.StatusUnprocessableEntity, "comment", "请填写理由"},
			{"a resume of a task not stopped", office, `{"transition":"resume","comment":"恢复"}`, http.StatusUnprocessableEntity, "transition", "只有已中止的事项才能恢复"},
			{"the village stopping", village, `{"transition":"stop","comment":"不办了"}`, http.StatusForbidden, "", ""},
			{"the village striking off", village, `{"transition":"strike","comment":"不办了"}`, http.StatusForbidden, "", ""},
			{"a move that does not exist", office, `{"transition":"pause","comment":"x"}`, http.StatusUnprocessableEntity, "transition", "没有“pause”这一操作"},
		}
		for _, r := range refusals {
			code, e := call(r.tok, "POST", path+"/transitions", r.body, nil)
			if code != r.code || e.Field != r.field || (r.message != "" && e.Message != r.message) {
				t.Errorf("%s: %d %+v, want %d on %q: %s", r.name, code, e, r.code, r.field, r.message)
			}
		}
		if code, _ := call(office, "GET", path, "", &got); code != http.StatusOK || got.Version != version || len(got.Steps) != 2 {
			t.Fatalf("the refusals changed the task: v%d, %d steps", got.Version, len(got.Steps))
		}

		if code, _ := call(office, "POST", path+"/transitions", `{"transition":"stop","version":`+strconv.FormatInt(version, 10)+`,"comment":"因规划调整暂缓实施"}`, &got); code != http.StatusOK ||
			got.Status != work.Stopped || got.Light != nil || got.Overdue {
			t.Fatalf("stop: %d %+v", code, got.TaskJSON)
		}
		var list work.TasksJSON
		if code, _ := call(office, "GET", "/api/v1/tasks?status=stopped", "", &list); code != http.StatusOK || list.Total != 1 {
			t.Errorf("status=stopped: %d %d, want 1", code, list.Total)
		}
		if code, _ := call(office, "GET", "/api/v1/tasks?open=1", "", &list); code != http.StatusOK || list.Total != 0 {
			t.Errorf("open=1 with the task stopped: %d %d, want 0", code, list.Total)
		}
		if code, e := call(village, "POST", path+"/transitions", `{"transition":"report","comment":"继续推进","percent":50}`, nil); code != http.StatusUnprocessableEntity || e.Field != "transition" {
			t.Errorf("a report on a stopped task: %d %+v", code, e)
		}
		if code, e := call(office, "POST", path+"/transitions", `{"transition":"resume"}`, nil); code != http.StatusUnprocessableEntity || e.Field != "comment" || e.Message != "请填写理由" {
			t.Errorf("a resume without a reason: %d %+v", code, e)
		}
		if code, _ := call(office, "POST", path+"/transitions", `{"transition":"resume","comment":"接入方案已批复"}`, &got); code != http.StatusOK || got.Status != work.Accepted || got.Light == nil {
			t.Fatalf("resume: %d %+v, want accepted again", code, got.TaskJSON)
		}
		if code, e := call(office, "POST", path+"/transitions", `{"transition":"strike"}`, nil); code != http.StatusUnprocessableEntity || e.Field != "comment" {
			t.Errorf("a strike without a reason: %d %+v", code, e)
		}
		if code, _ := call(office, "POST", path+"/transitions", `{"transition":"strike","comment":"上级已撤销该项工作"}`, &got); code != http.StatusOK || got.Status != work.StruckOff || got.Light != nil {
			t.Fatalf("strike: %d %+v", code, got.TaskJSON)
		}
		if code, e := call(office, "POST", path+"/transitions", `{"transition":"resume","comment":"恢复"}`, nil); code != http.StatusUnprocessableEntity || e.Message != "只有已中止的事项才能恢复" {
			t.Errorf("resuming a struck-off task: %d %+v", code, e)
		}
		want := []struct {
			move     string
			from, to workflow.State
			comment  string
		}{
			{"assign", "", work.Assigned, ""}, {work.Claim, work.Assigned, work.Accepted, ""},
			{work.Stop, work.Accepted, work.Stopped, "因规划调整暂缓实施"}, {work.Resume, work.Stopped, work.Accepted, "接入方案已批复"},
			{work.Strike, work.Accepted, work.StruckOff, "上级已撤销该项工作"},
		}
		if len(got.Steps) != len(want) {
			t.Fatalf("%d steps, want %d: %+v", len(got.Steps), len(want), got.Steps)
		}
		for i, s := range want {
			if st := got.Steps[i]; st.Transition != s.move || st.From != s.from || st.To != s.to || st.Comment != s.comment {
				t.Errorf("step %d: %+v, want %+v", i, st, s)
			}
		}
		if code, _ := call(office, "GET", "/api/v1/tasks?status=struck_off", "", &list); code != http.StatusOK || list.Total != 1 || list.Tasks[0].Light != nil {
			t.Errorf("status=struck_off: %d %+v", code, list)
		}
		if code, _ := call(office, "GET", "/api/v1/tasks?status=withdrawn", "", nil); code != http.StatusUnprocessableEntity {
			t.Errorf("an unknown status: %d, want 422", code)
		}
	})
}
