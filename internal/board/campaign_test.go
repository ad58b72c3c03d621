package board_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestBoardCampaignPart: beside its countdown the board counts the
// township's own targets on the campaign's clock, and lists 攻坚任务,
// 攻坚以来完成 and 尚需每周 for each. The demo's 一般公共预算收入 (46,000)
// set to 1-8月 30,000 and 1-10月 37,000: on 25 November, day 65 of 101
// with 37 days left, by hand 攻坚任务 16,000, 攻坚以来完成 7,000 (43.8%,
// behind 64.4% of the days), 尚需每周 9,000 ÷ (37 ÷ 7) = 1,702.7.
func TestBoardCampaignPart(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res, err := demo.Load(context.Background(), d, demoNow)
		if err != nil {
			t.Fatal(err)
		}
		a := mustApp(t, d, demoNow)
		ctx := auth.WithUser(context.Background(), mustUser(t, d, "tongji"))
		var id int64
		if err := d.QueryRowContext(ctx, `SELECT t.id FROM targets t JOIN indicators i ON i.id = t.indicator_id JOIN units u ON u.id = t.unit_id
			WHERE i.name = '一般公共预算收入' AND u.name = 'XX镇' AND t.person_id IS NULL`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		for _, f := range []struct {
			period string
			value  float64
		}{{"2026-08", 30000}, {"2026-10", 37000}} {
			v := f.value
			in := targets.FigureInput{Period: f.period, Value: &v, Reason: "统计局反馈更正", Correction: true, Confirm: true}
			if _, err := a.Targets.AddFigure(ctx, id, in); err != nil {
				t.Fatal(err)
			}
		}
		shuji := mustUser(t, d, "shuji")
		page := mustGet(t, a, shuji, "/")

		row := regexp.MustCompile(`(?s)<tr data-testid="campaign-row" data-target="` + strconv.FormatInt(id, 10) + `">.*?</tr>`).FindString(page)
		if row == "" {
			t.Fatalf("no campaign row for 一般公共预算收入 in\n%s", page)
		}
		cells := regexp.MustCompile(`<td class="[^"]*">([^<]*)</td>`).FindAllStringSubmatch(row, -1)
		var got []string
		for _, c := range cells {
			got = append(got, c[1])
		}
		want := []string{"46,000", "30,000", "16,000", "7,000", "43.8%", "1,703"} // 万元 shows whole
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("campaign row cells = %q, want %q", got, want)
		}
		if !strings.Contains(row, "落后") {
			t.Errorf("row = %s, want it behind (落后)", row)
		}

		// The tile counts the table's rows on pace against those measured.
		rows := regexp.MustCompile(`<tr data-testid="campaign-row"`).FindAllStringIndex(page, -1)
		onPace := strings.Count(page, `<span class="tag tag-green">达标</span>`) + strings.Count(page, `<span class="tag tag-green">已完成</span>`)
		unknown := strings.Count(page, `<span class="muted">缺起点数据</span>`)
		tile := regexp.MustCompile(`(?s)data-testid="campaign-on-pace">.*?<div class="v">(\d+)<small>/ (\d+) 项</small>`).FindStringSubmatch(page)
		if tile == nil {
			t.Fatal("no campaign tile beside the countdown")
		}
		if tile[1] != strconv.Itoa(onPace) || tile[2] != strconv.Itoa(len(rows)-unknown) {
			t.Errorf("tile = %s/%s, the table has %d on pace of %d measured", tile[1], tile[2], onPace, len(rows)-unknown)
		}
		if onPace == 0 || onPace == len(rows)-unknown {
			t.Errorf("the demo has %d of %d on pace: want some on pace and some behind", onPace, len(rows)-unknown)
		}
		if !strings.Contains(page, "时间进度64.4%") || !strings.Contains(page, "自2026年1-8月起算") {
			t.Errorf("the part does not say 64.4%% of the days gone from 1-8月")
		}
		for _, ceiling := range []string{"安全生产事故起数", "地区生产总值"} {
			if strings.Contains(regexp.MustCompile(`(?s)data-testid="campaign-table".*?</table>`).FindString(page), ceiling) {
				t.Errorf("%s has no campaign task but is in the campaign table", ceiling)
			}
		}

		// A campaign moved to start on 1 October starts from 1-9月: the
		// kept part follows the campaign's dates.
		admin := auth.WithUser(context.Background(), mustUser(t, d, "admin"))
		cs, _, err := a.Org.FindCampaigns(admin, org.CampaignFilter{TownshipID: &res.TownshipID})
		if err != nil || len(cs) == 0 {
			t.Fatalf("campaigns: %v, %v", cs, err)
		}
		c := cs[0]
		if err := a.Org.UpdateCampaign(admin, c.ID, org.CampaignInput{Name: c.Name, Start: "2026-10-01", End: "2026-12-31"}); err != nil {
			t.Fatal(err)
		}
		if page := mustGet(t, a, shuji, "/"); !strings.Contains(page, "自2026年1-9月起算") {
			t.Error("after moving the campaign's start the board still counts from 1-8月")
		}
	})
}
