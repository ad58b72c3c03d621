package targets_test

import (
	"fmt"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// The API speaks review as the pages do: a reporter's figure answers
// pending, the history shows each figure's status, the queue lists it for
// the statistician alone, and a decision answers the figure as it now is.
func TestReviewAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		base, token := apiServer(t, d)
		stat, rep := token("tongji"), token("shuangtang")
		if err := store(d).SetReviewing(as(t, d, "tongji"), unitIDByName(t, d, "XX镇"), true); err != nil {
			t.Fatal(err)
		}
		id, oct := villageOctober(t, d)
		figures := base + "/api/v1/targets/" + itoa(id) + "/figures"
		enter := func(v float64) targets.Figure {
			t.Helper()
			var f targets.Figure
			if code := call(t, "POST", figures, rep, fmt.Sprintf(`{"period":"2026-10","value":%v,"reason":"补录"}`, v), &f); code != 201 {
				t.Fatalf("POST figure: %d", code)
			}
			return f
		}
		f := enter(oct + 5)
		if f.Status != targets.Pending {
			t.Errorf("a reporter's figure answers status %q, want pending", f.Status)
		}
		var hist struct{ Figures []targets.Figure }
		call(t, "GET", figures, rep, "", &hist)
		if len(hist.Figures) == 0 || hist.Figures[0].ID != f.ID || hist.Figures[0].Status != targets.Pending {
			t.Errorf("history %+v, want the pending figure first", hist.Figures)
		}
		var queue struct {
			Reviews []targets.ReviewItem
			Total   int
		}
		if code := call(t, "GET", base+"/api/v1/reviews?period=2026-10", stat, "", &queue); code != 200 {
			t.Fatalf("GET reviews: %d", code)
		}
		if queue.Total != len(queue.Reviews) || queue.Total == 0 {
			t.Errorf("GET reviews: total %d for %d items, want the same, not 0", queue.Total, len(queue.Reviews))
		}
		var none struct {
			Reviews []targets.ReviewItem
			Total   int
		}
		if code := call(t, "GET", base+"/api/v1/reviews?period=2026-10&offset="+itoa(int64(queue.Total)), stat, "", &none); code != 200 || len(none.Reviews) != 0 || none.Total != queue.Total {
			t.Errorf("GET reviews past the end: %d, %d items, total %d; want 200, none, total %d", code, len(none.Reviews), none.Total, queue.Total)
		}
		found := false
		for _, it := range queue.Reviews {
			if it.ID == f.ID {
				found = it.Unit == "双塘村" && it.CountedValue != nil && *it.CountedValue == oct
			}
		}
		if !found {
			t.Errorf("queue %+v, want figure %d of 双塘村 counting %v now", queue.Reviews, f.ID, oct)
		}
		review := base + "/api/v1/reviews/" + itoa(f.ID)
		tests := []struct {
			name, token, body string
			status            int
			want              targets.Status
		}{
			{"a reporter's queue", rep, "", 403, ""},
			{"a reporter approving", rep, `{"decision":"approve"}`, 403, ""},
			{"a return without a reason", stat, `{"decision":"return"}`, 422, ""},
			{"an unknown decision", stat, `{"decision":"maybe"}`, 422, ""},
			{"approved", stat, `{"decision":"approve"}`, 200, targets.Approved},
			{"approved twice", stat, `{"decision":"approve"}`, 409, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				method, url := "POST", review
				if tt.body == "" {
					method, url = "GET", base+"/api/v1/reviews"
				}
				var got targets.Figure
				if code := call(t, method, url, tt.token, tt.body, &got); code != tt.status || got.Status != tt.want {
					t.Errorf("%s %s: %d status %q, want %d %q", method, tt.body, code, got.Status, tt.status, tt.want)
				}
			})
		}
		g := enter(oct + 7)
		var got targets.Figure
		if code := call(t, "POST", base+"/api/v1/reviews/"+itoa(g.ID), stat, `{"decision":"return","reason":"与台账不符"}`, &got); code != 200 || got.Status != targets.Returned || got.ReviewReason != "与台账不符" {
			t.Errorf("return: %d %+v, want returned with the reason", code, got)
		}
	})
}
