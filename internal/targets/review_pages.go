package targets

import (
	"context"
	"html/template"
	"net/http"
	"strconv"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/web"
)

// ---- /targets/review --------------------------------------------------------

// ReviewPage is the statistician's review queue (审核): the pending figures
// in scope, filtered by unit and month, each approved or returned.
type ReviewPage struct {
	web.Base
	Items  []ReviewItem
	List   *web.List     // the page of the queue, and the total
	Back   string        // the queue's query ("?unit=…&period=…&page=…"), kept by each decision
	Units  template.HTML // the unit filter's options (org.Options)
	Months []PeriodOption
	Period string // the month filter, YYYY-MM, "" for all
	Form   web.FormView
	// ReturnID is the figure whose return failed, to show its error beside it.
	ReturnID int64
	// ReviewOff is set when the reviewer's own township does not review
	// its reporters' figures, so an empty queue is not a mystery.
	ReviewOff bool

	names map[string]string // the names of the logins that entered the figures
}

// Who names the account that entered a figure: the person's name, else the
// login.
func (p ReviewPage) Who(login string) string { return nameOf(p.names, login) }

// MonthsLabel is "1-N月" for a period YYYY-MM.
func (p ReviewPage) MonthsLabel(period string) string {
	return monthsLabel(p.Base, periodMonth(period))
}

func (h *Handlers) reviewPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderReview(w, r, http.StatusOK, web.FormView{}, 0)
}

// reviewList is the review queue as the list kit pages it, oldest month
// first (it has no sorts).
var reviewList = &web.ListSpec{
	Path:    "/targets/review",
	Filters: []web.ListFilter{{Name: "unit", Kind: web.FilterID}, {Name: "period", Kind: web.FilterText}},
	PerPage: reviewPage,
}

// reviewFilter reads the queue's filters from the query string.
func reviewFilter(r *http.Request) (ReviewFilter, error) {
	var f ReviewFilter
	q := r.URL.Query()
	if v := q.Get("unit"); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil || id <= 0 {
			return f, platform.FieldError("unit", "form.err.not_number")
		}
		f.UnitID = &id
	}
	if v := q.Get("period"); v != "" {
		if _, err := time.Parse("2006-01", v); err != nil {
			return f, platform.FieldError("period", "target.err.bad_period")
		}
		f.Period = &v
	}
	return f, nil
}

func (h *Handlers) renderReview(w http.ResponseWriter, r *http.Request, status int, fv web.FormView, returnID int64) error {
	ctx := r.Context()
	f, err := reviewFilter(r)
	if err != nil {
		return err
	}
	l, err := reviewList.Parse(r)
	if err != nil {
		return err
	}
	total, err := h.Store.ReviewCount(ctx, f)
	if err != nil {
		return err
	}
	l.SetTotal(total)
	f.Offset, f.Limit = l.Offset(), l.PerPage()
	items, err := h.Store.ReviewQueue(ctx, f)
	if err != nil {
		return err
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	var unit int64
	if f.UnitID != nil {
		unit = *f.UnitID
	}
	p := ReviewPage{Base: h.Pages.Base(r, "target.review.title"), Items: items, List: l, Back: queryOf(r), Units: org.Options(sc.Choices(), unit), Form: fv, ReturnID: returnID}
	logins := make([]string, len(items))
	for i, it := range items {
		logins[i] = it.EnteredBy
	}
	if p.names, err = h.Store.org().LoginNames(r.Context(), logins); err != nil {
		return err
	}
	if f.Period != nil {
		p.Period = *f.Period
	}
	if tw, ok := sc.TownshipOf(sc.User.UnitID); ok {
		on, err := h.Store.Reviewing(ctx, tw.ID)
		if err != nil {
			return err
		}
		p.ReviewOff = !on
	}
	// The months a figure can be pending for: those of this year that have
	// ended, latest first, and December of last year.
	today := clock.Today(h.now())
	for m := 12; m >= 1; m-- {
		if periodEnded(today.Year(), m, today) {
			p.Months = append(p.Months, PeriodOption{Value: Period(today.Year(), m), Month: m})
		}
	}
	p.Months = append(p.Months, PeriodOption{Value: Period(today.Year()-1, 12), Month: 12})
	return h.views.review.Render(w, r, status, p)
}

// queryOf is the request's query with its "?", or "".
func queryOf(r *http.Request) string {
	if q := r.URL.RawQuery; q != "" {
		return "?" + q
	}
	return ""
}

// reviewBack is the queue with the filters and page the decision was made
// under.
func reviewBack(r *http.Request) string { return "/targets/review" + queryOf(r) }

func (h *Handlers) approve(w http.ResponseWriter, r *http.Request) error {
	var ids []int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			for _, v := range r.Form["figure"] {
				if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
					ids = append(ids, id)
				}
			}
		},
		Do: func(ctx context.Context) (string, error) {
			return reviewBack(r), h.Store.Review(ctx, ids, Decision{Approve: true})
		},
		Again: func(status int, fv web.FormView) error { return h.renderReview(w, r, status, fv, 0) },
		Flash: "target.review.approved",
	})
}

func (h *Handlers) returnFigure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var reason string
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { reason = f.String("reason", false, MaxNote) },
		Do: func(ctx context.Context) (string, error) {
			return reviewBack(r), h.Store.Review(ctx, []int64{id}, Decision{Reason: reason})
		},
		Again: func(status int, fv web.FormView) error { return h.renderReview(w, r, status, fv, id) },
		Flash: "target.review.returned",
	})
}

// historyRows marks in a target's history (newest first) the current figure
// of each month, the latest approved one, and picks the months whose latest
// entry is pending or returned: what the reporter waits on or must redo.
func historyRows(hist []Figure) ([]HistoryRow, []Figure) {
	var rows []HistoryRow
	var awaiting []Figure
	current, latest := map[string]bool{}, map[string]bool{}
	for _, f := range hist {
		if !latest[f.Period] {
			latest[f.Period] = true
			if f.Status != Approved {
				awaiting = append(awaiting, f)
			}
		}
		cur := f.Status == Approved && !current[f.Period]
		if cur {
			current[f.Period] = true
		}
		rows = append(rows, HistoryRow{Figure: f, Current: cur})
	}
	return rows, awaiting
}

// counted keeps the approved figures of a history, in its order.
func counted(hist []Figure) []Figure {
	out := make([]Figure, 0, len(hist))
	for _, f := range hist {
		if f.Status == Approved {
			out = append(out, f)
		}
	}
	return out
}
