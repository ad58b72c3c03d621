// Package setup is guatu's first install: on a database without an
// administrator it creates the district, its townships, the default
// indicator catalogue and the first administrator. The command line
// (guatu init) and the first-run page (/setup) both call Install, so the two
// cannot drift apart.
package setup

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"strings"
	"sync"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// Input is what a first install needs.
type Input struct {
	District  string   // the district (区), the root of the tree
	Townships []string // its townships (镇/街道), at least one; blank entries are dropped
	Login     string   // the first administrator's login
	Password  string
}

// Result is what the install left in the database.
type Result struct {
	District   org.Unit
	Townships  []org.Unit
	Indicators int   // indicators in the catalogue
	AdminID    int64 // the administrator's account
}

// Needed reports whether the database still waits for its first install:
// true while no account has the admin role (disabled ones count).
func Needed(ctx context.Context, d *db.DB) (bool, error) {
	var id int64
	err := d.QueryRowContext(ctx, `SELECT id FROM users WHERE role = $1 LIMIT 1`, string(auth.Admin)).Scan(&id)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return true, nil
	case err != nil:
		return false, platform.Internalf("setup needed: %w", err)
	}
	return false, nil
}

// installing keeps installs in one process apart: db.Locked does nothing
// on SQLite, and a page may be submitted twice at once.
var installing sync.Mutex

// Install creates the district, its townships, the default indicator
// catalogue and the first administrator (role admin, unit the district),
// audited as the system. It takes the start-up lock itself (so do not call
// it inside db.Locked) and checks Needed under it: a database that has an
// administrator is refused with a Conflict (setup.err.installed) before
// anything is written. Names, login and password are checked by the org
// store's own rules; their errors name the field of Input they belong to
// ("district", "townships", "login", "password"). Units already there under
// the same names are kept, so an install stopped by a bad login or password
// can be run again once the input is fixed. The administrator is created
// last: until it exists, Needed stays true.
func Install(ctx context.Context, d *db.DB, in Input) (Result, error) {
	in, err := in.clean()
	if err != nil {
		return Result{}, err
	}
	installing.Lock()
	defer installing.Unlock()
	var res Result
	err = d.Locked(ctx, func() error {
		needed, err := Needed(ctx, d)
		if err != nil {
			return err
		}
		if !needed {
			return platform.Errorf(platform.Conflict, "setup.err.installed")
		}
		res, err = install(auth.WithUser(ctx, auth.System()), d, in)
		return err
	})
	return res, err
}

// clean trims the input and checks, before anything is written, the
// administrator's login and password (by org's rules for every account) and
// what only an install asks for: at least one township, and none named twice.
func (in Input) clean() (Input, error) {
	in.District = strings.TrimSpace(in.District)
	in.Login = strings.TrimSpace(in.Login)
	if err := org.CheckNewLogin(in.Login, in.Password); err != nil {
		return in, err
	}
	var names []string
	seen := map[string]bool{}
	for _, n := range in.Townships {
		n = strings.TrimSpace(n)
		if n == "" {
			continue
		}
		if seen[n] {
			return in, platform.FieldError("townships", "setup.err.township_twice", n)
		}
		seen[n] = true
		names = append(names, n)
	}
	in.Townships = names
	if len(names) == 0 {
		return in, platform.FieldError("townships", "setup.err.no_township")
	}
	return in, nil
}

// install writes the install as ctx's caller (the system).
func install(ctx context.Context, d *db.DB, in Input) (Result, error) {
	s := &org.Store{DB: d}
	units, err := s.Units(ctx)
	if err != nil {
		return Result{}, err
	}
	var res Result
	if res.District, err = ensureUnit(ctx, s, units, nil, org.District, in.District, 0); err != nil {
		return Result{}, onField(err, "district")
	}
	for i, name := range in.Townships {
		t, err := ensureUnit(ctx, s, units, &res.District.ID, org.Township, name, i+1)
		if err != nil {
			return Result{}, onField(err, "townships")
		}
		res.Townships = append(res.Townships, t)
	}
	catalog, err := (&targets.Store{DB: d, Org: s}).EnsureCatalog(ctx)
	if err != nil {
		return Result{}, err
	}
	res.Indicators = len(catalog)
	res.AdminID, err = s.CreateAccount(ctx, org.AccountInput{Login: in.Login, Password: in.Password, Role: auth.Admin, UnitID: res.District.ID, Chosen: true})
	if err != nil {
		return Result{}, err
	}
	return res, nil
}

// ensureUnit returns the unit of that kind and name under parent (nil: a
// root) from units, creating it when missing.
func ensureUnit(ctx context.Context, s *org.Store, units []org.Unit, parent *int64, kind org.Kind, name string, sort int) (org.Unit, error) {
	for _, u := range units {
		sameParent := (parent == nil && u.ParentID == nil) || (parent != nil && u.ParentID != nil && *u.ParentID == *parent)
		if sameParent && u.Kind == kind && u.Name == name {
			return u, nil
		}
	}
	return s.CreateUnit(ctx, org.UnitInput{ParentID: parent, Kind: kind, Name: name, Sort: sort})
}

// onField puts the org store's errors about a unit on the install's field
// (the store calls every unit's name "name").
func onField(err error, field string) error {
	var es platform.Errors
	if errors.As(err, &es) {
		out := make(platform.Errors, len(es))
		for i, e := range es {
			c := *e
			c.Field = field
			out[i] = &c
		}
		return out.Err()
	}
	var pe *platform.Error
	if !errors.As(err, &pe) || pe.Code == platform.Internal {
		return err
	}
	c := *pe
	c.Field = field
	return &c
}

// codeAlphabet leaves out the letters and digits read for one another
// (0/O, 1/I/L, 5/S, 2/Z, 8/B).
const codeAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// NewCode returns a one-time setup code from crypto/rand: 12 characters in
// three groups ("KXQ4-…"), about 55 bits, easy to read off a console and
// type.
func NewCode() string {
	var sb strings.Builder
	var b [1]byte
	for n := 0; n < 12; {
		rand.Read(b[:])
		if int(b[0]) >= 250 { // 250 = 10×25: keeps every character equally likely
			continue
		}
		if n > 0 && n%4 == 0 {
			sb.WriteByte('-')
		}
		sb.WriteByte(codeAlphabet[int(b[0])%len(codeAlphabet)])
		n++
	}
	return sb.String()
}

// NormalCode is a typed code as NewCode writes it: upper case, without the
// spaces and dashes a person may add or leave out.
func NormalCode(typed string) string {
	return strings.ToUpper(strings.Map(func(r rune) rune {
		if r == '-' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, typed))
}
