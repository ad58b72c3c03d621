package targets

import (
	"net/http"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

func (h *Handlers) reviewAPIRoutes(rt *web.Router) {
	rt.Handle("GET /api/v1/reviews", h.apiReviews)
	rt.Handle("POST /api/v1/reviews/{figure_id}", h.apiReview)
}

func (h *Handlers) apiReviews(w http.ResponseWriter, r *http.Request) error {
	f, err := reviewFilter(r)
	if err != nil {
		return err
	}
	l, err := reviewList.ParseAPI(r, reviewPage)
	if err != nil {
		return err
	}
	ctx := r.Context()
	total, err := h.Store.ReviewCount(ctx, f)
	if err != nil {
		return err
	}
	f.Offset, f.Limit = l.Offset(), l.PerPage()
	items, err := h.Store.ReviewQueue(ctx, f)
	if err != nil {
		return err
	}
	if items == nil {
		items = []ReviewItem{}
	}
	return web.WriteJSON(w, http.StatusOK, map[string]any{"reviews": items, "total": total})
}

// ReviewRequest is the body of POST /api/v1/reviews/{figure_id}: decision
// approve, or return with a reason.
type ReviewRequest struct {
	Decision string `json:"decision"`
	Reason   string `json:"reason"`
}

func (h *Handlers) apiReview(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("figure_id"), 10, 64)
	if err != nil || id <= 0 {
		return platform.ErrNotFound
	}
	var req ReviewRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	var d Decision
	switch req.Decision {
	case "approve":
		d.Approve = true
	case "return":
		d.Reason = req.Reason
	default:
		return platform.FieldError("decision", "target.err.bad_choice")
	}
	ctx := r.Context()
	if err := h.Store.Review(ctx, []int64{id}, d); err != nil {
		return err
	}
	f, err := h.Store.Figure(ctx, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, f)
}
