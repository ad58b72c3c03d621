package org_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/org"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
)

// missingKey matches the "[some.key]" an unknown i18n key renders as.
var missingKey = regexp.MustCompile(`\[[a-z_]+(\.[a-z_0-9]+)+\]`)

// TestPagesRender opens every org page as the district admin and as
// 双塘村's reporter, in Chinese and in English.
func TestPagesRender(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		srv := MustServer(t, d)
		linjiang := MustUnitID(t, d, "示范区", "临江镇")
		var stAccount int64
		d.QueryRowContext(context.Background(), `SELECT id FROM users WHERE login = 'shuangtang'`).Scan(&stAccount)
		var xxCampaign int64
		d.QueryRowContext(context.Background(), `SELECT id FROM campaigns WHERE township_id = $1`, ids.township).Scan(&xxCampaign)
		id := audit.ID

		tests := []struct {
			path            string
			admin, reporter int
			adminText       string // shown to the admin in Chinese
		}{
			{"/units", 200, 200, "新增单位"},
			{"/units/" + id(ids.shuangtang), 200, 200, "双塘村"},
			{"/people", 200, 200, "新增人员"},
			{"/people?unit=" + id(ids.shuangtang) + "&q=" + url.QueryEscape("书记"), 200, 200, "梁德福"},
			{"/people?page=2", 200, 200, "共29条"},
			{"/people/" + id(ids.song), 200, 200, "宋小芳"},
			{"/team", 200, 200, "XX镇三套班子"},
			{"/team?township=" + id(ids.township), 200, 200, "增加班子成员"},
			{"/team?township=" + id(linjiang), 200, 404, "临江镇三套班子"},
			{"/users", 200, 403, "新增账号"},
			{"/users/" + id(stAccount), 200, 403, "重置密码"},
			{"/api/v1/people", 200, 200, "宋小芳"},
			{"/units?kind=village&q=" + url.QueryEscape("双塘"), 200, 200, "共1条"},
			{"/people?sort=-name&unit=" + id(ids.shuangtang), 200, 200, "宋小芳"},
			{"/users?role=reporter&sort=-login", 200, 403, "shuangtang"},
			{"/users?disabled=1", 200, 403, "共0条"},
			{"/campaigns", 200, 200, "大干一百天，冲刺四季度"},
			{"/campaigns?township=" + id(ids.township) + "&sort=end", 200, 200, "剩余"},
			{"/campaigns/new", 200, 403, "新建攻坚行动"},
			{"/campaigns/" + id(xxCampaign), 200, 200, "目标任务"},
		}
		for _, login := range []string{"admin", "shuangtang"} {
			b := SignIn(t, srv.URL, login)
			for _, lang := range []string{"zh-CN", "en"} {
				if status, _ := b.Post("/lang", url.Values{"lang": {lang}, "next": {"/"}}); status != http.StatusSeeOther {
					t.Fatalf("POST /lang = %d", status)
				}
				for _, tt := range tests {
					want := tt.admin
					if login != "admin" {
						want = tt.reporter
					}
					status, body := b.Get(tt.path)
					if status != want {
						t.Errorf("%s %s GET %s = %d, want %d", login, lang, tt.path, status, want)
						continue
					}
					if k := missingKey.FindString(body); k != "" {
						t.Errorf("%s %s GET %s shows the missing message %s", login, lang, tt.path, k)
					}
					if login == "admin" && lang == "zh-CN" && !strings.Contains(body, tt.adminText) {
						t.Errorf("admin GET %s: no %q on the page", tt.path, tt.adminText)
					}
				}
			}
		}

		t.Run("reporter sees no admin forms", func(t *testing.T) {
			b := SignIn(t, srv.URL, "shuangtang")
			b.Post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/"}})
			for _, path := range []string{"/people", "/people/" + id(ids.song), "/team"} {
				_, body := b.Get(path)
				for _, form := range []string{`data-testid="person-form"`, `data-testid="person-edit"`, `data-testid="seat-form"`, `/delete"`} {
					if strings.Contains(body, form) {
						t.Errorf("reporter GET %s shows %s", path, form)
					}
				}
			}
			_, body := b.Get("/team")
			if !strings.Contains(body, "XX镇三套班子") || !strings.Contains(body, "张建国") || strings.Contains(body, `href="/people/`) {
				t.Errorf("reporter's /team: want XX镇's team, without links to people out of scope")
			}
		})
	})
}

func TestPeoplePaging(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		s := &org.Store{DB: d}
		grid := MustUnitID(t, d, "双塘村", "第二网格")
		for i := 1; i <= 60; i++ {
			if _, err := s.CreatePerson(asSystem(), org.PersonInput{UnitID: grid, Name: fmt.Sprintf("居民%02d", i), Sort: i}); err != nil {
				t.Fatal(err)
			}
		}
		srv := MustServer(t, d)
		b := SignIn(t, srv.URL, "shuangtang")
		tests := []struct {
			path       string
			total      string
			rows       int
			first      string
			pager      string
			wantNoNext bool
		}{
			{"/people", "共63条", 50, "梁德福", "1 / 2", false},
			{"/people?page=2", "共63条", 13, "居民48", "2 / 2", true},
			{"/people?unit=" + audit.ID(grid), "共60条", 50, "居民01", "1 / 2", false},
			{"/people?unit=" + audit.ID(grid) + "&page=2", "共60条", 10, "居民51", "2 / 2", true},
			{"/people?unit=" + audit.ID(ids.shuangtang) + "&q=" + url.QueryEscape("居民5"), "共10条", 10, "居民50", "", true},
		}
		row := regexp.MustCompile(`<tr><td><a href="/people/\d+">([^<]+)</a>`)
		for _, tt := range tests {
			status, body := b.Get(tt.path)
			if status != http.StatusOK {
				t.Fatalf("GET %s = %d", tt.path, status)
			}
			rows := row.FindAllStringSubmatch(body, -1)
			if !strings.Contains(body, tt.total) || len(rows) != tt.rows || rows[0][1] != tt.first {
				t.Errorf("GET %s: total %v rows %d first %q; want %s, %d, %q", tt.path, strings.Contains(body, tt.total), len(rows), rows[0][1], tt.total, tt.rows, tt.first)
			}
			if tt.pager != "" && !strings.Contains(body, `<span class="muted small">`+tt.pager+"</span>") {
				t.Errorf("GET %s: no pager %q", tt.path, tt.pager)
			}
			if got := strings.Contains(body, `rel="next"`); got == tt.wantNoNext {
				t.Errorf("GET %s: next link shown = %v", tt.path, got)
			}
		}

		tok := MustToken(t, d, "shuangtang")
		apiTests := []struct {
			path   string
			status int
			rows   int
			total  int
		}{
			{"/api/v1/people?limit=2", 200, 2, 63},
			{"/api/v1/people?offset=60&limit=10", 200, 3, 63},
			{"/api/v1/people?unit=" + audit.ID(grid) + "&q=" + url.QueryEscape("居民0"), 200, 9, 9},
			{"/api/v1/people?offset=-5&limit=1", 200, 1, 63},
			{"/api/v1/people?limit=many", 422, 0, 0},
			{"/api/v1/people?unit=abc", 422, 0, 0},
		}
		for _, tt := range apiTests {
			status, body := apiGet(t, srv.URL, tok, tt.path)
			if status != tt.status {
				t.Errorf("GET %s = %d, want %d\n%s", tt.path, status, tt.status, body)
				continue
			}
			if status != 200 {
				continue
			}
			var got struct {
				People []org.Person `json:"people"`
				Total  int          `json:"total"`
			}
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			if len(got.People) != tt.rows || got.Total != tt.total {
				t.Errorf("GET %s: %d people, total %d; want %d, %d", tt.path, len(got.People), got.Total, tt.rows, tt.total)
			}
		}
	})
}

// TestPageForms submits every org form with good and bad input: bad input
// is answered with 422 or 409 and a message next to its field, in the
// user's language, and changes nothing.
func TestPageForms(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		srv := MustServer(t, d)
		b := SignIn(t, srv.URL, "admin")
		id := audit.ID
		var stAccount int64
		d.QueryRowContext(context.Background(), `SELECT id FROM users WHERE login = 'shuangtang'`).Scan(&stAccount)
		st, unit := id(ids.shuangtang), id(ids.shuangtang)
		long := strings.Repeat("长", 51)
		zhang := id(MustPersonID(t, d, "张建国"))
		liang := id(MustPersonID(t, d, "梁德福"))
		outsider := id(MustPersonID(t, d, "彭晓燕"))

		tests := []struct {
			name   string
			path   string
			form   url.Values
			status int
			field  string // where the message must be ("_" for the alert)
			text   string
			table  string // must not change on refusal
		}{
			{"person without a name", "/people", url.Values{"unit_id": {unit}, "name": {""}}, 422, "name", "必填", "people"},
			{"person with a long name", "/people", url.Values{"unit_id": {unit}, "name": {long}}, 422, "name", "不能超过50个字", "people"},
			{"person with letters in the phone", "/people", url.Values{"unit_id": {unit}, "name": {"王五"}, "phone": {"call me"}}, 422, "phone", "电话只能包含数字", "people"},
			{"person without a unit", "/people", url.Values{"name": {"王五"}}, 422, "unit_id", "必填", "people"},
			{"person with a bad sort", "/people", url.Values{"unit_id": {unit}, "name": {"王五"}, "sort": {"x"}}, 422, "sort", "请输入整数", "people"},
			{"person edit without a name", "/people/" + id(ids.song), url.Values{"unit_id": {unit}, "name": {" "}}, 422, "name", "必填", "people"},
			{"person edit with a long title", "/people/" + id(ids.song), url.Values{"unit_id": {unit}, "name": {"宋小芳"}, "title": {long}}, 422, "title", "不能超过50个字", "people"},
			{"delete a person with an account", "/people/" + id(ids.song) + "/delete", nil, 409, "_", "该人员有登录账号", "people"},
			{"duplicate login", "/users", url.Values{"login": {"shuangtang"}, "password": {"secret-123"}, "role": {"viewer"}, "unit_id": {unit}}, 409, "login", "账号“shuangtang”已存在", "users"},
			{"short password", "/users", url.Values{"login": {"newbie"}, "password": {"short"}, "role": {"viewer"}, "unit_id": {unit}}, 422, "password", "密码至少8位", "users"},
			{"no password", "/users", url.Values{"login": {"newbie"}, "role": {"viewer"}, "unit_id": {unit}}, 422, "password", "必填", "users"},
			{"bad role", "/users", url.Values{"login": {"newbie"}, "password": {"secret-123"}, "role": {"boss"}, "unit_id": {unit}}, 422, "role", "角色无效", "users"},
			{"no login", "/users", url.Values{"password": {"secret-123"}, "role": {"viewer"}, "unit_id": {unit}}, 422, "login", "必填", "users"},
			{"long login", "/users", url.Values{"login": {strings.Repeat("a", 33)}, "password": {"secret-123"}, "role": {"viewer"}, "unit_id": {unit}}, 422, "login", "不能超过32个字", "users"},
			{"bad login", "/users", url.Values{"login": {"张三"}, "password": {"secret-123"}, "role": {"viewer"}, "unit_id": {unit}}, 422, "login", "账号只能用字母", "users"},
			{"account edit with a bad role", "/users/" + id(stAccount), url.Values{"role": {"boss"}, "unit_id": {unit}}, 422, "role", "角色无效", "users"},
			{"account edit without a unit", "/users/" + id(stAccount), url.Values{"role": {"viewer"}}, 422, "unit_id", "必填", "users"},
			{"disable oneself", "/users/" + id(mustAccountID(t, d, "admin")), url.Values{"role": {"admin"}, "unit_id": {id(mustUnitIDByName(t, d, "示范区"))}, "disabled": {"1"}}, 422, "_", "不能停用自己的账号", "users"},
			{"short new password", "/users/" + id(stAccount) + "/password", url.Values{"password": {"short"}, "password2": {"short"}}, 422, "password", "密码至少8位", "users"},
			{"passwords differ", "/users/" + id(stAccount) + "/password", url.Values{"password": {"secret-123"}, "password2": {"secret-124"}}, 422, "password2", "两次输入的密码不一致", "users"},
			{"seat without a position", "/team", url.Values{"township_id": {id(ids.township)}, "person_id": {liang}, "body": {"party"}}, 422, "position", "必填", "team_members"},
			{"seat without a body", "/team", url.Values{"township_id": {id(ids.township)}, "person_id": {liang}, "position": {"委员"}}, 422, "body", "必填", "team_members"},
			{"seat with a long position", "/team", url.Values{"township_id": {id(ids.township)}, "person_id": {liang}, "body": {"party"}, "position": {long}}, 422, "position", "不能超过50个字", "team_members"},
			{"second seat in a body", "/team", url.Values{"township_id": {id(ids.township)}, "person_id": {zhang}, "body": {"party"}, "position": {"书记"}}, 422, "person_id", "此人已在该班子中", "team_members"},
			{"seat for another township's person", "/team", url.Values{"township_id": {id(ids.township)}, "person_id": {outsider}, "body": {"party"}, "position": {"委员"}}, 422, "person_id", "彭晓燕不是XX镇或其下属单位的人员", "team_members"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				rows, audits, hashes := count(t, d, tt.table), count(t, d, "audit_log"), passwordHashes(t, d)
				status, body := b.Post(tt.path, tt.form)
				if status != tt.status {
					t.Fatalf("POST %s = %d, want %d", tt.path, status, tt.status)
				}
				var near *regexp.Regexp
				if tt.field == "_" {
					near = regexp.MustCompile(`class="alert" role="alert"[^>]*>[^<]*` + regexp.QuoteMeta(tt.text))
				} else {
					near = regexp.MustCompile(`data-testid="error-` + tt.field + `">[^<]*` + regexp.QuoteMeta(tt.text))
				}
				if !near.MatchString(body) {
					t.Errorf("POST %s: no %q next to %s", tt.path, tt.text, tt.field)
				}
				if !strings.Contains(body, `name="csrf"`) {
					t.Errorf("POST %s: the form is not shown again", tt.path)
				}
				if got := count(t, d, tt.table); got != rows {
					t.Errorf("%s rows = %d, want %d", tt.table, got, rows)
				}
				if got := count(t, d, "audit_log"); got != audits {
					t.Errorf("audit rows = %d, want %d", got, audits)
				}
				if got := passwordHashes(t, d); got != hashes {
					t.Error("a password changed")
				}
			})
		}

		t.Run("english", func(t *testing.T) {
			if status, _ := b.Post("/lang", url.Values{"lang": {"en"}, "next": {"/users"}}); status != http.StatusSeeOther {
				t.Fatal("POST /lang")
			}
			defer b.Post("/lang", url.Values{"lang": {"zh-CN"}, "next": {"/"}})
			status, body := b.Post("/users", url.Values{"login": {"shuangtang"}, "password": {"secret-123"}, "role": {"viewer"}, "unit_id": {unit}})
			if status != 409 || !strings.Contains(body, `data-testid="error-login">The login “shuangtang” is taken`) {
				t.Errorf("duplicate login in English = %d, message missing", status)
			}
			status, body = b.Post("/people", url.Values{"unit_id": {unit}, "name": {""}})
			if status != 422 || !strings.Contains(body, `data-testid="error-name">Required`) {
				t.Errorf("missing name in English = %d, message missing", status)
			}
		})

		t.Run("good input", func(t *testing.T) {
			// A person: add, see the flash, edit, delete.
			to := mustPost(t, b, "/people", url.Values{"unit_id": {st}, "name": {"王五"}, "title": {"村委委员"}, "phone": {"138 0000 0000"}, "sort": {"9"}})
			if !strings.HasPrefix(to, "/people/") {
				t.Fatalf("after adding a person: redirect to %s", to)
			}
			pid := strings.TrimPrefix(to, "/people/")
			if _, body := b.Get(to); !strings.Contains(body, "已保存") || !strings.Contains(body, "村委委员") {
				t.Errorf("GET %s after adding: no flash or no title", to)
			}
			if got := auditCount(t, d, audit.Create, "person", pid); got != 1 {
				t.Errorf("audit rows for the new person = %d, want 1", got)
			}
			mustPost(t, b, to, url.Values{"unit_id": {id(ids.donghu)}, "name": {"王五"}, "title": {"村主任"}})
			if _, body := b.Get(to); !strings.Contains(body, "村主任") || !strings.Contains(body, "东湖村") {
				t.Errorf("GET %s after editing: not moved to 东湖村 as 村主任", to)
			}
			if got := mustPost(t, b, to+"/delete", nil); got != "/people?unit="+id(ids.donghu) {
				t.Errorf("after delete: redirect to %s", got)
			}
			if status, _ := b.Get(to); status != http.StatusNotFound {
				t.Errorf("GET deleted person = %d, want 404", status)
			}

			// An account: add, edit, reset the password.
			to = mustPost(t, b, "/users", url.Values{"login": {"wangwu"}, "password": {"secret-123"}, "role": {"reporter"}, "unit_id": {st}, "person_id": {liang}})
			if !strings.HasPrefix(to, "/users/") {
				t.Fatalf("after adding an account: redirect to %s", to)
			}
			mustPost(t, b, to, url.Values{"role": {"viewer"}, "unit_id": {st}, "person_id": {""}, "disabled": {"1"}})
			_, body := b.Get(to)
			if !strings.Contains(body, "已停用") || !strings.Contains(body, `<option value="viewer" selected>`) {
				t.Errorf("GET %s after editing: not a disabled viewer", to)
			}
			before := passwordHashes(t, d)
			if got := mustPost(t, b, to+"/password", url.Values{"password": {"another-1"}, "password2": {"another-1"}}); got != to {
				t.Errorf("after a reset: redirect to %s", got)
			}
			if passwordHashes(t, d) == before {
				t.Error("the password did not change")
			}
			if _, body := b.Get("/users"); !strings.Contains(body, `data-testid="user-wangwu"`) {
				t.Error("/users does not list the new account")
			}

			// A seat: add to 人大 and remove it again.
			seats := count(t, d, "team_members")
			if got := mustPost(t, b, "/team", url.Values{"township_id": {id(ids.township)}, "person_id": {liang}, "body": {"congress"}, "position": {"人大代表"}}); got != "/team?township="+id(ids.township) {
				t.Errorf("after adding a seat: redirect to %s", got)
			}
			if count(t, d, "team_members") != seats+1 {
				t.Fatal("no seat added")
			}
			var seat int64
			d.QueryRowContext(context.Background(), `SELECT MAX(id) FROM team_members`).Scan(&seat)
			if _, body := b.Get("/team"); !strings.Contains(body, "人大代表") {
				t.Error("/team does not show the new seat")
			}
			if got := mustPost(t, b, "/team/"+id(seat)+"/delete", url.Values{"township": {id(ids.township)}}); got != "/team?township="+id(ids.township) {
				t.Errorf("after removing a seat: redirect to %s", got)
			}
			if count(t, d, "team_members") != seats {
				t.Error("seat not removed")
			}
			if got := auditCount(t, d, audit.Delete, "team_member", id(seat)); got != 1 {
				t.Errorf("audit rows for the removed seat = %d, want 1", got)
			}
		})
	})
}

// mustPost submits a form that must succeed and returns where it redirects.
func mustPost(tb testing.TB, b *browser, path string, form url.Values) string {
	tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf)
	resp, err := b.c.PostForm(b.base+path, form)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		tb.Fatalf("POST %s = %d, want 303", path, resp.StatusCode)
	}
	return resp.Header.Get("Location")
}

func passwordHashes(tb testing.TB, d *db.DB) string {
	tb.Helper()
	rows, err := d.QueryContext(context.Background(), `SELECT password_hash FROM users ORDER BY id`)
	if err != nil {
		tb.Fatal(err)
	}
	defer rows.Close()
	var all strings.Builder
	for rows.Next() {
		var h string
		rows.Scan(&h)
		all.WriteString(h)
	}
	return all.String()
}

func mustAccountID(tb testing.TB, d *db.DB, login string) int64 {
	tb.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM users WHERE login = $1`, login).Scan(&id); err != nil {
		tb.Fatal(err)
	}
	return id
}

func mustUnitIDByName(tb testing.TB, d *db.DB, name string) int64 {
	tb.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = $1 AND parent_id IS NULL`, name).Scan(&id); err != nil {
		tb.Fatal(err)
	}
	return id
}

// TestListParameters shows that a sort key or filter value a list does not
// allow is answered with 422 and a message naming the parameter, on the
// page and on its download.
func TestListParameters(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		srv := MustServer(t, d)
		b := SignIn(t, srv.URL, "admin")
		tests := []struct {
			path, param, value string
		}{
			{"/people?sort=salary", "sort", "salary"},
			{"/people?sort=-phone", "sort", "-phone"},
			{"/people?unit=abc", "unit", "abc"},
			{"/people.xlsx?sort=salary", "sort", "salary"},
			{"/users?sort=password_hash", "sort", "password_hash"},
			{"/users?role=boss", "role", "boss"},
			{"/users?disabled=yes", "disabled", "yes"},
			{"/users.xlsx?role=boss", "role", "boss"},
			{"/units?kind=city", "kind", "city"},
			{"/campaigns?year=1999", "year", "1999"},
			{"/campaigns?sort=goals", "sort", "goals"},
			{"/people?page=0", "page", ""},
		}
		for _, tt := range tests {
			status, body := b.Get(tt.path)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, "参数 "+tt.param+" ") || !strings.Contains(body, tt.value) {
				t.Errorf("GET %s = %d, want 422 naming the parameter %s and the value %q", tt.path, status, tt.param, tt.value)
			}
		}
	})
}
