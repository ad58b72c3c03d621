package org_test

import (
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

// TestSearchIsLiteralAndCaseless shows that a search matches % and _ as
// themselves and ignores case, the same on both engines, for people and for
// accounts.
func TestSearchIsLiteralAndCaseless(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		s := &org.Store{DB: d}
		ctx := asSystem()
		tr := mustTree(t, s)
		for _, name := range []string{"100%_达标", "100%达标", "100_达标", "1000达标", "Zhang Wei", `反斜杠\人`} {
			mustPerson(t, s, tr.V1, name, "")
		}
		for _, login := range []string{"LiMing", "li_ming", "liXming", "wang"} {
			if _, err := s.CreateAccount(ctx, org.AccountInput{Login: login, Password: "secret-123", Role: auth.Viewer, UnitID: tr.A.ID}); err != nil {
				t.Fatal(err)
			}
		}
		people := []struct{ q, want string }{
			{"%_", "100%_达标"},
			{"%", "100%_达标,100%达标"},
			{"_", "100%_达标,100_达标"},
			{"0%", "100%_达标,100%达标"},
			{"zhang wei", "Zhang Wei"},
			{"ZHANG", "Zhang Wei"},
			{`\`, `反斜杠\人`},
			{"达标", "100%_达标,100%达标,1000达标,100_达标"}, // code point order on both engines
		}
		for _, tt := range people {
			got, total, err := s.People(ctx, org.PeopleFilter{Query: tt.q, Page: mustList(t, &web.ListSpec{Sorts: org.PeopleSorts}, "sort=name")})
			if err != nil {
				t.Fatal(err)
			}
			if names := personNames(got); names != tt.want || total != len(got) {
				t.Errorf("people matching %q = %s (total %d), want %s", tt.q, names, total, tt.want)
			}
		}
		accounts := []struct{ q, want string }{
			{"liming", "LiMing"},
			{"LIMING", "LiMing"},
			{"li_", "li_ming"},
			{"i_m", "li_ming"},
		}
		for _, tt := range accounts {
			got, _, err := s.FindAccounts(ctx, org.AccountFilter{Query: tt.q})
			if err != nil {
				t.Fatal(err)
			}
			if logins := accountLogins(got); logins != tt.want {
				t.Errorf("accounts matching %q = %s, want %s", tt.q, logins, tt.want)
			}
		}
	})
}

func personNames(ps []org.Person) string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Name)
	}
	return strings.Join(out, ",")
}

func accountLogins(as []org.Account) string {
	var out []string
	for _, a := range as {
		out = append(out, a.Login)
	}
	return strings.Join(out, ",")
}

// TestFindAccounts covers the accounts list's filters, sorts, paging and
// scope.
func TestFindAccounts(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		s := &org.Store{DB: d}
		ctx := asSystem()
		tr := mustTree(t, s)
		p := mustPerson(t, s, tr.V1, "宋小芳", "村会计")
		for _, a := range []org.AccountInput{
			{Login: "jiazhen", Role: auth.Admin, UnitID: tr.A.ID},
			{Login: "yicun", Role: auth.Reporter, UnitID: tr.V1.ID, PersonID: &p.ID},
			{Login: "wangge", Role: auth.GridWorker, UnitID: tr.G1.ID},
			{Login: "tingzhu", Role: auth.Viewer, UnitID: tr.A.ID},
			{Login: "yizhen", Role: auth.Admin, UnitID: tr.B.ID},
		} {
			a.Password = "secret-123"
			if _, err := s.CreateAccount(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		tingzhu := mustAccountID(t, d, "tingzhu")
		if err := s.UpdateAccount(ctx, tingzhu, org.AccountInput{Role: auth.Viewer, UnitID: tr.A.ID, Disabled: true}); err != nil {
			t.Fatal(err)
		}
		yes, no := true, false
		sorted := &web.ListSpec{Sorts: org.AccountSorts, PerPage: 2}
		tests := []struct {
			name  string
			f     org.AccountFilter
			want  string
			total int
		}{
			{"all, by unit then login", org.AccountFilter{}, "jiazhen,tingzhu,yicun,wangge,yizhen", 5},
			{"a role", org.AccountFilter{Role: auth.Admin}, "jiazhen,yizhen", 2},
			{"a unit with its subtree", org.AccountFilter{UnitID: &tr.V1.ID}, "yicun,wangge", 2},
			{"by the person's name", org.AccountFilter{Query: "小芳"}, "yicun", 1},
			{"disabled", org.AccountFilter{Disabled: &yes}, "tingzhu", 1},
			{"enabled in 甲镇", org.AccountFilter{UnitID: &tr.A.ID, Disabled: &no}, "jiazhen,yicun,wangge", 3},
			{"by login, reversed, first page of two", org.AccountFilter{Page: mustList(t, sorted, "sort=-login")}, "yizhen,yicun", 5},
			{"by login, third page", org.AccountFilter{Page: mustList(t, sorted, "sort=login&page=3")}, "yizhen", 5},
			{"by role", org.AccountFilter{Page: mustList(t, sorted, "sort=role")}, "jiazhen,yizhen", 5},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, total, err := s.FindAccounts(ctx, tt.f)
				if err != nil {
					t.Fatal(err)
				}
				if logins := accountLogins(got); logins != tt.want || total != tt.total {
					t.Errorf("accounts = %s (total %d), want %s (%d)", logins, total, tt.want, tt.total)
				}
			})
		}

		t.Run("scope", func(t *testing.T) {
			jctx := MustAs(t, d, "jiazhen")
			got, _, err := s.FindAccounts(jctx, org.AccountFilter{})
			if err != nil {
				t.Fatal(err)
			}
			if logins := accountLogins(got); logins != "jiazhen,tingzhu,yicun,wangge" {
				t.Errorf("甲镇's admin lists %s", logins)
			}
			denied := auditCount(t, d, audit.Denied, "unit", audit.ID(tr.B.ID))
			if _, _, err := s.FindAccounts(jctx, org.AccountFilter{UnitID: &tr.B.ID}); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("filter by 乙镇: err = %v, want not found", err)
			}
			if got := auditCount(t, d, audit.Denied, "unit", audit.ID(tr.B.ID)); got != denied+1 {
				t.Errorf("denied rows for 乙镇 = %d, want %d", got, denied+1)
			}
			yizhen := mustAccountID(t, d, "yizhen")
			if _, err := s.Account(jctx, yizhen); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("乙镇's account read from 甲镇: err = %v, want not found", err)
			}
			if got := auditCount(t, d, audit.Denied, "user", audit.ID(yizhen)); got != 1 {
				t.Errorf("denied rows for the account = %d, want 1", got)
			}
			if _, _, err := s.FindAccounts(MustAs(t, d, "yicun"), org.AccountFilter{}); platform.ErrorCode(err) != platform.Forbidden {
				t.Errorf("a reporter lists accounts: err = %v, want forbidden", err)
			}
		})
	})
}
