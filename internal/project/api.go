package project

import (
	"net/http"

	"guatu/internal/platform/web"
)

func (h *Handlers) apiRoutes(rt *web.Router) {
	rt.Handle("GET /api/v1/projects", h.apiProjects)
	rt.Handle("POST /api/v1/projects", h.apiCreate)
	rt.Handle("GET /api/v1/projects/{id}", h.apiProject)
}

// apiList is the register as the API reads it: the page's filters and sorts.
var apiList = &web.ListSpec{Path: "/api/v1/projects", Filters: projectsList.Filters, Sorts: Sorts}

// apiPageSize is a list's page without a limit.
const apiPageSize = 200

// ProjectJSON is a project as the API shows it. Completed investment and
// the light come with the monthly investment, which the register does not
// carry yet: both are null until then.
type ProjectJSON struct {
	ID              int64    `json:"id"`
	TownshipID      int64    `json:"township_id"`
	Name            string   `json:"name"`
	Kind            Kind     `json:"kind"`
	Industry        string   `json:"industry"`
	Investor        string   `json:"investor"`
	InvestorContact string   `json:"investor_contact"`
	InvestorPhone   string   `json:"investor_phone"`
	VillageID       *int64   `json:"village_id"`
	Park            string   `json:"park"`
	Total           float64  `json:"total_investment"`
	YearPlanned     float64  `json:"year_planned_investment"`
	YearCompleted   *float64 `json:"year_completed_investment"`
	Light           *string  `json:"light"`
	Level           Level    `json:"level"`
	LeaderID        int64    `json:"owner_leader_id"`
	UnitID          int64    `json:"unit_id"`
	ContactID       *int64   `json:"contact_person_id"`
	MemberIDs       []int64  `json:"member_ids"`
	Notes           string   `json:"notes"`
	Stage           *Stage   `json:"stage"` // null before any stage is reached
	Version         int64    `json:"version"`
}

// ProjectDetailJSON is GET /api/v1/projects/{id}: the project and the
// dates of every stage, in pipeline order.
type ProjectDetailJSON struct {
	ProjectJSON
	Stages []StageDates `json:"stages"`
}

// ProjectsJSON is a page of GET /api/v1/projects.
type ProjectsJSON struct {
	Projects []ProjectJSON `json:"projects"`
	Total    int           `json:"total"`
}

// JSON is p as the API shows it.
func (p Project) JSON() ProjectJSON {
	out := ProjectJSON{ID: p.ID, TownshipID: p.TownshipID, Name: p.Name, Kind: p.Kind, Industry: p.Industry, Investor: p.Investor,
		InvestorContact: p.InvestorContact, InvestorPhone: p.InvestorPhone, VillageID: p.VillageID, Park: p.Park,
		Total: p.Total, YearPlanned: p.YearPlanned, Level: p.Level, LeaderID: p.LeaderID, UnitID: p.UnitID,
		ContactID: p.ContactID, MemberIDs: p.MemberIDs, Notes: p.Notes, Version: p.Version}
	if out.MemberIDs == nil {
		out.MemberIDs = []int64{}
	}
	if p.Stage != "" {
		s := p.Stage
		out.Stage = &s
	}
	return out
}

// Detail is p with its stages as the API shows it.
func (p Project) Detail() ProjectDetailJSON {
	return ProjectDetailJSON{ProjectJSON: p.JSON(), Stages: Complete(p.Stages)}
}

func (h *Handlers) apiProjects(w http.ResponseWriter, r *http.Request) error {
	l, err := apiList.ParseAPI(r, apiPageSize)
	if err != nil {
		return err
	}
	ps, err := h.Store.Projects(r.Context(), listFilter(l), l)
	if err != nil {
		return err
	}
	out := ProjectsJSON{Projects: make([]ProjectJSON, len(ps)), Total: l.Total}
	for i, p := range ps {
		out.Projects[i] = p.JSON()
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

func (h *Handlers) apiProject(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	p, err := h.Store.Project(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, p.Detail())
}

func (h *Handlers) apiCreate(w http.ResponseWriter, r *http.Request) error {
	var in Input
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	p, err := h.Store.Create(r.Context(), in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, p.Detail())
}
