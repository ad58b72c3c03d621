package work

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
	"guatu/internal/platform/jobs"
)

// Rules are a township's supervision rules (督办规则), set by its office.
type Rules struct {
	RedAfter  int    `json:"red_after"`  // days late before a yellow card turns red
	DueWindow int    `json:"due_window"` // days before its deadline a task turns 临期
	DigestAt  string `json:"digest_at"`  // Beijing time of the daily digest, "" for none
	// Escalate is the days an unanswered reminder waits on each rung before
	// it climbs to the next: to the unit's head, the leader in charge, the
	// principal leader; 0 stops the ladder at that rung.
	Escalate [Rungs - 1]int `json:"escalate_days"`
}

// escalateText is Escalate as stored: "2,2,3".
func (r Rules) escalateText() string {
	parts := make([]string, len(r.Escalate))
	for i, d := range r.Escalate {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

// parseEscalate reads the stored days; a malformed text stops the ladder.
func parseEscalate(s string) [Rungs - 1]int {
	var out [Rungs - 1]int
	for i, p := range strings.Split(s, ",") {
		if i >= len(out) {
			break
		}
		out[i], _ = strconv.Atoi(strings.TrimSpace(p))
	}
	return out
}

// DefaultRules hold where a township has set none.
var DefaultRules = Rules{RedAfter: DefaultRedAfter, DueWindow: DefaultDueWindow, DigestAt: DefaultDigestAt, Escalate: [Rungs - 1]int{2, 2, 3}}

// Defaults and bounds of the rules.
const (
	DefaultDueWindow = 3
	MaxDueWindow     = 30
	DefaultDigestAt  = "08:00"
	MaxEscalateDays  = 30
)

// Rules returns the township's rules through q, or the defaults.
func (s *Store) Rules(ctx context.Context, q db.Queryer, townshipID int64) (Rules, error) {
	var r Rules
	var escalate string
	err := q.QueryRowContext(ctx, `SELECT red_after, due_window, digest_at, escalate_days FROM task_card_settings WHERE township_id = $1`, townshipID).
		Scan(&r.RedAfter, &r.DueWindow, &r.DigestAt, &escalate)
	r.Escalate = parseEscalate(escalate)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultRules, nil
	}
	if err != nil {
		return Rules{}, platform.Internalf("township rules: %w", err)
	}
	return r, nil
}

// check normalises r and names each field out of bounds.
func (r *Rules) check() error {
	var es platform.Errors
	if r.RedAfter < 1 || r.RedAfter > MaxRedAfter {
		es = append(es, platform.FieldError("red_after", "task.card.error.red_after", MaxRedAfter))
	}
	if r.DueWindow < 0 || r.DueWindow > MaxDueWindow {
		es = append(es, platform.FieldError("due_window", "task.rules.error.due_window", MaxDueWindow))
	}
	for i, d := range r.Escalate {
		if d < 0 || d > MaxEscalateDays {
			es = append(es, platform.FieldError("escalate_"+strconv.Itoa(i+1), "task.rules.error.escalate", MaxEscalateDays))
		}
	}
	r.DigestAt = strings.TrimSpace(r.DigestAt)
	if r.DigestAt != "" {
		d, err := jobs.TimeOfDay(r.DigestAt)
		if err != nil {
			es = append(es, platform.FieldError("digest_at", "task.rules.error.digest_at"))
		} else {
			r.DigestAt = time.Time{}.Add(d).Format("15:04")
		}
	}
	return es.Err()
}

// SetRules sets the township's rules: the office of the township or above
// it only; audited. The next sweep applies the card rule, the lists the
// window (within windowsFor on other instances), the next digest its time.
func (s *Store) SetRules(ctx context.Context, townshipID int64, r Rules) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	if !Office(sc.User) {
		return platform.ErrForbidden
	}
	tw, ok := sc.Unit(townshipID)
	if !ok || sc.Tree.TownshipOf(townshipID) != townshipID {
		return sc.DenyUnit(ctx, townshipID)
	}
	if !officeOver(sc.User, tw.Path) {
		return platform.ErrForbidden
	}
	if err := r.check(); err != nil {
		return err
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.Rules(ctx, tx, townshipID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_card_settings (township_id, red_after, due_window, digest_at, escalate_days, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (township_id) DO UPDATE SET red_after = excluded.red_after, due_window = excluded.due_window,
			digest_at = excluded.digest_at, escalate_days = excluded.escalate_days, updated_at = excluded.updated_at`,
			townshipID, r.RedAfter, r.DueWindow, r.DigestAt, r.escalateText(), now.UTC()); err != nil {
			return platform.Internalf("township rules: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task_card_settings", EntityID: audit.ID(townshipID),
			UnitID: townshipID, UnitPath: tw.Path, Before: before, After: r, At: now})
	})
	if err == nil {
		s.windows.forget()
	}
	return err
}

// windowsFor is how long another instance may go on showing a township's
// old 临期 window after it was changed.
const windowsFor = 30 * time.Second

// windowCache holds the townships' 临期 windows that differ from the
// default, read at most every windowsFor: every list and task page lights
// its tasks with them.
type windowCache struct {
	mu   sync.Mutex
	at   time.Time
	days map[int64]int
}

func (c *windowCache) forget() {
	c.mu.Lock()
	c.at = time.Time{}
	c.mu.Unlock()
}

// Windows are the townships' 临期 windows other than the default.
type Windows map[int64]int

// Of is the window of township id.
func (w Windows) Of(id int64) int {
	if d, ok := w[id]; ok {
		return d
	}
	return DefaultDueWindow
}

// dueWindows returns the townships' windows other than the default.
func (s *Store) dueWindows(ctx context.Context) (Windows, error) {
	c := &s.windows
	c.mu.Lock()
	defer c.mu.Unlock()
	if now := time.Now(); !c.at.IsZero() && now.Sub(c.at) < windowsFor {
		return c.days, nil
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT township_id, due_window FROM task_card_settings WHERE due_window <> $1`, DefaultDueWindow)
	if err != nil {
		return nil, platform.Internalf("due windows: %w", err)
	}
	defer rows.Close()
	days := Windows{}
	for rows.Next() {
		var id int64
		var d int
		if err := rows.Scan(&id, &d); err != nil {
			return nil, platform.Internalf("due windows: %w", err)
		}
		days[id] = d
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("due windows: %w", err)
	}
	c.days, c.at = days, time.Now()
	return days, nil
}
