// Package jobs is the platform's background job runner. It keeps a record
// of every run in the job_runs table, one row per job and run key, and
// claims a run by inserting its row: so several guatu instances on one
// database (PostgreSQL, or one SQLite file) run each key once, a failed run
// is tried again with backoff, and a run whose instance died is taken over
// once its lease has passed. Three kinds of work use it:
//
//   - periodic jobs (Every): once per slot of their interval, wherever
//     they run; a failure is logged and the next slot runs again;
//   - daily jobs (Daily): once a Beijing day from a time of day on, keyed
//     by the date and retried with backoff until they succeed or give up;
//   - queued jobs (Enqueue, Handle): durable work put in the queue inside
//     the caller's own transaction, unique by its key, retried likewise.
//
// Work every instance must do for itself (EveryInstance) runs without a row.
// Runs end with the server: Run returns once the runs under way return.
//
// The claim-row table was chosen over a queue library (River works on both
// engines) because the platform needs only these three shapes, one table
// serves SQLite and PostgreSQL alike with INSERT … ON CONFLICT DO NOTHING
// and a conditional UPDATE, and a run's row is plain to read when asking
// why a digest went out or did not.
package jobs

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Runner runs the registered jobs on DB.
type Runner struct {
	DB  *db.DB
	Now func() time.Time
	Log *slog.Logger
	// Owner names this instance in job_runs; a random name when empty.
	Owner string
	// Lease is how long a run may take before another instance takes it
	// over as dead.
	Lease time.Duration
	// Backoff is the wait before a failed run's first retry, doubled after
	// each failure up to MaxBackoff; a run that fails MaxAttempts times is
	// given up.
	Backoff     time.Duration
	MaxBackoff  time.Duration
	MaxAttempts int
	// Poll is how often the queue and the daily jobs are looked at.
	Poll time.Duration
	// Keep is how long finished runs stay in job_runs.
	Keep time.Duration

	periodic []periodic
	daily    []daily
	local    []periodic
	handlers map[string]Handler
	once     sync.Once
}

// Handler runs one queued job: its key and its payload.
type Handler func(ctx context.Context, key, payload string) error

type periodic struct {
	name  string
	every time.Duration
	run   func(context.Context) error
}

type daily struct {
	name string
	at   time.Duration // after midnight in Beijing
	run  func(ctx context.Context, day string) error
}

// Defaults of a Runner.
const (
	DefaultLease       = 10 * time.Minute
	DefaultBackoff     = time.Minute
	DefaultMaxBackoff  = time.Hour
	DefaultMaxAttempts = 8
	DefaultPoll        = 15 * time.Second
	DefaultKeep        = 14 * 24 * time.Hour
	maxError           = 1000
)

func (r *Runner) init() {
	r.once.Do(func() {
		if r.Owner == "" {
			var b [6]byte
			rand.Read(b[:])
			r.Owner = hex.EncodeToString(b[:])
		}
		if r.Log == nil {
			r.Log = slog.New(slog.DiscardHandler)
		}
		if r.handlers == nil {
			r.handlers = map[string]Handler{}
		}
	})
}

func (r *Runner) now() time.Time {
	if r.Now != nil {
		return r.Now().UTC()
	}
	return time.Now().UTC()
}

func orDefault[T comparable](v, d T) T {
	var zero T
	if v == zero {
		return d
	}
	return v
}

// backoff is the wait after the n-th failed attempt (n ≥ 1).
func (r *Runner) backoff(n int) time.Duration {
	d, top := orDefault(r.Backoff, DefaultBackoff), orDefault(r.MaxBackoff, DefaultMaxBackoff)
	for i := 1; i < n && d < top; i++ {
		d *= 2
	}
	return min(d, top)
}

// Every registers a job run once per slot of every (slots start at
// multiples of every since the Unix epoch), on whichever instance claims
// the slot first. It runs at start when its slot has not run yet. A failure
// is logged and not retried: the next slot does the same work.
func (r *Runner) Every(name string, every time.Duration, run func(context.Context) error) {
	r.init()
	r.periodic = append(r.periodic, periodic{name, every, run})
}

// Daily registers a job run once a Beijing day, from at ("08:00") on, with
// the day (YYYY-MM-DD) as its key; a failure is retried with backoff. A day
// the server was down past midnight is not made up.
func (r *Runner) Daily(name, at string, run func(ctx context.Context, day string) error) error {
	r.init()
	d, err := TimeOfDay(at)
	if err != nil {
		return fmt.Errorf("job %s: %w", name, err)
	}
	r.daily = append(r.daily, daily{name, d, run})
	r.handlers[name] = func(ctx context.Context, key, _ string) error { return run(ctx, key) }
	return nil
}

// TimeOfDay reads "HH:MM" as the time after midnight.
func TimeOfDay(s string) (time.Duration, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("time of day %q is not HH:MM", s)
	}
	return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute, nil
}

// EveryInstance registers work each instance does for itself every
// interval, from start: work that claims its own rows (the notification
// sender) and so needs no run of its own.
func (r *Runner) EveryInstance(name string, every time.Duration, run func(context.Context) error) {
	r.init()
	r.local = append(r.local, periodic{name, every, run})
}

// Handle registers the function that runs the queued jobs called name.
func (r *Runner) Handle(name string, h Handler) {
	r.init()
	r.handlers[name] = h
}

// Enqueue puts a job in the queue through q (the caller's transaction), to
// run from at on: unique by name and key, so enqueuing it again (a retry,
// a second instance) adds nothing and reports false.
func Enqueue(ctx context.Context, q db.Queryer, name, key, payload string, at time.Time) (bool, error) {
	res, err := q.ExecContext(ctx, `INSERT INTO job_runs (name, run_key, payload, state, next_at, created_at)
		VALUES ($1, $2, $3, 'queued', $4, $5) ON CONFLICT (name, run_key) DO NOTHING`,
		name, key, payload, at.UTC(), at.UTC())
	if err != nil {
		return false, fmt.Errorf("enqueue %s %s: %w", name, key, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// Run runs every job until ctx ends, then waits for the runs under way to
// return.
func (r *Runner) Run(ctx context.Context) {
	r.init()
	var wg sync.WaitGroup
	loop := func(every time.Duration, pass func(context.Context)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				pass(ctx)
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}()
	}
	poll := orDefault(r.Poll, DefaultPoll)
	for _, p := range r.periodic {
		loop(min(p.every, poll), func(ctx context.Context) { r.runPeriodic(ctx, p) })
	}
	for _, p := range r.local {
		loop(p.every, func(ctx context.Context) {
			if err := p.run(ctx); err != nil && ctx.Err() == nil {
				r.Log.ErrorContext(ctx, "job failed", "job", p.name, "err", err)
			}
		})
	}
	if r.DB != nil {
		loop(poll, func(ctx context.Context) {
			r.runDaily(ctx)
			r.runQueue(ctx)
		})
		loop(time.Hour, r.cleanUp)
	}
	wg.Wait()
}

// RunDue does once, in turn, everything due now: the periodic jobs whose
// slot has not run, the daily jobs due today, and the queued jobs due. It
// is Run's work without the waiting, for tests and for a command that runs
// the jobs once.
func (r *Runner) RunDue(ctx context.Context) {
	r.init()
	for _, p := range r.periodic {
		r.runPeriodic(ctx, p)
	}
	r.runDaily(ctx)
	r.runQueue(ctx)
}

func (r *Runner) runPeriodic(ctx context.Context, p periodic) {
	if r.DB == nil {
		r.finished(ctx, p.name, "", p.run(ctx))
		return
	}
	key := r.now().Truncate(p.every).Format(time.RFC3339)
	if _, ok := r.claim(ctx, p.name, key, true); ok {
		r.finish(ctx, p.name, key, 1, 1, p.run(ctx))
	}
}

func (r *Runner) runDaily(ctx context.Context) {
	now := r.now()
	today := clock.Today(now)
	day := today.Format(clock.DateFormat)
	for _, d := range r.daily {
		if ctx.Err() != nil {
			return
		}
		if now.Before(today.Add(d.at)) {
			continue
		}
		if run, ok := r.claim(ctx, d.name, day, true); ok {
			r.finish(ctx, d.name, day, run.attempts, r.maxAttempts(), d.run(ctx, day))
		}
	}
}

func (r *Runner) maxAttempts() int { return orDefault(r.MaxAttempts, DefaultMaxAttempts) }

// runQueue runs the due queued jobs and the retries of failed daily jobs,
// and takes over the runs of instances that died.
func (r *Runner) runQueue(ctx context.Context) {
	if len(r.handlers) == 0 {
		return
	}
	now := r.now()
	rows, err := r.DB.QueryContext(ctx, `SELECT name, run_key FROM job_runs
		WHERE state IN ('queued','failed','running') AND next_at <= $1
		AND (state <> 'running' OR lease_until < $1) ORDER BY next_at LIMIT 100`, now)
	if err != nil {
		if ctx.Err() == nil {
			r.Log.ErrorContext(ctx, "job queue", "err", err)
		}
		return
	}
	type due struct{ name, key string }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.name, &d.key); err != nil {
			r.Log.ErrorContext(ctx, "job queue", "err", err)
			break
		}
		if r.handlers[d.name] != nil {
			list = append(list, d)
		}
	}
	rows.Close()
	for _, d := range list {
		if ctx.Err() != nil {
			return
		}
		run, ok := r.claim(ctx, d.name, d.key, false)
		if ok {
			r.finish(ctx, d.name, d.key, run.attempts, r.maxAttempts(), r.handlers[d.name](ctx, d.key, run.payload))
		}
	}
}

type claimed struct {
	attempts int
	payload  string
}

// claim takes the run (name, key) for this instance: by inserting its row
// when insert is set and it has none, or else by moving a row that is
// queued or failed and due, or running past its lease, to running. Exactly
// one instance gets each attempt.
func (r *Runner) claim(ctx context.Context, name, key string, insert bool) (claimed, bool) {
	now := r.now()
	lease := now.Add(orDefault(r.Lease, DefaultLease))
	if insert {
		res, err := r.DB.ExecContext(ctx, `INSERT INTO job_runs (name, run_key, state, attempts, owner, lease_until, next_at, created_at)
			VALUES ($1, $2, 'running', 1, $3, $4, $5, $5) ON CONFLICT (name, run_key) DO NOTHING`, name, key, r.Owner, lease, now)
		if err != nil {
			r.logClaim(ctx, name, key, err)
			return claimed{}, false
		}
		if n, _ := res.RowsAffected(); n == 1 {
			return claimed{attempts: 1}, true
		}
	}
	var c claimed
	err := r.DB.WriteRow(ctx, `UPDATE job_runs SET state = 'running', attempts = attempts + 1, owner = $3, lease_until = $4
		WHERE name = $1 AND run_key = $2
		AND (state IN ('queued','failed') AND next_at <= $5 OR state = 'running' AND lease_until < $5)
		RETURNING attempts, payload`, []any{name, key, r.Owner, lease, now}, &c.attempts, &c.payload)
	if errors.Is(err, sql.ErrNoRows) {
		return claimed{}, false
	}
	if err != nil {
		r.logClaim(ctx, name, key, err)
		return claimed{}, false
	}
	return c, true
}

func (r *Runner) logClaim(ctx context.Context, name, key string, err error) {
	if ctx.Err() == nil {
		r.Log.ErrorContext(ctx, "job claim", "job", name, "key", key, "err", err)
	}
}

// finish records how attempt of run (name, key) ended: done, failed until
// next_at, or given up after max attempts. It is written even when the
// server is stopping, so a run cut short is retried rather than left to
// its lease.
func (r *Runner) finish(ctx context.Context, name, key string, attempt, max int, runErr error) {
	r.finished(ctx, name, key, runErr)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	now := r.now()
	var err error
	switch {
	case runErr == nil:
		_, err = r.DB.ExecContext(ctx, `UPDATE job_runs SET state = 'done', finished_at = $4, lease_until = NULL, last_error = ''
			WHERE name = $1 AND run_key = $2 AND owner = $3`, name, key, r.Owner, now)
	case attempt >= max:
		_, err = r.DB.ExecContext(ctx, `UPDATE job_runs SET state = 'gave_up', finished_at = $4, lease_until = NULL, last_error = $5
			WHERE name = $1 AND run_key = $2 AND owner = $3`, name, key, r.Owner, now, cut(runErr.Error()))
	default:
		_, err = r.DB.ExecContext(ctx, `UPDATE job_runs SET state = 'failed', next_at = $4, lease_until = NULL, last_error = $5
			WHERE name = $1 AND run_key = $2 AND owner = $3`, name, key, r.Owner, now.Add(r.backoff(attempt)), cut(runErr.Error()))
	}
	if err != nil {
		r.Log.ErrorContext(ctx, "job record", "job", name, "key", key, "err", err)
	}
}

func (r *Runner) finished(ctx context.Context, name, key string, err error) {
	if err != nil && ctx.Err() == nil {
		r.Log.ErrorContext(ctx, "job failed", "job", name, "key", key, "err", err)
	}
}

func cut(s string) string {
	if len(s) <= maxError {
		return s
	}
	for i := maxError; i > 0; i-- {
		if s[i]&0xC0 != 0x80 {
			return s[:i]
		}
	}
	return ""
}

// cleanUp deletes the runs finished more than Keep ago.
func (r *Runner) cleanUp(ctx context.Context) {
	before := r.now().Add(-orDefault(r.Keep, DefaultKeep))
	if _, err := r.DB.ExecContext(ctx, `DELETE FROM job_runs WHERE finished_at IS NOT NULL AND finished_at < $1`, before); err != nil && ctx.Err() == nil {
		r.Log.ErrorContext(ctx, "job clean-up", "err", err)
	}
}

// Run is one row of job_runs, for the administrator's page and for tests.
type Run struct {
	Name       string
	Key        string
	State      string
	Attempts   int
	NextAt     time.Time
	LastError  string
	CreatedAt  time.Time
	FinishedAt *time.Time
}

// Runs returns the newest runs, up to limit.
func Runs(ctx context.Context, q db.Queryer, limit int) ([]Run, error) {
	rows, err := q.QueryContext(ctx, `SELECT name, run_key, state, attempts, next_at, last_error, created_at, finished_at
		FROM job_runs ORDER BY created_at DESC, name, run_key LIMIT $1`, limit)
	if err != nil {
		return nil, fmt.Errorf("job runs: %w", err)
	}
	defer rows.Close()
	var out []Run
	for rows.Next() {
		var x Run
		var fin sql.NullTime
		if err := rows.Scan(&x.Name, &x.Key, &x.State, &x.Attempts, &x.NextAt, &x.LastError, &x.CreatedAt, &fin); err != nil {
			return nil, fmt.Errorf("job runs: %w", err)
		}
		if fin.Valid {
			x.FinishedAt = &fin.Time
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
