package app

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/platform/web"
	"guatu/internal/project"
	"guatu/internal/targets"
	"guatu/internal/work"
)

// oaOperation is one path and method of the document.
type oaOperation struct {
	Path   string // "/api/v1/units/{id}"
	Method string // "get"
	Op     map[string]any
	Params []map[string]any // path-level then operation-level, references followed
}

func (o oaOperation) String() string { return strings.ToUpper(o.Method) + " " + o.Path }

// public reports whether the operation overrides the global security with
// "security": [].
func (o oaOperation) public() bool {
	s, ok := o.Op["security"].([]any)
	return ok && len(s) == 0
}

var oaMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// operations lists the document's operations by path, then method.
func (d oaDoc) operations() []oaOperation {
	paths, _ := d["paths"].(map[string]any)
	var out []oaOperation
	for path, item := range paths {
		item, _ := item.(map[string]any)
		for _, m := range oaMethods {
			op, ok := item[m].(map[string]any)
			if !ok {
				continue
			}
			o := oaOperation{Path: path, Method: m, Op: op}
			for _, ps := range []any{item["parameters"], op["parameters"]} {
				l, _ := ps.([]any)
				for _, p := range l {
					if p, ok := p.(map[string]any); ok {
						o.Params = append(o.Params, d.deref(p))
					}
				}
			}
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b oaOperation) int {
		if c := strings.Compare(a.Path, b.Path); c != 0 {
			return c
		}
		return slices.Index(oaMethods, a.Method) - slices.Index(oaMethods, b.Method)
	})
	return out
}

// response returns the documented response for status: the exact code,
// else its class ("4XX"), else "default".
func (d oaDoc) response(o oaOperation, status int) (map[string]any, bool) {
	rs, _ := o.Op["responses"].(map[string]any)
	for _, k := range []string{strconv.Itoa(status), strconv.Itoa(status/100) + "XX", "default"} {
		if r, ok := rs[k].(map[string]any); ok {
			return d.deref(r), true
		}
	}
	return nil, false
}

// oaPath turns a ServeMux path pattern into an OpenAPI path. Both write
// wildcards as {name}; Go also has {name...} and the end anchor {$}.
func oaPath(pattern string) string {
	return strings.ReplaceAll(strings.TrimSuffix(pattern, "{$}"), "...}", "}")
}

func oaApp(tb testing.TB) *App {
	tb.Helper()
	a, err := New(Config{Log: slog.New(slog.DiscardHandler)}, dbtest.SQLite(tb, Schema()...))
	if err != nil {
		tb.Fatalf("New: %v", err)
	}
	return a
}

// TestOpenAPIDocument checks the document's own integrity: version,
// references, operation ids and path parameters.
func TestOpenAPIDocument(t *testing.T) {
	doc := oaParse(t, openAPIDoc)
	if got := doc["openapi"]; got != "3.0.3" {
		t.Errorf("openapi = %v, want 3.0.3", got)
	}
	info, _ := doc["info"].(map[string]any)
	if info["title"] != "guatu API" || info["version"] != "1" {
		t.Errorf("info = %v, want title guatu API, version 1", info)
	}
	if s, _ := doc["security"].([]any); len(s) == 0 {
		t.Error("no global security: every operation would be public")
	}
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				if _, ok := doc.resolve(ref); !ok {
					t.Errorf("%s: $ref %s does not resolve", at, ref)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, at+"/"+strconv.Itoa(i))
			}
		}
	}
	walk(map[string]any(doc), "#")
	ids := map[string]string{}
	for _, o := range doc.operations() {
		id, _ := o.Op["operationId"].(string)
		if prev, dup := ids[id]; id == "" || dup {
			t.Errorf("%s: operationId %q is empty or also used by %s", o, id, prev)
		}
		ids[id] = o.String()
		if rs, _ := o.Op["responses"].(map[string]any); len(rs) == 0 {
			t.Errorf("%s: no responses", o)
		}
		for _, seg := range strings.Split(o.Path, "/") {
			name, ok := strings.CutPrefix(seg, "{")
			if !ok {
				continue
			}
			name = strings.TrimSuffix(name, "}")
			if !slices.ContainsFunc(o.Params, func(p map[string]any) bool {
				return p["in"] == "path" && p["name"] == name && p["required"] == true
			}) {
				t.Errorf("%s: path parameter %q is not declared (in: path, required: true)", o, name)
			}
		}
	}
}

// TestOpenAPIDocumentsEveryRoute fails when an /api/ route is registered but
// not documented, documented but not registered, or public in one and not
// the other.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	a := oaApp(t)
	doc := oaParse(t, openAPIDoc)
	documented := map[string]oaOperation{}
	for _, o := range doc.operations() {
		documented[o.String()] = o
	}
	registered := map[string]bool{}
	var missing, stale, security []string
	for _, r := range a.Router.Routes() {
		method, path := r.Method, r.Path
		if path == "" { // a pattern without a method: it answers every method
			method, path = "ANY", method
		}
		if !strings.HasPrefix(path, "/api/") {
			continue
		}
		key := method + " " + oaPath(path)
		registered[key] = true
		o, ok := documented[key]
		if !ok {
			missing = append(missing, key)
			continue
		}
		if o.public() != r.Public {
			security = append(security, fmt.Sprintf("%s: registered public=%v, documented public=%v (\"security\": [] marks a public operation)", key, r.Public, o.public()))
		}
	}
	for key := range documented {
		if !registered[key] {
			stale = append(stale, key)
		}
	}
	slices.Sort(missing)
	slices.Sort(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from internal/app/openapi.json:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("operations in internal/app/openapi.json that no route serves:\n  %s", strings.Join(stale, "\n  "))
	}
	if len(security) > 0 {
		t.Errorf("security differs:\n  %s", strings.Join(security, "\n  "))
	}
}

// TestOpenAPISchemasMatchTypes marshals the Go types behind the schemas and
// validates them, so a field added to a struct fails here even before an
// endpoint returns it.
func TestOpenAPISchemasMatchTypes(t *testing.T) {
	doc := oaParse(t, openAPIDoc)
	parent := int64(1)
	task, done, pace := 16000.0, 7000.0, 1702.7
	target := targets.Row{Target: targets.Target{ID: 1, Year: 2026, Kind: targets.KindValue, Value: 46000},
		Indicator: targets.Indicator{Name: "一般公共预算收入", Measure: targets.MeasureCumulative, Direction: targets.Higher}}.JSON()
	v, at := 2.5, time.Date(2026, 12, 5, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		schema string
		value  any
	}{
		{"Me", Me{ID: 1, Login: "admin", Name: "admin", Role: auth.Admin, UnitID: 1, UnitName: "区", Lang: "zh-CN"}},
		{"Unit", org.Unit{ID: 1, Kind: org.District, Name: "区"}},
		{"Unit", org.Unit{ID: 2, ParentID: &parent, Kind: org.Township, Name: "XX镇", Depth: 1, People: 3}},
		{"Person", org.Person{ID: 1, UnitID: 2, UnitName: "XX镇", Name: "张建国", Title: "党委书记", HasLogin: true}},
		{"Error", web.APIError{Error: "not_found", Message: "未找到"}},
		{"Error", web.APIError{Error: "invalid", Message: "必填", Field: "name"}},
		{"Target", targets.TargetDetailJSON{TargetJSON: target}},
		{"Target", targets.TargetDetailJSON{TargetJSON: target, Campaign: &targets.CampaignJSON{StartMonth: 8, Task: &task, Done: &done, ShareOfDays: 65.0 / 101, PacePerWeek: &pace}}},
		{"Figure", targets.Figure{ID: 1, TargetID: 2, Period: "2026-11", Value: 3, Source: "form", EnteredBy: "shuangtang", Status: targets.Pending}},
		{"Figure", targets.Figure{ID: 1, TargetID: 2, Period: "2026-11", Value: 3, LastYear: &v, Source: "api", EnteredBy: "shuangtang", Status: targets.Returned, ReviewedBy: "tongji", ReviewedAt: &at, ReviewReason: "与税务数据不符"}},
		{"ReviewItem", targets.ReviewItem{Figure: targets.Figure{ID: 1, TargetID: 2, Period: "2026-11", Value: 3, Source: "form", Status: targets.Pending}, Indicator: "入库税收", MeasureUnit: "万元", UnitID: 3, Unit: "双塘村"}},
		{"ReviewItem", targets.ReviewItem{Figure: targets.Figure{ID: 1, TargetID: 2, Period: "2026-11", Value: 3, Source: "form", Status: targets.Pending}, Indicator: "入库税收", UnitID: 3, Unit: "双塘村", CountedPeriod: "2026-10", CountedValue: &v}},
		{"Task", work.Task{ID: 1, Title: "税源排查", Source: work.FromMeeting, Status: work.InProgress, Level: work.Key, LeadUnitID: 3, LeaderID: 5,
			AssignedOn: "2026-11-01", Deadline: "2026-11-20", Overdue: true, Light: work.Red, Progress: 40, Version: 3, Card: work.YellowCard}.JSON()},
		{"TaskDetail", work.TaskDetailJSON{TaskJSON: work.Task{ID: 2, Title: "道路硬化", Source: work.FromLivelihood, Status: work.Closed, Level: work.Listed,
			ListingLeader: &parent, CoUnitIDs: []int64{4}, AssignedOn: "2026-09-01", Deadline: "2026-12-31", Progress: 100, Version: 6}.JSON(),
			Steps: []work.StepJSON{{To: work.Assigned, Transition: "assign", Actor: "duban", At: time.Date(2026, 9, 1, 1, 0, 0, 0, time.UTC)}},
			Cards: []work.Card{{ID: 1, TaskID: 2, Color: work.RedCard, Cause: work.RepeatCause, Deadline: "2026-11-20", RaisedOn: "2026-11-21", RaisedAt: at,
				ClearedAt: &at, ClearedWhy: work.ClearedExempt, ExemptReason: "上级政策调整", ExemptBy: "duban"}},
			Changes: []work.Change{{ID: 1, TaskID: 2, Kind: work.ChangeDeadline, Old: "2026-11-20", New: "2026-12-10", Reason: "企业签约推迟", State: work.ChangeApproved,
				RequestedBy: "shuangtang", RequestedAt: at, DecidedBy: "duban", DecidedAt: &at, Counted: work.CountedOriginal}},
			Milestones: []work.Milestone{{ID: 1, Due: "2026-10-31", Title: "完成选址", DoneOn: "2026-10-30"}, {ID: 2, Due: "2026-11-15", Title: "签订协议", Late: true}},
			Reports:    []work.ProgressReport{{ID: 1, StepID: 2, Percent: 60, Body: "已完成路基", At: at}}}},
		{"File", oaTaskFile(at)},
		{"Change", work.Change{ID: 2, TaskID: 2, Kind: work.ChangeLeadUnit, Old: "3", New: "4", OldName: "双塘村", NewName: "东湖村", Reason: "项目在东湖村", State: work.ChangePending,
			RequestedBy: "shuangtang", RequestedAt: at}},
		{"ChangeRequest", work.ChangeInput{Deadline: "2026-12-10", Reason: "企业签约推迟"}},
		{"TaskPatch", work.TaskPatch{Input: work.Input{Title: "税源排查（二期）", Source: work.FromMeeting, LeadUnitID: 3, CoUnitIDs: []int64{4}, LeaderID: 5,
			AssignedOn: "2026-11-01", Deadline: "2026-11-20", Level: work.Normal, Rhythm: work.Weekly, Milestones: []work.MilestoneInput{{Due: "2026-11-10", Title: "摸清底数"}}}, Version: 3}},
		{"DecisionRequest", work.DecisionRequest{Approve: false, Comment: "理由不充分"}},
		{"UnitProgress", work.UnitJSON{UnitID: 3, UnitName: "双塘村", Lead: true, Percent: 60, Reports: 2, LastReport: "已完成路基", LastReportAt: &at, Files: []work.FileJSON{oaTaskFile(at)}}},
		{"UnitProgress", work.UnitJSON{UnitID: 4, UnitName: "财政所", Lagging: true, Files: []work.FileJSON{}}},
		{"ReportRequest", work.ReportRequest{Version: 3, Percent: &[]int{60}[0], Body: "已完成路基"}},
		{"Report", work.ReportJSON{Task: work.Task{ID: 1, Title: "税源排查", Source: work.FromMeeting, Status: work.InProgress, Level: work.Key, LeadUnitID: 3, LeaderID: 5,
			AssignedOn: "2026-11-01", Deadline: "2026-11-20", Progress: 60, Version: 4}.JSON(), UnitID: 3, Lead: true, Percent: 60, Body: "已完成路基", Files: []work.FileJSON{oaTaskFile(at)}}},
	}
	village := int64(3)
	plant := project.Project{ID: 1, TownshipID: 2, Name: "恒达精密装备制造配件项目", Kind: project.Industrial, Industry: "装备制造配件", VillageID: &village,
		Park: "双塘工业园", Total: 32000, YearPlanned: 12000, Level: project.City, LeaderID: 5, UnitID: 4, ContactID: &parent, MemberIDs: []int64{9}, Stage: project.Started, Version: 4,
		Stages: []project.StageDates{{Stage: project.Signed, Planned: "2026-05-01", Actual: "2026-05-20"}, {Stage: project.Started, Actual: "2026-09-18", Reason: "立项、供地与开工并联办理"}}}
	tests = append(tests, []struct {
		schema string
		value  any
	}{
		{"Project", plant.JSON()},
		{"Project", project.Project{ID: 2, Name: "双塘大道改造", Kind: project.Infrastructure, Level: project.District, LeaderID: 6, UnitID: 3, Version: 1}.JSON()},
		{"ProjectDetail", plant.Detail()},
		{"ProjectRequest", project.Input{Name: "双塘大道改造", Kind: project.Infrastructure, Total: 6800, YearPlanned: 4000, Level: project.District, LeaderID: 6, UnitID: 3, MemberIDs: []int64{}}},
	}...)
	for _, tt := range tests {
		b, err := json.Marshal(tt.value)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := oaDecode(b, &v); err != nil {
			t.Fatal(err)
		}
		if errs := doc.validate(map[string]any{"$ref": "#/components/schemas/" + tt.schema}, v, tt.schema); len(errs) > 0 {
			t.Errorf("%T does not match schema %s:\n  %s", tt.value, tt.schema, strings.Join(errs, "\n  "))
		}
	}
}

// oaTaskFile is a task's file as the API lists it.
func oaTaskFile(at time.Time) work.FileJSON {
	step := int64(7)
	return work.FileJSON{ID: 1, Name: "现场.jpg", ContentType: "image/jpeg", Size: 2048, SHA256: strings.Repeat("ab", 32), At: at, URL: "/tasks/1/files/1", StepID: &step}
}

// oaCaller makes requests as one account, or as nobody.
type oaCaller struct {
	name   string
	bearer string // API token
	cookie string // session cookie
	full   bool   // an admin over the whole tree: every GET must succeed
}

func (c oaCaller) do(h http.Handler, method, target, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if c.bearer != "" {
		r.Header.Set("Authorization", "Bearer "+c.bearer)
	}
	if c.cookie != "" {
		r.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.cookie})
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// fill replaces each {param} of an OpenAPI path with a real id: the first
// "id" listed by the caller's GET of the path before it (GET /api/v1/units
// for /api/v1/units/{id}), else fallback. note says where fallbacks were used.
func (c oaCaller) fill(h http.Handler, path, fallback string) (target, note string) {
	segs := strings.Split(path, "/")
	var notes []string
	for i, seg := range segs {
		if !strings.HasPrefix(seg, "{") {
			continue
		}
		list := strings.Join(segs[:i], "/")
		id := ""
		if w := c.do(h, http.MethodGet, list, ""); w.Code == http.StatusOK {
			id = oaFirstID(w.Body.Bytes())
		}
		if id == "" {
			id = fallback
			notes = append(notes, fmt.Sprintf("%s=%s, the demo township, as GET %s listed no id", seg, id, list))
		}
		segs[i] = id
	}
	return strings.Join(segs, "/"), strings.Join(notes, "; ")
}

// oaFirstID finds the first element's "id" in a list body: a bare array or
// the first non-empty array property of an object.
func oaFirstID(body []byte) string {
	var v any
	if oaDecode(body, &v) != nil {
		return ""
	}
	var lists [][]any
	switch v := v.(type) {
	case []any:
		lists = append(lists, v)
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if l, ok := v[k].([]any); ok {
				lists = append(lists, l)
			}
		}
	}
	for _, l := range lists {
		if len(l) > 0 {
			if m, ok := l[0].(map[string]any); ok {
				if id, ok := m["id"].(json.Number); ok {
					return string(id)
				}
			}
		}
	}
	return ""
}

func oaLabel(method, target, who, note string) string {
	s := method + " " + target + " as " + who
	if note != "" {
		s += " (" + note + ")"
	}
	return s
}

// check fails t unless w's status is documented for o and its body matches
// the documented schema.
func (d oaDoc) check(t *testing.T, label string, o oaOperation, w *httptest.ResponseRecorder) {
	t.Helper()
	body := w.Body.String()
	if len(body) > 600 {
		body = body[:600] + "…"
	}
	resp, ok := d.response(o, w.Code)
	if !ok {
		rs, _ := o.Op["responses"].(map[string]any)
		var codes []string
		for k := range rs {
			codes = append(codes, k)
		}
		slices.Sort(codes)
		t.Errorf("%s: status %d is not documented (documented: %s); body: %s", label, w.Code, strings.Join(codes, ", "), body)
		return
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		return
	}
	media, ok := content["application/json"].(map[string]any)
	if !ok {
		t.Errorf("%s: status %d: documented content is not application/json", label, w.Code)
		return
	}
	if ct := w.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("%s: status %d: Content-Type %q, want application/json", label, w.Code, ct)
	}
	var v any
	if err := oaDecode(w.Body.Bytes(), &v); err != nil {
		t.Errorf("%s: status %d: body is not JSON: %v; body: %s", label, w.Code, err, body)
		return
	}
	schema, _ := media["schema"].(map[string]any)
	if errs := d.validate(schema, v, "body"); len(errs) > 0 {
		if len(errs) > 10 {
			errs = append(errs[:10], fmt.Sprintf("… and %d more", len(errs)-10))
		}
		t.Errorf("%s: status %d: body does not match the documented schema:\n  %s\nbody: %s", label, w.Code, strings.Join(errs, "\n  "), body)
	}
}

// TestOpenAPIResponsesMatch calls every documented GET on the demo as nobody,
// as an admin (token and session), and as a village reporter, and checks each
// status and body against the document. Documented POSTs get an empty object
// from the admin and must answer a documented 4xx with an Error body.
func TestOpenAPIResponsesMatch(t *testing.T) {
	ctx := context.Background()
	d := dbtest.SQLite(t, Schema()...)
	a, err := New(Config{Log: slog.New(slog.DiscardHandler)}, d)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	res, err := demo.Load(ctx, d, time.Now())
	if err != nil {
		t.Fatalf("demo: %v", err)
	}
	token := func(login string) string {
		u, err := a.Auth.UserByLogin(ctx, login)
		if err != nil {
			t.Fatalf("user %s: %v", login, err)
		}
		tok, err := a.Auth.CreateToken(ctx, u.ID, "openapi test")
		if err != nil {
			t.Fatalf("token %s: %v", login, err)
		}
		return tok
	}
	u, err := a.Auth.UserByLogin(ctx, "admin")
	if err != nil {
		t.Fatal(err)
	}
	sess, err := a.Auth.NewSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	admin := oaCaller{name: "admin token", bearer: token("admin"), full: true}
	callers := []oaCaller{
		{name: "nobody"},
		admin,
		{name: "admin session", cookie: sess.Token, full: true},
		{name: "shuangtang token", bearer: token("shuangtang")},
	}
	fallback := strconv.FormatInt(res.TownshipID, 10)
	doc := oaParse(t, openAPIDoc)
	h := a.Handler
	for _, o := range doc.operations() {
		if o.Method != "get" {
			continue
		}
		for _, c := range callers {
			ids := c
			if c.bearer == "" && c.cookie == "" {
				ids = admin // nobody can list ids; use the admin's
			}
			target, note := ids.fill(h, o.Path, fallback)
			label := oaLabel("GET", target, c.name, note)
			w := c.do(h, http.MethodGet, target, "")
			doc.check(t, label, o, w)
			switch {
			case c.name == "nobody" && !o.public():
				if w.Code != http.StatusUnauthorized {
					t.Errorf("%s: status %d, want 401", label, w.Code)
				}
			case (c.full || o.public()) && (w.Code < 200 || w.Code > 299):
				t.Errorf("%s: status %d, want 2xx", label, w.Code)
			}
		}
		// Once more with every query parameter that has an example.
		q := url.Values{}
		for _, p := range o.Params {
			if ex, ok := p["example"]; ok && p["in"] == "query" {
				q.Set(fmt.Sprint(p["name"]), fmt.Sprint(ex))
			}
		}
		if len(q) > 0 {
			target, note := admin.fill(h, o.Path, fallback)
			target += "?" + q.Encode()
			label := oaLabel("GET", target, admin.name, note)
			w := admin.do(h, http.MethodGet, target, "")
			doc.check(t, label, o, w)
			if w.Code < 200 || w.Code > 299 {
				t.Errorf("%s: status %d, want 2xx", label, w.Code)
			}
		}
		// An integer query parameter that is not a number: whatever the
		// answer, it must be documented.
		for _, p := range o.Params {
			if s, _ := p["schema"].(map[string]any); p["in"] != "query" || s["type"] != "integer" {
				continue
			}
			target, note := admin.fill(h, o.Path, fallback)
			target += "?" + url.Values{fmt.Sprint(p["name"]): {"x"}}.Encode()
			doc.check(t, oaLabel("GET", target, admin.name, note), o, admin.do(h, http.MethodGet, target, ""))
		}
	}
	for _, o := range doc.operations() {
		if o.Method != "post" {
			continue
		}
		target, note := admin.fill(h, o.Path, fallback)
		label := oaLabel("POST", target+" {}", admin.name, note)
		w := admin.do(h, http.MethodPost, target, "{}")
		if w.Code < 400 || w.Code > 499 {
			t.Errorf("%s: status %d, want 4xx; body: %s", label, w.Code, w.Body)
			continue
		}
		doc.check(t, label, o, w)
		var v any
		if err := oaDecode(w.Body.Bytes(), &v); err == nil {
			if errs := doc.validate(map[string]any{"$ref": "#/components/schemas/Error"}, v, "body"); len(errs) > 0 {
				t.Errorf("%s: status %d: body is not an Error:\n  %s", label, w.Code, strings.Join(errs, "\n  "))
			}
		}
	}
}
