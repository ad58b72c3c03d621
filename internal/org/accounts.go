package org

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// AccountFilter narrows FindAccounts. Nil and zero fields are unset.
type AccountFilter struct {
	Role     auth.Role
	UnitID   *int64 // this unit and its subtree
	Query    string // part of the login or the person's name, in any case; % and _ match themselves
	Disabled *bool
	// Page is the window, the sort (AccountSorts) and the count; nil reads
	// every match.
	Page db.Pager
}

// AccountSorts are the sort keys of the accounts list.
var AccountSorts = []string{"login", "role", "unit", "last_login"}

const accountColumns = `us.id, us.login, us.role, us.unit_id, un.name, us.person_id, COALESCE(p.name, ''),
	us.disabled, us.locked_until, us.last_login_at, un.path`

const accountFrom = ` FROM users us JOIN units un ON un.id = us.unit_id LEFT JOIN people p ON p.id = us.person_id`

// scanAccount reads an account and its unit's path; it is locked while
// its lock-out lasts past now.
func scanAccount(sc interface{ Scan(...any) error }, now time.Time) (Account, string, error) {
	var a Account
	var role, path string
	var person sql.NullInt64
	var locked, last sql.NullTime
	if err := sc.Scan(&a.ID, &a.Login, &role, &a.UnitID, &a.UnitName, &person, &a.PersonName, &a.Disabled, &locked, &last, &path); err != nil {
		return a, "", err
	}
	a.Locked = locked.Valid && locked.Time.After(now)
	a.Role = auth.Role(role)
	if person.Valid {
		a.PersonID = &person.Int64
	}
	if last.Valid {
		a.LastLogin = &last.Time
	}
	return a, path, nil
}

// FindAccounts returns the user accounts in scope matching f, by unit then
// login unless f.Page sorts otherwise, and the number of matches. Only
// account managers may list them; a unit outside the scope is not found
// (and audited).
func (s *Store) FindAccounts(ctx context.Context, f AccountFilter) ([]Account, int, error) {
	u, err := require(ctx, auth.ManageUsers)
	if err != nil {
		return nil, 0, err
	}
	var w db.Where
	prefix := u.UnitPath
	if f.UnitID != nil {
		un, err := s.Unit(ctx, *f.UnitID)
		if err != nil {
			return nil, 0, err
		}
		prefix = un.Path
	}
	w.Add("un.path LIKE ?", prefix+"%")
	if f.Role != "" {
		w.Add("us.role = ?", string(f.Role))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		w.Search(q, "us.login", "COALESCE(p.name, '')")
	}
	if f.Disabled != nil {
		w.Add("us.disabled = ?", *f.Disabled)
	}
	order := " ORDER BY un.path, us.login"
	window := ""
	total := 0
	if f.Page != nil {
		if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*)`+accountFrom+w.SQL(), w.Args...).Scan(&total); err != nil {
			return nil, 0, platform.Internalf("accounts count: %w", err)
		}
		f.Page.SetTotal(total)
		order = f.Page.OrderBy(map[string]string{"login": "us.login", "role": "us.role", "unit": "un.name", "last_login": "us.last_login_at"}, "un.path, us.login", "us.id")
		window = w.Page(f.Page)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+accountColumns+accountFrom+w.SQL()+order+window, w.Args...)
	if err != nil {
		return nil, 0, platform.Internalf("accounts: %w", err)
	}
	defer rows.Close()
	now := s.now()
	var out []Account
	for rows.Next() {
		a, _, err := scanAccount(rows, now)
		if err != nil {
			return nil, 0, platform.Internalf("accounts scan: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, platform.Internalf("accounts: %w", err)
	}
	if f.Page == nil {
		total = len(out)
	}
	return out, total, nil
}

// Accounts returns every user account in scope, by unit then login (the
// command line's list); see FindAccounts.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	out, _, err := s.FindAccounts(ctx, AccountFilter{})
	return out, err
}

// AccountInput creates or changes an account. Password, Chosen and Seed
// are only read on create.
type AccountInput struct {
	Login    string
	Password string
	Role     auth.Role
	UnitID   int64
	PersonID *int64
	Disabled bool
	Lang     i18n.Lang
	// Chosen: the password is its owner's own choice (the first install's
	// administrator), so it need not be changed at the first sign-in, as
	// one an administrator gives must.
	Chosen bool
	// Seed marks the demo's accounts: their documented password skips the
	// policy, is not to be changed and does not expire. Nothing a person
	// fills in sets it.
	Seed bool
}

var loginPattern = regexp.MustCompile(`^[a-zA-Z0-9][a-zA-Z0-9._-]*$`)

// CheckNewLogin checks a new account's login and password by the rules
// every account is made by, each error on its field ("login", "password"):
// for a caller that must know before it writes anything (the first install).
func CheckNewLogin(login, password string) error {
	login = strings.TrimSpace(login)
	es := loginErrors(login)
	if err := auth.CheckPolicy(login, password); err != nil {
		es = append(es, platform.AsError(err))
	}
	return es.Err()
}

// loginErrors checks a new login's form.
func loginErrors(login string) platform.Errors {
	var es platform.Errors
	switch {
	case login == "":
		es = append(es, platform.FieldError("login", "form.err.required"))
	case len(login) > MaxLogin:
		es = append(es, platform.FieldError("login", "form.err.too_long", MaxLogin))
	case !loginPattern.MatchString(login):
		es = append(es, platform.FieldError("login", "org.err.bad_login"))
	}
	return es
}

func (s *Store) checkAccount(ctx context.Context, in *AccountInput, create bool) (Unit, error) {
	in.Login = strings.TrimSpace(in.Login)
	var es platform.Errors
	if create {
		es = loginErrors(in.Login)
		if err := auth.CheckPolicy(in.Login, in.Password); err != nil && !in.Seed {
			es = append(es, platform.AsError(err))
		}
	}
	if !auth.ValidRole(string(in.Role)) {
		es = append(es, platform.FieldError("role", "org.err.bad_role"))
	}
	if err := es.Err(); err != nil {
		return Unit{}, err
	}
	un, err := s.Unit(ctx, in.UnitID)
	if err != nil {
		return Unit{}, platform.FieldError("unit_id", "org.err.no_such_unit", in.UnitID)
	}
	if in.PersonID != nil {
		if _, err := s.Person(ctx, *in.PersonID); err != nil {
			return Unit{}, platform.FieldError("person_id", "org.err.no_such_person")
		}
	}
	// An account may not be granted more than its creator holds: an admin of
	// a village cannot make a district admin, and only admins make admins.
	u := auth.FromContext(ctx)
	if in.Role == auth.Admin && u.Role != auth.Admin {
		return Unit{}, platform.FieldError("role", "org.err.bad_role")
	}
	return un, nil
}

// CreateAccount adds a user account with a hashed password, which its owner
// must change at the first sign-in unless in.Chosen or in.Seed. The password
// must pass auth.CheckPolicy (but a seed's). A login already taken is
// refused with a Conflict on the login field.
func (s *Store) CreateAccount(ctx context.Context, in AccountInput) (int64, error) {
	if _, err := require(ctx, auth.ManageUsers); err != nil {
		return 0, err
	}
	un, err := s.checkAccount(ctx, &in, true)
	if err != nil {
		return 0, err
	}
	hash, err := auth.HashPassword(in.Password)
	if err != nil {
		return 0, platform.Internalf("hash: %w", err)
	}
	if in.Lang == "" {
		in.Lang = i18n.Default
	}
	now := s.now().UTC()
	changed := &now
	if in.Seed {
		changed = nil
	}
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO users (login, person_id, unit_id, role, password_hash, lang, must_change, password_changed_at, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id`,
			in.Login, in.PersonID, in.UnitID, string(in.Role), hash, string(in.Lang), !in.Chosen && !in.Seed, changed, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return &platform.Error{Code: platform.Conflict, Key: "org.err.duplicate_login", Args: []any{in.Login}, Field: "login"}
		}
		if err != nil {
			return platform.Internalf("create account: %w", err)
		}
		after := in
		after.Password = ""
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "user", EntityID: audit.ID(id), UnitID: un.ID, UnitPath: un.Path, After: after, At: now})
	})
	return id, err
}

// Account returns one account in scope; only account managers may read
// one. An account outside the scope is not found (and audited).
func (s *Store) Account(ctx context.Context, id int64) (Account, error) {
	u, err := require(ctx, auth.ManageUsers)
	if err != nil {
		return Account{}, err
	}
	a, path, err := scanAccount(s.DB.QueryRowContext(ctx, `SELECT `+accountColumns+accountFrom+` WHERE us.id = $1`, id), s.now())
	if errors.Is(err, sql.ErrNoRows) {
		return Account{}, platform.ErrNotFound
	}
	if err != nil {
		return Account{}, platform.Internalf("account %d: %w", id, err)
	}
	if !u.InScope(path) {
		return Account{}, s.denied(ctx, "user", id, path)
	}
	return a, nil
}

// UpdateAccount changes an account's role, unit, person or disabled flag.
func (s *Store) UpdateAccount(ctx context.Context, id int64, in AccountInput) error {
	if _, err := require(ctx, auth.ManageUsers); err != nil {
		return err
	}
	before, err := s.Account(ctx, id)
	if err != nil {
		return err
	}
	un, err := s.checkAccount(ctx, &in, false)
	if err != nil {
		return err
	}
	if u := auth.FromContext(ctx); u.ID == id && (in.Disabled || in.Role != before.Role) {
		return platform.Errorf(platform.Invalid, "org.err.not_yourself")
	}
	now := s.now().UTC()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET role = $1, unit_id = $2, person_id = $3, disabled = $4, updated_at = $5 WHERE id = $6`,
			string(in.Role), in.UnitID, in.PersonID, in.Disabled, now, id); err != nil {
			return platform.Internalf("update account: %w", err)
		}
		if in.Disabled {
			if err := signOut(ctx, tx, id, ""); err != nil {
				return err
			}
		}
		after := in
		after.Password = ""
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "user", EntityID: audit.ID(id), UnitID: un.ID, UnitPath: un.Path, Before: before, After: after, At: now})
	})
}

// signOut ends the account's sessions, but the one whose hash is keep, and
// revokes all its API tokens.
func signOut(ctx context.Context, tx *sql.Tx, id int64, keep string) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = $1 AND id_hash <> $2`, id, keep); err != nil {
		return platform.Internalf("end sessions: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1`, id); err != nil {
		return platform.Internalf("revoke tokens: %w", err)
	}
	return nil
}

// SetPassword is an administrator's reset: a new password (by
// auth.CheckPolicy) that its owner must change at the next sign-in (unless
// the administrator resets their own), the lock-out cleared, every session
// ended and every API token revoked. Only account managers may; an account
// outside the scope is not found (and audited).
func (s *Store) SetPassword(ctx context.Context, id int64, password string) error {
	u, err := require(ctx, auth.ManageUsers)
	if err != nil {
		return err
	}
	var path, login string
	var unitID int64
	err = s.DB.QueryRowContext(ctx, `SELECT un.id, un.path, us.login FROM users us JOIN units un ON un.id = us.unit_id WHERE us.id = $1`, id).Scan(&unitID, &path, &login)
	if errors.Is(err, sql.ErrNoRows) {
		return platform.ErrNotFound
	}
	if err != nil {
		return platform.Internalf("set password: %w", err)
	}
	if !u.InScope(path) {
		return s.denied(ctx, "user", id, path)
	}
	return s.setPassword(ctx, id, login, password, u.ID != id, "", audit.Entry{Action: audit.Update, Entity: "user.password", EntityID: audit.ID(id), UnitID: unitID, UnitPath: path})
}

// ChangeOwnPassword is the signed-in person changing their password: the
// old one is checked (a wrong one counts toward the lock-out and is Invalid
// on "old_password"), the new one must pass auth.CheckPolicy and differ from
// it, and every other session (all but keepSession, a cookie value) and
// every API token of the account end. It returns auth.ErrBusy when no
// hashing slot comes free.
func (s *Store) ChangeOwnPassword(ctx context.Context, old, password, keepSession string) error {
	u, err := caller(ctx)
	if err != nil {
		return err
	}
	if err := auth.CheckPolicy(u.Login, password); err != nil {
		return err
	}
	if old == password {
		return platform.FieldError("password", "org.err.password_same")
	}
	as := &auth.Store{DB: s.DB, Now: s.Now}
	if err := as.Verify(ctx, u.ID, old); err != nil {
		if errors.Is(err, auth.ErrBadCredentials) {
			return platform.FieldError("old_password", "org.err.old_password")
		}
		return err
	}
	return s.setPassword(ctx, u.ID, u.Login, password, false, auth.SessionHash(keepSession),
		audit.Entry{Action: audit.Update, Entity: "user.password", EntityID: audit.ID(u.ID), UnitID: u.UnitID, UnitPath: u.UnitPath})
}

// setPassword hashes and stores a password that passes the policy, and
// signs the account out everywhere but keep.
func (s *Store) setPassword(ctx context.Context, id int64, login, password string, mustChange bool, keep string, e audit.Entry) error {
	if err := auth.CheckPolicy(login, password); err != nil {
		return err
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		return platform.Internalf("hash: %w", err)
	}
	now := s.now().UTC()
	e.At = now
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1, must_change = $2, password_changed_at = $3, failed_logins = 0, locked_until = NULL, updated_at = $3 WHERE id = $4`,
			hash, mustChange, now, id); err != nil {
			return platform.Internalf("set password: %w", err)
		}
		if err := signOut(ctx, tx, id, keep); err != nil {
			return err
		}
		return audit.Record(ctx, tx, e)
	})
}
