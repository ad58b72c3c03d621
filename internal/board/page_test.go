package board

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/targets"
)

func TestChooseView(t *testing.T) {
	towns := []org.Unit{
		{ID: 2, Kind: org.Township, Path: "/1/2/"},
		{ID: 3, Kind: org.Township, Path: "/1/3/"},
	}
	tests := []struct {
		name     string
		user     auth.User
		visible  []org.Unit // what org.Store.Townships returns for the user
		asked    int64
		want     View
		wantKeep bool // Townships in the view are the visible ones
	}{
		{"district, nothing asked", auth.User{UnitID: 1, UnitPath: "/1/"}, towns, 0, View{District: true, Show: 2, Township: 2}, true},
		{"district asks the second", auth.User{UnitID: 1, UnitPath: "/1/"}, towns, 3, View{District: true, Show: 3, Township: 3}, true},
		{"district asks another unit", auth.User{UnitID: 1, UnitPath: "/1/"}, towns, 9, View{District: true, Show: 2, Township: 2}, true},
		{"township", auth.User{UnitID: 2, UnitPath: "/1/2/"}, towns[:1], 3, View{Show: 2, Township: 2}, false},
		{"village under a township", auth.User{UnitID: 7, UnitPath: "/1/2/7/"}, towns[:1], 0, View{Show: 7, Township: 2}, false},
		{"no township at all", auth.User{UnitID: 1, UnitPath: "/1/"}, nil, 0, View{Show: 1}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := chooseView(&tc.user, tc.visible, tc.asked)
			if tc.wantKeep {
				tc.want.Townships = tc.visible
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("chooseView = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestPickCampaign(t *testing.T) {
	day := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 0, 0, 0, 0, clock.Beijing) }
	cs := []org.Campaign{ // newest first, as org.Store.Campaigns returns them
		{ID: 1, TownshipID: 5, Start: day(9, 23), End: day(12, 31)},
		{ID: 2, TownshipID: 2, Start: day(9, 23), End: day(12, 31)},
		{ID: 3, TownshipID: 2, Start: day(3, 1), End: day(6, 30)},
	}
	tests := []struct {
		name     string
		township int64
		today    time.Time
		want     int64 // 0: none
	}{
		{"running", 2, day(11, 25), 2},
		{"first day counts", 2, day(9, 23), 2},
		{"earlier one running", 2, day(4, 1), 3},
		{"between: the most recent", 2, day(8, 1), 2},
		{"another township's", 5, day(11, 25), 1},
		{"none", 9, day(11, 25), 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := pickCampaign(cs, tc.township, tc.today)
			switch {
			case got == nil && tc.want != 0:
				t.Errorf("got none, want campaign %d", tc.want)
			case got != nil && got.ID != tc.want:
				t.Errorf("got campaign %d, want %d", got.ID, tc.want)
			}
		})
	}
}

func fp(v float64) *float64 { return &v }

func TestChart(t *testing.T) {
	cum := targets.Indicator{Name: "入库税收", MeasureUnit: "万元", Measure: targets.MeasureCumulative}
	point := targets.Indicator{Name: "规上企业数", MeasureUnit: "个", Measure: targets.MeasurePoint}
	months := [12]*targets.Figure{0: {Value: 10, LastYear: fp(9)}, 1: {Value: 25}}
	row := func(ind targets.Indicator, kind targets.Kind, value float64, lyt *float64) targets.Row {
		return targets.Row{Target: targets.Target{ID: 4, Kind: kind, Value: value, LastYearTotal: lyt}, Indicator: ind}
	}
	tests := []struct {
		name              string
		row               targets.Row
		wantJune, wantDec *float64
	}{
		{"value target: the goal's share", row(cum, targets.KindValue, 1200, nil), fp(600), fp(1200)},
		{"point measure: the goal itself", row(point, targets.KindValue, 135, nil), fp(135), fp(135)},
		{"growth with last year's total", row(cum, targets.KindGrowth, 10, fp(100)), fp(55), fp(110)},
		{"growth without a base: no line", row(cum, targets.KindGrowth, 10, nil), nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := chart(tc.row, months)
			if got := c.Schedule[5]; !sameFloat(got, tc.wantJune) {
				t.Errorf("June schedule = %v, want %v", deref(got), deref(tc.wantJune))
			}
			if got := c.Schedule[11]; !sameFloat(got, tc.wantDec) {
				t.Errorf("December schedule = %v, want %v", deref(got), deref(tc.wantDec))
			}
			if c.Actual[0] == nil || *c.Actual[0] != 10 || c.Actual[1] == nil || *c.Actual[1] != 25 || c.Actual[2] != nil {
				t.Errorf("actual = %v", c.Actual)
			}
			if c.LastYear[0] == nil || *c.LastYear[0] != 9 || c.LastYear[1] != nil {
				t.Errorf("last year = %v", c.LastYear)
			}
			if c.Light != "none" {
				t.Errorf("light = %q, want none for an unjudged row", c.Light)
			}
		})
	}
}

func sameFloat(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func TestNewLine(t *testing.T) {
	tr := func(key string, args ...any) string { return key + fmt.Sprint(args...) }
	tests := []struct {
		name string
		row  targets.Row
		want Line
	}{
		{
			name: "nothing reported",
			row:  targets.Row{Target: targets.Target{ID: 1, Kind: targets.KindValue, Value: 1200}, Indicator: targets.Indicator{MeasureUnit: "万元"}, UnitName: "XX镇"},
			want: Line{ID: 1, Measure: "万元", Owner: "XX镇", Light: "none", LightLabel: "target.light.", Target: "1,200", Actual: "—", Completion: "—", Bar: "0%", Schedule: "0.0%", Gap: "—", YoY: "—", Forecast: "—", Pace: "—"},
		},
		{
			name: "ahead",
			row: targets.Row{Target: targets.Target{ID: 2, Kind: targets.KindValue, Value: 1200}, Indicator: targets.Indicator{MeasureUnit: "万元"}, Actual: fp(1037.5),
				Progress: targets.Progress{Light: targets.Green, Completion: fp(0.8646), ExpectedShare: 10.0 / 12, Gap: fp(0.031), YoYGrowth: fp(0.082), Forecast: fp(1245), PaceNeeded: fp(81.25)}},
			want: Line{ID: 2, Measure: "万元", Light: "green", LightLabel: "target.light.green", Target: "1,200", Actual: "1,038", Completion: "86.5%", Bar: "86.5%", Schedule: "83.3%", Gap: "target.gap_pp+3.1", YoY: "8.2%", Forecast: "1,245", Pace: "81"},
		},
		{
			name: "behind, a growth rate, a person's",
			row: targets.Row{Target: targets.Target{ID: 3, Kind: targets.KindGrowth, Value: 6.5, PersonID: new(int64)}, PersonName: "朱永康", UnitName: "经发办",
				Progress: targets.Progress{Light: targets.Red, Completion: fp(1.3), ExpectedShare: 0.5, Gap: fp(-0.0526)}},
			want: Line{ID: 3, Owner: "朱永康", Light: "red", LightLabel: "target.light.red", Target: "board.growth6.5", Actual: "—", Completion: "130.0%", Bar: "100.0%", Schedule: "50.0%", Gap: "target.gap_pp−5.3", Behind: true, YoY: "—", Forecast: "—", Pace: "—"},
		},
		// Rows without a measurement unit show two decimals.
		{
			name: "a ceiling under its schedule is not behind",
			row: targets.Row{Target: targets.Target{ID: 5, Value: 6}, Indicator: targets.Indicator{Direction: targets.Lower},
				Progress: targets.Progress{Light: targets.Green, Gap: fp(-0.333), ExpectedShare: 10.0 / 12}},
			want: Line{ID: 5, Light: "green", LightLabel: "target.light.green", Target: "6.00", Actual: "—", Completion: "—", Bar: "0%", Schedule: "83.3%", Gap: "target.gap_pp−33.3", YoY: "—", Forecast: "—", Pace: "—"},
		},
		{
			name: "a ceiling over its schedule is",
			row:  targets.Row{Target: targets.Target{ID: 6, Value: 6}, Indicator: targets.Indicator{Direction: targets.Lower}, Progress: targets.Progress{Gap: fp(0.1), ExpectedShare: 0.5}},
			want: Line{ID: 6, Light: "none", LightLabel: "target.light.", Target: "6.00", Actual: "—", Completion: "—", Bar: "0%", Schedule: "50.0%", Gap: "target.gap_pp+10.0", Behind: true, YoY: "—", Forecast: "—", Pace: "—"},
		},
		{
			name: "a ceiling shows its allowance left, and why the forecast makes it red",
			row: targets.Row{Target: targets.Target{ID: 7, Value: 6}, Indicator: targets.Indicator{Direction: targets.Lower}, Actual: fp(5.4),
				Progress: targets.Progress{Light: targets.Red, Gap: fp(0.067), ExpectedShare: 10.0 / 12, Forecast: fp(6.48), Allowance: fp(0.6), AllowancePace: fp(0.3), CeilingNote: targets.CeilingForecast}},
			want: Line{ID: 7, Light: "red", LightLabel: "target.light.red", Target: "6.00", Actual: "5.40", Completion: "—", Bar: "0%", Schedule: "83.3%", Gap: "target.gap_pp+6.7", Behind: true, YoY: "—", Forecast: "6.48",
				Pace: "board.allowance0.60", CeilingWhy: "target.ceiling_note.forecast", CeilingSoon: true},
		},
		{
			name: "a hair behind rounds to nothing, yet is behind",
			row:  targets.Row{Target: targets.Target{ID: 4}, Progress: targets.Progress{Gap: fp(-0.00001), ExpectedShare: 1.2}},
			want: Line{ID: 4, Light: "none", LightLabel: "target.light.", Target: "0.00", Actual: "—", Completion: "—", Bar: "0%", Schedule: "100.0%", Gap: "target.gap_pp0.0", Behind: true, YoY: "—", Forecast: "—", Pace: "—"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := newLine(tc.row, tr); got != tc.want {
				t.Errorf("newLine =\n%+v, want\n%+v", got, tc.want)
			}
		})
	}
}

func TestLeague(t *testing.T) {
	b := &targets.Board{UnitName: "示范区", Units: []targets.UnitScore{
		{UnitID: 3, UnitName: "青山镇", Score: 88, Counts: targets.Counts{Red: 5}},
		{UnitID: 2, UnitName: "XX镇", Score: 97, Counts: targets.Counts{Red: 2}},
		{UnitID: 4, UnitName: "临江镇", Score: 97, Counts: targets.Counts{Red: 1}},
	}}
	kept := districtLeague(b, nil, func(k string, _ ...any) string { return k })
	d := kept.choose(2, func(k string, _ ...any) string { return k })
	if kept.League[1].Selected {
		t.Error("choosing a township changed the kept league")
	}
	var got []string
	for _, s := range d.League {
		got = append(got, s.UnitName)
		if s.Selected != (s.UnitID == 2) {
			t.Errorf("%s selected = %v", s.UnitName, s.Selected)
		}
	}
	if want := []string{"临江镇", "XX镇", "青山镇"}; !reflect.DeepEqual(got, want) {
		t.Errorf("league = %v, want %v (score, then fewer reds)", got, want)
	}
	if d.League[0].Rank != 1 || d.League[2].Rank != 3 {
		t.Errorf("ranks = %d…%d", d.League[0].Rank, d.League[2].Rank)
	}
	if b.Units[0].UnitName != "青山镇" {
		t.Errorf("district() reordered the board's own units")
	}
}

func TestTableRowsEscape(t *testing.T) {
	l := newLine(targets.Row{Target: targets.Target{ID: 7, Value: 1}, Indicator: targets.Indicator{Name: `<script>"x"&</script>`, MeasureUnit: "万元"}, RolledUp: true},
		func(key string, _ ...any) string { return "<" + key + ">" })
	got := string(tableRows([]Line{l}, tags{rolledUp: "汇<总>"}))
	for _, bad := range []string{"<script>", `"x"`, "<target.light.>", "汇<总>"} {
		if strings.Contains(got, bad) {
			t.Errorf("row carries %s unescaped:\n%s", bad, got)
		}
	}
	for _, want := range []string{`&lt;script&gt;&#34;x&#34;&amp;&lt;/script&gt;`, `href="/targets/7"`, `汇&lt;总&gt;`, `class="light light-none"`} {
		if !strings.Contains(got, want) {
			t.Errorf("row lacks %s:\n%s", want, got)
		}
	}
}

func TestLeagueEscapes(t *testing.T) {
	d := &District{Townships: []org.Unit{{ID: 3, Name: `<b>镇</b>`}}, League: []Standing{{Rank: 1, UnitScore: targets.UnitScore{UnitID: 3, UnitName: `<b>镇</b>`, Score: 97.5, Light: targets.Red}}}}
	c := d.choose(3, func(key string, _ ...any) string { return "<" + key + ">" })
	for _, got := range []string{string(c.Rows), string(c.Options)} {
		if strings.Contains(got, "<b>") || strings.Contains(got, "<target.light") {
			t.Errorf("unescaped: %s", got)
		}
	}
	if !strings.Contains(string(c.Rows), `<tr class="selected">`) || !strings.Contains(string(c.Options), `value="3" selected`) {
		t.Errorf("the shown township is not marked:\n%s\n%s", c.Rows, c.Options)
	}
	if d.League[0].Selected {
		t.Error("choosing changed the kept league")
	}
}
