package targets_test

import (
	"regexp"
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
		if m := regexp.MustCompile(`<td class="num"[^>]*>\d{1,3}(,\d{3})*\.\d+(<|\*)`).FindString(list); m != "" {
			t.Errorf("the list shows a figure of people with decimals: %s", m)
		}
	})
}
