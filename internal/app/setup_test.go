package app

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/setup"
)

// visitor is a browser without redirects followed, so the tests see each 303.
type visitor struct {
	t    *testing.T
	base string
	c    *http.Client
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-z]+)"`)

func newVisitor(t *testing.T, base string) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (v *visitor) do(method, path string, form url.Values) (status int, location, body string) {
	v.t.Helper()
	var req *http.Request
	if form == nil {
		req, _ = http.NewRequest(method, v.base+path, nil)
	} else {
		req, _ = http.NewRequest(method, v.base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := v.c.Do(req)
	if err != nil {
		v.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(b)
}

func (v *visitor) get(path string) (int, string, string) { v.t.Helper(); return v.do("GET", path, nil) }

// post submits form with the CSRF token of the page at from.
func (v *visitor) post(from, path string, form url.Values) (int, string, string) {
	v.t.Helper()
	_, _, page := v.get(from)
	m := csrfField.FindStringSubmatch(page)
	if m == nil {
		v.t.Fatalf("GET %s has no CSRF field:\n%s", from, page)
	}
	form.Set("csrf", m[1])
	return v.do("POST", path, form)
}

// setupApp serves a fresh app whose setup code is code.
func setupApp(t *testing.T, d *db.DB, code string) (*App, *httptest.Server) {
	t.Helper()
	a, err := New(Config{Log: slog.New(slog.DiscardHandler), SetupCode: code}, d)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler)
	t.Cleanup(srv.Close)
	return a, srv
}

func rowCounts(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, tb := range []string{"units", "users", "indicators", "audit_log"} {
		var n int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+tb).Scan(&n); err != nil {
			t.Fatal(err)
		}
		m[tb] = n
	}
	return m
}

func setupForm(code string) url.Values {
	return url.Values{
		"code":      {code},
		"district":  {"新城区"},
		"townships": {"城关镇\r\n临河镇\r\n"},
		"login":     {"chief"},
		"password":  {"A-long-password"},
		"password2": {"A-long-password"},
	}
}

// TestSetupPage follows a first install in the browser: / leads to the
// first-run page; without the code, with a wrong one, or with passwords
// that differ it changes nothing; with the code it installs and signs the
// administrator in; after that the page answers 404, here and on a second
// instance of the same database.
func TestSetupPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		code := setup.NewCode()
		_, srv := setupApp(t, d, code)
		v := newVisitor(t, srv.URL)

		if status, loc, _ := v.get("/"); status != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Fatalf("GET / = %d → %s, want a redirect to /login", status, loc)
		}
		if status, loc, _ := v.get("/login?next=%2F"); status != http.StatusSeeOther || loc != "/setup" {
			t.Fatalf("GET /login = %d → %s, want a redirect to /setup while no administrator exists", status, loc)
		}
		status, _, page := v.get("/setup")
		if status != http.StatusOK || !strings.Contains(page, `name="code"`) || !strings.Contains(page, "首次安装") {
			t.Fatalf("GET /setup = %d:\n%s", status, page)
		}

		before := rowCounts(t, d)
		refused := []struct {
			name   string
			form   url.Values
			status int
			field  string
		}{
			{"without the code", setupForm(""), http.StatusForbidden, "error-code"},
			{"with a wrong code", setupForm("AAAA-AAAA-AAAA"), http.StatusForbidden, "error-code"},
			{"with passwords that differ", func() url.Values { f := setupForm(code); f.Set("password2", "another-password"); return f }(), http.StatusUnprocessableEntity, "error-password2"},
			{"with a short password", func() url.Values {
				f := setupForm(code)
				f.Set("password", "short")
				f.Set("password2", "short")
				return f
			}(), http.StatusUnprocessableEntity, "error-password"},
		}
		for _, tt := range refused {
			status, _, body := v.post("/setup", "/setup", tt.form)
			if status != tt.status || !strings.Contains(body, `data-testid="`+tt.field+`"`) {
				t.Errorf("POST /setup %s = %d, want %d with %s:\n%s", tt.name, status, tt.status, tt.field, body)
			}
			if strings.Contains(body, "A-long-password") {
				t.Errorf("POST /setup %s sent the password back", tt.name)
			}
			if tt.field == "error-code" {
				if now := rowCounts(t, d); !maps.Equal(now, before) {
					t.Errorf("POST /setup %s changed the database: %v, then %v", tt.name, before, now)
				}
			}
		}

		// The code as a person may type it: lower case, spaces for dashes.
		typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
		status, loc, body := v.post("/setup", "/setup", setupForm(typed))
		if status != http.StatusSeeOther || loc != "/units" {
			t.Fatalf("POST /setup with the code = %d → %q, want 303 → /units:\n%s", status, loc, body)
		}
		status, _, body = v.get("/units")
		if status != http.StatusOK || !strings.Contains(body, "新城区") || !strings.Contains(body, "临河镇") || !strings.Contains(body, "安装完成") {
			t.Errorf("GET /units as the new administrator = %d, want the tree and the flash:\n%s", status, body)
		}
		if !strings.Contains(body, `data-testid="who"`) || !strings.Contains(body, "chief") {
			t.Error("the new administrator is not signed in")
		}

		// Gone for good: for this visitor, a stranger, and another instance.
		for _, who := range []*visitor{v, newVisitor(t, srv.URL)} {
			if status, _, _ := who.get("/setup"); status != http.StatusNotFound {
				t.Errorf("GET /setup after the install = %d, want 404", status)
			}
		}
		_, other := setupApp(t, d, code)
		stranger := newVisitor(t, other.URL)
		if status, _, _ := stranger.get("/setup"); status != http.StatusNotFound {
			t.Errorf("GET /setup on another instance = %d, want 404", status)
		}
		if status, _, _ := stranger.post("/login", "/setup", setupForm(code)); status != http.StatusNotFound {
			t.Errorf("POST /setup with the code after the install = %d, want 404", status)
		}
		if status, _, page := stranger.get("/login"); status != http.StatusOK || !strings.Contains(page, `action="/login"`) {
			t.Errorf("GET /login after the install = %d, want the sign-in page", status)
		}
	}, Schema()...)
}

// TestSetupCodeTries shows that ten wrong codes shut the page until
// restart, even to the right code, and that an app started without a code
// opens it to none.
func TestSetupCodeTries(t *testing.T) {
	d := dbtest.SQLite(t, Schema()...)
	code := setup.NewCode()
	_, srv := setupApp(t, d, code)
	v := newVisitor(t, srv.URL)
	for i := 1; i < maxCodeTries; i++ {
		status, _, body := v.post("/setup", "/setup", setupForm("WRONG"))
		if status != http.StatusForbidden || !strings.Contains(body, `data-testid="error-code"`) {
			t.Fatalf("wrong code %d: %d", i, status)
		}
	}
	if status, _, _ := v.post("/setup", "/setup", setupForm("WRONG")); status != http.StatusForbidden {
		t.Fatalf("wrong code %d: %d, want 403", maxCodeTries, status)
	}
	if status, _, body := v.get("/setup"); status != http.StatusForbidden || !strings.Contains(body, "重启") {
		t.Errorf("GET /setup after %d wrong codes = %d, want 403 saying to restart", maxCodeTries, status)
	}
	if !mustNeeded(t, d) {
		t.Error("wrong codes installed something")
	}

	_, none := setupApp(t, d, "")
	w := newVisitor(t, none.URL)
	if status, _, _ := w.post("/setup", "/setup", setupForm("")); status != http.StatusForbidden {
		t.Errorf("POST /setup to an app without a code = %d, want 403", status)
	}
	if !mustNeeded(t, d) {
		t.Error("an app without a code installed something")
	}
}

func mustNeeded(t *testing.T, d *db.DB) bool {
	t.Helper()
	n, err := setup.Needed(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
