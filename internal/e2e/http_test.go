package e2e

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// These tests need no browser: plain HTTP against the real server. They
// never skip.

// newClient is a cookie-keeping client that does not follow redirects, so a
// test sees each 303 and where it leads.
func newClient(t *testing.T) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// getPage fetches a page and returns its status and body.
func getPage(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// csrfOf returns the CSRF token of the first form on a page.
func csrfOf(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	_, body := getPage(t, c, u)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no csrf field on %s", u)
	}
	return m[1]
}

func post(t *testing.T, c *http.Client, u string, form url.Values) *http.Response {
	t.Helper()
	resp, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

// httpLogin signs c in as user and fails the test unless it works.
func httpLogin(t *testing.T, c *http.Client, base, user string) {
	t.Helper()
	tok := csrfOf(t, c, base+"/login")
	resp := post(t, c, base+"/login", url.Values{"csrf": {tok}, "login": {user}, "password": {demo.Password}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in as %s: status %d, want 303", user, resp.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startServer(t, engine)

		t.Run("sign-in form", func(t *testing.T) {
			c := newClient(t)
			tok := csrfOf(t, c, base+"/login")
			for _, tt := range []struct {
				name string
				csrf string
				want int
			}{
				{"no token", "", http.StatusForbidden},
				{"wrong token", strings.Repeat("0", len(tok)), http.StatusForbidden},
				{"page's token", tok, http.StatusSeeOther},
			} {
				form := url.Values{"login": {"admin"}, "password": {demo.Password}}
				if tt.csrf != "" {
					form.Set("csrf", tt.csrf)
				}
				if got := post(t, c, base+"/login", form).StatusCode; got != tt.want {
					t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
				}
			}
		})

		t.Run("signed in", func(t *testing.T) {
			c := newClient(t)
			httpLogin(t, c, base, "admin")
			form := url.Values{"name": {"新村"}, "kind": {"village"}, "parent_id": {"1"}}
			if got := post(t, c, base+"/units", form).StatusCode; got != http.StatusForbidden {
				t.Errorf("POST /units without a token: status %d, want 403", got)
			}
			// Nor does the pre-sign-in cookie's token count once signed in.
			form.Set("csrf", strings.Repeat("a", 32))
			if got := post(t, c, base+"/units", form).StatusCode; got != http.StatusForbidden {
				t.Errorf("POST /units with a foreign token: status %d, want 403", got)
			}
			form.Set("csrf", csrfOf(t, c, base+"/units"))
			form.Set("name", "")
			if got := post(t, c, base+"/units", form).StatusCode; got != http.StatusUnprocessableEntity {
				t.Errorf("POST /units with the token and no name: status %d, want 422", got)
			}
		})
	})
}

func TestSignInRedirectStaysOnSite(t *testing.T) {
	base, _ := startServer(t, db.SQLite)
	for _, tt := range []struct{ next, want string }{
		{"/units", "/units"},
		{"", "/"},
		{"//evil.example/", "/"},
		{"https://evil.example/", "/"},
		{"/\\evil.example/", "/"},
		{"/%2F%2Fevil.example/", "/"},
		{"/\t/evil.example/", "/"},
		{"units", "/"},
	} {
		c := newClient(t)
		tok := csrfOf(t, c, base+"/login")
		resp := post(t, c, base+"/login", url.Values{"csrf": {tok}, "login": {"admin"}, "password": {demo.Password}, "next": {tt.next}})
		if got := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || got != tt.want {
			t.Errorf("next=%q: %d to %q, want 303 to %q", tt.next, resp.StatusCode, got, tt.want)
		}
	}
}

func TestAPIToken(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, a := startServer(t, engine)
		ctx := context.Background()
		u, err := a.Auth.UserByLogin(ctx, "shuangtang")
		if err != nil {
			t.Fatal(err)
		}
		tok, err := a.Auth.CreateToken(ctx, u.ID, "test")
		if err != nil {
			t.Fatal(err)
		}
		for _, tt := range []struct {
			name, auth string
			want       int
		}{
			{"token", "Bearer " + tok, http.StatusOK},
			{"no token", "", http.StatusUnauthorized},
			{"bad token", "Bearer gt_nope", http.StatusUnauthorized},
		} {
			req, _ := http.NewRequest("GET", base+"/api/v1/me", nil)
			if tt.auth != "" {
				req.Header.Set("Authorization", tt.auth)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var me struct {
				Login string `json:"login"`
			}
			json.NewDecoder(resp.Body).Decode(&me)
			resp.Body.Close()
			if resp.StatusCode != tt.want {
				t.Errorf("%s: status %d, want %d", tt.name, resp.StatusCode, tt.want)
			}
			if tt.want == http.StatusOK && me.Login != "shuangtang" {
				t.Errorf("%s: /api/v1/me is %q, want shuangtang", tt.name, me.Login)
			}
		}
	})
}

func TestHealth(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startServer(t, engine)
		for _, p := range []string{"/healthz", "/readyz"} {
			if code, body := getPage(t, http.DefaultClient, base+p); code != http.StatusOK {
				t.Errorf("%s: %d %s", p, code, body)
			}
		}
	})
}
