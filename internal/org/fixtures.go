package org

import (
	"time"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/web"
)

// fixtures are sample data for every org page, with every list filled and
// every form showing errors, for the page check (internal/app).
func fixtures() []web.Fixture {
	one, two := int64(1), int64(2)
	units := []Unit{
		{ID: 1, Kind: District, Name: "示范区", Path: "/1/", People: 1},
		{ID: 2, ParentID: &one, Kind: Township, Name: "XX镇", Path: "/1/2/", Depth: 1, People: 3},
		{ID: 3, ParentID: &two, Kind: Village, Name: "双塘村", Path: "/1/2/3/", Depth: 2, People: 2},
	}
	people := []Person{
		{ID: 1, UnitID: 2, UnitName: "XX镇", Name: "黄秀英", Title: "统计站站长", Phone: "0512-1234567", HasLogin: true},
		{ID: 2, UnitID: 3, UnitName: "双塘村", Name: "李建国", Title: "村主任"},
	}
	form := func(values map[string]string, errs ...string) web.FormView {
		fv := web.FormView{Values: values, Errors: map[string]string{}}
		for _, e := range errs {
			fv.Errors[e] = "必填"
		}
		return fv
	}
	last := time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)
	accounts := []Account{
		{ID: 1, Login: "tongji", Role: auth.Statistician, UnitID: 2, UnitName: "XX镇", PersonID: &one, PersonName: "黄秀英", LastLogin: &last},
		{ID: 2, Login: "shuangtang", Role: auth.Reporter, UnitID: 3, UnitName: "双塘村", Disabled: true, Locked: true},
	}
	tw := units[1]
	choices := []Choice{{ID: 1, Label: "示范区", Kind: District, Path: "/1/"}, {ID: 2, Label: "XX镇", Indent: "\u3000", Kind: Township, Path: "/1/2/"},
		{ID: 3, Label: "党政办（XX镇）", Indent: "\u3000\u3000", Kind: Department, Path: "/1/2/3/"}}
	list := func(spec *web.ListSpec, kv ...string) *web.List {
		l := spec.Fixture(0)
		for i := 0; i+1 < len(kv); i += 2 {
			l.Set(kv[i], kv[i+1])
		}
		return l
	}
	heads := []web.SortHead{{Label: "名称", URL: "/x?sort=name", Mark: "↑", Aria: "ascending"}, {Label: "类型", Aria: "none"}}
	today := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	campaigns := []CampaignRow{
		{Campaign: Campaign{ID: 1, TownshipID: 2, Name: "大干一百天，冲刺四季度", Year: 2026, Start: time.Date(2026, 9, 22, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)},
			TownshipName: "XX镇", Goals: "全年目标任务圆满完成", UpdatedAt: last, townshipPath: "/1/2/"},
		{Campaign: Campaign{ID: 2, TownshipID: 2, Name: "春季攻坚", Year: 2026, Start: time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)},
			TownshipName: "XX镇", UpdatedAt: last, townshipPath: "/1/2/"},
	}
	unitsL, peopleL, usersL, campaignsL := list(unitsList, "kind", "village", "q", "村"), list(peopleList, "unit", "2", "q", "黄"), list(usersList, "role", "reporter", "unit", "2", "q", "tong", "disabled", "1"), list(campaignsList, "township", "2", "year", "2026")
	members := []TeamMember{{ID: 1, TownshipID: 2, PersonID: 1, PersonName: "黄秀英", Title: "党委书记", Body: Party, Position: "党委书记"}}
	return []web.Fixture{
		{Page: "units", Data: UnitsPage{List: unitsL, Heads: heads, Units: units, Parents: choices, Kinds: Kinds,
			Form: form(map[string]string{"parent_id": "2", "kind": "village"}, "_", "parent_id", "kind", "name")}},
		{Page: "unit", Data: UnitPage{Unit: units[1], Parent: &units[0], Children: units[2:], People: people, Parents: units[:1], Form: form(map[string]string{"name": "XX镇"}, "_", "name", "parent_id")}},
		{Page: "people", Data: PeoplePage{List: peopleL, Heads: heads, People: people, Units: choices,
			Form: form(map[string]string{"unit_id": "2"}, "_", "name", "unit_id", "title", "phone")}},
		{Page: "person", Data: PersonPage{Person: people[0], Units: choices, Form: form(map[string]string{"unit_id": "2", "name": "黄秀英"}, "_", "name", "unit_id")}},
		{Page: "team", Data: TeamPage{Townships: units[1:2], Township: &tw, Groups: []TeamGroup{{Body: Party, Members: members}}, People: people, Bodies: Bodies, InScope: true, CanEdit: true, Form: form(nil, "_", "person_id", "body", "position")}},
		{Page: "users", Data: UsersPage{List: usersL, Heads: heads, Accounts: accounts, Units: choices, People: people, Roles: auth.Roles, MinPassword: auth.MinPasswordLen, Form: form(map[string]string{"role": "reporter"}, "_", "login", "password", "role", "unit_id")}},
		{Page: "user", Data: UserPage{Account: accounts[0], Units: choices, People: people, Roles: auth.Roles, MinPassword: auth.MinPasswordLen, Form: form(map[string]string{"role": "statistician"}, "_", "role"), Password: form(nil, "password", "password2")}},
		{Page: "campaigns", Data: CampaignsPage{List: campaignsL, Heads: heads, Campaigns: campaigns, Townships: units[1:2], Today: today}},
		{Page: "campaign", Data: CampaignPage{Campaign: &campaigns[0], Townships: units[1:2], CanEdit: true, MaxGoals: MaxGoals,
			Form: form(map[string]string{"name": "大干一百天，冲刺四季度", "start": "2026-09-22", "end": "2026-12-31", "goals": "全年目标任务圆满完成"}, "_", "township_id", "name", "start", "end", "goals")}},
	}
}
