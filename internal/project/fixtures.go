package project

import (
	"guatu/internal/org"
	"guatu/internal/platform/web"
)

// fixtures are sample data for every page of the room, every list filled
// and every form showing errors, for the page check (internal/app).
func fixtures() []web.Fixture {
	village := int64(3)
	contact := int64(9)
	stages := Complete([]StageDates{{Stage: Negotiating, Actual: "2026-03-02"}, {Stage: Signed, Planned: "2026-05-01", Actual: "2026-05-20"},
		{Stage: Started, Planned: "2026-09-01", Actual: "2026-09-18", Reason: "立项、供地手续与开工并联办理"}})
	plant := Project{ID: 1, TownshipID: 2, Name: "恒达精密装备制造配件项目", Kind: Industrial, Industry: "装备制造配件", Investor: "江苏恒达精密机械有限公司",
		InvestorContact: "王总", InvestorPhone: "13900000000", VillageID: &village, Park: "双塘工业园", Total: 32000, YearPlanned: 12000, Level: City,
		LeaderID: 5, UnitID: 4, ContactID: &contact, MemberIDs: []int64{10}, Notes: "需协调用地指标", Stage: Started, Version: 4, Stages: stages}
	road := Project{ID: 2, TownshipID: 2, Name: "双塘大道改造", Kind: Infrastructure, Total: 6800, YearPlanned: 3000, Level: District, LeaderID: 6, UnitID: 3, Version: 1}
	rows := []Row{{Project: plant, Seq: 1, LeaderName: "刘晓明", UnitName: "经发办（招商办）", VillageName: "双塘村"}, {Project: road, Seq: 2, LeaderName: "赵丽华", UnitName: "双塘村"}}
	list := projectsList.Fixture(120)
	list.Set("stage", "started")
	list.Set("kind", "industrial")
	heads := []web.SortHead{{Label: "项目名称", URL: "/projects?sort=name", Mark: "↑", Aria: "ascending"}, {Label: "项目类别", Aria: "none"}}
	units := []org.Choice{{ID: 2, Label: "XX镇", Kind: org.Township, Path: "/1/2/"}, {ID: 3, Label: "双塘村", Indent: "\u3000", Kind: org.Village, Path: "/1/2/3/"}}
	leaders := []org.Choice{{ID: 5, Label: "刘晓明（党委委员、副镇长）"}}
	people := []org.Person{{ID: 9, UnitID: 4, UnitName: "经发办（招商办）", Name: "胡佳怡"}, {ID: 10, UnitID: 3, UnitName: "双塘村", Name: "梁德福"}}
	form := func(values map[string]string, errs ...string) web.FormView {
		fv := web.FormView{Values: values, Errors: map[string]string{}}
		for _, e := range errs {
			fv.Errors[e] = "请检查"
		}
		return fv
	}
	return []web.Fixture{
		{Page: "projects", Data: ListPage{List: list, Heads: heads, Rows: rows, Units: units, Leaders: leaders, Stages: Stages, Kinds: Kinds, Levels: Levels, Editor: true}},
		{Page: "project_form", Data: FormPage{Edit: &plant, Units: units, Villages: units[1:], People: people, Leaders: leaders, Industries: IndustrySuggestions,
			Kinds: Kinds, Levels: Levels, Members: map[int64]bool{10: true},
			Form: form(formValues(plant), "_", "name", "kind", "industry", "investor", "investor_contact", "investor_phone", "village_id", "park",
				"total_investment", "year_planned_investment", "level", "owner_leader_id", "unit_id", "contact_person_id", "member_ids", "notes")}},
		{Page: "project", Data: ProjectPage{Project: rows[0], Contact: "胡佳怡（经发办（招商办））", Members: []string{"梁德福（双塘村）"}, Stages: stages, Stage: Completed, CanEdit: true,
			Form: form(map[string]string{"stage": "completed"}, "_", "stage", "planned_on", "actual_on", "reason")}},
		{Page: "import", Data: ImportPage{Columns: importHeaders(), Form: form(nil, "_", "file"), Preview: &ImportPreview{Token: "ab12", Name: "重大项目台账.xlsx",
			Rows:     []ImportRow{{Row: 3, Name: "恒达精密装备制造配件项目", Kind: Industrial, Level: City, Total: 32000, Leader: "刘晓明", Unit: "经发办（招商办）"}},
			Problems: []ImportProblem{{Row: 4, Column: "责任单位", Key: "project.import.error.unit", Args: []any{"东湖"}}, {Key: "project.import.error.no_header"}}}}},
	}
}
