package work

import (
	"context"
	"strconv"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Completion is one lead unit's record on the register (办结率): its tasks
// as lead unit (a co-unit's tasks are not its own), how many are closed,
// how many are stopped (中止) and struck off (销号), which leave the count,
// and how many closed by their deadline.
type Completion struct {
	UnitID    int64    `json:"unit_id"`
	UnitName  string   `json:"unit_name"`
	All       int      `json:"all"`
	Closed    int      `json:"closed"`
	Stopped   int      `json:"stopped"`
	StruckOff int      `json:"struck_off"`
	OnTime    int      `json:"on_time"`
	Rate      *float64 `json:"rate"` // nil when every task is stopped or struck off
}

// CompletionRate is closed ÷ (all − stopped − struck off), nil when nothing
// is left to complete. A struck-off task was taken off the register for
// good: it is no longer the unit's to complete. A stopped task leaves the
// count too, but only while it is stopped: the office paused it, so the
// lead unit can neither work nor close it and should not be marked down
// for a pause it did not choose, nor credited with work it has not done;
// once resumed it counts again, and struck off it leaves for good.
func CompletionRate(all, closed, stopped, struckOff int) *float64 {
	n := all - stopped - struckOff
	if n <= 0 {
		return nil
	}
	r := float64(closed) / float64(n)
	return &r
}

// CompletionFilter narrows the record: the tasks assigned in Year (0: any),
// the lead units under UnitID (0: the caller's scope).
type CompletionFilter struct {
	Year   int
	UnitID int64
}

// Completion returns, for every lead unit in the caller's scope with a
// task, its completion record, in tree order; NotFound for a unit outside
// the scope.
func (s *Store) Completion(ctx context.Context, f CompletionFilter) ([]Completion, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	if f.UnitID != 0 && !sc.Has(f.UnitID) {
		return nil, sc.DenyUnit(ctx, f.UnitID)
	}
	var w db.Where
	// By lead unit only: a village that helps on another unit's task is
	// not scored for it, nor does it see that unit's record.
	sc.Where(&w, "t.township_id", "t.lead_unit_id", f.UnitID)
	if f.Year != 0 {
		y := strconv.Itoa(f.Year)
		w.Add("t.assigned_on >= ? AND t.assigned_on <= ?", y+"-01-01", y+"-12-31")
	}
	by := map[int64]*Completion{}
	rows, err := s.DB.QueryContext(ctx, `SELECT t.lead_unit_id, t.state, COUNT(*) FROM tasks t`+w.SQL()+` GROUP BY t.lead_unit_id, t.state`, w.Args...)
	if err != nil {
		return nil, platform.Internalf("completion: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit int64
		var state string
		var n int
		if err := rows.Scan(&unit, &state, &n); err != nil {
			return nil, platform.Internalf("completion: %w", err)
		}
		c := by[unit]
		if c == nil {
			c = &Completion{UnitID: unit}
			by[unit] = c
		}
		c.All += n
		switch state {
		case string(Closed):
			c.Closed += n
		case string(Stopped):
			c.Stopped += n
		case string(StruckOff):
			c.StruckOff += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("completion: %w", err)
	}
	rows.Close()
	// On time: the 办结 step's Beijing date against the deadline, one row per
	// closed task (办结 is final, so a task has one such step).
	w.Add("t.state = ?", string(Closed))
	w.Add("s.item_kind = ? AND s.transition = ?", Machine.Kind, Close)
	closed, err := s.DB.QueryContext(ctx, `SELECT t.lead_unit_id, t.deadline, s.at FROM tasks t
		JOIN workflow_steps s ON s.item_id = t.id`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("completion on time: %w", err)
	}
	defer closed.Close()
	for closed.Next() {
		var unit int64
		var deadline string
		var at time.Time
		if err := closed.Scan(&unit, &deadline, &at); err != nil {
			return nil, platform.Internalf("completion on time: %w", err)
		}
		if c := by[unit]; c != nil && TimelinessOf(at.In(clock.Beijing).Format(clock.DateFormat), deadline) == OnTime {
			c.OnTime++
		}
	}
	if err := closed.Err(); err != nil {
		return nil, platform.Internalf("completion on time: %w", err)
	}
	out := []Completion{}
	for _, u := range sc.Tree.Units() { // tree order
		if c := by[u.ID]; c != nil {
			c.UnitName = u.Name
			c.Rate = CompletionRate(c.All, c.Closed, c.Stopped, c.StruckOff)
			out = append(out, *c)
		}
	}
	return out, nil
}
