package org

import (
	"context"
	"database/sql"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// Store reads and writes the org tree, people, the leadership team, accounts
// and campaigns. Every method reads the caller from ctx and keeps to the
// caller's scope: something outside it is reported as not found (and the
// attempt is audited), never as forbidden, so its existence is not revealed.
type Store struct {
	DB  *db.DB
	Now func() time.Time
	// UnitsChanged runs inside the transaction of every change to the tree
	// (a unit added, renamed, re-sorted, moved or deleted), so the rooms can
	// carry their rows along: a unit's township and its place in the tree
	// order are kept on every room's rows. The app fills it from the rooms.
	UnitsChanged []func(ctx context.Context, tx *sql.Tx) error

	cache treeCache
}

// unitsChanged runs the rooms' hooks inside tx.
func (s *Store) unitsChanged(ctx context.Context, tx *sql.Tx) error {
	for _, fn := range s.UnitsChanged {
		if err := fn(ctx, tx); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func caller(ctx context.Context) (*auth.User, error) { return auth.Caller(ctx) }

func require(ctx context.Context, p auth.Permission) (*auth.User, error) { return auth.Require(ctx, p) }

// denied audits an attempt to reach something outside the caller's scope and
// returns the not-found error the caller sees.
func (s *Store) denied(ctx context.Context, entity string, id int64, path string) error {
	if err := audit.Deny(ctx, s.DB, audit.ReasonScope, entity, audit.ID(id), 0, path); err != nil {
		return err
	}
	return platform.ErrNotFound
}

const unitColumns = `u.id, u.parent_id, u.kind, u.name, u.path, u.sort, u.updated_at,
	(SELECT COUNT(*) FROM people p WHERE p.unit_id = u.id)`

func scanUnit(sc interface{ Scan(...any) error }) (Unit, error) {
	var u Unit
	var parent sql.NullInt64
	var kind string
	err := sc.Scan(&u.ID, &parent, &kind, &u.Name, &u.Path, &u.Sort, &u.UpdatedAt, &u.People)
	if parent.Valid {
		u.ParentID = &parent.Int64
	}
	u.Kind = Kind(kind)
	u.Depth = strings.Count(u.Path, "/") - 2
	return u, err
}

// Units returns the caller's subtree in tree order (parents before children,
// siblings by sort then id), with Depth counted from the top of the whole
// tree (a district is 0), whatever the caller's scope.
func (s *Store) Units(ctx context.Context) ([]Unit, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	return s.queryUnits(ctx, `u.path LIKE $1`, u.UnitPath+"%")
}

// queryUnits reads the units matching where, in tree order.
func (s *Store) queryUnits(ctx context.Context, where string, args ...any) ([]Unit, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+unitColumns+` FROM units u WHERE `+where, args...)
	if err != nil {
		return nil, platform.Internalf("units: %w", err)
	}
	defer rows.Close()
	var all []Unit
	for rows.Next() {
		un, err := scanUnit(rows)
		if err != nil {
			return nil, platform.Internalf("units scan: %w", err)
		}
		all = append(all, un)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("units: %w", err)
	}
	return TreeOrder(all), nil
}

// TreeOrder sorts units so each parent precedes its children, siblings by
// sort then name. Units whose parent is not in the list are roots.
func TreeOrder(units []Unit) []Unit {
	byID := map[int64]bool{}
	for _, u := range units {
		byID[u.ID] = true
	}
	children := map[int64][]Unit{}
	var roots []Unit
	for _, u := range units {
		if u.ParentID == nil || !byID[*u.ParentID] {
			roots = append(roots, u)
		} else {
			children[*u.ParentID] = append(children[*u.ParentID], u)
		}
	}
	less := func(l []Unit) {
		sort.SliceStable(l, func(i, j int) bool {
			if l[i].Sort != l[j].Sort {
				return l[i].Sort < l[j].Sort
			}
			return l[i].ID < l[j].ID
		})
	}
	out := make([]Unit, 0, len(units))
	var walk func(l []Unit)
	walk = func(l []Unit) {
		less(l)
		for _, u := range l {
			out = append(out, u)
			walk(children[u.ID])
		}
	}
	walk(roots)
	return out
}

// Unit returns one unit in the caller's scope, or ErrNotFound.
func (s *Store) Unit(ctx context.Context, id int64) (Unit, error) {
	u, err := caller(ctx)
	if err != nil {
		return Unit{}, err
	}
	un, err := scanUnit(s.DB.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, platform.ErrNotFound
	}
	if err != nil {
		return Unit{}, platform.Internalf("unit %d: %w", id, err)
	}
	if !u.InScope(un.Path) {
		return Unit{}, s.denied(ctx, "unit", id, un.Path)
	}
	return un, nil
}

// ResolveUnit finds a unit in scope by id or by its exact name. A name shared
// by several units is refused as ambiguous.
func (s *Store) ResolveUnit(ctx context.Context, idOrName string) (Unit, error) {
	if id, err := strconv.ParseInt(idOrName, 10, 64); err == nil {
		return s.Unit(ctx, id)
	}
	units, err := s.Units(ctx)
	if err != nil {
		return Unit{}, err
	}
	var found []Unit
	for _, un := range units {
		if un.Name == idOrName {
			found = append(found, un)
		}
	}
	switch len(found) {
	case 0:
		return Unit{}, platform.Errorf(platform.NotFound, "org.err.no_such_unit", idOrName)
	case 1:
		return found[0], nil
	default:
		return Unit{}, platform.Errorf(platform.Invalid, "org.err.ambiguous_unit", idOrName, len(found))
	}
}

// UnitInput is what a form or the command line sends to create or change a unit.
type UnitInput struct {
	ParentID *int64
	Kind     Kind
	Name     string
	Sort     int
}

func (in *UnitInput) check() error {
	in.Name = strings.TrimSpace(in.Name)
	var es platform.Errors
	if in.Name == "" {
		es = append(es, platform.FieldError("name", "form.err.required"))
	} else if len([]rune(in.Name)) > MaxName {
		es = append(es, platform.FieldError("name", "form.err.too_long", MaxName))
	}
	if !ValidKind(string(in.Kind)) {
		es = append(es, platform.FieldError("kind", "org.err.bad_kind"))
	}
	return es.Err()
}

// CreateUnit adds a unit under a parent in the caller's scope.
func (s *Store) CreateUnit(ctx context.Context, in UnitInput) (Unit, error) {
	u, err := require(ctx, auth.ManageOrg)
	if err != nil {
		return Unit{}, err
	}
	if err := in.check(); err != nil {
		return Unit{}, err
	}
	var parent Unit
	parentPath := "/"
	if in.ParentID != nil {
		if parent, err = s.Unit(ctx, *in.ParentID); err != nil {
			return Unit{}, err
		}
		parentPath = parent.Path
	} else if u.UnitPath != "/" {
		// Only the system (the command line, the demo) creates roots.
		return Unit{}, platform.FieldError("parent_id", "form.err.required")
	}
	if !CanHold(parent.Kind, in.Kind) {
		return Unit{}, platform.FieldError("kind", "org.err.kind_not_allowed")
	}
	now := s.now().UTC()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO units (parent_id, kind, name, sort, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5) RETURNING id`,
			in.ParentID, string(in.Kind), in.Name, in.Sort, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("name", "org.err.duplicate_unit", in.Name)
		}
		if err != nil {
			return platform.Internalf("create unit: %w", err)
		}
		path := auth.UnitPath(parentPath, id)
		if _, err := tx.ExecContext(ctx, `UPDATE units SET path = $1 WHERE id = $2`, path, id); err != nil {
			return platform.Internalf("unit path: %w", err)
		}
		if err := s.unitsChanged(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "unit", EntityID: audit.ID(id), UnitID: id, UnitPath: path, After: in, At: now})
	})
	if err != nil {
		return Unit{}, err
	}
	return s.Unit(ctx, id)
}

// UpdateUnit renames, re-sorts or moves a unit. Moving a unit under itself or
// one of its own descendants is refused; a move carries the whole subtree.
func (s *Store) UpdateUnit(ctx context.Context, id int64, in UnitInput) (Unit, error) {
	// Scope first: a unit outside it is not found (and audited) whatever the role.
	before, err := s.Unit(ctx, id)
	if err != nil {
		return Unit{}, err
	}
	if _, err := require(ctx, auth.ManageOrg); err != nil {
		return Unit{}, err
	}
	in.Kind = before.Kind // a unit's kind does not change; make a new unit instead
	if err := in.check(); err != nil {
		return Unit{}, err
	}
	newPath := before.Path
	sameParent := (in.ParentID == nil && before.ParentID == nil) || (in.ParentID != nil && before.ParentID != nil && *in.ParentID == *before.ParentID)
	if !sameParent {
		if in.ParentID == nil {
			return Unit{}, platform.FieldError("parent_id", "form.err.required")
		}
		parent, err := s.Unit(ctx, *in.ParentID)
		if err != nil {
			return Unit{}, platform.FieldError("parent_id", "org.err.no_such_unit", *in.ParentID)
		}
		if strings.HasPrefix(parent.Path, before.Path) {
			return Unit{}, platform.FieldError("parent_id", "org.err.move_under_self")
		}
		if !CanHold(parent.Kind, before.Kind) {
			return Unit{}, platform.FieldError("parent_id", "org.err.kind_not_allowed")
		}
		newPath = auth.UnitPath(parent.Path, id)
	}
	now := s.now().UTC()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE units SET parent_id = $1, name = $2, sort = $3, updated_at = $4 WHERE id = $5`,
			in.ParentID, in.Name, in.Sort, now, id)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("name", "org.err.duplicate_unit", in.Name)
		}
		if err != nil {
			return platform.Internalf("update unit: %w", err)
		}
		if newPath != before.Path {
			// Rewrite the path of the unit and every descendant in one statement.
			_, err := tx.ExecContext(ctx, `UPDATE units SET path = $1 || SUBSTR(path, $2) WHERE path LIKE $3`,
				newPath, len(before.Path)+1, before.Path+"%")
			if err != nil {
				return platform.Internalf("move unit: %w", err)
			}
		}
		if err := s.unitsChanged(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "unit", EntityID: audit.ID(id), UnitID: id, UnitPath: newPath,
			Before: UnitInput{ParentID: before.ParentID, Kind: before.Kind, Name: before.Name, Sort: before.Sort}, After: in, At: now})
	})
	if err != nil {
		return Unit{}, err
	}
	return s.Unit(ctx, id)
}

// DeleteUnit removes an empty unit. A unit that still has child units, people
// or accounts is refused with a Conflict saying which.
func (s *Store) DeleteUnit(ctx context.Context, id int64) error {
	before, err := s.Unit(ctx, id)
	if err != nil {
		return err
	}
	if _, err := require(ctx, auth.ManageOrg); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var children, people, users int
		err := tx.QueryRowContext(ctx, `SELECT
			(SELECT COUNT(*) FROM units WHERE parent_id = $1),
			(SELECT COUNT(*) FROM people WHERE unit_id = $1),
			(SELECT COUNT(*) FROM users WHERE unit_id = $1)`, id).Scan(&children, &people, &users)
		if err != nil {
			return platform.Internalf("delete unit: %w", err)
		}
		switch {
		case children > 0:
			return platform.Errorf(platform.Conflict, "org.err.unit_has_children", children)
		case people > 0:
			return platform.Errorf(platform.Conflict, "org.err.unit_has_people", people)
		case users > 0:
			return platform.Errorf(platform.Conflict, "org.err.unit_has_users", users)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM units WHERE id = $1`, id); err != nil {
			if db.IsForeignKeyViolation(err) {
				return platform.Errorf(platform.Conflict, "org.err.unit_in_use")
			}
			return platform.Internalf("delete unit: %w", err)
		}
		if err := s.unitsChanged(ctx, tx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Delete, Entity: "unit", EntityID: audit.ID(id), UnitID: id, UnitPath: before.Path, Before: before})
	})
}
