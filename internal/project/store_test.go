package project_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform"
	paudit "guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/project"
)

var demoNow = time.Date(2026, 11, 25, 10, 0, 0, 0, clock.Beijing)

// world is the demo township as the tests need it.
type world struct {
	d        *db.DB
	s        *project.Store
	township int64
	units    map[string]int64 // XX镇's, by name
	people   map[string]int64 // by name
}

// setup loads the demo with an empty register, so each test counts its
// own projects (demoSetup keeps the demo's).
func setup(t *testing.T, d *db.DB) *world {
	t.Helper()
	w := demoSetup(t, d)
	for _, table := range []string{"project_stages", "project_people", "projects"} {
		if _, err := d.ExecContext(context.Background(), `DELETE FROM `+table); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

func demoSetup(t *testing.T, d *db.DB) *world {
	t.Helper()
	res, err := demo.Load(context.Background(), d, demoNow)
	if err != nil {
		t.Fatal(err)
	}
	w := &world{d: d, s: &project.Store{DB: d, Now: func() time.Time { return demoNow }}, township: res.TownshipID,
		units: map[string]int64{}, people: map[string]int64{}}
	sc, err := (&org.Store{DB: d}).Scope(w.as(t, "admin"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range sc.Units() {
		if tw, ok := sc.TownshipOf(u.ID); ok && tw.ID == res.TownshipID {
			w.units[u.Name] = u.ID
		}
	}
	ps, err := sc.People(context.Background(), 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		w.people[p.Name] = p.ID
	}
	return w
}

func (w *world) as(t *testing.T, login string) context.Context {
	t.Helper()
	u, err := (&auth.Store{DB: w.d}).UserByLogin(context.Background(), login)
	if err != nil {
		t.Fatalf("user %s: %v", login, err)
	}
	return auth.WithUser(context.Background(), u)
}

func ptr[T any](v T) *T { return &v }

// input is a valid project of 经发办 in 双塘村 under 刘晓明.
func (w *world) input(name string) project.Input {
	return project.Input{Name: name, Kind: project.Industrial, Industry: "装备制造配件", Investor: "恒达机械", VillageID: ptr(w.units["双塘村"]),
		Park: "双塘工业园", Total: 32000, YearPlanned: 12000, Level: project.City, LeaderID: w.people["刘晓明"], UnitID: w.units["经发办（招商办）"],
		ContactID: ptr(w.people["胡佳怡"]), MemberIDs: []int64{w.people["朱永康"], w.people["梁德福"]}}
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestCreateRules(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		ctx := w.as(t, "duban")
		cases := []struct {
			name  string
			edit  func(in *project.Input)
			field string // "" when accepted
		}{
			{"a plant", func(in *project.Input) {}, ""},
			{"no name", func(in *project.Input) { in.Name = " " }, "name"},
			{"a name too long", func(in *project.Input) { in.Name = strings.Repeat("厂", project.MaxName+1) }, "name"},
			{"unknown kind", func(in *project.Input) { in.Kind = "mining" }, "kind"},
			{"unknown level", func(in *project.Input) { in.Level = "national" }, "level"},
			{"negative total", func(in *project.Input) { in.Total, in.YearPlanned = -1, 0 }, "total_investment"},
			{"negative year plan", func(in *project.Input) { in.YearPlanned = -5 }, "year_planned_investment"},
			{"year plan over total", func(in *project.Input) { in.YearPlanned = in.Total + 1 }, "year_planned_investment"},
			{"no responsible unit", func(in *project.Input) { in.UnitID = 0 }, "unit_id"},
			{"owner leader off the team", func(in *project.Input) { in.LeaderID = w.people["梁德福"] }, "owner_leader_id"},
			{"owner leader of another town", func(in *project.Input) { in.LeaderID = w.people["彭晓燕"] }, "owner_leader_id"},
			{"village not a village", func(in *project.Input) { in.VillageID = ptr(w.units["财政所"]) }, "village_id"},
			{"contact of another town", func(in *project.Input) { in.ContactID = ptr(w.people["彭晓燕"]) }, "contact_person_id"},
			{"member of another town", func(in *project.Input) { in.MemberIDs = []int64{w.people["蒋文华"]} }, "member_ids"},
			{"park only, no village", func(in *project.Input) { in.VillageID = nil }, ""},
		}
		for i, tt := range cases {
			t.Run(tt.name, func(t *testing.T) {
				in := w.input("项目" + string(rune('A'+i)))
				tt.edit(&in)
				_, err := w.s.Create(ctx, in)
				if tt.field == "" {
					if err != nil {
						t.Fatalf("refused: %v", err)
					}
					return
				}
				if e := platform.AsError(err); e.Code != platform.Invalid || !hasField(err, tt.field) {
					t.Errorf("got %v, want invalid on %s", err, tt.field)
				}
			})
		}
		if _, err := w.s.Create(ctx, w.input("项目A")); !hasField(err, "name") {
			t.Errorf("a name taken: %v, want invalid on name", err)
		}
		for _, login := range []string{"shuangtang", "guest", "tongji"} {
			if _, err := w.s.Create(w.as(t, login), w.input("别人的项目")); platform.ErrorCode(err) != platform.Forbidden {
				t.Errorf("%s registering: %v, want forbidden", login, err)
			}
		}
		p, err := w.s.Create(w.as(t, "shuji"), w.input("书记的项目"))
		if err != nil {
			t.Fatalf("a leader registering: %v", err)
		}
		if p.ContactID == nil || len(p.MemberIDs) != 2 || p.Stage != "" || len(p.Stages) != len(project.Stages) {
			t.Errorf("the new project: %+v", p)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND entity_id = $1 AND action = 'create'`, paudit.ID(p.ID)); n != 1 {
			t.Errorf("%d audit entries of the create, want 1", n)
		}
	})
}

func hasField(err error, field string) bool {
	var es platform.Errors
	if errors.As(err, &es) {
		return slices.ContainsFunc(es, func(e *platform.Error) bool { return e.Field == field })
	}
	var e *platform.Error
	return errors.As(err, &e) && e.Field == field
}
