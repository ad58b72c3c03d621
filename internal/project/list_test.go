package project_test

import (
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/project"
)

// pager is a page of n rows at offset, sorted by key.
type pager struct {
	sort   string
	desc   bool
	offset int
	n      int
	total  int
}

func (p *pager) SetTotal(n int) { p.total = n }
func (p *pager) Offset() int    { return p.offset }
func (p *pager) PerPage() int   { return p.n }
func (p *pager) OrderBy(columns map[string]string, natural, tie string) string {
	return db.OrderBy(columns, p.sort, p.desc, natural, tie)
}

// TestProjectsList: the demo's register filtered by stage, leader, kind,
// level and unit, sorted and paged, in each caller's scope.
func TestProjectsList(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := demoSetup(t, d)
		list := func(login string, f project.Filter, p *pager) []project.Project {
			t.Helper()
			ps, err := w.s.Projects(w.as(t, login), f, p)
			if err != nil {
				t.Fatal(err)
			}
			return ps
		}
		all := &pager{n: 100}
		if got := list("duban", project.Filter{}, all); len(got) != len(project.DemoNames()) || all.total != len(got) {
			t.Fatalf("the demo register: %d rows of %d", len(got), all.total)
		}
		started := project.Started
		for _, p := range list("duban", project.Filter{Stage: &started}, &pager{n: 100}) {
			if p.Stage != project.Started {
				t.Errorf("%s is at %s", p.Name, p.Stage)
			}
		}
		liu := w.people["刘晓明"]
		if got := list("duban", project.Filter{LeaderID: &liu}, &pager{n: 100}); len(got) != 2 {
			t.Errorf("刘晓明 owns %d demo projects, want 2", len(got))
		}
		industrial, province := project.Industrial, project.Province
		if got := list("duban", project.Filter{Kind: &industrial}, &pager{n: 100}); len(got) != 4 {
			t.Errorf("%d industrial projects, want 4", len(got))
		}
		if got := list("duban", project.Filter{Level: &province}, &pager{n: 100}); len(got) != 1 || got[0].Name != "户外休闲用品产业园项目" {
			t.Errorf("the provincial projects: %+v", got)
		}
		st := w.units["双塘村"]
		if got := list("duban", project.Filter{UnitID: &st}, &pager{n: 100}); len(got) != 2 {
			t.Errorf("%d projects of 双塘村, want 2 (its village's)", len(got))
		}
		if got := list("duban", project.Filter{Search: "工业园"}, &pager{n: 100}); len(got) != 2 {
			t.Errorf("%d projects in 双塘工业园, want 2", len(got))
		}
		byTotal := list("duban", project.Filter{}, &pager{sort: "total", desc: true, n: 3})
		if len(byTotal) != 3 || byTotal[0].Total != 32000 || byTotal[1].Total < byTotal[2].Total {
			t.Errorf("the three largest: %+v", byTotal)
		}
		byStage := list("duban", project.Filter{}, &pager{sort: "stage", n: 100})
		for i := 1; i < len(byStage); i++ {
			if byStage[i-1].Stage.Rank() > byStage[i].Stage.Rank() {
				t.Errorf("by stage, %s (%s) before %s (%s)", byStage[i-1].Name, byStage[i-1].Stage, byStage[i].Name, byStage[i].Stage)
			}
		}
		page2 := &pager{sort: "name", offset: 5, n: 5}
		if got := list("duban", project.Filter{}, page2); len(got) != len(project.DemoNames())-5 || page2.total != len(project.DemoNames()) {
			t.Errorf("page 2: %d rows of %d", len(got), page2.total)
		}
		// Scope: a village sees the projects at it or led by it, another
		// town none, the district all.
		if got := list("shuangtang", project.Filter{}, &pager{n: 100}); len(got) != 2 {
			t.Errorf("双塘村 sees %d projects, want 2", len(got))
		}
		if got := list("linjiang", project.Filter{}, &pager{n: 100}); len(got) != 0 {
			t.Errorf("临江镇 sees %d of XX镇's projects", len(got))
		}
		if got := list("admin", project.Filter{}, &pager{n: 100}); len(got) != len(project.DemoNames()) {
			t.Errorf("the district sees %d projects", len(got))
		}
		if _, err := w.s.Projects(w.as(t, "shuangtang"), project.Filter{UnitID: ptr(w.units["东湖村"])}, &pager{n: 10}); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("a village filtering by another: %v, want not found", err)
		}
		first := list("duban", project.Filter{}, &pager{n: 1})[0]
		if _, err := w.s.Project(w.as(t, "linjiang"), first.ID); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another township reading one: %v, want not found", err)
		}
	})
}

// TestDemoTwice: loading the demo again changes nothing of the register.
func TestDemoTwice(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		demoSetup(t, d)
		before := count(t, d, `SELECT COUNT(*) FROM projects`) + 1000*count(t, d, `SELECT COUNT(*) FROM project_stages`)
		demoSetup(t, d)
		if after := count(t, d, `SELECT COUNT(*) FROM projects`) + 1000*count(t, d, `SELECT COUNT(*) FROM project_stages`); after != before {
			t.Errorf("the second load changed the register: %d → %d", before, after)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM projects`); n != len(project.DemoNames()) {
			t.Errorf("%d demo projects, want %d", n, len(project.DemoNames()))
		}
		if n := count(t, d, `SELECT COUNT(DISTINCT stage) FROM projects`); n < 5 {
			t.Errorf("the demo's projects stand at %d stages, want several", n)
		}
	})
}
