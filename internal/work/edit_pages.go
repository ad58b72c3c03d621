package work

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

func (h *Handlers) editRoutes(rt *web.Router) {
	rt.Handle("GET /tasks/{id}/edit", h.editTask)
	rt.Handle("POST /tasks/{id}/edit", h.updateTask)
	rt.Handle("POST /tasks/{id}/delete", h.deleteTask)
	rt.Handle("PATCH /api/v1/tasks/{id}", h.apiPatchTask)
	rt.Handle("DELETE /api/v1/tasks/{id}", h.apiDeleteTask)
}

// editable reports whether the office may correct t from its page.
func editable(t Task) bool { return !final(t.Status) }

// input is t as the office's form (or a PATCH) starts from: every field as
// it is, and the milestones still to do.
func (t Task) input(ms []Milestone) Input {
	in := Input{Title: t.Title, Requirement: t.Requirement, Source: t.Source, SourceLeaderID: t.SourceLeaderID,
		DocNumber: t.DocNumber, DocDate: t.DocDate, Category: t.Category, LeadUnitID: t.LeadUnitID,
		ResponsibleID: t.ResponsibleID, CoUnitIDs: t.CoUnitIDs, LeaderID: t.LeaderID, AssignedOn: t.AssignedOn,
		Deadline: t.Deadline, Level: t.Level, ListingLeader: t.ListingLeader, ClaimBy: t.ClaimBy, Rhythm: t.Rhythm,
		RhythmWeeks: t.RhythmWeeks, Milestones: []MilestoneInput{}}
	for _, m := range ms {
		if m.DoneOn == "" {
			in.Milestones = append(in.Milestones, MilestoneInput{Due: m.Due, Title: m.Title})
		}
	}
	return in
}

func (h *Handlers) editTask(w http.ResponseWriter, r *http.Request) error {
	return h.renderEdit(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderEdit(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := h.Store.Task(ctx, id)
	if err != nil {
		return err
	}
	p := NewTaskPage{Base: h.Pages.Base(r, "task.edit"), Form: fv, Edit: &t, Claimed: t.Status != Assigned}
	if !Office(p.User) || !officeOver(p.User, t.townPath) {
		return platform.ErrForbidden
	}
	if err := h.formChoices(ctx, &p); err != nil {
		return err
	}
	ms, err := h.Store.Milestones(ctx, id)
	if err != nil {
		return err
	}
	in := t.input(ms)
	for _, m := range ms {
		if m.DoneOn != "" {
			p.Done = append(p.Done, m)
		}
	}
	p.Milestones = append(in.Milestones, make([]MilestoneInput, 2)...)
	if p.Form.Values == nil {
		p.Form.Values = inputValues(in)
		p.Form.Values["version"] = strconv.FormatInt(t.Version, 10)
		for _, u := range in.CoUnitIDs {
			p.CoUnits[u] = true
		}
	}
	sentBack(r, &p)
	return h.views.newTask.Render(w, r, status, p)
}

// inputValues are in's fields as the form's values.
func inputValues(in Input) map[string]string {
	id := func(p *int64) string {
		if p == nil {
			return ""
		}
		return strconv.FormatInt(*p, 10)
	}
	v := map[string]string{"title": in.Title, "requirement": in.Requirement, "source": string(in.Source),
		"source_leader_id": id(in.SourceLeaderID), "doc_number": in.DocNumber, "doc_date": in.DocDate,
		"category": in.Category, "lead_unit_id": strconv.FormatInt(in.LeadUnitID, 10), "responsible_id": id(in.ResponsibleID),
		"leader_id": strconv.FormatInt(in.LeaderID, 10), "assigned_on": in.AssignedOn, "deadline": in.Deadline,
		"level": string(in.Level), "listing_leader_id": id(in.ListingLeader), "claim_by": in.ClaimBy,
		"rhythm": string(in.Rhythm), "rhythm_weeks": ""}
	if in.RhythmWeeks > 0 {
		v["rhythm_weeks"] = strconv.Itoa(in.RhythmWeeks)
	}
	return v
}

func (h *Handlers) updateTask(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in Input
	var version int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = readInput(r, f)
			version = f.Int64("version", false)
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.Update(ctx, id, version, in)
			return "/tasks/" + strconv.FormatInt(id, 10), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderEdit(w, r, status, fv) },
	})
}

func (h *Handlers) deleteTask(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var version int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { version = f.Int64("version", false) },
		Do: func(ctx context.Context) (string, error) {
			return "/tasks", h.Store.Delete(ctx, id, version)
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
	})
}

// TaskPatch is the body of PATCH /api/v1/tasks/{id}: the fields of POST
// /api/v1/tasks, each left out staying as it is (null clears an optional
// one), milestones the ones still to do, and the version read.
type TaskPatch struct {
	Input
	Version int64 `json:"version"`
}

func (h *Handlers) apiPatchTask(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	t, err := h.Store.Task(ctx, id)
	if err != nil {
		return err
	}
	ms, err := h.Store.Milestones(ctx, id)
	if err != nil {
		return err
	}
	req := TaskPatch{Input: t.input(ms)}
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if req.LivelihoodID != nil {
		return platform.FieldError("livelihood_id", "task.error.patch_livelihood")
	}
	if t, err = h.Store.Update(ctx, id, req.Version, req.Input); err != nil {
		return err
	}
	return h.writeDetail(w, r, http.StatusOK, t)
}

func (h *Handlers) apiDeleteTask(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var version int64
	if v := r.URL.Query().Get("version"); v != "" {
		if version, err = strconv.ParseInt(v, 10, 64); err != nil || version < 1 {
			return platform.FieldError("version", "task.error.version")
		}
	}
	if err := h.Store.Delete(r.Context(), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
