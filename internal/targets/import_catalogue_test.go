package targets_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// subItemSheet is an October sheet with an alias, a sub-item larger than its
// parent and one within it.
func subItemSheet(tb testing.TB) []byte {
	return sheetFile(tb, "XX镇2026年1-10月主要经济指标完成情况",
		[]any{"指标名称", "计量单位", "1-10月累计", "去年同期"},
		[]any{"公共财政预算收入", "万元", 42000, 40500},
		[]any{"固定资产投资", "亿元", 27.3, 25.9},
		[]any{"其中：工业投资", "亿元", 30, 20},
		[]any{"  其中 工业用电量", "万千瓦时", 8, 7},
		[]any{"入库税收", "万元", 48000.5, 45100},
	)
}

// TestImportSubItemsAndAliases: a 其中 row is its indicator, under the row
// above, refused when larger than it, naming the parent and its row; a
// shared alias matches and says so; the township's own alias wins over
// another indicator's exact name, once set, on the kept preview's re-check.
func TestImportSubItemsAndAliases(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		tongji := as(t, d, "tongji")
		p, err := s.StartImport(tongji, targets.ImportInput{Filename: "10月.xlsx", Data: subItemSheet(t), UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		rows := map[int]targets.ImportRow{}
		for _, r := range p.Rows {
			rows[r.Row] = r
		}
		ind := func(name string) int64 { return indicatorNamed(t, s, tongji, name).ID }
		if r := rows[3]; r.IndicatorID != ind("一般公共预算收入") || r.Alias != "公共财政预算收入" || r.Matched != "一般公共预算收入" || r.TargetID == 0 || len(r.Problems) != 0 {
			t.Errorf("row 3 (a shared alias) = %+v", r)
		}
		if r := rows[5]; !r.Sub || r.ParentRow != 4 || r.Indicator != "工业投资" || r.IndicatorID != ind("工业投资") || r.Alias != "" {
			t.Errorf("row 5 (其中：工业投资) = %+v", r)
		}
		if r := rows[6]; !r.Sub || r.ParentRow != 4 || r.IndicatorID != ind("工业用电量") {
			t.Errorf("row 6 (其中 工业用电量) = %+v", r)
		}
		var exceeds []targets.Problem
		for _, pr := range p.Problems {
			if pr.Key == "import.err.sub_exceeds" {
				exceeds = append(exceeds, pr)
			}
		}
		// Row 6 is in another measurement unit than its parent's and is not compared.
		if len(exceeds) != 1 || exceeds[0].Row != 5 || exceeds[0].Column != "C" || len(exceeds[0].Args) != 2 || exceeds[0].Args[0] != "固定资产投资" || exceeds[0].Args[1] != 4 {
			t.Errorf("sub-item problems = %+v, want row 5, column C, naming 固定资产投资 and row 4", exceeds)
		}
		if r := rows[7]; r.IndicatorID != ind("入库税收") || r.Alias != "" {
			t.Errorf("row 7 before the township's alias = %+v", r)
		}

		// The township says its 入库税收 is 税收收入: its own alias comes first.
		if err := s.SetAliases(tongji, ind("税收收入"), []string{"入库税收"}); err != nil {
			t.Fatal(err)
		}
		again, err := s.Import(tongji, p.Token)
		if err != nil {
			t.Fatal(err)
		}
		r := again.Rows[len(again.Rows)-1]
		if r.IndicatorID != ind("税收收入") || r.Alias != "入库税收" || r.Matched != "税收收入" {
			t.Errorf("row 7 after the township's alias = %+v", r)
		}
		// 临江镇 keeps the exact name.
		other, err := s.StartImport(as(t, d, "linjiang"), targets.ImportInput{Filename: "10月.xlsx", Data: subItemSheet(t), UnitID: mustUnit(t, d, "临江镇"), Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if r := other.Rows[len(other.Rows)-1]; r.IndicatorID != ind("入库税收") {
			t.Errorf("临江镇's 入库税收 row matched %d, want the indicator 入库税收", r.IndicatorID)
		}
	})
}

// TestImportAddIndicatorFromPreview: the preview shows sub-items indented
// and alias matches, and offers, to those who keep the catalogue, a form
// per unknown name; adding it puts it in the township's own catalogue and
// the preview, checked again, now matches the row and asks for a target. A
// reporter is offered no form and refused the post.
func TestImportAddIndicatorFromPreview(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		c, _ := importServer(t, d, "tongji")
		town := itoa64(res.TownshipID)
		data := sheetFile(t, "XX镇2026年1-10月", []any{"指标名称", "计量单位", "1-10月累计"},
			[]any{"公共财政预算收入", "万元", 42000},
			[]any{"固定资产投资", "亿元", 27.3},
			[]any{"其中：工业投资", "亿元", 12},
			[]any{"其中：乡村民宿投资", "亿元", 2},
			[]any{"乡村旅游收入", "万元", 120},
			[]any{"乡村旅游收入", "万元", 120},
		)
		_, _, h := c.upload("10月.xlsx", data, map[string]string{"unit_id": town})
		loc := h.Get("Location")
		status, page, _ := c.get(loc)
		if status != http.StatusOK {
			t.Fatalf("preview: %d", status)
		}
		for _, want := range []string{`按别名“公共财政预算收入”匹配为一般公共预算收入`, `data-testid="sub-item">`, `指标“乡村旅游收入”不在指标库中`, `data-testid="add-indicator"`, `name="name" value="乡村旅游收入"`, `name="measure_unit" value="万元"`} {
			if !strings.Contains(page, want) {
				t.Errorf("preview lacks %s", want)
			}
		}
		if n := strings.Count(page, `data-testid="add-indicator"`); n != 2 {
			t.Errorf("%d add forms for two unknown names", n)
		}
		// An unknown sub-item is offered under its parent row's indicator.
		fai := itoa64(indicatorNamed(t, store(d), as(t, d, "tongji"), "固定资产投资").ID)
		if !strings.Contains(page, `name="parent_id" value="`+fai+`"`) || !strings.Contains(page, "其中项，属固定资产投资") {
			t.Errorf("the unknown sub-item is not offered under 固定资产投资")
		}
		if status, _, _ := c.postForm(loc+"/indicator", url.Values{"name": {"乡村民宿投资"}, "measure_unit": {"亿元"}, "direction": {"higher"}, "parent_id": {fai}}); status != http.StatusSeeOther {
			t.Errorf("add the sub-item: %d", status)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM indicators WHERE name = '乡村民宿投资' AND parent_id = $1`, fai); n != 1 {
			t.Errorf("the added sub-item is not under 固定资产投资")
		}

		reporter, _ := importServer(t, d, "shuangtang")
		_, _, rh := reporter.upload("10月.xlsx", data, map[string]string{"unit_id": itoa64(mustUnit(t, d, "双塘村"))})
		if rloc := rh.Get("Location"); rloc != "" {
			if _, rpage, _ := reporter.get(rloc); strings.Contains(rpage, `data-testid="add-indicator"`) {
				t.Errorf("a reporter is offered to add to the catalogue")
			}
			if status, _, _ := reporter.postForm(rloc+"/indicator", url.Values{"name": {"乡村旅游收入"}}); status != http.StatusForbidden {
				t.Errorf("a reporter adding an indicator: %d, want 403", status)
			}
		} else {
			t.Errorf("the reporter's upload was not taken")
		}

		status, _, h = c.postForm(loc+"/indicator", url.Values{"name": {"乡村旅游收入"}, "measure_unit": {"万元"}, "category": {"文旅"}, "direction": {"higher"}})
		if status != http.StatusSeeOther || h.Get("Location") != loc {
			t.Fatalf("add the indicator: %d to %q, want back to the preview", status, h.Get("Location"))
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM indicators WHERE name = '乡村旅游收入' AND township_id = $1 AND category = '文旅'`, res.TownshipID); n != 1 {
			t.Errorf("%d such indicators in XX镇's own catalogue, want 1", n)
		}
		_, page, _ = c.get(loc)
		if strings.Contains(page, "不在指标库中") || strings.Contains(page, `data-testid="add-indicator"`) {
			t.Errorf("after adding, the preview still calls the name unknown")
		}
		if !strings.Contains(page, "“乡村旅游收入”在XX镇尚无2026年目标") {
			t.Errorf("after adding, the preview does not ask for the row's target")
		}
		// Adding it twice is refused on the preview with the reason.
		status, page, _ = c.postForm(loc+"/indicator", url.Values{"name": {"乡村旅游收入"}, "direction": {"higher"}})
		if status != http.StatusConflict || !strings.Contains(page, "已有名为“乡村旅游收入”的指标") {
			t.Errorf("adding it again: %d, want 409 naming the clash", status)
		}
	})
}
