package auth_test

import (
	"context"
	"errors"
	"strings"
	"sync"
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
			reason          string // for the audit log; the person sees want alone
		}{
			{"right", "li", password, nil, ""},
			{"login is trimmed", "  li ", password, nil, ""},
			{"wrong password", "li", "wrong", auth.ErrBadCredentials, auth.RefusedPassword},
			{"unknown login", "nobody", password, auth.ErrBadCredentials, auth.RefusedUnknown},
			{"empty password", "li", "", auth.ErrBadCredentials, auth.RefusedMalformed},
			{"empty login", "", password, auth.ErrBadCredentials, auth.RefusedMalformed},
			{"overlong password", "li", strings.Repeat("x", auth.MaxPasswordLen+1), auth.ErrBadCredentials, auth.RefusedMalformed},
			{"disabled, right password", "off", password, auth.ErrBadCredentials, auth.RefusedDisabled},
			{"disabled, wrong password", "off", "wrong", auth.ErrBadCredentials, auth.RefusedPassword},
		}
		for _, tt := range tests {
			u, err := st.Authenticate(ctx, tt.login, tt.pw)
			if !errors.Is(err, tt.want) {
				t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
			}
			var why *auth.Refused
			if got := ""; errors.As(err, &why) {
				got = why.Reason
				if got != tt.reason {
					t.Errorf("%s: reason %q, want %q", tt.name, got, tt.reason)
				}
			} else if tt.reason != "" {
				t.Errorf("%s: no reason given, want %q", tt.name, tt.reason)
			}
			if pe := platform.AsError(err); err != nil && pe.Key != "auth.err.bad_credentials" {
				t.Errorf("%s: the person is told %q, want auth.err.bad_credentials", tt.name, pe.Key)
			}
			if tt.want == nil && (u == nil || u.ID != id || u.Login != "li") {
				t.Errorf("%s: user = %+v, want li", tt.name, u)
			}
		}
	})
}

// at returns ctx as a request from addr.
func at(addr string) context.Context { return auth.WithRemoteAddr(context.Background(), addr) }

// unthrottled lifts the address throttle, for tests of the lock-out.
func unthrottled(st *auth.Store) {
	st.StrangerRate = auth.Rate{Burst: 1 << 20, Every: time.Nanosecond}
	st.KnownRate = st.StrangerRate
	st.HashWait = time.Minute
}

func TestLockOut(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		unthrottled(st)
		mustUser(t, d, "li")
		try := func(step, addr, pw string, want error) {
			t.Helper()
			if _, err := st.Authenticate(at(addr), "li", pw); !errors.Is(err, want) {
				t.Fatalf("%s: err = %v, want %v", step, err, want)
			}
		}
		const office, stranger = "192.0.2.10", "198.51.100.7"

		// A right password resets the count of failures.
		for i := 1; i < auth.MaxFailedLogins; i++ {
			try("wrong before a right one", stranger, "wrong", auth.ErrBadCredentials)
		}
		try("right after four wrong, from the office", office, password, nil)

		for i := 1; i <= auth.MaxFailedLogins; i++ {
			try("wrong", stranger, "wrong", auth.ErrBadCredentials)
		}
		locked := clk.t
		try("right while locked, from a stranger's address: refused like a wrong one", stranger, password, auth.ErrBadCredentials)
		clk.t = locked.Add(auth.LockSteps[0] - time.Second)
		try("a second before the lock ends", stranger, password, auth.ErrBadCredentials)
		clk.t = locked.Add(auth.LockSteps[0] + time.Second)
		try("wrong after the first lock: locks again, longer", stranger, "wrong", auth.ErrBadCredentials)
		relocked := clk.t
		clk.t = relocked.Add(auth.LockSteps[1] - time.Second)
		try("the second lock is longer", stranger, password, auth.ErrBadCredentials)

		// The owner, from where they signed in before, is not locked out.
		try("right while locked, from the office", office, password, nil)
		try("the right password ended the lock", stranger, password, nil)

		t.Run("locks grow to the last step and no further", func(t *testing.T) {
			for i := 1; i <= auth.MaxFailedLogins+len(auth.LockSteps)+2; i++ {
				try("wrong", stranger, "wrong", auth.ErrBadCredentials)
				clk.advance(auth.LockSteps[len(auth.LockSteps)-1] + time.Second)
			}
			try("right after the longest lock", stranger, password, nil)
		})
	})
}

// TestParallelGuesses: wrong guesses sent at once are each counted, and no
// more than MaxFailedLogins of them get a password check before the lock.
func TestParallelGuesses(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, _ := newStore(d)
		unthrottled(st)
		mustUser(t, d, "li")
		const n = 40
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := st.Authenticate(at("198.51.100.7"), "li", "wrong")
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			if !errors.Is(err, auth.ErrBadCredentials) {
				t.Errorf("err = %v, want bad credentials", err)
			}
		}
		var counted, checked int
		if err := d.QueryRowContext(context.Background(), `SELECT failed_since, failed_logins FROM users WHERE login = 'li'`).Scan(&counted, &checked); err != nil {
			t.Fatal(err)
		}
		if counted != n {
			t.Errorf("%d parallel wrong guesses counted %d", n, counted)
		}
		if checked != auth.MaxFailedLogins {
			t.Errorf("%d guesses got past the lock's count, want %d", checked, auth.MaxFailedLogins)
		}
		if _, err := st.Authenticate(at("198.51.100.7"), "li", password); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("right password after the guesses: err = %v, want the account locked", err)
		}
	})
}

// TestRefusalsLookAlike: unknown, wrong, locked and disabled all show the
// same error, and each spends a password check.
func TestRefusalsLookAlike(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, _ := newStore(d)
		unthrottled(st)
		mustUser(t, d, "li")
		disable(t, d, mustUser(t, d, "off"))
		mustUser(t, d, "shut")
		for i := 0; i < auth.MaxFailedLogins; i++ {
			st.Authenticate(at("198.51.100.7"), "shut", "wrong")
		}
		for _, tt := range []struct{ name, login, pw string }{
			{"unknown", "nobody", password},
			{"wrong password", "li", "wrong"},
			{"locked, right password", "shut", password},
			{"disabled, right password", "off", password},
		} {
			// What the person is shown is the one error; only the audit log
			// hears why (auth.Refused).
			_, err := st.Authenticate(at("198.51.100.7"), tt.login, tt.pw)
			if platform.AsError(err) != auth.ErrBadCredentials {
				t.Errorf("%s: err = %v, want exactly ErrBadCredentials", tt.name, err)
			}
		}
	})
}

// TestThrottle: an address trying too many logins is turned away before
// any check, while an account's owner from an address they signed in from
// before still gets in.
func TestThrottle(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		st.StrangerRate = auth.Rate{Burst: 3, Every: 10 * time.Second}
		st.KnownRate = auth.Rate{Burst: 2, Every: time.Minute}
		mustUser(t, d, "li")
		const shared = "192.0.2.10"
		if _, err := st.Authenticate(at(shared), "li", password); err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 2; i++ {
			if _, err := st.Authenticate(at(shared), "nobody", "wrong"); !errors.Is(err, auth.ErrBadCredentials) {
				t.Fatalf("attempt %d: %v", i, err)
			}
		}
		_, err := st.Authenticate(at(shared), "nobody", "wrong")
		var re *auth.RetryError
		if !errors.As(err, &re) || re.Busy || re.After <= 0 || re.After > 10*time.Second {
			t.Fatalf("over the burst: err = %v, want a RetryError with a wait", err)
		}
		if _, err := st.Authenticate(at(shared), "li", password); err != nil {
			t.Errorf("the owner from their own address during the flood: %v", err)
		}
		if _, err := st.Authenticate(at("192.0.2.11"), "nobody", "wrong"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("another address: %v, want its own bucket", err)
		}
		clk.advance(10 * time.Second)
		if _, err := st.Authenticate(at(shared), "nobody", "wrong"); !errors.Is(err, auth.ErrBadCredentials) {
			t.Errorf("after the wait: %v, want a check again", err)
		}
		for _, v6 := range []string{"2001:db8::1", "2001:db8::2", "2001:db8::3"} {
			st.Authenticate(at(v6), "nobody", "wrong")
		}
		if _, err := st.Authenticate(at("2001:db8::ffff"), "nobody", "wrong"); !errors.As(err, &re) {
			t.Errorf("an IPv6 /64 shares one bucket: err = %v", err)
		}
	})
}

// TestLastLogin: a sign-in reports the one before, its address, and the
// refusals between.
func TestLastLogin(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		unthrottled(st)
		id := mustUser(t, d, "li")
		if _, err := st.Authenticate(at("192.0.2.10"), "li", password); err != nil {
			t.Fatal(err)
		}
		first := clk.t
		if l, _ := st.PreviousLogin(context.Background(), id); l.At != nil || l.Failed != 0 {
			t.Errorf("first sign-in: previous %+v, want none", l)
		}
		clk.advance(time.Hour)
		for i := 0; i < 7; i++ {
			st.Authenticate(at("198.51.100.7"), "li", "wrong")
		}
		if _, err := st.Authenticate(at("192.0.2.10"), "li", password); err != nil {
			t.Fatal(err)
		}
		l, err := st.PreviousLogin(context.Background(), id)
		if err != nil {
			t.Fatal(err)
		}
		if l.At == nil || !l.At.Equal(first) || l.Addr != "192.0.2.10" || l.Failed != 7 {
			t.Errorf("previous = %+v at %v, want %v from 192.0.2.10 and 7 failures", l, l.At, first)
		}
	})
}

// TestBusy: with every hashing slot taken, a sign-in waits HashWait and is
// turned away as busy, without counting against the account; with the
// strangers' share taken, the owner from a known address still gets in.
func TestBusy(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, _ := newStore(d)
		st.HashWait = 50 * time.Millisecond
		mustUser(t, d, "li")
		const office, stranger = "192.0.2.10", "198.51.100.7"
		if _, err := st.Authenticate(at(office), "li", password); err != nil {
			t.Fatal(err)
		}
		release := auth.HoldSlots(t, false)
		for _, addr := range []string{office, stranger} {
			if _, err := st.Authenticate(at(addr), "li", password); !errors.Is(err, auth.ErrBusy) {
				t.Errorf("all slots taken, from %s: err = %v, want ErrBusy", addr, err)
			}
		}
		release()
		var counted int
		d.QueryRowContext(context.Background(), `SELECT failed_since FROM users WHERE login = 'li'`).Scan(&counted)
		if counted != 0 {
			t.Errorf("busy refusals counted %d failures", counted)
		}
		release = auth.HoldSlots(t, true)
		defer release()
		if _, err := st.Authenticate(at(stranger), "li", password); !errors.Is(err, auth.ErrBusy) {
			t.Errorf("strangers' slots taken, a stranger: err = %v, want ErrBusy", err)
		}
		if _, err := st.Authenticate(at(office), "li", password); err != nil {
			t.Errorf("strangers' slots taken, the owner from the office: %v", err)
		}
	})
}

func TestSessionExpiry(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		st.IdleTimeout = 2 * time.Hour
		st.MaxSessionAge = 4 * time.Hour
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

		t.Run("absolute lifetime", func(t *testing.T) {
			s, _ := st.NewSession(ctx, u)
			for i := 0; i < 4; i++ { // in use all along, never idle
				clk.advance(50 * time.Minute)
				check("in use", s.Token, nil)
			}
			clk.advance(time.Hour)
			check("past the maximum age though in use", s.Token, platform.ErrUnauthorized)
		})
		t.Run("default idle timeout", func(t *testing.T) {
			def, clk := newStore(d)
			s, _ := def.NewSession(ctx, u)
			clk.advance(auth.DefaultIdleTimeout - time.Minute)
			if _, err := def.SessionByToken(ctx, s.Token); err != nil {
				t.Fatalf("within the idle timeout: %v", err)
			}
			clk.advance(auth.DefaultIdleTimeout + time.Minute)
			if _, err := def.SessionByToken(ctx, s.Token); !errors.Is(err, platform.ErrUnauthorized) {
				t.Errorf("idle %v: err = %v, want unauthorized", auth.DefaultIdleTimeout, err)
			}
		})

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
		{auth.Statistician, auth.ReviewFigures, true},
		{auth.Admin, auth.ReviewFigures, true},
		{auth.Leader, auth.ReviewFigures, false},
		{auth.Reporter, auth.ReviewFigures, false},
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

// TestTokenLifecycle: a token has a name and an expiry (90 days unless
// given), is listed without its secret, and stops working once revoked or
// expired; tokens from before expiries end 90 days after they were made.
func TestTokenLifecycle(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		ctx := context.Background()
		id := mustUser(t, d, "li")
		other := mustUser(t, d, "wang")
		month, tm, err := st.NewToken(ctx, id, "report script", 30*24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if !tm.Expires.Equal(clk.t.Add(30 * 24 * time.Hour)) {
			t.Errorf("expires %v, want in 30 days", tm.Expires)
		}
		plain, err := st.CreateToken(ctx, id, "cli")
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := st.NewToken(ctx, id, "  ", 0); platform.AsError(err).Field != "name" {
			t.Errorf("blank name: err = %v, want an error on name", err)
		}
		list, err := st.Tokens(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != 2 || list[1].Name != "report script" || list[0].Name != "cli" || !list[0].Expires.Equal(clk.t.Add(auth.DefaultTokenTTL)) {
			t.Fatalf("tokens = %+v, want cli (90 days) and report script", list)
		}

		clk.advance(30*24*time.Hour + time.Second)
		if _, err := st.UserByToken(ctx, month); !errors.Is(err, platform.ErrUnauthorized) {
			t.Errorf("after 30 days: err = %v, want unauthorized", err)
		}
		if _, err := st.UserByToken(ctx, plain); err != nil {
			t.Errorf("the 90-day token after 30 days: %v", err)
		}
		if err := st.RevokeToken(ctx, other, list[0].ID); !errors.Is(err, platform.ErrNotFound) {
			t.Errorf("revoking another's token: err = %v, want not found", err)
		}
		if err := st.RevokeToken(ctx, id, list[0].ID); err != nil {
			t.Fatal(err)
		}
		if _, err := st.UserByToken(ctx, plain); !errors.Is(err, platform.ErrUnauthorized) {
			t.Errorf("revoked: err = %v, want unauthorized", err)
		}
		if n, err := st.RevokeTokensNamed(ctx, id, "report script"); err != nil || n != 1 {
			t.Errorf("revoke by name: %d, %v; want 1", n, err)
		}
		if list, _ := st.Tokens(ctx, id); len(list) != 0 {
			t.Errorf("after revoking both: %+v", list)
		}

		old, _ := st.CreateToken(ctx, id, "old")
		if _, err := d.ExecContext(ctx, `UPDATE api_tokens SET expires_at = NULL`); err != nil {
			t.Fatal(err)
		}
		clk.advance(auth.DefaultTokenTTL - time.Minute)
		if _, err := st.UserByToken(ctx, old); err != nil {
			t.Errorf("a token without an expiry, within 90 days: %v", err)
		}
		clk.advance(2 * time.Minute)
		if _, err := st.UserByToken(ctx, old); !errors.Is(err, platform.ErrUnauthorized) {
			t.Errorf("a token without an expiry, after 90 days: err = %v, want unauthorized", err)
		}
	})
}

// TestPasswordExpiry: a password older than PasswordMaxAge makes its owner
// change it; a negative age turns expiry off, and seeded accounts (no
// change date) never expire.
func TestPasswordExpiry(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		st, clk := newStore(d)
		ctx := context.Background()
		id := mustUser(t, d, "li")
		u, _ := st.UserByID(ctx, id)
		if u.MustChange {
			t.Fatal("a seeded account must change its password")
		}
		if _, err := d.ExecContext(ctx, `UPDATE users SET password_changed_at = $1`, clk.t.UTC()); err != nil {
			t.Fatal(err)
		}
		clk.advance(auth.DefaultPasswordMaxAge - time.Hour)
		if u, _ := st.UserByID(ctx, id); u.MustChange {
			t.Error("must change before the password's age")
		}
		clk.advance(2 * time.Hour)
		if u, _ := st.UserByID(ctx, id); !u.MustChange || !u.PasswordExpired {
			t.Error("an expired password does not have to change")
		}
		st.PasswordMaxAge = -1
		if u, _ := st.UserByID(ctx, id); u.MustChange {
			t.Error("expiry turned off, still must change")
		}
	})
}
