package work

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// A task's deadline and lead unit are the office's word: once the task is
// under way, the lead unit asks for a change (调整申请) and the office
// decides. The change applies only when approved, and a deadline approved
// after the old one had passed is recorded but not counted — lights, cards
// and scores stay on the old one — so a late extension cannot turn a red
// light green.

// Change kinds.
const (
	ChangeDeadline = "deadline"
	ChangeLeadUnit = "lead_unit"
)

// Change states.
const (
	ChangePending  = "pending"
	ChangeApproved = "approved"
	ChangeRejected = "rejected"
)

// Which deadline an approved deadline change leaves counted.
const (
	CountedNew      = "new"      // approved in time: the new deadline is the task's
	CountedOriginal = "original" // approved late: the task is still counted against the old one
)

// MaxChangeReason bounds a request's reason and a decision's comment.
const MaxChangeReason = 300

// Change is one change request of a task.
type Change struct {
	ID          int64      `json:"id"`
	TaskID      int64      `json:"task_id"`
	Kind        string     `json:"kind"`
	Old         string     `json:"old"` // a date, or a unit id
	New         string     `json:"new"`
	OldName     string     `json:"old_name,omitempty"` // a unit's name for a lead-unit change
	NewName     string     `json:"new_name,omitempty"`
	Reason      string     `json:"reason"`
	State       string     `json:"state"`
	RequestedBy string     `json:"requested_by"`
	RequestedAt time.Time  `json:"requested_at"`
	DecidedBy   string     `json:"decided_by,omitempty"`
	DecidedAt   *time.Time `json:"decided_at"`
	Comment     string     `json:"comment,omitempty"`
	Counted     string     `json:"counted,omitempty"`
}

// ChangeInput is a request: a new deadline, another lead unit, or both,
// with the reason.
type ChangeInput struct {
	Deadline   string `json:"deadline"`
	LeadUnitID int64  `json:"lead_unit_id"`
	Reason     string `json:"reason"`
}

// changeable are the states a task's change may be asked in: claimed and
// under way (before, the office edits its own assignment; after 申请办结
// there is nothing left to extend).
func changeable(t Task) bool { return t.Status == Accepted || t.Status == InProgress }

// RequestChange records the lead unit's request; nothing of the task
// changes. NotFound outside scope; Forbidden for anyone but the lead
// unit's people or outside 签收/办理中; Invalid naming the field at fault.
func (s *Store) RequestChange(ctx context.Context, taskID int64, in ChangeInput) ([]Change, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	t, err := s.read(ctx, s.DB, sc, taskID)
	if err != nil {
		return nil, err
	}
	if !lead(sc.User, t.item()) || !changeable(t) {
		return nil, platform.ErrForbidden
	}
	in.Reason = strings.TrimSpace(in.Reason)
	in.Deadline = strings.TrimSpace(in.Deadline)
	var es platform.Errors
	if in.Deadline == "" && in.LeadUnitID == 0 {
		es = append(es, platform.FieldError("deadline", "task.change.error.nothing"))
	}
	if in.Deadline != "" {
		d, err := clock.ParseDate(in.Deadline)
		today := clock.Today(s.now())
		switch {
		case err != nil:
			es = append(es, platform.FieldError("deadline", "task.error.date"))
		case in.Deadline == t.Deadline:
			es = append(es, platform.FieldError("deadline", "task.change.error.same"))
		case d.Before(today) || in.Deadline <= t.AssignedOn:
			es = append(es, platform.FieldError("deadline", "task.change.error.past"))
		}
	}
	if in.LeadUnitID != 0 {
		u, ok := sc.Tree.Unit(in.LeadUnitID)
		switch {
		case !ok || sc.Tree.TownshipOf(u.ID) != t.TownshipID || u.ID == t.TownshipID:
			es = append(es, platform.FieldError("lead_unit_id", "task.error.lead_unit"))
		case u.ID == t.LeadUnitID:
			es = append(es, platform.FieldError("lead_unit_id", "task.change.error.same"))
		}
	}
	switch n := utf8.RuneCountInString(in.Reason); {
	case n == 0:
		es = append(es, platform.FieldError("reason", "task.change.error.reason"))
	case n > MaxChangeReason:
		es = append(es, platform.FieldError("reason", "task.error.too_long", MaxChangeReason))
	}
	if err := es.Err(); err != nil {
		return nil, err
	}
	now := s.now()
	var out []Change
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		add := func(kind, old, new, field string) error {
			c := Change{TaskID: taskID, Kind: kind, Old: old, New: new, Reason: in.Reason, State: ChangePending,
				RequestedBy: sc.User.Login, RequestedAt: now}
			err := tx.QueryRowContext(ctx, `INSERT INTO task_changes (task_id, kind, old_value, new_value, reason, state, requested_by, requested_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, taskID, kind, old, new, in.Reason, ChangePending, sc.User.ID, now.UTC()).Scan(&c.ID)
			if db.IsUniqueViolation(err) {
				return platform.FieldError(field, "task.change.error.pending")
			}
			if err != nil {
				return platform.Internalf("change request: %w", err)
			}
			out = append(out, c)
			return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "task_change", EntityID: audit.ID(c.ID),
				UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, After: c, At: now})
		}
		if in.Deadline != "" {
			if err := add(ChangeDeadline, t.Deadline, in.Deadline, "deadline"); err != nil {
				return err
			}
		}
		if in.LeadUnitID != 0 {
			if err := add(ChangeLeadUnit, strconv.FormatInt(t.LeadUnitID, 10), strconv.FormatInt(in.LeadUnitID, 10), "lead_unit_id"); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Decide approves or rejects a pending change: the office of the task's
// township only; a rejection needs a comment. An approved deadline applies
// if the old one has not passed in Beijing (counted new), else it is
// recorded and the task keeps its old deadline (counted original); an
// approved lead unit moves the task. A struck-off task is off the register
// for good: its requests can only be rejected (Invalid on "comment").
// Conflict when the change was decided meanwhile.
func (s *Store) Decide(ctx context.Context, taskID, changeID int64, approve bool, comment string) (Change, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Change{}, err
	}
	t, err := s.read(ctx, s.DB, sc, taskID)
	if err != nil {
		return Change{}, err
	}
	if !Office(sc.User) || !officeOver(sc.User, t.townPath) {
		return Change{}, platform.ErrForbidden
	}
	if approve && t.Status == StruckOff {
		return Change{}, platform.FieldError("comment", "task.change.error.struck_off")
	}
	comment = strings.TrimSpace(comment)
	switch n := utf8.RuneCountInString(comment); {
	case !approve && n == 0:
		return Change{}, platform.FieldError("comment", "task.change.error.comment")
	case n > MaxChangeReason:
		return Change{}, platform.FieldError("comment", "task.error.too_long", MaxChangeReason)
	}
	now := s.now()
	var out Change
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		cs, err := s.changes(ctx, tx, taskID, changeID)
		if err != nil {
			return err
		}
		if len(cs) == 0 {
			return platform.ErrNotFound
		}
		c := cs[0]
		if c.State != ChangePending {
			return &platform.Error{Code: platform.Conflict, Key: "task.change.error.decided"}
		}
		cur, err := s.readIn(ctx, tx, sc, taskID)
		if err != nil {
			return err
		}
		before := c
		c.State, c.Comment, c.DecidedBy, c.DecidedAt = ChangeRejected, comment, sc.User.Login, &now
		if approve {
			c.State = ChangeApproved
			switch c.Kind {
			case ChangeDeadline:
				c.Counted = CountedOriginal
				if cur.Deadline >= clock.Today(now).Format(clock.DateFormat) {
					c.Counted = CountedNew
					if _, err := tx.ExecContext(ctx, `UPDATE tasks SET deadline = $1, version = version + 1, updated_at = $2 WHERE id = $3`,
						c.New, now.UTC(), taskID); err != nil {
						return platform.Internalf("task deadline: %w", err)
					}
				}
			case ChangeLeadUnit:
				unit, _ := strconv.ParseInt(c.New, 10, 64)
				if _, ok := sc.Tree.Unit(unit); !ok || sc.Tree.TownshipOf(unit) != cur.TownshipID {
					return platform.FieldError("comment", "task.error.lead_unit")
				}
				if _, err := tx.ExecContext(ctx, `UPDATE tasks SET lead_unit_id = $1, responsible_id = NULL, version = version + 1, updated_at = $2 WHERE id = $3`,
					unit, now.UTC(), taskID); err != nil {
					return platform.Internalf("task lead unit: %w", err)
				}
			}
		}
		res, err := tx.ExecContext(ctx, `UPDATE task_changes SET state = $1, decided_by = $2, decided_at = $3, comment = $4, counted = $5
			WHERE id = $6 AND state = $7`, c.State, sc.User.ID, now.UTC(), comment, c.Counted, c.ID, ChangePending)
		if err != nil {
			return platform.Internalf("decide change: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &platform.Error{Code: platform.Conflict, Key: "task.change.error.decided"}
		}
		out = c
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task_change", EntityID: audit.ID(c.ID),
			UnitID: cur.LeadUnitID, UnitPath: cur.leadUnitPath, Before: before, After: c, At: now})
	})
	if err != nil {
		return Change{}, err
	}
	return out, nil
}

// Changes returns a task's change requests, newest first; NotFound
// outside scope.
func (s *Store) Changes(ctx context.Context, taskID int64) ([]Change, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.read(ctx, s.DB, sc, taskID); err != nil {
		return nil, err
	}
	cs, err := s.changes(ctx, s.DB, taskID, 0)
	if err != nil {
		return nil, err
	}
	for i := range cs {
		if cs[i].Kind != ChangeLeadUnit {
			continue
		}
		for _, v := range []struct {
			id   string
			name *string
		}{{cs[i].Old, &cs[i].OldName}, {cs[i].New, &cs[i].NewName}} {
			if id, err := strconv.ParseInt(v.id, 10, 64); err == nil {
				if u, ok := sc.Tree.Unit(id); ok {
					*v.name = u.Name
				}
			}
		}
	}
	return cs, nil
}

// changes reads a task's changes (one when id is not 0), newest first.
func (s *Store) changes(ctx context.Context, q db.Queryer, taskID, id int64) ([]Change, error) {
	query := `SELECT c.id, c.task_id, c.kind, c.old_value, c.new_value, c.reason, c.state, r.login, c.requested_at,
		COALESCE(d.login, ''), c.decided_at, c.comment, c.counted
		FROM task_changes c JOIN users r ON r.id = c.requested_by LEFT JOIN users d ON d.id = c.decided_by
		WHERE c.task_id = $1`
	args := []any{taskID}
	if id != 0 {
		query += ` AND c.id = $2`
		args = append(args, id)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY c.id DESC`, args...)
	if err != nil {
		return nil, platform.Internalf("task changes: %w", err)
	}
	defer rows.Close()
	var out []Change
	for rows.Next() {
		var c Change
		var decided sql.NullTime
		if err := rows.Scan(&c.ID, &c.TaskID, &c.Kind, &c.Old, &c.New, &c.Reason, &c.State, &c.RequestedBy, &c.RequestedAt,
			&c.DecidedBy, &decided, &c.Comment, &c.Counted); err != nil {
			return nil, platform.Internalf("task changes: %w", err)
		}
		if decided.Valid {
			at := decided.Time
			c.DecidedAt = &at
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, platform.Internalf("task changes: %w", err)
	}
	return out, nil
}
