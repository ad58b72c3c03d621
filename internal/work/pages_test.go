package work_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

var (
	csrfInput  = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
	versionIn  = regexp.MustCompile(`name="version" value="(\d+)"`)
	missingKey = regexp.MustCompile(`\[[a-z_]+(\.[a-z_0-9]+)+\]`)
)

// browser is a signed-in client that does not follow redirects.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func signIn(t *testing.T, base, login string) *browser {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	_, body := b.get("/login")
	m := csrfInput.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no csrf on /login")
	}
	b.csrf = m[1]
	if status, _ := b.post("/login", url.Values{"login": {login}, "password": {demo.Password}}); status != http.StatusSeeOther {
		t.Fatalf("sign in as %s: %d", login, status)
	}
	_, body = b.get("/")
	if m = csrfInput.FindStringSubmatch(body); m == nil {
		t.Fatalf("no csrf after signing in as %s", login)
	}
	b.csrf = m[1]
	return b
}

func (b *browser) do(req *http.Request) (int, string) {
	b.t.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) get(path string) (int, string) {
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) (int, string) {
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// move presses a button of the task's page as it stands now.
func (b *browser) move(path, transition, comment string) (int, string) {
	b.t.Helper()
	_, page := b.get(path)
	m := versionIn.FindStringSubmatch(page)
	if m == nil {
		b.t.Fatalf("%s has no form to move", path)
	}
	return b.post(path+"/move", url.Values{"transition": {transition}, "comment": {comment}, "version": {m[1]}})
}

func TestPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		office, village, other := signIn(t, srv.URL, "duban"), signIn(t, srv.URL, "shuangtang"), signIn(t, srv.URL, "donghu")
		today := clock.Today(time.Now())
		form := url.Values{"title": {"双塘村道路硬化"}, "requirement": {"年底前完成2公里"}, "source": {"livelihood"}, "category": {"民生"},
			"lead_unit_id": {strconv.FormatInt(w.units["双塘村"], 10)}, "leader_id": {strconv.FormatInt(w.people["赵丽华"], 10)},
			"assigned_on": {today.Format(clock.DateFormat)}, "deadline": {today.Format(clock.DateFormat)}, "level": {"normal"}}

		if status, body := office.get("/tasks/new"); status != 200 || !strings.Contains(body, "牵头单位") {
			t.Fatalf("new task page: %d", status)
		}
		if status, _ := village.get("/tasks/new"); status != http.StatusForbidden {
			t.Errorf("a village opening the office's form: %d, want 403", status)
		}
		status, body := office.post("/tasks", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-deadline"`) {
			t.Fatalf("deadline on the assignment day: %d, want 422 with the error next to the deadline", status)
		}
		form.Set("deadline", today.AddDate(0, 0, 2).Format(clock.DateFormat))
		status, _ = office.post("/tasks", form)
		if status != http.StatusSeeOther {
			t.Fatalf("assign: %d", status)
		}
		var id int64
		if err := d.QueryRowContext(t.Context(), `SELECT id FROM tasks WHERE title = '双塘村道路硬化'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		path := "/tasks/" + strconv.FormatInt(id, 10)
		if status, body := office.get(path + "/edit"); status != http.StatusOK || !strings.Contains(body, `data-testid="task-save"`) || !strings.Contains(body, `value="双塘村道路硬化"`) {
			t.Errorf("the office's correction form: %d", status)
		}
		if status, _ := village.get(path + "/edit"); status != http.StatusForbidden {
			t.Errorf("a village opening the correction form: %d, want 403", status)
		}
		form.Set("requirement", "年底前完成2.5公里")
		form.Set("version", "1")
		if status, _ := office.post(path+"/edit", form); status != http.StatusSeeOther {
			t.Errorf("correct the requirement: %d, want 303", status)
		}
		if _, body := office.get(path); !strings.Contains(body, "年底前完成2.5公里") || !strings.Contains(body, `data-testid="task-delete"`) {
			t.Error("the corrected task's page lacks the new requirement or, at 交办, the delete button")
		}
		if status, body := office.post(path+"/edit", form); status != http.StatusConflict || !strings.Contains(body, `data-testid="task-error"`) {
			t.Errorf("a correction at the version before: %d, want 409 with the message", status)
		}
		form.Del("version")
		if status, _ := other.get(path); status != http.StatusNotFound {
			t.Errorf("another village opening the task: %d, want 404", status)
		}
		if status, _ := other.get(path + "/print"); status != http.StatusNotFound {
			t.Errorf("another village opening the task's 督办单: %d, want 404", status)
		}
		if status, body := village.get(path + "/print"); status != http.StatusOK || !strings.Contains(body, "督查督办单") || !strings.Contains(body, "双塘村道路硬化") {
			t.Errorf("the village's 督办单: %d", status)
		}
		leader := strconv.FormatInt(w.people["赵丽华"], 10)
		if _, body := office.get("/tasks"); !strings.Contains(body, `<option value="`+leader+`">赵丽华`) {
			t.Error("the register's leader filter does not offer 赵丽华")
		}
		if _, body := office.get("/tasks?leader=" + leader); !strings.Contains(body, `<option value="`+leader+`" selected>赵丽华`) || !strings.Contains(body, "双塘村道路硬化") {
			t.Error("the register filtered by 赵丽华 does not keep her choice selected, or lacks her task")
		}
		if status, body := office.get("/tasks?leader=" + strconv.FormatInt(w.people["张建国"], 10)); status != http.StatusOK || strings.Contains(body, "双塘村道路硬化") {
			t.Error("the register filtered by 张建国 lists 赵丽华's task")
		}
		if _, body := village.get("/tasks/todo"); !strings.Contains(body, "双塘村道路硬化") {
			t.Error("the village's to-do lacks the new task")
		}
		_, body = village.get(path)
		if !strings.Contains(body, `data-testid="move-claim"`) || !strings.Contains(body, "临期") {
			t.Errorf("the village's page lacks the claim button or the 临期 light")
		}
		if status, _ := village.move(path, "claim", ""); status != http.StatusSeeOther {
			t.Fatalf("claim: %d", status)
		}
		if _, body := office.get(path + "/edit"); !strings.Contains(body, `data-testid="locked-deadline"`) || !strings.Contains(body, `data-testid="locked-lead_unit_id"`) {
			t.Error("the correction form of a claimed task offers its deadline or lead unit to change")
		}
		if _, body := office.get(path); strings.Contains(body, `data-testid="task-delete"`) || !strings.Contains(body, `data-testid="task-edit"`) {
			t.Error("a claimed task's page offers a delete, or no correction")
		}
		_, body = village.get(path)
		if strings.Contains(body, `data-testid="task-edit"`) {
			t.Error("the village is offered the office's correction")
		}
		m := versionIn.FindStringSubmatch(body)
		if status, _ := village.post(path+"/progress", url.Values{"body": {"已完成路基1公里"}, "percent": {"50"}, "version": {m[1]}}); status != http.StatusSeeOther {
			t.Fatalf("report: %d", status)
		}
		if status, _ := village.move(path, "submit", ""); status != http.StatusSeeOther {
			t.Fatalf("submit: %d", status)
		}
		if status, body := office.move(path, "return", ""); status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-comment"`) {
			t.Errorf("return without a reason: %d, want 422 next to the comment", status)
		}
		if status, _ := office.move(path, "return", "缺验收照片"); status != http.StatusSeeOther {
			t.Fatalf("return: %d", status)
		}
		village.move(path, "submit", "照片已补")
		// A page read before the last move is refused as a conflict.
		if status, body := office.post(path+"/move", url.Values{"transition": {"close"}, "version": {"1"}}); status != http.StatusConflict || !strings.Contains(body, "刷新") {
			t.Errorf("closing from a stale page: %d, want 409 with the reason", status)
		}
		if status, _ := office.move(path, "close", ""); status != http.StatusSeeOther {
			t.Fatalf("close: %d", status)
		}
		_, body = office.get(path)
		if n := strings.Count(body, `data-testid="step"`); n != 7 {
			t.Errorf("history shows %d steps, want 7", n)
		}
		for _, want := range []string{"办结", "缺验收照片", "100%"} {
			if !strings.Contains(body, want) {
				t.Errorf("the closed task's page lacks %q", want)
			}
		}
		for _, p := range []string{"/tasks", "/tasks?status=closed&sort=-deadline", "/tasks?light=overdue", "/tasks?level=listed&q=" + url.QueryEscape("道路"), "/tasks/todo", path} {
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
		if status, _ := office.get("/tasks?light=purple"); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown light: %d, want 422", status)
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+"/tasks.xlsx?status=closed", nil)
		resp, err := office.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(resp.Header.Get("Content-Type"), "spreadsheet") {
			t.Errorf("download: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		if _, body := office.get("/"); !strings.Contains(body, `href="/tasks"`) {
			t.Error("the navigation lacks 督查督办")
		}
	})
}

// The task page offers 恢复 and 销号 on a stopped task, says why and since
// when it stands and where it resumes to; a struck-off task offers no move,
// its history names the moves, and its 督办单 says it is struck off and
// leaves no rows to report in.
func TestPagesStopStrike(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		task := w.toState(t, "汛后水利设施排查", "2026-12-20", "normal", "in_progress")
		path := "/tasks/" + strconv.FormatInt(task.ID, 10)
		office, village := signIn(t, srv.URL, "duban"), signIn(t, srv.URL, "shuangtang")

		if status, body := office.move(path, "stop", ""); status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-comment"`) || !strings.Contains(body, "请填写理由") {
			t.Errorf("a stop without a reason: %d, want 422 with the error at the comment", status)
		}
		if status, _ := office.move(path, "stop", "因规划调整暂缓实施"); status != http.StatusSeeOther {
			t.Fatalf("stop: %d", status)
		}
		_, body := office.get(path)
		for _, want := range []string{`data-testid="move-resume"`, `data-testid="move-strike"`, `data-testid="task-halt"`, "恢复后回到“办理中”", "因规划调整暂缓实施", ">中止<"} {
			if !strings.Contains(body, want) {
				t.Errorf("the stopped task's page for the office lacks %s", want)
			}
		}
		if strings.Contains(body, `data-testid="move-stop"`) || strings.Contains(body, `data-testid="task-light"`) || strings.Contains(body, `data-testid="remind-send"`) {
			t.Error("the stopped task's page offers a stop, shows a light or offers a reminder")
		}
		if _, body := village.get(path); strings.Contains(body, `data-testid="task-moves"`) || strings.Contains(body, `data-testid="task-report"`) {
			t.Error("the village may move or report on a stopped task")
		}
		if status, body := office.move(path, "resume", "接入方案已批复"); status != http.StatusSeeOther {
			t.Fatalf("resume: %d %s", status, body[:min(len(body), 300)])
		}
		if status, body := office.move(path, "resume", "再恢复一次"); status != http.StatusUnprocessableEntity || !strings.Contains(body, "只有已中止的事项才能恢复") {
			t.Errorf("resuming an open task: %d, want 422 saying only a stopped task resumes", status)
		}
		if status, _ := office.move(path, "strike", "上级已撤销该项工作"); status != http.StatusSeeOther {
			t.Fatalf("strike: %d", status)
		}
		_, body = office.get(path)
		for _, want := range []string{">已销号<", `data-testid="task-halt"`, "不再办理", "上级已撤销该项工作", ">恢复<", ">销号<"} {
			if !strings.Contains(body, want) {
				t.Errorf("the struck-off task's page lacks %s", want)
			}
		}
		if strings.Contains(body, `data-testid="task-moves"`) {
			t.Error("a struck-off task offers a move")
		}
		if missing := missingKey.FindString(body); missing != "" {
			t.Errorf("the page shows the key %s", missing)
		}
		status, sheet := village.get(path + "/print")
		if status != http.StatusOK || !strings.Contains(sheet, `data-testid="order-halt"`) || !strings.Contains(sheet, "上级已撤销该项工作") || strings.Contains(sheet, `class="blank"`) {
			t.Errorf("the struck-off task's 督办单: %d, want the 销号 and its reason and no blank rows", status)
		}
		if _, list := office.get("/tasks?status=struck_off"); !strings.Contains(list, "汛后水利设施排查") || !strings.Contains(list, `value="struck_off" selected`) {
			t.Error("the register's status filter does not find the struck-off task")
		}
	})
}

// TestRegisterPagePastTheLast: a register page past the last shows the last
// page's tasks (the page is read before its total, and read again once the
// total has clamped it), and the API's window past the end is empty.
func TestRegisterPagePastTheLast(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		demoSetup(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		office := signIn(t, srv.URL, "duban")
		for range 2 { // the second time with the total kept
			status, body := office.get("/tasks?page=99")
			if status != http.StatusOK || !strings.Contains(body, "双塘村拆迁清零") {
				t.Fatalf("page 99 of one page: %d, want the last page's tasks", status)
			}
		}
		if status, body := office.get("/api/v1/tasks?offset=5000"); status != http.StatusOK || !strings.Contains(body, `"tasks":[]`) && !strings.Contains(body, `"tasks":null`) {
			t.Errorf("the API past the end: %d %.200s", status, body)
		}
	})
}
