package work

import (
	"context"
	"database/sql"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/workflow"
)

// Update corrects a task as the office assigned it (a wrong title, a
// co-unit forgotten, another rhythm), read at version. While it is still
// 交办 every field may change; once the lead unit has claimed it, its lead
// unit and deadline change only by a request the office approves (changes.go)
// and its assignment and claim days are history, so they stay. Milestones
// done stay; in.Milestones are the ones still to do. Forbidden for anyone
// but the township's office, Invalid for a closed or struck-off task or a
// field at fault, Conflict when the task moved meanwhile. Audited.
func (s *Store) Update(ctx context.Context, id, version int64, in Input) (Task, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Task{}, err
	}
	before, err := s.read(ctx, s.DB, sc, id)
	if err != nil {
		return Task{}, err
	}
	if !Office(sc.User) || !officeOver(sc.User, before.townPath) {
		return Task{}, platform.ErrForbidden
	}
	if final(before.Status) {
		return Task{}, platform.FieldError("_", "task.error.edit_final")
	}
	claimed := before.Status != Assigned
	if claimed {
		var es platform.Errors
		if in.LeadUnitID != before.LeadUnitID {
			es = append(es, platform.FieldError("lead_unit_id", "task.error.edit_by_request"))
		}
		if in.Deadline != before.Deadline {
			es = append(es, platform.FieldError("deadline", "task.error.edit_by_request"))
		}
		if err := es.Err(); err != nil {
			return Task{}, err
		}
		in.AssignedOn, in.ClaimBy = before.AssignedOn, before.ClaimBy
	}
	now := s.now()
	after, err := s.prepare(ctx, sc, &in, now)
	if err != nil {
		return Task{}, err
	}
	after.ID, after.Status, after.Progress, after.Version = before.ID, before.Status, before.Progress, before.Version+1
	if claimed {
		after.NextReport = before.NextReport
		if in.Rhythm != before.Rhythm || in.RhythmWeeks != before.RhythmWeeks {
			assigned, _ := clock.ParseDate(after.AssignedOn) // checked by prepare
			deadline, _ := clock.ParseDate(after.Deadline)
			after.NextReport = ResumedReport(after.Rhythm, after.RhythmWeeks, assigned, deadline, "", now)
		}
	}
	if version == 0 {
		version = before.Version
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE tasks SET township_id = $1, title = $2, requirement = $3, source = $4,
			source_leader_id = $5, doc_number = $6, doc_date = $7, category = $8, lead_unit_id = $9, responsible_id = $10,
			leader_id = $11, assigned_on = $12, deadline = $13, level = $14, listing_leader_id = $15, claim_by = $16,
			rhythm = $17, rhythm_weeks = $18, next_report = $19, version = version + 1, updated_at = $20
			WHERE id = $21 AND version = $22`,
			after.TownshipID, after.Title, after.Requirement, string(after.Source), after.SourceLeaderID, after.DocNumber,
			after.DocDate, after.Category, after.LeadUnitID, after.ResponsibleID, after.LeaderID, after.AssignedOn,
			after.Deadline, string(after.Level), after.ListingLeader, after.ClaimBy, string(after.Rhythm), after.RhythmWeeks,
			after.NextReport, now.UTC(), id, version)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("title", "task.error.title_taken")
		}
		if err != nil {
			return platform.Internalf("update task %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &platform.Error{Code: platform.Conflict, Key: "workflow.conflict"}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM task_units WHERE task_id = $1`, id); err != nil {
			return platform.Internalf("task co-units: %w", err)
		}
		for _, u := range after.CoUnitIDs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_units (task_id, unit_id) VALUES ($1, $2)`, id, u); err != nil {
				return platform.Internalf("task co-unit: %w", err)
			}
		}
		if err := replacePendingMilestones(ctx, tx, id, in.Milestones); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task", EntityID: audit.ID(id),
			UnitID: after.LeadUnitID, UnitPath: after.leadUnitPath, Before: before, After: after, At: now})
	})
	if err != nil {
		return Task{}, err
	}
	return s.Task(ctx, id)
}

// final reports whether a task is off the register for good: nothing of
// it changes any more.
func final(st workflow.State) bool { return st == Closed || st == StruckOff }

// replacePendingMilestones puts ms in place of a task's milestones not yet
// done; the done ones are history and stay.
func replacePendingMilestones(ctx context.Context, tx *sql.Tx, taskID int64, ms []MilestoneInput) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM task_milestones WHERE task_id = $1 AND done_on = ''`, taskID); err != nil {
		return platform.Internalf("task milestones: %w", err)
	}
	var last int
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(position), 0) FROM task_milestones WHERE task_id = $1`, taskID).Scan(&last); err != nil {
		return platform.Internalf("task milestones: %w", err)
	}
	for i, m := range ms {
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_milestones (task_id, position, due, title) VALUES ($1, $2, $3, $4)`,
			taskID, last+i+1, m.Due, m.Title); err != nil {
			return platform.Internalf("task milestone: %w", err)
		}
	}
	return nil
}

// Delete removes a task assigned by mistake, read at version: only while
// it is still 交办 and nothing has been urged, carded, reported or filed
// over it, since history is never deleted. The audit entry keeps the whole task, and its
// 交办 step stays in the workflow's history. Forbidden for anyone but the
// township's office, Invalid once it has left 交办 or carries a reminder
// or a card, Conflict when it moved meanwhile.
func (s *Store) Delete(ctx context.Context, id, version int64) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	before, err := s.read(ctx, s.DB, sc, id)
	if err != nil {
		return err
	}
	if !Office(sc.User) || !officeOver(sc.User, before.townPath) {
		return platform.ErrForbidden
	}
	if before.Status != Assigned {
		return platform.FieldError("_", "task.error.delete_left_assigned")
	}
	if version == 0 {
		version = before.Version
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var history bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM task_reminders WHERE task_id = $1)
			OR EXISTS (SELECT 1 FROM task_cards WHERE task_id = $1)
			OR EXISTS (SELECT 1 FROM task_files WHERE task_id = $1)
			OR EXISTS (SELECT 1 FROM task_unit_reports WHERE task_id = $1)`, id).Scan(&history); err != nil {
			return platform.Internalf("task %d history: %w", id, err)
		}
		if history {
			return platform.FieldError("_", "task.error.delete_history")
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM tasks WHERE id = $1 AND version = $2 AND state = $3`, id, version, string(Assigned))
		if err != nil {
			return platform.Internalf("delete task %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return &platform.Error{Code: platform.Conflict, Key: "workflow.conflict"}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Delete, Entity: "task", EntityID: audit.ID(id),
			UnitID: before.LeadUnitID, UnitPath: before.leadUnitPath, Before: before, At: now})
	})
}
