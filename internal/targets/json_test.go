package targets

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"
)

// TestAppendJSONIsWhatEncodingJSONWrites: the list's hand-written rows read
// exactly as encoding/json (HTML unescaped, as WriteJSON) writes them.
func TestAppendJSONIsWhatEncodingJSONWrites(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	i := func(v int64) *int64 { return &v }
	s := func(v string) *string { return &v }
	red := Red
	cases := []TargetJSON{
		{},
		{ID: 7, Year: 2026, IndicatorID: 3, Indicator: `一般公共预算收入 "<&>"`, MeasureUnit: "万元", UnitID: 2, Unit: "XX镇\n\t\\", PersonID: i(4), Person: s("黄秀英\u2028\u2029"),
			ParentID: i(1), Measure: MeasureCumulative, Kind: KindValue, Direction: Higher, TargetValue: 46000, StriveValue: f(48000.5), LastYearTotal: f(0),
			Actual: f(39083.123456789), RolledUp: true, Period: s("2026-10"), ExpectedShare: 10.0 / 12, Completion: f(0.8496), Gap: f(-0.0000001),
			YoYGrowth: f(-1e22), Light: &red, OverAchieved: true, OverCeiling: true, Forecast: f(1e21), PaceNeeded: f(123456789012)},
		{Indicator: "bad \xff utf-8 \x01\x1f", Unit: string([]byte{0xe4, 0xb8}), TargetValue: -0, ExpectedShare: math.SmallestNonzeroFloat64, Gap: f(1e-7), Completion: f(5e-324)},
	}
	for _, tc := range cases {
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(tc); err != nil {
			t.Fatal(err)
		}
		got := string(tc.AppendJSON(nil)) + "\n"
		if got != want.String() {
			t.Errorf("AppendJSON:\n got %s\nwant %s", got, want.String())
		}
	}
}
