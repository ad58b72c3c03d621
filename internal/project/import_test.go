package project_test

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/project"
)

// sheet writes rows (the first the header) as an .xlsx, below a title row
// as offices make them.
func sheet(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetCellValue("Sheet1", "A1", "XX镇重大项目台账"); err != nil {
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

var importHead = []any{"项目名称", "项目类别", "所属行业", "投资方", "所在村（社区）", "所在园区", "总投资(万元)", "年度计划投资（万元）", "重点级别", "责任领导", "责任单位", "联系人", "班子成员", "备注"}

// TestImport: a clean sheet previews its rows and registers them all in
// one go; a sheet with problems names each by row and column and registers
// nothing; only the office and leaders import, and only their own upload.
func TestImport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		if _, err := w.s.StartImport(village, "x.xlsx", nil); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village importing: got %v, want forbidden", err)
		}
		good := sheet(t, importHead,
			[]any{"恒达精密装备制造配件项目", "工业", "装备制造配件", "恒达机械", "双塘村", "双塘工业园", "32,000", 12000, "市级重点", "刘晓明", "经发办（招商办）", "胡佳怡", "朱永康、梁德福", "需协调供电"},
			[]any{},
			[]any{"双塘大道改造工程", "基础设施", "", "", "双塘村", "", 6800, 4000, "区级", "王红梅", "社会治理局", "", "", ""},
		)
		token, err := w.s.StartImport(office, "台账.xlsx", good)
		if err != nil {
			t.Fatal(err)
		}
		p, err := w.s.Import(office, token)
		if err != nil || !p.Clean() || len(p.Rows) != 2 || p.Rows[1].Row != 5 || p.Rows[0].Total != 32000 || p.Rows[0].Level != project.City {
			t.Fatalf("preview: %+v %v", p, err)
		}
		if _, err := w.s.Import(w.as(t, "admin"), token); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another account's upload: got %v, want not found", err)
		}
		done, err := w.s.CommitImport(office, token)
		if err != nil || done.Created != 2 {
			t.Fatalf("commit: %+v %v", done, err)
		}
		ps, err := w.s.Projects(office, project.Filter{}, &pager{n: 10})
		if err != nil || len(ps) != 2 {
			t.Fatalf("after the import: %d projects %v", len(ps), err)
		}
		for _, p := range ps {
			if p.Name == "恒达精密装备制造配件项目" && (p.ContactID == nil || len(p.MemberIDs) != 2 || p.VillageID == nil || p.Park != "双塘工业园") {
				t.Errorf("the plant's row: %+v", p)
			}
		}
		if _, err := w.s.CommitImport(office, token); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("committing twice: got %v, want not found", err)
		}

		// Every problem by row and column, and nothing written.
		bad := sheet(t, importHead,
			[]any{"恒达精密装备制造配件项目", "工业", "", "", "", "", 100, 50, "区级重点", "刘晓明", "经发办（招商办）", "", "", ""},
			[]any{"毛绒玩具扩产", "玩具", "", "", "无名村", "", "八千", 100, "国家级", "梁德福", "东湖村", "路人甲", "", ""},
			[]any{"健身器具生产线", "工业", "", "", "", "", 100, 200, "区级重点", "李卫东", "经发办（招商办）", "", "", ""},
			[]any{"健身器具生产线", "工业", "", "", "", "", -5, 0, "区级重点", "", "", "", "", ""},
		)
		token, err = w.s.StartImport(office, "有错.xlsx", bad)
		if err != nil {
			t.Fatal(err)
		}
		p, err = w.s.Import(office, token)
		if err != nil || p.Clean() {
			t.Fatalf("a sheet with problems previews clean: %+v %v", p, err)
		}
		want := [][2]any{
			{3, "项目名称"}, // taken by the import above
			{4, "项目类别"}, {4, "所在村（社区）"}, {4, "总投资(万元)"}, {4, "重点级别"}, {4, "责任领导"}, {4, "联系人"},
			{5, "年度计划投资（万元）"}, // over the total
			{6, "项目名称"},       // the same name as row 5
			{6, "责任领导"}, {6, "责任单位"},
		}
		got := map[[2]any]bool{}
		for _, pr := range p.Problems {
			got[[2]any{pr.Row, pr.Column}] = true
		}
		for _, k := range want {
			if !got[k] {
				t.Errorf("no problem at row %v column %v; problems: %+v", k[0], k[1], p.Problems)
			}
		}
		if done, err := w.s.CommitImport(office, token); err != nil || done.Created != 0 {
			t.Errorf("committing a sheet with problems: %+v %v", done, err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM projects`); n != 2 {
			t.Errorf("after the refused commit there are %d projects, want 2", n)
		}
		// The district's office names a unit every town has: which is meant?
		admin := w.as(t, "admin")
		token, _ = w.s.StartImport(admin, "区.xlsx", sheet(t, importHead,
			[]any{"区级项目", "工业", "", "", "", "", 100, 50, "区级重点", "刘晓明", "党政办", "", "", ""}))
		if p, err := w.s.Import(admin, token); err != nil || p.Clean() || p.Problems[0].Key != "project.import.error.ambiguous" || p.Problems[0].Column != "责任单位" {
			t.Errorf("a unit of several towns: %+v %v", p, err)
		}
		// A sheet without a required column, and not a workbook at all.
		token, _ = w.s.StartImport(office, "缺列.xlsx", sheet(t, []any{"项目名称", "项目类别"}, []any{"某项目", "工业"}))
		if p, err := w.s.Import(office, token); err != nil || p.Clean() || p.Problems[0].Key != "project.import.error.no_column" {
			t.Errorf("missing columns: %+v %v", p, err)
		}
		token, _ = w.s.StartImport(office, "fake.xlsx", []byte("MZ this is an exe"))
		if p, err := w.s.Import(office, token); err != nil || p.Clean() || p.Problems[0].Key != "project.import.error.not_xlsx" {
			t.Errorf("not a workbook: %+v %v", p, err)
		}
	})
}

// TestImportPages: the template downloads, an upload previews with every
// problem named in Chinese by row and column, and a clean one commits.
func TestImportPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		setup(t, d)
		base := serve(t, d)
		office := signIn(t, base, "duban")
		status, body := office.get("/projects/import/template.xlsx")
		if status != http.StatusOK {
			t.Fatalf("template: %d", status)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, _ := f.GetRows(f.GetSheetName(0))
		var template [][]any
		for _, r := range rows {
			row := make([]any, len(r))
			for i, c := range r {
				row[i] = c
			}
			template = append(template, row)
		}
		// The template itself, as downloaded, imports cleanly.
		status, loc, _ := office.upload("/projects/import", "模板.xlsx", sheet(t, template[len(template)-2:]...))
		if status != http.StatusSeeOther || !strings.HasPrefix(loc, "/project-imports/") {
			t.Fatalf("upload the template: %d %s", status, loc)
		}
		if status, body := office.get(loc); status != http.StatusOK || !strings.Contains(body, `data-testid="import-commit"`) {
			t.Fatalf("the template's preview: %d\n%s", status, body)
		}
		if status, _ := office.post(loc, url.Values{}); status != http.StatusSeeOther {
			t.Errorf("commit: %d", status)
		}
		status, loc, _ = office.upload("/projects/import", "有错.xlsx", sheet(t, importHead,
			[]any{"毛绒玩具扩产", "玩具", "", "", "", "", 100, 50, "区级重点", "刘晓明", "经发办（招商办）", "", "", ""}))
		if status != http.StatusSeeOther {
			t.Fatalf("upload: %d", status)
		}
		if _, body := office.get(loc); !strings.Contains(body, "第3行「项目类别」：「玩具」不是项目类别") {
			t.Errorf("the preview does not name the bad cell:\n%s", body)
		}
	})
}
