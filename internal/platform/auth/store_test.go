package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

const password = "right-password"

// fakeNow is a settable clock for auth.Store.Now.
type fakeNow struct{ t time.Time }

func (f *fakeNow) now() time.Time          { return f.t }
func (f *fakeNow) advance(d time.Duration) { f.t = f.t.Add(d) }
func newStore(d *db.DB) (*auth.Store, *fakeNow) {
	clk := &fakeNow{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	return &auth.Store{DB: d, Now: clk.now}, clk
}

// mustUser adds a unit and an account in it with the given login and returns
// the account's id.
func mustUser(tb testing.TB, d *db.DB, login string) int64 {
	tb.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	var unit int64
	err := d.QueryRowContext(ctx, `INSERT INTO units (kind, name, created_at, updated_at) VALUES ('district', $1, $2, $2) RETURNING id`, "区"+login, now).Scan(&unit)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `UPDATE units SET path = $1 WHERE id = $2`, auth.UnitPath("", unit), unit); err != nil {
		tb.Fatal(err)
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		tb.Fatal(err)
	}
	var id int64
	err = d.QueryRowContext(ctx, `INSERT INTO users (login, unit_id, role, password_hash, created_at, updated_at) VALUES ($1, $2, 'reporter', $3, $4, $4) RETURNING id`,
		login, unit, hash, now).Scan(&id)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func disable(tb testing.TB, d *db.DB, id int64) {
	tb.Helper()
	if _, err := d.ExecContext(context.Background(), `UPDATE users SET disabled = $1 WHERE id = $2`, true, id); err != nil {
		tb.Fatal(err)
	}
}

func TestAuthenticate(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, _ := newStore(d)
		ctx := context.Background()
		id := mustUser(t, d, "li")
		off := mustUser(t, d, "off")
		disable(t, d, off)
		tests := []struct {
			name, login, pw string
			want            error
		}{
			{"right", "li", password, nil},
			{"login is trimmed", "  li ", password, nil},
			{"wrong password", "li", "wrong", auth.ErrBadCredentials},
			{"unknown login", "nobody", password, auth.ErrBadCredentials},
			{"empty password", "li", "", auth.ErrBadCredentials},
			{"empty login", "", password, auth.ErrBadCredentials},
			{"overlong password", "li", strings.Repeat("x", auth.MaxPasswordLen+1), auth.ErrBadCredentials},
			{"disabled, right password", "off", password, auth.ErrDisabled},
			{"disabled, wrong password", "off", "wrong", auth.ErrBadCredentials},
		}
		for _, tt := range tests {
			u, err := st.Authenticate(ctx, tt.login, tt.pw)
			if !errors.Is(err, tt.want) {
				t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			}
			if tt.want == nil && (u == nil || u.ID != id || u.Login != "li") {
				t.Errorf("%s: user = %+v, want li", tt.name, u)
			}
		}
	})
}

func TestLockOut(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		ctx := context.Background()
		mustUser(t, d, "li")
		try := func(step, pw string, want error) {
			t.Helper()
			if _, err := st.Authenticate(ctx, "li", pw); !errors.Is(err, want) {
				t.Fatalf("%s: err = %v, want %v", step, err, want)
			}
		}

		// A right password resets the count of failures.
		for i := 1; i < auth.MaxFailedLogins; i++ {
			try("wrong before a right one", "wrong", auth.ErrBadCredentials)
		}
		try("right after four wrong", password, nil)

		for i := 1; i < auth.MaxFailedLogins; i++ {
			try("wrong", "wrong", auth.ErrBadCredentials)
		}
		try("fifth wrong locks", "wrong", auth.ErrLocked)
		locked := clk.t
		try("right while locked", password, auth.ErrLocked)
		try("wrong while locked", "wrong", auth.ErrLocked)

		clk.t = locked.Add(auth.LockDuration - time.Second)
		try("right a second before the lock ends", password, auth.ErrLocked)

		clk.t = locked.Add(auth.LockDuration + time.Second)
		try("right after the lock", password, nil)
		// The lock-out reset the count: one more wrong does not lock again.
		try("wrong after the lock", "wrong", auth.ErrBadCredentials)
		try("right again", password, nil)
	})
}

func TestSessionExpiry(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		st.SessionTTL = 2 * time.Hour
		ctx := context.Background()
		id := mustUser(t, d, "li")
		u, err := st.UserByID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		check := func(step, token string, want error) {
			t.Helper()
			s, err := st.SessionByToken(ctx, token)
			if !errors.Is(err, want) {
				t.Fatalf("%s: err = %v, want %v", step, err, want)
			}
			if want == nil && (s.User.ID != id || s.CSRF == "") {
				t.Fatalf("%s: session %+v, want li's with a CSRF token", step, s)
			}
		}

		sess, err := st.NewSession(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		if sess.Token == "" || sess.CSRF == "" || sess.Token == sess.CSRF {
			t.Fatalf("session token %q, csrf %q: want two different secrets", sess.Token, sess.CSRF)
		}
		check("fresh", sess.Token, nil)
		check("unknown token", sess.Token+"x", platform.ErrUnauthorized)
		check("empty token", "", platform.ErrUnauthorized)

		// Use slides the expiry: active for 3h in steps of 1h30 under a 2h TTL.
		for i := 0; i < 2; i++ {
			clk.advance(90 * time.Minute)
			check("in use", sess.Token, nil)
		}
		clk.advance(2*time.Hour + time.Second)
		check("idle past the TTL", sess.Token, platform.ErrUnauthorized)
		clk.advance(-2 * time.Hour)
		check("an expired session is deleted", sess.Token, platform.ErrUnauthorized)

		t.Run("logout", func(t *testing.T) {
			s, _ := st.NewSession(ctx, u)
			if err := st.EndSession(ctx, s.Token); err != nil {
				t.Fatal(err)
			}
			check("after logout", s.Token, platform.ErrUnauthorized)
		})
		t.Run("disabled account", func(t *testing.T) {
			off := mustUser(t, d, "off")
			uo, _ := st.UserByID(ctx, off)
			s, _ := st.NewSession(ctx, uo)
			disable(t, d, off)
			check("disabled", s.Token, platform.ErrUnauthorized)
		})
		t.Run("purge", func(t *testing.T) {
			s, _ := st.NewSession(ctx, u)
			clk.advance(3 * time.Hour)
			if err := st.PurgeSessions(ctx); err != nil {
				t.Fatal(err)
			}
			var n int
			if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE expires_at < $1`, clk.t.UTC()).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d expired sessions after purge", n)
			}
			check("purged", s.Token, platform.ErrUnauthorized)
		})
	})
}

func TestTokens(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		ctx := context.Background()
		id := mustUser(t, d, "li")
		tok, err := st.CreateToken(ctx, id, "cli")
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(tok, auth.TokenPrefix) || len(tok) < 30 {
			t.Errorf("token %q: want %s and a long secret", tok, auth.TokenPrefix)
		}
		other, _ := st.CreateToken(ctx, id, "cli")
		if other == tok {
			t.Error("two tokens are equal")
		}
		var stored int
		d.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1`, tok).Scan(&stored)
		if stored != 0 {
			t.Error("the token is stored in clear")
		}

		tests := []struct {
			name, token string
			want        error
		}{
			{"issued", tok, nil},
			{"another issued", other, nil},
			{"unknown", auth.TokenPrefix + "abc", platform.ErrUnauthorized},
			{"without prefix", strings.TrimPrefix(tok, auth.TokenPrefix), platform.ErrUnauthorized},
			{"empty", "", platform.ErrUnauthorized},
		}
		for _, tt := range tests {
			u, err := st.UserByToken(ctx, tt.token)
			if !errors.Is(err, tt.want) {
				t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			}
			if tt.want == nil && u.ID != id {
				t.Errorf("%s: user %d, want %d", tt.name, u.ID, id)
			}
		}
		var used int
		d.QueryRowContext(ctx, `SELECT COUNT(*) FROM api_tokens WHERE last_used_at IS NOT NULL`).Scan(&used)
		if used != 2 {
			t.Errorf("%d tokens marked used, want 2", used)
		}

		t.Run("last use is written at most once a minute", func(t *testing.T) {
			lastUsed := func() time.Time {
				var at time.Time
				if err := d.QueryRowContext(ctx, `SELECT last_used_at FROM api_tokens WHERE user_id = $1 AND last_used_at IS NOT NULL ORDER BY id LIMIT 1`, id).Scan(&at); err != nil {
					t.Fatal(err)
				}
				return at
			}
			first := lastUsed()
			clk.advance(30 * time.Second)
			if _, err := st.UserByToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if got := lastUsed(); !got.Equal(first) {
				t.Errorf("used again after 30 s: last use moved from %v to %v, want no write", first, got)
			}
			clk.advance(time.Minute)
			if _, err := st.UserByToken(ctx, tok); err != nil {
				t.Fatal(err)
			}
			if got := lastUsed(); !got.After(first) {
				t.Errorf("used again after 90 s: last use still %v, want it moved on", got)
			}
		})

		t.Run("expired", func(t *testing.T) {
			if _, err := d.ExecContext(ctx, `UPDATE api_tokens SET expires_at = $1`, clk.t.Add(time.Hour).UTC()); err != nil {
				t.Fatal(err)
			}
			if _, err := st.UserByToken(ctx, tok); err != nil {
				t.Errorf("before expiry: %v", err)
			}
			clk.advance(time.Hour)
			if _, err := st.UserByToken(ctx, tok); !errors.Is(err, platform.ErrUnauthorized) {
				t.Errorf("at expiry: err = %v, want unauthorized", err)
			}
		})
		t.Run("disabled account", func(t *testing.T) {
			off := mustUser(t, d, "off")
			tok, _ := st.CreateToken(ctx, off, "cli")
			disable(t, d, off)
			if _, err := st.UserByToken(ctx, tok); !errors.Is(err, platform.ErrUnauthorized) {
				t.Errorf("err = %v, want unauthorized", err)
			}
		})
	})
}

func TestScope(t *testing.T) {
	u := &auth.User{Role: auth.Reporter, UnitPath: "/1/4/"}
	tests := []struct {
		path string
		want bool
	}{
		{"/1/4/", true},
		{"/1/4/9/", true},
		{"/1/", false},
		{"/1/40/", false},
		{"/1/5/", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := u.InScope(tt.path); got != tt.want {
			t.Errorf("InScope(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
	if (*auth.User)(nil).InScope("/1/") || (&auth.User{}).InScope("/1/") {
		t.Error("a nil user or one without a unit has a scope")
	}
	if got := auth.UnitPath("", 1); got != "/1/" {
		t.Errorf("UnitPath of a root = %q", got)
	}
	if got := auth.UnitPath("/1/4/", 9); got != "/1/4/9/" {
		t.Errorf("UnitPath = %q", got)
	}
}

func TestPermissions(t *testing.T) {
	tests := []struct {
		role auth.Role
		perm auth.Permission
		want bool
	}{
		{auth.Admin, auth.ManageUsers, true},
		{auth.Admin, auth.ManageOrg, true},
		{auth.Leader, auth.ManageOrg, false},
		{auth.Supervisor, auth.ViewAudit, true},
		{auth.Statistician, auth.EnterFigures, true},
		{auth.Reporter, auth.EnterFigures, true},
		{auth.Reporter, auth.ManageTargets, false},
		{auth.GridWorker, auth.EnterFigures, false},
		{auth.Viewer, auth.ViewAudit, false},
	}
	for _, tt := range tests {
		if got := (&auth.User{Role: tt.role}).Can(tt.perm); got != tt.want {
			t.Errorf("%s can %s = %v, want %v", tt.role, tt.perm, got, tt.want)
		}
	}
	if (*auth.User)(nil).Can(auth.ViewAudit) {
		t.Error("nobody can view the audit log")
	}
}
