package targets_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// TestSharedCatalogueIsTheDistricts: a township's statistician cannot change
// an indicator of the shared catalogue (403, audited), adds to the
// township's own catalogue instead, which the township's subtree sees and
// another township does not; the district's administrator keeps the shared
// catalogue.
func TestSharedCatalogueIsTheDistricts(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		tongji := as(t, d, "tongji")
		inds, err := s.Indicators(tongji)
		if err != nil {
			t.Fatal(err)
		}
		shared := inds[0]
		changed := shared
		changed.MeasureUnit = "元"
		before := mustCount(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND entity = 'indicator'`)
		if _, err := s.SaveIndicator(tongji, changed); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a township statistician changing %s: err = %v, want forbidden", shared.Name, err)
		}
		if got := mustCount(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND entity = 'indicator'`); got != before+1 {
			t.Errorf("%d denied entries for indicators, want %d", got, before+1)
		}
		if got, _ := s.Indicator(tongji, shared.ID); got.MeasureUnit != shared.MeasureUnit {
			t.Errorf("the refused change was written: %s", got.MeasureUnit)
		}

		own, err := s.SaveIndicator(tongji, targets.Indicator{Name: "农村人居环境整治", MeasureUnit: "个", Category: "民生"})
		if err != nil {
			t.Fatal(err)
		}
		if own.TownshipID == nil || *own.TownshipID != mustUnit(t, d, "XX镇") {
			t.Errorf("a statistician's new indicator belongs to %v, want XX镇", own.TownshipID)
		}
		sees := func(login string) bool {
			list, err := s.Indicators(as(t, d, login))
			if err != nil {
				t.Fatal(err)
			}
			for _, in := range list {
				if in.ID == own.ID {
					return true
				}
			}
			return false
		}
		for login, want := range map[string]bool{"tongji": true, "shuangtang": true, "admin": true, "linjiang": false} {
			if got := sees(login); got != want {
				t.Errorf("%s sees XX镇's own indicator: %v, want %v", login, got, want)
			}
		}
		if _, err := s.Indicator(as(t, d, "linjiang"), own.ID); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("临江镇 reading XX镇's own indicator: %v, want not found", err)
		}
		// A township's own indicator cannot take a shared one's name.
		if _, err := s.SaveIndicator(tongji, targets.Indicator{Name: shared.Name}); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("an own indicator named like a shared one: %v, want a conflict", err)
		}

		admin := as(t, d, "admin")
		if _, err := s.SaveIndicator(admin, changed); err != nil {
			t.Errorf("the district administrator changing the shared catalogue: %v", err)
		}
	})
}

// TestListRefusesWhatItDoesNotKnow: a sort key or filter value not on the
// list's whitelist answers 422 naming the parameter, on the page and the API.
func TestListRefusesWhatItDoesNotKnow(t *testing.T) {
	d := apptest.SQLite(t)
	_, login := pageServer(t, d)
	c := login("tongji")
	for _, tc := range []struct{ query, param string }{
		{"sort=password", "sort"},
		{"sort=-gapp", "sort"},
		{"light=purple", "light"},
		{"unit=abc", "unit"},
		{"year=1899", "year"},
		{"page=9223372036854775807", "page"},
	} {
		for _, path := range []string{"/targets?", "/api/v1/targets?"} {
			status, body, _ := c.get(path + tc.query)
			if status != http.StatusUnprocessableEntity || !strings.Contains(body, tc.param) {
				t.Errorf("GET %s%s = %d, want 422 naming %s\n%.300s", path, tc.query, status, tc.param, body)
			}
		}
	}
	if status, _, _ := c.get("/api/v1/targets?" + url.Values{"limit": {"1001"}}.Encode()); status != http.StatusUnprocessableEntity {
		t.Errorf("limit 1001 = %d, want 422", status)
	}
	if status, _, _ := c.get("/targets?sort=-gap&light=red&page=2"); status != http.StatusOK {
		t.Errorf("a known sort and filter = %d, want 200", status)
	}
}

// TestCatalogueKeptPerInstance: an instance keeps the catalogue in memory,
// and a change made through another instance shows at once.
func TestCatalogueKeptPerInstance(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		first, second := store(d), store(d)
		admin := as(t, d, "admin")
		inds, err := first.Indicators(admin)
		if err != nil {
			t.Fatal(err)
		}
		in := inds[0]
		in.Category = "改过的类别"
		if _, err := second.SaveIndicator(admin, in); err != nil {
			t.Fatal(err)
		}
		got, err := first.Indicator(admin, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Category != "改过的类别" {
			t.Errorf("the first instance still reads category %q", got.Category)
		}
		// A change written around the store (a restore, a script) shows too.
		if _, err := d.ExecContext(admin, `UPDATE indicators SET name = '改过的名称' WHERE id = $1`, in.ID); err != nil {
			t.Fatal(err)
		}
		if got, _ := first.Indicator(admin, in.ID); got.Name != "改过的名称" {
			t.Errorf("after an update around the store the name is %q", got.Name)
		}
	})
}

// TestPastTheLastPage: a page past the end shows the last page, with the
// right total, on the page and in the API's total.
func TestPastTheLastPage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		status, last, _ := c.get("/targets?page=999")
		if status != http.StatusOK || !strings.Contains(last, `data-testid="target-row"`) || !strings.Contains(last, `aria-current="page"`) {
			t.Fatalf("page 999 = %d, want the last page with its rows", status)
		}
		status, body, _ := c.get("/api/v1/targets?offset=100000")
		if status != http.StatusOK || !strings.Contains(body, `"targets":[]`) || strings.Contains(body, `"total":0`) {
			t.Errorf("offset past the end = %d %.200s, want no rows and the total", status, body)
		}
	})
}
