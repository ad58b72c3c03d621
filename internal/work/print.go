package work

import (
	"net/http"
	"sort"

	"guatu/internal/platform/clock"
	"guatu/internal/platform/web"
	"guatu/internal/platform/workflow"
)

// PrintPage is the 督办单 of one task: the document the office sends the
// lead unit, on one A4 portrait sheet — its number, source, requirement,
// units, people and dates, and the feedback table with the reports so far
// and blank rows to write the next ones in.
type PrintPage struct {
	web.Base
	Task        Row
	Number      string // 督办单 number: the township's register number of the year
	Township    string
	CoUnits     []string
	Responsible string
	Listing     string
	Milestones  []Milestone
	Reports     []ProgressReport // oldest first
	Blank       []int            // blank feedback rows after the reports; none once struck off
	Halt        *workflow.Step   // the 中止 or 销号 of a task stopped or struck off
}

// printRows is how many feedback rows the sheet has at least.
const printRows = 6

func (h *Handlers) printTask(w http.ResponseWriter, r *http.Request) error {
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
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	p := PrintPage{Base: h.Pages.Base(r, "task.print.title"), Task: rows[0]}
	p.Heading = t.Title
	if tw, ok := sc.Tree.Unit(t.TownshipID); ok {
		p.Township = tw.Name
	}
	year := t.AssignedOn
	if d, err := clock.ParseDate(t.AssignedOn); err == nil {
		year = d.Format("2006")
	}
	p.Number = p.T("task.print.number", year, t.ID)
	for _, u := range t.CoUnitIDs {
		if un, ok := sc.Tree.Unit(u); ok {
			p.CoUnits = append(p.CoUnits, un.Name)
		}
	}
	if t.ResponsibleID != nil {
		names, err := sc.PersonNames(ctx, []int64{*t.ResponsibleID})
		if err != nil {
			return err
		}
		p.Responsible = names[*t.ResponsibleID]
	}
	if t.ListingLeader != nil {
		names, err := h.Store.leaderNames(ctx, []Task{t})
		if err != nil {
			return err
		}
		p.Listing = names[*t.ListingLeader]
	}
	if p.Milestones, err = h.Store.milestones(ctx, h.Store.DB, t.ID); err != nil {
		return err
	}
	if p.Reports, err = h.Store.Reports(ctx, t.ID); err != nil {
		return err
	}
	sort.Slice(p.Reports, func(i, j int) bool { return p.Reports[i].ID < p.Reports[j].ID })
	for i := len(p.Reports); i < printRows; i++ {
		p.Blank = append(p.Blank, i)
	}
	if len(p.Blank) == 0 {
		p.Blank = []int{0, 1} // room for the next two reports
	}
	steps, err := workflow.Steps(ctx, h.Store.DB, Machine.Kind, t.ID) // t was read in scope
	if err != nil {
		return err
	}
	if p.Halt = halt(steps, t.Status); t.Status == StruckOff {
		p.Blank = nil // off the register: nothing more is reported
	}
	return h.views.print.Render(w, r, http.StatusOK, p)
}
