package work

import (
	"net/http"
	"time"

	"guatu/internal/platform/web"
	"guatu/internal/platform/workflow"
)

func (h *Handlers) apiRoutes(rt *web.Router) {
	rt.Handle("GET /api/v1/tasks", h.apiTasks)
	rt.Handle("POST /api/v1/tasks", h.apiCreate)
	rt.Handle("GET /api/v1/tasks/{id}", h.apiTask)
	rt.Handle("POST /api/v1/tasks/{id}/transitions", h.apiTransition)
	rt.Handle("POST /api/v1/tasks/{id}/changes", h.apiRequestChange)
	rt.Handle("POST /api/v1/tasks/{id}/changes/{change}", h.apiDecideChange)
}

// apiList is the register as the API reads it: the page's filters, and
// overdue=true for the overdue ones (the same as light=overdue).
var apiList = &web.ListSpec{
	Path:    "/api/v1/tasks",
	Filters: append(append([]web.ListFilter(nil), tasksList.Filters...), web.ListFilter{Name: "overdue", Kind: web.FilterChoice, Choices: []string{"true", "false"}}),
	Sorts:   Sorts,
}

// apiPageSize is a list's page without a limit.
const apiPageSize = 200

// TaskJSON is a task as the API shows it.
type TaskJSON struct {
	ID           int64          `json:"id"`
	Title        string         `json:"title"`
	Requirement  string         `json:"requirement"`
	Source       Source         `json:"source"`
	Category     string         `json:"category"`
	Status       workflow.State `json:"status"`
	Level        Level          `json:"level"`
	LeadUnitID   int64          `json:"lead_unit_id"`
	CoUnitIDs    []int64        `json:"co_unit_ids"`
	LeaderID     int64          `json:"leader_id"`
	ListingID    *int64         `json:"listing_leader_id"`
	AssignedOn   string         `json:"assigned_on"`
	Deadline     string         `json:"deadline"`
	Overdue      bool           `json:"overdue"`
	Light        *Light         `json:"light"`
	Progress     int            `json:"progress"`
	Card         *Color         `json:"card"`     // the standing warning card, null when none
	ClaimBy      *string        `json:"claim_by"` // null for a task assigned without one
	Rhythm       Rhythm         `json:"rhythm"`
	RhythmWeeks  int            `json:"rhythm_weeks"`
	NextReport   *string        `json:"next_report"` // null when no periodic report is owed
	ClaimLate    bool           `json:"claim_late"`
	FeedbackLate bool           `json:"feedback_late"`
	Version      int64          `json:"version"`
}

// StepJSON is one move of a task's history.
type StepJSON struct {
	From       workflow.State `json:"from"`
	To         workflow.State `json:"to"`
	Transition string         `json:"transition"`
	Actor      string         `json:"actor"`
	Comment    string         `json:"comment"`
	At         time.Time      `json:"at"`
}

// TaskDetailJSON is GET /api/v1/tasks/{id}: the task and its steps.
type TaskDetailJSON struct {
	TaskJSON
	Steps      []StepJSON  `json:"steps"`
	Cards      []Card      `json:"cards"`
	Changes    []Change    `json:"changes"` // change requests, newest first
	Milestones []Milestone `json:"milestones"`
	// Reports are the lead unit's progress reports, newest first (a
	// co-unit's own reports: GET /api/v1/tasks/{id}/units).
	Reports []ProgressReport `json:"reports"`
}

// TasksJSON is a page of GET /api/v1/tasks.
type TasksJSON struct {
	Tasks []TaskJSON `json:"tasks"`
	Total int        `json:"total"`
}

// JSON is t as the API shows it.
func (t Task) JSON() TaskJSON {
	out := TaskJSON{ID: t.ID, Title: t.Title, Requirement: t.Requirement, Source: t.Source, Category: t.Category,
		Status: t.Status, Level: t.Level, LeadUnitID: t.LeadUnitID, CoUnitIDs: t.CoUnitIDs, LeaderID: t.LeaderID,
		ListingID: t.ListingLeader, AssignedOn: t.AssignedOn, Deadline: t.Deadline, Overdue: t.Overdue,
		Progress: t.Progress, Version: t.Version, Rhythm: t.Rhythm, RhythmWeeks: t.RhythmWeeks,
		ClaimLate: t.ClaimLate, FeedbackLate: t.FeedbackLate}
	if out.Rhythm == "" {
		out.Rhythm = Once
	}
	if t.ClaimBy != "" {
		c := t.ClaimBy
		out.ClaimBy = &c
	}
	if t.NextReport != "" {
		n := t.NextReport
		out.NextReport = &n
	}
	if out.CoUnitIDs == nil {
		out.CoUnitIDs = []int64{}
	}
	if t.Light != NoLight {
		l := t.Light
		out.Light = &l
	}
	if t.Card != "" {
		c := t.Card
		out.Card = &c
	}
	return out
}

func (h *Handlers) apiTasks(w http.ResponseWriter, r *http.Request) error {
	l, err := apiList.ParseAPI(r, apiPageSize)
	if err != nil {
		return err
	}
	f := listFilter(l)
	switch l.Get("overdue") {
	case "true":
		red := Red
		f.Light = &red
	case "false":
		f.NotOverdue = true
	}
	tasks, err := h.Store.Tasks(r.Context(), f, l)
	if err != nil {
		return err
	}
	out := TasksJSON{Tasks: make([]TaskJSON, len(tasks)), Total: l.Total}
	for i, t := range tasks {
		out.Tasks[i] = t.JSON()
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *Handlers) apiTask(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	t, err := h.Store.Task(r.Context(), id)
	if err != nil {
		return err
	}
	return h.writeDetail(w, r, http.StatusOK, t)
}

func (h *Handlers) writeDetail(w http.ResponseWriter, r *http.Request, status int, t Task) error {
	steps, err := h.Store.Steps(r.Context(), t.ID)
	if err != nil {
		return err
	}
	cards, err := h.Store.Cards(r.Context(), t.ID)
	if err != nil {
		return err
	}
	if cards == nil {
		cards = []Card{}
	}
	changes, err := h.Store.Changes(r.Context(), t.ID)
	if err != nil {
		return err
	}
	if changes == nil {
		changes = []Change{}
	}
	milestones, err := h.Store.milestones(r.Context(), h.Store.DB, t.ID) // t was read in scope
	if err != nil {
		return err
	}
	reports, err := h.Store.Reports(r.Context(), t.ID)
	if err != nil {
		return err
	}
	if reports == nil {
		reports = []ProgressReport{}
	}
	out := TaskDetailJSON{TaskJSON: t.JSON(), Steps: make([]StepJSON, len(steps)), Cards: cards, Changes: changes, Milestones: milestones, Reports: reports}
	for i, st := range steps {
		out.Steps[i] = StepJSON{From: st.From, To: st.To, Transition: st.Transition, Actor: st.ActorLogin, Comment: st.Comment, At: st.At}
	}
	return web.WriteJSON(w, status, out)
}

func (h *Handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	t, err := h.Store.Create(r.Context(), in)
	if err != nil {
		return err
	}
	return h.writeDetail(w, r, http.StatusCreated, t)
}

// TransitionRequest is the body of POST /api/v1/tasks/{id}/transitions.
// Version is the task's version as the caller read it (0: whatever it is
// now); a report carries its percentage and text in comment.
type TransitionRequest struct {
	Transition string `json:"transition"`
	Version    int64  `json:"version"`
	Comment    string `json:"comment"`
	Percent    *int   `json:"percent"`
}

func (h *Handlers) apiTransition(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var req TransitionRequest
	ups, done, err := transitionRequest(r, &req)
	if err != nil {
		return err
	}
	defer done()
	var t Task
	if req.Transition == Report {
		percent := -1
		if req.Percent != nil {
			percent = *req.Percent
		}
		t, err = h.Store.Progress(r.Context(), id, req.Version, percent, req.Comment)
	} else {
		t, err = h.Store.TakeWith(r.Context(), id, req.Version, req.Transition, req.Comment, ups)
	}
	if err != nil {
		return err
	}
	return h.writeDetail(w, r, http.StatusOK, t)
}
