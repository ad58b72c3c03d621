// Package audit writes and reads the append-only log of every change: who,
// when, what entity, before and after. Writes happen in the same transaction
// as the change they describe, so a change is never without its entry.
package audit

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// Actions recorded.
const (
	Create = "create"
	Update = "update"
	Delete = "delete"
	Denied = "denied" // an attempt to reach something outside the caller's scope
	Login  = "login"
	Logout = "logout"
	Failed = "login_failed"
	Import = "import"
)

// Entry is one audit record to write.
type Entry struct {
	Action   string
	Entity   string // "unit", "person", "user", "target", "figure", …
	EntityID string
	UnitID   int64  // the org unit the entity belongs to, for scoped reading; 0 when none
	UnitPath string // that unit's path
	Before   any    // nil for a create
	After    any    // nil for a delete
	At       time.Time
}

// ID formats a numeric id for Entry.EntityID.
func ID(id int64) string { return strconv.FormatInt(id, 10) }

// Record appends e, with the actor and address taken from ctx. q is normally
// the transaction of the change itself.
func Record(ctx context.Context, q db.Queryer, e Entry) error {
	u := auth.FromContext(ctx)
	var actorID *int64
	login := "system"
	if u != nil {
		actorID, login = &u.ID, u.Login
	}
	return RecordAs(ctx, q, actorID, login, e)
}

// RecordAs appends e for an explicit actor (login attempts, command-line use).
func RecordAs(ctx context.Context, q db.Queryer, actorID *int64, login string, e Entry) error {
	if e.At.IsZero() {
		e.At = time.Now()
	}
	var unitID *int64
	if e.UnitID != 0 {
		unitID = &e.UnitID
	}
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log
		(at, actor_id, actor_login, action, entity, entity_id, unit_id, unit_path, before_json, after_json, remote_addr)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
		e.At.UTC(), actorID, login, e.Action, e.Entity, e.EntityID, unitID, e.UnitPath,
		marshal(e.Before), marshal(e.After), auth.RemoteAddr(ctx))
	if err != nil {
		return platform.Internalf("audit: %w", err)
	}
	return nil
}

func marshal(v any) string {
	if v == nil {
		return ""
	}
	b, err := json.Marshal(v)
	if err != nil {
		return `"unencodable"`
	}
	return string(b)
}

// Record is a stored audit entry.
type Row struct {
	ID         int64     `json:"id"`
	At         time.Time `json:"at"`
	ActorLogin string    `json:"actor"`
	Action     string    `json:"action"`
	Entity     string    `json:"entity"`
	EntityID   string    `json:"entity_id"`
	Before     string    `json:"before"`
	After      string    `json:"after"`
	RemoteAddr string    `json:"remote_addr"`
}

// Filter narrows List. Nil and zero fields are unset.
type Filter struct {
	Actor  string
	Action string
	Entity string
	From   *time.Time
	To     *time.Time // exclusive
	Offset int
	Limit  int
}

// Store reads the log.
type Store struct{ DB *db.DB }

// List returns entries in the caller's scope, newest first, and the total.
// Entries not tied to a unit (logins, system events) are shown to admins
// whose scope is a root unit.
func (s *Store) List(ctx context.Context, f Filter) ([]Row, int, error) {
	u := auth.FromContext(ctx)
	if u == nil || !u.Can(auth.ViewAudit) {
		return nil, 0, platform.ErrForbidden
	}
	where := []string{"(unit_path LIKE $1 OR (unit_path = '' AND $2))"}
	args := []any{u.UnitPath + "%", strings.Count(u.UnitPath, "/") <= 2}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
	}
	if f.Actor != "" {
		add("actor_login = ?", f.Actor)
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.Entity != "" {
		add("entity = ?", f.Entity)
	}
	if f.From != nil {
		add("at >= ?", f.From.UTC())
	}
	if f.To != nil {
		add("at < ?", f.To.UTC())
	}
	if f.Limit <= 0 || f.Limit > 500 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	q := `SELECT id, at, actor_login, action, entity, entity_id, before_json, after_json, remote_addr, COUNT(*) OVER()
		FROM audit_log WHERE ` + strings.Join(where, " AND ") +
		` ORDER BY id DESC LIMIT $` + strconv.Itoa(len(args)-1) + ` OFFSET $` + strconv.Itoa(len(args))
	rows, err := s.DB.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, platform.Internalf("audit list: %w", err)
	}
	defer rows.Close()
	var out []Row
	total := 0
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.ActorLogin, &r.Action, &r.Entity, &r.EntityID, &r.Before, &r.After, &r.RemoteAddr, &total); err != nil {
			return nil, 0, platform.Internalf("audit scan: %w", err)
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}
