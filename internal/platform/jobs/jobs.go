// Package jobs runs the server's periodic background work: each job is a
// name, an interval and a function, run once at start and then every
// interval until the server stops. A failure is logged and the job runs
// again at its next turn. Jobs must be safe to run on several instances at
// once (an idempotent delete, for example).
package jobs

import (
	"context"
	"log/slog"
	"sync"
	"time"
)

// Runner holds the registered jobs.
type Runner struct {
	Log  *slog.Logger
	jobs []job
}

type job struct {
	name  string
	every time.Duration
	run   func(context.Context) error
}

// Add registers a job. Add jobs before Run.
func (r *Runner) Add(name string, every time.Duration, run func(context.Context) error) {
	r.jobs = append(r.jobs, job{name, every, run})
}

// Run runs every job until ctx ends, then waits for the runs under way to
// return.
func (r *Runner) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, j := range r.jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.loop(ctx, j)
		}()
	}
	wg.Wait()
}

func (r *Runner) loop(ctx context.Context, j job) {
	t := time.NewTicker(j.every)
	defer t.Stop()
	for {
		if err := j.run(ctx); err != nil && ctx.Err() == nil {
			r.Log.ErrorContext(ctx, "job failed", "job", j.name, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
