package targets_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
)

// sheetFile builds a real .xlsx as a statistics station sends it: a title,
// a header row and the data rows below, starting at A1.
func sheetFile(tb testing.TB, title string, header []any, rows ...[]any) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{title}, header}, rows...)
	for i, row := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &row); err != nil {
			tb.Fatal(err)
		}
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func importStore(d *db.DB) *targets.Store {
	return &targets.Store{DB: d, Now: func() time.Time { return demoNow }}
}

func mustCount(tb testing.TB, d *db.DB, query string, args ...any) int {
	tb.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		tb.Fatalf("%s: %v", query, err)
	}
	return n
}

func mustUnit(tb testing.TB, d *db.DB, name string) int64 {
	tb.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = $1`, name).Scan(&id); err != nil {
		tb.Fatalf("unit %s: %v", name, err)
	}
	return id
}

// cleanOctober is XX镇's October sheet: every row matches a target of the town.
func cleanOctober(tb testing.TB) []byte {
	return sheetFile(tb, "XX镇2026年1-10月主要经济指标完成情况",
		[]any{"指标名称", "计量单位", "1-10月累计", "去年同期"},
		[]any{"入库税收", "万元", 48000.5, 45100},
		[]any{"一般公共预算收入", "万元", 42000, 40500},
		[]any{"新发展市场主体", "户", 1700, 1620},
		[]any{"固定资产投资", "亿元", 27.3, 25.9},
		[]any{"实际到账外资", "万美元", 4100, 3300},
	)
}

func TestImportCommit(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		figures := func() int { return mustCount(t, d, `SELECT COUNT(*) FROM figures`) }
		before := figures()

		p, err := s.StartImport(ctx, targets.ImportInput{Filename: "10月.xlsx", Data: cleanOctober(t), UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Clean() || p.Month != 10 || len(p.Rows) != 5 || p.UnitName != "XX镇" {
			t.Fatalf("preview: clean %v, month %d, %d rows, unit %q; problems %+v", p.Clean(), p.Month, len(p.Rows), p.UnitName, p.Problems)
		}
		for i, r := range p.Rows {
			if r.Row != i+3 || r.TargetID == 0 || r.Converted {
				t.Errorf("row %d: %+v", i, r)
			}
		}
		if got := figures(); got != before {
			t.Fatalf("the preview wrote %d figures", got-before)
		}
		again, err := s.Import(ctx, p.Token)
		if err != nil || !again.Clean() || again.Committed {
			t.Fatalf("Import(token) = %+v, %v", again, err)
		}

		done, err := s.CommitImport(ctx, p.Token, targets.Confirm{})
		if err != nil {
			t.Fatal(err)
		}
		if !done.Committed || done.Figures != 5 {
			t.Errorf("commit: committed %v, %d figures", done.Committed, done.Figures)
		}
		if got := figures(); got != before+5 {
			t.Errorf("commit wrote %d figures, want 5", got-before)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM figures WHERE source = 'import' AND period = '2026-10' AND entered_by_login = 'tongji'`); n != 5 {
			t.Errorf("%d imported figures for 2026-10 entered by tongji, want 5", n)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'import' AND entity = 'import' AND entity_id = $1 AND actor_login = 'tongji'`, p.Token); n != 1 {
			t.Errorf("%d import entries in the audit log, want 1", n)
		}
		// The imported figure is now the current one: a correction of the demo's.
		tax := done.Rows[0].TargetID
		row, err := s.Target(ctx, tax)
		if err != nil {
			t.Fatal(err)
		}
		if row.Actual == nil || *row.Actual != 48000.5 || row.Latest.Source != "import" || row.Latest.LastYear == nil || *row.Latest.LastYear != 45100 {
			t.Errorf("入库税收 now %v (latest %+v), want the imported 48000.5", fmtp(row.Actual), row.Latest)
		}
		// Its audit entry is a correction: an update whose before is the
		// figure it replaced, so the audit log reads 本年累计 old → new.
		var action, beforeJSON string
		if err := d.QueryRowContext(context.Background(), `SELECT action, before_json FROM audit_log WHERE entity = 'figure' AND entity_id = $1`, strconv.FormatInt(row.Latest.ID, 10)).Scan(&action, &beforeJSON); err != nil {
			t.Fatal(err)
		}
		var replaced float64
		if err := d.QueryRowContext(context.Background(), `SELECT value FROM figures WHERE target_id = $1 AND period = '2026-10' AND id < $2 ORDER BY id DESC LIMIT 1`, tax, row.Latest.ID).Scan(&replaced); err != nil {
			t.Fatal(err)
		}
		var was targets.Figure
		if err := json.Unmarshal([]byte(beforeJSON), &was); err != nil || action != "update" || was.Value != replaced || was.Period != "2026-10" {
			t.Errorf("the imported correction's entry: %s, before %s (%v), want an update from %v", action, beforeJSON, err, replaced)
		}

		_, err = s.CommitImport(ctx, p.Token, targets.Confirm{})
		if platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("second commit: %v, want a conflict", err)
		}
		if got := figures(); got != before+5 {
			t.Errorf("second commit wrote %d more figures", got-before-5)
		}
		kept, err := s.Import(ctx, p.Token)
		if err != nil || !kept.Committed || kept.Figures != 5 {
			t.Errorf("after commit Import(token) = committed %v, %d figures, %v", kept.Committed, kept.Figures, err)
		}

		// Another account cannot see the file, nor commit it.
		if _, err := s.Import(as(t, d, "admin"), p.Token); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("admin reads tongji's import: %v", err)
		}
		// A leader may not import at all.
		if _, err := s.StartImport(as(t, d, "shuji"), targets.ImportInput{Filename: "x.xlsx", Data: cleanOctober(t), UnitID: res.TownshipID}); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("shuji imports: %v, want forbidden", err)
		}
	})
}

// want is a problem as the preview must name it.
type want struct {
	row    int
	column string
	key    string
}

// TestImportYearMismatch: a sheet whose header names another year than the
// one chosen is refused, naming both years, before any row is taken.
func TestImportYearMismatch(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		file := sheetFile(t, "XX镇主要经济指标完成情况", []any{"指标名称", "计量单位", "2025年1-10月累计", "去年同期"},
			[]any{"入库税收", "万元", 40000, 37000})
		p, err := s.StartImport(ctx, targets.ImportInput{Filename: "2025.xlsx", Data: file, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if p.Clean() || len(p.Problems) != 1 {
			t.Fatalf("problems %+v, want the year's only", p.Problems)
		}
		got := p.Problems[0]
		if got.Key != "import.err.year_mismatch" || got.Column != "C" || got.Header != "2025年1-10月累计" || fmt.Sprint(got.Args) != "[2025 2026]" {
			t.Errorf("problem %+v, want year_mismatch at C naming 2025 and 2026", got)
		}
	})
}

func TestImportRefusesBadRows(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		header := []any{"指标名称", "计量单位", "1-10月累计", "去年同期", "责任单位"}
		tests := []struct {
			name  string
			file  []byte
			month int
			want  []want
		}{
			{
				name: "a month in the future",
				file: sheetFile(t, "XX镇2026年1-12月主要经济指标完成情况", []any{"指标名称", "计量单位", "1-12月累计", "去年同期"},
					[]any{"入库税收", "万元", 50000, 47000},
					[]any{"新发展市场主体", "户", 1800, 1700}),
				want: []want{{3, "C", "import.err.future_month"}, {4, "C", "import.err.future_month"}},
			},
			{
				name:  "a month in the future, chosen on the form",
				file:  cleanOctober(t),
				month: 12,
				want: []want{{3, "C", "import.err.future_month"}, {4, "C", "import.err.future_month"}, {5, "C", "import.err.future_month"},
					{6, "C", "import.err.future_month"}, {7, "C", "import.err.future_month"}},
			},
			{
				name: "every other bad input",
				file: sheetFile(t, "XX镇2026年1-10月主要经济指标完成情况（分单位）", header,
					[]any{"入库税收", "万元", -5, nil, "XX镇"},          // 3: negative
					[]any{"一般公共预算收入", "万元", "12abc", nil, "XX镇"}, // 4: text in a number cell
					[]any{"入库税收", "亿元", 1.2, 1.1, "双塘村"},         // 5: 亿元 for 万元: converted, fine
					[]any{"入库税收", "户", 100, nil, "东湖村"},          // 6: 户 for 万元: refused
					[]any{"入库税收", "亿元", 1.3, nil, "双塘村"},         // 7: the same as row 5
					[]any{"不存在的指标", "万元", 5, nil, "XX镇"},         // 8: unknown indicator
					[]any{"入库税收", "万元", 5, nil, "不存在村"},          // 9: unknown unit
					[]any{"新发展市场主体", "户", 1500, 1400, "XX镇"},     // 10: fine
				),
				want: []want{
					{3, "C", "import.err.negative"},
					{4, "C", "import.err.not_a_number"},
					{6, "B", "import.err.measure_mismatch"},
					{7, "A", "import.err.duplicate_unit_row"},
					{8, "A", "import.err.unknown_indicator"},
					{9, "E", "import.err.unknown_unit"},
				},
			},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				figures := mustCount(t, d, `SELECT COUNT(*) FROM figures`)
				p, err := s.StartImport(ctx, targets.ImportInput{Filename: "bad.xlsx", Data: tc.file, UnitID: res.TownshipID, Year: 2026, Month: tc.month})
				if err != nil {
					t.Fatal(err)
				}
				if p.Clean() {
					t.Fatalf("a bad file previews clean")
				}
				var got []want
				for _, pr := range p.Problems {
					got = append(got, want{pr.Row, pr.Column, pr.Key})
				}
				if fmt.Sprint(got) != fmt.Sprint(tc.want) {
					t.Errorf("problems:\n got %v\nwant %v", got, tc.want)
				}
				_, err = s.CommitImport(ctx, p.Token, targets.Confirm{})
				if platform.ErrorCode(err) != platform.Invalid {
					t.Errorf("commit of a bad file: %v, want invalid", err)
				}
				if n := mustCount(t, d, `SELECT COUNT(*) FROM figures`); n != figures {
					t.Errorf("a refused file wrote %d figures", n-figures)
				}
				if n := mustCount(t, d, `SELECT COUNT(*) FROM imports WHERE token = $1 AND committed_at IS NULL`, p.Token); n != 1 {
					t.Errorf("a refused file is marked committed")
				}
			})
		}

		// The row in 亿元 was converted, and says so.
		p, err := s.StartImport(ctx, targets.ImportInput{Filename: "bad.xlsx", Data: tests[2].file, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if r.Row == 5 && (!r.Converted || r.Value == nil || *r.Value != 12000 || r.LastYear == nil || *r.LastYear != 11000 || len(r.Problems) != 0 || r.UnitName != "双塘村") {
				t.Errorf("row 5 (1.2 亿元): %+v, want 12000 万元 converted for 双塘村", r)
			}
			if r.Row == 10 && len(r.Problems) != 0 {
				t.Errorf("row 10 has problems: %+v", r.Problems)
			}
		}
		for _, pr := range p.Problems {
			if pr.Row == 4 && (pr.Header != "1-10月累计" || len(pr.Args) != 1 || pr.Args[0] != "12abc") {
				t.Errorf("row 4's problem: %+v", pr)
			}
		}
	})
}

// importClient is a browser-less session on the whole app.
type importClient struct {
	t          *testing.T
	base       string
	token      string
	csrf       string
	lastStatus int
}

func importServer(t *testing.T, d *db.DB, login string) (*importClient, *app.App) {
	t.Helper()
	a, err := app.New(app.Config{Log: slog.New(slog.DiscardHandler), Clock: &clock.Fixed{T: demoNow}}, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	as := &auth.Store{DB: d}
	u, err := as.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	sess, err := as.NewSession(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return &importClient{t: t, base: srv.URL, token: sess.Token, csrf: sess.CSRF}, a
}

func (c *importClient) send(req *http.Request) (int, string, http.Header) {
	c.t.Helper()
	req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.token})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (c *importClient) get(path string) (int, string, http.Header) {
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.send(req)
}

func (c *importClient) postForm(path string, form url.Values) (int, string, http.Header) {
	form.Set("csrf", c.csrf)
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req)
}

// upload posts the import form with a file, as a browser does.
func (c *importClient) upload(name string, data []byte, fields map[string]string) (int, string, http.Header) {
	c.t.Helper()
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	w.WriteField("csrf", c.csrf)
	for k, v := range fields {
		w.WriteField(k, v)
	}
	if data != nil {
		fw, _ := w.CreateFormFile("file", name)
		fw.Write(data)
	}
	w.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+"/targets/import", &body)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.send(req)
}

func TestImportPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		c, _ := importServer(t, d, "tongji")
		town := strconv.FormatInt(res.TownshipID, 10)

		status, page, _ := c.get("/targets/import")
		if status != http.StatusOK {
			t.Fatalf("GET /targets/import: %d", status)
		}
		for _, want := range []string{`enctype="multipart/form-data"`, `name="csrf"`, `<option value="` + town + `" selected>`, "按表头", "/targets/import/template.xlsx?unit=" + town + "&amp;year=2026&amp;month=10"} {
			if !strings.Contains(page, want) {
				t.Errorf("import form lacks %s", want)
			}
		}

		// No file: the form again, the field named.
		status, page, _ = c.upload("", nil, map[string]string{"unit_id": town})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, `data-testid="error-file"`) {
			t.Errorf("upload without a file: %d, want 422 with the file's error", status)
		}

		status, _, h := c.upload("10月.xlsx", cleanOctober(t), map[string]string{"unit_id": town, "year": "2026", "month": "0"})
		loc := h.Get("Location")
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/targets/import/") {
			t.Fatalf("upload: %d to %q, want a redirect to the preview", status, loc)
		}
		status, page, _ = c.get(loc)
		if status != http.StatusOK {
			t.Fatalf("preview: %d", status)
		}
		for _, want := range []string{"10月.xlsx", "2026年1-10月", `data-testid="problem-count">0<`, `data-testid="commit"`, "入库税收", "48,000.5"} {
			if !strings.Contains(page, want) {
				t.Errorf("preview lacks %s", want)
			}
		}
		figures := mustCount(t, d, `SELECT COUNT(*) FROM figures`)
		status, _, h = c.postForm(loc+"/commit", url.Values{})
		if status != http.StatusSeeOther || h.Get("Location") != loc {
			t.Fatalf("commit: %d to %q", status, h.Get("Location"))
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM figures`); n != figures+5 {
			t.Errorf("commit wrote %d figures, want 5", n-figures)
		}
		_, page, _ = c.get(loc)
		if !strings.Contains(page, "已导入5条数据") || strings.Contains(page, `data-testid="commit"`) {
			t.Errorf("committed preview does not say 已导入5条数据, or still offers to commit")
		}
		status, page, _ = c.postForm(loc+"/commit", url.Values{})
		if status != http.StatusConflict || !strings.Contains(page, "该文件已导入") {
			t.Errorf("second commit: %d, want 409 saying 该文件已导入", status)
		}

		// A bad file: the problems with row and column, no commit button, and
		// a forced commit is refused with 422 and writes nothing.
		bad := sheetFile(t, "XX镇2026年1-10月", []any{"指标名称", "计量单位", "1-10月累计"},
			[]any{"入库税收", "万元", "四万八"},
			[]any{"不存在的指标", "万元", 5})
		_, _, h = c.upload("bad.xlsx", bad, map[string]string{"unit_id": town})
		loc = h.Get("Location")
		_, page, _ = c.get(loc)
		table := page[strings.Index(page, `data-testid="problem-table"`):]
		for _, want := range []string{"<th class=\"num\">行</th><th>列</th><th>表头</th><th>问题</th>", "<td class=\"num\">3</td><td>C</td><td>1-10月累计</td><td>“四万八”不是数字", "<td class=\"num\">4</td><td>A</td><td>指标名称</td><td>指标“不存在的指标”不在指标库中"} {
			if !strings.Contains(table, want) {
				t.Errorf("problem table lacks %s", want)
			}
		}
		if strings.Contains(page, `data-testid="commit"`) {
			t.Errorf("a file with problems offers to commit")
		}
		figures = mustCount(t, d, `SELECT COUNT(*) FROM figures`)
		status, page, _ = c.postForm(loc+"/commit", url.Values{})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "未写入任何数据") {
			t.Errorf("forced commit of a bad file: %d, want 422 saying nothing was written", status)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM figures`); n != figures {
			t.Errorf("a refused commit wrote %d figures", n-figures)
		}

		// A leader sees no import form.
		leader, _ := importServer(t, d, "shuji")
		if status, _, _ := leader.get("/targets/import"); status != http.StatusForbidden {
			t.Errorf("shuji GET /targets/import: %d, want 403", status)
		}
	})
}

func TestImportTemplateAndExport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		c, _ := importServer(t, d, "tongji")
		town := strconv.FormatInt(res.TownshipID, 10)

		read := func(path string) *targets.Sheet {
			t.Helper()
			status, body, h := c.get(path)
			if status != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "spreadsheetml") || !strings.Contains(h.Get("Content-Disposition"), "attachment") {
				t.Fatalf("GET %s: %d %s %s", path, status, h.Get("Content-Type"), h.Get("Content-Disposition"))
			}
			sh, err := targets.ParseSheet(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			return sh
		}
		byName := func(sh *targets.Sheet) map[string]targets.SheetRow {
			out := map[string]targets.SheetRow{}
			for _, r := range sh.Rows {
				out[r.Indicator] = r
			}
			return out
		}

		tpl := read("/targets/import/template.xlsx?unit=" + town + "&year=2026&month=10")
		rows := byName(tpl)
		if tpl.Month != 10 || len(tpl.Rows) != 16 {
			t.Errorf("template: month %d, %d rows, want 10 and the town's 16 monthly indicators", tpl.Month, len(tpl.Rows))
		}
		if _, ok := rows["地区生产总值"]; ok {
			t.Errorf("template for October lists the quarterly 地区生产总值")
		}
		if r := rows["入库税收"]; r.MeasureUnit != "万元" || r.Value != nil {
			t.Errorf("template's 入库税收 = %+v, want 万元 and no value", r)
		}
		if sep := byName(read("/targets/import/template.xlsx?unit=" + town + "&year=2026&month=9")); len(sep) != 17 {
			t.Errorf("template for September: %d rows, want the quarterly one too (17)", len(sep))
		}

		exp := read("/targets/export.xlsx?unit=" + town + "&year=2026&month=10")
		if exp.Month != 10 || len(exp.Problems) != 0 {
			t.Errorf("export: month %d, problems %+v", exp.Month, exp.Problems)
		}
		tax := byName(exp)["入库税收"]
		if tax.Value == nil || *tax.Value <= 0 || *tax.Value > 60000 || tax.LastYear == nil {
			t.Errorf("export's 入库税收 = %+v, want October's corrected figure and last year's", tax)
		}

		// The export imports back clean: the same layout.
		s := importStore(d)
		_, body, _ := c.get("/targets/export.xlsx?unit=" + town + "&year=2026&month=10")
		p, err := s.StartImport(as(t, d, "tongji"), targets.ImportInput{Filename: "export.xlsx", Data: []byte(body), UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Clean() {
			t.Errorf("the export does not import back clean: %+v", p.Problems)
		}

		// Another township's unit is out of reach.
		other := strconv.FormatInt(res.Neighbours[0], 10)
		if status, _, _ := c.get("/targets/export.xlsx?unit=" + other); status != http.StatusNotFound {
			t.Errorf("export of a neighbour: %d, want 404", status)
		}
		if status, _, _ := c.get("/targets/import/template.xlsx?month=13"); status != http.StatusUnprocessableEntity {
			t.Errorf("template for month 13: %d, want 422", status)
		}
	})
}

// BenchmarkImport10000 times a file of 10,000 figures, from upload to commit:
// 20 indicators × 500 villages, one row each, with a unit column. The issue
// wants it under 2 s.
//
//	go test -run X -bench Import10000 -benchtime 3x ./internal/target/
func BenchmarkImport10000(b *testing.B) { benchImport(b, false) }

// BenchmarkImportTargets10000 is BenchmarkImport10000 with the year's
// targets beside the figures, each the target already set: the sheet sent
// again, every row's 年度任务数 compared and nothing to change.
//
//	go test -run X -bench ImportTargets10000 -benchtime 5x ./internal/targets/
func BenchmarkImportTargets10000(b *testing.B) { benchImport(b, true) }

func benchImport(b *testing.B, withTargets bool) {
	d := apptest.SQLite(b)
	ctx := context.Background()
	now := demoNow.UTC()
	insert := func(q string, args ...any) int64 {
		var id int64
		if err := d.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
		return id
	}
	exec := func(q string, args ...any) {
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	town := insert(`INSERT INTO units (kind, name, path, created_at, updated_at) VALUES ('township', '镇', '', $1, $1)`, now)
	townPath := "/" + strconv.FormatInt(town, 10) + "/"
	exec(`UPDATE units SET path = $1 WHERE id = $2`, townPath, town)
	user := insert(`INSERT INTO users (login, unit_id, role, password_hash, created_at, updated_at) VALUES ('tongji', $1, 'statistician', '-', $2, $2)`, town, now)
	const indicators, villages = 20, 500
	var inds []int64
	for i := 0; i < indicators; i++ {
		inds = append(inds, insert(`INSERT INTO indicators (name, measure_unit, measure, direction, cadence, additive, non_negative, sort, created_at, updated_at)
			VALUES ($1, '万元', 'cumulative', 'higher', 'monthly', TRUE, TRUE, $2, $3, $3)`, fmt.Sprintf("指标%02d", i+1), i, now))
	}
	tx, err := d.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	var rows [][]any
	for v := 0; v < villages; v++ {
		name := fmt.Sprintf("村%03d", v+1)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO units (parent_id, kind, name, path, created_at, updated_at) VALUES ($1, 'village', $2, '', $3, $3) RETURNING id`, town, name, now).Scan(&id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE units SET path = $1 WHERE id = $2`, townPath+strconv.FormatInt(id, 10)+"/", id); err != nil {
			b.Fatal(err)
		}
		for i, ind := range inds {
			if _, err := tx.ExecContext(ctx, `INSERT INTO targets (township_id, indicator_id, unit_id, year, kind, target_value, weight, note, created_at, updated_at) VALUES ($1, $2, $3, 2026, 'value', 1000, 1, '', $4, $4)`, town, ind, id, now); err != nil {
				b.Fatal(err)
			}
			rows = append(rows, []any{fmt.Sprintf("指标%02d", i+1), "万元", 800 + v, 700 + v, name})
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	s := importStore(d)
	if err := s.Rebuild(ctx); err != nil { // the targets' kept progress, as the store would have written it
		b.Fatal(err)
	}
	header := []any{"指标名称", "计量单位", "1-10月累计", "去年同期", "责任单位"}
	if withTargets {
		header = append([]any{"指标名称", "计量单位", "年度任务数"}, header[2:]...)
		for i, r := range rows {
			rows[i] = append([]any{r[0], r[1], 1000}, r[2:]...)
		}
	}
	file := sheetFile(b, "镇2026年1-10月主要经济指标完成情况", header, rows...)
	u := &auth.User{ID: user, Login: "tongji", Role: auth.Statistician, UnitID: town, UnitPath: townPath}
	uctx := auth.WithUser(ctx, u)

	for b.Loop() {
		p, err := s.StartImport(uctx, targets.ImportInput{Filename: "10000.xlsx", Data: file, UnitID: town, Year: 2026})
		if err != nil {
			b.Fatal(err)
		}
		if !p.Clean() || len(p.Rows) != indicators*villages || p.TargetsToCreate() != 0 || len(p.TargetChanges) != 0 {
			b.Fatalf("preview: clean %v, %d rows, problems %v", p.Clean(), len(p.Rows), p.Problems[:min(3, len(p.Problems))])
		}
		if _, err := s.CommitImport(uctx, p.Token, targets.Confirm{}); err != nil {
			b.Fatal(err)
		}
	}
}

// TestImportBlankAndQuarterly: a blank cell is a figure not out yet and is
// skipped; a quarterly indicator takes no figure in a month that ends no quarter.
func TestImportBlankAndQuarterly(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		header := []any{"指标名称", "计量单位", "1-10月累计", "去年同期"}
		blank := sheetFile(t, "1-10月", header,
			[]any{"入库税收", "万元", 48000, 45100},
			[]any{"地区生产总值", "亿元", nil, nil},
		)
		before := mustCount(t, d, `SELECT COUNT(*) FROM figures`)
		p, err := s.StartImport(ctx, targets.ImportInput{Filename: "blank.xlsx", Data: blank, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Clean() || p.ToWrite() != 1 || !p.Rows[1].Skipped {
			t.Fatalf("preview: clean %v, to write %d, rows %+v, problems %+v", p.Clean(), p.ToWrite(), p.Rows, p.Problems)
		}
		if _, err := s.CommitImport(ctx, p.Token, targets.Confirm{}); err != nil {
			t.Fatal(err)
		}
		if got := mustCount(t, d, `SELECT COUNT(*) FROM figures`); got != before+1 {
			t.Errorf("figures %d → %d, want only the filled row written", before, got)
		}

		quarterly := sheetFile(t, "1-10月", header, []any{"地区生产总值", "亿元", 47.1, 44.5})
		p, err = s.StartImport(ctx, targets.ImportInput{Filename: "gdp.xlsx", Data: quarterly, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if p.Clean() || len(p.Problems) != 1 || p.Problems[0].Key != "target.err.quarter_month" || p.Problems[0].Row != 3 || p.Problems[0].Column != "C" {
			t.Errorf("a quarterly figure for October: problems %+v, want one quarter_month at row 3 column C", p.Problems)
		}
	})
}

func TestQuarterlyFigureMonths(t *testing.T) {
	d := apptest.SQLite(t)
	loadDemo(t, d)
	s := importStore(d)
	ctx := as(t, d, "tongji")
	rows, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
	gdp := findRow(t, rows, "地区生产总值", "XX镇")
	if _, err := s.AddFigure(ctx, gdp.ID, targets.FigureInput{Period: "2026-10", Value: ptr(47)}); platform.AsError(err).Field != "period" {
		t.Errorf("GDP for October: %v, want refused on period", err)
	}
	if _, err := s.AddFigure(ctx, gdp.ID, targets.FigureInput{Period: "2026-09", Value: ptr(42.5), Reason: "季度核实"}); err != nil {
		t.Errorf("GDP for September (a quarter's end): %v", err)
	}
}
