package targets

import (
	"testing"

	"guatu/internal/platform"
	"guatu/internal/platform/i18n"
)

func fig(period string, v float64) *Figure { return &Figure{Period: period, Value: v} }

func TestNeighboursOf(t *testing.T) {
	cur := []Figure{{Period: "2026-03", Value: 3}, {Period: "2026-09", Value: 9}, {Period: "2026-01", Value: 1}, {Period: "2026-11", Value: 11}}
	tests := []struct {
		name                string
		period              string
		kept, before, after string
	}{
		{"between two", "2026-06", "", "2026-03", "2026-09"},
		{"a kept month", "2026-09", "2026-09", "2026-03", "2026-11"},
		{"before all", "2025-12", "", "", "2026-01"},
		{"after all", "2026-12", "", "2026-11", ""},
	}
	p := func(f *Figure) string {
		if f == nil {
			return ""
		}
		return f.Period
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			n := neighboursOf(cur, tc.period)
			if got, want := [3]string{p(n.Kept), p(n.Before), p(n.After)}, [3]string{tc.kept, tc.before, tc.after}; got != want {
				t.Errorf("kept, before, after = %v, want %v", got, want)
			}
		})
	}
}

func TestOrderProblem(t *testing.T) {
	cum := Indicator{Measure: MeasureCumulative, NonNegative: true, MeasureUnit: "万元"}
	tests := []struct {
		name       string
		ind        Indicator
		value      float64
		n          Neighbours
		correction bool
		key, msg   string
	}{
		{"above the month before", cum, 3300, Neighbours{Before: fig("2026-09", 3200)}, false, "", ""},
		{"equal to the month before", cum, 3200, Neighbours{Before: fig("2026-09", 3200)}, false, "", ""},
		{"below the month before", cum, 2400, Neighbours{Before: fig("2026-09", 3200)}, false, "target.err.below_earlier", "低于2026年1-9月的3,200万元（少800万元）；如前几个月数据有误，请按更正录入"},
		{"below January", cum, 5, Neighbours{Before: fig("2026-01", 10)}, false, "target.err.below_january", "低于2026年1月的10万元（少5万元）；如前几个月数据有误，请按更正录入"},
		{"above the month after", cum, 5000, Neighbours{Before: fig("2026-08", 3000), After: fig("2026-10", 4000)}, false, "target.err.above_later", "高于2026年1-10月已报的4,000万元（多1,000万元），累计数不会减少；如后几个月数据有误，请按更正录入并随后更正这几个月"},
		{"between both", cum, 3500, Neighbours{Before: fig("2026-08", 3000), After: fig("2026-10", 4000)}, false, "", ""},
		{"entered as a correction", cum, 2400, Neighbours{Before: fig("2026-09", 3200)}, true, "", ""},
		{"a point-in-time value may fall", Indicator{Measure: MeasurePoint, NonNegative: true}, 2400, Neighbours{Before: fig("2026-09", 3200)}, false, "", ""},
		{"a cumulative that may be negative may fall", Indicator{Measure: MeasureCumulative}, -3, Neighbours{Before: fig("2026-09", 5)}, false, "", ""},
		{"no neighbours", cum, 1, Neighbours{}, false, "", ""},
		{"the kept figure itself is no neighbour", cum, 1, Neighbours{Kept: fig("2026-10", 5000)}, false, "", ""},
	}
	msgs := i18n.New(entryMessages)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			key, args := orderProblem(tc.ind, tc.value, tc.n, tc.correction)
			if key != tc.key {
				t.Fatalf("key %q, want %q", key, tc.key)
			}
			if tc.msg != "" {
				if got := msgs.T("zh", key, args...); got != tc.msg {
					t.Errorf("message %q, want %q", got, tc.msg)
				}
			}
		})
	}
}

func TestSuspectOf(t *testing.T) {
	cum := Indicator{Measure: MeasureCumulative, NonNegative: true, MeasureUnit: "万元"}
	point := Indicator{Measure: MeasurePoint, NonNegative: true, MeasureUnit: "万元"}
	target := Target{Kind: KindValue, Value: 1000}
	ly := func(v float64) *float64 { return &v }
	tests := []struct {
		name     string
		ind      Indicator
		t        Target
		value    float64
		lastYear *float64
		period   string
		n        Neighbours
		key      string // "" when nothing is suspect
	}{
		{"a month's normal growth", cum, target, 900, ly(850), "2026-10", Neighbours{Before: fig("2026-09", 800)}, ""},
		{"亿元 for 万元: 10,000 times the previous", cum, Target{}, 8110000, nil, "2026-10", Neighbours{Before: fig("2026-09", 700)}, "target.err.suspect.previous.wan"},
		{"万元 for 亿元: 10,000 times below last year", cum, Target{}, 0.08, ly(800), "2026-10", Neighbours{}, "target.err.suspect.last_year.wan"},
		{"a slipped decimal point", cum, Target{}, 80, nil, "2026-10", Neighbours{Before: fig("2026-09", 700)}, "target.err.suspect.previous.ten"},
		{"exactly 8 times last year", cum, Target{}, 800, ly(100), "2026-10", Neighbours{}, "target.err.suspect.last_year.ten"},
		{"just under 8 times", cum, Target{}, 799, ly(100), "2026-10", Neighbours{}, ""},
		{"a cumulative total run on over skipped months", cum, Target{}, 1200, nil, "2026-12", Neighbours{Before: fig("2026-01", 100)}, ""},
		{"a point value does not run on", point, Target{}, 1200, nil, "2026-12", Neighbours{Before: fig("2026-01", 100)}, "target.err.suspect.previous.ten"},
		{"10,000 times the annual target", cum, target, 8110000, nil, "2026-10", Neighbours{}, "target.err.suspect.target.wan"},
		{"far below the annual target is early in the year", cum, target, 0.01, nil, "2026-01", Neighbours{}, ""},
		{"the ten-times band loses to the 10,000-times one", cum, target, 9000000, ly(100000), "2026-10", Neighbours{Before: fig("2026-09", 500)}, "target.err.suspect.previous.wan"},
		{"zero is compared with nothing", cum, target, 0, ly(100), "2026-10", Neighbours{Before: fig("2026-09", 500)}, ""},
		{"a zero reference is skipped", cum, Target{}, 500, ly(0), "2026-10", Neighbours{Before: fig("2026-09", 0)}, ""},
		{"a growth target's rate is no reference", cum, Target{Kind: KindGrowth, Value: 8}, 900, nil, "2026-10", Neighbours{}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := suspectOf(tc.ind, tc.t, tc.value, tc.lastYear, tc.period, tc.n)
			key := ""
			if s != nil {
				key = s.Key(false)
			}
			if key != tc.key {
				t.Errorf("suspect %+v (%q), want %q", s, key, tc.key)
			}
		})
	}
}

func TestSuspectMessage(t *testing.T) {
	cum := Indicator{Measure: MeasureCumulative, NonNegative: true, MeasureUnit: "万元"}
	s := suspectOf(cum, Target{Kind: KindValue, Value: 1000}, 8110000, nil, "2026-10", Neighbours{})
	if s == nil {
		t.Fatal("811 亿元 converted to 万元 not suspect")
	}
	msgs := i18n.New(entryMessages)
	got := msgs.T("zh", s.Key(true), s.Args(8110000, "万元", "亿元")...)
	want := "计量单位写的是亿元，换算后为8,110,000万元，与1,000万元相差约8,110倍；如这个数本是万元，请把计量单位改为万元"
	if got != want {
		t.Errorf("message %q, want %q", got, want)
	}
	got = msgs.T("zh", "target.err.suspect.previous.ten", Suspect{Against: "previous", Period: "2026-09", Ref: 700, Ratio: 80.0 / 700}.Args(80, "万元", "")...)
	if want := "本次80万元与上期（2026-09）的700万元相差约9倍；请核对小数点和计量单位，无误请勾选“确认数值无误”"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

func TestCheckEntry(t *testing.T) {
	row := Row{Target: Target{Kind: KindValue, Value: 40000}, Indicator: Indicator{Measure: MeasureCumulative, NonNegative: true, MeasureUnit: "万元"}}
	v := func(x float64) *float64 { return &x }
	tests := []struct {
		name   string
		in     FigureInput
		n      Neighbours
		fields []string // the fields refused, in order; none when accepted
		detail string
	}{
		{"a new month in order", FigureInput{Period: "2026-10", Value: v(3300)}, Neighbours{Before: fig("2026-09", 3200)}, nil, ""},
		{"a decrease", FigureInput{Period: "2026-10", Value: v(2400)}, Neighbours{Before: fig("2026-09", 3200)}, []string{"correction"}, DetailDecrease},
		{"a decrease as a correction needs a reason", FigureInput{Period: "2026-10", Value: v(2400), Correction: true}, Neighbours{Before: fig("2026-09", 3200)}, []string{"reason"}, DetailReasonRequired},
		{"a decrease as a correction with a reason", FigureInput{Period: "2026-10", Value: v(2400), Correction: true, Reason: " 9月多报 "}, Neighbours{Before: fig("2026-09", 3200)}, nil, ""},
		{"a kept month needs a reason", FigureInput{Period: "2026-10", Value: v(3300)}, Neighbours{Kept: fig("2026-10", 3250)}, []string{"reason"}, DetailReasonRequired},
		{"a suspect figure", FigureInput{Period: "2026-10", Value: v(33000000)}, Neighbours{Before: fig("2026-09", 3200)}, []string{"confirm"}, DetailUnitSuspect},
		{"a suspect figure confirmed", FigureInput{Period: "2026-10", Value: v(33000000), Confirm: true}, Neighbours{Before: fig("2026-09", 3200)}, nil, ""},
		{"everything at once", FigureInput{Period: "2026-10", Value: v(0.2)}, Neighbours{Kept: fig("2026-10", 3250), Before: fig("2026-09", 3200)}, []string{"correction", "confirm", "reason"}, DetailDecrease},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := checkEntry(&tc.in, row, tc.n)
			var got []string
			if err != nil {
				pe := platform.AsError(err)
				if pe.Detail != tc.detail {
					t.Errorf("detail %q, want %q", pe.Detail, tc.detail)
				}
				es, _ := pe.Err.(platform.Errors)
				for _, e := range es {
					got = append(got, e.Field)
				}
			}
			if len(got) != len(tc.fields) {
				t.Fatalf("refused %v, want %v", got, tc.fields)
			}
			for i := range got {
				if got[i] != tc.fields[i] {
					t.Errorf("refused %v, want %v", got, tc.fields)
				}
			}
		})
	}
}

func TestKeepEmpty(t *testing.T) {
	ly := 37000.0
	kept := &Figure{Period: "2026-10", Value: 40000, LastYear: &ly}
	v := 41000.0
	in := FigureInput{Period: "2026-10", Value: &v}
	keepEmpty(&in, kept)
	if *in.Value != 41000 || in.LastYear == nil || *in.LastYear != 37000 {
		t.Errorf("value only: value %v, last year %v; want 41000 and the kept 37000", *in.Value, in.LastYear)
	}
	ly2 := 36000.0
	in = FigureInput{Period: "2026-10", LastYear: &ly2}
	keepEmpty(&in, kept)
	if in.Value == nil || *in.Value != 40000 || *in.LastYear != 36000 {
		t.Errorf("last year only: value %v, last year %v; want the kept 40000 and 36000", in.Value, *in.LastYear)
	}
	in = FigureInput{Period: "2026-11"}
	keepEmpty(&in, nil)
	if in.Value != nil || in.LastYear != nil {
		t.Errorf("a new month took values %v %v", in.Value, in.LastYear)
	}
}
