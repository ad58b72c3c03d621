package targets_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// TestPagesShowEachIndicatorsPrecision: a figure in 亿元 shows two decimals
// and a count of people none, on a target's page and in the list.
func TestPagesShowEachIndicatorsPrecision(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		actual := regexp.MustCompile(`data-testid="stat-actual">([^<]*)<`)
		tests := []struct {
			indicator string
			shown     *regexp.Regexp
		}{
			{"固定资产投资", regexp.MustCompile(`^\d+\.\d\d$`)},
			{"城镇新增就业", regexp.MustCompile(`^\d{1,3}(,\d{3})*$`)},
		}
		for _, tt := range tests {
			id := targetID(t, d, tt.indicator, demo.TownshipName)
			_, body, _ := c.get("/targets/" + itoa64(id))
			m := actual.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("%s: the page shows no 本年累计", tt.indicator)
			}
			if !tt.shown.MatchString(m[1]) {
				t.Errorf("%s shows 本年累计 %q, want it in the indicator's precision (%s)", tt.indicator, m[1], tt.shown)
			}
		}
		// No forecast or pace of people with a decimal in the list.
		_, list, _ := c.get("/targets?indicator=" + itoa64(indicatorID(t, d, "城镇新增就业")))
		if m := regexp.MustCompile(`<td[^>]* class="[^"]*\bnum\b[^"]*"[^>]*>\d{1,3}(,\d{3})*\.\d+(<|\*)`).FindString(list); m != "" {
			t.Errorf("the list shows a figure of people with decimals: %s", m)
		}
	})
}

// TestIndicatorOwnPrecision: the catalogue sets 城镇新增就业 to one decimal,
// and its target's page shows 本年累计 with one; a precision of 5 is
// refused naming the field; back to 按计量单位 it shows whole people again.
func TestIndicatorOwnPrecision(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		admin := login("admin")
		ind := indicatorID(t, d, "城镇新增就业")
		form := func(decimals string) url.Values {
			return url.Values{"name": {"城镇新增就业"}, "measure_unit": {"人"}, "category": {"民生保障"}, "measure": {"cumulative"},
				"direction": {"higher"}, "cadence": {"monthly"}, "additive": {"1"}, "non_negative": {"1"}, "decimals": {decimals}}
		}
		page := "/targets/" + itoa64(targetID(t, d, "城镇新增就业", demo.TownshipName))
		actual := regexp.MustCompile(`data-testid="stat-actual">([^<]*)<`)
		shown := func() string {
			t.Helper()
			_, body, _ := admin.get(page)
			m := actual.FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("the target's page shows no 本年累计")
			}
			return m[1]
		}
		if status, body, _ := admin.post("/indicators/"+itoa64(ind), form("5")); status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-decimals"`) {
			t.Errorf("decimals 5: %d, want 422 with the error beside the field", status)
		}
		if status, _, _ := admin.post("/indicators/"+itoa64(ind), form("1")); status != http.StatusSeeOther {
			t.Fatalf("saving one decimal: %d, want 303", status)
		}
		if got := shown(); !regexp.MustCompile(`^\d{1,3}(,\d{3})*\.\d$`).MatchString(got) {
			t.Errorf("with one decimal set, 本年累计 shows %q", got)
		}
		if _, body, _ := admin.get("/indicators?q=城镇新增就业"); !regexp.MustCompile(`data-testid="decimals">1<`).MatchString(body) {
			t.Errorf("the catalogue does not show the indicator's own precision 1")
		}
		if status, _, _ := admin.post("/indicators/"+itoa64(ind), form("")); status != http.StatusSeeOther {
			t.Fatalf("back to the unit's precision: %d, want 303", status)
		}
		if got := shown(); !regexp.MustCompile(`^\d{1,3}(,\d{3})*$`).MatchString(got) {
			t.Errorf("by the unit again, 本年累计 shows %q, want whole people", got)
		}
	})
}
