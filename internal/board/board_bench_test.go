package board_test

import (
	"context"
	"log/slog"
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
		apptest.BenchPage(b, "board", a, apptest.NewCaller(b, a, s.Statisticians[0]), "/")
		apptest.BenchPage(b, "board-as-leader", a, apptest.NewCaller(b, a, s.Leaders[0]), "/")
	})
}

// BenchmarkBoardCity: a city of 100 townships × 300 targets (150 of each
// township's own) × 12 months. Goals: the city's league (GET / as its
// administrator: the league and the first township's board) under 150 ms;
// a township's board under 5 ms, as the administrator choosing it (which
// shows the league too), as the township's statistician and as its 镇长, a
// leader whose own targets (我分管的) the board reads for every request. The
// league and a township's board rank their leaders in charge (分管领导进度)
// in the part kept between requests. Issue 8's goal: every shape under
// 20 ms at this scale.
func BenchmarkBoardCity(b *testing.B) {
	benchEngines(b, benchdata.City(2026), func(b *testing.B, a *app.App, s benchdata.Seeded) {
		mid := len(s.Townships) / 2
		admin := apptest.NewCaller(b, a, s.Admin)
		apptest.BenchPage(b, "league", a, admin, "/")
		apptest.BenchPage(b, "township-as-admin", a, admin, "/?unit="+strconv.FormatInt(s.Townships[mid], 10))
		apptest.BenchPage(b, "township-as-statistician", a, apptest.NewCaller(b, a, s.Statisticians[mid]), "/")
		apptest.BenchPage(b, "township-as-leader", a, apptest.NewCaller(b, a, s.Leaders[mid]), "/")
		// The district's board as it is made when a township's data has
		// moved (the kept part spares every other request): its own
		// targets, the league's scores and the leaders' ranking, read
		// afresh from the store.
		b.Run("league-made", func(b *testing.B) {
			ctx := org.WithScopeMemo(auth.WithUser(context.Background(), admin.User))
			for b.Loop() {
				if _, err := a.Targets.Board(ctx, s.RootID, 2026); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// benchEngines seeds spec once per engine (seedBoard) and runs fn on an app
// over it with the clock at the end of the seeded year.
func benchEngines(b *testing.B, spec benchdata.Spec, fn func(b *testing.B, a *app.App, s benchdata.Seeded)) {
	apptest.BenchEngines(b, func(b *testing.B, d *db.DB) {
		s := seedBoard(b, d, spec)
		a, err := app.New(app.Config{Log: slog.New(slog.DiscardHandler), Clock: &clock.Fixed{T: benchNow}}, d)
		if err != nil {
			b.Fatal(err)
		}
		fn(b, a, s)
	})
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
