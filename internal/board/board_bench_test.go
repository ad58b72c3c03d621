package board_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/benchdata"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/platform/web"
)

// The board's speed, measured and never asserted (see BENCHMARKS.md):
//
//	go test -run X -bench BoardTownship -benchtime 100x ./internal/board/
//	go test -run X -bench BoardCity -benchtime 20x ./internal/board/
//
// Every page is timed twice: "handler" goes through the whole app as a
// browser's request does (the request log, gzip, the session cookie looked
// up in the database, then the router), "router" hands the router a
// request with the user already in its context.

// benchNow is the last day of the seeded year, when all twelve months are in.
var benchNow = time.Date(2026, 12, 31, 10, 0, 0, 0, clock.Beijing)

// BenchmarkBoardTownship: the board of a township with 300 targets of its
// own (2,000 in its scope) × 12 months, as its statistician. Goal: 300
// requests a second over HTTP; it was < 20 ms in process.
func BenchmarkBoardTownship(b *testing.B) {
	benchEngines(b, benchdata.Township(2026), func(b *testing.B, a *app.App, s benchdata.Seeded) {
		benchPage(b, "board", a, benchCaller(b, a, s.Statisticians[0]), "/")
	})
}

// BenchmarkBoardCity: a city of 100 townships × 300 targets (150 of each
// township's own) × 12 months. Goals: the city's league (GET / as its
// administrator: the league and the first township's board) under 150 ms;
// a township's board under 5 ms, as the administrator choosing it (which
// shows the league too) and as the township's statistician.
func BenchmarkBoardCity(b *testing.B) {
	benchEngines(b, benchdata.City(2026), func(b *testing.B, a *app.App, s benchdata.Seeded) {
		mid := len(s.Townships) / 2
		admin := benchCaller(b, a, s.Admin)
		benchPage(b, "league", a, admin, "/")
		benchPage(b, "township-as-admin", a, admin, "/?unit="+strconv.FormatInt(s.Townships[mid], 10))
		benchPage(b, "township-as-statistician", a, benchCaller(b, a, s.Statisticians[mid]), "/")
	})
}

// benchEngines seeds spec once per engine (seedBoard) and runs fn on an app
// over it with the clock at the end of the seeded year.
func benchEngines(b *testing.B, spec benchdata.Spec, fn func(b *testing.B, a *app.App, s benchdata.Seeded)) {
	engines := []struct {
		name string
		open func(testing.TB) *db.DB
	}{{"sqlite", apptest.SQLite}}
	if dbtest.PostgresURL() != "" {
		engines = append(engines, struct {
			name string
			open func(testing.TB) *db.DB
		}{"postgres", apptest.Postgres})
	}
	for _, e := range engines {
		b.Run(e.name, func(b *testing.B) {
			d := e.open(b)
			s := seedBoard(b, d, spec)
			a, err := app.New(app.Config{Log: slog.New(slog.DiscardHandler), Clock: &clock.Fixed{T: benchNow}}, d)
			if err != nil {
				b.Fatal(err)
			}
			fn(b, a, s)
		})
	}
}

// seedBoard writes spec into d with benchdata: townships, villages, targets
// decomposed to villages and people, twelve months of figures and their kept
// progress.
func seedBoard(b *testing.B, d *db.DB, spec benchdata.Spec) benchdata.Seeded {
	b.Helper()
	s, err := benchdata.Seed(context.Background(), d, spec)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d targets, %d figures: insert %v, rebuild %v", s.Targets, s.Figures, s.Insert.Round(time.Millisecond), s.Rebuild.Round(time.Millisecond))
	return s
}

// caller is an account and a session of it.
type caller struct {
	user   *auth.User
	cookie string
}

func benchCaller(b *testing.B, a *app.App, login string) caller {
	b.Helper()
	ctx := context.Background()
	u, err := a.Auth.UserByLogin(ctx, login)
	if err != nil {
		b.Fatal(err)
	}
	sess, err := a.Auth.NewSession(ctx, u)
	if err != nil {
		b.Fatal(err)
	}
	return caller{user: u, cookie: sess.Token}
}

// benchPage times GET path as c both ways, and reports the page's size as
// sent (gzipped through the handler) and as rendered.
func benchPage(b *testing.B, name string, a *app.App, c caller, path string) {
	b.Run(name, func(b *testing.B) {
		b.Run("handler", func(b *testing.B) {
			benchGet(b, a.Handler, func() *http.Request {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.cookie})
				req.Header.Set("Accept-Encoding", "gzip")
				return req
			})
		})
		b.Run("router", func(b *testing.B) {
			benchGet(b, a.Router, func() *http.Request {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				return req.WithContext(org.WithScopeMemo(auth.WithUser(req.Context(), c.user)))
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
