package project

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// Handlers serve the room's pages and API.
type Handlers struct {
	Store *Store
	Pages *web.Renderer
	views views
}

type views struct {
	list    *web.Page[ListPage]
	form    *web.Page[FormPage]
	project *web.Page[ProjectPage]
	imports *web.Page[ImportPage]
}

// Routes registers the room's pages and API.
func (h *Handlers) Routes(rt *web.Router, pages *web.Renderer) {
	h.Pages = pages
	h.views = views{
		list:    web.NewPage[ListPage](pages, "project/projects"),
		form:    web.NewPage[FormPage](pages, "project/project_form"),
		project: web.NewPage[ProjectPage](pages, "project/project"),
		imports: web.NewPage[ImportPage](pages, "project/import"),
	}
	rt.Handle("GET /projects", h.list)
	rt.Handle("GET /projects.xlsx", h.export)
	rt.Handle("GET /projects/new", h.newForm)
	rt.Handle("POST /projects", h.create)
	rt.Handle("GET /projects/{id}", h.project)
	rt.Handle("GET /projects/{id}/edit", h.editForm)
	rt.Handle("POST /projects/{id}/edit", h.update)
	rt.Handle("POST /projects/{id}/stages", h.recordStage)
	h.importRoutes(rt)
	h.apiRoutes(rt)
}

func names[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}

// projectsList is the register: filtered by stage, owner leader, kind,
// level, unit or village and text.
var projectsList = &web.ListSpec{
	Path: "/projects",
	Filters: []web.ListFilter{
		{Name: "stage", Kind: web.FilterChoice, Choices: names(Stages)},
		{Name: "leader", Kind: web.FilterID},
		{Name: "kind", Kind: web.FilterChoice, Choices: names(Kinds)},
		{Name: "level", Kind: web.FilterChoice, Choices: names(Levels)},
		{Name: "unit", Kind: web.FilterID},
		{Name: "q", Kind: web.FilterText},
	},
	Sorts: Sorts,
}

// listFilter reads the register's filters.
func listFilter(l *web.List) Filter {
	var f Filter
	if v := l.Get("stage"); v != "" {
		s := Stage(v)
		f.Stage = &s
	}
	if id := l.ID("leader"); id != 0 {
		f.LeaderID = &id
	}
	if v := l.Get("kind"); v != "" {
		k := Kind(v)
		f.Kind = &k
	}
	if v := l.Get("level"); v != "" {
		lv := Level(v)
		f.Level = &lv
	}
	if id := l.ID("unit"); id != 0 {
		f.UnitID = &id
	}
	f.Search = l.Get("q")
	return f
}

// Row is a project as the register shows it, with its leader's, unit's and
// village's names; Seq is its 序号 in a download.
type Row struct {
	Project
	Seq         int
	LeaderName  string
	UnitName    string
	VillageName string
}

// Place is where the project is: its village and its park.
func (r Row) Place() string {
	switch {
	case r.VillageName != "" && r.Park != "":
		return r.VillageName + " · " + r.Park
	case r.VillageName != "":
		return r.VillageName
	}
	return r.Park
}

// listColumns are the register's columns on the page and, with the
// township's own headings, the 重点项目推进表 a township sends upward.
func listColumns(b web.Base) []web.Column[Row] {
	stage := func(r Row) any {
		if r.Stage == "" {
			return ""
		}
		return b.T("project.stage." + string(r.Stage))
	}
	return []web.Column[Row]{
		{Key: "project.col.seq", Value: func(r Row) any { return r.Seq }},
		{Key: "project.col.name", Sort: "name", Page: true, Value: func(r Row) any { return r.Name }},
		{Key: "project.col.content", Value: func(r Row) any {
			if r.Industry == "" {
				return b.T("project.kind." + string(r.Kind))
			}
			return b.T("project.kind."+string(r.Kind)) + " · " + r.Industry
		}},
		{Key: "project.col.kind", Page: true},
		{Key: "project.col.level", Sort: "level", Page: true},
		{Key: "project.col.total", Sort: "total", Page: true, Value: func(r Row) any { return r.Total }, Format: "#,##0.00"},
		{Key: "project.col.year_planned", Sort: "year_planned", Page: true, Value: func(r Row) any { return r.YearPlanned }, Format: "#,##0.00"},
		{Key: "project.col.stage", Sort: "stage", Page: true, Value: stage},
		{Key: "project.col.leader", Page: true, Value: func(r Row) any { return r.LeaderName }},
		{Key: "project.col.unit", Page: true, Value: func(r Row) any { return r.UnitName }},
		{Key: "project.col.place", Page: true},
		{Key: "project.col.notes", Value: func(r Row) any { return r.Notes }},
	}
}

// rows names the leaders, units and villages of projects.
func (h *Handlers) rows(ctx context.Context, ps []Project) ([]Row, error) {
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(ps))
	for _, p := range ps {
		ids = append(ids, p.LeaderID)
	}
	people, err := sc.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Row, len(ps))
	for i, p := range ps {
		out[i] = Row{Project: p, Seq: i + 1, LeaderName: people[p.LeaderID].Name}
		if u, ok := sc.Tree.Unit(p.UnitID); ok {
			out[i].UnitName = u.Name
		}
		if p.VillageID != nil {
			if u, ok := sc.Tree.Unit(*p.VillageID); ok {
				out[i].VillageName = u.Name
			}
		}
	}
	return out, nil
}

// ListPage is the register of major projects (重大项目).
type ListPage struct {
	web.Base
	List    *web.List
	Heads   []web.SortHead
	Rows    []Row
	Units   []org.Choice // the unit-or-village filter's choices
	Leaders []org.Choice // every team in scope
	Stages  []Stage
	Kinds   []Kind
	Levels  []Level
	Editor  bool // may add and import
}

func (h *Handlers) list(w http.ResponseWriter, r *http.Request) error {
	l, err := projectsList.Parse(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	ps, err := h.Store.Projects(ctx, listFilter(l), l)
	if err != nil {
		return err
	}
	p := ListPage{Base: h.Pages.Base(r, "nav.projects"), List: l, Stages: Stages, Kinds: Kinds, Levels: Levels}
	p.Editor = Editor(p.User)
	if p.Rows, err = h.rows(ctx, ps); err != nil {
		return err
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	p.Units = sc.Choices()
	team, err := sc.Team(ctx)
	if err != nil {
		return err
	}
	p.Leaders = org.LeaderChoices(sc.Tree, team)
	p.Heads = web.Heads(l, p.Base, listColumns(p.Base))
	return h.views.list.Render(w, r, http.StatusOK, p)
}

// exportMax bounds the register's download.
const exportMax = 5000

func (h *Handlers) export(w http.ResponseWriter, r *http.Request) error {
	l, err := projectsList.Parse(r)
	if err != nil {
		return err
	}
	ps, err := h.Store.Projects(r.Context(), listFilter(l), l.All(exportMax))
	if err != nil {
		return err
	}
	rows, err := h.rows(r.Context(), ps)
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "nav.projects")
	title := b.T("project.export_title")
	// A township's table goes upward under its own name.
	if sc, err := h.Store.org().Scope(r.Context()); err == nil {
		if tws := sc.Townships(); len(tws) == 1 {
			title = b.T("project.export_of", tws[0].Name)
		}
	}
	return xlsx.ServeList(w, b, "projects.xlsx", title, b.T("project.export_title"), listColumns(b), rows)
}

// FormPage is the form of a new project, or of one being corrected.
type FormPage struct {
	web.Base
	Edit       *Project // nil on a new project
	Units      []org.Choice
	Villages   []org.Choice
	People     []org.Person
	Leaders    []org.Choice
	Industries []string
	Kinds      []Kind
	Levels     []Level
	Members    map[int64]bool // the members ticked
	Form       web.FormView
}

func (h *Handlers) newForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderForm(w, r, http.StatusOK, nil, web.FormView{})
}

func (h *Handlers) editForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	p, err := h.Store.Project(r.Context(), id)
	if err != nil {
		return err
	}
	return h.renderForm(w, r, http.StatusOK, &p, web.FormView{})
}

func (h *Handlers) renderForm(w http.ResponseWriter, r *http.Request, status int, edit *Project, fv web.FormView) error {
	ctx := r.Context()
	p := FormPage{Base: h.Pages.Base(r, "project.new"), Edit: edit, Form: fv, Kinds: Kinds, Levels: Levels, Members: map[int64]bool{}}
	if edit != nil {
		p.Title, p.Heading = "project.edit", edit.Name
		if !h.Store.CanEdit(ctx, *edit) {
			return platform.ErrForbidden
		}
	} else if !Editor(p.User) {
		return platform.ErrForbidden
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	p.Units = sc.Choices()
	for _, c := range p.Units {
		if c.Kind == org.Village || c.Kind == org.Community {
			p.Villages = append(p.Villages, c)
		}
	}
	if p.People, err = sc.People(ctx, 0); err != nil {
		return err
	}
	team, err := sc.Team(ctx)
	if err != nil {
		return err
	}
	p.Leaders = org.LeaderChoices(sc.Tree, team)
	if p.Industries, err = h.Store.Industries(ctx); err != nil {
		return err
	}
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"kind": string(Industrial), "level": string(District)}
		if edit != nil {
			p.Form.Values = formValues(*edit)
		}
	}
	switch {
	case r.Method == http.MethodPost:
		for _, v := range r.Form["member_ids"] {
			if id, err := strconv.ParseInt(v, 10, 64); err == nil {
				p.Members[id] = true
			}
		}
	case edit != nil:
		for _, id := range edit.MemberIDs {
			p.Members[id] = true
		}
	}
	return h.views.form.Render(w, r, status, p)
}

// formValues are a project's fields as its form shows them.
func formValues(p Project) map[string]string {
	id := func(v *int64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatInt(*v, 10)
	}
	return map[string]string{"name": p.Name, "kind": string(p.Kind), "industry": p.Industry, "investor": p.Investor,
		"investor_contact": p.InvestorContact, "investor_phone": p.InvestorPhone, "village_id": id(p.VillageID), "park": p.Park,
		"total_investment": strconv.FormatFloat(p.Total, 'f', -1, 64), "year_planned_investment": strconv.FormatFloat(p.YearPlanned, 'f', -1, 64),
		"level": string(p.Level), "owner_leader_id": strconv.FormatInt(p.LeaderID, 10), "unit_id": strconv.FormatInt(p.UnitID, 10),
		"contact_person_id": id(p.ContactID), "notes": p.Notes, "version": strconv.FormatInt(p.Version, 10)}
}

// readInput reads the project form.
func readInput(r *http.Request, f *web.Form) Input {
	amount := func(name string) float64 {
		if v := f.Float(name, true); v != nil {
			return *v
		}
		return 0
	}
	opt := func(name string) *int64 {
		if id := f.Int64(name, false); id != 0 {
			return &id
		}
		return nil
	}
	in := Input{
		Name:            f.String("name", true, MaxName),
		Kind:            Kind(f.String("kind", true, 20)),
		Industry:        f.String("industry", false, MaxText),
		Investor:        f.String("investor", false, MaxText),
		InvestorContact: f.String("investor_contact", false, MaxText),
		InvestorPhone:   f.String("investor_phone", false, MaxPhone),
		VillageID:       opt("village_id"),
		Park:            f.String("park", false, MaxText),
		Total:           amount("total_investment"),
		YearPlanned:     amount("year_planned_investment"),
		Level:           Level(f.String("level", true, 20)),
		LeaderID:        f.Int64("owner_leader_id", true),
		UnitID:          f.Int64("unit_id", true),
		ContactID:       opt("contact_person_id"),
		Notes:           f.String("notes", false, MaxNotes),
	}
	for _, v := range r.Form["member_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.MemberIDs = append(in.MemberIDs, id)
		}
	}
	return in
}

func projectPath(id int64) string { return "/projects/" + strconv.FormatInt(id, 10) }

func (h *Handlers) create(w http.ResponseWriter, r *http.Request) error {
	var in Input
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = readInput(r, f) },
		Do: func(ctx context.Context) (string, error) {
			p, err := h.Store.Create(ctx, in)
			return projectPath(p.ID), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderForm(w, r, status, nil, fv) },
	})
}

func (h *Handlers) update(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	edit, err := h.Store.Project(r.Context(), id)
	if err != nil {
		return err
	}
	var in Input
	var version int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in, version = readInput(r, f), f.Int64("version", true) },
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.Update(ctx, id, version, in)
			return projectPath(id), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderForm(w, r, status, &edit, fv) },
	})
}

// ProjectPage is one project: its register fields, its team, its stages
// and, for the township's office and leaders, the form to record a stage.
type ProjectPage struct {
	web.Base
	Project Row
	Contact string   // the contact person's name and unit
	Members []string // the other members' names
	Stages  []StageDates
	Stage   Stage // the stage the form opens on: the one after the current
	CanEdit bool
	Form    web.FormView
}

func (h *Handlers) project(w http.ResponseWriter, r *http.Request) error {
	return h.renderProject(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderProject(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	pr, err := h.Store.Project(ctx, id)
	if err != nil {
		return err
	}
	rows, err := h.rows(ctx, []Project{pr})
	if err != nil {
		return err
	}
	p := ProjectPage{Base: h.Pages.Base(r, "nav.projects"), Project: rows[0], Stages: pr.Stages, Form: fv, CanEdit: h.Store.CanEdit(ctx, pr)}
	p.Heading = pr.Name
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	ids := append([]int64(nil), pr.MemberIDs...)
	if pr.ContactID != nil {
		ids = append(ids, *pr.ContactID)
	}
	people, err := sc.Names(ctx, ids)
	if err != nil {
		return err
	}
	named := func(id int64) string {
		n, ok := people[id]
		if !ok {
			return p.T("project.team.hidden") // a person of a unit outside the caller's scope
		}
		if u, ok := sc.Tree.Unit(n.UnitID); ok {
			return n.Name + "（" + u.Name + "）"
		}
		return n.Name
	}
	if pr.ContactID != nil {
		p.Contact = named(*pr.ContactID)
	}
	for _, m := range pr.MemberIDs {
		p.Members = append(p.Members, named(m))
	}
	p.Stage = Negotiating
	if r := pr.Stage.Rank(); r > 0 && r < len(Stages) {
		p.Stage = Stages[r]
	} else if r == len(Stages) {
		p.Stage = InProduction
	}
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"stage": string(p.Stage)}
	}
	return h.views.project.Render(w, r, status, p)
}

func (h *Handlers) recordStage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in StageDates
	var version int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = StageDates{Stage: Stage(f.String("stage", true, 20)), Planned: f.String("planned_on", false, 10),
				Actual: f.String("actual_on", false, 10), Reason: f.String("reason", false, MaxReason)}
			version = f.Int64("version", true)
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.RecordStage(ctx, id, version, in)
			return projectPath(id), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderProject(w, r, status, fv) },
	})
}
