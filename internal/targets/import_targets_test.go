package targets_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// yearHeader is a township sheet with the year's target beside the figures.
var yearHeader = []any{"指标名称", "计量单位", "年度任务数", "1-10月累计", "去年同期"}

// TestImportTargetDecisions: per row, the sheet's 年度任务数 creates the
// year's target where the unit has none, does nothing where the target has
// it (within the indicator's precision, after converting the sheet's
// measurement unit), offers a change where it differs, and is refused,
// naming its row and column, where it cannot be a target.
func TestImportTargetDecisions(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		tests := []struct {
			name    string
			row     []any
			action  targets.TargetAction
			target  *float64 // the row's TargetValue, in the indicator's unit
			skipped bool
			problem string // "column key" of the row's one problem
			change  string // the change's message args
			note    string // a note's key
		}{
			{name: "no target yet: created, with the figure", row: []any{"税收收入", "万元", 30000, 25000, 23000},
				action: targets.TargetCreate, target: ptr(30000)},
			{name: "no target yet, target only, converted from 万元 to 亿元", row: []any{"建筑业总产值", "万元", 150000, nil, nil},
				action: targets.TargetCreate, target: ptr(15), skipped: true},
			{name: "no target and no 年度任务数: refused as before", row: []any{"服务业营业收入", "亿元", nil, 12, 11},
				problem: "A target.err.import_no_target"},
			{name: "the same", row: []any{"入库税收", "万元", 52000, 48000, 45100}, action: targets.TargetSame, target: ptr(52000)},
			{name: "the same within 万元's whole number", row: []any{"入库税收", "万元", 52000.4, 48000, 45100}, action: targets.TargetSame, target: ptr(52000.4)},
			{name: "the same after converting 万元 to 亿元", row: []any{"固定资产投资", "万元", 320000, 273000, 259000}, action: targets.TargetSame, target: ptr(32)},
			{name: "the same within 亿元's two decimals", row: []any{"规上工业总产值", "亿元", 180.004, nil, nil}, action: targets.TargetSame, target: ptr(180.004), skipped: true},
			{name: "a change beyond 亿元's two decimals", row: []any{"规上工业总产值", "亿元", 180.01, nil, nil},
				action: targets.TargetChange, target: ptr(180.01), skipped: true, change: "[180.00 180.01 亿元]"},
			{name: "a change", row: []any{"新发展市场主体", "户", 1850, 1700, 1620},
				action: targets.TargetChange, target: ptr(1850), change: "[1,800 1,850 户]"},
			{name: "a change past the strive-for value: refused", row: []any{"一般公共预算收入", "万元", 60000, nil, nil},
				problem: "C target.err.strive_below_must", skipped: true},
			{name: "text: refused", row: []any{"入库税收", "万元", "五万二", 48000, 45100}, problem: "C import.err.not_a_number"},
			{name: "negative: refused", row: []any{"入库税收", "万元", -52000, 48000, 45100}, problem: "C import.err.negative_target"},
			{name: "a growth-rate target is not overwritten", row: []any{"地区生产总值", "亿元", 50, nil, nil},
				action: targets.TargetKept, target: ptr(50), skipped: true, note: "import.target.growth_kept"},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				file := sheetFile(t, "XX镇2026年1-10月主要经济指标完成情况", yearHeader, tc.row)
				p, err := s.StartImport(ctx, targets.ImportInput{Filename: "year.xlsx", Data: file, UnitID: res.TownshipID, Year: 2026})
				if err != nil {
					t.Fatal(err)
				}
				if len(p.Rows) != 1 {
					t.Fatalf("rows %+v", p.Rows)
				}
				r := p.Rows[0]
				var problems []string
				for _, pr := range p.Problems {
					problems = append(problems, pr.Column+" "+pr.Key)
					if pr.Row != 3 || (pr.Column == "C" && pr.Header != "年度任务数") {
						t.Errorf("problem %+v not at row 3 (and the header 年度任务数 for column C)", pr)
					}
				}
				if tc.problem != "" {
					if fmt.Sprint(problems) != "["+tc.problem+"]" || p.Clean() {
						t.Errorf("problems %v (clean %v), want [%s]", problems, p.Clean(), tc.problem)
					}
					if r.TargetAction == targets.TargetCreate || r.TargetAction == targets.TargetChange {
						t.Errorf("a refused row still %s its target", r.TargetAction)
					}
					return
				}
				if len(problems) > 0 {
					t.Fatalf("problems %v", problems)
				}
				if r.TargetAction != tc.action || fmtp(r.TargetValue) != fmtp(tc.target) || r.Skipped != tc.skipped {
					t.Errorf("row: action %q, target %v, skipped %v; want %q, %v, %v", r.TargetAction, fmtp(r.TargetValue), r.Skipped, tc.action, fmtp(tc.target), tc.skipped)
				}
				switch {
				case tc.change != "":
					if len(p.TargetChanges) != 1 || p.TargetChanges[0].Key != "import.target.change" || fmt.Sprint(p.TargetChanges[0].Args) != tc.change ||
						p.TargetChanges[0].Column != "C" || p.TargetChanges[0].Row != 3 || r.TargetWas == nil {
						t.Errorf("changes %+v (was %v), want one at C3 with %s", p.TargetChanges, fmtp(r.TargetWas), tc.change)
					}
				case len(p.TargetChanges) > 0:
					t.Errorf("changes %+v, want none", p.TargetChanges)
				}
				var notes []string
				for _, m := range p.Mismatches {
					notes = append(notes, m.Key)
				}
				if want := strings.TrimSpace(tc.note); fmt.Sprint(notes) != "["+want+"]" {
					t.Errorf("notes %v, want [%s]", notes, want)
				}
				if n := p.TargetsToCreate(); (n == 1) != (tc.action == targets.TargetCreate) || n > 1 {
					t.Errorf("TargetsToCreate = %d", n)
				}
			})
		}

		// Someone who reports figures but keeps no targets has the
		// column compared, never written: a difference is a note, and a
		// row without a target is refused as before.
		reporter := as(t, d, "shuangtang")
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		var village targets.Row
		for _, r := range rows {
			if r.UnitName == "双塘村" && r.PersonID == nil && r.Kind == targets.KindValue && r.Indicator.Cadence == targets.Monthly {
				village = r
				break
			}
		}
		if village.ID == 0 {
			t.Fatal("no monthly value target of 双塘村 in the demo")
		}
		file := sheetFile(t, "双塘村2026年1-10月", yearHeader,
			[]any{village.Indicator.Name, village.Indicator.MeasureUnit, village.Value * 2, nil, nil},
			[]any{"综合能耗", "吨标准煤", 900, nil, nil})
		p, err := s.StartImport(reporter, targets.ImportInput{Filename: "v.xlsx", Data: file, UnitID: village.UnitID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Rows) != 2 || p.Rows[0].TargetAction != targets.TargetKept || len(p.Rows[0].Mismatches) != 1 || p.Rows[0].Mismatches[0].Key != "import.target.not_allowed" {
			t.Errorf("the reporter's differing target: %+v", p.Rows[0])
		}
		if len(p.Problems) != 1 || p.Problems[0].Row != 4 || p.Problems[0].Key != "target.err.import_no_target" || len(p.TargetChanges) != 0 || p.TargetsToCreate() != 0 {
			t.Errorf("the reporter's new target: problems %+v, changes %+v, creates %d", p.Problems, p.TargetChanges, p.TargetsToCreate())
		}
	})
}

// TestImportTargetCommit: one commit creates the targets the sheet brings,
// puts the row's figure on the new one, and changes a target only with its
// confirmation; a refused row leaves nothing written. Each target is
// audited as the form's are.
func TestImportTargetCommit(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		count := func(q string, args ...any) int { return mustCount(t, d, q, args...) }
		type state struct{ targets, figures, audit int }
		now := func() state {
			return state{count(`SELECT COUNT(*) FROM targets`), count(`SELECT COUNT(*) FROM figures`), count(`SELECT COUNT(*) FROM audit_log`)}
		}
		rows, err := s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		market := findRow(t, rows, "新发展市场主体", "XX镇")

		// A refused row holds up the whole file: nothing is created.
		before := now()
		bad := sheetFile(t, "XX镇2026年1-10月", yearHeader,
			[]any{"税收收入", "万元", 30000, 25000, 23000},
			[]any{"入库税收", "万元", -1, 48000, 45100})
		p, err := s.StartImport(ctx, targets.ImportInput{Filename: "bad.xlsx", Data: bad, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if p.Clean() {
			t.Fatal("a sheet with a negative target previews clean")
		}
		if _, err := s.CommitImport(ctx, p.Token, targets.Confirm{Figures: true, Targets: true}); platform.ErrorCode(err) != platform.Invalid {
			t.Errorf("commit of a refused file: %v, want invalid", err)
		}
		if got := now(); got != before {
			t.Errorf("a refused file wrote: %+v → %+v", before, got)
		}

		good := sheetFile(t, "XX镇2026年1-10月", yearHeader,
			[]any{"税收收入", "万元", 30000, 25000, 23000},   // 3: creates the target, with October's figure
			[]any{"建筑业总产值", "万元", 150000, nil, nil},    // 4: creates 15 亿元, no figure
			[]any{"新发展市场主体", "户", 1850, 1700, 1620},    // 5: changes 1800 → 1850
			[]any{"入库税收", "万元", 52000, 48000.5, 45100}) // 6: the same
		p, err = s.StartImport(ctx, targets.ImportInput{Filename: "year.xlsx", Data: good, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		if !p.Clean() || p.TargetsToCreate() != 2 || len(p.TargetChanges) != 1 || p.ToWrite() != 3 {
			t.Fatalf("preview: clean %v, creates %d, changes %+v, figures %d; problems %+v", p.Clean(), p.TargetsToCreate(), p.TargetChanges, p.ToWrite(), p.Problems)
		}

		// Without the targets' confirmation nothing is written.
		_, err = s.CommitImport(ctx, p.Token, targets.Confirm{Figures: true})
		if e := platform.AsError(err); e.Code != platform.Invalid || e.Detail != targets.DetailTargetChange || e.Field != "confirm_targets" {
			t.Fatalf("commit without confirming the change: %v, want invalid on confirm_targets", err)
		}
		if got := now(); got != before {
			t.Errorf("an unconfirmed commit wrote: %+v → %+v", before, got)
		}

		done, err := s.CommitImport(ctx, p.Token, targets.Confirm{Targets: true})
		if err != nil {
			t.Fatal(err)
		}
		if !done.Committed || done.Figures != 3 || done.TargetsCreated != 2 || done.TargetsChanged != 1 {
			t.Errorf("commit: committed %v, %d figures, %d created, %d changed", done.Committed, done.Figures, done.TargetsCreated, done.TargetsChanged)
		}
		after := now()
		if after.targets != before.targets+2 || after.figures != before.figures+3 {
			t.Errorf("commit: %+v → %+v, want 2 targets and 3 figures more", before, after)
		}
		rows, err = s.Targets(ctx, targets.Filter{}, db.All(100000))
		if err != nil {
			t.Fatal(err)
		}
		tax, err := s.Target(ctx, findRow(t, rows, "税收收入", "XX镇").ID)
		if err != nil {
			t.Fatal(err)
		}
		if tax.Value != 30000 || tax.Kind != targets.KindValue || tax.Year != 2026 || tax.Weight != 1 || tax.LeaderID != nil || tax.Actual == nil || *tax.Actual != 25000 || tax.Latest == nil || tax.Latest.Source != "import" {
			t.Errorf("税收收入 created as %+v (actual %v), want 30000 with October's 25000 on it", tax.Target, fmtp(tax.Actual))
		}
		if c := findRow(t, rows, "建筑业总产值", "XX镇"); c.Value != 15 || c.Latest != nil {
			t.Errorf("建筑业总产值 created as %+v, want 15 亿元 and no figure", c.Target)
		}
		if m := findRow(t, rows, "新发展市场主体", "XX镇"); m.Value != 1850 || m.ID != market.ID || m.Strive == nil || *m.Strive != *market.Strive {
			t.Errorf("新发展市场主体 is %+v, want 1850 on the same target, its 力争 kept", m.Target)
		}
		if tx := findRow(t, rows, "入库税收", "XX镇"); tx.Value != 52000 {
			t.Errorf("入库税收's target is %v, want 52000 untouched", tx.Value)
		}

		// Audited as the form's: a create per new target, an update of the
		// changed value, and the import's entry counting both.
		if n := count(`SELECT COUNT(*) FROM audit_log WHERE entity = 'target' AND action = 'create' AND entity_id IN ($1, $2) AND actor_login = 'tongji'`,
			strconv.FormatInt(tax.ID, 10), strconv.FormatInt(findRow(t, rows, "建筑业总产值", "XX镇").ID, 10)); n != 2 {
			t.Errorf("%d create entries for the new targets, want 2", n)
		}
		var beforeJSON, afterJSON string
		if err := d.QueryRowContext(context.Background(), `SELECT before_json, after_json FROM audit_log WHERE entity = 'target' AND action = 'update' AND entity_id = $1`,
			strconv.FormatInt(market.ID, 10)).Scan(&beforeJSON, &afterJSON); err != nil {
			t.Fatalf("the change's audit entry: %v", err)
		}
		var was, is map[string]float64
		if json.Unmarshal([]byte(beforeJSON), &was) != nil || json.Unmarshal([]byte(afterJSON), &is) != nil || was["value"] != 1800 || is["value"] != 1850 {
			t.Errorf("the change is audited %s → %s, want value 1800 → 1850", beforeJSON, afterJSON)
		}
		var imp string
		if err := d.QueryRowContext(context.Background(), `SELECT after_json FROM audit_log WHERE entity = 'import' AND entity_id = $1`, p.Token).Scan(&imp); err != nil {
			t.Fatal(err)
		}
		var entry map[string]any
		if json.Unmarshal([]byte(imp), &entry) != nil || entry["targets_created"] != 2.0 || entry["targets_changed"] != 1.0 || entry["figures"] != 3.0 {
			t.Errorf("the import's entry: %s", imp)
		}
		kept, err := s.Import(ctx, p.Token)
		if err != nil || !kept.Committed || kept.TargetsCreated != 2 || kept.TargetsChanged != 1 {
			t.Errorf("the committed import reads %+v, %v", kept, err)
		}

		// The same sheet again finds every target as it says: nothing to do
		// to them, and nothing to confirm.
		p, err = s.StartImport(ctx, targets.ImportInput{Filename: "again.xlsx", Data: good, UnitID: res.TownshipID, Year: 2026})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range p.Rows {
			if r.TargetAction != targets.TargetSame {
				t.Errorf("row %d again: %q, want same", r.Row, r.TargetAction)
			}
		}
		if p.TargetsToCreate() != 0 || len(p.TargetChanges) != 0 {
			t.Errorf("again: %d creates, changes %+v", p.TargetsToCreate(), p.TargetChanges)
		}
	})
}

// TestImportTargetPages: the preview lists the change and asks for its
// confirmation; the commit without it is refused with 422 and writes
// nothing, and with it goes through; the template carries 年度任务数.
func TestImportTargetPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		c, _ := importServer(t, d, "tongji")
		town := strconv.FormatInt(res.TownshipID, 10)

		file := sheetFile(t, "XX镇2026年1-10月", yearHeader,
			[]any{"税收收入", "万元", 30000, 25000, 23000},
			[]any{"新发展市场主体", "户", 1850, 1700, 1620})
		_, _, h := c.upload("year.xlsx", file, map[string]string{"unit_id": town, "year": "2026"})
		loc := h.Get("Location")
		status, page, _ := c.get(loc)
		if status != http.StatusOK {
			t.Fatalf("preview: %d", status)
		}
		for _, want := range []string{`data-testid="import-target-changes"`, "年度目标 1,800户 → 1,850户", `name="confirm_targets"`, `data-testid="target-create"`, "年度目标：新建1个，修改1个。", "<th class=\"num\">年度目标</th>"} {
			if !strings.Contains(page, want) {
				t.Errorf("preview lacks %s", want)
			}
		}
		targetsBefore := mustCount(t, d, `SELECT COUNT(*) FROM targets`)
		status, page, _ = c.postForm(loc+"/commit", url.Values{})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "本次导入将修改1个年度目标") {
			t.Errorf("commit without the confirmation: %d, want 422 naming the change", status)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM targets`); n != targetsBefore {
			t.Errorf("an unconfirmed commit created %d targets", n-targetsBefore)
		}
		status, _, _ = c.postForm(loc+"/commit", url.Values{"confirm_targets": {"1"}})
		if status != http.StatusSeeOther {
			t.Fatalf("confirmed commit: %d", status)
		}
		_, page, _ = c.get(loc)
		if !strings.Contains(page, "已导入2条数据；年度目标新建1个、修改1个") {
			t.Errorf("the committed preview does not say what it did to the targets")
		}

		_, body, _ := c.get("/targets/import/template.xlsx?unit=" + town + "&year=2026&month=10")
		tpl, err := targets.ParseSheet(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if tpl.Headers[targets.RoleTarget] != "年度任务数" {
			t.Errorf("template headers %v, want 年度任务数", tpl.Headers)
		}
		for _, r := range tpl.Rows {
			if r.Indicator == "新发展市场主体" && (r.Target == nil || *r.Target != 1850 || r.Value != nil) {
				t.Errorf("template's 新发展市场主体: %+v, want its target 1850 and no figure", r)
			}
		}
	})
}
