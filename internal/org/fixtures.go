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
	members := []TeamMember{{ID: 1, TownshipID: 2, PersonID: 1, PersonName: "黄秀英", Title: "党委书记", Body: Party, Position: "党委书记"}}
	return []web.Fixture{
		{Page: "units", Data: UnitsPage{Units: units, Kinds: Kinds, Form: form(map[string]string{"parent_id": "2", "kind": "village"}, "_", "parent_id", "kind", "name")}},
		{Page: "unit", Data: UnitPage{Unit: units[1], Parent: &units[0], Children: units[2:], People: people, Parents: units[:1], Form: form(map[string]string{"name": "XX镇"}, "_", "name", "parent_id")}},
		{Page: "people", Data: PeoplePage{People: people, Total: 2, Units: Choices(units), UnitID: 2, Unit: "2", Query: "黄", Page: 1, Pages: 2, Form: form(map[string]string{"unit_id": "2"}, "_", "name", "unit_id", "title", "phone")}},
		{Page: "person", Data: PersonPage{Person: people[0], Units: Choices(units), Form: form(map[string]string{"unit_id": "2", "name": "黄秀英"}, "_", "name", "unit_id")}},
		{Page: "team", Data: TeamPage{Townships: units[1:2], Township: &tw, Groups: []TeamGroup{{Body: Party, Members: members}}, People: people, Bodies: Bodies, InScope: true, CanEdit: true, Form: form(nil, "_", "person_id", "body", "position")}},
		{Page: "users", Data: UsersPage{Accounts: accounts, Units: Choices(units), People: people, Roles: auth.Roles, MinPassword: auth.MinPasswordLen, Form: form(map[string]string{"role": "reporter"}, "_", "login", "password", "role", "unit_id")}},
		{Page: "user", Data: UserPage{Account: accounts[0], Units: Choices(units), People: people, Roles: auth.Roles, MinPassword: auth.MinPasswordLen, Form: form(map[string]string{"role": "statistician"}, "_", "role"), Password: form(nil, "password", "password2")}},
	}
}
