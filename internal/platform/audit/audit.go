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
	Denied = "denied" // a refusal: out of the caller's scope (404) or not the caller's role (403)
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

// Reasons a refusal gives, in a denied entry's After.
const (
	ReasonScope = "scope" // the object lies outside the caller's scope
	ReasonRole  = "role"  // the caller's role may not do this
)

// request is what a denied entry needs of the request it refuses: the route
// asked for, and whether an entry has been written already.
type request struct {
	route    string
	recorded bool
}

type requestKey struct{}

// WithRoute marks ctx as a request for route ("GET /targets?unit=12"), which
// every denied entry written for it names.
func WithRoute(ctx context.Context, route string) context.Context {
	return context.WithValue(ctx, requestKey{}, &request{route: route})
}

// Route returns the route of the request ctx belongs to, or "".
func Route(ctx context.Context) string {
	if rq, ok := ctx.Value(requestKey{}).(*request); ok {
		return rq.route
	}
	return ""
}

// DeniedRecorded reports whether a denied entry has been written for the
// request ctx belongs to, so the error page does not write a second one.
func DeniedRecorded(ctx context.Context) bool {
	rq, ok := ctx.Value(requestKey{}).(*request)
	return ok && rq.recorded
}

// Refusal is the After of a denied entry: the route and why.
type Refusal struct {
	Route  string `json:"route"`
	Reason string `json:"reason"`
}

// Deny writes the one denied entry of a refusal: who (from ctx), the route,
// the object asked for (entity and id) and the unit it belongs to, whose
// administrators see the entry. A second refusal in one request writes
// nothing more.
func Deny(ctx context.Context, q db.Queryer, reason, entity, entityID string, unitID int64, unitPath string) error {
	rq, _ := ctx.Value(requestKey{}).(*request)
	if rq != nil && rq.recorded {
		return nil
	}
	err := Record(ctx, q, Entry{Action: Denied, Entity: entity, EntityID: entityID, UnitID: unitID, UnitPath: unitPath,
		After: Refusal{Route: Route(ctx), Reason: reason}})
	if err == nil && rq != nil {
		rq.recorded = true
	}
	return err
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

// Filter narrows List. Zero fields are unset.
type Filter struct {
	Actor  string
	Action string
	Entity string
	From   *time.Time
	To     *time.Time // exclusive
}

// Store reads the log.
type Store struct{ DB *db.DB }

// Sorts are the audit list's sort keys.
var Sorts = []string{"at", "actor", "action", "entity"}

// List returns a page of entries in the caller's scope, newest first unless
// sorted otherwise; p learns the total. Entries not tied to a unit (logins,
// system events) are shown to admins whose scope is a root unit.
func (s *Store) List(ctx context.Context, f Filter, p db.Pager) ([]Row, error) {
	u := auth.FromContext(ctx)
	if u == nil || !u.Can(auth.ViewAudit) {
		return nil, platform.ErrForbidden
	}
	var w db.Where
	w.Add("(unit_path LIKE ? OR (unit_path = '' AND ?))", u.UnitPath+"%", strings.Count(u.UnitPath, "/") <= 2)
	if f.Actor != "" {
		w.Add("actor_login = ?", f.Actor)
	}
	if f.Action != "" {
		w.Add("action = ?", f.Action)
	}
	if f.Entity != "" {
		w.Add("entity = ?", f.Entity)
	}
	if f.From != nil {
		w.Add("at >= ?", f.From.UTC())
	}
	if f.To != nil {
		w.Add("at < ?", f.To.UTC())
	}
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, platform.Internalf("audit count: %w", err)
	}
	p.SetTotal(total)
	order := p.OrderBy(map[string]string{"at": "id", "actor": "actor_login", "action": "action", "entity": "entity"}, "id DESC", "id DESC")
	q := `SELECT id, at, actor_login, action, entity, entity_id, before_json, after_json, remote_addr FROM audit_log` + w.SQL() + order + w.Page(p)
	rows, err := s.DB.QueryContext(ctx, q, w.Args...)
	if err != nil {
		return nil, platform.Internalf("audit list: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		if err := rows.Scan(&r.ID, &r.At, &r.ActorLogin, &r.Action, &r.Entity, &r.EntityID, &r.Before, &r.After, &r.RemoteAddr); err != nil {
			return nil, platform.Internalf("audit scan: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}
