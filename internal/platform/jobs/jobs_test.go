package jobs_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/platform/jobs"
)

// syncBuffer is a log that the jobs' goroutines and the test share.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// fakeClock is a settable now shared by several runners.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// beijing is 2026-12-04 at hh:mm in Beijing.
func beijing(hh, mm int) time.Time {
	return time.Date(2026, 12, 4, hh, mm, 0, 0, time.FixedZone("CST", 8*3600))
}

func runner(d *db.DB, c *fakeClock, owner string) *jobs.Runner {
	return &jobs.Runner{DB: d, Now: c.Now, Owner: owner, Log: slog.New(slog.DiscardHandler),
		Backoff: time.Minute, MaxBackoff: 10 * time.Minute, MaxAttempts: 3}
}

func state(t *testing.T, d *db.DB, name, key string) (string, int) {
	t.Helper()
	var s string
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT state, attempts FROM job_runs WHERE name = $1 AND run_key = $2`, name, key).Scan(&s, &n); err != nil {
		t.Fatalf("run %s %s: %v", name, key, err)
	}
	return s, n
}

func TestEveryRunsOncePerSlotAcrossInstances(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := &fakeClock{t: beijing(9, 1)}
		var calls atomic.Int32
		job := func(context.Context) error { calls.Add(1); return nil }
		a, b := runner(d, c, "a"), runner(d, c, "b")
		a.Every("sweep", 10*time.Minute, job)
		b.Every("sweep", 10*time.Minute, job)
		a.RunDue(ctx)
		b.RunDue(ctx)
		a.RunDue(ctx)
		if n := calls.Load(); n != 1 {
			t.Fatalf("one slot ran %d times on two instances, want 1", n)
		}
		c.Add(10 * time.Minute)
		b.RunDue(ctx)
		a.RunDue(ctx)
		if n := calls.Load(); n != 2 {
			t.Fatalf("two slots ran %d times, want 2", n)
		}
	})
}

func TestEveryFailureIsLoggedAndGivenUpForItsSlot(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := &fakeClock{t: beijing(9, 1)}
		var log syncBuffer
		r := runner(d, c, "a")
		r.Log = slog.New(slog.NewTextHandler(&log, nil))
		var calls atomic.Int32
		r.Every("count", time.Hour, func(context.Context) error { calls.Add(1); return errors.New("disk full") })
		r.RunDue(ctx)
		c.Add(5 * time.Minute)
		r.RunDue(ctx)
		if n := calls.Load(); n != 1 {
			t.Errorf("a failed slot ran %d times, want 1 (the next slot does the work)", n)
		}
		key := c.Now().UTC().Truncate(time.Hour).Format(time.RFC3339)
		if s, _ := state(t, d, "count", key); s != "gave_up" {
			t.Errorf("state %q, want gave_up", s)
		}
		if out := log.String(); !strings.Contains(out, "job failed") || !strings.Contains(out, "job=count") || !strings.Contains(out, "disk full") {
			t.Errorf("the failure is not logged with the job's name: %s", out)
		}
	})
}

func TestDailyRunsOnceFromItsTimeAndRetriesWithBackoff(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := &fakeClock{t: beijing(7, 59)}
		var days []string
		fail := 2
		job := func(_ context.Context, day string) error {
			days = append(days, day)
			if fail > 0 {
				fail--
				return errors.New("robot down")
			}
			return nil
		}
		a, b := runner(d, c, "a"), runner(d, c, "b")
		for _, r := range []*jobs.Runner{a, b} {
			if err := r.Daily("digest", "08:00", job); err != nil {
				t.Fatal(err)
			}
		}
		a.RunDue(ctx)
		if len(days) != 0 {
			t.Fatalf("ran at 07:59 Beijing for an 08:00 job: %v", days)
		}
		c.Add(time.Minute) // 08:00 Beijing, 00:00 UTC
		a.RunDue(ctx)
		b.RunDue(ctx)
		if len(days) != 1 || days[0] != "2026-12-04" {
			t.Fatalf("runs %v, want one for the Beijing day 2026-12-04", days)
		}
		if s, n := state(t, d, "digest", "2026-12-04"); s != "failed" || n != 1 {
			t.Fatalf("after a failure: %s after %d attempts, want failed after 1", s, n)
		}
		c.Add(30 * time.Second) // before the first backoff of a minute
		b.RunDue(ctx)
		if len(days) != 1 {
			t.Fatalf("retried before its backoff: %v", days)
		}
		c.Add(31 * time.Second)
		b.RunDue(ctx)
		a.RunDue(ctx)
		if len(days) != 2 {
			t.Fatalf("runs %d, want the one retry", len(days))
		}
		c.Add(time.Minute) // the second backoff is two minutes
		a.RunDue(ctx)
		if len(days) != 2 {
			t.Fatalf("retried before the doubled backoff: %d runs", len(days))
		}
		c.Add(time.Minute + time.Second)
		a.RunDue(ctx)
		b.RunDue(ctx)
		if s, n := state(t, d, "digest", "2026-12-04"); s != "done" || n != 3 || len(days) != 3 {
			t.Fatalf("%s after %d attempts and %d runs, want done after 3", s, n, len(days))
		}
		c.Add(time.Hour)
		a.RunDue(ctx)
		if len(days) != 3 {
			t.Fatalf("a done day ran again: %d runs", len(days))
		}
		c.Add(24 * time.Hour)
		b.RunDue(ctx)
		if len(days) != 4 || days[3] != "2026-12-05" {
			t.Fatalf("the next day: %v", days)
		}
	})
}

func TestQueuedJobRunsOnceRetriesAndGivesUp(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := &fakeClock{t: beijing(10, 0)}
		var got []string
		h := func(_ context.Context, key, payload string) error {
			got = append(got, key+":"+payload)
			if payload == "bad" {
				return errors.New("no such township")
			}
			return nil
		}
		a, b := runner(d, c, "a"), runner(d, c, "b")
		a.Handle("digest", h)
		b.Handle("digest", h)
		for range 2 {
			if _, err := jobs.Enqueue(ctx, d, "digest", "7/2026-12-04", "good", c.Now()); err != nil {
				t.Fatal(err)
			}
		}
		if added, err := jobs.Enqueue(ctx, d, "digest", "7/2026-12-04", "good", c.Now()); err != nil || added {
			t.Fatalf("enqueued again: added %v, %v", added, err)
		}
		if _, err := jobs.Enqueue(ctx, d, "digest", "9/2026-12-04", "bad", c.Now()); err != nil {
			t.Fatal(err)
		}
		a.RunDue(ctx)
		b.RunDue(ctx)
		if len(got) != 2 {
			t.Fatalf("runs %v, want each key once", got)
		}
		for range 5 {
			c.Add(20 * time.Minute)
			a.RunDue(ctx)
			b.RunDue(ctx)
		}
		if s, n := state(t, d, "digest", "9/2026-12-04"); s != "gave_up" || n != 3 {
			t.Errorf("the failing job: %s after %d attempts, want gave_up after 3", s, n)
		}
		if s, _ := state(t, d, "digest", "7/2026-12-04"); s != "done" {
			t.Errorf("the good job: %s", s)
		}
		if len(got) != 4 {
			t.Errorf("runs %v, want 1 good and 3 bad", got)
		}
		runs, err := jobs.Runs(ctx, d, 10)
		if err != nil || len(runs) != 2 {
			t.Fatalf("runs: %v %v", runs, err)
		}
	})
}

func TestDeadInstanceRunIsTakenOverAfterItsLease(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		c := &fakeClock{t: beijing(10, 0)}
		if _, err := jobs.Enqueue(ctx, d, "export", "k", "", c.Now()); err != nil {
			t.Fatal(err)
		}
		dead := runner(d, c, "dead")
		dead.Lease = time.Minute
		blocked := make(chan struct{})
		dead.Handle("export", func(ctx context.Context, _, _ string) error {
			close(blocked)
			<-ctx.Done() // the instance hangs until it is killed
			return ctx.Err()
		})
		deadCtx, kill := context.WithCancel(ctx)
		go dead.RunDue(deadCtx)
		<-blocked
		var ran atomic.Int32
		live := runner(d, c, "live")
		live.Handle("export", func(context.Context, string, string) error { ran.Add(1); return nil })
		live.RunDue(ctx)
		if ran.Load() != 0 {
			t.Fatal("a running job was taken over within its lease")
		}
		c.Add(2 * time.Minute)
		live.RunDue(ctx)
		if ran.Load() != 1 {
			t.Fatal("a run past its lease was not taken over")
		}
		kill()
		if s, n := state(t, d, "export", "k"); s != "done" || n != 2 {
			t.Errorf("%s after %d attempts, want done after 2", s, n)
		}
	})
}

func TestRunStopsWithTheServer(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		r := &jobs.Runner{DB: d, Log: slog.New(slog.DiscardHandler), Poll: time.Millisecond}
		calls := make(chan struct{}, 100)
		var stopped atomic.Bool
		var after atomic.Int32
		r.EveryInstance("count", time.Millisecond, func(ctx context.Context) error {
			if stopped.Load() {
				after.Add(1)
			}
			select {
			case calls <- struct{}{}:
			default:
			}
			return nil
		})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			r.Run(ctx)
			stopped.Store(true)
			close(done)
		}()
		for range 3 {
			<-calls // a job that is never called hangs the test here
		}
		cancel()
		<-done // a runner that does not stop hangs the test here
		if after.Load() != 0 {
			t.Errorf("the job ran after Run returned")
		}
	})
}

func TestTimeOfDay(t *testing.T) {
	for _, c := range []struct {
		in   string
		want time.Duration
		bad  bool
	}{
		{in: "08:00", want: 8 * time.Hour},
		{in: " 17:30 ", want: 17*time.Hour + 30*time.Minute},
		{in: "00:00"},
		{in: "24:00", bad: true},
		{in: "8点", bad: true},
		{in: "", bad: true},
	} {
		got, err := jobs.TimeOfDay(c.in)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("TimeOfDay(%q) = %v, %v", c.in, got, err)
		}
	}
}
