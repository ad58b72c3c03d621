package work

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Timeliness is whether a task closed by its deadline (按期) or after it
// (逾期): derived from the closing date, never entered.
type Timeliness string

const (
	OnTime Timeliness = "on_time" // 按期办结
	Late   Timeliness = "late"    // 逾期办结
)

// Quality is the office's grade of a closed task's result. Townships grade
// supervised work 优/良/中/差, the words of their 督查通报 and of the annual
// assessment, which turns each grade into points by its own scheme; a 0–100
// score would ask the office for a precision its judgement of one task does
// not have, and two offices would not mean the same by 83.
type Quality string

const (
	Excellent Quality = "excellent" // 优
	Good      Quality = "good"      // 良
	Fair      Quality = "fair"      // 中
	Poor      Quality = "poor"      // 差
)

// Qualities lists the grades, best first.
var Qualities = []Quality{Excellent, Good, Fair, Poor}

func validQuality(q Quality) bool {
	for _, x := range Qualities {
		if x == q {
			return true
		}
	}
	return false
}

// TimelinessOf compares a closing date with the deadline (both YYYY-MM-DD
// in Beijing): closed on the deadline day or before is on time. The
// deadline is the task's own, set when it was assigned: the register has no
// deadline change yet, so it is the original one.
func TimelinessOf(closedOn, deadline string) Timeliness {
	if closedOn <= deadline {
		return OnTime
	}
	return Late
}

// Evaluation (办结评价) is the office's score of a closed task.
type Evaluation struct {
	TaskID     int64      `json:"task_id"`
	ClosedOn   string     `json:"closed_on"`
	Deadline   string     `json:"deadline"`
	Timeliness Timeliness `json:"timeliness"`
	Quality    Quality    `json:"quality"`
	Comment    string     `json:"comment"`
	Evaluator  string     `json:"evaluator"`
	At         time.Time  `json:"at"`
}

// closedOn is the Beijing date of a task's 办结 step.
func closedOn(ctx context.Context, q db.Queryer, taskID int64) (string, error) {
	var at time.Time
	err := q.QueryRowContext(ctx, `SELECT at FROM workflow_steps WHERE item_kind = $1 AND item_id = $2 AND transition = $3
		ORDER BY id DESC LIMIT 1`, Machine.Kind, taskID, Close).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return "", platform.FieldError("quality", "task.eval.error.not_closed")
	}
	if err != nil {
		return "", platform.Internalf("task %d closing: %w", taskID, err)
	}
	return at.In(clock.Beijing).Format(clock.DateFormat), nil
}

// Evaluate scores a closed task for the office of its township, or scores
// it again: NotFound outside scope, Forbidden for others, Invalid for a
// task not closed, an unknown grade or a comment too long. Audited.
func (s *Store) Evaluate(ctx context.Context, taskID int64, quality Quality, comment string) (Evaluation, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Evaluation{}, err
	}
	t, err := s.read(ctx, s.DB, sc, taskID)
	if err != nil {
		return Evaluation{}, err
	}
	if !office(sc.User, t.item()) {
		return Evaluation{}, platform.ErrForbidden
	}
	comment = strings.TrimSpace(comment)
	var es platform.Errors
	if t.Status != Closed {
		es = append(es, platform.FieldError("quality", "task.eval.error.not_closed"))
	} else if !validQuality(quality) {
		es = append(es, platform.FieldError("quality", "task.eval.error.quality"))
	}
	if utf8.RuneCountInString(comment) > MaxComment {
		es = append(es, platform.FieldError("eval_comment", "task.error.too_long", MaxComment))
	}
	if err := es.Err(); err != nil {
		return Evaluation{}, err
	}
	on, err := closedOn(ctx, s.DB, taskID)
	if err != nil {
		return Evaluation{}, err
	}
	now := s.now()
	ev := Evaluation{TaskID: taskID, ClosedOn: on, Deadline: t.Deadline, Timeliness: TimelinessOf(on, t.Deadline),
		Quality: quality, Comment: comment, Evaluator: sc.User.Login, At: now.UTC()}
	var actor *int64
	if sc.User.ID != 0 {
		actor = &sc.User.ID
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var before any
		if old, err := evaluation(ctx, tx, taskID); err == nil {
			before = old
		} else if platform.ErrorCode(err) != platform.NotFound {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_evaluations
			(task_id, closed_on, timeliness, quality, comment, evaluator_id, evaluator_login, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
			ON CONFLICT (task_id) DO UPDATE SET closed_on = excluded.closed_on, timeliness = excluded.timeliness,
			quality = excluded.quality, comment = excluded.comment, evaluator_id = excluded.evaluator_id,
			evaluator_login = excluded.evaluator_login, at = excluded.at`,
			taskID, ev.ClosedOn, string(ev.Timeliness), string(ev.Quality), ev.Comment, actor, ev.Evaluator, ev.At); err != nil {
			return platform.Internalf("evaluate task %d: %w", taskID, err)
		}
		action := audit.Create
		if before != nil {
			action = audit.Update
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, Entity: "task_evaluation", EntityID: audit.ID(taskID),
			UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, Before: before, After: ev, At: now})
	})
	if err != nil {
		return Evaluation{}, err
	}
	return ev, nil
}

// Evaluation returns a task's evaluation: NotFound outside scope or when
// the task has none.
func (s *Store) Evaluation(ctx context.Context, taskID int64) (Evaluation, error) {
	if _, err := s.Task(ctx, taskID); err != nil {
		return Evaluation{}, err
	}
	return evaluation(ctx, s.DB, taskID)
}

func evaluation(ctx context.Context, q db.Queryer, taskID int64) (Evaluation, error) {
	var ev Evaluation
	var timeliness, quality string
	err := q.QueryRowContext(ctx, `SELECT e.task_id, e.closed_on, t.deadline, e.timeliness, e.quality, e.comment, e.evaluator_login, e.at
		FROM task_evaluations e JOIN tasks t ON t.id = e.task_id WHERE e.task_id = $1`, taskID).
		Scan(&ev.TaskID, &ev.ClosedOn, &ev.Deadline, &timeliness, &quality, &ev.Comment, &ev.Evaluator, &ev.At)
	if errors.Is(err, sql.ErrNoRows) {
		return Evaluation{}, platform.ErrNotFound
	}
	if err != nil {
		return Evaluation{}, platform.Internalf("task %d evaluation: %w", taskID, err)
	}
	ev.Timeliness, ev.Quality = Timeliness(timeliness), Quality(quality)
	return ev, nil
}

// mayEvaluate reports whether u may score t: the office of its township,
// once it is closed.
func mayEvaluate(u *auth.User, t Task) bool {
	return t.Status == Closed && office(u, t.item())
}
