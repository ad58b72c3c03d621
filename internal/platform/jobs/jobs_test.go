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

func TestRunnerCallsLogsAndStops(t *testing.T) {
	var log syncBuffer
	r := &jobs.Runner{Log: slog.New(slog.NewTextHandler(&log, nil))}
	calls := make(chan struct{}, 100)
	var after atomic.Int32 // runs that began after Run returned
	var stopped atomic.Bool
	r.Add("count", time.Millisecond, func(ctx context.Context) error {
		if stopped.Load() {
			after.Add(1)
		}
		select {
		case calls <- struct{}{}:
		default:
		}
		return errors.New("disk full")
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
	if out := log.String(); !strings.Contains(out, "job failed") || !strings.Contains(out, "job=count") || !strings.Contains(out, "disk full") {
		t.Errorf("the failure is not logged with the job's name: %s", out)
	}
}

func TestRunnerWithoutJobsReturns(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	(&jobs.Runner{Log: slog.New(slog.DiscardHandler)}).Run(ctx)
}
