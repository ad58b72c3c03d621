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
	})
}
