package targets

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
)

// Reminder (催报) asks the responsible people of a late target for the
// period due. One is sent per target and Beijing day at most.
type Reminder struct {
	ID        int64     `json:"id"`
	TargetID  int64     `json:"target_id"`
	Period    string    `json:"period"` // the period asked for, YYYY-MM
	SentBy    string    `json:"sent_by"`
	SentAt    time.Time `json:"sent_at"`
	Indicator string    `json:"indicator"`
	UnitName  string    `json:"unit_name"`
	To        int       `json:"recipients"`
}

// Month is N of the period asked for.
func (r Reminder) Month() int { return periodMonth(r.Period) }

// Remind sends a reminder for each of ids that is late today and has had
// none today, to the accounts of its responsible person and of its unit's
// reporters, audited with the reminder; it returns how many were sent. Only
// those who keep targets may send them; a target out of scope is not found.
func (s *Store) Remind(ctx context.Context, ids []int64) (int, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return 0, err
	}
	u, err := auth.Require(ctx, auth.ManageTargets)
	if err != nil {
		return 0, err
	}
	now := s.now()
	day := clock.Today(now).Format(clock.DateFormat)
	sent := 0
	for _, id := range ids {
		r, err := s.target(ctx, sc, id)
		if err != nil {
			return sent, err
		}
		if !r.Late {
			continue
		}
		err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
			var rid int64
			err := tx.QueryRowContext(ctx, `INSERT INTO report_reminders (township_id, target_id, period, day, sent_by, sent_by_name, sent_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (target_id, day) DO NOTHING RETURNING id`,
				r.TownshipID, r.ID, r.Due, day, u.ID, u.DisplayName(), now.UTC()).Scan(&rid)
			if errors.Is(err, sql.ErrNoRows) {
				return nil // reminded today already
			}
			if err != nil {
				return platform.Internalf("reminder: %w", err)
			}
			person := int64(-1)
			if r.PersonID != nil {
				person = *r.PersonID
			}
			res, err := tx.ExecContext(ctx, `INSERT INTO report_reminder_recipients (reminder_id, user_id)
				SELECT $1, id FROM users WHERE disabled = $2 AND (person_id = $3 OR (unit_id = $4 AND role = $5))`,
				rid, false, person, r.UnitID, string(auth.Reporter))
			if err != nil {
				return platform.Internalf("reminder recipients: %w", err)
			}
			to, _ := res.RowsAffected()
			sent++
			return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "report_reminder", EntityID: audit.ID(rid), UnitID: r.UnitID, UnitPath: r.UnitPath,
				After: map[string]any{"target_id": r.ID, "indicator": r.Indicator.Name, "unit": r.UnitName, "period": r.Due, "recipients": to}, At: now.UTC()})
		})
		if err != nil {
			return sent, err
		}
	}
	return sent, nil
}

// MyReminders are the reminders addressed to the caller whose figure is
// still missing, newest first. A figure pending review is not missing: it
// has been reported.
func (s *Store) MyReminders(ctx context.Context) ([]Reminder, error) {
	u, err := auth.Caller(ctx)
	if err != nil {
		return nil, err
	}
	return s.reminders(ctx, `SELECT r.id, r.target_id, r.period, r.sent_by_name, r.sent_at, p.indicator_id, p.unit_id,
		(SELECT COUNT(*) FROM report_reminder_recipients c WHERE c.reminder_id = r.id)
		FROM report_reminder_recipients rr JOIN report_reminders r ON r.id = rr.reminder_id JOIN target_progress p ON p.target_id = r.target_id
		WHERE rr.user_id = $1 AND p.period < r.period
		AND NOT EXISTS (SELECT 1 FROM figures f WHERE f.township_id = r.township_id AND f.target_id = r.target_id AND f.status = 'pending' AND f.period >= r.period)
		ORDER BY r.id DESC LIMIT 20`, u.ID)
}

// Reminders are the reminders sent for a target in the caller's scope,
// newest first.
func (s *Store) Reminders(ctx context.Context, targetID int64) ([]Reminder, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	if _, err := s.target(ctx, sc, targetID); err != nil {
		return nil, err
	}
	return s.reminders(ctx, `SELECT r.id, r.target_id, r.period, r.sent_by_name, r.sent_at, p.indicator_id, p.unit_id,
		(SELECT COUNT(*) FROM report_reminder_recipients c WHERE c.reminder_id = r.id)
		FROM report_reminders r JOIN target_progress p ON p.target_id = r.target_id
		WHERE r.target_id = $1 ORDER BY r.id DESC LIMIT 20`, targetID)
}

func (s *Store) reminders(ctx context.Context, query string, args ...any) ([]Reminder, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	inds, _, err := s.indicators(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, platform.Internalf("reminders: %w", err)
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		var r Reminder
		var ind, unit int64
		if err := rows.Scan(&r.ID, &r.TargetID, &r.Period, &r.SentBy, &r.SentAt, &ind, &unit, &r.To); err != nil {
			return nil, platform.Internalf("reminders: %w", err)
		}
		r.Indicator = inds[ind].Name
		if un, ok := sc.Tree.Unit(unit); ok {
			r.UnitName = un.Name
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
