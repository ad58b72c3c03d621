package org_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
)

// asSystem is a context acting as the command line: an admin over the whole tree.
func asSystem() context.Context {
	return auth.WithUser(context.Background(), auth.System())
}

// MustAs returns a context acting as the account with the given login.
func MustAs(tb testing.TB, d *db.DB, login string) context.Context {
	tb.Helper()
	u, err := (&auth.Store{DB: d}).UserByLogin(context.Background(), login)
	if err != nil {
		tb.Fatalf("user %s: %v", login, err)
	}
	return auth.WithUser(auth.WithRemoteAddr(context.Background(), "192.0.2.1"), u)
}

// MustLoadDemo loads the demo district.
func MustLoadDemo(tb testing.TB, d *db.DB) demo.Result {
	tb.Helper()
	res, err := demo.Load(context.Background(), d, time.Now())
	if err != nil {
		tb.Fatalf("demo: %v", err)
	}
	return res
}

// MustUnitID finds a unit by its parent's name and its own.
func MustUnitID(tb testing.TB, d *db.DB, parent, name string) int64 {
	tb.Helper()
	var id int64
	err := d.QueryRowContext(context.Background(), `SELECT u.id FROM units u JOIN units p ON p.id = u.parent_id WHERE p.name = $1 AND u.name = $2`, parent, name).Scan(&id)
	if err != nil {
		tb.Fatalf("unit %s/%s: %v", parent, name, err)
	}
	return id
}

// MustPersonID finds a person by name.
func MustPersonID(tb testing.TB, d *db.DB, name string) int64 {
	tb.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = $1`, name).Scan(&id); err != nil {
		tb.Fatalf("person %s: %v", name, err)
	}
	return id
}

// auditCount counts audit rows; empty arguments match anything.
func auditCount(tb testing.TB, d *db.DB, action, entity, entityID string) int {
	tb.Helper()
	var n int
	err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log
		WHERE ($1 = '' OR action = $1) AND ($2 = '' OR entity = $2) AND ($3 = '' OR entity_id = $3)`, action, entity, entityID).Scan(&n)
	if err != nil {
		tb.Fatalf("audit count: %v", err)
	}
	return n
}

// wantCode fails unless err carries the code (and, when key is set, the
// i18n key and field).
func wantCode(tb testing.TB, err error, code platform.Code, key, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want %s %s", code, key)
	}
	var pe *platform.Error
	if !errors.As(err, &pe) {
		tb.Fatalf("err = %v, want a *platform.Error", err)
	}
	if pe.Code != code {
		tb.Fatalf("code = %s (%v), want %s", pe.Code, err, code)
	}
	if key != "" && pe.Key != key {
		tb.Fatalf("key = %s, want %s", pe.Key, key)
	}
	if field != "" && pe.Field != field {
		tb.Fatalf("field = %q, want %q", pe.Field, field)
	}
}

// fieldErrors lists "field:key" for every error an Invalid error carries.
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	var es platform.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if _, ok := out[e.Field]; !ok {
				out[e.Field] = e.Key
			}
		}
		return out
	}
	var pe *platform.Error
	if errors.As(err, &pe) {
		out[pe.Field] = pe.Key
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// mustList reads a list request for spec from a query string, as a page
// would, for handing a store its db.Pager.
func mustList(tb testing.TB, spec *web.ListSpec, query string) *web.List {
	tb.Helper()
	l, err := spec.Parse(httptest.NewRequest(http.MethodGet, "/list?"+query, nil))
	if err != nil {
		tb.Fatalf("list %q: %v", query, err)
	}
	return l
}

// onePerPage is a list of one row a page, for paging through small trees.
var onePerPage = &web.ListSpec{PerPage: 1}

// MustServer serves the whole app on d.
func MustServer(tb testing.TB, d *db.DB) *httptest.Server {
	tb.Helper()
	a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, d)
	if err != nil {
		tb.Fatalf("app: %v", err)
	}
	srv := httptest.NewServer(a.Handler)
	tb.Cleanup(srv.Close)
	return srv
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// browser is a signed-in browser: cookies, the session's CSRF token, no
// redirects followed so tests see the 303s.
type browser struct {
	tb   testing.TB
	base string
	c    *http.Client
	csrf string
}

// SignIn signs in through the login form as a person would: GET /login for
// the pre-session CSRF cookie and field, POST it with the demo password, then
// read the session's own token from the next page.
func SignIn(tb testing.TB, base, login string) *browser {
	tb.Helper()
	jar, _ := cookiejar.New(nil)
	b := &browser{tb: tb, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	status, body := b.Get("/login")
	m := csrfInput.FindStringSubmatch(body)
	if status != http.StatusOK || m == nil {
		tb.Fatalf("GET /login = %d, csrf field %v", status, m)
	}
	u, _ := url.Parse(base)
	for _, c := range jar.Cookies(u) {
		if c.Name == "guatu_csrf" {
			b.csrf = c.Value
		}
	}
	if b.csrf == "" || b.csrf != m[1] {
		tb.Fatalf("csrf cookie %q, field %q: want equal and set", b.csrf, m[1])
	}
	if status, body := b.Post("/login", url.Values{"login": {login}, "password": {demo.Password}}); status != http.StatusSeeOther {
		tb.Fatalf("POST /login as %s = %d\n%s", login, status, body)
	}
	status, body = b.Get("/")
	if m = csrfInput.FindStringSubmatch(body); status != http.StatusOK || m == nil {
		tb.Fatalf("GET / after sign-in = %d", status)
	}
	b.csrf = m[1]
	return b
}

func (b *browser) do(req *http.Request) (int, string) {
	b.tb.Helper()
	resp, err := b.c.Do(req)
	if err != nil {
		b.tb.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// Get fetches path and returns the status and body.
func (b *browser) Get(path string) (int, string) {
	b.tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.base+path, nil)
	return b.do(req)
}

// Post submits a form with the CSRF token.
func (b *browser) Post(path string, form url.Values) (int, string) {
	b.tb.Helper()
	if form == nil {
		form = url.Values{}
	}
	form.Set("csrf", b.csrf)
	req, _ := http.NewRequest(http.MethodPost, b.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

// apiGet fetches path with a bearer token.
func apiGet(tb testing.TB, base, token, path string) (int, []byte) {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, body
}

// MustToken issues an API token for login.
func MustToken(tb testing.TB, d *db.DB, login string) string {
	tb.Helper()
	as := &auth.Store{DB: d}
	u, err := as.UserByLogin(context.Background(), login)
	if err != nil {
		tb.Fatal(err)
	}
	tok, err := as.CreateToken(context.Background(), u.ID, "test")
	if err != nil {
		tb.Fatal(err)
	}
	return tok
}

func count(tb testing.TB, d *db.DB, table string) int {
	tb.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		tb.Fatal(err)
	}
	return n
}
