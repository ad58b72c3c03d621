package targets_test

import (
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestReviewQueuePages: the queue is paged by offset and limit in one
// stable order, its pages together hold every pending figure once, and
// the count is of every page.
func TestReviewQueuePages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := &targets.Store{DB: d, Now: func() time.Time { return reviewNow }}
		tongji, reporter := as(t, d, "tongji"), as(t, d, "shuangtang")
		if err := s.SetReviewing(tongji, unitIDByName(t, d, "XX镇"), true); err != nil {
			t.Fatal(err)
		}
		entered := map[int64]bool{}
		for _, r := range villageTargets(t, s, reporter) {
			f, err := s.AddFigure(reporter, r.ID, targets.FigureInput{Period: "2026-11", Value: ptr(*r.Actual * 1.05)})
			if err != nil {
				t.Fatal(err)
			}
			entered[f.ID] = true
		}
		n, err := s.ReviewCount(tongji, targets.ReviewFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if n != len(entered) {
			t.Fatalf("review count %d, want the %d figures entered", n, len(entered))
		}
		if p, _ := s.PendingCount(tongji); p != n {
			t.Errorf("pending count %d, want %d", p, n)
		}
		seen := map[int64]bool{}
		for off := 0; off < n+1; off++ {
			page, err := s.ReviewQueue(tongji, targets.ReviewFilter{Offset: off, Limit: 1})
			if err != nil {
				t.Fatal(err)
			}
			if off == n {
				if len(page) != 0 {
					t.Errorf("the page past the end holds %d figures, want none", len(page))
				}
				continue
			}
			if len(page) != 1 {
				t.Fatalf("page at offset %d holds %d figures, want 1", off, len(page))
			}
			if seen[page[0].ID] || !entered[page[0].ID] {
				t.Errorf("page at offset %d holds figure %d: seen before %v, entered %v", off, page[0].ID, seen[page[0].ID], entered[page[0].ID])
			}
			seen[page[0].ID] = true
		}
		if len(seen) != n {
			t.Errorf("the pages held %d figures, want %d", len(seen), n)
		}
	})
}
