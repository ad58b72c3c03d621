package org

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"slices"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// PeopleFilter narrows People. Nil and zero fields are unset.
type PeopleFilter struct {
	UnitID *int64 // this unit and its subtree
	Direct bool   // with UnitID: only the unit's own people, not those below it
	Query  string // part of a name, title or phone, in any case; % and _ match themselves
	// Page is the window, the sort (PeopleSorts) and the count; nil reads
	// every match in tree order.
	Page db.Pager
}

// PeopleSorts are the sort keys of the people list.
var PeopleSorts = []string{"name", "unit"}

const personColumns = `p.id, p.unit_id, un.name, p.name, p.title, p.phone, p.wecom_id, p.duty, p.sort,
	EXISTS (SELECT 1 FROM users us WHERE us.person_id = p.id)`

func scanPerson(sc interface{ Scan(...any) error }) (Person, error) {
	var p Person
	err := sc.Scan(&p.ID, &p.UnitID, &p.UnitName, &p.Name, &p.Title, &p.Phone, &p.WeComID, &p.Duty, &p.Sort, &p.HasLogin)
	return p, err
}

// People returns the people in scope matching f, by their unit's place in
// the tree then sort unless f.Page sorts otherwise, and the number of
// matches (counted apart from the page, so past the last page the total
// still holds). A unit outside the scope is not found (and audited).
func (s *Store) People(ctx context.Context, f PeopleFilter) ([]Person, int, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, 0, err
	}
	var w db.Where
	switch {
	case f.UnitID == nil:
		w.Add("un.path LIKE ?", u.UnitPath+"%")
	case f.Direct:
		if _, err := s.Unit(ctx, *f.UnitID); err != nil {
			return nil, 0, err
		}
		w.Add("p.unit_id = ?", *f.UnitID)
	default:
		un, err := s.Unit(ctx, *f.UnitID)
		if err != nil {
			return nil, 0, err
		}
		w.Add("un.path LIKE ?", un.Path+"%")
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.Search(q, "p.name", "p.title", "p.phone")
	}
	const from = ` FROM people p JOIN units un ON un.id = p.unit_id`
	order := " ORDER BY un.path, p.sort, p.id"
	window := ""
	total := 0
	if f.Page != nil {
		if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*)`+from+w.SQL(), w.Args...).Scan(&total); err != nil {
			return nil, 0, platform.Internalf("people count: %w", err)
		}
		f.Page.SetTotal(total)
		order = f.Page.OrderBy(map[string]string{"name": "p.name", "unit": "un.name"}, "un.path, p.sort", "p.id")
		window = w.Page(f.Page)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+personColumns+from+w.SQL()+order+window, w.Args...)
	if err != nil {
		return nil, 0, platform.Internalf("people: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		p, err := scanPerson(rows)
		if err != nil {
			return nil, 0, platform.Internalf("people scan: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, platform.Internalf("people: %w", err)
	}
	if f.Page == nil {
		total = len(out)
	}
	return out, total, nil
}

// window is an offset-and-limit db.Pager in the list's natural order: the
// API's paging, where offset need not be a multiple of limit.
type window struct {
	offset, limit, total int
}

func (w *window) SetTotal(n int) { w.total = n }
func (w *window) Offset() int    { return w.offset }
func (w *window) PerPage() int   { return w.limit }
func (w *window) OrderBy(columns map[string]string, natural, tie string) string {
	return db.OrderBy(columns, "", false, natural, tie)
}

// Person returns one person in scope.
func (s *Store) Person(ctx context.Context, id int64) (Person, error) {
	u, err := caller(ctx)
	if err != nil {
		return Person{}, err
	}
	var path string
	row := s.DB.QueryRowContext(ctx, `SELECT `+personColumns+`, un.path FROM people p JOIN units un ON un.id = p.unit_id WHERE p.id = $1`, id)
	var p Person
	err = row.Scan(&p.ID, &p.UnitID, &p.UnitName, &p.Name, &p.Title, &p.Phone, &p.WeComID, &p.Duty, &p.Sort, &p.HasLogin, &path)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, platform.ErrNotFound
	}
	if err != nil {
		return Person{}, platform.Internalf("person %d: %w", id, err)
	}
	if !u.InScope(path) {
		return Person{}, s.denied(ctx, "person", id, path)
	}
	return p, nil
}

// PersonInput is what a form sends for a person.
type PersonInput struct {
	UnitID int64
	Name   string
	Title  string
	Phone  string
	// WeComID is the person's WeCom user id (账号 in WeCom's address book).
	WeComID string
	Duty    Duty
	Sort    int
}

// weComID is a WeCom user id as WeCom allows one: letters, digits and
// _ - . @, at most 64.
var weComID = regexp.MustCompile(`^[A-Za-z0-9_.@-]{1,64}$`)

func (in *PersonInput) check() error {
	in.Name, in.Title, in.Phone = strings.TrimSpace(in.Name), strings.TrimSpace(in.Title), strings.TrimSpace(in.Phone)
	in.WeComID = strings.TrimSpace(in.WeComID)
	var es platform.Errors
	if in.Name == "" {
		es = append(es, platform.FieldError("name", "form.err.required"))
	}
	for _, f := range []struct {
		field, v string
		max      int
	}{{"name", in.Name, MaxName}, {"title", in.Title, MaxTitle}, {"phone", in.Phone, MaxPhone}} {
		if len([]rune(f.v)) > f.max {
			es = append(es, platform.FieldError(f.field, "form.err.too_long", f.max))
		}
	}
	for _, r := range in.Phone {
		if !strings.ContainsRune("0123456789-+ ", r) {
			es = append(es, platform.FieldError("phone", "org.err.bad_phone"))
			break
		}
	}
	if in.WeComID != "" && !weComID.MatchString(in.WeComID) {
		es = append(es, platform.FieldError("wecom_id", "org.err.bad_wecom_id"))
	}
	if in.UnitID == 0 {
		es = append(es, platform.FieldError("unit_id", "form.err.required"))
	}
	if !slices.Contains(Duties, in.Duty) {
		es = append(es, platform.FieldError("duty", "org.err.bad_duty"))
	}
	return es.Err()
}

// CreatePerson adds a person to a unit in scope.
func (s *Store) CreatePerson(ctx context.Context, in PersonInput) (Person, error) {
	if _, err := require(ctx, auth.ManageOrg); err != nil {
		return Person{}, err
	}
	if err := in.check(); err != nil {
		return Person{}, err
	}
	un, err := s.Unit(ctx, in.UnitID)
	if err != nil {
		return Person{}, platform.FieldError("unit_id", "org.err.no_such_unit", in.UnitID)
	}
	now := s.now().UTC()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO people (unit_id, name, title, phone, wecom_id, duty, sort, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			in.UnitID, in.Name, in.Title, in.Phone, in.WeComID, string(in.Duty), in.Sort, now).Scan(&id); err != nil {
			return platform.Internalf("create person: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "person", EntityID: audit.ID(id), UnitID: un.ID, UnitPath: un.Path, After: in, At: now})
	})
	if err != nil {
		return Person{}, err
	}
	return s.Person(ctx, id)
}

// UpdatePerson changes a person's details or moves them to another unit in scope.
func (s *Store) UpdatePerson(ctx context.Context, id int64, in PersonInput) (Person, error) {
	// Scope first: a person outside it is not found (and audited) whatever the role.
	before, err := s.Person(ctx, id)
	if err != nil {
		return Person{}, err
	}
	if _, err := require(ctx, auth.ManageOrg); err != nil {
		return Person{}, err
	}
	if err := in.check(); err != nil {
		return Person{}, err
	}
	un, err := s.Unit(ctx, in.UnitID)
	if err != nil {
		return Person{}, platform.FieldError("unit_id", "org.err.no_such_unit", in.UnitID)
	}
	now := s.now().UTC()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE people SET unit_id = $1, name = $2, title = $3, phone = $4, wecom_id = $5, duty = $6, sort = $7, updated_at = $8 WHERE id = $9`,
			in.UnitID, in.Name, in.Title, in.Phone, in.WeComID, string(in.Duty), in.Sort, now, id); err != nil {
			return platform.Internalf("update person: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "person", EntityID: audit.ID(id), UnitID: un.ID, UnitPath: un.Path, Before: before, After: in, At: now})
	})
	if err != nil {
		return Person{}, err
	}
	return s.Person(ctx, id)
}

// DeletePerson removes a person who has no account. Other rooms that hang
// data on a person refuse the delete through their foreign keys.
func (s *Store) DeletePerson(ctx context.Context, id int64) error {
	before, err := s.Person(ctx, id)
	if err != nil {
		return err
	}
	if _, err := require(ctx, auth.ManageOrg); err != nil {
		return err
	}
	if before.HasLogin {
		return platform.Errorf(platform.Conflict, "org.err.person_has_login")
	}
	un, err := s.Unit(ctx, before.UnitID)
	if err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM people WHERE id = $1`, id); err != nil {
			if db.IsForeignKeyViolation(err) {
				return platform.Errorf(platform.Conflict, "org.err.person_in_use")
			}
			return platform.Internalf("delete person: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Delete, Entity: "person", EntityID: audit.ID(id), UnitID: un.ID, UnitPath: un.Path, Before: before})
	})
}

// Townships returns the townships whose leadership team the caller may read,
// in tree order: those in scope, and the one containing the caller's unit
// (a village reporter reads its own township's team).
func (s *Store) Townships(ctx context.Context) ([]Unit, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	return s.queryUnits(ctx, `u.kind = 'township' AND (u.path LIKE $1 OR $2 LIKE u.path || '%')`, u.UnitPath+"%", u.UnitPath)
}

// teamTownship returns a township whose team the caller may read: one in
// scope or the one above the caller's unit. Anything else is ErrNotFound.
func (s *Store) teamTownship(ctx context.Context, id int64) (Unit, error) {
	u, err := caller(ctx)
	if err != nil {
		return Unit{}, err
	}
	un, err := scanUnit(s.DB.QueryRowContext(ctx, `SELECT `+unitColumns+` FROM units u WHERE u.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Unit{}, platform.ErrNotFound
	}
	if err != nil {
		return Unit{}, platform.Internalf("township %d: %w", id, err)
	}
	if un.Kind != Township {
		if !u.InScope(un.Path) {
			return Unit{}, s.denied(ctx, "unit", id, un.Path)
		}
		return Unit{}, platform.ErrNotFound
	}
	if !u.InScope(un.Path) && !strings.HasPrefix(u.UnitPath, un.Path) {
		return Unit{}, s.denied(ctx, "unit", id, un.Path)
	}
	return un, nil
}

// Team returns the leadership team of a township the caller may read (see
// Townships), by body then sort; ErrNotFound for any other unit.
func (s *Store) Team(ctx context.Context, townshipID int64) ([]TeamMember, error) {
	if _, err := s.teamTownship(ctx, townshipID); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT t.id, t.township_id, t.person_id, p.name, p.title, t.body, t.position, t.sort
		FROM team_members t JOIN people p ON p.id = t.person_id
		WHERE t.township_id = $1
		ORDER BY CASE t.body WHEN 'party' THEN 0 WHEN 'government' THEN 1 ELSE 2 END, t.sort, t.id`, townshipID)
	if err != nil {
		return nil, platform.Internalf("team: %w", err)
	}
	defer rows.Close()
	var out []TeamMember
	for rows.Next() {
		var m TeamMember
		var body string
		if err := rows.Scan(&m.ID, &m.TownshipID, &m.PersonID, &m.PersonName, &m.Title, &body, &m.Position, &m.Sort); err != nil {
			return nil, platform.Internalf("team scan: %w", err)
		}
		m.Body = Body(body)
		out = append(out, m)
	}
	return out, rows.Err()
}

// TeamInput seats a person on a township's leadership team.
type TeamInput struct {
	TownshipID int64
	PersonID   int64
	Body       Body
	Position   string
	Sort       int
}

// AddTeamMember seats a person of the township (its own staff or anyone in
// its units); a person holds at most one seat per body.
func (s *Store) AddTeamMember(ctx context.Context, in TeamInput) error {
	tw, err := s.Unit(ctx, in.TownshipID)
	if err != nil {
		return err
	}
	if _, err := require(ctx, auth.ManageOrg); err != nil {
		return err
	}
	if tw.Kind != Township {
		return platform.FieldError("township_id", "org.err.not_township")
	}
	p, err := s.Person(ctx, in.PersonID)
	if err != nil {
		return platform.FieldError("person_id", "org.err.no_such_person")
	}
	if pu, err := s.Unit(ctx, p.UnitID); err != nil || !strings.HasPrefix(pu.Path, tw.Path) {
		return platform.FieldError("person_id", "org.err.person_not_in_township", p.Name, tw.Name)
	}
	if in.Body != Party && in.Body != Government && in.Body != Congress {
		return platform.FieldError("body", "org.err.bad_body")
	}
	in.Position = strings.TrimSpace(in.Position)
	if len([]rune(in.Position)) > MaxTitle {
		return platform.FieldError("position", "form.err.too_long", MaxTitle)
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO team_members (township_id, person_id, body, position, sort, created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
			in.TownshipID, in.PersonID, string(in.Body), in.Position, in.Sort, s.now().UTC()).Scan(&id)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("person_id", "org.err.duplicate_seat")
		}
		if err != nil {
			return platform.Internalf("add team member: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "team_member", EntityID: audit.ID(id), UnitID: tw.ID, UnitPath: tw.Path, After: in})
	})
}

// RemoveTeamMember removes a seat.
func (s *Store) RemoveTeamMember(ctx context.Context, id int64) error {
	if _, err := caller(ctx); err != nil {
		return err
	}
	var before TeamInput
	var body string
	err := s.DB.QueryRowContext(ctx, `SELECT township_id, person_id, body, position, sort FROM team_members WHERE id = $1`, id).
		Scan(&before.TownshipID, &before.PersonID, &body, &before.Position, &before.Sort)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.ErrNotFound
	}
	if err != nil {
		return platform.Internalf("team member: %w", err)
	}
	before.Body = Body(body)
	tw, err := s.Unit(ctx, before.TownshipID)
	if err != nil {
		return err
	}
	if _, err := require(ctx, auth.ManageOrg); err != nil {
		return err
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM team_members WHERE id = $1`, id); err != nil {
			return platform.Internalf("remove team member: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Delete, Entity: "team_member", EntityID: audit.ID(id), UnitID: tw.ID, UnitPath: tw.Path, Before: before})
	})
}
