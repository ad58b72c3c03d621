// Command benchserve serves guatu on a database seeded by internal/benchdata,
// for load runs (tools/loadrun drives it with wrk):
//
//	go run ./tools/benchserve --db sqlite:/tmp/bench.db --spec township --addr 127.0.0.1:8091
//
// On an empty database it seeds the spec first (the township: 2,000 targets
// in one township's scope; the city: 100 townships × 300 targets) for this
// year in Beijing, with figures up to this month, and --tasks supervised
// tasks in each township (2,000); on a database it seeded
// before it reads back what is there. It then prints, one KEY='value' a
// line (a shell can source them), the API tokens, a session cookie and the
// URLs of every shape to load, then READY=1, and serves until interrupted.
// Requests are logged as JSON on standard error, as guatu serve does.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"guatu/internal/app"
	"guatu/internal/benchdata"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "benchserve:", err)
		}
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("benchserve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dsn := fs.String("db", "", "database: sqlite:PATH or postgres://… (required; seeded when it holds no units)")
	spec := fs.String("spec", "township", "what to seed: township (2,000 targets in one township's scope) or city (100 townships × 300 targets)")
	addr := fs.String("addr", "127.0.0.1:8091", "address to listen on")
	quiet := fs.Bool("quiet", false, "do not log requests")
	pprofAddr := fs.String("pprof", "", "also serve net/http/pprof on this address (127.0.0.1:6060), to profile under load")
	perTownship := fs.Int("tasks", 2000, "supervised tasks to seed in each township (with the first seed)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dsn == "" {
		fs.Usage()
		return errors.New("--db is required")
	}
	today := clock.Today(time.Now())
	var s benchdata.Spec
	switch *spec {
	case "township":
		s = benchdata.Township(today.Year())
	case "city":
		s = benchdata.City(today.Year())
	default:
		return fmt.Errorf("--spec %q: township or city", *spec)
	}
	s.Months = min(s.Months, int(today.Month())) // no figure for a month to come

	var handler slog.Handler = slog.NewJSONHandler(stderr, nil)
	if *quiet {
		handler = slog.DiscardHandler
	}
	log := slog.New(handler)
	var seeded benchdata.Seeded
	var tasks benchdata.Tasks
	cfg := app.Config{Addr: *addr, DSN: *dsn, Log: log, Setup: func(ctx context.Context, d *db.DB) error {
		var units int
		if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&units); err != nil {
			return err
		}
		var err error
		if units > 0 {
			if seeded, err = benchdata.Open(ctx, d); err != nil {
				return err
			}
			tasks, err = benchdata.OpenTasks(ctx, d, seeded)
			return err
		}
		fmt.Fprintf(stderr, "benchserve: seeding %s: %d townships × %d targets × %d months…\n", *spec, s.Townships, s.TargetsPerTownship, s.Months)
		if seeded, err = benchdata.Seed(ctx, d, s); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "benchserve: seeded %d targets and %d figures: insert %v, rebuild %v\n",
			seeded.Targets, seeded.Figures, seeded.Insert.Round(time.Millisecond), seeded.Rebuild.Round(time.Millisecond))
		start := time.Now()
		if tasks, err = benchdata.SeedTasks(ctx, d, seeded, *perTownship, time.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "benchserve: seeded %d supervised tasks in %v\n", tasks.Count, time.Since(start).Round(time.Millisecond))
		return nil
	}}
	a, err := app.Open(ctx, cfg)
	if err != nil {
		return err
	}
	defer a.Close()
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *pprofAddr != "" {
		pl, err := net.Listen("tcp", *pprofAddr)
		if err != nil {
			return err
		}
		go http.Serve(pl, nil) // net/http/pprof registers on the default mux
		defer pl.Close()
	}
	if err := describe(ctx, stdout, a, seeded, tasks, "http://"+l.Addr().String()); err != nil {
		return err
	}
	return a.Serve(ctx, l)
}

// describe prints what a load run needs, one KEY='value' a line.
func describe(ctx context.Context, w io.Writer, a *app.App, s benchdata.Seeded, ts benchdata.Tasks, base string) error {
	stat, err := a.Auth.UserByLogin(ctx, s.Statisticians[0])
	if err != nil {
		return err
	}
	sess, err := a.Auth.NewSession(ctx, stat)
	if err != nil {
		return err
	}
	admin, err := a.Auth.UserByLogin(ctx, s.Admin)
	if err != nil {
		return err
	}
	adminSess, err := a.Auth.NewSession(ctx, admin)
	if err != nil {
		return err
	}
	// The figures a load run posts go to the village shares of the first
	// township, one target after another, for last month (or January).
	posts, err := postTargets(ctx, a.DB, s.Townships[0])
	if err != nil {
		return err
	}
	var months int
	if err := a.DB.QueryRowContext(ctx, `SELECT COUNT(DISTINCT period) FROM figures WHERE target_id = $1`, s.Parent).Scan(&months); err != nil {
		return err
	}
	period := benchPeriod(s.Spec.Year, months)
	id := func(n int64) string { return strconv.FormatInt(n, 10) }
	api := base + "/api/v1/targets"
	mid := s.Townships[len(s.Townships)/2]
	today := clock.Today(time.Now())
	// The register's shapes: due within a window and not yet done, by
	// deadline (about three in five of the seeded tasks match).
	due := "due_after=" + today.AddDate(0, 0, -30).Format(clock.DateFormat) + "&due_before=" + today.AddDate(0, 0, 120).Format(clock.DateFormat) + "&progress_below=100&sort=deadline"
	reports := make([]string, len(ts.ReportTasks))
	for i, t := range ts.ReportTasks {
		reports[i] = id(t)
	}
	for _, kv := range [][2]string{
		{"BASE", base},
		{"TOKEN", s.Token},
		{"ADMIN_TOKEN", s.AdminToken},
		{"COOKIE", web.SessionCookie + "=" + sess.Token},
		{"ADMIN_COOKIE", web.SessionCookie + "=" + adminSess.Token},
		{"LOGIN", s.Statisticians[0]},
		{"ADMIN_LOGIN", s.Admin},
		{"PASSWORD", benchdata.Password},
		{"TARGETS", id(int64(s.Targets))},
		{"FIGURES", id(int64(s.Figures))},
		// The township statistician's shapes (issue 6's HTTP list).
		{"URL_FIRST", api + "?limit=50"},
		{"URL_PAGE20", api + "?limit=50&offset=950"},
		{"URL_LIGHT", api + "?limit=50&light=red"},
		{"URL_UNIT", api + "?limit=50&unit=" + id(s.Village)},
		{"URL_GAP", api + "?limit=50&sort=gap"},
		{"URL_ONE", api + "/" + id(s.Parent)},
		{"URL_BOARD", base + "/"},
		{"URL_POST", base + "/api/v1/targets/{id}/figures"},
		{"POST_TARGETS", strings.Join(posts, ",")},
		{"POST_PERIOD", period},
		// The city administrator's shapes (the in-process list).
		{"URL_ADMIN_PAGE", base + "/targets/" + id(s.Parent)},
		{"URL_ADMIN_ONE", api + "/" + id(s.Parent)},
		{"URL_ADMIN_LIST", api + "?light=red&sort=gap&offset=950&limit=50"},
		{"URL_ADMIN_HTML_LIST", base + "/targets?light=red&sort=gap&page=20"},
		{"URL_ADMIN_BOARD", base + "/?unit=" + id(mid)},
		{"URL_ADMIN_LEAGUE", base + "/"},
		// The supervised tasks' shapes (issue 9): the statistician lists,
		// the administrator assigns, the village's reporter reports.
		{"TASKS", id(int64(ts.Count))},
		{"URL_TASKS_FIRST", base + "/api/v1/tasks?limit=50&" + due},
		{"URL_TASKS_PAGE20", base + "/api/v1/tasks?limit=50&offset=950&" + due},
		{"URL_TASKS_HTML", base + "/tasks?page=20&" + due},
		{"TASK_VILLAGE", id(ts.Village)},
		{"TASK_LEADER", id(ts.Leader)},
		{"TASK_TODAY", today.Format(clock.DateFormat)},
		{"TASK_DEADLINE", today.AddDate(0, 0, 30).Format(clock.DateFormat)},
		{"REPORTER_TOKEN", ts.ReporterToken},
		{"REPORT_TASKS", strings.Join(reports, ",")},
		{"READY", "1"},
	} {
		if _, err := fmt.Fprintf(w, "%s='%s'\n", kv[0], kv[1]); err != nil {
			return err
		}
	}
	return nil
}

// postTargets lists up to 64 village shares of a township.
func postTargets(ctx context.Context, d *db.DB, township int64) ([]string, error) {
	rows, err := d.QueryContext(ctx, `SELECT id FROM targets WHERE township_id = $1 AND unit_id <> $1 AND person_id IS NULL ORDER BY id LIMIT 64`, township)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, strconv.FormatInt(id, 10))
	}
	return out, rows.Err()
}

// benchPeriod is the month before the latest with figures (January if
// that is the only one): a correction that leaves the latest standing.
func benchPeriod(year, months int) string {
	return fmt.Sprintf("%04d-%02d", year, max(1, months-1))
}
