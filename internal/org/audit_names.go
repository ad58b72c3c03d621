package org

import (
	"context"
	"database/sql"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// auditNames names the room's objects on the audit page. The names are read
// without the reader's scope: the entries themselves are scoped, and an
// entry in scope may name an object above it (a unit's parent).
func (s *Store) auditNames() audit.Namers {
	return audit.Namers{
		"unit":     audit.ByQuery(s.DB, `SELECT id, name FROM units`, "id"),
		"person":   audit.ByQuery(s.DB, `SELECT id, name FROM people`, "id"),
		"campaign": audit.ByQuery(s.DB, `SELECT id, name FROM campaigns`, "id"),
		"team_member": audit.ByQuery(s.DB, `SELECT m.id, p.name || ' · ' || m.position FROM team_members m
			JOIN people p ON p.id = m.person_id`, "m.id"),
		"user": s.accountNames,
		// A password change is an entry on the account.
		"user.password": s.accountNames,
	}
}

// accountNames names accounts by login and, when the account is a person's,
// the person's name: "donghu（王芳）".
func (s *Store) accountNames(ctx context.Context, _ i18n.Lang, ids []string) (map[string]string, error) {
	var w db.Where
	w.In("u.id", audit.IDs(ids))
	rows, err := s.DB.QueryContext(ctx, `SELECT u.id, u.login, p.name FROM users u LEFT JOIN people p ON p.id = u.person_id`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("audit names: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var id int64
		var login string
		var person sql.NullString
		if err := rows.Scan(&id, &login, &person); err != nil {
			return nil, platform.Internalf("audit names: %w", err)
		}
		if person.Valid && person.String != "" {
			login += "（" + person.String + "）"
		}
		out[audit.ID(id)] = login
	}
	return out, rows.Err()
}

// UnitNames returns the names of the units with ids, for other rooms' names
// of their objects on the audit page.
func (s *Store) UnitNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return s.idNames(ctx, `SELECT id, name FROM units`, ids)
}

// PersonNames returns the names of the people with ids, as UnitNames does.
func (s *Store) PersonNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	return s.idNames(ctx, `SELECT id, name FROM people`, ids)
}

func (s *Store) idNames(ctx context.Context, query string, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	var w db.Where
	w.In("id", ids)
	rows, err := s.DB.QueryContext(ctx, query+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return nil, platform.Internalf("names: %w", err)
		}
		out[id] = name
	}
	return out, rows.Err()
}

// LoginNames returns, for each of logins whose account is a person's, the
// person's name (tongji → 黄秀英), so that pages show who entered or
// reviewed a figure by name rather than by login; the others are left out
// and shown by their login. The rows naming the logins are the caller's
// already.
func (s *Store) LoginNames(ctx context.Context, logins []string) (map[string]string, error) {
	out := map[string]string{}
	seen := map[string]bool{}
	var list []any
	for _, l := range logins {
		if l != "" && !seen[l] {
			seen[l] = true
			list = append(list, l)
		}
	}
	if len(list) == 0 {
		return out, nil
	}
	var w db.Where
	w.Add("u.login IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(list)), ", ")+")", list...)
	rows, err := s.DB.QueryContext(ctx, `SELECT u.login, p.name FROM users u JOIN people p ON p.id = u.person_id`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("login names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var login, name string
		if err := rows.Scan(&login, &name); err != nil {
			return nil, platform.Internalf("login names: %w", err)
		}
		if name != "" {
			out[login] = name
		}
	}
	return out, rows.Err()
}
