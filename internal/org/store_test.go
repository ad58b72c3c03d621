package org_test

import (
	"context"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
)

// tree is a small org tree for the store tests:
//
//	区 D ─ 镇 A ─ 党政办, 村 V1 ─ 网格 G1
//	     └ 镇 B ─ 党政办
type tree struct {
	D, A, AOffice, V1, G1, B, BOffice org.Unit
}

func mustUnit(tb testing.TB, s *org.Store, parent *org.Unit, kind org.Kind, name string) org.Unit {
	tb.Helper()
	in := org.UnitInput{Kind: kind, Name: name}
	if parent != nil {
		in.ParentID = &parent.ID
	}
	u, err := s.CreateUnit(asSystem(), in)
	if err != nil {
		tb.Fatalf("create unit %s: %v", name, err)
	}
	return u
}

func mustTree(tb testing.TB, s *org.Store) tree {
	tb.Helper()
	var t tree
	t.D = mustUnit(tb, s, nil, org.District, "示范区")
	t.A = mustUnit(tb, s, &t.D, org.Township, "甲镇")
	t.AOffice = mustUnit(tb, s, &t.A, org.Department, "党政办")
	t.V1 = mustUnit(tb, s, &t.A, org.Village, "一村")
	t.G1 = mustUnit(tb, s, &t.V1, org.Grid, "第一网格")
	t.B = mustUnit(tb, s, &t.D, org.Township, "乙镇")
	t.BOffice = mustUnit(tb, s, &t.B, org.Department, "党政办") // the same name under another parent is fine
	return t
}

func mustPerson(tb testing.TB, s *org.Store, unit org.Unit, name, title string) org.Person {
	tb.Helper()
	p, err := s.CreatePerson(asSystem(), org.PersonInput{UnitID: unit.ID, Name: name, Title: title})
	if err != nil {
		tb.Fatalf("create person %s: %v", name, err)
	}
	return p
}

func TestCanHold(t *testing.T) {
	tests := []struct {
		parent, child org.Kind
		want          bool
	}{
		{"", org.District, true},
		{"", org.Township, true},
		{"", org.Village, false},
		{org.District, org.Township, true},
		{org.District, org.Village, false},
		{org.Township, org.Department, true},
		{org.Township, org.Village, true},
		{org.Township, org.Community, true},
		{org.Township, org.Grid, false},
		{org.Township, org.Township, false},
		{org.Department, org.Department, true},
		{org.Department, org.Grid, false},
		{org.Village, org.Grid, true},
		{org.Community, org.Grid, true},
		{org.Village, org.Township, false},
		{org.Grid, org.Grid, false},
	}
	for _, tt := range tests {
		if got := org.CanHold(tt.parent, tt.child); got != tt.want {
			t.Errorf("CanHold(%q, %q) = %v, want %v", tt.parent, tt.child, got, tt.want)
		}
	}
}

func TestUnitStore(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		s := &org.Store{DB: d}
		ctx := asSystem()
		tr := mustTree(t, s)
		for _, u := range []org.Unit{tr.D, tr.A, tr.V1, tr.G1} {
			if got := auditCount(t, d, audit.Create, "unit", audit.ID(u.ID)); got != 1 {
				t.Errorf("audit rows for creating %s = %d, want 1", u.Name, got)
			}
		}
		if got, want := tr.G1.Path, tr.V1.Path+audit.ID(tr.G1.ID)+"/"; got != want {
			t.Errorf("grid path = %q, want %q", got, want)
		}

		t.Run("create refused", func(t *testing.T) {
			tests := []struct {
				name  string
				in    org.UnitInput
				code  platform.Code
				key   string
				field string
			}{
				{"grid under a township", org.UnitInput{ParentID: &tr.A.ID, Kind: org.Grid, Name: "网格"}, platform.Invalid, "org.err.kind_not_allowed", "kind"},
				{"township under a village", org.UnitInput{ParentID: &tr.V1.ID, Kind: org.Township, Name: "镇"}, platform.Invalid, "org.err.kind_not_allowed", "kind"},
				{"district under a district", org.UnitInput{ParentID: &tr.D.ID, Kind: org.District, Name: "区"}, platform.Invalid, "org.err.kind_not_allowed", "kind"},
				{"grid under a grid", org.UnitInput{ParentID: &tr.G1.ID, Kind: org.Grid, Name: "小网格"}, platform.Invalid, "org.err.kind_not_allowed", "kind"},
				{"unknown kind", org.UnitInput{ParentID: &tr.A.ID, Kind: "city", Name: "城"}, platform.Invalid, "org.err.bad_kind", "kind"},
				{"missing name", org.UnitInput{ParentID: &tr.A.ID, Kind: org.Village, Name: "  "}, platform.Invalid, "form.err.required", "name"},
				{"name too long", org.UnitInput{ParentID: &tr.A.ID, Kind: org.Village, Name: strings.Repeat("村", org.MaxName+1)}, platform.Invalid, "form.err.too_long", "name"},
				{"duplicate sibling name", org.UnitInput{ParentID: &tr.A.ID, Kind: org.Village, Name: "一村"}, platform.Invalid, "org.err.duplicate_unit", "name"},
				{"no such parent", org.UnitInput{ParentID: ptr(int64(99999)), Kind: org.Village, Name: "二村"}, platform.NotFound, "", ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					before, auditBefore := len(mustUnits(t, s)), auditCount(t, d, "", "", "")
					_, err := s.CreateUnit(ctx, tt.in)
					wantCode(t, err, tt.code, tt.key, tt.field)
					if got := len(mustUnits(t, s)); got != before {
						t.Errorf("units = %d, want %d (nothing created)", got, before)
					}
					if got := auditCount(t, d, "", "", ""); got != auditBefore {
						t.Errorf("audit rows = %d, want %d", got, auditBefore)
					}
				})
			}
		})

		t.Run("rename to a sibling's name refused", func(t *testing.T) {
			_, err := s.UpdateUnit(ctx, tr.AOffice.ID, org.UnitInput{ParentID: &tr.A.ID, Name: "一村"})
			wantCode(t, err, platform.Invalid, "org.err.duplicate_unit", "name")
			if got, _ := s.Unit(ctx, tr.AOffice.ID); got.Name != "党政办" {
				t.Errorf("name = %q, want 党政办", got.Name)
			}
		})

		t.Run("move under itself or its own child refused", func(t *testing.T) {
			tests := []struct {
				name   string
				parent int64
				key    string
			}{
				{"itself", tr.V1.ID, "org.err.move_under_self"},
				{"its own grid", tr.G1.ID, "org.err.move_under_self"},
				{"a department", tr.AOffice.ID, "org.err.kind_not_allowed"},
				{"the district", tr.D.ID, "org.err.kind_not_allowed"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					auditBefore := auditCount(t, d, "", "", "")
					_, err := s.UpdateUnit(ctx, tr.V1.ID, org.UnitInput{ParentID: &tt.parent, Name: "一村改"})
					wantCode(t, err, platform.Invalid, tt.key, "parent_id")
					v1, err := s.Unit(ctx, tr.V1.ID)
					if err != nil {
						t.Fatal(err)
					}
					if v1.Name != tr.V1.Name || *v1.ParentID != tr.A.ID || v1.Path != tr.V1.Path || !v1.UpdatedAt.Equal(tr.V1.UpdatedAt) {
						t.Errorf("village changed: %+v, want %+v", v1, tr.V1)
					}
					if g1, _ := s.Unit(ctx, tr.G1.ID); g1.Path != tr.G1.Path {
						t.Errorf("grid path = %q, want %q", g1.Path, tr.G1.Path)
					}
					if got := auditCount(t, d, "", "", ""); got != auditBefore {
						t.Errorf("audit rows = %d, want %d", got, auditBefore)
					}
				})
			}
		})

		t.Run("rename and move with the subtree", func(t *testing.T) {
			v1, err := s.UpdateUnit(ctx, tr.V1.ID, org.UnitInput{ParentID: &tr.B.ID, Name: "一村（迁）", Sort: 3})
			if err != nil {
				t.Fatal(err)
			}
			if got, want := v1.Path, tr.B.Path+audit.ID(tr.V1.ID)+"/"; got != want {
				t.Errorf("village path = %q, want %q", got, want)
			}
			if v1.Name != "一村（迁）" || v1.Sort != 3 || *v1.ParentID != tr.B.ID {
				t.Errorf("village = %+v", v1)
			}
			g1, err := s.Unit(ctx, tr.G1.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := g1.Path, v1.Path+audit.ID(tr.G1.ID)+"/"; got != want {
				t.Errorf("grid path after move = %q, want %q", got, want)
			}
			if got := auditCount(t, d, audit.Update, "unit", audit.ID(tr.V1.ID)); got != 1 {
				t.Errorf("audit update rows = %d, want 1", got)
			}
		})

		t.Run("delete", func(t *testing.T) {
			wantCode(t, s.DeleteUnit(ctx, tr.V1.ID), platform.Conflict, "org.err.unit_has_children", "")
			p := mustPerson(t, s, tr.G1, "网格员甲", "")
			wantCode(t, s.DeleteUnit(ctx, tr.G1.ID), platform.Conflict, "org.err.unit_has_people", "")
			if _, err := s.Unit(ctx, tr.G1.ID); err != nil {
				t.Fatalf("grid after refused delete: %v", err)
			}
			if err := s.DeletePerson(ctx, p.ID); err != nil {
				t.Fatal(err)
			}
			if err := s.DeleteUnit(ctx, tr.G1.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Unit(ctx, tr.G1.ID); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("deleted grid: err = %v, want not found", err)
			}
			if got := auditCount(t, d, audit.Delete, "unit", audit.ID(tr.G1.ID)); got != 1 {
				t.Errorf("audit delete rows = %d, want 1", got)
			}
		})
	})
}

func mustUnits(tb testing.TB, s *org.Store) []org.Unit {
	tb.Helper()
	units, err := s.Units(asSystem())
	if err != nil {
		tb.Fatal(err)
	}
	return units
}

func TestPeopleStore(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		s := &org.Store{DB: d}
		ctx := asSystem()
		tr := mustTree(t, s)

		t.Run("create refused", func(t *testing.T) {
			tests := []struct {
				name string
				in   org.PersonInput
				want map[string]string // field → key
			}{
				{"missing name", org.PersonInput{UnitID: tr.V1.ID, Name: " "}, map[string]string{"name": "form.err.required"}},
				{"no unit", org.PersonInput{Name: "张三"}, map[string]string{"unit_id": "form.err.required"}},
				{"long title and bad phone", org.PersonInput{UnitID: tr.V1.ID, Name: "张三", Title: strings.Repeat("长", org.MaxTitle+1), Phone: "call me"},
					map[string]string{"title": "form.err.too_long", "phone": "org.err.bad_phone"}},
				{"phone too long", org.PersonInput{UnitID: tr.V1.ID, Name: "张三", Phone: strings.Repeat("1", org.MaxPhone+1)}, map[string]string{"phone": "form.err.too_long"}},
				{"no such unit", org.PersonInput{UnitID: 99999, Name: "张三"}, map[string]string{"unit_id": "org.err.no_such_unit"}},
				{"a WeCom id with a space", org.PersonInput{UnitID: tr.V1.ID, Name: "张三", WeComID: "zhang san"}, map[string]string{"wecom_id": "org.err.bad_wecom_id"}},
				{"a WeCom id too long", org.PersonInput{UnitID: tr.V1.ID, Name: "张三", WeComID: strings.Repeat("z", 65)}, map[string]string{"wecom_id": "org.err.bad_wecom_id"}},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					_, err := s.CreatePerson(ctx, tt.in)
					wantCode(t, err, platform.Invalid, "", "")
					got := fieldErrors(err)
					for f, k := range tt.want {
						if got[f] != k {
							t.Errorf("error on %s = %q, want %q (all: %v)", f, got[f], k, got)
						}
					}
					if _, total, _ := s.People(ctx, org.PeopleFilter{}); total != 0 {
						t.Errorf("people = %d, want 0", total)
					}
				})
			}
		})

		secretary := mustPerson(t, s, tr.V1, "梁德福", "村党总支书记")
		t.Run("a WeCom id is kept", func(t *testing.T) {
			in := org.PersonInput{UnitID: tr.V1.ID, Name: secretary.Name, Title: secretary.Title, WeComID: " LiangDeFu@xx.gov "}
			if _, err := s.UpdatePerson(ctx, secretary.ID, in); err != nil {
				t.Fatal(err)
			}
			got, err := s.Person(ctx, secretary.ID)
			if err != nil || got.WeComID != "LiangDeFu@xx.gov" {
				t.Errorf("WeCom id = %q %v, want LiangDeFu@xx.gov", got.WeComID, err)
			}
		})
		gridder := mustPerson(t, s, tr.G1, "唐明亮", "专职网格员")
		other := mustPerson(t, s, tr.B, "蒋文华", "统计站站长")
		for _, p := range []org.Person{secretary, gridder, other} {
			if got := auditCount(t, d, audit.Create, "person", audit.ID(p.ID)); got != 1 {
				t.Errorf("audit rows for creating %s = %d, want 1", p.Name, got)
			}
		}

		t.Run("list", func(t *testing.T) {
			tests := []struct {
				name      string
				f         org.PeopleFilter
				wantNames []string
				wantTotal int
			}{
				{"all", org.PeopleFilter{}, nil, 3},
				{"a unit with its subtree", org.PeopleFilter{UnitID: &tr.V1.ID}, []string{"梁德福", "唐明亮"}, 2},
				{"a leaf", org.PeopleFilter{UnitID: &tr.G1.ID}, []string{"唐明亮"}, 1},
				{"query on title", org.PeopleFilter{Query: "书记"}, []string{"梁德福"}, 1},
				{"query on name within a unit", org.PeopleFilter{UnitID: &tr.B.ID, Query: "蒋"}, []string{"蒋文华"}, 1},
				{"second page", org.PeopleFilter{UnitID: &tr.V1.ID, Page: mustList(t, onePerPage, "page=2")}, []string{"唐明亮"}, 2},
				{"past the last page shows the last", org.PeopleFilter{UnitID: &tr.V1.ID, Page: mustList(t, onePerPage, "page=9")}, []string{"唐明亮"}, 2},
				{"sorted by name, reversed", org.PeopleFilter{Page: mustList(t, &web.ListSpec{Sorts: org.PeopleSorts}, "sort=-name")}, []string{"蒋文华", "梁德福", "唐明亮"}, 3},
				{"no match", org.PeopleFilter{Query: "无此人"}, nil, 0},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					got, total, err := s.People(ctx, tt.f)
					if err != nil {
						t.Fatal(err)
					}
					if total != tt.wantTotal {
						t.Errorf("total = %d, want %d", total, tt.wantTotal)
					}
					if tt.wantNames == nil {
						return
					}
					var names []string
					for _, p := range got {
						names = append(names, p.Name)
					}
					if strings.Join(names, ",") != strings.Join(tt.wantNames, ",") {
						t.Errorf("names = %v, want %v", names, tt.wantNames)
					}
				})
			}
		})

		t.Run("update moves to another unit", func(t *testing.T) {
			p, err := s.UpdatePerson(ctx, gridder.ID, org.PersonInput{UnitID: tr.B.ID, Name: "唐明亮", Title: "网格长", Phone: "+86 138-0000", Sort: 2})
			if err != nil {
				t.Fatal(err)
			}
			if p.UnitID != tr.B.ID || p.Title != "网格长" || p.Phone != "+86 138-0000" || p.Sort != 2 {
				t.Errorf("person = %+v", p)
			}
			if got := auditCount(t, d, audit.Update, "person", audit.ID(p.ID)); got != 1 {
				t.Errorf("audit update rows = %d, want 1", got)
			}
			_, err = s.UpdatePerson(ctx, gridder.ID, org.PersonInput{UnitID: tr.B.ID, Name: ""})
			wantCode(t, err, platform.Invalid, "form.err.required", "name")
			if got, _ := s.Person(ctx, gridder.ID); got.Name != "唐明亮" {
				t.Errorf("name after refused update = %q", got.Name)
			}
		})

		t.Run("delete", func(t *testing.T) {
			if err := s.DeletePerson(ctx, other.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Person(ctx, other.ID); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("deleted person: err = %v, want not found", err)
			}
			if got := auditCount(t, d, audit.Delete, "person", audit.ID(other.ID)); got != 1 {
				t.Errorf("audit delete rows = %d, want 1", got)
			}
		})

		t.Run("delete refused while the person has an account", func(t *testing.T) {
			if _, err := s.CreateAccount(ctx, org.AccountInput{Login: "liang", Password: "secret-123", Role: auth.Reporter, UnitID: tr.V1.ID, PersonID: &secretary.ID}); err != nil {
				t.Fatal(err)
			}
			wantCode(t, s.DeletePerson(ctx, secretary.ID), platform.Conflict, "org.err.person_has_login", "")
			p, err := s.Person(ctx, secretary.ID)
			if err != nil || !p.HasLogin {
				t.Errorf("person after refused delete = %+v, %v; want it, with HasLogin", p, err)
			}
		})
	})
}

func TestTeamStore(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		s := &org.Store{DB: d}
		ctx := asSystem()
		tr := mustTree(t, s)
		head := mustPerson(t, s, tr.A, "张建国", "党委书记")
		mayor := mustPerson(t, s, tr.A, "李卫东", "镇长")
		villager := mustPerson(t, s, tr.V1, "梁德福", "村书记")
		outsider := mustPerson(t, s, tr.B, "蒋文华", "站长")

		tests := []struct {
			name  string
			in    org.TeamInput
			code  platform.Code // "" for success
			key   string
			field string
		}{
			{"secretary", org.TeamInput{TownshipID: tr.A.ID, PersonID: head.ID, Body: org.Party, Position: "党委书记"}, "", "", ""},
			{"mayor in the government", org.TeamInput{TownshipID: tr.A.ID, PersonID: mayor.ID, Body: org.Government, Position: "镇长"}, "", "", ""},
			{"mayor in the party too", org.TeamInput{TownshipID: tr.A.ID, PersonID: mayor.ID, Body: org.Party, Position: "党委副书记", Sort: 1}, "", "", ""},
			{"someone from a village", org.TeamInput{TownshipID: tr.A.ID, PersonID: villager.ID, Body: org.Congress, Position: "人大代表"}, "", "", ""},
			{"second seat in one body", org.TeamInput{TownshipID: tr.A.ID, PersonID: head.ID, Body: org.Party, Position: "书记"}, platform.Invalid, "org.err.duplicate_seat", "person_id"},
			{"person of another township", org.TeamInput{TownshipID: tr.A.ID, PersonID: outsider.ID, Body: org.Party, Position: "委员"}, platform.Invalid, "org.err.person_not_in_township", "person_id"},
			{"no such person", org.TeamInput{TownshipID: tr.A.ID, PersonID: 99999, Body: org.Party, Position: "委员"}, platform.Invalid, "org.err.no_such_person", "person_id"},
			{"not a township", org.TeamInput{TownshipID: tr.V1.ID, PersonID: villager.ID, Body: org.Party, Position: "委员"}, platform.Invalid, "org.err.not_township", "township_id"},
			{"unknown body", org.TeamInput{TownshipID: tr.A.ID, PersonID: villager.ID, Body: "army", Position: "委员"}, platform.Invalid, "org.err.bad_body", "body"},
			{"position too long", org.TeamInput{TownshipID: tr.A.ID, PersonID: villager.ID, Body: org.Party, Position: strings.Repeat("长", org.MaxTitle+1)}, platform.Invalid, "form.err.too_long", "position"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := auditCount(t, d, audit.Create, "team_member", "")
				err := s.AddTeamMember(ctx, tt.in)
				after := auditCount(t, d, audit.Create, "team_member", "")
				if tt.code == "" {
					if err != nil {
						t.Fatal(err)
					}
					if after != before+1 {
						t.Errorf("audit create rows = %d, want %d", after, before+1)
					}
					return
				}
				wantCode(t, err, tt.code, tt.key, tt.field)
				if after != before {
					t.Errorf("audit create rows = %d, want %d", after, before)
				}
			})
		}

		team, err := s.Team(ctx, tr.A.ID)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, m := range team {
			got = append(got, string(m.Body)+":"+m.PersonName)
		}
		want := "party:张建国,party:李卫东,government:李卫东,congress:梁德福"
		if strings.Join(got, ",") != want {
			t.Errorf("team = %v, want %s", got, want)
		}

		t.Run("read from a village below", func(t *testing.T) {
			if _, err := s.CreateAccount(ctx, org.AccountInput{Login: "yicun", Password: "secret-123", Role: auth.Reporter, UnitID: tr.V1.ID}); err != nil {
				t.Fatal(err)
			}
			vctx := MustAs(t, d, "yicun")
			tws, err := s.Townships(vctx)
			if err != nil {
				t.Fatal(err)
			}
			if len(tws) != 1 || tws[0].ID != tr.A.ID {
				t.Errorf("townships = %+v, want only 甲镇", tws)
			}
			if team, err := s.Team(vctx, tr.A.ID); err != nil || len(team) != 4 {
				t.Errorf("team of own township = %d seats, %v; want 4", len(team), err)
			}
			denied := auditCount(t, d, audit.Denied, "unit", audit.ID(tr.B.ID))
			if _, err := s.Team(vctx, tr.B.ID); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("team of another township: err = %v, want not found", err)
			}
			if got := auditCount(t, d, audit.Denied, "unit", audit.ID(tr.B.ID)); got != denied+1 {
				t.Errorf("denied rows = %d, want %d", got, denied+1)
			}
			wantCode(t, s.RemoveTeamMember(vctx, team[0].ID), platform.NotFound, "", "")
			if err := s.AddTeamMember(vctx, org.TeamInput{TownshipID: tr.A.ID, PersonID: villager.ID, Body: org.Party, Position: "委员"}); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("seat added from below: err = %v, want not found", err)
			}
			if _, err := s.Team(vctx, tr.V1.ID); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("team of a village: err = %v, want not found", err)
			}
		})

		t.Run("remove", func(t *testing.T) {
			if err := s.RemoveTeamMember(ctx, team[0].ID); err != nil {
				t.Fatal(err)
			}
			if got := auditCount(t, d, audit.Delete, "team_member", audit.ID(team[0].ID)); got != 1 {
				t.Errorf("audit delete rows = %d, want 1", got)
			}
			after, _ := s.Team(ctx, tr.A.ID)
			if len(after) != 3 {
				t.Errorf("seats after removal = %d, want 3", len(after))
			}
			wantCode(t, s.RemoveTeamMember(ctx, team[0].ID), platform.NotFound, "", "")
		})
	})
}

func TestAccountStore(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		s := &org.Store{DB: d}
		tr := mustTree(t, s)
		p := mustPerson(t, s, tr.V1, "宋小芳", "村会计")
		adminID, err := s.CreateAccount(asSystem(), org.AccountInput{Login: "jiazhen", Password: "secret-123", Role: auth.Admin, UnitID: tr.A.ID})
		if err != nil {
			t.Fatal(err)
		}
		ctx := MustAs(t, d, "jiazhen") // an admin of 甲镇

		var id int64
		tests := []struct {
			name  string
			in    org.AccountInput
			code  platform.Code // "" for success
			key   string
			field string
		}{
			{"reporter with a person", org.AccountInput{Login: "yicun", Password: "secret-123", Role: auth.Reporter, UnitID: tr.V1.ID, PersonID: &p.ID}, "", "", ""},
			{"duplicate login", org.AccountInput{Login: "yicun", Password: "secret-456", Role: auth.Viewer, UnitID: tr.A.ID}, platform.Conflict, "org.err.duplicate_login", "login"},
			{"short password", org.AccountInput{Login: "erhao", Password: "short", Role: auth.Viewer, UnitID: tr.A.ID}, platform.Invalid, "auth.err.password_short", "password"},
			{"bad role", org.AccountInput{Login: "erhao", Password: "secret-123", Role: "boss", UnitID: tr.A.ID}, platform.Invalid, "org.err.bad_role", "role"},
			{"missing login", org.AccountInput{Login: " ", Password: "secret-123", Role: auth.Viewer, UnitID: tr.A.ID}, platform.Invalid, "form.err.required", "login"},
			{"login with spaces", org.AccountInput{Login: "er hao", Password: "secret-123", Role: auth.Viewer, UnitID: tr.A.ID}, platform.Invalid, "org.err.bad_login", "login"},
			{"login too long", org.AccountInput{Login: strings.Repeat("a", org.MaxLogin+1), Password: "secret-123", Role: auth.Viewer, UnitID: tr.A.ID}, platform.Invalid, "form.err.too_long", "login"},
			{"unit outside scope", org.AccountInput{Login: "erhao", Password: "secret-123", Role: auth.Viewer, UnitID: tr.B.ID}, platform.Invalid, "org.err.no_such_unit", "unit_id"},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				before := len(mustAccounts(t, s, asSystem()))
				auditBefore := auditCount(t, d, audit.Create, "user", "")
				got, err := s.CreateAccount(ctx, tt.in)
				if tt.code == "" {
					if err != nil {
						t.Fatal(err)
					}
					id = got
					if n := auditCount(t, d, audit.Create, "user", audit.ID(id)); n != 1 {
						t.Errorf("audit create rows = %d, want 1", n)
					}
					var after string
					d.QueryRowContext(context.Background(), `SELECT after_json FROM audit_log WHERE entity = 'user' AND entity_id = $1`, audit.ID(id)).Scan(&after)
					if strings.Contains(after, tt.in.Password) {
						t.Errorf("audit row holds the password: %s", after)
					}
					return
				}
				wantCode(t, err, tt.code, tt.key, tt.field)
				if n := len(mustAccounts(t, s, asSystem())); n != before {
					t.Errorf("accounts = %d, want %d (nothing created)", n, before)
				}
				if n := auditCount(t, d, audit.Create, "user", ""); n != auditBefore {
					t.Errorf("audit create rows = %d, want %d", n, auditBefore)
				}
			})
		}

		t.Run("list in scope", func(t *testing.T) {
			var logins []string
			for _, a := range mustAccounts(t, s, ctx) {
				logins = append(logins, a.Login)
			}
			if got, want := strings.Join(logins, ","), "jiazhen,yicun"; got != want {
				t.Errorf("accounts = %s, want %s", got, want)
			}
			if _, err := s.Accounts(MustAs(t, d, "yicun")); platform.ErrorCode(err) != platform.Forbidden {
				t.Errorf("accounts as a reporter: err = %v, want forbidden", err)
			}
		})

		t.Run("update", func(t *testing.T) {
			if err := s.UpdateAccount(ctx, id, org.AccountInput{Role: auth.Viewer, UnitID: tr.A.ID, Disabled: true}); err != nil {
				t.Fatal(err)
			}
			a, err := s.Account(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if a.Role != auth.Viewer || a.UnitID != tr.A.ID || a.PersonID != nil || !a.Disabled {
				t.Errorf("account = %+v", a)
			}
			if n := auditCount(t, d, audit.Update, "user", audit.ID(id)); n != 1 {
				t.Errorf("audit update rows = %d, want 1", n)
			}
			wantCode(t, s.UpdateAccount(ctx, id, org.AccountInput{Role: "boss", UnitID: tr.A.ID}), platform.Invalid, "org.err.bad_role", "role")
			wantCode(t, s.UpdateAccount(ctx, adminID, org.AccountInput{Role: auth.Admin, UnitID: tr.A.ID, Disabled: true}), platform.Invalid, "org.err.not_yourself", "")
			wantCode(t, s.UpdateAccount(ctx, id, org.AccountInput{Role: auth.Viewer, UnitID: tr.B.ID}), platform.Invalid, "org.err.no_such_unit", "unit_id")
			if a2, _ := s.Account(ctx, id); a2.Role != auth.Viewer || a2.UnitID != tr.A.ID {
				t.Errorf("account after refused updates = %+v", a2)
			}
		})

		t.Run("password", func(t *testing.T) {
			as := &auth.Store{DB: d}
			if err := s.UpdateAccount(ctx, id, org.AccountInput{Role: auth.Reporter, UnitID: tr.V1.ID}); err != nil {
				t.Fatal(err)
			}
			for i := 0; i < auth.MaxFailedLogins; i++ {
				as.Authenticate(context.Background(), "yicun", "wrong-password")
			}
			if a, _ := s.Account(ctx, id); !a.Locked {
				t.Errorf("account after %d wrong passwords: not locked", auth.MaxFailedLogins)
			}
			wantCode(t, s.SetPassword(ctx, id, "short"), platform.Invalid, "auth.err.password_short", "password")
			if err := s.SetPassword(ctx, id, "new-secret-1"); err != nil {
				t.Fatal(err)
			}
			if a, _ := s.Account(ctx, id); a.Locked {
				t.Error("account still locked after a reset")
			}
			if _, err := as.Authenticate(context.Background(), "yicun", "new-secret-1"); err != nil {
				t.Errorf("sign in with the new password: %v", err)
			}
			if n := auditCount(t, d, audit.Update, "user.password", audit.ID(id)); n != 1 {
				t.Errorf("audit password rows = %d, want 1", n)
			}
		})

		// A reset makes the owner choose their own password, and ends every
		// session and token; so does disabling the account.
		t.Run("reset and disable sign out everywhere", func(t *testing.T) {
			as := &auth.Store{DB: d}
			u, _ := as.UserByID(context.Background(), id)
			sess, _ := as.NewSession(context.Background(), u)
			tok, _ := as.CreateToken(context.Background(), id, "script")
			if err := s.SetPassword(ctx, id, "Reset-by-admin-9"); err != nil {
				t.Fatal(err)
			}
			if u, _ := as.UserByID(context.Background(), id); !u.MustChange {
				t.Error("after a reset the owner need not change the password")
			}
			if _, err := as.SessionByToken(context.Background(), sess.Token); err == nil {
				t.Error("a session survived the reset")
			}
			if _, err := as.UserByToken(context.Background(), tok); err == nil {
				t.Error("a token survived the reset")
			}
			tok, _ = as.CreateToken(context.Background(), id, "script")
			if err := s.UpdateAccount(ctx, id, org.AccountInput{Role: auth.Reporter, UnitID: tr.V1.ID, Disabled: true}); err != nil {
				t.Fatal(err)
			}
			if n := countRows(t, d, "api_tokens", id); n != 0 {
				t.Errorf("%d tokens left after disabling the account", n)
			}
			if err := s.UpdateAccount(ctx, id, org.AccountInput{Role: auth.Reporter, UnitID: tr.V1.ID}); err != nil {
				t.Fatal(err)
			}
		})

		t.Run("own password", func(t *testing.T) {
			as := &auth.Store{DB: d}
			u, _ := as.UserByID(context.Background(), id)
			here, _ := as.NewSession(context.Background(), u)
			there, _ := as.NewSession(context.Background(), u)
			tok, _ := as.CreateToken(context.Background(), id, "script")
			own := auth.WithUser(context.Background(), u)
			wantCode(t, s.ChangeOwnPassword(own, "not-it", "Own-choice-77", here.Token), platform.Invalid, "org.err.old_password", "old_password")
			wantCode(t, s.ChangeOwnPassword(own, "Reset-by-admin-9", "abcdefgh2", here.Token), platform.Invalid, "auth.err.password_classes", "password")
			wantCode(t, s.ChangeOwnPassword(own, "Reset-by-admin-9", "Yicun-2026", here.Token), platform.Invalid, "auth.err.password_login", "password")
			wantCode(t, s.ChangeOwnPassword(own, "Reset-by-admin-9", "Reset-by-admin-9", here.Token), platform.Invalid, "org.err.password_same", "password")
			if err := s.ChangeOwnPassword(own, "Reset-by-admin-9", "Own-choice-77", here.Token); err != nil {
				t.Fatal(err)
			}
			if u, _ := as.UserByID(context.Background(), id); u.MustChange {
				t.Error("still must change after choosing a password")
			}
			if _, err := as.SessionByToken(context.Background(), here.Token); err != nil {
				t.Errorf("the session that changed the password ended: %v", err)
			}
			if _, err := as.SessionByToken(context.Background(), there.Token); err == nil {
				t.Error("another session survived the change")
			}
			if _, err := as.UserByToken(context.Background(), tok); err == nil {
				t.Error("a token survived the change")
			}
			if _, err := as.Authenticate(context.Background(), "yicun", "Own-choice-77"); err != nil {
				t.Errorf("sign in with the own password: %v", err)
			}
		})
	})
}

func countRows(tb testing.TB, d *db.DB, table string, userID int64) int {
	tb.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table+` WHERE user_id = $1`, userID).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}

func mustAccounts(tb testing.TB, s *org.Store, ctx context.Context) []org.Account {
	tb.Helper()
	as, err := s.Accounts(ctx)
	if err != nil {
		tb.Fatal(err)
	}
	return as
}
