package targets_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/targets"
)

// The import checks each row as the form does: a 万元-sized number labelled
// 亿元 is flagged and written only with the file's confirmation, a total
// below the month before is a problem naming it, and a blank 去年同期 in a
// sheet sent again keeps the one reported.
func TestImportEntryRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := importStore(d)
		ctx := as(t, d, "tongji")
		msgs := i18n.New(targets.Messages()...)
		rows, _ := s.Targets(ctx, targets.Filter{}, db.All(100000))
		tax := findRow(t, rows, "入库税收", "XX镇")
		budget := findRow(t, rows, "一般公共预算收入", "XX镇")
		taxOct := current(t, s, ctx, tax.ID, "2026-10")
		budgetSep := current(t, s, ctx, budget.ID, "2026-09")
		header := []any{"指标名称", "计量单位", "1-10月累计", "去年同期"}
		start := func(data []byte) *targets.Preview {
			t.Helper()
			p, err := s.StartImport(ctx, targets.ImportInput{Filename: "10月.xlsx", Data: data, UnitID: res.TownshipID, Year: 2026})
			if err != nil {
				t.Fatal(err)
			}
			return p
		}

		t.Run("亿元 written on a 万元 number", func(t *testing.T) {
			p := start(sheetFile(t, "XX镇2026年1-10月主要经济指标完成情况", header, []any{"入库税收", "亿元", taxOct.Value + 10, ""}))
			if !p.Clean() || len(p.Suspects) != 1 || p.Rows[0].Suspect == nil {
				t.Fatalf("clean %v, suspects %+v, problems %+v; want one suspect row and no problem", p.Clean(), p.Suspects, p.Problems)
			}
			sus := p.Suspects[0]
			if got := msgs.T("zh", sus.Key, sus.Args...); sus.Row != 3 || !strings.Contains(got, "计量单位写的是亿元") || !strings.Contains(got, "相差约") {
				t.Errorf("row %d: %q, want row 3 saying 亿元 and how far off", sus.Row, got)
			}
			before := countFigures(t, d)
			_, err := s.CommitImport(ctx, p.Token, targets.Confirm{})
			if pe := platform.AsError(err); pe.Code != platform.Invalid || pe.Detail != targets.DetailUnitSuspect {
				t.Fatalf("commit without confirmation: %v, want refused as unit_suspect", err)
			}
			if after := countFigures(t, d); after != before {
				t.Fatalf("figures %d → %d after a refused commit", before, after)
			}
			if _, err := s.CommitImport(ctx, p.Token, targets.Confirm{Figures: true}); err != nil {
				t.Fatalf("commit confirmed: %v", err)
			}
			if got := current(t, s, ctx, tax.ID, "2026-10"); got.Value != (taxOct.Value+10)*10000 {
				t.Errorf("October %v, want the confirmed %v", got.Value, (taxOct.Value+10)*10000)
			}
		})

		t.Run("below September", func(t *testing.T) {
			p := start(sheetFile(t, "XX镇2026年1-10月主要经济指标完成情况", header, []any{"一般公共预算收入", "万元", budgetSep.Value - 100, ""}))
			if p.Clean() || len(p.Problems) != 1 {
				t.Fatalf("clean %v, problems %+v; want the decrease refused", p.Clean(), p.Problems)
			}
			pr := p.Problems[0]
			if got := msgs.T("zh", pr.Key, pr.Args...); pr.Row != 3 || pr.Column != "C" || !strings.Contains(got, "低于2026年1-9月") || !strings.Contains(got, "少100万元") {
				t.Errorf("row %d column %s: %q, want row 3, C, naming 1-9月 and 100万元", pr.Row, pr.Column, got)
			}
		})

		t.Run("a blank 去年同期 keeps the reported one", func(t *testing.T) {
			oct := current(t, s, ctx, budget.ID, "2026-10")
			p := start(sheetFile(t, "XX镇2026年1-10月主要经济指标完成情况", header, []any{"一般公共预算收入", "万元", oct.Value + 1, ""}))
			if !p.Clean() || !p.Rows[0].KeptLastYear || p.Rows[0].LastYear == nil || *p.Rows[0].LastYear != *oct.LastYear {
				t.Fatalf("clean %v, row %+v; want the kept 去年同期 %v", p.Clean(), p.Rows[0], *oct.LastYear)
			}
			if _, err := s.CommitImport(ctx, p.Token, targets.Confirm{}); err != nil {
				t.Fatal(err)
			}
			if got := current(t, s, ctx, budget.ID, "2026-10"); got.LastYear == nil || *got.LastYear != *oct.LastYear {
				t.Errorf("去年同期 after the import %v, want %v", got.LastYear, *oct.LastYear)
			}
		})
	})
}

// The preview lists the suspect rows with a confirmation, and the commit
// without it is refused with nothing written.
func TestImportPreviewAsksConfirmation(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		c, _ := importServer(t, d, "tongji")
		town := strconv.FormatInt(res.TownshipID, 10)
		sheet := sheetFile(t, "XX镇2026年1-10月主要经济指标完成情况", []any{"指标名称", "计量单位", "1-10月累计", "去年同期"},
			[]any{"入库税收", "亿元", 811, ""}, []any{"新发展市场主体", "户", 1700, 1620})
		status, _, h := c.upload("10月.xlsx", sheet, map[string]string{"unit_id": town, "year": "2026", "month": "0"})
		loc := h.Get("Location")
		if status != http.StatusSeeOther {
			t.Fatalf("upload: %d", status)
		}
		_, page, _ := c.get(loc)
		for _, want := range []string{`data-testid="import-suspects"`, `data-testid="suspect-row"><td class="num">3<`, "计量单位写的是亿元", "8,110,000", `name="confirm"`, `data-testid="suspect"`} {
			if !strings.Contains(page, want) {
				t.Errorf("preview lacks %s", want)
			}
		}
		figures := mustCount(t, d, `SELECT COUNT(*) FROM figures`)
		status, page, _ = c.postForm(loc+"/commit", url.Values{})
		if status != http.StatusUnprocessableEntity || !strings.Contains(page, "确认数值无误") {
			t.Errorf("commit without confirmation: %d, want 422 asking for it", status)
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM figures`); n != figures {
			t.Fatalf("a refused commit wrote %d figures", n-figures)
		}
		status, _, h = c.postForm(loc+"/commit", url.Values{"confirm": {"1"}})
		if status != http.StatusSeeOther || h.Get("Location") != loc {
			t.Fatalf("confirmed commit: %d to %q", status, h.Get("Location"))
		}
		if n := mustCount(t, d, `SELECT COUNT(*) FROM figures`); n != figures+2 {
			t.Errorf("the confirmed commit wrote %d figures, want 2", n-figures)
		}
	})
}

// A target page opened on a reported month (?period=, the history's 更正
// link) has its kept value and 去年同期 in the form.
func TestFigureFormPrefilled(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		id := targetID(t, d, "入库税收", "XX镇")
		s := store(d)
		ctx := as(t, d, "tongji")
		sep := current(t, s, ctx, id, "2026-09")
		_, page, _ := c.get("/targets/" + itoa64(id) + "?period=2026-09")
		for _, want := range []string{
			`<option value="2026-09" selected>`,
			`name="value" value="` + strconv.FormatFloat(sep.Value, 'f', -1, 64) + `"`,
			`name="last_year_value" value="` + strconv.FormatFloat(*sep.LastYear, 'f', -1, 64) + `"`,
			`data-testid="prefilled-note"`, `href="/targets/` + itoa64(id) + `?period=2026-09#figure-form"`, `id="kept-data"`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("the form opened on 2026-09 lacks %s", want)
			}
		}
		_, page, _ = c.get("/targets/" + itoa64(id) + "?period=2027-01")
		if strings.Contains(page, `<option value="2027-01"`) || !strings.Contains(page, `<option value="2026-10" selected>`) {
			t.Error("a month the form does not offer was chosen instead of last month")
		}
	})
}
