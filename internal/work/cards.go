package work

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Warning cards (黄牌 / 红牌) are stored events, not a colour worked out on
// each read: a township reports how many cards a unit collected in the
// year, and a card taken down (摘牌) when the task is done stays on the
// record. The sweep (Sweep) raises and takes them down; the office may
// record an exemption for an objective reason (Exempt).

// Color is a card's colour.
type Color string

const (
	YellowCard Color = "yellow" // 黄牌
	RedCard    Color = "red"    // 红牌
)

// Colors lists the colours, the milder first.
var Colors = []Color{YellowCard, RedCard}

// Cause is why a card was raised.
type Cause string

const (
	LateCause     Cause = "overdue"  // the deadline has passed
	FeedbackCause Cause = "feedback" // a periodic report was missed (反馈超期)
	RepeatCause   Cause = "repeat"   // late again after yellow cards before
)

// Why a card was taken down.
const (
	ClearedDone     = "done"     // the task is closed, stopped, struck off or no longer late
	ClearedUpgraded = "upgraded" // the yellow card became a red one
	ClearedExempt   = "exempt"   // an objective reason, recorded by the office
)

// DefaultRedAfter is how many days late a yellow card turns red where the
// township has not said.
const DefaultRedAfter = 7

// RepeatYellows is how many earlier yellow cards make the next card red.
const RepeatYellows = 2

// MaxExemptReason bounds an exemption's reason.
const MaxExemptReason = 200

// CardFor is the card a task daysLate days past its deadline deserves,
// given the yellow cards it had before (exempted ones not counted) and the
// township's redAfter: none when not late; red when later than redAfter
// days, or when it had RepeatYellows yellow cards before; else yellow.
func CardFor(daysLate, priorYellows, redAfter int) (Color, Cause, bool) {
	switch {
	case daysLate <= 0:
		return "", "", false
	case daysLate > redAfter:
		return RedCard, LateCause, true
	case priorYellows >= RepeatYellows:
		return RedCard, RepeatCause, true
	}
	return YellowCard, LateCause, true
}

// FeedbackCardFor is the card for a missed periodic report: yellow, or red
// when the task had RepeatYellows yellow cards before. (A missed report
// does not turn red by days alone: the deadline's own card does.)
func FeedbackCardFor(daysLate, priorYellows int) (Color, Cause, bool) {
	switch {
	case daysLate <= 0:
		return "", "", false
	case priorYellows >= RepeatYellows:
		return RedCard, RepeatCause, true
	}
	return YellowCard, FeedbackCause, true
}

// Card is one warning card of a task.
type Card struct {
	ID           int64      `json:"id"`
	TaskID       int64      `json:"task_id"`
	Color        Color      `json:"color"`
	Cause        Cause      `json:"cause"`
	Deadline     string     `json:"deadline"`  // the deadline it was raised against
	RaisedOn     string     `json:"raised_on"` // the Beijing day it was raised
	RaisedAt     time.Time  `json:"raised_at"`
	ClearedAt    *time.Time `json:"cleared_at"`
	ClearedWhy   string     `json:"cleared_why,omitempty"`
	ExemptReason string     `json:"exempt_reason,omitempty"`
	ExemptBy     string     `json:"exempt_by,omitempty"` // the login who recorded the exemption
}

// Standing reports whether the card is still up.
func (c Card) Standing() bool { return c.ClearedAt == nil }

// Cards returns a task's cards, newest first; NotFound outside scope.
func (s *Store) Cards(ctx context.Context, taskID int64) ([]Card, error) {
	if _, err := s.Task(ctx, taskID); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT c.id, c.task_id, c.color, c.cause, c.deadline, c.raised_on, c.raised_at,
		c.cleared_at, c.cleared_why, c.exempt_reason, COALESCE(u.login, '')
		FROM task_cards c LEFT JOIN users u ON u.id = c.exempt_by WHERE c.task_id = $1 ORDER BY c.id DESC`, taskID)
	if err != nil {
		return nil, platform.Internalf("task cards: %w", err)
	}
	defer rows.Close()
	var out []Card
	for rows.Next() {
		var c Card
		var color, cause string
		var cleared sql.NullTime
		if err := rows.Scan(&c.ID, &c.TaskID, &color, &cause, &c.Deadline, &c.RaisedOn, &c.RaisedAt,
			&cleared, &c.ClearedWhy, &c.ExemptReason, &c.ExemptBy); err != nil {
			return nil, platform.Internalf("task cards: %w", err)
		}
		c.Color, c.Cause = Color(color), Cause(cause)
		if cleared.Valid {
			at := cleared.Time
			c.ClearedAt = &at
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// openCards fills the standing card of each task, one query for them all.
func openCards(ctx context.Context, q db.Queryer, tasks []Task) error {
	if len(tasks) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(tasks))
	for i, t := range tasks {
		at[t.ID], ids[i] = i, t.ID
	}
	var w db.Where
	w.In("task_id", ids)
	w.Add("cleared_at IS NULL")
	rows, err := q.QueryContext(ctx, `SELECT task_id, color FROM task_cards`+w.SQL(), w.Args...)
	if err != nil {
		return platform.Internalf("task cards: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var color string
		if err := rows.Scan(&id, &color); err != nil {
			return platform.Internalf("task cards: %w", err)
		}
		tasks[at[id]].Card = Color(color)
	}
	return rows.Err()
}

// cardWhere keeps the tasks with a standing card of colour c.
func cardWhere(w *db.Where, c Color) {
	w.Add("EXISTS (SELECT 1 FROM task_cards c WHERE c.task_id = t.id AND c.cleared_at IS NULL AND c.color = ?)", string(c))
}

// RedAfter is the township's days late before a yellow card turns red.
func (s *Store) RedAfter(ctx context.Context, q db.Queryer, townshipID int64) (int, error) {
	r, err := s.Rules(ctx, q, townshipID)
	return r.RedAfter, err
}

// MaxRedAfter bounds the township's setting.
const MaxRedAfter = 90

// Exempt takes down a standing card for an objective reason (客观原因免责):
// the office of the task's township only, with a reason; the card stays on
// the record as exempted, and the deadline it was raised against does not
// card the task again. NotFound outside scope or for a card of another
// task; Invalid when the card is down already or the reason is missing.
func (s *Store) Exempt(ctx context.Context, taskID, cardID int64, reason string) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	t, err := s.read(ctx, s.DB, sc, taskID)
	if err != nil {
		return err
	}
	if !Office(sc.User) || !officeOver(sc.User, t.townPath) {
		return platform.ErrForbidden
	}
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return platform.FieldError("reason", "task.card.error.reason")
	case n > MaxExemptReason:
		return platform.FieldError("reason", "task.error.too_long", MaxExemptReason)
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE task_cards SET cleared_at = $1, cleared_why = $2, exempt_by = $3, exempt_reason = $4
			WHERE id = $5 AND task_id = $6 AND cleared_at IS NULL`, now.UTC(), ClearedExempt, sc.User.ID, reason, cardID, taskID)
		if err != nil {
			return platform.Internalf("exempt card: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var exists int
			err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_cards WHERE id = $1 AND task_id = $2`, cardID, taskID).Scan(&exists)
			if err != nil {
				return platform.Internalf("exempt card: %w", err)
			}
			if exists == 0 {
				return platform.ErrNotFound
			}
			return platform.FieldError("reason", "task.card.error.down")
		}
		if err := bumpRegister(ctx, tx, t.TownshipID); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task_card", EntityID: audit.ID(cardID),
			UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, Before: map[string]any{"task": taskID, "standing": true},
			After: map[string]any{"task": taskID, "standing": false, "why": ClearedExempt, "reason": reason}, At: now})
	})
}

// bumpRegister moves the township's register version on, as a change of a
// task does: a kept total filtered by card is counted again.
func bumpRegister(ctx context.Context, tx *sql.Tx, townshipID int64) error {
	if _, err := tx.ExecContext(ctx, `INSERT INTO task_versions (township_id, version) VALUES ($1, 1)
		ON CONFLICT (township_id) DO UPDATE SET version = task_versions.version + 1`, townshipID); err != nil {
		return platform.Internalf("task register version: %w", err)
	}
	return nil
}

// clearOnEnd takes down the standing card of a task that has just been
// closed, stopped or struck off, in the transaction of the move. (A task
// resumed late is carded again by the next sweep.)
func clearOnEnd(ctx context.Context, tx *sql.Tx, t Task, now time.Time) error {
	res, err := tx.ExecContext(ctx, `UPDATE task_cards SET cleared_at = $1, cleared_why = $2 WHERE task_id = $3 AND cleared_at IS NULL`,
		now.UTC(), ClearedDone, t.ID)
	if err != nil {
		return platform.Internalf("clear card: %w", err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		return bumpRegister(ctx, tx, t.TownshipID)
	}
	return nil
}

// SweepResult counts what a sweep changed.
type SweepResult struct {
	Raised, Cleared int
}

// Sweep raises the cards late tasks deserve and takes down those no longer
// deserved, township by township: run by the job runner every few minutes
// and at start, so a card goes up soon after a deadline day ends in
// Beijing. In steady state it reads each township's late tasks off the
// deadline index and its standing cards, and writes nothing. Two instances
// sweeping at once cannot raise two standing cards (a unique index): the
// second gives way and the next sweep finds the work done.
func (s *Store) Sweep(ctx context.Context) (SweepResult, error) {
	var total SweepResult
	townships, err := int64sOf(ctx, s.DB, `SELECT township_id FROM task_versions ORDER BY township_id`)
	if err != nil {
		return total, err
	}
	var tree *org.Tree // read only when a township has something to write
	for _, tw := range townships {
		r, err := s.sweepTownship(ctx, tw, &tree)
		if err != nil {
			return total, err
		}
		total.Raised += r.Raised
		total.Cleared += r.Cleared
	}
	return total, nil
}

// lateTask is a task past its deadline, or past the day of a periodic
// report (feedback; deadline is then that day), as the sweep reads it.
type lateTask struct {
	id, unit int64
	deadline string
	daysLate int
	feedback bool
}

func (s *Store) sweepTownship(ctx context.Context, townshipID int64, tree **org.Tree) (SweepResult, error) {
	now := s.now()
	today := clock.Today(now)
	redAfter, err := s.RedAfter(ctx, s.DB, townshipID)
	if err != nil {
		return SweepResult{}, err
	}
	late := map[int64]lateTask{}
	var lw db.Where
	lw.Add("township_id = ? AND deadline < ?", townshipID, today.Format(clock.DateFormat))
	marks, states := stateMarks(unlit)
	lw.Add("state NOT IN ("+marks+")", states...)
	rows, err := s.DB.QueryContext(ctx, `SELECT id, deadline, lead_unit_id FROM tasks`+lw.SQL(), lw.Args...)
	if err != nil {
		return SweepResult{}, platform.Internalf("late tasks: %w", err)
	}
	for rows.Next() {
		var lt lateTask
		if err := rows.Scan(&lt.id, &lt.deadline, &lt.unit); err != nil {
			rows.Close()
			return SweepResult{}, platform.Internalf("late tasks: %w", err)
		}
		if d, err := clock.ParseDate(lt.deadline); err == nil {
			lt.daysLate = daysBetween(d, today)
		}
		late[lt.id] = lt
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return SweepResult{}, platform.Internalf("late tasks: %w", err)
	}
	// Missed periodic reports of tasks not yet past their deadline, off the
	// township's next-report index.
	rows, err = s.DB.QueryContext(ctx, `SELECT id, next_report, lead_unit_id FROM tasks
		WHERE township_id = $1 AND next_report <> '' AND next_report < $2 AND state IN ($3, $4) AND deadline >= $2`,
		townshipID, today.Format(clock.DateFormat), string(Accepted), string(InProgress))
	if err != nil {
		return SweepResult{}, platform.Internalf("late reports: %w", err)
	}
	for rows.Next() {
		lt := lateTask{feedback: true}
		if err := rows.Scan(&lt.id, &lt.deadline, &lt.unit); err != nil {
			rows.Close()
			return SweepResult{}, platform.Internalf("late reports: %w", err)
		}
		if d, err := clock.ParseDate(lt.deadline); err == nil {
			lt.daysLate = daysBetween(d, today)
		}
		late[lt.id] = lt
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return SweepResult{}, platform.Internalf("late reports: %w", err)
	}
	type standing struct {
		id       int64
		color    Color
		deadline string
	}
	up := map[int64]standing{}
	rows, err = s.DB.QueryContext(ctx, `SELECT id, task_id, color, deadline FROM task_cards WHERE township_id = $1 AND cleared_at IS NULL`, townshipID)
	if err != nil {
		return SweepResult{}, platform.Internalf("standing cards: %w", err)
	}
	for rows.Next() {
		var c standing
		var task int64
		if err := rows.Scan(&c.id, &task, &c.color, &c.deadline); err != nil {
			rows.Close()
			return SweepResult{}, platform.Internalf("standing cards: %w", err)
		}
		up[task] = c
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return SweepResult{}, platform.Internalf("standing cards: %w", err)
	}

	// What changes: cards on tasks no longer late (or late against another
	// deadline) come down; late tasks without a card, or with a yellow one
	// now past redAfter, need one.
	type takeDown struct {
		card, task int64
		why        string
	}
	var down []takeDown
	var need []lateTask
	yellows := map[int64]int{} // earlier yellow cards, by task
	for task, c := range up {
		if lt, ok := late[task]; !ok || lt.deadline != c.deadline {
			down = append(down, takeDown{c.id, task, ClearedDone})
			if c.color == YellowCard {
				yellows[task]++ // coming down now, before the next goes up
			}
		}
	}
	for id, lt := range late {
		c, ok := up[id]
		switch {
		case ok && c.deadline == lt.deadline:
			if c.color == YellowCard && !lt.feedback && lt.daysLate > redAfter {
				down = append(down, takeDown{c.id, id, ClearedUpgraded})
				need = append(need, lt)
			}
		case lt.daysLate > 0:
			need = append(need, lt)
		}
	}
	if len(down) == 0 && len(need) == 0 {
		return SweepResult{}, nil
	}

	// The history of the tasks that need a card: earlier yellows make the
	// next one red, an exemption keeps its deadline from carding again.
	exempt := map[int64]map[string]bool{}
	if len(need) > 0 {
		ids := make([]int64, len(need))
		for i, lt := range need {
			ids[i] = lt.id
		}
		var w db.Where
		w.In("task_id", ids)
		w.Add("cleared_at IS NOT NULL")
		rows, err := s.DB.QueryContext(ctx, `SELECT task_id, color, cleared_why, deadline FROM task_cards`+w.SQL(), w.Args...)
		if err != nil {
			return SweepResult{}, platform.Internalf("card history: %w", err)
		}
		for rows.Next() {
			var task int64
			var color, why, deadline string
			if err := rows.Scan(&task, &color, &why, &deadline); err != nil {
				rows.Close()
				return SweepResult{}, platform.Internalf("card history: %w", err)
			}
			switch {
			case why == ClearedExempt:
				if exempt[task] == nil {
					exempt[task] = map[string]bool{}
				}
				exempt[task][deadline] = true
			case Color(color) == YellowCard && why != ClearedUpgraded:
				yellows[task]++
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return SweepResult{}, platform.Internalf("card history: %w", err)
		}
	}
	if *tree == nil {
		if *tree, err = org.ReadTree(ctx, s.DB); err != nil {
			return SweepResult{}, err
		}
	}
	pathOf := func(unit int64) string {
		if u, ok := (*tree).Unit(unit); ok {
			return u.Path
		}
		return ""
	}
	unitOf := func(task int64) int64 {
		if lt, ok := late[task]; ok {
			return lt.unit
		}
		return 0
	}
	var r SweepResult
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, d := range down {
			res, err := tx.ExecContext(ctx, `UPDATE task_cards SET cleared_at = $1, cleared_why = $2 WHERE id = $3 AND cleared_at IS NULL`,
				now.UTC(), d.why, d.card)
			if err != nil {
				return platform.Internalf("clear card: %w", err)
			}
			if n, _ := res.RowsAffected(); n == 0 {
				continue // taken down meanwhile: by a move, an exemption or another instance
			}
			r.Cleared++
			unit := unitOf(d.task)
			if unit == 0 {
				if err := tx.QueryRowContext(ctx, `SELECT lead_unit_id FROM tasks WHERE id = $1`, d.task).Scan(&unit); err != nil {
					return platform.Internalf("card task: %w", err)
				}
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task_card", EntityID: audit.ID(d.card),
				UnitID: unit, UnitPath: pathOf(unit), Before: map[string]any{"task": d.task, "standing": true},
				After: map[string]any{"task": d.task, "standing": false, "why": d.why}, At: now}); err != nil {
				return err
			}
		}
		for _, lt := range need {
			if exempt[lt.id][lt.deadline] {
				continue
			}
			color, cause, ok := CardFor(lt.daysLate, yellows[lt.id], redAfter)
			if lt.feedback {
				color, cause, ok = FeedbackCardFor(lt.daysLate, yellows[lt.id])
			}
			if !ok {
				continue
			}
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO task_cards (task_id, township_id, color, cause, deadline, raised_on, raised_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
				lt.id, townshipID, string(color), string(cause), lt.deadline, dueOn(lt, color, cause, redAfter, today), now.UTC()).Scan(&id)
			if db.IsUniqueViolation(err) {
				return errSwept
			}
			if err != nil {
				return platform.Internalf("raise card: %w", err)
			}
			r.Raised++
			if err := audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "task_card", EntityID: audit.ID(id),
				UnitID: lt.unit, UnitPath: pathOf(lt.unit),
				After: map[string]any{"task": lt.id, "color": color, "cause": cause, "deadline": lt.deadline, "days_late": lt.daysLate},
				At:    now}); err != nil {
				return err
			}
		}
		if r.Raised+r.Cleared == 0 {
			return nil
		}
		return bumpRegister(ctx, tx, townshipID)
	})
	if errors.Is(err, errSwept) {
		return SweepResult{}, nil // another instance swept this township meanwhile
	}
	return r, err
}

// dueOn is the Beijing day a card became due, which it carries as the day
// it was raised even when the sweep finds it later (a server that was
// down over a weekend): a yellow card the day after the deadline, a red
// one for lateness the day after redAfter days had passed; a red card for
// repeated yellows has no day of its own but today.
func dueOn(lt lateTask, color Color, cause Cause, redAfter int, today time.Time) string {
	d, err := clock.ParseDate(lt.deadline)
	if err != nil || cause == RepeatCause {
		return today.Format(clock.DateFormat)
	}
	days := 1
	if color == RedCard {
		days = redAfter + 1
	}
	return d.AddDate(0, 0, days).Format(clock.DateFormat)
}

// errSwept rolls a township's sweep back when another instance raised a
// card first.
var errSwept = errors.New("swept meanwhile")

// int64sOf runs a query of one integer column.
func int64sOf(ctx context.Context, q db.Queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, platform.Internalf("query: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return nil, platform.Internalf("query: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
