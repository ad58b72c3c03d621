package targets

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// Review (审核): a township that switches it on has the figures its
// reporters enter wait as pending until its statistician or an
// administrator approves them; until then the target goes on counting its
// last approved figure. A returned figure never counts and keeps the reason.

// reviewing reports whether townshipID reviews its reporters' figures.
func reviewing(ctx context.Context, q db.Queryer, townshipID int64) (bool, error) {
	var on bool
	err := q.QueryRowContext(ctx, `SELECT enabled FROM target_review WHERE township_id = $1`, townshipID).Scan(&on)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, platform.Internalf("review setting: %w", err)
	}
	return on, nil
}

// statusFor is the status of a figure u enters in townshipID: pending while
// the township reviews, unless u may review figures (a statistician's or an
// administrator's figure counts at once).
func statusFor(ctx context.Context, q db.Queryer, u *auth.User, townshipID int64) (Status, error) {
	if u == nil || u.Can(auth.ReviewFigures) {
		return Approved, nil
	}
	on, err := reviewing(ctx, q, townshipID)
	if err != nil || !on {
		return Approved, err
	}
	return Pending, nil
}

// replacePending marks the figures of a target's period still pending as
// replaced: a new entry of the period, whoever makes it, supersedes them,
// so the queue and the late rule no longer see them. Each one replaced is
// audited as a change of its status, under the target's unit: the reporter
// who entered it can read who replaced it and when.
func replacePending(ctx context.Context, q db.Queryer, targetID, unitID int64, unitPath string, period string, now time.Time) error {
	rows, err := q.QueryContext(ctx, `SELECT `+figureColumns+` FROM figures f WHERE f.target_id = $1 AND f.period = $2 AND f.status = 'pending'`, targetID, period)
	if err != nil {
		return platform.Internalf("replace pending: %w", err)
	}
	var pending []Figure
	for rows.Next() {
		f, err := scanFigure(rows)
		if err != nil {
			rows.Close()
			return platform.Internalf("replace pending scan: %w", err)
		}
		pending = append(pending, f)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Internalf("replace pending: %w", err)
	}
	for _, f := range pending {
		if _, err := q.ExecContext(ctx, `UPDATE figures SET status = 'replaced' WHERE id = $1 AND status = 'pending'`, f.ID); err != nil {
			return platform.Internalf("replace pending: %w", err)
		}
		after := f
		after.Status = Replaced
		if err := audit.Record(ctx, q, audit.Entry{Action: audit.Update, Entity: "figure", EntityID: audit.ID(f.ID), UnitID: unitID, UnitPath: unitPath,
			Before: f, After: after, At: now}); err != nil {
			return err
		}
	}
	return nil
}

// StatusFor is the status a figure the caller enters for a target would
// get: Pending when its township reviews the caller's figures.
func (s *Store) StatusFor(ctx context.Context, targetID int64) (Status, error) {
	t, err := s.Target(ctx, targetID)
	if err != nil {
		return "", err
	}
	return statusFor(ctx, s.DB, auth.FromContext(ctx), t.TownshipID)
}

// canReview reports whether u may approve or return figures (in scope,
// checked by the caller).
func canReview(u *auth.User) bool { return u.Can(auth.ReviewFigures) }

// Reviewing reports whether a township reviews its reporters' figures.
func (s *Store) Reviewing(ctx context.Context, townshipID int64) (bool, error) {
	return reviewing(ctx, s.DB, townshipID)
}

// SetReviewing switches a township's review on or off, audited. Switching it
// off leaves pending figures pending: they still wait for a decision. A
// township outside the caller's scope is not found (and audited).
func (s *Store) SetReviewing(ctx context.Context, townshipID int64, on bool) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	tw, ok := sc.Tree.Unit(townshipID)
	if !ok || tw.Kind != org.Township {
		return platform.ErrNotFound
	}
	if err := sc.Check(ctx, "target_settings", townshipID, townshipID); err != nil {
		return err
	}
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return s.forbidden(ctx, sc, "target_settings", townshipID, townshipID, err)
	}
	before, err := s.Reviewing(ctx, townshipID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO target_review (township_id, enabled, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (township_id) DO UPDATE SET enabled = excluded.enabled, updated_at = excluded.updated_at`, townshipID, on, now); err != nil {
			return platform.Internalf("review setting: %w", err)
		}
		if err := bumpVersions(ctx, tx, map[int64]bool{townshipID: true}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "target_settings", EntityID: audit.ID(townshipID), UnitID: townshipID, UnitPath: tw.Path,
			Before: map[string]bool{"review": before}, After: map[string]bool{"review": on}, At: now})
	})
}

// ReviewFilter narrows the review queue. Nil fields are unset.
type ReviewFilter struct {
	UnitID *int64  // figures of targets owned by this unit or below it
	Period *string // YYYY-MM
	// Offset and Limit page the queue; Limit 0 is reviewPage.
	Offset, Limit int
}

// ReviewItem is a figure in the review queue with what the reviewer weighs
// it against: the target, its unit and the figure the target counts now.
type ReviewItem struct {
	Figure
	Indicator     string   `json:"indicator"`
	MeasureUnit   string   `json:"measure_unit"`
	UnitID        int64    `json:"unit_id"`
	Unit          string   `json:"unit"`
	CountedPeriod string   `json:"counted_period,omitempty"` // the kept progress's period
	CountedValue  *float64 `json:"counted_value"`            // the last approved figure counted
}

// ReviewQueue lists a page of the pending figures in the caller's scope,
// oldest period first, in the tree's order (one entered again since is
// replaced); ReviewCount counts them all. Only a statistician or an administrator has a
// queue (Forbidden otherwise).
func (s *Store) ReviewQueue(ctx context.Context, f ReviewFilter) ([]ReviewItem, error) {
	sc, w, err := s.reviewWhere(ctx, f)
	if err != nil {
		return nil, err
	}
	limit := f.Limit
	if limit <= 0 {
		limit = reviewPage
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+figureColumns+`, p.indicator_id, p.unit_id, p.period, p.actual
		FROM figures f JOIN target_progress p ON p.target_id = f.target_id`+w.SQL()+`
		ORDER BY f.period, `+naturalOrder+`, f.id LIMIT `+itoa64(int64(limit))+` OFFSET `+itoa64(int64(max(f.Offset, 0))), w.Args...)
	if err != nil {
		return nil, platform.Internalf("review queue: %w", err)
	}
	defer rows.Close()
	inds, _, err := s.indicators(ctx)
	if err != nil {
		return nil, err
	}
	var out []ReviewItem
	for rows.Next() {
		var it ReviewItem
		var ly, actual sql.NullFloat64
		var at sql.NullTime
		var ind int64
		if err := rows.Scan(&it.ID, &it.TargetID, &it.Period, &it.AsOf, &it.Value, &ly, &it.Source, &it.Note, &it.Reason, &it.EnteredBy, &it.EnteredAt,
			&it.Status, &it.ReviewedBy, &at, &it.ReviewReason, &ind, &it.UnitID, &it.CountedPeriod, &actual); err != nil {
			return nil, platform.Internalf("review queue scan: %w", err)
		}
		if ly.Valid {
			it.LastYear = &ly.Float64
		}
		if actual.Valid {
			it.CountedValue = &actual.Float64
		}
		it.Indicator, it.MeasureUnit = inds[ind].Name, inds[ind].MeasureUnit
		if u, ok := sc.Tree.Unit(it.UnitID); ok {
			it.Unit = u.Name
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// reviewPage is the queue's page when no limit is given: a reviewer works
// through the oldest first, and the filters narrow the rest.
const reviewPage = 100

// reviewWhere builds the queue's conditions on figures f joined to
// target_progress p, within the caller's scope.
func (s *Store) reviewWhere(ctx context.Context, f ReviewFilter) (*org.Scope, *db.Where, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	if !canReview(sc.User) {
		return nil, nil, platform.Errorf(platform.Forbidden, "target.err.review_forbidden")
	}
	var w db.Where
	within := int64(0)
	if f.UnitID != nil {
		if _, ok := sc.Tree.Unit(*f.UnitID); !ok {
			return nil, nil, platform.ErrNotFound
		}
		if err := sc.Check(ctx, "unit", *f.UnitID, *f.UnitID); err != nil {
			return nil, nil, err
		}
		within = *f.UnitID
	}
	// The figure's own township (kept in step with its target's): the
	// pending figures' partial index then finds a township's queue without
	// reading every target's figures.
	sc.Where(&w, "f.township_id", "p.unit_id", within)
	w.Add("f.status = ?", string(Pending))
	if f.Period != nil {
		w.Add("f.period = ?", *f.Period)
	}
	return sc, &w, nil
}

// markPending fills each row's count of figures waiting for review, read
// for the page's rows only off the pending figures' partial index.
func (s *Store) markPending(ctx context.Context, rows []RowView) error {
	if len(rows) == 0 {
		return nil
	}
	at := map[int64][]int{}
	towns := map[int64]bool{}
	var ids, townIDs []int64
	for i, r := range rows {
		if _, ok := at[r.ID]; !ok {
			ids = append(ids, r.ID)
		}
		at[r.ID] = append(at[r.ID], i)
		if !towns[r.TownshipID] {
			towns[r.TownshipID] = true
			townIDs = append(townIDs, r.TownshipID)
		}
	}
	var w db.Where
	w.In("township_id", townIDs)
	w.In("target_id", ids)
	w.Add("status = ?", string(Pending))
	q, err := s.DB.QueryContext(ctx, `SELECT target_id, COUNT(*) FROM figures`+w.SQL()+` GROUP BY target_id`, w.Args...)
	if err != nil {
		return platform.Internalf("pending figures: %w", err)
	}
	defer q.Close()
	for q.Next() {
		var id int64
		var n int
		if err := q.Scan(&id, &n); err != nil {
			return platform.Internalf("pending figures: %w", err)
		}
		for _, i := range at[id] {
			rows[i].Pending = n
		}
	}
	return q.Err()
}

// PendingCount is how many figures wait in the caller's review queue; 0 for
// one who does not review.
func (s *Store) PendingCount(ctx context.Context) (int, error) {
	if !canReview(auth.FromContext(ctx)) {
		return 0, nil
	}
	return s.ReviewCount(ctx, ReviewFilter{})
}

// ReviewCount is how many pending figures the queue holds under f, on every
// page (Forbidden for one who does not review).
func (s *Store) ReviewCount(ctx context.Context, f ReviewFilter) (int, error) {
	_, w, err := s.reviewWhere(ctx, f)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM figures f JOIN target_progress p ON p.target_id = f.target_id`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return 0, platform.Internalf("pending count: %w", err)
	}
	return n, nil
}

// Decision is a reviewer's answer to a pending figure.
type Decision struct {
	Approve bool
	Reason  string // 退回原因, required to return
}

// Review approves or returns pending figures, all or none, in one
// transaction: an approved figure counts at once (its target evaluated
// again as a write would), a returned one keeps the reason and never
// counts. A figure that is no longer pending, or was replaced by a later
// entry of its period meanwhile, is a Conflict; one outside the caller's
// scope is not found (and audited); a returned one needs a reason (Invalid).
func (s *Store) Review(ctx context.Context, ids []int64, d Decision) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	if len(ids) == 0 {
		return platform.FieldError("figure_id", "target.err.review_none")
	}
	d.Reason = strings.TrimSpace(d.Reason)
	switch {
	case !d.Approve && d.Reason == "":
		return platform.FieldError("reason", "target.err.review_reason")
	case len([]rune(d.Reason)) > MaxNote:
		return platform.FieldError("reason", "form.err.too_long", MaxNote)
	}
	type item struct {
		f Figure
		t Row
	}
	items := make([]item, 0, len(ids))
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			continue
		}
		seen[id] = true
		f, err := scanFigure(s.DB.QueryRowContext(ctx, `SELECT `+figureColumns+` FROM figures f WHERE f.id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return platform.ErrNotFound
		}
		if err != nil {
			return platform.Internalf("figure %d: %w", id, err)
		}
		t, err := s.target(ctx, sc, f.TargetID) // scope first: another's figure is not found
		if err != nil {
			return err
		}
		if !canReview(sc.User) {
			return s.forbidden(ctx, sc, "figure", id, t.UnitID, platform.Errorf(platform.Forbidden, "target.err.review_forbidden"))
		}
		items = append(items, item{f, t})
	}
	sort.Slice(items, func(i, j int) bool { return items[i].f.ID < items[j].f.ID })
	u := sc.User
	now := s.now().UTC()
	to := Returned
	if d.Approve {
		to, d.Reason = Approved, ""
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		q := s.DB.Stmts(tx)
		touched := map[int64]bool{}
		for _, it := range items {
			f := it.f
			// Checked again in the transaction, so that two reviewers, or a
			// reviewer and a re-entry, cannot both win.
			var later bool
			if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM figures WHERE target_id = $1 AND period = $2 AND id > $3)`, f.TargetID, f.Period, f.ID).Scan(&later); err != nil {
				return platform.Internalf("review %d: %w", f.ID, err)
			}
			if later {
				return &platform.Error{Code: platform.Conflict, Key: "target.err.review_replaced", Args: []any{it.t.Indicator.Name, it.t.UnitName, periodMonth(f.Period)}}
			}
			res, err := q.ExecContext(ctx, `UPDATE figures SET status = $1, reviewed_by_login = $2, reviewed_at = $3, review_reason = $4 WHERE id = $5 AND status = 'pending'`,
				string(to), u.Login, now, d.Reason, f.ID)
			if err != nil {
				return platform.Internalf("review %d: %w", f.ID, err)
			}
			if n, _ := res.RowsAffected(); n != 1 && f.Status == Replaced {
				return &platform.Error{Code: platform.Conflict, Key: "target.err.review_replaced", Args: []any{it.t.Indicator.Name, it.t.UnitName, periodMonth(f.Period)}}
			} else if n != 1 {
				return &platform.Error{Code: platform.Conflict, Key: "target.err.review_decided", Args: []any{it.t.Indicator.Name, it.t.UnitName, periodMonth(f.Period)}}
			}
			after := f
			after.Status, after.ReviewedBy, after.ReviewedAt, after.ReviewReason = to, u.Login, &now, d.Reason
			if err := audit.Record(ctx, q, audit.Entry{Action: audit.Update, Entity: "figure", EntityID: audit.ID(f.ID), UnitID: it.t.UnitID, UnitPath: it.t.UnitPath,
				Before: f, After: after, At: now}); err != nil {
				return err
			}
			touched[it.t.ID] = true
		}
		if !d.Approve {
			// Nothing counted changes, but a target whose report was
			// returned may be late again: kept boards count it anew.
			townships := map[int64]bool{}
			for _, it := range items {
				townships[it.t.TownshipID] = true
			}
			return bumpVersions(ctx, q, townships)
		}
		// Each target once, after all its figures are approved.
		for _, it := range items {
			if touched[it.t.ID] {
				delete(touched, it.t.ID)
				if err := s.refreshFigure(ctx, tx, it.t); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// ReviewedTime is when the figure was approved or returned; zero while it
// waits, and for figures that never needed review.
func (f Figure) ReviewedTime() time.Time {
	if f.ReviewedAt == nil {
		return time.Time{}
	}
	return *f.ReviewedAt
}

// Figure returns one figure of a target in scope, read by id; another's is
// not found (and audited).
func (s *Store) Figure(ctx context.Context, id int64) (Figure, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Figure{}, err
	}
	f, err := scanFigure(s.DB.QueryRowContext(ctx, `SELECT `+figureColumns+` FROM figures f WHERE f.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Figure{}, platform.ErrNotFound
	}
	if err != nil {
		return Figure{}, platform.Internalf("figure %d: %w", id, err)
	}
	if _, err := s.target(ctx, sc, f.TargetID); err != nil {
		return Figure{}, err
	}
	return f, nil
}
