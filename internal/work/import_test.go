package work_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// sheet writes rows (the first the header) as an .xlsx, below a title row
// as offices make them.
func sheet(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "11月25日调度会交办事项"); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if err := f.Write(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var importHead = []any{"事项名称", "工作要求", "事项来源", "牵头单位", "协办单位", "分管领导", "交办日期", "办结时限", "报送频次", "督办级别", "挂牌领导"}

// TestTaskImport: a clean sheet previews its rows and imports them all as
// 交办 in one go; a sheet with problems names each by row and column and
// imports nothing; a status column is refused; only the office imports,
// and only its own upload.
func TestTaskImport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		if _, err := w.s.StartImport(village, "x.xlsx", nil); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village importing: got %v, want forbidden", err)
		}
		good := sheet(t, importHead,
			[]any{"双塘村河道清淤", "清淤2公里", "会议", "双塘村", "东湖村", "赵丽华", "2026-11-25", "2026-12-31", "每周", "重点", ""},
			[]any{},
			[]any{"东湖村污水管网", "", "十件民生实事", "东湖村", "", "赵丽华", "2026/11/25", "2026年12月20日", "每2周", "挂牌督办", "张建国"},
		)
		token, err := w.s.StartImport(office, "调度会.xlsx", good)
		if err != nil {
			t.Fatal(err)
		}
		p, err := w.s.Import(office, token)
		if err != nil || !p.Clean() || len(p.Rows) != 2 || p.Rows[1].Row != 5 || p.Rows[1].Deadline != "2026-12-20" || p.Rows[1].Level != work.Listed {
			t.Fatalf("preview: %+v %v", p, err)
		}
		if _, err := w.s.Import(w.as(t, "admin"), token); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another account's upload: got %v, want not found", err)
		}
		done, err := w.s.CommitImport(office, token)
		if err != nil || done.Created != 2 {
			t.Fatalf("commit: %+v %v", done, err)
		}
		tasks, err := w.s.Tasks(office, work.Filter{}, db.All(10))
		if err != nil || len(tasks) != 2 {
			t.Fatalf("after the import: %d tasks %v", len(tasks), err)
		}
		for _, task := range tasks {
			if task.Status != work.Assigned {
				t.Errorf("%s imported as %s", task.Title, task.Status)
			}
			if task.Title == "东湖村污水管网" && (task.Rhythm != work.EveryNWeeks || task.RhythmWeeks != 2 || task.ListingLeader == nil) {
				t.Errorf("the listed row: %+v", task)
			}
			if task.Title == "双塘村河道清淤" && len(task.CoUnitIDs) != 1 {
				t.Errorf("the co-unit: %+v", task.CoUnitIDs)
			}
		}
		if _, err := w.s.CommitImport(office, token); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("committing twice: got %v, want not found", err)
		}

		// Every problem by row and column, and nothing written.
		bad := sheet(t, importHead,
			[]any{"双塘村河道清淤", "", "会议", "双塘村", "", "赵丽华", "2026-11-25", "2026-12-31", "", "", ""},
			[]any{"无名村道路", "", "会议", "无名村", "", "赵丽华", "2026-11-25", "2026-12-31", "", "", ""},
			[]any{"东湖村绿化", "", "开会", "东湖村", "", "路人甲", "2026-11-25", "2026-11-20", "每天", "特级", ""},
			[]any{"东湖村绿化", "", "会议", "东湖村", "", "赵丽华", "2026-11-25", "2026-12-31", "", "", ""},
		)
		token, err = w.s.StartImport(office, "有错.xlsx", bad)
		if err != nil {
			t.Fatal(err)
		}
		p, err = w.s.Import(office, token)
		if err != nil || p.Clean() {
			t.Fatalf("a sheet with problems previews clean: %+v %v", p, err)
		}
		want := map[[2]any]bool{
			{3, "事项名称"}: true, // taken by the import above
			{4, "牵头单位"}: true,
			{5, "事项来源"}: true, {5, "分管领导"}: true, {5, "报送频次"}: true, {5, "督办级别"}: true,
			{6, "事项名称"}: true, // the same title as row 5
		}
		got := map[[2]any]bool{}
		for _, pr := range p.Problems {
			got[[2]any{pr.Row, pr.Column}] = true
		}
		for k := range want {
			if !got[k] {
				t.Errorf("no problem at row %v column %v; problems: %+v", k[0], k[1], p.Problems)
			}
		}
		if done, err := w.s.CommitImport(office, token); err != nil || done.Created != 0 {
			t.Errorf("committing a sheet with problems: %+v %v", done, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM tasks`); n != 2 {
			t.Errorf("after the refused commit there are %d tasks, want 2", n)
		}

		// A status column is refused: imported tasks start 交办.
		token, err = w.s.StartImport(office, "带状态.xlsx", sheet(t, append(append([]any{}, importHead...), "办理状态"),
			[]any{"新事项", "", "会议", "双塘村", "", "赵丽华", "2026-11-25", "2026-12-31", "", "", "", "办结"}))
		if err != nil {
			t.Fatal(err)
		}
		if p, err := w.s.Import(office, token); err != nil || p.Clean() || p.Problems[0].Column != "办理状态" {
			t.Errorf("a status column: %+v %v", p, err)
		}
		// Not a workbook at all.
		token, err = w.s.StartImport(office, "fake.xlsx", []byte("MZ this is an exe"))
		if err != nil {
			t.Fatal(err)
		}
		if p, err := w.s.Import(office, token); err != nil || p.Clean() || p.Problems[0].Key != "task.import.error.not_xlsx" {
			t.Errorf("not a workbook: %+v %v", p, err)
		}
	})
}
