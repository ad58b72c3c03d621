package work

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

// formMilestones are the rows of milestones the office's form offers.
const formMilestones = 3

func (h *Handlers) taskMilestones(ctx context.Context, p *TaskPage, t Task) error {
	var err error
	if p.Milestones.List, err = h.Store.Milestones(ctx, t.ID); err != nil {
		return err
	}
	p.Milestones.CanMark = lead(p.User, t.item()) && changeable(t)
	return nil
}

// readMilestones reads the form's rows of milestones (due and title side
// by side); blank rows are dropped by the store.
func readMilestones(r *http.Request) []MilestoneInput {
	dues, titles := r.Form["milestone_due"], r.Form["milestone_title"]
	var out []MilestoneInput
	for i := 0; i < len(dues) && i < len(titles); i++ {
		out = append(out, MilestoneInput{Due: dues[i], Title: titles[i]})
	}
	return out
}

func (h *Handlers) markMilestone(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	m, err := strconv.ParseInt(r.PathValue("milestone"), 10, 64)
	if err != nil {
		return platform.ErrNotFound
	}
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {},
		Do: func(ctx context.Context) (string, error) {
			return "/tasks/" + strconv.FormatInt(id, 10), h.Store.MarkMilestone(ctx, id, m)
		},
		Again: func(status int, fv web.FormView) error { return h.renderTask(w, r, status, fv) },
	})
}
