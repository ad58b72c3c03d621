package work_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/benchdata"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// The register's speed, measured and never asserted (see BENCHMARKS.md):
//
//	go test -run X -bench TaskList -benchtime 200x ./internal/work/
//
// Each shape is timed through the whole app ("handler": the request log,
// the session looked up, gzip) and at the router with the user in the
// request ("router").

// benchToday is the seeded register's today: deadlines spread around it.
var benchToday = time.Date(2026, 11, 20, 10, 0, 0, 0, clock.Beijing)

// BenchmarkTaskList: 50,000 tasks in the township statistician's scope
// (and 50,000 more in the other township), as the shapes ask for a
// page of 50: due from 30 days ago to 120 days ahead and not yet done, by
// deadline (about three in five match), the first page and page 20; the
// overdue ones; and the HTML list's page 20 of the same filter, the shapes
// tools/loadrun loads over HTTP. Goal: under 5 ms in process on both
// engines.
func BenchmarkTaskList(b *testing.B) {
	apptest.BenchEngines(b, func(b *testing.B, d *db.DB) {
		ctx := context.Background()
		s, err := benchdata.Seed(ctx, d, benchdata.Township(2026))
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		ts, err := benchdata.SeedTasks(ctx, d, s, 50000, benchToday)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("seeded %d tasks in %v", ts.Count, time.Since(start).Round(time.Millisecond))
		a, err := app.New(app.Config{Log: slog.New(slog.DiscardHandler), Clock: &clock.Fixed{T: benchToday}}, d)
		if err != nil {
			b.Fatal(err)
		}
		stat := apptest.NewCaller(b, a, s.Statisticians[0])
		due := "due_after=" + benchToday.AddDate(0, 0, -30).Format(clock.DateFormat) + "&due_before=" + benchToday.AddDate(0, 0, 120).Format(clock.DateFormat) + "&progress_below=100&sort=deadline"
		apptest.BenchPage(b, "api-first", a, stat, "/api/v1/tasks?limit=50&"+due)
		apptest.BenchPage(b, "api-page20", a, stat, "/api/v1/tasks?limit=50&offset=950&"+due)
		apptest.BenchPage(b, "api-overdue", a, stat, "/api/v1/tasks?limit=50&overdue=true")
		apptest.BenchPage(b, "html-page20", a, stat, "/tasks?page=20&"+due)
	})
}

// BenchmarkSweep: the card sweep over 50,000 tasks of a township (and
// 50,000 of the other), a quarter or so of them late, in steady state (the
// cards raised by the first sweep, logged with its time): the job that
// runs every ten minutes. Goal: under 100 ms.
//
//	go test -run X -bench Sweep -benchtime 20x ./internal/work/
func BenchmarkSweep(b *testing.B) {
	apptest.BenchEngines(b, func(b *testing.B, d *db.DB) {
		ctx := context.Background()
		s, err := benchdata.Seed(ctx, d, benchdata.Township(2026))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := benchdata.SeedTasks(ctx, d, s, 50000, benchToday); err != nil {
			b.Fatal(err)
		}
		ws := &work.Store{DB: d, Now: func() time.Time { return benchToday }}
		start := time.Now()
		first, err := ws.Sweep(ctx)
		if err != nil {
			b.Fatal(err)
		}
		b.Logf("first sweep raised %d cards in %v", first.Raised, time.Since(start).Round(time.Millisecond))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			r, err := ws.Sweep(ctx)
			if err != nil {
				b.Fatal(err)
			}
			if r.Raised+r.Cleared != 0 {
				b.Fatalf("a steady sweep changed %+v", r)
			}
		}
	})
}
