package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// Lock-out (see the README's Security section): every sign-in that gets a
// password check first counts as a failure, in the same statement that
// checks the account is not locked, so parallel guesses cannot slip past
// the count. The MaxFailedLogins-th failure in a row locks the account for
// LockSteps[0], each further one (once the lock has ended) for the next
// step, up to the last; a right password ends it. While locked, only an
// address the account has signed in from within KnownFor gets a password
// checked: its owner is not locked out by strangers.
const MaxFailedLogins = 5

// LockSteps are the successive lock durations.
var LockSteps = []time.Duration{time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 15 * time.Minute}

// KnownFor is how long an address an account signed in from stays known.
const KnownFor = 90 * 24 * time.Hour

// Defaults of the store's durations.
const (
	DefaultIdleTimeout    = 30 * time.Minute
	DefaultMaxSessionAge  = 12 * time.Hour
	DefaultPasswordMaxAge = 90 * 24 * time.Hour
	DefaultTokenTTL       = 90 * 24 * time.Hour
)

// Store keeps accounts, sessions and tokens.
type Store struct {
	DB *db.DB
	// IdleTimeout ends a session not used for this long (default 30 min);
	// MaxSessionAge ends any session this long after sign-in (default 12 h).
	IdleTimeout   time.Duration
	MaxSessionAge time.Duration
	// PasswordMaxAge is how long a password lasts before its owner must
	// choose another (default 90 days; negative: forever).
	PasswordMaxAge time.Duration
	// StrangerRate and KnownRate throttle sign-ins (zero: the defaults);
	// HashWait is how long a sign-in waits for a hashing slot (zero:
	// MaxHashWait).
	StrangerRate, KnownRate Rate
	HashWait                time.Duration
	Now                     func() time.Time
	// Probe, when set, is an SQL scalar read in the same query as every
	// session and token lookup, its value kept as the User's Probe: the
	// org tree's version, so a request learns whether its kept tree is
	// current without a round trip of its own.
	Probe string

	limits throttle
}

// probe is the Probe column of a lookup.
func (s *Store) probe() string {
	if s.Probe == "" {
		return "NULL"
	}
	return s.Probe
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func orDefault(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

func orRate(r, def Rate) Rate {
	if r != (Rate{}) {
		return r
	}
	return def
}

// ParseLifetime reads a lifetime as the command line writes one: whole
// days ("90d") or a Go duration ("720h", "30m").
func ParseLifetime(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if n, ok := strings.CutSuffix(s, "d"); ok {
		days, err := strconv.Atoi(n)
		if err != nil || days < 0 || days > 100*366 {
			return 0, fmt.Errorf("bad number of days %q", s)
		}
		return time.Duration(days) * 24 * time.Hour, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("bad duration %q: write 30d or 720h", s)
	}
	return d, nil
}

// Login errors. Every refused sign-in gets ErrBadCredentials, whatever the
// reason (unknown login, wrong password, locked, disabled), so the answer
// tells nothing about the account.
var ErrBadCredentials = platform.Errorf(platform.Unauthorized, "auth.err.bad_credentials")

// RetryError is a sign-in turned away before any password was checked:
// all hashing slots were busy (Busy: answer 503), or the address made too
// many attempts (answer 429). After is when to try again.
type RetryError struct {
	Busy  bool
	After time.Duration
}

func (e *RetryError) Error() string {
	if e.Busy {
		return "auth: busy, retry after " + e.After.String()
	}
	return "auth: too many sign-in attempts, retry after " + e.After.String()
}

// Key is the message key telling the person what happened.
func (e *RetryError) Key() string {
	if e.Busy {
		return "auth.err.busy"
	}
	return "auth.err.throttled"
}

// ErrBusy is returned when no hashing slot came free within MaxHashWait.
var ErrBusy = &RetryError{Busy: true, After: 2 * time.Second}

const userColumns = `u.id, u.login, u.role, u.unit_id, un.path, un.name, u.person_id, COALESCE(p.name, ''), u.lang, u.must_change, u.password_changed_at`

const userFrom = ` FROM users u JOIN units un ON un.id = u.unit_id LEFT JOIN people p ON p.id = u.person_id `

// scanUser reads an account; its MustChange holds when an administrator set
// its password or the password is older than PasswordMaxAge.
func (s *Store) scanUser(sc interface{ Scan(...any) error }, before ...any) (*User, error) {
	var u User
	var role, lang string
	var person sql.NullInt64
	var changed sql.NullTime
	if err := sc.Scan(append(before, &u.ID, &u.Login, &role, &u.UnitID, &u.UnitPath, &u.UnitName, &person, &u.PersonName, &lang, &u.MustChange, &changed)...); err != nil {
		return nil, err
	}
	u.Role = Role(role)
	u.Lang = i18n.Parse(lang)
	if person.Valid {
		u.PersonID = &person.Int64
	}
	if maxAge := orDefault(s.PasswordMaxAge, DefaultPasswordMaxAge); s.PasswordMaxAge >= 0 && changed.Valid && !changed.Time.Add(maxAge).After(s.now()) {
		u.MustChange = true
		u.PasswordExpired = true
	}
	return &u, nil
}

// Why a sign-in was refused, for the audit log alone: the person is told
// ErrBadCredentials whatever the reason, so that a login cannot be probed.
const (
	RefusedMalformed = "malformed"      // empty or overlong login or password
	RefusedUnknown   = "unknown_login"  // no such account
	RefusedLocked    = "locked"         // locked, and tried from an address it has not signed in from
	RefusedPassword  = "wrong_password" // the password is wrong
	RefusedDisabled  = "disabled"       // the right password of a disabled account
)

// Refused is a refused sign-in: ErrBadCredentials to everyone (errors.Is
// holds), with the reason for the administrators who read the audit log.
type Refused struct{ Reason string }

func (r *Refused) Error() string { return ErrBadCredentials.Error() + " (" + r.Reason + ")" }

func (r *Refused) Unwrap() error { return ErrBadCredentials }

func refused(reason string) error { return &Refused{Reason: reason} }

// Authenticate checks a login and password and returns the account. The
// caller's address (RemoteAddr) picks its throttle and whether a lock-out
// applies (see MaxFailedLogins). Every refusal is ErrBadCredentials and
// costs one password check, even for an unknown login; a *RetryError means
// no password was checked (too many attempts from the address, or busy).
func (s *Store) Authenticate(ctx context.Context, login, password string) (*User, error) {
	login = strings.TrimSpace(login)
	if login == "" || password == "" || len(password) > MaxPasswordLen || len(login) > 64 {
		return nil, refused(RefusedMalformed)
	}
	addr := RemoteAddr(ctx)
	now := s.now()
	known, err := s.knownAddr(ctx, login, addr, now)
	if err != nil {
		return nil, err
	}
	key, rate := "s\x00"+addrKey(addr), orRate(s.StrangerRate, DefaultStrangerRate)
	if known {
		key, rate = "k\x00"+addr+"\x00"+login, orRate(s.KnownRate, DefaultKnownRate)
	}
	if ok, wait := s.limits.take(key, rate, now); !ok {
		return nil, &RetryError{After: wait}
	}
	// The slot is taken before the attempt is counted, so a busy server
	// does not spend an account's tries.
	release, err := hashing.acquire(ctx, !known, orDefault(s.HashWait, MaxHashWait))
	if err != nil {
		return nil, err
	}
	defer release()
	id, hash, disabled, admitted, err := s.attempt(ctx, login, now)
	if err != nil {
		return nil, err
	}
	if id == 0 || (!admitted && !known) {
		// Unknown, or locked to this address: spend the same time as a real
		// check so response time does not tell.
		verify(dummyHash, password)
		if id == 0 {
			return nil, refused(RefusedUnknown)
		}
		return nil, refused(RefusedLocked)
	}
	ok, err := verify(hash, password)
	if err != nil {
		return nil, platform.Internalf("authenticate: %w", err)
	}
	if !ok {
		return nil, refused(RefusedPassword)
	}
	if disabled {
		return nil, refused(RefusedDisabled)
	}
	if err := s.signedIn(ctx, id, addr, now); err != nil {
		return nil, err
	}
	return s.UserByID(ctx, id)
}

// attempt counts a sign-in to login as a failure and reports whether the
// account was open to it (admitted), in one statement: the count, the lock
// and the check cannot be raced. A locked account is counted too (in
// failed_since, not in the lock's count). id is 0 for an unknown login.
func (s *Store) attempt(ctx context.Context, login string, now time.Time) (id int64, hash string, disabled, admitted bool, err error) {
	args := []any{login, now.UTC()}
	var ladder strings.Builder
	ladder.WriteString(`CASE WHEN failed_logins + 1 < ` + strconv.Itoa(MaxFailedLogins) + ` THEN locked_until`)
	for i, d := range LockSteps[:len(LockSteps)-1] {
		args = append(args, now.Add(d).UTC())
		fmt.Fprintf(&ladder, ` WHEN failed_logins + 1 = %d THEN $%d`, MaxFailedLogins+i, len(args))
	}
	args = append(args, now.Add(LockSteps[len(LockSteps)-1]).UTC())
	fmt.Fprintf(&ladder, ` ELSE $%d END`, len(args))
	err = s.DB.WriteRow(ctx, `UPDATE users SET failed_since = failed_since + 1, failed_logins = failed_logins + 1, locked_until = `+ladder.String()+
		` WHERE login = $1 AND (locked_until IS NULL OR locked_until <= $2) RETURNING id, password_hash, disabled`, args, &id, &hash, &disabled)
	if err == nil {
		return id, hash, disabled, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, false, platform.Internalf("sign-in attempt: %w", err)
	}
	err = s.DB.WriteRow(ctx, `UPDATE users SET failed_since = failed_since + 1 WHERE login = $1 RETURNING id, password_hash, disabled`, []any{login}, &id, &hash, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", false, false, nil
	}
	if err != nil {
		return 0, "", false, false, platform.Internalf("sign-in attempt: %w", err)
	}
	return id, hash, disabled, false, nil
}

// knownAddr reports whether login has signed in from addr within KnownFor.
func (s *Store) knownAddr(ctx context.Context, login, addr string, now time.Time) (bool, error) {
	if addr == "" {
		return false, nil
	}
	var n int
	err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM login_addrs a JOIN users u ON u.id = a.user_id WHERE u.login = $1 AND a.addr = $2 AND a.last_at > $3`,
		login, addr, now.Add(-KnownFor).UTC()).Scan(&n)
	if err != nil {
		return false, platform.Internalf("known address: %w", err)
	}
	return n > 0, nil
}

// signedIn records a good sign-in: the counts and lock end, the one before
// is kept to be shown, and the address becomes known.
func (s *Store) signedIn(ctx context.Context, id int64, addr string, now time.Time) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL,
			prev_failed = CASE WHEN failed_since > 0 THEN failed_since - 1 ELSE 0 END, failed_since = 0,
			prev_login_at = last_login_at, prev_login_addr = last_login_addr, last_login_at = $1, last_login_addr = $2 WHERE id = $3`,
			now.UTC(), addr, id)
		if err != nil {
			return platform.Internalf("signed in: %w", err)
		}
		if addr == "" {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO login_addrs (user_id, addr, last_at) VALUES ($1, $2, $3)
			ON CONFLICT (user_id, addr) DO UPDATE SET last_at = excluded.last_at`, id, addr, now.UTC()); err != nil {
			return platform.Internalf("known address: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM login_addrs WHERE user_id = $1 AND last_at < $2`, id, now.Add(-KnownFor).UTC()); err != nil {
			return platform.Internalf("known addresses: %w", err)
		}
		return nil
	})
}

// LastLogin is what an account's owner is shown after signing in: the
// sign-in before this one and the refused attempts between.
type LastLogin struct {
	At     *time.Time // nil: this is the first
	Addr   string
	Failed int
}

// PreviousLogin returns the sign-in before the current one of the account.
func (s *Store) PreviousLogin(ctx context.Context, userID int64) (LastLogin, error) {
	var l LastLogin
	var at sql.NullTime
	err := s.DB.QueryRowContext(ctx, `SELECT prev_login_at, prev_login_addr, prev_failed FROM users WHERE id = $1`, userID).Scan(&at, &l.Addr, &l.Failed)
	if errors.Is(err, sql.ErrNoRows) {
		return l, platform.ErrNotFound
	}
	if err != nil {
		return l, platform.Internalf("previous login: %w", err)
	}
	if at.Valid {
		l.At = &at.Time
	}
	return l, nil
}

// Verify checks the password of a signed-in account (before it changes
// its own): a wrong one counts toward the lock-out like a sign-in's, and a
// locked account is refused but from a known address, as at sign-in. It
// returns ErrBadCredentials or ErrBusy.
func (s *Store) Verify(ctx context.Context, userID int64, password string) error {
	var login string
	if err := s.DB.QueryRowContext(ctx, `SELECT login FROM users WHERE id = $1`, userID).Scan(&login); err != nil {
		return platform.Internalf("verify: %w", err)
	}
	if password == "" || len(password) > MaxPasswordLen {
		return ErrBadCredentials
	}
	release, err := hashing.acquire(ctx, false, orDefault(s.HashWait, MaxHashWait))
	if err != nil {
		return err
	}
	defer release()
	now := s.now()
	known, err := s.knownAddr(ctx, login, RemoteAddr(ctx), now)
	if err != nil {
		return err
	}
	_, hash, _, admitted, err := s.attempt(ctx, login, now)
	if err != nil {
		return err
	}
	if !admitted && !known {
		verify(dummyHash, password)
		return ErrBadCredentials
	}
	ok, err := verify(hash, password)
	if err != nil {
		return platform.Internalf("verify: %w", err)
	}
	if !ok {
		return ErrBadCredentials
	}
	_, err = s.DB.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, failed_since = CASE WHEN failed_since > 0 THEN failed_since - 1 ELSE 0 END WHERE id = $1`, userID)
	if err != nil {
		return platform.Internalf("verify: %w", err)
	}
	return nil
}

// UserByID loads an account regardless of scope (for sessions and tokens).
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u, err := s.scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.ErrNotFound
	}
	if err != nil {
		return nil, platform.Internalf("user %d: %w", id, err)
	}
	return u, nil
}

// UserByLogin loads an account by login regardless of scope (command line).
func (s *Store) UserByLogin(ctx context.Context, login string) (*User, error) {
	u, err := s.scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.login = $1`, login))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.ErrNotFound
	}
	if err != nil {
		return nil, platform.Internalf("user %s: %w", login, err)
	}
	return u, nil
}

// Session is a signed-in browser.
type Session struct {
	Token string // the cookie value; only its hash is stored
	CSRF  string
	User  *User
}

func randomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

func hashToken(t string) string {
	h := sha256.Sum256([]byte(t))
	return hex.EncodeToString(h[:])
}

// expiry is when a session last seen at seen, begun at created, ends: the
// idle timeout from its last use, but never past its maximum age.
func (s *Store) expiry(created, seen time.Time) time.Time {
	idle := seen.Add(orDefault(s.IdleTimeout, DefaultIdleTimeout))
	if end := created.Add(orDefault(s.MaxSessionAge, DefaultMaxSessionAge)); end.Before(idle) {
		return end
	}
	return idle
}

// NewSession starts a session for the user.
func (s *Store) NewSession(ctx context.Context, u *User) (*Session, error) {
	now := s.now().UTC()
	sess := &Session{Token: randomToken(32), CSRF: randomToken(20), User: u}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
		hashToken(sess.Token), u.ID, sess.CSRF, now, s.expiry(now, now).UTC())
	if err != nil {
		return nil, platform.Internalf("new session: %w", err)
	}
	return sess, nil
}

// SessionByToken returns the live session for a cookie value, sliding its
// idle expiry forward (at most once a minute, to keep writes rare) but
// never past its maximum age. It returns ErrUnauthorized for an unknown or
// ended session.
func (s *Store) SessionByToken(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, platform.ErrUnauthorized
	}
	h := hashToken(token)
	var (
		csrf     string
		created  time.Time
		lastSeen time.Time
		disabled bool
		probe    sql.NullInt64
	)
	// The session and its account in one read: every signed-in request
	// makes it.
	u, err := s.scanUser(s.DB.QueryRowContext(ctx, `SELECT `+s.probe()+`, s.csrf, s.created_at, s.last_seen, u.disabled, `+userColumns+userFrom+
		`JOIN sessions s ON s.user_id = u.id WHERE s.id_hash = $1`, h), &probe, &csrf, &created, &lastSeen, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.ErrUnauthorized
	}
	if err != nil {
		return nil, platform.Internalf("session: %w", err)
	}
	if probe.Valid {
		u.Probe = &probe.Int64
	}
	now := s.now()
	if !s.expiry(created, lastSeen).After(now) || disabled {
		s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, h)
		return nil, platform.ErrUnauthorized
	}
	if now.Sub(lastSeen) > time.Minute {
		if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET last_seen = $1, expires_at = $2 WHERE id_hash = $3`, now.UTC(), s.expiry(created, now).UTC(), h); err != nil {
			return nil, platform.Internalf("touch session: %w", err)
		}
	}
	return &Session{Token: token, CSRF: csrf, User: u}, nil
}

// EndSession deletes a session (logout).
func (s *Store) EndSession(ctx context.Context, token string) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hashToken(token))
	return err
}

// SessionHash is how a session's cookie value is stored, for a caller that
// ends an account's sessions but one (org's own password change).
func SessionHash(token string) string { return hashToken(token) }

// PurgeSessions removes expired sessions.
func (s *Store) PurgeSessions(ctx context.Context) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, s.now().UTC())
	return err
}

// TokenPrefix marks guatu API tokens so they are recognisable in a leak scan.
const TokenPrefix = "gt_"

// Token is an API token as its owner sees it: never the secret.
type Token struct {
	ID       int64
	UserID   int64
	Name     string
	Created  time.Time
	Expires  time.Time
	LastUsed *time.Time
}

// MaxTokenName bounds a token's name.
const MaxTokenName = 64

// CreateToken issues an API token for the user that lasts DefaultTokenTTL;
// see NewToken.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	tok, _, err := s.NewToken(ctx, userID, name, 0)
	return tok, err
}

// NewToken issues an API token for the user, named name, that expires after
// ttl (0: DefaultTokenTTL), and returns the secret; only its hash is kept,
// so it cannot be shown again. A blank or overlong name is Invalid on
// "name".
func (s *Store) NewToken(ctx context.Context, userID int64, name string, ttl time.Duration) (string, Token, error) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", Token{}, platform.FieldError("name", "form.err.required")
	case len([]rune(name)) > MaxTokenName:
		return "", Token{}, platform.FieldError("name", "form.err.too_long", MaxTokenName)
	case ttl < 0:
		return "", Token{}, platform.FieldError("expires", "auth.err.bad_lifetime")
	}
	now := s.now().UTC()
	t := Token{UserID: userID, Name: name, Created: now, Expires: now.Add(orDefault(ttl, DefaultTokenTTL))}
	secret := TokenPrefix + randomToken(24)
	err := s.DB.WriteRow(ctx, `INSERT INTO api_tokens (user_id, token_hash, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
		[]any{userID, hashToken(secret), name, now, t.Expires}, &t.ID)
	if err != nil {
		return "", Token{}, platform.Internalf("create token: %w", err)
	}
	return secret, t, nil
}

// tokenExpiry is a token's end: tokens issued before tokens had one end
// DefaultTokenTTL after they were made.
func tokenExpiry(created time.Time, expires sql.NullTime) time.Time {
	if expires.Valid {
		return expires.Time
	}
	return created.Add(DefaultTokenTTL)
}

const tokenColumns = `id, user_id, name, created_at, expires_at, last_used_at`

func scanToken(sc interface{ Scan(...any) error }) (Token, error) {
	var t Token
	var expires, used sql.NullTime
	if err := sc.Scan(&t.ID, &t.UserID, &t.Name, &t.Created, &expires, &used); err != nil {
		return t, err
	}
	t.Expires = tokenExpiry(t.Created, expires)
	if used.Valid {
		t.LastUsed = &used.Time
	}
	return t, nil
}

// Tokens lists the user's API tokens, newest first, expired ones included
// (they answer 401 until revoked).
func (s *Store) Tokens(ctx context.Context, userID int64) ([]Token, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, userID)
	if err != nil {
		return nil, platform.Internalf("tokens: %w", err)
	}
	defer rows.Close()
	var out []Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, platform.Internalf("tokens: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("tokens: %w", err)
	}
	return out, nil
}

// TokenByID returns one token, or ErrNotFound.
func (s *Store) TokenByID(ctx context.Context, id int64) (Token, error) {
	t, err := scanToken(s.DB.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM api_tokens WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return t, platform.ErrNotFound
	}
	if err != nil {
		return t, platform.Internalf("token %d: %w", id, err)
	}
	return t, nil
}

// RevokeToken deletes one of the user's tokens; another's, or none, is
// ErrNotFound.
func (s *Store) RevokeToken(ctx context.Context, userID, id int64) error {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM api_tokens WHERE id = $1 AND user_id = $2`, id, userID)
	if err != nil {
		return platform.Internalf("revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return platform.ErrNotFound
	}
	return nil
}

// RevokeTokensNamed deletes the user's tokens of that name and returns how
// many there were.
func (s *Store) RevokeTokensNamed(ctx context.Context, userID int64, name string) (int, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM api_tokens WHERE user_id = $1 AND name = $2`, userID, strings.TrimSpace(name))
	if err != nil {
		return 0, platform.Internalf("revoke tokens: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// UserByToken returns the account of a bearer token, or ErrUnauthorized
// for an unknown, revoked or expired token or a disabled account.
func (s *Store) UserByToken(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, platform.ErrUnauthorized
	}
	var (
		created  time.Time
		expires  sql.NullTime
		lastUsed sql.NullTime
		disabled bool
		probe    sql.NullInt64
	)
	h := hashToken(token)
	// The token and its account in one read: every API request makes it.
	u, err := s.scanUser(s.DB.QueryRowContext(ctx, `SELECT `+s.probe()+`, t.created_at, t.expires_at, t.last_used_at, u.disabled, `+userColumns+userFrom+
		`JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1`, h), &probe, &created, &expires, &lastUsed, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.ErrUnauthorized
	}
	if err != nil {
		return nil, platform.Internalf("token: %w", err)
	}
	if probe.Valid {
		u.Probe = &probe.Int64
	}
	now := s.now()
	if disabled || !tokenExpiry(created, expires).After(now) {
		return nil, platform.ErrUnauthorized
	}
	// The last use is written at most once a minute: a read must not cost a
	// write on every request.
	if !lastUsed.Valid || now.Sub(lastUsed.Time) > time.Minute {
		if _, err := s.DB.ExecContext(ctx, `UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2`, now.UTC(), h); err != nil {
			return nil, platform.Internalf("token last used: %w", err)
		}
	}
	return u, nil
}

// SetLang stores the user's language choice.
func (s *Store) SetLang(ctx context.Context, userID int64, lang i18n.Lang) error {
	_, err := s.DB.ExecContext(ctx, `UPDATE users SET lang = $1, updated_at = $2 WHERE id = $3`, string(lang), s.now().UTC(), userID)
	return err
}
