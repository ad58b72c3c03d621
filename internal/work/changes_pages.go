package work

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

// TaskChanges is the change requests' part of a task's page.
type TaskChanges struct {
	List       []Change
	CanRequest bool         // the lead unit, while the task is under way
	CanDecide  bool         // the office of the task's township
	CanApprove bool         // and the task is not struck off
	Units      []org.Choice // other lead units of the township
}

func (h *Handlers) taskChanges(ctx context.Context, p *TaskPage, t Task) error {
	var err error
	if p.Changes.List, err = h.Store.Changes(ctx, t.ID); err != nil {
		return err
	}
	p.Changes.CanRequest = lead(p.User, t.item()) && changeable(t)
	p.Changes.CanDecide = Office(p.User) && officeOver(p.User, t.townPath)
	p.Changes.CanApprove = p.Changes.CanDecide && t.Status != StruckOff
	if p.Changes.CanRequest {
		sc, err := h.Store.org().Scope(ctx)
		if err != nil {
			return err
		}
		for _, u := range sc.Tree.Units() {
			if u.ID != t.LeadUnitID && u.ID != t.TownshipID && sc.Tree.TownshipOf(u.ID) == t.TownshipID {
				p.Changes.Units = append(p.Changes.Units, org.Choice{ID: u.ID, Label: u.Name, Kind: u.Kind, Path: u.Path})
			}
		}
	}
	return nil
}

func (h *Handlers) requestChange(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in ChangeInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = ChangeInput{Deadline: f.String("deadline", false, 10), LeadUnitID: f.Int64("lead_unit_id", false),
				Reason: f.String("reason", true, MaxChangeReason)}
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.RequestChange(ctx, id, in)
			return "/tasks/" + strconv.FormatInt(id, 10), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
	})
}

func (h *Handlers) decideChange(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	change, err := strconv.ParseInt(r.PathValue("change"), 10, 64)
	if err != nil {
		return platform.ErrNotFound
	}
	var decision, comment string
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			decision = f.String("decision", true, 10)
			comment = f.String("comment", false, MaxChangeReason)
		},
		Do: func(ctx context.Context) (string, error) {
			if decision != "approve" && decision != "reject" {
				return "", platform.FieldError("decision", "task.change.error.decision")
			}
			_, err := h.Store.Decide(ctx, id, change, decision == "approve", comment)
			return "/tasks/" + strconv.FormatInt(id, 10), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
	})
}

// DecisionRequest is the body of POST /api/v1/tasks/{id}/changes/{change}.
type DecisionRequest struct {
	Approve bool   `json:"approve"`
	Comment string `json:"comment"`
}

func (h *Handlers) apiRequestChange(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var in ChangeInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	cs, err := h.Store.RequestChange(r.Context(), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, cs)
}

func (h *Handlers) apiDecideChange(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	change, err := strconv.ParseInt(r.PathValue("change"), 10, 64)
	if err != nil {
		return platform.ErrNotFound
	}
	var req DecisionRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	c, err := h.Store.Decide(r.Context(), id, change, req.Approve, req.Comment)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, c)
}
