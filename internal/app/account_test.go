package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/setup"
)

const chiefPassword = "A-long-password"

// signedInApp serves an installed app (administrator chief) with cfg.
func signedInApp(t *testing.T, cfg Config) (*App, *httptest.Server, *db.DB) {
	t.Helper()
	d := dbtest.SQLite(t, Schema()...)
	if _, err := setup.Install(context.Background(), d, setup.Input{District: "新城区", Townships: []string{"城关镇"}, Login: "chief", Password: chiefPassword}); err != nil {
		t.Fatal(err)
	}
	cfg.Log = slog.New(slog.DiscardHandler)
	a, err := New(cfg, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return a, srv, d
}

// mustCreate adds an account as an administrator would (its owner must
// change the password at first sign-in).
func mustCreate(t *testing.T, a *App, login, password string) int64 {
	t.Helper()
	ctx := auth.WithUser(context.Background(), auth.System())
	units, err := a.Org.Units(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Org.CreateAccount(ctx, org.AccountInput{Login: login, Password: password, Role: auth.Viewer, UnitID: units[0].ID})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func (v *visitor) signIn(login, password string) (int, string, string) {
	v.t.Helper()
	return v.post("/login", "/login", url.Values{"login": {login}, "password": {password}})
}

func (v *visitor) cookie(name string) string {
	u, _ := url.Parse(v.base)
	for _, c := range v.c.Jar.Cookies(u) {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func TestSafeNext(t *testing.T) {
	for _, tt := range []struct{ next, want string }{
		{"/units", "/units"},
		{"/targets?light=red&page=2", "/targets?light=red&page=2"},
		{"/units/7#people", "/units/7#people"},
		{"/", "/"},
		{"", "/"},
		{"units", "/"},
		{"//evil.example/", "/"},
		{"///evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"\\\\evil.example/", "/"},
		{"/units\\..\\evil", "/"},
		{"/%5Cevil.example/", "/"}, // a browser would keep it a path, but it decodes to one with a backslash
		{"/%2F%2Fevil.example/", "/"},
		{"/%2Fevil.example/", "/"},
		{"/%5C%5Cevil.example", "/"},
		{"/\t/evil.example/", "/"},
		{"/\n/evil.example/", "/"},
		{"/%09/evil.example/", "/"},
		{"/\x00", "/"},
		{"/\x7f", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/javascript:alert(1)", "/javascript:alert(1)"},
		{"data:text/html,x", "/"},
		{" /units", "/"},
		{"/" + strings.Repeat("a", 3000), "/"},
	} {
		if got := safeNext(tt.next); got != tt.want {
			t.Errorf("safeNext(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
}

// TestSignInRedirectDecoded: the issue's own example, through the page:
// GET /login?next=/%5Cevil.example/ decodes to "/\evil.example/", which
// must not come back as the redirect.
func TestSignInRedirectDecoded(t *testing.T) {
	_, srv, _ := signedInApp(t, Config{})
	v := newVisitor(t, srv.URL)
	status, loc, _ := v.post("/login?next=/%5Cevil.example/", "/login", url.Values{"login": {"chief"}, "password": {chiefPassword}, "next": {"/\\evil.example/"}})
	if status != http.StatusSeeOther || loc != "/" {
		t.Errorf("sign in with next=/\\evil.example/: %d to %q, want 303 to /", status, loc)
	}
	status, loc, _ = v.get("/login?next=/%5Cevil.example/")
	if status != http.StatusSeeOther || loc != "/" {
		t.Errorf("signed in, GET /login?next=/%%5Cevil.example/: %d to %q, want 303 to /", status, loc)
	}
}

// TestSignInRefusalsLookAlike: an unknown login, a wrong password, a
// disabled account and a locked one with the right password all get the
// same status and the same words.
func TestSignInRefusalsLookAlike(t *testing.T) {
	a, srv, _ := signedInApp(t, Config{})
	a.Auth.StrangerRate = auth.Rate{Burst: 1000, Every: time.Millisecond}
	off := mustCreate(t, a, "off", "Viewer-pass-1")
	ctx := auth.WithUser(context.Background(), auth.System())
	acc, _ := a.Org.Account(ctx, off)
	if err := a.Org.UpdateAccount(ctx, off, org.AccountInput{Role: acc.Role, UnitID: acc.UnitID, Disabled: true}); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, a, "shut", "Viewer-pass-1")
	v := newVisitor(t, srv.URL)
	for i := 0; i < auth.MaxFailedLogins; i++ {
		v.signIn("shut", "wrong")
	}
	var first string
	for _, tt := range []struct{ name, login, pw string }{
		{"unknown", "nobody", "Viewer-pass-1"},
		{"wrong password", "chief", "wrong"},
		{"disabled, right password", "off", "Viewer-pass-1"},
		{"locked, right password", "shut", "Viewer-pass-1"},
	} {
		status, _, body := v.signIn(tt.login, tt.pw)
		m := loginError.FindStringSubmatch(body)
		if status != http.StatusUnauthorized || m == nil {
			t.Errorf("%s: status %d, error %v; want 401 with the error", tt.name, status, m)
			continue
		}
		if first == "" {
			first = m[1]
		}
		if m[1] != first {
			t.Errorf("%s says %q, the unknown login %q", tt.name, m[1], first)
		}
		for _, tell := range []string{"停用", "锁定", "disabled", "locked"} {
			if strings.Contains(body, tell) {
				t.Errorf("%s: the page says %q", tt.name, tell)
			}
		}
	}
}

// TestSignInThrottled: past its burst an address is answered 429 with
// Retry-After and a message, before any password is checked.
func TestSignInThrottled(t *testing.T) {
	a, srv, _ := signedInApp(t, Config{})
	a.Auth.StrangerRate = auth.Rate{Burst: 2, Every: time.Hour}
	v := newVisitor(t, srv.URL)
	for i := 0; i < 2; i++ {
		if status, _, _ := v.signIn("nobody", "wrong"); status != http.StatusUnauthorized {
			t.Fatalf("attempt %d: %d", i, status)
		}
	}
	_, _, page := v.get("/login")
	form := url.Values{"login": {"nobody"}, "password": {"wrong"}, "csrf": {csrfField.FindStringSubmatch(page)[1]}}
	req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := v.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("over the burst: %d, Retry-After %q; want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if retryStatus(auth.ErrBusy) != http.StatusServiceUnavailable {
		t.Error("busy is not answered 503")
	}
}

// TestNewSignInDropsOldSession: signing in as another account in a browser
// that held a session ends that session.
func TestNewSignInDropsOldSession(t *testing.T) {
	a, srv, _ := signedInApp(t, Config{})
	v := newVisitor(t, srv.URL)
	if status, _, _ := v.signIn("chief", chiefPassword); status != http.StatusSeeOther {
		t.Fatal("chief cannot sign in")
	}
	old := v.cookie("guatu_session")
	mustCreate(t, a, "second", "Viewer-pass-1")
	// A sign-in form left open in another tab, sent while signed in.
	if status, _, _ := v.post("/account", "/login", url.Values{"login": {"second"}, "password": {"Viewer-pass-1"}}); status != http.StatusSeeOther {
		t.Fatal("second cannot sign in")
	}
	if v.cookie("guatu_session") == old {
		t.Fatal("the session cookie did not change")
	}
	if _, err := a.Auth.SessionByToken(context.Background(), old); err == nil {
		t.Error("chief's session is still valid after another sign-in in the same browser")
	}
}

// TestMustChangePassword: an account an administrator created is sent to
// its account page and can do nothing else until it has chosen its own
// password, which must pass the policy.
func TestMustChangePassword(t *testing.T) {
	a, srv, _ := signedInApp(t, Config{})
	mustCreate(t, a, "wangfang", "Given-by-admin-1")
	v := newVisitor(t, srv.URL)
	if status, loc, _ := v.signIn("wangfang", "Given-by-admin-1"); status != http.StatusSeeOther || loc != "/account" {
		t.Fatalf("first sign-in: %d to %q, want 303 to /account", status, loc)
	}
	for _, path := range []string{"/", "/units", "/audit"} {
		if status, loc, _ := v.get(path); status != http.StatusSeeOther || loc != "/account" {
			t.Errorf("GET %s before the change: %d to %q, want 303 to /account", path, status, loc)
		}
	}
	if status, _, _ := v.get("/api/v1/me"); status != http.StatusForbidden {
		t.Errorf("GET /api/v1/me before the change: %d, want 403", status)
	}
	status, _, page := v.get("/account")
	if status != http.StatusOK || !strings.Contains(page, `data-testid="must-change"`) || strings.Contains(page, `data-testid="tokens"`) {
		t.Errorf("account page before the change: %d, want the notice and no tokens", status)
	}
	if status, _, body := v.post("/account", "/account/password", url.Values{"old_password": {"Given-by-admin-1"}, "password": {"12345678"}, "password2": {"12345678"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "太常见") {
		t.Errorf("a common password: %d, want 422 saying it is too common", status)
	}
	if status, _, body := v.post("/account", "/account/password", url.Values{"old_password": {"wrong"}, "password": {"My-own-choice-5"}, "password2": {"My-own-choice-5"}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "原密码不正确") {
		t.Errorf("a wrong old password: %d, want 422 on it", status)
	}
	if status, loc, _ := v.post("/account", "/account/password", url.Values{"old_password": {"Given-by-admin-1"}, "password": {"My-own-choice-5"}, "password2": {"My-own-choice-5"}}); status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("the change: %d to %q, want 303 to /", status, loc)
	}
	if status, _, _ := v.get("/api/v1/me"); status != http.StatusOK {
		t.Errorf("GET /api/v1/me after the change: %d, want 200", status)
	}
	if status, _, _ := v.get("/"); status == http.StatusSeeOther {
		t.Error("still sent to /account after the change")
	}
}

// TestAccountPage: the page shows the sign-in before and the failures
// since (and the first page after sign-in says so), lists the person's
// tokens without their secrets and revokes one; a change of password ends
// the other sessions and the tokens but keeps this one.
func TestAccountPage(t *testing.T) {
	a, srv, _ := signedInApp(t, Config{})
	v := newVisitor(t, srv.URL)
	v.signIn("chief", chiefPassword)
	other := newVisitor(t, srv.URL)
	other.signIn("chief", "wrong")
	other.signIn("chief", "wrong")
	if status, loc, _ := other.signIn("chief", chiefPassword); status != http.StatusSeeOther || loc != "/" {
		t.Fatalf("second sign-in: %d to %q", status, loc)
	}
	if !strings.Contains(other.cookie("guatu_flash"), "failed_since") {
		t.Errorf("no notice of the failures after sign-in (flash %q)", other.cookie("guatu_flash"))
	}
	// The first page says it, with the figures.
	_, _, first := other.get("/")
	if !strings.Contains(first, "上次登录：") || !strings.Contains(first, "127.0.0.1") || !strings.Contains(first, "此后有 2 次密码输入错误") {
		t.Errorf("the first page after sign-in does not show the last sign-in and 2 failures:\n%s", first)
	}
	_, _, page := other.get("/account")
	if !strings.Contains(page, "127.0.0.1") || !strings.Contains(page, "此后有2次登录失败") {
		t.Errorf("account page does not show the last sign-in and 2 failures:\n%s", page)
	}

	u, _ := a.Auth.UserByLogin(context.Background(), "chief")
	secret, tok, err := a.Auth.NewToken(context.Background(), u.ID, "报表脚本", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, _, page = v.get("/account")
	if !strings.Contains(page, "报表脚本") || strings.Contains(page, secret) {
		t.Error("the token is not listed by name, or its secret is shown")
	}
	revoke := "/account/tokens/" + itoa(tok.ID) + "/revoke"
	if status, loc, _ := v.post("/account", revoke, url.Values{}); status != http.StatusSeeOther || loc != "/account" {
		t.Errorf("revoke: %d to %q", status, loc)
	}
	if _, err := a.Auth.UserByToken(context.Background(), secret); err == nil {
		t.Error("a revoked token still works")
	}
	if status, _, _ := v.post("/account", revoke, url.Values{}); status != http.StatusNotFound {
		t.Errorf("revoke again: %d, want 404", status)
	}

	secret, _, _ = a.Auth.NewToken(context.Background(), u.ID, "another", 0)
	if status, _, _ := v.post("/account", "/account/password", url.Values{"old_password": {chiefPassword}, "password": {"Brand-new-pass-3"}, "password2": {"Brand-new-pass-3"}}); status != http.StatusSeeOther {
		t.Fatalf("change: %d", status)
	}
	if status, _, _ := v.get("/account"); status != http.StatusOK {
		t.Errorf("this session after the change: %d, want 200", status)
	}
	if status, _, _ := other.get("/account"); status != http.StatusSeeOther {
		t.Errorf("the other session after the change: %d, want a redirect to sign in", status)
	}
	if _, err := a.Auth.UserByToken(context.Background(), secret); err == nil {
		t.Error("a token survived the password change")
	}
}

// TestSecureHeaders: with SecureCookies every cookie is Secure and answers
// carry HSTS; pages and JSON are never cached, hashed static files are.
func TestSecureHeaders(t *testing.T) {
	a, srv, _ := signedInApp(t, Config{SecureCookies: true})
	v := newVisitor(t, srv.URL)
	check := func(what string, resp *http.Response) {
		t.Helper()
		if resp.Header.Get("Strict-Transport-Security") == "" {
			t.Errorf("%s: no HSTS", what)
		}
		for _, c := range resp.Header.Values("Set-Cookie") {
			if !strings.Contains(c, "; Secure") {
				t.Errorf("%s: cookie without Secure: %s", what, c)
			}
		}
	}
	do := func(method, path string, form url.Values) *http.Response {
		t.Helper()
		var req *http.Request
		if form == nil {
			req, _ = http.NewRequest(method, srv.URL+path, nil)
		} else {
			req, _ = http.NewRequest(method, srv.URL+path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		resp, err := v.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	// The jar keeps Secure cookies off plain http: carry the CSRF by hand.
	resp := do("GET", "/login", nil)
	check("GET /login", resp)
	if got := resp.Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("GET /login: Cache-Control %q, want no-store", got)
	}
	var csrf string
	for _, c := range resp.Cookies() {
		if c.Name == "guatu_csrf" {
			csrf = c.Value
		}
	}
	post := func(path string, form url.Values) *http.Response {
		form.Set("csrf", csrf)
		req, _ := http.NewRequest("POST", srv.URL+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.AddCookie(&http.Cookie{Name: "guatu_csrf", Value: csrf})
		resp, err := v.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	resp = post("/lang", url.Values{"lang": {"en"}})
	check("POST /lang", resp)
	if len(resp.Header.Values("Set-Cookie")) == 0 {
		t.Error("POST /lang set no cookie")
	}
	resp = post("/login", url.Values{"login": {"chief"}, "password": {chiefPassword}})
	check("POST /login", resp)
	resp = post("/logout", url.Values{})
	check("POST /logout (the flash)", resp)
	if got := do("GET", "/api/v1/openapi.json", nil).Header.Get("Cache-Control"); got != "no-store" {
		t.Errorf("JSON: Cache-Control %q, want no-store", got)
	}
	if got := do("GET", a.Pages.Assets().URL("app.css"), nil).Header.Get("Cache-Control"); !strings.Contains(got, "immutable") {
		t.Errorf("a hashed static file: Cache-Control %q, want the long cache", got)
	}

	_, srvPlain, _ := signedInApp(t, Config{})
	resp, err := http.Get(srvPlain.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS over plain http without --secure-cookies")
	}
}

var loginError = regexp.MustCompile(`data-testid="login-error">([^<]*)<`)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// TestDemoAccountsKeepTheirPassword: the demo's accounts sign in with the
// documented password and are not sent to change it.
func TestDemoAccountsKeepTheirPassword(t *testing.T) {
	d := dbtest.SQLite(t, Schema()...)
	if _, err := demo.Load(context.Background(), d, time.Now()); err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Log: slog.New(slog.DiscardHandler)}, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	v := newVisitor(t, srv.URL)
	if status, loc, _ := v.signIn("admin", demo.Password); status != http.StatusSeeOther || loc != "/" {
		t.Errorf("demo admin: %d to %q, want 303 to /", status, loc)
	}
}

// TestTrustedProxy: behind a trusted proxy the client's address is the one
// it forwarded for (so the throttle and lock-out see people, not the
// proxy); from anyone else X-Forwarded-For is ignored.
func TestTrustedProxy(t *testing.T) {
	for _, tt := range []struct {
		name    string
		trusted []netip.Prefix
		xff     string
		want    string
	}{
		{"no proxy trusted", nil, "192.0.2.5", "127.0.0.1"},
		{"the proxy trusted", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "198.51.100.9, 192.0.2.5", "192.0.2.5"},
		{"a chain of trusted proxies", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("10.0.0.0/8")}, "192.0.2.5, 10.1.2.3", "192.0.2.5"},
		{"garbage forwarded", []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8")}, "not-an-address", "127.0.0.1"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, srv, d := signedInApp(t, Config{TrustedProxies: tt.trusted})
			v := newVisitor(t, srv.URL)
			_, _, page := v.get("/login")
			form := url.Values{"login": {"nobody"}, "password": {"wrong"}, "csrf": {csrfField.FindStringSubmatch(page)[1]}}
			req, _ := http.NewRequest("POST", srv.URL+"/login", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", tt.xff)
			resp, err := v.c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var addr, after string
			if err := d.QueryRowContext(context.Background(), `SELECT remote_addr, after_json FROM audit_log WHERE action = 'login_failed'`).Scan(&addr, &after); err != nil {
				t.Fatal(err)
			}
			if addr != tt.want {
				t.Errorf("the failed sign-in is recorded from %q, want %q", addr, tt.want)
			}
			// The page said 账号或密码错误; the log says why.
			if !strings.Contains(after, `"unknown_login"`) {
				t.Errorf("the failed sign-in is recorded as %s, want the reason unknown_login", after)
			}
		})
	}
}
