package work

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Bounds of a task's milestones.
const (
	MaxMilestones     = 10
	MaxMilestoneTitle = 60
)

// MilestoneInput is a milestone as the office sets it: a day and what is
// to be done by then.
type MilestoneInput struct {
	Due   string `json:"due"`
	Title string `json:"title"`
}

// Milestone is one dated step of a task (节点).
type Milestone struct {
	ID     int64  `json:"id"`
	Due    string `json:"due"`
	Title  string `json:"title"`
	DoneOn string `json:"done_on,omitempty"` // the Beijing day the lead unit marked it done
	Late   bool   `json:"late"`              // its day has ended and it is not done
}

// checkMilestones validates the office's milestones against the task's
// dates and orders them by day; blank rows (a form's spare lines) drop out.
func checkMilestones(in []MilestoneInput, assigned, deadline time.Time) ([]MilestoneInput, platform.Errors) {
	var out []MilestoneInput
	var es platform.Errors
	for _, m := range in {
		m.Due, m.Title = strings.TrimSpace(m.Due), strings.TrimSpace(m.Title)
		if m.Due == "" && m.Title == "" {
			continue
		}
		d, err := clock.ParseDate(m.Due)
		switch {
		case err != nil:
			es = append(es, platform.FieldError("milestones", "task.milestone.error.date", m.Title))
		case d.Before(assigned) || d.After(deadline):
			es = append(es, platform.FieldError("milestones", "task.milestone.error.range", m.Due))
		}
		switch n := utf8.RuneCountInString(m.Title); {
		case n == 0:
			es = append(es, platform.FieldError("milestones", "task.milestone.error.title", m.Due))
		case n > MaxMilestoneTitle:
			es = append(es, platform.FieldError("milestones", "task.error.too_long", MaxMilestoneTitle))
		}
		out = append(out, m)
	}
	if len(out) > MaxMilestones {
		es = append(es, platform.FieldError("milestones", "task.milestone.error.many", MaxMilestones))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Due < out[j].Due })
	return out, es
}

// insertMilestones writes a new task's milestones in the transaction that
// creates it.
func insertMilestones(ctx context.Context, tx *sql.Tx, taskID int64, ms []MilestoneInput) error {
	for i, m := range ms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_milestones (task_id, position, due, title) VALUES ($1, $2, $3, $4)`,
			taskID, i+1, m.Due, m.Title); err != nil {
			return platform.Internalf("task milestone: %w", err)
		}
	}
	return nil
}

// Milestones returns a task's milestones by day; NotFound outside scope.
func (s *Store) Milestones(ctx context.Context, taskID int64) ([]Milestone, error) {
	if _, err := s.Task(ctx, taskID); err != nil {
		return nil, err
	}
	return s.milestones(ctx, s.DB, taskID)
}

func (s *Store) milestones(ctx context.Context, q db.Queryer, taskID int64) ([]Milestone, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, due, title, done_on FROM task_milestones WHERE task_id = $1 ORDER BY position`, taskID)
	if err != nil {
		return nil, platform.Internalf("task milestones: %w", err)
	}
	defer rows.Close()
	today := clock.Today(s.now()).Format(clock.DateFormat)
	out := []Milestone{}
	for rows.Next() {
		var m Milestone
		if err := rows.Scan(&m.ID, &m.Due, &m.Title, &m.DoneOn); err != nil {
			return nil, platform.Internalf("task milestones: %w", err)
		}
		m.Late = m.DoneOn == "" && m.Due < today
		out = append(out, m)
	}
	return out, rows.Err()
}

// MarkMilestone records a milestone done today by the lead unit, while the
// task is claimed or in progress; audited. NotFound outside scope or for a
// milestone of another task, Forbidden for anyone else, Invalid when done
// already.
func (s *Store) MarkMilestone(ctx context.Context, taskID, milestoneID int64) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	t, err := s.read(ctx, s.DB, sc, taskID)
	if err != nil {
		return err
	}
	if !lead(sc.User, t.item()) || !changeable(t) {
		return platform.ErrForbidden
	}
	now := s.now()
	today := clock.Today(now).Format(clock.DateFormat)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var done string
		err := tx.QueryRowContext(ctx, `SELECT done_on FROM task_milestones WHERE id = $1 AND task_id = $2`, milestoneID, taskID).Scan(&done)
		if err == sql.ErrNoRows {
			return platform.ErrNotFound
		}
		if err != nil {
			return platform.Internalf("task milestone: %w", err)
		}
		if done != "" {
			return platform.FieldError("milestone", "task.milestone.error.done", done)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE task_milestones SET done_on = $1, done_by = $2 WHERE id = $3`, today, sc.User.ID, milestoneID); err != nil {
			return platform.Internalf("task milestone: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task_milestone", EntityID: audit.ID(milestoneID),
			UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, Before: map[string]any{"task": taskID, "done_on": ""},
			After: map[string]any{"task": taskID, "done_on": today}, At: now})
	})
}

// TaskMilestones is the milestones' part of a task's page.
type TaskMilestones struct {
	List    []Milestone
	CanMark bool // the lead unit, while the task is under way
}
