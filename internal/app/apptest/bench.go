package apptest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"guatu/internal/app"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/platform/web"
)

// Caller is an account and a session of it, for benchmarks of pages and
// the API over the whole app.
type Caller struct {
	User   *auth.User
	Cookie string
}

// NewCaller signs login in on a.
func NewCaller(tb testing.TB, a *app.App, login string) Caller {
	tb.Helper()
	ctx := context.Background()
	u, err := a.Auth.UserByLogin(ctx, login)
	if err != nil {
		tb.Fatal(err)
	}
	sess, err := a.Auth.NewSession(ctx, u)
	if err != nil {
		tb.Fatal(err)
	}
	return Caller{User: u, Cookie: sess.Token}
}

// BenchPage times GET path as c both ways, and reports the page's size as
// sent (gzipped through the handler) and as rendered: "handler" goes
// through the whole app as a browser's request does (the request log,
// gzip, the session cookie looked up in the database, then the router),
// "router" hands the router a request with the user already in its context.
func BenchPage(b *testing.B, name string, a *app.App, c Caller, path string) {
	b.Run(name, func(b *testing.B) {
		b.Run("handler", func(b *testing.B) {
			benchGet(b, a.Handler, func() *http.Request {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.Cookie})
				req.Header.Set("Accept-Encoding", "gzip")
				return req
			})
		})
		b.Run("router", func(b *testing.B) {
			benchGet(b, a.Router, func() *http.Request {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				return req.WithContext(org.WithScopeMemo(auth.WithUser(req.Context(), c.User)))
			})
		})
	})
}

func benchGet(b *testing.B, h http.Handler, req func() *http.Request) {
	b.Helper()
	var size int
	for b.Loop() {
		r := req() // a few microseconds: not worth the timer's stop
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d\n%.500s", r.URL, rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

// BenchEngines runs fn once per available engine (PostgreSQL only with
// GUATU_TEST_POSTGRES), each on a fresh database with every room's tables.
func BenchEngines(b *testing.B, fn func(b *testing.B, d *db.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, SQLite(b)) })
	if dbtest.PostgresURL() != "" {
		b.Run("postgres", func(b *testing.B) { fn(b, Postgres(b)) })
	}
}
