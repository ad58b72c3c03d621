package targets_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
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

// Issue 6's speed, measured and never asserted (see BENCHMARKS.md):
//
//	go test -run X -bench TargetsCity -benchtime 200x ./internal/targets/
//	go test -run X -bench TargetsTownship -benchtime 500x ./internal/targets/
//
// Every request is timed twice: "handler" goes through the whole app as a
// request from outside does (the request log, compression, the session
// cookie or bearer token looked up in the database, CSRF, then the router),
// "router" hands the router a request with the user already in its context,
// which leaves authentication out.

// benchNow is the last day of the seeded year, when all twelve months are in.
var benchNow = time.Date(2026, 12, 31, 10, 0, 0, 0, clock.Beijing)

// BenchmarkTargetsCity: a city of 100 townships × 300 targets × 12 months
// (30,000 targets, 360,000 figures), as the city's administrator. Goals: a
// target's page under 10 ms, the API's one target under 3 ms, a list
// filtered by light, sorted by gap, page 20 of 50, under 15 ms; a leader's
// own targets (分管领导) the same.
func BenchmarkTargetsCity(b *testing.B) {
	benchEngines(b, benchdata.City(2026), func(b *testing.B, site *benchSite) {
		s := site.seeded
		id := strconv.FormatInt(s.Parent, 10)
		site.get(b, "target-page", site.admin, "/targets/"+id)
		site.get(b, "api-target", site.admin, "/api/v1/targets/"+id)
		site.get(b, "api-list-red-gap-p20", site.admin, "/api/v1/targets?light=red&sort=gap&offset=950&limit=50")
		site.get(b, "html-list-red-gap-p20", site.admin, "/targets?light=red&sort=gap&page=20")
		// A leader in charge's targets (分管领导), as the board's ranking links
		// them (within the township) and across the whole city.
		var leader, township int64
		if err := site.app.DB.QueryRowContext(context.Background(), `SELECT person_id, township_id FROM team_members WHERE township_id = $1 ORDER BY sort LIMIT 1 OFFSET 2`,
			s.Townships[len(s.Townships)/2]).Scan(&leader, &township); err != nil {
			b.Fatal(err)
		}
		who := strconv.FormatInt(leader, 10)
		site.get(b, "html-list-leader", site.admin, "/targets?unit="+strconv.FormatInt(township, 10)+"&sub=1&top=1&leader="+who)
		site.get(b, "api-list-leader-city", site.admin, "/api/v1/targets?limit=50&leader="+who)
	})
}

// BenchmarkTargetsTownship: 2,000 targets in one township statistician's
// scope, the shapes of issue 6's HTTP list through the API, pages of 50.
func BenchmarkTargetsTownship(b *testing.B) {
	benchEngines(b, benchdata.Township(2026), func(b *testing.B, site *benchSite) {
		s := site.seeded
		api := "/api/v1/targets?limit=50"
		site.get(b, "first", site.stat, api)
		site.get(b, "page20", site.stat, api+"&offset=950")
		site.get(b, "light", site.stat, api+"&light=red")
		site.get(b, "unit", site.stat, api+"&unit="+strconv.FormatInt(s.Village, 10))
		site.get(b, "gap", site.stat, api+"&sort=gap")
		site.get(b, "one", site.stat, "/api/v1/targets/"+strconv.FormatInt(s.Parent, 10))
		site.postFigures(b, "post-figure", site.stat)
	})
}

// benchEngines seeds spec once per engine and runs fn on it.
func benchEngines(b *testing.B, spec benchdata.Spec, fn func(b *testing.B, site *benchSite)) {
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
			fn(b, newBenchSite(b, e.open(b), spec))
		})
	}
}

// benchSite is a seeded app and two signed-in callers.
type benchSite struct {
	app         *app.App
	seeded      benchdata.Seeded
	admin, stat *benchCaller
}

// benchCaller is an account as each path authenticates it.
type benchCaller struct {
	user   *auth.User
	cookie string // a session's cookie, for pages
	token  string // an API token, for /api/v1
}

func newBenchSite(b *testing.B, d *db.DB, spec benchdata.Spec) *benchSite {
	b.Helper()
	ctx := context.Background()
	s, err := benchdata.Seed(ctx, d, spec)
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d targets, %d figures: insert %v, rebuild %v", s.Targets, s.Figures, s.Insert.Round(time.Millisecond), s.Rebuild.Round(time.Millisecond))
	a, err := app.New(app.Config{Log: slog.New(slog.DiscardHandler), Clock: &clock.Fixed{T: benchNow}}, d)
	if err != nil {
		b.Fatal(err)
	}
	caller := func(login, token string) *benchCaller {
		u, err := a.Auth.UserByLogin(ctx, login)
		if err != nil {
			b.Fatal(err)
		}
		sess, err := a.Auth.NewSession(ctx, u)
		if err != nil {
			b.Fatal(err)
		}
		return &benchCaller{user: u, cookie: sess.Token, token: token}
	}
	return &benchSite{app: a, seeded: s, admin: caller(s.Admin, s.AdminToken), stat: caller(s.Statisticians[0], s.Token)}
}

// request builds a request as c sends it through the whole app: a bearer
// token for the API, else the session cookie and, as a browser does, an
// offer of gzip.
func (c *benchCaller) request(method, path string, body io.Reader) *http.Request {
	req := httptest.NewRequest(method, path, body)
	if strings.HasPrefix(path, "/api/") {
		req.Header.Set("Authorization", "Bearer "+c.token)
	} else {
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: c.cookie})
		req.Header.Set("Accept-Encoding", "gzip")
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// direct is the same request for the router alone, the user already known.
func (c *benchCaller) direct(method, path string, body io.Reader) *http.Request {
	req := httptest.NewRequest(method, path, body)
	req = req.WithContext(org.WithScopeMemo(auth.WithUser(req.Context(), c.user)))
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// get times GET path as c both ways.
func (site *benchSite) get(b *testing.B, name string, c *benchCaller, path string) {
	b.Run(name, func(b *testing.B) {
		b.Run("handler", func(b *testing.B) {
			benchServe(b, site.app.Handler, http.StatusOK, func() *http.Request { return c.request(http.MethodGet, path, nil) })
		})
		b.Run("router", func(b *testing.B) {
			benchServe(b, site.app.Router, http.StatusOK, func() *http.Request { return c.direct(http.MethodGet, path, nil) })
		})
	})
}

// postFigures times POST /api/v1/targets/{id}/figures as c, a correction of
// November's figure of one village share after another (the latest month,
// December, stands): a value between the share's October and December, so
// that the cumulative series stays non-decreasing and no unit mistake is
// suspected, with its reason.
func (site *benchSite) postFigures(b *testing.B, name string, c *benchCaller) {
	shares, err := villageShares(site.app.DB, site.seeded.Townships[0])
	if err != nil {
		b.Fatal(err)
	}
	b.Run(name, func(b *testing.B) {
		for _, way := range []struct {
			name string
			h    http.Handler
			req  func(method, path string, body io.Reader) *http.Request
		}{{"handler", site.app.Handler, c.request}, {"router", site.app.Router, c.direct}} {
			b.Run(way.name, func(b *testing.B) {
				n := 0
				benchServe(b, way.h, http.StatusCreated, func() *http.Request {
					n++
					sh := shares[n%len(shares)]
					v := sh.oct + (sh.dec-sh.oct)*float64(n%9+1)/10
					body := fmt.Sprintf(`{"period":"2026-11","value":%.2f,"correction":true,"reason":"复核更正"}`, v)
					return way.req(http.MethodPost, "/api/v1/targets/"+strconv.FormatInt(sh.id, 10)+"/figures", strings.NewReader(body))
				})
			})
		}
	})
}

// share is a village's target with its October and December figures.
type share struct {
	id       int64
	oct, dec float64
}

// villageShares lists the targets of a township's villages that have
// October's and December's figures (one of each, as seeded).
func villageShares(d *db.DB, township int64) ([]share, error) {
	rows, err := d.QueryContext(context.Background(), `SELECT t.id, o.value, e.value FROM targets t
		JOIN figures o ON o.target_id = t.id AND o.period = '2026-10'
		JOIN figures e ON e.target_id = t.id AND e.period = '2026-12'
		WHERE t.township_id = $1 AND t.unit_id <> $1 AND t.person_id IS NULL
		ORDER BY t.id LIMIT 64`, township)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []share
	for rows.Next() {
		var sh share
		if err := rows.Scan(&sh.id, &sh.oct, &sh.dec); err != nil {
			return nil, err
		}
		out = append(out, sh)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no village share of township %d has October's and December's figures", township)
	}
	return out, rows.Err()
}

// benchServe times h serving the requests req makes, each expected to
// answer want, and reports the size of the last body as sent.
func benchServe(b *testing.B, h http.Handler, want int, req func() *http.Request) {
	b.Helper()
	var size int
	for b.Loop() {
		r := req() // a few microseconds: not worth the timer's stop
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != want {
			b.Fatalf("%s %s: %d, want %d\n%.500s", r.Method, r.URL, rec.Code, want, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.ReportMetric(float64(size)/1024, "KiB/resp")
}
