package work_test

import (
	"fmt"
	"sync"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/work"
)

// TestConcurrentReports: eight progress reports on one task at once
// without a version ("whatever it is now") are all taken, one after
// another, and a report with the version read before them all is a
// conflict that changes nothing.
func TestConcurrentReports(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office, village := w.as(t, "duban"), w.as(t, "shuangtang")
		task, err := w.s.Create(office, w.input("冬季道路保洁"))
		if err != nil {
			t.Fatal(err)
		}
		if task, err = w.s.Take(village, task.ID, task.Version, work.Claim, ""); err != nil {
			t.Fatal(err)
		}
		stale := task.Version
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = w.s.Progress(village, task.ID, 0, 10*(i+1), fmt.Sprintf("第%d次报送", i+1))
			}()
		}
		wg.Wait()
		for i, err := range errs {
			if err != nil {
				t.Errorf("report %d of %d at once: %v", i+1, n, err)
			}
		}
		reports, err := w.s.Reports(village, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(reports) != n {
			t.Errorf("%d reports kept, want %d", len(reports), n)
		}
		if _, err := w.s.Progress(village, task.ID, stale, 95, "按旧版本报送"); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("a report with a stale version: %v, want a conflict", err)
		}
		if got, _ := w.s.Reports(village, task.ID); len(got) != n {
			t.Errorf("after the conflict %d reports, want %d", len(got), n)
		}
	})
}
