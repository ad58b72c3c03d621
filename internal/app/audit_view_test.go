package app

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/org"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/platform/i18n"
	"guatu/internal/project"
	"guatu/internal/setup"
	"guatu/internal/targets"
	"guatu/internal/work"
)

// TestAuditChanges checks what an entry shows of its before and after: only
// the fields that differ, labelled from the catalogues, formatted, ids named,
// a create's new values, a delete's old ones.
func TestAuditChanges(t *testing.T) {
	a := testApp(t)
	ar := a.auditReader
	got := names{"indicator": {"3": "入库税收"}, "unit": {"12": "东湖村", "2": "XX镇"}}
	tests := []struct {
		name          string
		lang          i18n.Lang
		entity        string
		before, after string
		want          []string
	}{
		{"a figure corrected: only what differs, numbers with separators, time in Beijing", i18n.ZH, "figure",
			`{"id":7,"target_id":5,"period":"2026-10","value":1200,"last_year_value":980.5,"source":"form","note":"","entered_by":"tongji","entered_at":"2026-11-05T02:30:00Z"}`,
			`{"id":9,"target_id":5,"period":"2026-10","value":1250.5,"last_year_value":980.5,"source":"import","note":"按更正录入","entered_by":"tongji","entered_at":"2026-12-03T06:05:00Z"}`,
			[]string{"本年累计：1,200 → 1,250.5", "来源：页面填报 → Excel导入", "备注：— → 按更正录入", "填报时间：2026-11-05 10:30 → 2026-12-03 14:05"}},
		{"the same in English", i18n.EN, "figure",
			`{"value":1200,"last_year_value":null}`, `{"value":1250.5,"last_year_value":1000}`,
			[]string{"Year to date: 1,200 → 1,250.5", "Last year's same period: — → 1,000"}},
		{"a target created from an old entry's Go field names: ids named, years plain, unset fields left out", i18n.ZH, "target",
			"", `{"IndicatorID":3,"UnitID":12,"PersonID":null,"ParentID":null,"Year":2026,"Kind":"value","Value":12000,"Share":null,"Note":""}`,
			[]string{"指标：入库税收", "责任单位：东湖村", "年度：2026", "目标类型：数值", "目标值（确保）：12,000"}},
		{"a unit deleted: its old values, the parent named, booleans 是/否, an unknown field by its key", i18n.ZH, "unit",
			`{"id":12,"parent_id":2,"kind":"village","name":"东湖村","sort":3,"mystery":true}`, "",
			[]string{"上级单位：XX镇", "类型：村", "名称：东湖村", "排序：3", "mystery：是"}},
		{"an account updated: a coded value translated, a flag turned off shown", i18n.ZH, "user",
			`{"Login":"donghu","Role":"reporter","Disabled":true}`, `{"Login":"donghu","Role":"statistician","Disabled":false}`,
			[]string{"角色：填报员 → 统计员", "已停用：是 → 否"}},
		{"an id without a name shows the id", i18n.ZH, "target",
			`{"UnitID":99}`, `{"UnitID":12}`,
			[]string{"责任单位：#99 → 东湖村"}},
		{"nothing changed: nothing shown", i18n.ZH, "person", `{"name":"王芳"}`, `{"name":"王芳"}`, nil},
		{"a refusal's reason", i18n.ZH, "target", "", `{"route":"GET /targets/9","reason":"scope"}`,
			[]string{"访问地址：GET /targets/9", "原因：超出管辖范围"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var lines []string
			for _, c := range ar.changes(tt.lang, got, tt.entity, diffFields(tt.before, tt.after)) {
				lines = append(lines, c.Line(func(key string, args ...any) string { return a.Bundle.T(tt.lang, key, args...) }))
			}
			if !reflect.DeepEqual(lines, tt.want) {
				t.Errorf("got %q, want %q", lines, tt.want)
			}
		})
	}
}

func TestSnake(t *testing.T) {
	for in, want := range map[string]string{"IndicatorID": "indicator_id", "LastYearTotal": "last_year_total", "ID": "id", "value": "value", "last_year_value": "last_year_value", "UnitID": "unit_id"} {
		if got := snake(in); got != want {
			t.Errorf("snake(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestAuditPageNamesAFigureChange corrects a figure and reads the audit page
// as the administrator: the entry names the indicator, the unit and the
// period and shows 本年累计 old → new, with no JSON and no Go field names.
func TestAuditPageNamesAFigureChange(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := setup.Install(ctx, d, setup.Input{District: "新城区", Townships: []string{"城关镇"}, Login: "chief", Password: chiefPassword}); err != nil {
			t.Fatal(err)
		}
		now := &clock.Fixed{T: time.Date(2026, 12, 3, 6, 5, 0, 0, time.UTC)}
		a, err := New(Config{Log: slog.New(slog.DiscardHandler), Clock: now}, d)
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.WithUser(ctx, auth.System())
		units, err := a.Org.Units(sys)
		if err != nil {
			t.Fatal(err)
		}
		var township int64
		for _, u := range units {
			if u.Name == "城关镇" {
				township = u.ID
			}
		}
		village, err := a.Org.CreateUnit(sys, org.UnitInput{ParentID: &township, Kind: org.Village, Name: "东湖村"})
		if err != nil {
			t.Fatal(err)
		}
		inds, err := a.Targets.Indicators(sys)
		if err != nil {
			t.Fatal(err)
		}
		var tax int64
		for _, in := range inds {
			if in.Name == "入库税收" {
				tax = in.ID
			}
		}
		v := 12000.0
		tg, err := a.Targets.CreateTarget(sys, targets.TargetInput{IndicatorID: tax, UnitID: village.ID, Year: 2026, Kind: targets.KindValue, Value: &v})
		if err != nil {
			t.Fatal(err)
		}
		first, corrected := 1200.0, 1250.5
		if _, err := a.Targets.AddFigure(sys, tg.ID, targets.FigureInput{Period: "2026-10", Value: &first}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Targets.AddFigure(sys, tg.ID, targets.FigureInput{Period: "2026-10", Value: &corrected, Reason: "漏报一笔"}); err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		defer srv.Close()
		vis := newVisitor(t, srv.URL)
		if status, _, _ := vis.signIn("chief", chiefPassword); status != 303 {
			t.Fatalf("sign in: %d", status)
		}
		status, _, body := vis.do("GET", "/audit?"+url.Values{"entity": {"figure"}, "action": {audit.Update}}.Encode(), nil)
		if status != 200 {
			t.Fatalf("GET /audit: %d", status)
		}
		start := strings.Index(body, `data-testid="audit-table"`)
		end := strings.Index(body, "</table>")
		if start < 0 || end < start {
			t.Fatalf("no audit table in %s", body)
		}
		table := body[start:end]
		for _, want := range []string{"月度数据", "入库税收 · 东湖村 · 2026年1-10月", "本年累计", "1,200", "1,250.5", "更正原因", "漏报一笔"} {
			if !strings.Contains(table, want) {
				t.Errorf("audit table lacks %q:\n%s", want, table)
			}
		}
		if strings.Index(table, "1,200") > strings.Index(table, "1,250.5") {
			t.Errorf("old value should come before new:\n%s", table)
		}
		for _, bad := range []string{"IndicatorID", "{", "target_id"} {
			if strings.Contains(table, bad) {
				t.Errorf("audit table shows %q:\n%s", bad, table)
			}
		}
		// The export carries the same words: the object's name, the changes
		// as "字段：旧 → 新" lines.
		status, _, body = vis.do("GET", "/audit.xlsx?"+url.Values{"entity": {"figure"}, "action": {audit.Update}}.Encode(), nil)
		if status != 200 {
			t.Fatalf("GET /audit.xlsx: %d", status)
		}
		f, err := excelize.OpenReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows(f.GetSheetName(0))
		if err != nil {
			t.Fatal(err)
		}
		var cells []string
		for _, r := range rows {
			cells = append(cells, r...)
		}
		all := strings.Join(cells, "|")
		for _, want := range []string{"月度数据", "|入库税收 · 东湖村 · 2026年1-10月|", "本年累计：1,200 → 1,250.5"} {
			if !strings.Contains(all, want) {
				t.Errorf("export lacks %q: %q", want, cells)
			}
		}
		if strings.Contains(all, "{") {
			t.Errorf("export shows JSON: %q", cells)
		}
		status, _, body = vis.do("GET", "/audit?entity=target", nil)
		if status != 200 || !strings.Contains(body, "入库税收 · 东湖村 · 2026") || strings.Contains(body, "IndicatorID") {
			t.Errorf("the target's entry does not name it (status %d)", status)
		}
	}, Schema()...)
}

// TestAuditEntryName checks the name an entry shows: the room's name for the
// object, else the one the entry kept (a deleted object's), else its id; a
// failed sign-in keeps the login typed even when it looks like an id.
func TestAuditEntryName(t *testing.T) {
	ar := testApp(t).auditReader
	got := names{"person": {"3": "王芳（今名）"}, "user": {"42": "chief"}}
	tests := []struct {
		name string
		row  audit.Row
		want string
	}{
		{"named by its room", audit.Row{Entity: "person", EntityID: "3", Action: audit.Update, Before: `{"name":"王芳"}`}, "王芳（今名）"},
		{"deleted: the name it had", audit.Row{Entity: "person", EntityID: "4", Action: audit.Delete, Before: `{"UnitID":2,"Name":"李强"}`}, "李强"},
		{"an account gone: its login", audit.Row{Entity: "user", EntityID: "5", Action: audit.Delete, Before: `{"Login":"donghu"}`}, "donghu"},
		{"nothing to name it by: the id", audit.Row{Entity: "api_token", EntityID: "8", Action: audit.Delete}, "8"},
		{"a failed sign-in: the login typed", audit.Row{Entity: "user", EntityID: "42", Action: audit.Failed, After: `{"reason":"unknown_login"}`}, "42"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := ar.name(got, tt.row); n != tt.want {
				t.Errorf("got %q, want %q", n, tt.want)
			}
		})
	}
}

// TestAuditNamers reads every room's namer on both engines: each names the
// objects asked for in one call, leaves out ids it does not find, and skips
// ids that are not numbers.
func TestAuditNamers(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := setup.Install(ctx, d, setup.Input{District: "新城区", Townships: []string{"城关镇"}, Login: "chief", Password: chiefPassword}); err != nil {
			t.Fatal(err)
		}
		now := &clock.Fixed{T: time.Date(2026, 12, 3, 6, 5, 0, 0, time.UTC)}
		a, err := New(Config{Log: slog.New(slog.DiscardHandler), Clock: now}, d)
		if err != nil {
			t.Fatal(err)
		}
		sys := auth.WithUser(ctx, auth.System())
		units, err := a.Org.Units(sys)
		if err != nil {
			t.Fatal(err)
		}
		var township int64
		for _, u := range units {
			if u.Name == "城关镇" {
				township = u.ID
			}
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		village, err := a.Org.CreateUnit(sys, org.UnitInput{ParentID: &township, Kind: org.Village, Name: "东湖村"})
		must(err)
		person, err := a.Org.CreatePerson(sys, org.PersonInput{UnitID: township, Name: "王芳", Title: "镇长"})
		must(err)
		account, err := a.Org.CreateAccount(sys, org.AccountInput{Login: "wangfang", Password: "Another-long-pw1", Role: auth.Leader, UnitID: township, PersonID: &person.ID})
		must(err)
		must(a.Org.AddTeamMember(sys, org.TeamInput{TownshipID: township, PersonID: person.ID, Body: org.Government, Position: "镇长"}))
		team, err := a.Org.Team(sys, township)
		must(err)
		push, err := a.Org.CreateCampaign(sys, org.Campaign{TownshipID: township, Name: "大干一百天", Start: time.Date(2026, 9, 22, 0, 0, 0, 0, clock.Beijing), End: time.Date(2026, 12, 31, 0, 0, 0, 0, clock.Beijing)})
		must(err)
		inds, err := a.Targets.Indicators(sys)
		must(err)
		var tax int64
		for _, in := range inds {
			if in.Name == "入库税收" {
				tax = in.ID
			}
		}
		v := 12000.0
		tg, err := a.Targets.CreateTarget(sys, targets.TargetInput{IndicatorID: tax, UnitID: village.ID, Year: 2026, Kind: targets.KindValue, Value: &v})
		must(err)
		personal, err := a.Targets.CreateTarget(sys, targets.TargetInput{IndicatorID: tax, UnitID: township, PersonID: &person.ID, Year: 2026, Kind: targets.KindValue, Value: &v})
		must(err)
		fig, err := a.Targets.AddFigure(sys, tg.ID, targets.FigureInput{Period: "2026-10", Value: &v})
		must(err)
		task, err := a.Work.Create(sys, work.Input{Title: "东湖村道路硬化", Source: work.FromMeeting, LeadUnitID: village.ID, LeaderID: person.ID,
			AssignedOn: "2026-11-01", Deadline: "2026-12-20", Level: work.Normal, Milestones: []work.MilestoneInput{{Due: "2026-11-20", Title: "完成路基"}}})
		must(err)
		steps, err := a.Work.Milestones(sys, task.ID)
		must(err)
		major, err := a.Project.Create(sys, project.Input{Name: "东湖村农贸市场", Kind: project.Services, Level: project.District, Total: 3200, YearPlanned: 1600,
			LeaderID: person.ID, UnitID: village.ID})
		must(err)
		id := audit.ID
		tests := []struct {
			kind string
			lang i18n.Lang
			ids  []string
			want map[string]string
		}{
			{"unit", i18n.ZH, []string{id(village.ID), id(township), "999999", "x"}, map[string]string{id(village.ID): "东湖村", id(township): "城关镇"}},
			{"person", i18n.ZH, []string{id(person.ID)}, map[string]string{id(person.ID): "王芳"}},
			{"user", i18n.ZH, []string{id(account)}, map[string]string{id(account): "wangfang（王芳）"}},
			{"team_member", i18n.ZH, []string{id(team[0].ID)}, map[string]string{id(team[0].ID): "王芳 · 镇长"}},
			{"campaign", i18n.ZH, []string{id(push.ID)}, map[string]string{id(push.ID): "大干一百天"}},
			{"indicator", i18n.ZH, []string{id(tax)}, map[string]string{id(tax): "入库税收"}},
			{"target", i18n.ZH, []string{id(tg.ID), id(personal.ID)}, map[string]string{id(tg.ID): "入库税收 · 东湖村 · 2026", id(personal.ID): "入库税收 · 城关镇 · 王芳 · 2026"}},
			{"figure", i18n.ZH, []string{id(fig.ID)}, map[string]string{id(fig.ID): "入库税收 · 东湖村 · 2026年1-10月"}},
			{"figure", i18n.EN, []string{id(fig.ID)}, map[string]string{id(fig.ID): "入库税收 · 东湖村 · January–October 2026"}},
			{"target_settings", i18n.ZH, []string{id(township)}, map[string]string{id(township): "城关镇"}},
			{"task", i18n.ZH, []string{id(task.ID)}, map[string]string{id(task.ID): "东湖村道路硬化"}},
			{"task_milestone", i18n.ZH, []string{id(steps[0].ID)}, map[string]string{id(steps[0].ID): "东湖村道路硬化 · 完成路基"}},
			{"task_card_settings", i18n.ZH, []string{id(township)}, map[string]string{id(township): "城关镇"}},
			{"project", i18n.ZH, []string{id(major.ID), "999999"}, map[string]string{id(major.ID): "东湖村农贸市场"}},
		}
		for _, tt := range tests {
			n := a.auditReader.namers[tt.kind]
			if n == nil {
				t.Errorf("no namer for %s", tt.kind)
				continue
			}
			got, err := n(ctx, tt.lang, tt.ids)
			if err != nil {
				t.Errorf("%s: %v", tt.kind, err)
				continue
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("%s %s: got %q, want %q", tt.kind, tt.lang, got, tt.want)
			}
		}
	}, Schema()...)
}
