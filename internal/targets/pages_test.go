package targets_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
)

// pageClient is a signed-in browser without a browser: a session cookie and
// the session's CSRF token for forms. It does not follow redirects, so a
// test sees the 303 of a saved form.
type pageClient struct {
	t     *testing.T
	base  string
	token string
	csrf  string
}

// pageServer serves the whole app over the demo at demoNow and returns the
// app and a function that signs a demo account in.
func pageServer(t *testing.T, d *db.DB) (*app.App, func(login string) *pageClient) {
	t.Helper()
	loadDemo(t, d)
	a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Clock: &clock.Fixed{T: demoNow}}, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return a, func(login string) *pageClient {
		t.Helper()
		as := &auth.Store{DB: d}
		u, err := as.UserByLogin(context.Background(), login)
		if err != nil {
			t.Fatalf("user %s: %v", login, err)
		}
		sess, err := as.NewSession(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		return &pageClient{t: t, base: srv.URL, token: sess.Token, csrf: sess.CSRF}
	}
}

func (c *pageClient) do(req *http.Request) (int, string, http.Header) {
	c.t.Helper()
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.token})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp.StatusCode, string(body), resp.Header
}

func (c *pageClient) get(path string) (int, string, http.Header) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post sends a form with the session's CSRF token.
func (c *pageClient) post(path string, form url.Values) (int, string, http.Header) {
	c.t.Helper()
	form.Set("csrf", c.csrf)
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// targetID finds the demo target of an indicator owned by a unit itself.
func targetID(t *testing.T, d *db.DB, indicator, unit string) int64 {
	t.Helper()
	var id int64
	err := d.QueryRowContext(context.Background(), `SELECT t.id FROM targets t JOIN indicators i ON i.id = t.indicator_id JOIN units un ON un.id = t.unit_id
		WHERE i.name = $1 AND un.name = $2 AND t.person_id IS NULL AND t.year = $3`, indicator, unit, demoNow.Year()).Scan(&id)
	if err != nil {
		t.Fatalf("target %s of %s: %v", indicator, unit, err)
	}
	return id
}

func unitIDByName(t *testing.T, d *db.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatalf("unit %s: %v", name, err)
	}
	return id
}

func countRows(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }

func TestTargetPagesRender(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		town := itoa64(unitIDByName(t, d, demo.TownshipName))
		invest := itoa64(targetID(t, d, "固定资产投资", demo.TownshipName))
		child := itoa64(targetID(t, d, "固定资产投资", "双塘村"))
		gdp := itoa64(targetID(t, d, "地区生产总值", demo.TownshipName))
		pages := []struct {
			path, want string
		}{
			{"/targets", "固定资产投资"},
			{"/targets?light=red&sort=-gap", "红灯"},
			{"/targets?unit=" + town + "&sub=1&sort=completion", "双塘村"},
			{"/targets?unit=" + town + "&indicator=1&sort=light", "地区生产总值"},
			{"/targets?page=9", "目标任务"},
			{"/targets/" + invest, "目标分解"},
			{"/targets/" + child, "上级目标"},
			{"/targets/" + gdp, "增长6.5%"},
			{"/targets/new", "设定目标"},
			{"/indicators", "安全生产事故起数"},
			{"/indicators?edit=1", "修改指标"},
			{"/settings/targets", "个百分点"},
		}
		for _, c := range []string{"shuji", "tongji"} {
			cl := login(c)
			for _, p := range pages {
				t.Run(c+p.path, func(t *testing.T) {
					status, body, _ := cl.get(p.path)
					if status != http.StatusOK {
						t.Fatalf("GET %s as %s = %d, want 200\n%s", p.path, c, status, body)
					}
					if !strings.Contains(body, p.want) {
						t.Errorf("GET %s as %s does not show %q", p.path, c, p.want)
					}
				})
			}
		}
		t.Run("others read the list", func(t *testing.T) {
			for _, l := range []string{"guest", "shuangtang", "duban", "admin"} {
				if status, body, _ := login(l).get("/targets"); status != http.StatusOK {
					t.Errorf("GET /targets as %s = %d\n%s", l, status, body)
				}
			}
		})
		t.Run("a reporter cannot set targets", func(t *testing.T) {
			if status, _, _ := login("shuangtang").get("/targets/new"); status != http.StatusForbidden {
				t.Errorf("GET /targets/new as shuangtang = %d, want 403", status)
			}
		})
		t.Run("chart script", func(t *testing.T) {
			_, body, _ := login("tongji").get("/targets/" + invest)
			src := regexp.MustCompile(`<script src="(/static/[0-9a-f]{12}/targets/chart\.js)"`).FindStringSubmatch(body)
			if src == nil {
				t.Fatalf("the target page does not load targets/chart.js")
			}
			status, js, h := login("tongji").get(src[1])
			if status != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "javascript") || !strings.Contains(h.Get("Cache-Control"), "immutable") {
				t.Errorf("GET %s = %d %q %q", src[1], status, h.Get("Content-Type"), h.Get("Cache-Control"))
			}
			if !strings.Contains(js, "echarts.init") {
				t.Errorf("chart.js does not draw a chart")
			}
			if !strings.Contains(body, `<script type="application/json" id="chart-data">{"months":["1月"`) {
				t.Errorf("the chart data block is missing or escaped")
			}
		})
	})
}

func TestTargetOutsideScopeIsNotFound(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		village := login("shuangtang")
		town := itoa64(targetID(t, d, "固定资产投资", demo.TownshipName))
		own := itoa64(targetID(t, d, "固定资产投资", "双塘村"))
		neighbour := itoa64(targetID(t, d, "固定资产投资", "东湖村"))
		for _, id := range []string{town, neighbour} {
			if status, _, _ := village.get("/targets/" + id); status != http.StatusNotFound {
				t.Errorf("GET /targets/%s as shuangtang = %d, want 404", id, status)
			}
		}
		before := countRows(t, d, `SELECT COUNT(*) FROM figures`)
		if status, _, _ := village.post("/targets/"+town+"/figures", url.Values{"period": {"2026-10"}, "value": {"1"}}); status != http.StatusNotFound {
			t.Errorf("POST a figure for the township as shuangtang = %d, want 404", status)
		}
		if after := countRows(t, d, `SELECT COUNT(*) FROM figures`); after != before {
			t.Errorf("figures: %d before, %d after a refused post", before, after)
		}
		if status, _, _ := village.get("/targets/" + own); status != http.StatusOK {
			t.Errorf("GET its own target = %d, want 200", status)
		}
		if status, _, _ := village.get("/targets/999999"); status != http.StatusNotFound {
			t.Errorf("GET a missing target = %d, want 404", status)
		}
		if status, _, _ := village.get("/targets?unit=" + itoa64(unitIDByName(t, d, "东湖村"))); status != http.StatusNotFound {
			t.Errorf("filtering by a unit outside scope = %d, want 404", status)
		}
	})
}

func TestFigureForm(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		id := targetID(t, d, "固定资产投资", demo.TownshipName)
		path := "/targets/" + itoa64(id)
		figures := func() int { return countRows(t, d, `SELECT COUNT(*) FROM figures WHERE target_id = $1`, id) }

		refused := []struct {
			name       string
			form       url.Values
			field, msg string
		}{
			{"future month", url.Values{"period": {"2026-12"}, "value": {"25"}}, "period", "尚未结束"},
			{"other year", url.Values{"period": {"2025-10"}, "value": {"25"}}, "period", "2026年内"},
			{"not a month", url.Values{"period": {"十月"}, "value": {"25"}}, "period", "月份格式"},
			{"negative", url.Values{"period": {"2026-10"}, "value": {"-3"}}, "value", "不能为负数"},
			{"text", url.Values{"period": {"2026-10"}, "value": {"二十"}}, "value", "请输入数字"},
			{"empty", url.Values{"period": {"2026-10"}, "value": {""}}, "value", "必填"},
			{"text last year", url.Values{"period": {"2026-10"}, "value": {"21"}, "last_year_value": {"abc"}}, "last_year_value", "请输入数字"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				before := figures()
				status, body, _ := c.post(path+"/figures", tc.form)
				if status != http.StatusUnprocessableEntity {
					t.Fatalf("status = %d, want 422", status)
				}
				m := regexp.MustCompile(`data-testid="error-` + tc.field + `">([^<]*)<`).FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], tc.msg) {
					t.Errorf("error next to %s = %v, want %q", tc.field, m, tc.msg)
				}
				if v := tc.form.Get("value"); v != "" && !strings.Contains(body, `value="`+v+`"`) {
					t.Errorf("the form does not keep the value %q", v)
				}
				if after := figures(); after != before {
					t.Errorf("figures: %d before, %d after a refused form", before, after)
				}
			})
		}

		t.Run("a correction", func(t *testing.T) {
			before := figures()
			status, _, h := c.post(path+"/figures", url.Values{"period": {"2026-10"}, "value": {"21.5"}, "last_year_value": {"19.9"}, "reason": {"统计局反馈"}})
			if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), path) {
				t.Fatalf("status = %d to %q, want 303 to %s", status, h.Get("Location"), path)
			}
			if after := figures(); after != before+1 {
				t.Fatalf("figures: %d before, %d after, want one more", before, after)
			}
			_, body, _ := c.get(path)
			rows := regexp.MustCompile(`(?s)<tr[^>]*data-period="2026-10"[^>]*>.*?</tr>`).FindAllString(body, -1)
			if len(rows) != 2 {
				t.Fatalf("history rows for 2026-10 = %d, want the new one and the old one", len(rows))
			}
			if !strings.Contains(rows[0], "21.5") || !strings.Contains(rows[0], "当前") || !strings.Contains(rows[0], `data-testid="history-reason">统计局反馈<`) {
				t.Errorf("newest row = %s, want 21.5 marked 当前 with its reason", rows[0])
			}
			if !strings.Contains(rows[1], "已更正") || !strings.Contains(rows[1], "20.52") {
				t.Errorf("older row = %s, want the demo figure marked 已更正", rows[1])
			}
		})

		t.Run("a reporter cannot enter another unit's figure", func(t *testing.T) {
			status, _, _ := login("donghu").post(path+"/figures", url.Values{"period": {"2026-10"}, "value": {"1"}})
			if status != http.StatusNotFound {
				t.Errorf("status = %d, want 404", status)
			}
		})
		t.Run("a leader cannot enter figures", func(t *testing.T) {
			status, _, _ := login("shuji").post(path+"/figures", url.Values{"period": {"2026-10"}, "value": {"1"}})
			if status != http.StatusForbidden {
				t.Errorf("status = %d, want 403", status)
			}
		})
	})
}

func TestTargetListLightFilter(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		s := &targets.Store{DB: d, Now: func() time.Time { return demoNow }}
		red := targets.Red
		want, err := s.Targets(as(t, d, "tongji"), targets.Filter{Light: &red}, db.All(100000))
		total := len(want)
		if err != nil || total == 0 {
			t.Fatalf("store: %d red rows, %v", total, err)
		}
		lightOf := regexp.MustCompile(`data-light="([a-z]+)" data-testid="target-row"`)
		for _, l := range []string{"red", "yellow", "green"} {
			t.Run(l, func(t *testing.T) {
				status, body, _ := c.get("/targets?light=" + l)
				if status != http.StatusOK {
					t.Fatalf("status = %d", status)
				}
				got := lightOf.FindAllStringSubmatch(body, -1)
				if len(got) == 0 {
					t.Fatalf("no %s rows", l)
				}
				for _, m := range got {
					if m[1] != l {
						t.Errorf("a %s row in the %s list", m[1], l)
					}
				}
				if l == "red" && len(got) != len(want) {
					t.Errorf("red rows = %d, the store has %d", len(got), len(want))
				}
			})
		}
		t.Run("bad light", func(t *testing.T) {
			if status, _, _ := c.get("/targets?light=blue"); status != http.StatusUnprocessableEntity {
				t.Errorf("status = %d, want 422", status)
			}
		})
		t.Run("sorted by gap", func(t *testing.T) {
			_, body, _ := c.get("/targets?sort=gap")
			gaps := regexp.MustCompile(`<td[^>]* class="[^"]*gap-(?:behind|ahead)" data-testid="gap-points">([+-]?[0-9.]+)个百分点</td>`).FindAllStringSubmatch(body, -1)
			prev := -1e9
			for _, g := range gaps {
				v, _ := strconv.ParseFloat(g[1], 64)
				if v < prev {
					t.Fatalf("gap %v after %v: not ascending", v, prev)
				}
				prev = v
			}
			if len(gaps) < 10 {
				t.Errorf("only %d gaps", len(gaps))
			}
		})
	})
}

func TestTargetsXLSX(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		status, body, h := login("tongji").get("/targets.xlsx?light=red&sort=gap")
		if status != http.StatusOK {
			t.Fatalf("status = %d\n%s", status, body)
		}
		if ct := h.Get("Content-Type"); ct != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
			t.Errorf("Content-Type = %q", ct)
		}
		title := "XX镇2026年目标任务完成情况（截至1-10月）"
		cd := h.Get("Content-Disposition")
		if !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape(title)+".xlsx") {
			t.Errorf("Content-Disposition = %q, want an attachment named %s.xlsx", cd, title)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("the export does not open: %v", err)
		}
		defer f.Close()
		sheet := f.GetSheetName(0)
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) < 3 {
			t.Fatalf("rows = %q", rows)
		}
		if rows[0][0] != title {
			t.Errorf("title = %q, want %q", rows[0][0], title)
		}
		header := strings.Join(rows[1], "|")
		for _, h := range []string{"指标", "责任单位", "责任人", "分管领导", "确保目标", "本年累计", "占年计划", "序时进度", "较序时", "同比增长", "亮灯", "预计全年", "尚需月均"} {
			if !strings.Contains(header, h) {
				t.Errorf("header %q lacks %s", header, h)
			}
		}
		col := func(name string) int {
			t.Helper()
			i := slices.Index(rows[1], name)
			if i < 0 {
				t.Fatalf("no column %s in %q", name, header)
			}
			return i
		}
		cell := func(name string) string {
			n, _ := excelize.ColumnNumberToName(col(name) + 1)
			return n + "3"
		}
		leaders := map[string]bool{}
		for i, r := range rows[2:] {
			if r[col("亮灯")] != "红灯" {
				t.Errorf("row %d light = %q, want 红灯", i+3, r[col("亮灯")])
			}
			if c := col("分管领导"); c < len(r) {
				leaders[r[c]] = true
			}
		}
		// The demo's red targets of XX镇 are in the charge of its deputy for
		// industry and investment, by name.
		if !leaders["刘晓明"] {
			t.Errorf("分管领导 of the red rows = %v, want 刘晓明 among them", leaders)
		}
		actual, _ := f.GetCellValue(sheet, cell("本年累计"), excelize.Options{RawCellValue: true})
		if _, err := strconv.ParseFloat(actual, 64); err != nil {
			t.Errorf("本年累计 %s = %q, want a number", cell("本年累计"), actual)
		}
		if typ, _ := f.GetCellType(sheet, cell("本年累计")); typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("本年累计 %s is text", cell("本年累计"))
		}
		if shown, _ := f.GetCellValue(sheet, cell("占年计划")); !strings.HasSuffix(shown, "%") {
			t.Errorf("占年计划 %s shows %q, want a percentage", cell("占年计划"), shown)
		}
		if p, _ := f.GetPanes(sheet); !p.Freeze || p.YSplit != 2 {
			t.Errorf("panes = %+v, want the header frozen", p)
		}
	})
}

func TestDecompositionForm(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		id := targetID(t, d, "固定资产投资", demo.TownshipName) // 32 split 20+5+3+2
		path := "/targets/" + itoa64(id)
		_, body, _ := c.get(path)
		if !strings.Contains(body, `data-testid="decomposition-mismatch"`) || !strings.Contains(body, "尚有2.00未分解") {
			t.Fatalf("the page does not show that 2.00 of 32 亿元 is not assigned")
		}
		children := func() int { return countRows(t, d, `SELECT COUNT(*) FROM targets WHERE parent_id = $1`, id) }
		yangzhuang := "u" + itoa64(unitIDByName(t, d, "杨庄村"))
		outside := "u" + itoa64(unitIDByName(t, d, "江口村"))
		refused := []struct {
			name       string
			form       url.Values
			field, msg string
		}{
			{"no owner", url.Values{"target_value": {"2"}}, "owner", "必填"},
			{"neither value nor share", url.Values{"owner": {yangzhuang}}, "target_value", "请填写分解目标或比例"},
			{"both", url.Values{"owner": {yangzhuang}, "target_value": {"2"}, "share": {"5"}}, "share", "只能填写一项"},
			{"share above 100", url.Values{"owner": {yangzhuang}, "share": {"150"}}, "share", "0到100"},
			{"negative", url.Values{"owner": {yangzhuang}, "target_value": {"-1"}}, "target_value", "不能为负数"},
			{"a unit of another town", url.Values{"owner": {outside}, "target_value": {"2"}}, "owner", "权限范围内"},
			{"bad owner", url.Values{"owner": {"x1"}, "target_value": {"2"}}, "owner", "选项无效"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				before := children()
				status, body, _ := c.post(path+"/children", tc.form)
				if status != http.StatusUnprocessableEntity {
					t.Fatalf("status = %d, want 422", status)
				}
				m := regexp.MustCompile(`data-testid="error-` + tc.field + `">([^<]*)<`).FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], tc.msg) {
					t.Errorf("error next to %s = %v, want %q", tc.field, m, tc.msg)
				}
				if after := children(); after != before {
					t.Errorf("children: %d before, %d after", before, after)
				}
			})
		}
		t.Run("the missing share", func(t *testing.T) {
			status, _, _ := c.post(path+"/children", url.Values{"owner": {yangzhuang}, "share": {"6.25"}})
			if status != http.StatusSeeOther {
				t.Fatalf("status = %d, want 303", status)
			}
			_, body, _ := c.get(path)
			if strings.Contains(body, `data-testid="decomposition-mismatch"`) {
				t.Errorf("32 = 20+5+3+2+2 still shows a mismatch")
			}
			if !strings.Contains(body, "杨庄村") {
				t.Errorf("the new share is not listed")
			}
		})
		t.Run("the same owner twice", func(t *testing.T) {
			status, _, _ := c.post(path+"/children", url.Values{"owner": {yangzhuang}, "target_value": {"1"}})
			if status != http.StatusUnprocessableEntity && status != http.StatusConflict {
				t.Errorf("status = %d, want 422 or 409", status)
			}
		})
	})
}

func TestNewTargetForm(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		var ind int64
		if err := d.QueryRowContext(context.Background(), `SELECT id FROM indicators WHERE name = '工业投资'`).Scan(&ind); err != nil {
			t.Fatal(err)
		}
		unit := itoa64(unitIDByName(t, d, "杨庄村"))
		good := url.Values{"indicator_id": {itoa64(ind)}, "unit_id": {unit}, "year": {"2026"}, "kind": {"value"}, "target_value": {"3"}, "strive_value": {"3.5"}, "weight": {"1"}}
		with := func(k, v string) url.Values {
			f := url.Values{}
			for kk, vv := range good {
				f[kk] = vv
			}
			f.Set(k, v)
			return f
		}
		targets := func() int { return countRows(t, d, `SELECT COUNT(*) FROM targets`) }
		for _, tc := range []struct {
			name       string
			form       url.Values
			field, msg string
		}{
			{"no indicator", with("indicator_id", ""), "indicator_id", "必填"},
			{"text value", with("target_value", "三"), "target_value", "请输入数字"},
			{"negative", with("target_value", "-3"), "target_value", "不能为负数"},
			{"strive below", with("strive_value", "2"), "strive_value", "更进一步"},
			{"bad year", with("year", "1999"), "year", "年度无效"},
			{"unit outside", with("unit_id", itoa64(unitIDByName(t, d, "江口村"))), "unit_id", "权限范围内"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := targets()
				status, body, _ := c.post("/targets", tc.form)
				if status != http.StatusUnprocessableEntity {
					t.Fatalf("status = %d, want 422", status)
				}
				m := regexp.MustCompile(`data-testid="error-` + tc.field + `">([^<]*)<`).FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], tc.msg) {
					t.Errorf("error next to %s = %v, want %q", tc.field, m, tc.msg)
				}
				if after := targets(); after != before {
					t.Errorf("targets: %d before, %d after", before, after)
				}
			})
		}
		status, _, h := c.post("/targets", good)
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/targets/") {
			t.Fatalf("status = %d to %q, want 303 to the new target", status, h.Get("Location"))
		}
		if status, body, _ := c.get(h.Get("Location")); status != http.StatusOK || !strings.Contains(body, "杨庄村") {
			t.Errorf("the new target's page = %d", status)
		}
		before := targets()
		if status, body, _ := c.post("/targets", good); (status != http.StatusUnprocessableEntity && status != http.StatusConflict) || !strings.Contains(body, "已有此指标的目标") {
			t.Errorf("the same target twice = %d, want 422 or 409 with the reason", status)
		}
		if after := targets(); after != before {
			t.Errorf("targets: %d before, %d after a duplicate", before, after)
		}
	})
}

func TestIndicatorForm(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		indicators := func() int { return countRows(t, d, `SELECT COUNT(*) FROM indicators`) }
		before := indicators()
		form := url.Values{"name": {"新增规上服务业企业"}, "measure_unit": {"（个）"}, "category": {"市场主体"}, "measure": {"cumulative"}, "direction": {"higher"}, "cadence": {"monthly"}, "additive": {"1"}, "sort": {"175"}}
		if status, _, _ := c.post("/indicators", form); status != http.StatusSeeOther {
			t.Fatalf("add: status = %d, want 303", status)
		}
		if indicators() != before+1 {
			t.Fatalf("indicators: %d before, %d after", before, indicators())
		}
		var id int64
		var measure string
		var nonNeg bool
		if err := d.QueryRowContext(context.Background(), `SELECT id, measure_unit, non_negative FROM indicators WHERE name = $1`, "新增规上服务业企业").Scan(&id, &measure, &nonNeg); err != nil {
			t.Fatal(err)
		}
		if measure != "个" || nonNeg {
			t.Errorf("saved measure %q non-negative %v, want 个 and false", measure, nonNeg)
		}
		for _, tc := range []struct {
			name, path string
			form       url.Values
			status     int
			field, msg string
		}{
			{"duplicate", "/indicators", url.Values{"name": {"入库税收"}}, http.StatusConflict, "name", "已有名为"},
			{"empty name", "/indicators", url.Values{"name": {" "}}, http.StatusUnprocessableEntity, "name", "必填"},
			{"bad measure", "/indicators", url.Values{"name": {"某指标"}, "measure": {"sum"}}, http.StatusUnprocessableEntity, "measure", "选项无效"},
			{"rename onto another", "/indicators/" + itoa64(id), url.Values{"name": {"入库税收"}}, http.StatusConflict, "name", "已有名为"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				n := indicators()
				status, body, _ := c.post(tc.path, tc.form)
				if status != tc.status {
					t.Fatalf("status = %d, want %d", status, tc.status)
				}
				m := regexp.MustCompile(`data-testid="error-` + tc.field + `">([^<]*)<`).FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], tc.msg) {
					t.Errorf("error next to %s = %v, want %q", tc.field, m, tc.msg)
				}
				if indicators() != n {
					t.Errorf("the catalogue changed")
				}
			})
		}
		form.Set("name", "新增规上服务业企业（家）")
		if status, _, _ := c.post("/indicators/"+itoa64(id), form); status != http.StatusSeeOther {
			t.Fatalf("edit: status = %d, want 303", status)
		}
		if _, body, _ := c.get("/indicators"); !strings.Contains(body, "新增规上服务业企业（家）") {
			t.Errorf("the renamed indicator is not listed")
		}
		if status, _, _ := login("shuangtang").post("/indicators", url.Values{"name": {"x"}}); status != http.StatusForbidden {
			t.Errorf("a reporter adding an indicator = %d, want 403", status)
		}
	})
}

func TestSettingsForm(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		for _, tc := range []struct {
			name, margin, msg string
		}{
			{"too wide", "80", "0到50个百分点"},
			{"zero", "0", "0到50个百分点"},
			{"text", "十", "请输入数字"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				status, body, _ := c.post("/settings/targets", url.Values{"margin": {tc.margin}})
				if status != http.StatusUnprocessableEntity {
					t.Fatalf("status = %d, want 422", status)
				}
				m := regexp.MustCompile(`data-testid="error-margin">([^<]*)<`).FindStringSubmatch(body)
				if m == nil || !strings.Contains(m[1], tc.msg) {
					t.Errorf("error = %v, want %q", m, tc.msg)
				}
			})
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM target_settings`); n != 0 {
			t.Errorf("%d settings written by refused forms", n)
		}
		if status, _, _ := c.post("/settings/targets", url.Values{"margin": {"15"}}); status != http.StatusSeeOther {
			t.Fatalf("status = %d, want 303", status)
		}
		if _, body, _ := c.get("/settings/targets"); !strings.Contains(body, "落后序时进度15个百分点以内亮黄灯") {
			t.Errorf("the rule does not say 15 points")
		}
		other := itoa64(unitIDByName(t, d, demo.NeighbourA))
		if status, _, _ := c.post("/settings/targets", url.Values{"margin": {"5"}, "township_id": {other}}); status != http.StatusNotFound {
			t.Errorf("setting another township's band = %d, want 404", status)
		}
	})
}

func TestIndicatorsXLSX(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		status, body, _ := login("shuangtang").get("/indicators.xlsx")
		if status != http.StatusOK {
			t.Fatalf("status = %d\n%s", status, body)
		}
		f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatalf("the export does not open: %v", err)
		}
		defer f.Close()
		rows, _ := f.GetRows(f.GetSheetName(0))
		var names []string
		for _, r := range rows {
			if len(r) > 0 {
				names = append(names, r[0])
			}
		}
		joined := strings.Join(names, "|")
		for _, want := range []string{"入库税收", "地区生产总值", "安全生产事故起数"} {
			if !strings.Contains(joined, want) {
				t.Errorf("indicators.xlsx lacks %s: %s", want, joined)
			}
		}
	})
}
