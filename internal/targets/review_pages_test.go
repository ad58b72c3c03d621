package targets_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
)

// villageOctober finds a 双塘村 target of a cumulative monthly indicator
// with an October figure in the demo, and that figure's value.
func villageOctober(t *testing.T, d *db.DB) (int64, float64) {
	t.Helper()
	var id int64
	var v float64
	err := d.QueryRowContext(context.Background(), `SELECT t.id, f.value FROM targets t JOIN units un ON un.id = t.unit_id JOIN indicators i ON i.id = t.indicator_id
		JOIN figures f ON f.target_id = t.id AND f.period = '2026-10'
		WHERE un.name = '双塘村' AND t.person_id IS NULL AND i.measure = 'cumulative' AND i.cadence = 'monthly' AND f.value > 0
		ORDER BY t.id, f.id DESC LIMIT 1`).Scan(&id, &v)
	if err != nil {
		t.Fatal(err)
	}
	return id, v
}

func latestFigureID(t *testing.T, d *db.DB, targetID int64) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT MAX(id) FROM figures WHERE target_id = $1`, targetID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func keptActual(t *testing.T, d *db.DB, targetID int64) float64 {
	t.Helper()
	var v float64
	if err := d.QueryRowContext(context.Background(), `SELECT actual FROM target_progress WHERE target_id = $1`, targetID).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestReviewPages: the township switches review on from its settings; a
// reporter's figure shows as 待审核 on the target's page and in the
// statistician's queue and list; a return needs a reason and then shows on
// the reporter's page; an approval makes it count.
func TestReviewPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		tongji, reporter := login("tongji"), login("shuangtang")
		if status, _, _ := reporter.post("/settings/targets/review", url.Values{"review": {"on"}}); status != http.StatusNotFound {
			t.Errorf("a village reporter switching review on = %d, want 404", status)
		}
		if _, body, _ := tongji.get("/targets/review"); !strings.Contains(body, `data-testid="review-off"`) {
			t.Errorf("with review off the queue does not say so")
		}
		if status, _, _ := tongji.post("/settings/targets/review", url.Values{"review": {"on"}}); status != http.StatusSeeOther {
			t.Fatalf("switching review on = %d, want 303", status)
		}
		if _, body, _ := tongji.get("/settings/targets"); !strings.Contains(body, "已开启数据审核") {
			t.Errorf("the settings page does not say review is on")
		}
		id, oct := villageOctober(t, d)
		page := "/targets/" + itoa64(id)
		enter := func(v float64) int64 {
			t.Helper()
			status, body, h := reporter.post(page+"/figures", url.Values{"period": {"2026-10"}, "value": {strconv.FormatFloat(v, 'f', -1, 64)}, "reason": {"补录一笔"}})
			if status != http.StatusSeeOther {
				t.Fatalf("entering a figure = %d: %s", status, body)
			}
			if c := h.Get("Set-Cookie"); !strings.Contains(c, "target.review.submitted") {
				t.Errorf("the reporter is told %q, want that the figure waits for review", c)
			}
			return latestFigureID(t, d, id)
		}
		first := enter(oct + 10)
		if _, body, _ := reporter.get(page); !strings.Contains(body, `data-testid="pending-note"`) || !strings.Contains(body, "待审核") {
			t.Errorf("the reporter's page does not show the figure pending")
		}
		if got := keptActual(t, d, id); got != oct {
			t.Errorf("kept actual %v while pending, want October's %v", got, oct)
		}
		if _, body, _ := tongji.get("/targets"); !strings.Contains(body, "待审核1条") {
			t.Errorf("the statistician's list does not count the pending figure")
		}
		// The row itself says it waits, for the reporter too, and only it.
		for who, c := range map[string]*pageClient{"tongji": tongji, "shuangtang": reporter} {
			_, body, _ := c.get("/targets?unit=" + itoa64(unitOfTarget(t, d, id)))
			if n := strings.Count(body, `data-testid="row-pending"`); n != 1 {
				t.Errorf("%s's list marks %d rows 待审核, want the one", who, n)
			}
		}
		_, body, _ := tongji.get("/targets/review")
		if strings.Contains(body, `data-testid="review-off"`) {
			t.Errorf("with review on the queue says it is off")
		}
		if !strings.Contains(body, `data-figure="`+itoa64(first)+`"`) {
			t.Fatalf("the queue does not hold figure %d", first)
		}
		if _, body, _ := tongji.get("/targets/review?period=2026-09"); strings.Contains(body, `data-figure="`+itoa64(first)+`"`) {
			t.Errorf("the September queue holds an October figure")
		}
		if status, body, _ := tongji.post("/targets/review/"+itoa64(first)+"/return", url.Values{"reason": {""}}); status != http.StatusUnprocessableEntity || !strings.Contains(body, "退回须填写原因") {
			t.Errorf("a return without a reason = %d, want 422 saying a reason is needed", status)
		}
		if status, _, _ := tongji.post("/targets/review/approve", url.Values{"figure": {itoa64(first)}}); status != http.StatusSeeOther {
			t.Fatalf("approving = %d, want 303", status)
		}
		if got := keptActual(t, d, id); got != oct+10 {
			t.Errorf("kept actual %v after approval, want %v", got, oct+10)
		}
		if status, body, _ := tongji.post("/targets/review/approve", url.Values{"figure": {itoa64(first)}}); status != http.StatusConflict || !strings.Contains(body, "已审核过了") {
			t.Errorf("approving again = %d, want 409 saying it was reviewed", status)
		}

		second := enter(oct + 20)
		if status, _, _ := tongji.post("/targets/review/"+itoa64(second)+"/return", url.Values{"reason": {"与税务数据不符"}}); status != http.StatusSeeOther {
			t.Fatalf("returning = %d, want 303", status)
		}
		_, body, _ = reporter.get(page)
		if !strings.Contains(body, `data-testid="returned-note"`) || !strings.Contains(body, "与税务数据不符") {
			t.Errorf("the reporter's page does not show the return and its reason")
		}
		if got := keptActual(t, d, id); got != oct+10 {
			t.Errorf("kept actual %v after a return, want the approved %v", got, oct+10)
		}

		// The audit page reads each decision as a change of review status,
		// with its reviewer and reason, in words.
		_, body, _ = login("admin").get("/audit?entity=figure")
		for _, want := range []string{"审核状态", "待审核", "已通过", "已退回", "退回原因", "与税务数据不符"} {
			if !strings.Contains(body, want) {
				t.Errorf("the audit page of figures lacks %q", want)
			}
		}
	})
}

// unitOfTarget is the unit a target belongs to.
func unitOfTarget(t *testing.T, d *db.DB, id int64) int64 {
	t.Helper()
	var u int64
	if err := d.QueryRowContext(context.Background(), `SELECT unit_id FROM targets WHERE id = $1`, id).Scan(&u); err != nil {
		t.Fatal(err)
	}
	return u
}
