package project_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
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

func (b *browser) upload(path, name string, data []byte) (int, string, string) {
	b.t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf", b.csrf)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, b.base+path, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(out)
}

func serve(t *testing.T, d *db.DB) string {
	t.Helper()
	a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestPages: the office registers a project through the form (refused once
// with the error next to the field), opens it, records 签约 and then 开工,
// which asks for a reason, corrects it, and finds it on the register
// filtered by stage and in the download; a village reads but may not
// register; another township does not find it.
func TestPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		base := serve(t, d)
		office, village, other := signIn(t, base, "duban"), signIn(t, base, "shuangtang"), signIn(t, base, "linjiang")
		id := func(n int64) string { return strconv.FormatInt(n, 10) }
		form := url.Values{"name": {"恒达精密装备制造配件项目"}, "kind": {"industrial"}, "industry": {"装备制造配件"}, "investor": {"恒达机械"},
			"village_id": {id(w.units["双塘村"])}, "park": {"双塘工业园"}, "total_investment": {"32,000"}, "year_planned_investment": {"40000"},
			"level": {"city"}, "owner_leader_id": {id(w.people["刘晓明"])}, "unit_id": {id(w.units["经发办（招商办）"])},
			"contact_person_id": {id(w.people["胡佳怡"])}, "member_ids": {id(w.people["朱永康"]), id(w.people["梁德福"])}, "notes": {"需协调专线供电"}}

		status, body := office.get("/projects/new")
		if status != http.StatusOK || !strings.Contains(body, "装备制造配件") || !strings.Contains(body, "户外休闲用品") {
			t.Fatalf("new project form: %d, or without the seed's industries", status)
		}
		if status, _ := village.get("/projects/new"); status != http.StatusForbidden {
			t.Errorf("a village opening the form: %d, want 403", status)
		}
		status, body = office.post("/projects", form)
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-year_planned_investment"`) || !strings.Contains(body, "年度计划投资不能超过总投资") {
			t.Fatalf("a year plan over the total: %d, want 422 with the error next to the field", status)
		}
		form.Set("year_planned_investment", "12000")
		if status, _ := office.post("/projects", form); status != http.StatusSeeOther {
			t.Fatalf("register: %d", status)
		}
		var pid int64
		if err := d.QueryRowContext(t.Context(), `SELECT id FROM projects WHERE name = '恒达精密装备制造配件项目'`).Scan(&pid); err != nil {
			t.Fatal(err)
		}
		path := "/projects/" + id(pid)
		stage := func(b *browser, values url.Values) (int, string) {
			t.Helper()
			_, page := b.get(path)
			if m := versionIn.FindStringSubmatch(page); m != nil {
				values.Set("version", m[1])
			} else {
				values.Set("version", "1")
			}
			return b.post(path+"/stages", values)
		}
		if status, _ := stage(office, url.Values{"stage": {"signed"}, "actual_on": {"2026-05-20"}, "reason": {"洽谈在区里完成"}}); status != http.StatusSeeOther {
			t.Fatalf("签约: %d", status)
		}
		status, body = stage(office, url.Values{"stage": {"started"}, "actual_on": {"2026-09-18"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-reason"`) || !strings.Contains(body, "「立项」尚无实际日期") {
			t.Fatalf("开工 without 立项 or 供地: %d, want 422 asking for a reason", status)
		}
		status, body = stage(office, url.Values{"stage": {"started"}, "actual_on": {"2026-05-01"}, "reason": {"并联审批"}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, "不能早于「签约」的实际日期（2026-05-20）") {
			t.Fatalf("开工 before 签约: %d, want 422 naming 签约", status)
		}
		if status, _ := stage(office, url.Values{"stage": {"started"}, "actual_on": {"2026-09-18"}, "reason": {"立项、供地与开工并联办理"}}); status != http.StatusSeeOther {
			t.Fatalf("开工 with a reason: %d", status)
		}
		status, body = office.get(path)
		if status != http.StatusOK || !strings.Contains(body, `data-testid="project-stage">开工`) || !strings.Contains(body, "立项、供地与开工并联办理") || !strings.Contains(body, "胡佳怡") {
			t.Errorf("the project's page: %d, lacks its stage, reason or contact", status)
		}
		if missingKey.MatchString(body) {
			t.Errorf("the project's page shows a missing key: %s", missingKey.FindString(body))
		}
		if status, body := office.get(path + "/edit"); status != http.StatusOK || !strings.Contains(body, `value="恒达精密装备制造配件项目"`) {
			t.Errorf("the correction form: %d", status)
		}
		form.Set("notes", "专线供电已落实")
		form.Set("version", "1")
		if status, body := office.post(path+"/edit", form); status != http.StatusConflict {
			t.Errorf("a correction at a stale version: %d, want 409\n%.300s", status, body)
		}
		_, page := office.get(path + "/edit")
		form.Set("version", versionIn.FindStringSubmatch(page)[1])
		if status, _ := office.post(path+"/edit", form); status != http.StatusSeeOther {
			t.Errorf("a correction: %d", status)
		}
		status, body = office.get("/projects?stage=started")
		if status != http.StatusOK || !strings.Contains(body, "恒达精密装备制造配件项目") {
			t.Errorf("the register filtered by 开工: %d, or without the project", status)
		}
		if _, body := office.get("/projects?stage=signed"); strings.Contains(body, "恒达精密装备制造配件项目") {
			t.Error("the register filtered by 签约 shows a project at 开工")
		}
		if _, body := office.get("/projects?leader=" + id(w.people["刘晓明"]) + "&kind=industrial&level=city&unit=" + id(w.units["双塘村"]) + "&sort=-total"); !strings.Contains(body, "恒达精密装备制造配件项目") {
			t.Error("the register filtered by leader, kind, level and village lacks the project")
		}
		if status, _ := office.get("/projects?stage=dreaming"); status != http.StatusUnprocessableEntity {
			t.Errorf("an unknown stage: %d, want 422", status)
		}
		if status, body := village.get("/projects"); status != http.StatusOK || !strings.Contains(body, "恒达精密装备制造配件项目") || strings.Contains(body, `data-testid="project-new"`) {
			t.Errorf("the village's register: %d, lacks its village's project or offers to add one", status)
		}
		if status, body := village.get(path); status != http.StatusOK || strings.Contains(body, `data-testid="stage-form"`) {
			t.Errorf("the village reads the project (%d) without the stage form", status)
		}
		if status, _ := stage(village, url.Values{"stage": {"completed"}, "actual_on": {"2026-11-01"}}); status != http.StatusForbidden {
			t.Errorf("a village recording a stage: %d, want 403", status)
		}
		if status, _ := other.get(path); status != http.StatusNotFound {
			t.Errorf("another township opening the project: %d, want 404", status)
		}

		// The download is the 重点项目推进表 with the columns sent upward.
		req, _ := http.NewRequest(http.MethodGet, base+"/projects.xlsx?stage=started", nil)
		resp, err := office.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("the download is not a workbook: %v", err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		if len(rows) == 0 || len(rows[0]) == 0 || rows[0][0] != "XX镇重点项目推进表" {
			t.Errorf("the table's title: %q", rows[:1])
		}
		want := []string{"序号", "项目名称", "建设内容/类别", "总投资（万元）", "年度计划投资（万元）", "当前阶段", "责任领导", "责任单位", "备注"}
		var head, row []string
		for i, r := range rows {
			if len(r) > 0 && r[0] == "序号" {
				head = r
				if i+1 < len(rows) {
					row = rows[i+1]
				}
			}
		}
		if strings.Join(head, "|") != strings.Join(want, "|") {
			t.Errorf("the table's columns: %q, want %q", head, want)
		}
		if len(row) < 9 || row[1] != "恒达精密装备制造配件项目" || row[2] != "工业 · 装备制造配件" || row[5] != "开工" || row[6] != "刘晓明" || row[7] != "经发办（招商办）" || row[8] != "专线供电已落实" {
			t.Errorf("the table's row: %q", row)
		}
	})
}

// TestAPI: the API lists the register with its filters, reads a project
// with its stages, and registers one; completed investment and light are
// null; a village may not create.
func TestAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		base := serve(t, d)
		office, village := signIn(t, base, "duban"), signIn(t, base, "shuangtang")
		getJSON := func(b *browser, path string, v any) int {
			t.Helper()
			status, body := b.get(path)
			if status == http.StatusOK {
				if err := json.Unmarshal([]byte(body), v); err != nil {
					t.Fatalf("%s: %v", path, err)
				}
			}
			return status
		}
		var page struct {
			Projects []map[string]any `json:"projects"`
			Total    int              `json:"total"`
		}
		if status := getJSON(office, "/api/v1/projects?stage=started&sort=-total&limit=2", &page); status != http.StatusOK || page.Total != 2 || len(page.Projects) != 2 {
			t.Fatalf("started projects: %d %+v", status, page)
		}
		first := page.Projects[0]
		for _, k := range []string{"id", "name", "stage", "owner_leader_id", "total_investment", "year_planned_investment", "year_completed_investment", "light"} {
			if _, ok := first[k]; !ok {
				t.Errorf("a listed project lacks %s", k)
			}
		}
		if first["stage"] != "started" || first["year_completed_investment"] != nil || first["light"] != nil || first["total_investment"].(float64) != 32000 {
			t.Errorf("the largest started project: %v", first)
		}
		firstID := strconv.FormatInt(int64(first["id"].(float64)), 10)
		liu := strconv.FormatInt(w.people["刘晓明"], 10)
		var mine struct {
			Total int `json:"total"`
		}
		if getJSON(office, "/api/v1/projects?leader="+liu+"&kind=industrial", &mine); mine.Total != 2 {
			t.Errorf("刘晓明's industrial projects: %d, want 2", mine.Total)
		}
		var detail struct {
			Name   string `json:"name"`
			Stage  string `json:"stage"`
			Stages []struct {
				Stage  string `json:"stage"`
				Actual string `json:"actual_on"`
				Reason string `json:"reason"`
			} `json:"stages"`
		}
		if status := getJSON(office, "/api/v1/projects/"+firstID, &detail); status != http.StatusOK || len(detail.Stages) != 7 || detail.Stages[4].Actual == "" {
			t.Errorf("one project: %d %+v", status, detail)
		}
		post := func(b *browser, body string) (int, string) {
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/projects", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("X-CSRF-Token", b.csrf)
			return b.do(req)
		}
		in := w.input("远途户外用品二期")
		raw, _ := json.Marshal(in)
		status, body := post(office, string(raw))
		if status != http.StatusCreated || !strings.Contains(body, `"stage":null`) || !strings.Contains(body, `"stages":[`) {
			t.Errorf("create: %d %.300s", status, body)
		}
		if status, _ := post(office, string(raw)); status != http.StatusUnprocessableEntity {
			t.Errorf("the same name again: %d, want 422", status)
		}
		if status, _ := post(village, strings.Replace(string(raw), "二期", "三期", 1)); status != http.StatusForbidden {
			t.Errorf("a village creating: %d, want 403", status)
		}
		if status, _ := village.get("/api/v1/projects/999999"); status != http.StatusNotFound {
			t.Errorf("no such project: %d, want 404", status)
		}
	})
}

// TestMyProjects: a leader (李卫东, zhenzhang) finds a link to the projects
// they own (一个项目、一套班子), and it lists those and no others; the
// office, no leader, is not offered one.
func TestMyProjects(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d) // the demo's eight projects
		base := serve(t, d)
		leader, office := signIn(t, base, "zhenzhang"), signIn(t, base, "duban")
		mine := "/projects?leader=" + strconv.FormatInt(w.people["李卫东"], 10)
		if _, body := leader.get("/projects"); !strings.Contains(body, `data-testid="projects-mine"`) || !strings.Contains(body, `href="`+strings.ReplaceAll(mine, "&", "&amp;")+`"`) {
			t.Errorf("the leader's register offers no link to their own projects")
		}
		if _, body := office.get("/projects"); strings.Contains(body, `data-testid="projects-mine"`) {
			t.Error("the office, no leader, is offered 我包挂的项目")
		}
		var want int
		if err := d.QueryRowContext(t.Context(), `SELECT COUNT(*) FROM projects WHERE owner_leader_id = $1`, w.people["李卫东"]).Scan(&want); err != nil {
			t.Fatal(err)
		}
		_, body := leader.get(mine)
		if want == 0 || !strings.Contains(body, "共"+strconv.Itoa(want)+"条") {
			t.Errorf("the leader's own projects: want %d listed", want)
		}
	})
}
