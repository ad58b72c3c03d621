package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// Lock-out: after MaxFailedLogins wrong passwords in a row an account is
// locked for LockDuration; a correct password afterwards resets the count.
const (
	MaxFailedLogins = 5
	LockDuration    = 15 * time.Minute
)

// Store keeps accounts, sessions and tokens.
type Store struct {
	DB         *db.DB
	SessionTTL time.Duration // idle expiry; default 12h
	Now        func() time.Time
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) ttl() time.Duration {
	if s.SessionTTL > 0 {
		return s.SessionTTL
	}
	return 12 * time.Hour
}

// Login errors, coded so the page can say exactly what happened.
var (
	ErrBadCredentials = platform.Errorf(platform.Unauthorized, "auth.err.bad_credentials")
	ErrLocked         = platform.Errorf(platform.Unauthorized, "auth.err.locked")
	ErrDisabled       = platform.Errorf(platform.Unauthorized, "auth.err.disabled")
)

const userColumns = `u.id, u.login, u.role, u.unit_id, un.path, un.name, u.person_id, COALESCE(p.name, ''), u.lang`

const userFrom = ` FROM users u JOIN units un ON un.id = u.unit_id LEFT JOIN people p ON p.id = u.person_id `

func scanUser(sc interface{ Scan(...any) error }, before ...any) (*User, error) {
	var u User
	var role, lang string
	var person sql.NullInt64
	if err := sc.Scan(append(before, &u.ID, &u.Login, &role, &u.UnitID, &u.UnitPath, &u.UnitName, &person, &u.PersonName, &lang)...); err != nil {
		return nil, err
	}
	u.Role = Role(role)
	u.Lang = i18n.Parse(lang)
	if person.Valid {
		u.PersonID = &person.Int64
	}
	return &u, nil
}

// Authenticate checks a login and password and returns the account, counting
// failures toward the lock-out. It returns ErrBadCredentials for an unknown
// login or a wrong password alike, so logins cannot be probed.
func (s *Store) Authenticate(ctx context.Context, login, password string) (*User, error) {
	login = strings.TrimSpace(login)
	if login == "" || password == "" || len(password) > MaxPasswordLen {
		return nil, ErrBadCredentials
	}
	var (
		hash     string
		disabled bool
		lockedTo sql.NullTime
		id       int64
	)
	err := s.DB.QueryRowContext(ctx, `SELECT id, password_hash, disabled, locked_until FROM users WHERE login = $1`, login).
		Scan(&id, &hash, &disabled, &lockedTo)
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as a real check so response time does not tell.
		CheckPassword(dummyHash, password)
		return nil, ErrBadCredentials
	}
	if err != nil {
		return nil, platform.Internalf("authenticate: %w", err)
	}
	now := s.now()
	if lockedTo.Valid && lockedTo.Time.After(now) {
		return nil, ErrLocked
	}
	ok, err := CheckPassword(hash, password)
	if err != nil {
		return nil, platform.Internalf("authenticate: %w", err)
	}
	if !ok {
		// Count the failure; lock when the count reaches the limit.
		var failed int
		err := s.DB.QueryRowContext(ctx, `UPDATE users SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins`, id).Scan(&failed)
		if err != nil {
			return nil, platform.Internalf("count failed login: %w", err)
		}
		if failed >= MaxFailedLogins {
			if _, err := s.DB.ExecContext(ctx, `UPDATE users SET locked_until = $1, failed_logins = 0 WHERE id = $2`, now.Add(LockDuration).UTC(), id); err != nil {
				return nil, platform.Internalf("lock account: %w", err)
			}
			return nil, ErrLocked
		}
		return nil, ErrBadCredentials
	}
	if disabled {
		return nil, ErrDisabled
	}
	if _, err := s.DB.ExecContext(ctx, `UPDATE users SET failed_logins = 0, locked_until = NULL, last_login_at = $1 WHERE id = $2`, now.UTC(), id); err != nil {
		return nil, platform.Internalf("reset failed logins: %w", err)
	}
	return s.UserByID(ctx, id)
}

var dummyHash, _ = HashPassword("guatu-timing-equaliser")

// UserByID loads an account regardless of scope (for sessions and tokens).
func (s *Store) UserByID(ctx context.Context, id int64) (*User, error) {
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.id = $1`, id))
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
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT `+userColumns+userFrom+`WHERE u.login = $1`, login))
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

// NewSession starts a session for the user.
func (s *Store) NewSession(ctx context.Context, u *User) (*Session, error) {
	now := s.now().UTC()
	sess := &Session{Token: randomToken(32), CSRF: randomToken(20), User: u}
	_, err := s.DB.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_id, csrf, created_at, last_seen, expires_at) VALUES ($1, $2, $3, $4, $4, $5)`,
		hashToken(sess.Token), u.ID, sess.CSRF, now, now.Add(s.ttl()))
	if err != nil {
		return nil, platform.Internalf("new session: %w", err)
	}
	return sess, nil
}

// SessionByToken returns the live session for a cookie value, sliding its
// expiry forward (at most once a minute, to keep writes rare). It returns
// ErrUnauthorized for an unknown or expired session.
func (s *Store) SessionByToken(ctx context.Context, token string) (*Session, error) {
	if token == "" {
		return nil, platform.ErrUnauthorized
	}
	h := hashToken(token)
	var (
		csrf     string
		lastSeen time.Time
		expires  time.Time
		disabled bool
	)
	// The session and its account in one read: every signed-in request
	// makes it.
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT s.csrf, s.last_seen, s.expires_at, u.disabled, `+userColumns+userFrom+
		`JOIN sessions s ON s.user_id = u.id WHERE s.id_hash = $1`, h), &csrf, &lastSeen, &expires, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.ErrUnauthorized
	}
	if err != nil {
		return nil, platform.Internalf("session: %w", err)
	}
	now := s.now()
	if !expires.After(now) || disabled {
		s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, h)
		return nil, platform.ErrUnauthorized
	}
	if now.Sub(lastSeen) > time.Minute {
		if _, err := s.DB.ExecContext(ctx, `UPDATE sessions SET last_seen = $1, expires_at = $2 WHERE id_hash = $3`, now.UTC(), now.Add(s.ttl()).UTC(), h); err != nil {
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

// PurgeSessions removes expired sessions.
func (s *Store) PurgeSessions(ctx context.Context) error {
	_, err := s.DB.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1`, s.now().UTC())
	return err
}

// TokenPrefix marks guatu API tokens so they are recognisable in a leak scan.
const TokenPrefix = "gt_"

// CreateToken issues an API token for the user and returns it; only its hash
// is kept, so it cannot be shown again.
func (s *Store) CreateToken(ctx context.Context, userID int64, name string) (string, error) {
	tok := TokenPrefix + randomToken(24)
	_, err := s.DB.ExecContext(ctx, `INSERT INTO api_tokens (user_id, token_hash, name, created_at) VALUES ($1, $2, $3, $4)`,
		userID, hashToken(tok), name, s.now().UTC())
	if err != nil {
		return "", platform.Internalf("create token: %w", err)
	}
	return tok, nil
}

// UserByToken returns the account of a bearer token, or ErrUnauthorized.
func (s *Store) UserByToken(ctx context.Context, token string) (*User, error) {
	if !strings.HasPrefix(token, TokenPrefix) {
		return nil, platform.ErrUnauthorized
	}
	var (
		expires  sql.NullTime
		lastUsed sql.NullTime
		disabled bool
	)
	h := hashToken(token)
	// The token and its account in one read: every API request makes it.
	u, err := scanUser(s.DB.QueryRowContext(ctx, `SELECT t.expires_at, t.last_used_at, u.disabled, `+userColumns+userFrom+
		`JOIN api_tokens t ON t.user_id = u.id WHERE t.token_hash = $1`, h), &expires, &lastUsed, &disabled)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, platform.ErrUnauthorized
	}
	if err != nil {
		return nil, platform.Internalf("token: %w", err)
	}
	now := s.now()
	if disabled || (expires.Valid && !expires.Time.After(now)) {
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
