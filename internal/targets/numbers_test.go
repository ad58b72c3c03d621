package targets_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// apiGet reads one API document as login, by a bearer token.
func apiGet(t *testing.T, c *pageClient, d *db.DB, login, path string, out any) {
	t.Helper()
	as := &auth.Store{DB: d}
	u, err := as.UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := as.CreateToken(context.Background(), u.ID, "numbers test")
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d", path, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatal(err)
	}
}

// TestForecastNoteShown: a forecast that cannot follow last year's shape
// (its total below its same period) says why, on the target's page, in the
// list, on the board and in the API, and is never below what is done.
func TestForecastNoteShown(t *testing.T) {
	d := apptest.SQLite(t)
	a, login := pageServer(t, d)
	tongji := as(t, d, "tongji")
	id := targetID(t, d, "城镇新增就业", "XX镇")
	// Last year's same period above any total the demo gives last year.
	// These tests set the demo's October to the number they need, whatever
	// the months around it: a correction with a reason, confirmed.
	if _, err := a.Targets.AddFigure(tongji, id, targets.FigureInput{Period: "2026-10", Value: ptr(1508), LastYear: ptr(1600), Reason: "test", Correction: true, Confirm: true}); err != nil {
		t.Fatal(err)
	}
	c := login("tongji")
	why := "上年全年数低于去年同期，不按上年节奏，按序时预计"

	_, page, _ := c.get("/targets/" + itoa64(id))
	if !strings.Contains(page, `data-testid="forecast-note">`+why) {
		t.Errorf("target page: no forecast note %q", why)
	}
	if strings.Contains(page, "预计全年（按上年节奏）") {
		t.Errorf("target page shows a seasonal forecast though last year's total is below its same period")
	}
	_, list, _ := c.get("/targets?indicator=" + itoa64(indicatorOf(t, d, id)))
	if !strings.Contains(list, `title="`+why+`" data-forecast-note="total_below_same"`) {
		t.Errorf("list: no forecast note on the forecast cell")
	}
	_, board, _ := login("shuji").get("/")
	if !strings.Contains(board, `data-testid="forecast-note" title="`+why+`"`) {
		t.Errorf("board: no forecast note on the forecast cell")
	}
	var got targets.TargetJSON
	apiGet(t, c, d, "tongji", "/api/v1/targets/"+itoa64(id), &got)
	if got.ForecastNote != "total_below_same" {
		t.Errorf("API forecast_note: got %q, want total_below_same", got.ForecastNote)
	}
	if got.Forecast == nil || *got.Forecast < 1508 {
		t.Errorf("API forecast: got %v, want at least the 1,508 done", got.Forecast)
	}
}

func indicatorOf(t *testing.T, d *db.DB, target int64) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT indicator_id FROM targets WHERE id = $1`, target).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestMetIsNotOverAchieved: exactly 100% reads 完成, beyond it 超额, on the
// target's page and in the API.
func TestMetIsNotOverAchieved(t *testing.T) {
	d := apptest.SQLite(t)
	a, login := pageServer(t, d)
	tongji := as(t, d, "tongji")
	c := login("tongji")
	id := targetID(t, d, "新发展市场主体", "XX镇")
	for _, tt := range []struct {
		value     float64
		tag       string
		met, over bool
	}{
		{1800, `data-testid="met">完成`, true, false},
		{1801, `data-testid="over-achieved">超额`, true, true},
	} {
		if _, err := a.Targets.AddFigure(tongji, id, targets.FigureInput{Period: "2026-10", Value: ptr(tt.value), Reason: "test", Correction: true, Confirm: true}); err != nil {
			t.Fatal(err)
		}
		_, page, _ := c.get("/targets/" + itoa64(id))
		if !strings.Contains(page, tt.tag) {
			t.Errorf("%v of 1,800: the page has no %s", tt.value, tt.tag)
		}
		var got targets.TargetJSON
		apiGet(t, c, d, "tongji", "/api/v1/targets/"+itoa64(id), &got)
		if got.Met != tt.met || got.OverAchieved != tt.over {
			t.Errorf("%v of 1,800: API met %v, over_achieved %v; want %v, %v", tt.value, got.Met, got.OverAchieved, tt.met, tt.over)
		}
	}
}

// TestYoYFromZeroBaseIsNone: a figure whose last year's same period is 0
// shows no growth: "—" on the page, null in the API, an empty cell in the
// download.
func TestYoYFromZeroBaseIsNone(t *testing.T) {
	d := apptest.SQLite(t)
	a, login := pageServer(t, d)
	tongji := as(t, d, "tongji")
	c := login("tongji")
	id := targetID(t, d, "新增四上企业", "XX镇")
	if _, err := a.Targets.AddFigure(tongji, id, targets.FigureInput{Period: "2026-10", Value: ptr(9), LastYear: ptr(0), Reason: "test", Correction: true, Confirm: true}); err != nil {
		t.Fatal(err)
	}
	_, page, _ := c.get("/targets/" + itoa64(id))
	if !strings.Contains(page, `<div class="k">同比增长</div><div class="v">—</div>`) {
		t.Errorf("target page: YoY from a zero base is not shown as —")
	}
	var raw map[string]any
	apiGet(t, c, d, "tongji", "/api/v1/targets/"+itoa64(id), &raw)
	if v, ok := raw["yoy_growth"]; !ok || v != nil {
		t.Errorf("API yoy_growth: got %v (present %v), want null", v, ok)
	}
	status, body, _ := c.get("/targets.xlsx?indicator=" + itoa64(indicatorOf(t, d, id)))
	if status != http.StatusOK {
		t.Fatalf("download: %d", status)
	}
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[1], "同比增长")
	if col < 0 {
		t.Fatalf("header %q has no 同比增长", rows[1])
	}
	found := false
	for _, r := range rows[2:] {
		if len(r) > 2 && r[1] == "新增四上企业" && r[2] == "XX镇" {
			found = true
			if col < len(r) && r[col] != "" {
				t.Errorf("download: 同比增长 from a zero base is %q, want an empty cell", r[col])
			}
		}
	}
	if !found {
		t.Errorf("download: no row of 新增四上企业 for XX镇 in %q", rows)
	}
}

// TestCeilingReadsAsCeiling: 安全生产事故起数 (at most 6) shows its allowance,
// not a pace to reach; its gap under the schedule is not red; and the page,
// the list, the board and the API say when the forecast or the actual passes
// the ceiling.
func TestCeilingReadsAsCeiling(t *testing.T) {
	d := apptest.SQLite(t)
	a, login := pageServer(t, d)
	tongji := as(t, d, "tongji")
	c := login("tongji")
	id := targetID(t, d, "安全生产事故起数", "XX镇")
	var target float64
	if err := d.QueryRowContext(context.Background(), `SELECT target_value FROM targets WHERE id = $1`, id).Scan(&target); err != nil {
		t.Fatal(err)
	}
	if target != 6 {
		t.Fatalf("the demo's ceiling is %v, this test reads 6", target)
	}
	tests := []struct {
		actual    float64
		light     targets.Light
		allowance float64
		perMonth  float64
		note      string
		page      []string
	}{
		{2, targets.Green, 4, 2, "", []string{`data-testid="stat-allowance"><div class="k">剩余额度</div><div class="v small-v">4</div>`, "上限指标：低于序时为好"}},
		{5.4, targets.Red, 0.6, 0.3, "forecast", []string{`data-testid="ceiling-note">按预计全年将超过全年上限，亮红灯`, "预计超上限"}},
		{7, targets.Red, -1, 0, "passed", []string{`data-testid="ceiling-note">已超过全年上限`, "已超出1"}},
	}
	for _, tt := range tests {
		if _, err := a.Targets.AddFigure(tongji, id, targets.FigureInput{Period: "2026-10", Value: ptr(tt.actual), Reason: "test", Correction: true, Confirm: true}); err != nil {
			t.Fatal(err)
		}
		var got targets.TargetJSON
		apiGet(t, c, d, "tongji", "/api/v1/targets/"+itoa64(id), &got)
		if got.Light == nil || *got.Light != tt.light || got.CeilingNote != tt.note || got.PaceNeeded != nil ||
			!about(got.Allowance, tt.allowance) || !about(got.AllowancePace, tt.perMonth) {
			t.Errorf("%v accidents: API light %s, ceiling_note %q, pace_needed %s, allowance %s, allowance_per_month %s; want %s, %q, null, %v, %v",
				tt.actual, shownLight(got.Light), got.CeilingNote, shownNum(got.PaceNeeded), shownNum(got.Allowance), shownNum(got.AllowancePace), tt.light, tt.note, tt.allowance, tt.perMonth)
		}
		_, page, _ := c.get("/targets/" + itoa64(id))
		for _, want := range tt.page {
			if !strings.Contains(page, want) {
				t.Errorf("%v accidents: the page lacks %s", tt.actual, want)
			}
		}
		if strings.Contains(page, "尚需月均") {
			t.Errorf("%v accidents: the page shows a pace to reach for a ceiling", tt.actual)
		}
		if tt.light == targets.Green && strings.Contains(page, `class="stat red" data-testid="stat-gap"`) {
			t.Errorf("%v accidents: a red gap beside a green light", tt.actual)
		}
		_, list, _ := c.get("/targets?indicator=" + itoa64(indicatorOf(t, d, id)))
		if !strings.Contains(list, `<span class="sub" data-testid="allowance">剩余额度</span>`) {
			t.Errorf("%v accidents: the list's pace column has no labelled allowance", tt.actual)
		}
		if tt.note == "forecast" {
			_, board, _ := login("shuji").get("/")
			if !strings.Contains(board, `data-testid="ceiling-note" title="按预计全年将超过全年上限，亮红灯">预计超上限`) {
				t.Errorf("%v accidents: the board does not say the forecast passes the ceiling", tt.actual)
			}
		}
	}
}

func about(got *float64, want float64) bool {
	return got != nil && math.Abs(*got-want) < 1e-9
}

func shownNum(v *float64) string {
	if v == nil {
		return "null"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}

func shownLight(l *targets.Light) string {
	if l == nil {
		return "null"
	}
	return string(*l)
}

// TestGapInPercentagePoints: 9 of 12 at 1–10月 is 75.0% against a schedule of
// 83.3%: 8.3 percentage points behind, on the page, in the list and in the
// download (a number under a header that names the unit), never "-8.3%".
func TestGapInPercentagePoints(t *testing.T) {
	d := apptest.SQLite(t)
	a, login := pageServer(t, d)
	tongji := as(t, d, "tongji")
	c := login("tongji")
	id := targetID(t, d, "新增四上企业", "XX镇")
	if _, err := a.Targets.AddFigure(tongji, id, targets.FigureInput{Period: "2026-10", Value: ptr(9), Reason: "test", Correction: true, Confirm: true}); err != nil {
		t.Fatal(err)
	}
	_, page, _ := c.get("/targets/" + itoa64(id))
	if !strings.Contains(page, `data-testid="gap-points">-8.3个百分点</div>`) {
		t.Errorf("target page: the gap is not -8.3个百分点")
	}
	_, list, _ := c.get("/targets?indicator=" + itoa64(indicatorOf(t, d, id)))
	if !strings.Contains(list, `data-testid="gap-points">-8.3个百分点</td>`) {
		t.Errorf("list: the gap is not -8.3个百分点")
	}
	if strings.Contains(page+list, "-8.3%") {
		t.Errorf("the gap still reads as a percentage somewhere")
	}
	_, body, _ := c.get("/targets.xlsx?indicator=" + itoa64(indicatorOf(t, d, id)))
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	col := slices.Index(rows[1], "较序时（个百分点）")
	if col < 0 {
		t.Fatalf("header %q has no 较序时（个百分点）", rows[1])
	}
	cell, _ := excelize.CoordinatesToCellName(col+1, 3)
	raw, _ := f.GetCellValue(sheet, cell, excelize.Options{RawCellValue: true})
	if v, err := strconv.ParseFloat(raw, 64); err != nil || v != -8.3 {
		t.Errorf("download %s: got %q, want the number -8.3", cell, raw)
	}
}
