package targets_test

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// campaignFigures sets the demo's 一般公共预算收入 of XX镇 (target 46,000) to
// 1-8月 30,000 and 1-10月 37,000, by corrections. The demo's campaign runs
// 22 September to 31 December (101 days) and demoNow, 25 November, is its
// day 65 with 37 days left: by hand, 攻坚任务 46,000 − 30,000 = 16,000,
// 攻坚以来完成 37,000 − 30,000 = 7,000, and 尚需每周 (46,000 − 37,000) ÷
// (37 ÷ 7) = 1,702.70….
func campaignFigures(t *testing.T, d *db.DB, c *pageClient) string {
	t.Helper()
	id := itoa64(targetID(t, d, "一般公共预算收入", demo.TownshipName))
	for _, f := range []url.Values{{"period": {"2026-08"}, "value": {"30000"}}, {"period": {"2026-10"}, "value": {"37000"}}} {
		f.Set("reason", "统计局反馈更正")
		f.Set("correction", "1")
		f.Set("confirm", "1")
		if status, body, _ := c.post("/targets/"+id+"/figures", f); status != http.StatusSeeOther {
			t.Fatalf("figure %v: status = %d\n%s", f, status, body)
		}
	}
	return id
}

func TestTargetsListCampaignColumns(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		id := campaignFigures(t, d, c)

		t.Run("page", func(t *testing.T) {
			status, body, _ := c.get("/targets?indicator=" + itoa64(indicatorID(t, d, "一般公共预算收入")))
			if status != http.StatusOK {
				t.Fatalf("status = %d", status)
			}
			for _, h := range []string{"攻坚任务", "攻坚以来完成", "尚需每周"} {
				if !strings.Contains(body, h) {
					t.Errorf("the list has no %s column", h)
				}
			}
			row := regexp.MustCompile(`(?s)<tr[^>]*data-testid="target-row">\s*<td><a href="/targets/` + id + `">.*?</tr>`).FindString(body)
			if row == "" {
				t.Fatalf("no row for target %s", id)
			}
			for name, want := range map[string]string{"campaign-task": "16,000", "campaign-done": "7,000", "campaign-pace": "1,703"} { // 万元 shows whole
				m := regexp.MustCompile(`data-testid="` + name + `">([^<]*)<`).FindStringSubmatch(row)
				if m == nil || m[1] != want {
					t.Errorf("%s = %v, want %s", name, m, want)
				}
			}
		})
		t.Run("a ceiling has none", func(t *testing.T) {
			_, body, _ := c.get("/targets?indicator=" + itoa64(indicatorID(t, d, "安全生产事故起数")))
			if !strings.Contains(body, "攻坚任务") {
				t.Fatal("the campaign's columns are missing")
			}
			if strings.Contains(body, `data-testid="campaign-task"`) {
				t.Error("a ceiling shows a campaign task")
			}
		})
		t.Run("another year has no campaign columns", func(t *testing.T) {
			_, body, _ := c.get("/targets?year=2025")
			if strings.Contains(body, "攻坚任务") {
				t.Error("a year without a campaign shows its columns")
			}
		})
		t.Run("api", func(t *testing.T) {
			var got struct {
				ID       int64                 `json:"id"`
				Campaign *targets.CampaignJSON `json:"campaign"`
			}
			status, body, _ := c.get("/api/v1/targets/" + id)
			if status != http.StatusOK {
				t.Fatalf("status = %d\n%s", status, body)
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatal(err)
			}
			cp := got.Campaign
			if cp == nil {
				t.Fatalf("campaign = null in %s", body)
			}
			if cp.Task == nil || *cp.Task != 16000 || cp.Done == nil || *cp.Done != 7000 || cp.PacePerWeek == nil || math.Abs(*cp.PacePerWeek-9000.0*7/37) > 1e-9 {
				t.Errorf("campaign = %s, want task 16000, done 7000, pace_per_week 1702.70…", body)
			}
			if math.Abs(cp.ShareOfDays-65.0/101) > 1e-12 || cp.StartMonth != 8 || cp.OnPace {
				t.Errorf("campaign = %s, want share_of_days 65/101 from 1-8月, behind (7,000/16,000 = 43.75%% < 64.4%%)", body)
			}
			ceiling := itoa64(targetID(t, d, "安全生产事故起数", demo.TownshipName))
			_, body, _ = c.get("/api/v1/targets/" + ceiling)
			if !strings.Contains(body, `"campaign":null`) {
				t.Errorf("a ceiling's campaign = %s, want null", body)
			}
		})
		t.Run("download", func(t *testing.T) {
			status, body, _ := c.get("/targets.xlsx?indicator=" + itoa64(indicatorID(t, d, "一般公共预算收入")))
			if status != http.StatusOK {
				t.Fatalf("status = %d", status)
			}
			f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(f.GetSheetName(0), excelize.Options{RawCellValue: true})
			if err != nil || len(rows) < 3 {
				t.Fatalf("rows = %q, %v", rows, err)
			}
			col := map[string]int{}
			for i, h := range rows[1] {
				col[h] = i
			}
			for name, want := range map[string]string{"攻坚任务": "16000", "攻坚以来完成": "7000", "尚需每周": "1702.70"} {
				i, ok := col[name]
				if !ok {
					t.Errorf("the download has no %s column: %q", name, rows[1])
					continue
				}
				found := false
				for _, r := range rows[2:] {
					if i < len(r) && strings.HasPrefix(r[i], want) {
						found = true
					}
				}
				if !found {
					t.Errorf("no row with %s = %s", name, want)
				}
			}
		})
	})
}

func indicatorID(t *testing.T, d *db.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(t.Context(), `SELECT id FROM indicators WHERE name = $1 AND township_id IS NULL`, name).Scan(&id); err != nil {
		t.Fatalf("indicator %s: %v", name, err)
	}
	return id
}

// TestCampaignRowsRollUp: a target without figures of its own rolls its
// children's up, and so does the figure its campaign starts from. A new
// township indicator for XX镇 (target 100) split to 双塘村 and 东湖村, whose
// 1-8月 are 10 and 20 and 1-10月 30 and 25: by hand the start is 30, the
// latest 55, 攻坚任务 70, 攻坚以来完成 25 and 尚需每周 45 ÷ (37 ÷ 7).
func TestCampaignRowsRollUp(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		ctx := as(t, d, "admin")
		s := &targets.Store{DB: d, Now: func() time.Time { return demoNow }}
		tw := res.TownshipID
		ind, err := s.SaveIndicator(ctx, targets.Indicator{TownshipID: &tw, Name: "攻坚汇总测试", MeasureUnit: "万元", Measure: targets.MeasureCumulative,
			Direction: targets.Higher, Cadence: targets.Monthly, Additive: true})
		if err != nil {
			t.Fatal(err)
		}
		value := func(v float64) *float64 { return &v }
		parent, err := s.CreateTarget(ctx, targets.TargetInput{IndicatorID: ind.ID, UnitID: tw, Year: 2026, Kind: targets.KindValue, Value: value(100)})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			unit            string
			share, aug, oct float64
		}{{"双塘村", 60, 10, 30}, {"东湖村", 40, 20, 25}} {
			child, err := s.CreateTarget(ctx, targets.TargetInput{IndicatorID: ind.ID, UnitID: unitIDByName(t, d, c.unit), ParentID: &parent.ID, Year: 2026, Kind: targets.KindValue, Value: value(c.share)})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range []targets.FigureInput{{Period: "2026-08", Value: value(c.aug), Confirm: true}, {Period: "2026-10", Value: value(c.oct), Confirm: true}} {
				if _, err := s.AddFigure(ctx, child.ID, f); err != nil {
					t.Fatal(err)
				}
			}
		}
		rows, err := s.Targets(ctx, targets.Filter{IndicatorID: &ind.ID}, db.All(10))
		if err != nil {
			t.Fatal(err)
		}
		got, found, err := s.CampaignRows(ctx, rows, 2026)
		if err != nil || !found {
			t.Fatalf("CampaignRows: found %v, %v", found, err)
		}
		p := got[parent.ID]
		if p == nil {
			t.Fatalf("no campaign progress for the rolled-up target; rows %+v", rows)
		}
		if p.StartFigure == nil || *p.StartFigure != 30 || p.Task == nil || *p.Task != 70 || p.Done == nil || *p.Done != 25 ||
			p.PacePerWeek == nil || math.Abs(*p.PacePerWeek-45.0*7/37) > 1e-9 {
			t.Errorf("rolled up: start %v, task %v, done %v, pace %v; want 30, 70, 25, 8.51…", show(p.StartFigure), show(p.Task), show(p.Done), show(p.PacePerWeek))
		}
		if len(got) != 3 {
			t.Errorf("measured %d rows, want the parent and its two children", len(got))
		}
	})
}

func show(v *float64) string {
	if v == nil {
		return "nil"
	}
	return strconv.FormatFloat(*v, 'g', -1, 64)
}
