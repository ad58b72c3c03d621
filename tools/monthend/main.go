// Command monthend is the month-end deadline as a load: many village
// reporters posting their figures through the form at once, while leaders
// read the board and the API. It seeds a district (internal/benchdata) with
// one reporter account per village, serves guatu in the same process on a
// loopback port, runs the load for a while, and then checks the database:
// every figure the server accepted is stored exactly once, with its audit
// entry, and nothing it refused is stored at all.
//
//	go run ./tools/monthend --db sqlite:/tmp/monthend.db --reporters 200 --readers 10 --for 60s
//	go run ./tools/monthend --db 'postgres://postgres@127.0.0.1:5432/test?sslmode=disable&search_path=monthend' …
//
// Without --db it uses a fresh SQLite file in a temporary folder. The
// database must be empty: the run seeds it. It prints the counts and the
// latencies (p50, p99, max) of writes and reads, and exits 1 when any
// request failed or the stored figures do not match what was accepted.
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
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"guatu/internal/app"
	"guatu/internal/benchdata"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "monthend:", err)
		}
		os.Exit(1)
	}
}

// Config is one run.
type Config struct {
	DSN       string
	Reporters int           // concurrent writers, one village each
	Readers   int           // concurrent readers of the board and the API
	For       time.Duration // how long the load lasts
	// Profile, when set, starts a profile as the load starts; the func it
	// returns stops it as the load ends.
	Profile func() (stop func(), err error)
}

// Result is what a run saw and what it found stored afterwards.
type Result struct {
	Writes, WriteErrors int
	Reads, ReadErrors   int
	WriteLatency        Latency
	ReadLatency         Latency
	// Stored counts the accepted figures found exactly once with one audit
	// entry each; Missing, Doubled and Unaudited are what did not.
	Stored, Missing, Doubled, Unaudited int
	// Errors holds the first few failures, for the report.
	Errors []string
}

// OK reports whether nothing failed and every accepted figure is stored once.
func (r Result) OK() bool {
	return r.WriteErrors == 0 && r.ReadErrors == 0 && r.Missing == 0 && r.Doubled == 0 && r.Unaudited == 0 && r.Stored == r.Writes
}

// Latency summarises request times.
type Latency struct{ P50, P99, Max time.Duration }

func latency(ds []time.Duration) Latency {
	if len(ds) == 0 {
		return Latency{}
	}
	slices.Sort(ds)
	at := func(q float64) time.Duration { return ds[min(len(ds)-1, int(q*float64(len(ds))))] }
	return Latency{P50: at(0.50), P99: at(0.99), Max: ds[len(ds)-1]}
}

func (l Latency) String() string {
	ms := func(d time.Duration) string { return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) }
	return fmt.Sprintf("p50 %s ms, p99 %s ms, max %s ms", ms(l.P50), ms(l.P99), ms(l.Max))
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("monthend", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var c Config
	fs.StringVar(&c.DSN, "db", "", "an empty database: sqlite:PATH or postgres://…; a temporary SQLite file when empty")
	fs.IntVar(&c.Reporters, "reporters", 200, "concurrent reporters, each posting to its own village's targets")
	fs.IntVar(&c.Readers, "readers", 10, "concurrent readers of the board and the API")
	fs.DurationVar(&c.For, "for", 60*time.Second, "how long the load lasts")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the load (server and clients) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cpuProfile != "" {
		c.Profile = func() (stop func(), err error) {
			f, err := os.Create(*cpuProfile)
			if err != nil {
				return nil, err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				f.Close()
				return nil, err
			}
			return func() { pprof.StopCPUProfile(); f.Close() }, nil
		}
	}
	if c.DSN == "" {
		dir, err := os.MkdirTemp("", "monthend-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		c.DSN = "sqlite:" + filepath.Join(dir, "monthend.db")
	}
	fmt.Fprintf(stdout, "monthend: %d reporters and %d readers for %v on %s\n", c.Reporters, c.Readers, c.For, engineOf(c.DSN))
	res, err := Run(ctx, c)
	if err != nil {
		return err
	}
	report(stdout, res)
	if !res.OK() {
		return errors.New("the run failed: see above")
	}
	return nil
}

func engineOf(dsn string) string {
	if strings.HasPrefix(dsn, "postgres") {
		return "PostgreSQL"
	}
	return "SQLite"
}

func report(w io.Writer, r Result) {
	fmt.Fprintf(w, "writes: %d accepted, %d failed; %v\n", r.Writes, r.WriteErrors, r.WriteLatency)
	fmt.Fprintf(w, "reads:  %d answered, %d failed; %v\n", r.Reads, r.ReadErrors, r.ReadLatency)
	fmt.Fprintf(w, "stored: %d of %d accepted figures once with their audit entry; %d missing, %d doubled, %d without audit\n",
		r.Stored, r.Writes, r.Missing, r.Doubled, r.Unaudited)
	for _, e := range r.Errors {
		fmt.Fprintln(w, "error:", e)
	}
}

// reporter is one village's account, signed in, with its targets.
type reporter struct {
	login   string
	cookie  string
	csrf    string
	targets []int64
}

// Run seeds c.DSN, serves it, runs the load and checks what was stored.
func Run(ctx context.Context, c Config) (Result, error) {
	today := clock.Today(time.Now())
	// At the month-end deadline reporters post the month that has just
	// ended: a month is refused until it is over.
	closed := today.AddDate(0, 0, -today.Day())
	villages := max(10, (c.Reporters+1)/2)
	// Two townships of villages; each village holds a few shares of the
	// townships' targets. Figures up to the month before the one just
	// ended, so that the reporters post the one just ended (or January's,
	// in February: a correction).
	spec := benchdata.Spec{Name: "月末区", Townships: 2, Villages: villages, Departments: 3, Own: 20,
		TargetsPerTownship: 20 + villages*4*10/9, Months: max(1, int(closed.Month())-1), Year: closed.Year()}
	var seeded benchdata.Seeded
	a, err := app.Open(ctx, app.Config{DSN: c.DSN, Log: slog.New(slog.DiscardHandler), Setup: func(ctx context.Context, d *db.DB) error {
		var err error
		seeded, err = benchdata.Seed(ctx, d, spec)
		return err
	}})
	if err != nil {
		return Result{}, err
	}
	defer a.Close()
	reporters, err := signIn(ctx, a, seeded, c.Reporters)
	if err != nil {
		return Result{}, err
	}
	period := fmt.Sprintf("%04d-%02d", closed.Year(), int(closed.Month()))

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return Result{}, err
	}
	serveCtx, stopServing := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- a.Serve(serveCtx, l) }()
	base := "http://" + l.Addr().String()

	leader, err := a.Auth.UserByLogin(ctx, seeded.Statisticians[0])
	if err != nil {
		stopServing()
		return Result{}, err
	}
	leaderSess, err := a.Auth.NewSession(ctx, leader)
	if err != nil {
		stopServing()
		return Result{}, err
	}

	var (
		mu       sync.Mutex
		res      Result
		writes   []time.Duration
		reads    []time.Duration
		accepted = map[string]bool{} // the notes of accepted figures
		refused  = map[string]bool{}
	)
	fail := func(what string) {
		if len(res.Errors) < 10 {
			res.Errors = append(res.Errors, what)
		}
	}
	transport := &http.Transport{MaxIdleConnsPerHost: c.Reporters + c.Readers, MaxConnsPerHost: 0}
	defer transport.CloseIdleConnections()
	noRedirect := func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if c.Profile != nil {
		stop, err := c.Profile()
		if err != nil {
			stopServing()
			return Result{}, err
		}
		defer stop()
	}
	loadCtx, stopLoad := context.WithTimeout(ctx, c.For)
	defer stopLoad()
	var wg sync.WaitGroup
	for i, rp := range reporters {
		wg.Go(func() {
			client := &http.Client{Transport: transport, CheckRedirect: noRedirect, Timeout: 30 * time.Second}
			for n := 0; loadCtx.Err() == nil; n++ {
				target := rp.targets[n%len(rp.targets)]
				note := fmt.Sprintf("monthend %d-%d", i, n)
				// Posts after a target's first correct it, with made-up values
				// that need not follow the seeded months: they say so, as the
				// form asks (更正原因, 按更正录入, 确认数值无误).
				form := url.Values{"csrf": {rp.csrf}, "period": {period}, "value": {strconv.Itoa(1000 + n)}, "note": {note},
					"reason": {"monthend"}, "correction": {"1"}, "confirm": {"1"}}
				req, _ := http.NewRequestWithContext(ctx, "POST", base+"/targets/"+strconv.FormatInt(target, 10)+"/figures", strings.NewReader(form.Encode()))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Cookie", web.SessionCookie+"="+rp.cookie)
				status, took, err := timed(client, req)
				mu.Lock()
				writes = append(writes, took)
				if status == http.StatusSeeOther {
					res.Writes++
					accepted[note] = true
				} else {
					res.WriteErrors++
					refused[note] = true
					fail(fmt.Sprintf("POST figure as %s: status %d, %v", rp.login, status, err))
				}
				mu.Unlock()
			}
		})
	}
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(base)
	jar.SetCookies(u, []*http.Cookie{{Name: web.SessionCookie, Value: leaderSess.Token}})
	for i := range c.Readers {
		wg.Go(func() {
			client := &http.Client{Transport: transport, CheckRedirect: noRedirect, Jar: jar, Timeout: 30 * time.Second}
			for n := 0; loadCtx.Err() == nil; n++ {
				path, bearer := "/", ""
				if (i+n)%2 == 1 {
					path, bearer = "/api/v1/targets?limit=50&sort=gap", seeded.Token
				}
				req, _ := http.NewRequestWithContext(ctx, "GET", base+path, nil)
				if bearer != "" {
					req.Header.Set("Authorization", "Bearer "+bearer)
				}
				status, took, err := timed(client, req)
				mu.Lock()
				reads = append(reads, took)
				if status == http.StatusOK {
					res.Reads++
				} else {
					res.ReadErrors++
					fail(fmt.Sprintf("GET %s: status %d, %v", path, status, err))
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	stopServing()
	if err := <-served; err != nil {
		return res, err
	}
	res.WriteLatency, res.ReadLatency = latency(writes), latency(reads)
	return res, check(ctx, a.DB, accepted, refused, &res)
}

// timed sends req and reads the answer whole, returning its status (0
// when none came) and how long it all took.
func timed(client *http.Client, req *http.Request) (int, time.Duration, error) {
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, time.Since(start), err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
}

// signIn makes one reporter account per village (up to n) that holds
// targets, each with a session, as the browser of a reporter who signed in.
func signIn(ctx context.Context, a *app.App, s benchdata.Seeded, n int) ([]reporter, error) {
	hash, err := auth.HashPassword(benchdata.Password)
	if err != nil {
		return nil, err
	}
	rows, err := a.DB.QueryContext(ctx, `SELECT t.unit_id, t.id FROM targets t JOIN units u ON u.id = t.unit_id
		WHERE u.kind = 'village' AND t.person_id IS NULL ORDER BY t.unit_id, t.id`)
	if err != nil {
		return nil, err
	}
	byUnit := map[int64][]int64{}
	var units []int64
	for rows.Next() {
		var unit, target int64
		if err := rows.Scan(&unit, &target); err != nil {
			rows.Close()
			return nil, err
		}
		if byUnit[unit] == nil {
			units = append(units, unit)
		}
		byUnit[unit] = append(byUnit[unit], target)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(units) < n {
		return nil, fmt.Errorf("the seed has %d villages with targets, fewer than %d reporters", len(units), n)
	}
	now := time.Now().UTC()
	out := make([]reporter, 0, n)
	for i, unit := range units[:n] {
		login := fmt.Sprintf("cun%03d", i+1)
		if _, err := a.DB.ExecContext(ctx, `INSERT INTO users (login, unit_id, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
			login, unit, string(auth.Reporter), hash, now); err != nil {
			return nil, err
		}
		u, err := a.Auth.UserByLogin(ctx, login)
		if err != nil {
			return nil, err
		}
		sess, err := a.Auth.NewSession(ctx, u)
		if err != nil {
			return nil, err
		}
		out = append(out, reporter{login: login, cookie: sess.Token, csrf: sess.CSRF, targets: byUnit[unit]})
	}
	return out, nil
}

// check counts, for every accepted figure, its rows and audit entries, and
// makes sure no refused one was stored.
func check(ctx context.Context, d *db.DB, accepted, refused map[string]bool, res *Result) error {
	rows, err := d.QueryContext(ctx, `SELECT f.note, COUNT(DISTINCT f.id), COUNT(a.id) FROM figures f
		LEFT JOIN audit_log a ON a.entity = 'figure' AND a.entity_id = CAST(f.id AS TEXT)
		WHERE f.note LIKE 'monthend %' GROUP BY f.note`)
	if err != nil {
		return err
	}
	defer rows.Close()
	seen := map[string]bool{}
	for rows.Next() {
		var note string
		var figures, audits int
		if err := rows.Scan(&note, &figures, &audits); err != nil {
			return err
		}
		seen[note] = true
		switch {
		case refused[note] || !accepted[note]:
			// Stored though the answer said otherwise (or never asked).
			res.Doubled++
			if len(res.Errors) < 10 {
				res.Errors = append(res.Errors, fmt.Sprintf("%q is stored but was not accepted", note))
			}
		case figures != 1:
			res.Doubled++
		case audits != 1:
			res.Unaudited++
		default:
			res.Stored++
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for note := range accepted {
		if !seen[note] {
			res.Missing++
		}
	}
	return nil
}
