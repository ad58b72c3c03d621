package work

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/web"
	"guatu/internal/platform/workflow"
	"guatu/internal/platform/xlsx"
)

// Handlers serve the room's pages and API.
type Handlers struct {
	Store *Store
	Pages *web.Renderer
	views views
}

type views struct {
	tasks   *web.Page[TasksPage]
	todo    *web.Page[TodoPage]
	newTask *web.Page[NewTaskPage]
	task    *web.Page[TaskPage]
	cards   *web.Page[CardsPage]
	print   *web.Page[PrintPage]
	imports *web.Page[ImportPage]
}

// Routes registers the room's pages and API.
func (h *Handlers) Routes(rt *web.Router, pages *web.Renderer) {
	h.Pages = pages
	h.views = views{
		tasks:   web.NewPage[TasksPage](pages, "work/tasks"),
		todo:    web.NewPage[TodoPage](pages, "work/todo"),
		newTask: web.NewPage[NewTaskPage](pages, "work/task_new"),
		task:    web.NewPage[TaskPage](pages, "work/task"),
		cards:   web.NewPage[CardsPage](pages, "work/cards"),
		print:   web.NewPage[PrintPage](pages, "work/print"),
		imports: web.NewPage[ImportPage](pages, "work/import"),
	}
	rt.Handle("GET /tasks", h.tasks)
	rt.Handle("GET /tasks.xlsx", h.exportTasks)
	rt.Handle("GET /tasks/todo", h.todo)
	rt.Handle("GET /tasks/cards", h.cards)
	h.importRoutes(rt)
	rt.Handle("POST /tasks/cards", h.setRules)
	rt.Handle("POST /tasks/{id}/cards/{card}/exempt", h.exemptCard)
	rt.Handle("GET /tasks/new", h.newTask)
	rt.Handle("POST /tasks", h.createTask)
	rt.Handle("GET /tasks/{id}", h.task)
	rt.Handle("GET /tasks/{id}/print", h.printTask)
	rt.Handle("POST /tasks/{id}/changes", h.requestChange)
	rt.Handle("POST /tasks/{id}/milestones/{milestone}/done", h.markMilestone)
	rt.Handle("POST /tasks/{id}/changes/{change}", h.decideChange)
	rt.Handle("POST /tasks/{id}/move", h.move)
	rt.Handle("POST /tasks/{id}/progress", h.progress)
	rt.Handle("POST /tasks/{id}/remind", h.remind)
	h.apiRoutes(rt)
	h.editRoutes(rt)
	h.evidenceRoutes(rt)
	h.livelihoodRoutes(rt, pages)
}

func stateNames() []string {
	out := make([]string, len(States))
	for i, s := range States {
		out[i] = string(s)
	}
	return out
}

func levelNames() []string {
	out := make([]string, len(Levels))
	for i, l := range Levels {
		out[i] = string(l)
	}
	return out
}

var lightNames = []string{string(Red), string(Yellow), string(Green)}

// tasksList is the register: filtered by status, level, lead unit, light
// and text, sorted by deadline unless asked otherwise.
var tasksList = &web.ListSpec{
	Path: "/tasks",
	Filters: []web.ListFilter{
		{Name: "status", Kind: web.FilterChoice, Choices: stateNames()},
		{Name: "level", Kind: web.FilterChoice, Choices: levelNames()},
		{Name: "unit", Kind: web.FilterID},
		{Name: "light", Kind: web.FilterChoice, Choices: lightNames},
		{Name: "q", Kind: web.FilterText},
		{Name: "source", Kind: web.FilterChoice, Choices: sourceNames()},
		{Name: "leader", Kind: web.FilterID},
		{Name: "due_after", Kind: web.FilterDate},
		{Name: "due_before", Kind: web.FilterDate},
		{Name: "progress_below", Kind: web.FilterInt, Min: 1, Max: 100},
		{Name: "card", Kind: web.FilterChoice, Choices: []string{string(YellowCard), string(RedCard)}},
		{Name: "open", Kind: web.FilterFlag},
		{Name: "late", Kind: web.FilterChoice, Choices: []string{LateClaim, LateFeedback}},
	},
	Sorts: Sorts,
}

// listFilter reads the register's filters.
func listFilter(l *web.List) Filter {
	var f Filter
	if v := l.Get("status"); v != "" {
		s := workflow.State(v)
		f.Status = &s
	}
	if v := l.Get("level"); v != "" {
		lv := Level(v)
		f.Level = &lv
	}
	if id := l.ID("unit"); id != 0 {
		f.UnitID = &id
	}
	if v := l.Get("light"); v != "" {
		li := Light(v)
		f.Light = &li
	}
	f.Search = l.Get("q")
	if v := l.Get("source"); v != "" {
		s := Source(v)
		f.Source = &s
	}
	if id := l.ID("leader"); id != 0 {
		f.LeaderID = &id
	}
	f.DueAfter, f.DueBefore = l.Get("due_after"), l.Get("due_before")
	if l.Get("progress_below") != "" {
		n := l.Int("progress_below", 100)
		f.ProgressBelow = &n
	}
	f.OpenOnly = l.Flag("open")
	f.Late = l.Get("late")
	if v := l.Get("card"); v != "" {
		c := Color(v)
		f.Card = &c
	}
	return f
}

func sourceNames() []string {
	out := make([]string, len(Sources))
	for i, s := range Sources {
		out[i] = string(s)
	}
	return out
}

// Row is a task as a list shows it, with its people's names.
type Row struct {
	Task
	LeaderName string
}

// listColumns are the register's columns on the page and in the download.
func listColumns(b web.Base) []web.Column[Row] {
	return []web.Column[Row]{
		{Key: "task.col.id", Value: func(r Row) any { return r.ID }},
		{Key: "task.col.title", Sort: "title", Page: true, Value: func(r Row) any { return r.Title }},
		{Key: "task.col.level", Sort: "level", Page: true, Value: func(r Row) any { return b.T("task.level." + string(r.Level)) }},
		{Key: "task.col.lead_unit", Page: true, Value: func(r Row) any { return r.LeadUnitName }},
		{Key: "task.col.leader", Page: true, Value: func(r Row) any { return r.LeaderName }},
		{Key: "task.col.deadline", Sort: "deadline", Page: true, Value: func(r Row) any { return r.Deadline }},
		{Key: "task.col.status", Sort: "status", Page: true, Value: func(r Row) any { return b.T("task.state." + string(r.Status)) }},
		{Key: "task.col.light", Page: true, Value: func(r Row) any {
			if r.Light == NoLight {
				return ""
			}
			return b.T("task.light." + string(r.Light))
		}},
		{Key: "task.col.progress", Sort: "progress", Page: true, Value: func(r Row) any { return float64(r.Progress) / 100 }, Format: "0%"},
		{Key: "task.card.col.card", Page: true, Value: func(r Row) any {
			if r.Card == "" {
				return ""
			}
			return b.T("task.card." + string(r.Card))
		}},
	}
}

// rows names the leaders of tasks, from their townships' teams.
func (h *Handlers) rows(ctx context.Context, tasks []Task) ([]Row, error) {
	names, err := h.Store.leaderNames(ctx, tasks)
	if err != nil {
		return nil, err
	}
	out := make([]Row, len(tasks))
	for i, t := range tasks {
		out[i] = Row{Task: t, LeaderName: names[t.LeaderID]}
	}
	return out, nil
}

// leaderNames maps the leadership-team people of the tasks' townships to
// their names; every reader of a task may read its township's team.
func (s *Store) leaderNames(ctx context.Context, tasks []Task) (map[int64]string, error) {
	out := map[int64]string{}
	seen := map[int64]bool{}
	for _, t := range tasks {
		if seen[t.TownshipID] {
			continue
		}
		seen[t.TownshipID] = true
		team, err := s.org().Team(ctx, t.TownshipID)
		if err != nil {
			return nil, err
		}
		for _, m := range team {
			out[m.PersonID] = m.PersonName
		}
	}
	return out, nil
}

// TasksPage is the register (督办事项).
type TasksPage struct {
	web.Base
	List    *web.List
	Heads   []web.SortHead
	Rows    []Row
	Units   []org.Choice // the lead-unit filter's choices
	Leaders []org.Choice // the leader-in-charge filter's: every team in scope
	States  []workflow.State
	Levels  []Level
	Lights  []Light
	Sources []Source
	Colors  []Color
	Lates   []string // the late kinds besides the deadline
	Office  bool     // may assign
}

func (h *Handlers) tasks(w http.ResponseWriter, r *http.Request) error {
	l, err := tasksList.Parse(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	tasks, err := h.Store.Tasks(ctx, listFilter(l), l)
	if err != nil {
		return err
	}
	p := TasksPage{Base: h.Pages.Base(r, "nav.tasks"), List: l, States: States, Levels: Levels, Lights: []Light{Red, Yellow, Green}, Sources: Sources, Colors: Colors, Lates: []string{LateClaim, LateFeedback}}
	p.Office = Office(p.User)
	if p.Rows, err = h.rows(ctx, tasks); err != nil {
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
	return h.views.tasks.Render(w, r, http.StatusOK, p)
}

// exportMax bounds the register's download.
const exportMax = 10000

func (h *Handlers) exportTasks(w http.ResponseWriter, r *http.Request) error {
	l, err := tasksList.Parse(r)
	if err != nil {
		return err
	}
	tasks, err := h.Store.Tasks(r.Context(), listFilter(l), l.All(exportMax))
	if err != nil {
		return err
	}
	rows, err := h.rows(r.Context(), tasks)
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "nav.tasks")
	return xlsx.ServeList(w, b, "tasks.xlsx", b.T("task.export_title"), b.T("nav.tasks"), listColumns(b), rows)
}

// TodoPage is 我的待办: the tasks waiting on the signed-in user.
type TodoPage struct {
	web.Base
	Rows []Row
}

func (h *Handlers) todo(w http.ResponseWriter, r *http.Request) error {
	tasks, err := h.Store.Todo(r.Context())
	if err != nil {
		return err
	}
	p := TodoPage{Base: h.Pages.Base(r, "nav.todo")}
	if p.Rows, err = h.rows(r.Context(), tasks); err != nil {
		return err
	}
	return h.views.todo.Render(w, r, http.StatusOK, p)
}

// NewTaskPage is the office's form to assign a task.
type NewTaskPage struct {
	web.Base
	Units   []org.Choice     // lead and co-unit choices
	People  []org.Person     // responsible people
	Team    []org.TeamMember // leaders in charge, instructing and listing leaders
	Sources []Source
	Levels  []Level
	Rhythms []Rhythm
	// Milestones are the form's rows of milestones, as sent back or blank
	// (on an edit, the ones still to do and spare rows).
	Milestones []MilestoneInput
	// Edit is the task being corrected, nil on a new one; Claimed says its
	// lead unit has claimed it, so that its lead unit and deadline change
	// only by request and its assignment and claim days stay; Done are its
	// milestones done, shown and kept.
	Edit    *Task
	Claimed bool
	Done    []Milestone
	Form    web.FormView
	CoUnits map[int64]bool // co-units ticked on a form sent back
	Items   []Item         // the livelihood projects a livelihood task may serve
}

func (h *Handlers) newTask(w http.ResponseWriter, r *http.Request) error {
	return h.renderNew(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderNew(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	ctx := r.Context()
	p := NewTaskPage{Base: h.Pages.Base(r, "task.new"), Form: fv}
	if !Office(p.User) {
		return platform.ErrForbidden
	}
	if err := h.formChoices(ctx, &p); err != nil {
		return err
	}
	if p.Form.Values == nil {
		today := clock.Today(h.Store.now())
		p.Form.Values = map[string]string{"assigned_on": today.Format(clock.DateFormat),
			"deadline": today.AddDate(0, 0, 30).Format(clock.DateFormat), "source": string(FromMeeting), "level": string(Normal),
			"claim_by": today.AddDate(0, 0, DefaultClaimDays).Format(clock.DateFormat), "rhythm": string(Weekly), "rhythm_weeks": "2"}
	}
	p.Milestones = make([]MilestoneInput, formMilestones)
	sentBack(r, &p)
	return h.views.newTask.Render(w, r, status, p)
}

// formChoices fills what the office's task form offers: units, people,
// the teams' leaders and the livelihood projects.
func (h *Handlers) formChoices(ctx context.Context, p *NewTaskPage) error {
	p.Sources, p.Levels, p.Rhythms, p.CoUnits = Sources, Levels, Rhythms, map[int64]bool{}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	p.Units = sc.Choices()
	if p.Items, err = h.newTaskItems(ctx, sc); err != nil {
		return err
	}
	if p.People, err = sc.People(ctx, 0); err != nil {
		return err
	}
	p.Team, err = sc.Team(ctx)
	return err
}

// sentBack keeps a form sent back as it was sent: its milestones' rows and
// its ticked co-units.
func sentBack(r *http.Request, p *NewTaskPage) {
	if r.Method != http.MethodPost {
		return
	}
	if sent := readMilestones(r); len(sent) > 0 {
		p.Milestones = sent
	}
	for _, v := range r.Form["co_unit_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			p.CoUnits[id] = true
		}
	}
}

func optionalID(f *web.Form, name string) *int64 {
	if id := f.Int64(name, false); id != 0 {
		return &id
	}
	return nil
}

func (h *Handlers) createTask(w http.ResponseWriter, r *http.Request) error {
	var in Input
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = readInput(r, f) },
		Do: func(ctx context.Context) (string, error) {
			t, err := h.Store.Create(ctx, in)
			return "/tasks/" + strconv.FormatInt(t.ID, 10), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderNew(w, r, status, fv) },
	})
}

// readInput reads the office's task form.
func readInput(r *http.Request, f *web.Form) Input {
	in := Input{
		Title:          f.String("title", true, MaxTitle),
		Requirement:    f.String("requirement", false, MaxRequirement),
		Source:         Source(f.String("source", true, 20)),
		SourceLeaderID: optionalID(f, "source_leader_id"),
		DocNumber:      f.String("doc_number", false, 30),
		DocDate:        f.String("doc_date", false, 10),
		Category:       f.String("category", false, MaxCategory),
		LeadUnitID:     f.Int64("lead_unit_id", true),
		ResponsibleID:  optionalID(f, "responsible_id"),
		LeaderID:       f.Int64("leader_id", true),
		AssignedOn:     f.String("assigned_on", true, 10),
		Deadline:       f.String("deadline", true, 10),
		Level:          Level(f.String("level", true, 20)),
		ListingLeader:  optionalID(f, "listing_leader_id"),
		ClaimBy:        f.String("claim_by", false, 10),
		Rhythm:         Rhythm(f.String("rhythm", false, 20)),
		RhythmWeeks:    int(f.Int64("rhythm_weeks", false)),
		LivelihoodID:   optionalID(f, "livelihood_id"),
	}
	for _, v := range r.Form["co_unit_ids"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			in.CoUnitIDs = append(in.CoUnitIDs, id)
		}
	}
	in.Milestones = readMilestones(r)
	return in
}

// TaskPage is one task: its details and light, its history, the moves the
// user may make and, for the lead unit, the progress form.
type TaskPage struct {
	web.Base
	Task       Row
	CoUnits    []string
	Steps      []workflow.Step
	Halt       *workflow.Step // the 中止 or 销号 of a task stopped or struck off
	Reports    []ProgressReport
	Moves      []workflow.Transition // except the report, which has its own form
	CanReport  bool
	Listing    string // the listing leader's name
	Cards      TaskCards
	Changes    TaskChanges
	Milestones TaskMilestones
	Remind     RemindView
	Form       web.FormView
	Evidence   Evidence    // files, evidence and each unit's progress
	Closing    TaskClosing // its livelihood project and closing evaluation
	// CanEdit: the township's office may correct the task (not once closed
	// or struck off); CanDelete: and delete it, while it is still 交办.
	CanEdit, CanDelete bool
}

func (h *Handlers) task(w http.ResponseWriter, r *http.Request) error {
	return h.renderTask(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderTask(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := h.Store.Task(ctx, id)
	if err != nil {
		return err
	}
	rows, err := h.rows(ctx, []Task{t})
	if err != nil {
		return err
	}
	p := TaskPage{Base: h.Pages.Base(r, "nav.tasks"), Task: rows[0], Form: fv}
	p.Heading = t.Title
	if t.ListingLeader != nil {
		names, _ := h.Store.leaderNames(ctx, []Task{t})
		p.Listing = names[*t.ListingLeader]
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	for _, u := range t.CoUnitIDs {
		if un, ok := sc.Tree.Unit(u); ok {
			p.CoUnits = append(p.CoUnits, un.Name)
		}
	}
	if p.Steps, err = workflow.Steps(ctx, h.Store.DB, Machine.Kind, t.ID); err != nil {
		return err
	}
	p.Halt = halt(p.Steps, t.Status)
	if p.Reports, err = h.Store.Reports(ctx, t.ID); err != nil {
		return err
	}
	if err := h.taskCards(ctx, &p, t); err != nil {
		return err
	}
	if err := h.taskChanges(ctx, &p, t); err != nil {
		return err
	}
	if err := h.taskMilestones(ctx, &p, t); err != nil {
		return err
	}
	if p.Remind, err = h.remindView(ctx, t); err != nil {
		return err
	}
	for _, tr := range Machine.Allowed(t.item(), p.User) {
		if tr.Name == Report {
			p.CanReport = true
			continue
		}
		p.Moves = append(p.Moves, tr)
	}
	if p.Evidence, err = h.evidence(ctx, t, p.User, p.Moves); err != nil {
		return err
	}
	if p.Closing, err = h.closing(ctx, t); err != nil {
		return err
	}
	p.CanEdit = Office(p.User) && officeOver(p.User, t.townPath) && editable(t)
	p.CanDelete = p.CanEdit && t.Status == Assigned
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"percent": strconv.Itoa(t.Progress)}
	}
	return h.views.task.Render(w, r, status, p)
}

// halt is the step that stopped or struck off a task now in status (the
// last into that state), with its date and reason; nil in any other state.
// A stopped task resumes into the state this step left, as the machine
// replays it.
func halt(steps []workflow.Step, status workflow.State) *workflow.Step {
	if status != Stopped && status != StruckOff {
		return nil
	}
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].To == status && steps[i].From != status {
			return &steps[i]
		}
	}
	return nil
}

func (h *Handlers) move(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var name, comment string
	var version int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			name = f.String("transition", true, 20)
			comment = f.String("comment", false, MaxComment)
			version = f.Int64("version", true)
		},
		Do: func(ctx context.Context) (string, error) {
			ups, done := uploads(r)
			defer done()
			_, err := h.Store.TakeWith(ctx, id, version, name, comment, ups)
			return "/tasks/" + strconv.FormatInt(id, 10), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
	})
}

func (h *Handlers) progress(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var body, problems, support string
	var percent, version int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			body = f.String("body", true, MaxComment)
			problems, support = f.String("problems", false, MaxComment), f.String("support", false, MaxComment)
			percent = f.Int64("percent", true)
			version = f.Int64("version", true)
		},
		Do: func(ctx context.Context) (string, error) {
			ups, done := uploads(r)
			defer done()
			_, _, err := h.Store.Report(ctx, id, version, ReportInput{Percent: int(percent), Body: body, Problems: problems, Support: support, Files: ups})
			return "/tasks/" + strconv.FormatInt(id, 10), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
	})
}
