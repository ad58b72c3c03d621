package targets

import (
	"math"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

// Detail codes of the entry rules' refusals, for API clients that act on
// them (web.APIError's code).
const (
	DetailDecrease       = "cumulative_decrease"
	DetailUnitSuspect    = "unit_suspect"
	DetailReasonRequired = "reason_required"
	DetailTargetChange   = "target_change"
)

// Neighbours are the current figures a new figure for a period is checked
// against: the period's own (which the new one corrects) and the nearest
// months before and after it that have one.
type Neighbours struct {
	Kept   *Figure
	Before *Figure
	After  *Figure
}

// neighboursOf picks a period's neighbours from a target's current figures
// (one per period, in any order).
func neighboursOf(current []Figure, period string) Neighbours {
	var n Neighbours
	for i := range current {
		f := &current[i]
		switch {
		case f.Period == period:
			n.Kept = f
		case f.Period < period && (n.Before == nil || f.Period > n.Before.Period):
			n.Before = f
		case f.Period > period && (n.After == nil || f.Period < n.After.Period):
			n.After = f
		}
	}
	return n
}

// orderProblem refuses a cumulative figure of a non-negative indicator that
// is lower than an earlier month's, or higher than a later month's: a total
// since 1 January cannot fall. A figure entered as a correction of the other
// months (they were wrong) passes. It returns the message key and its
// arguments, or "" when the figure is in order.
func orderProblem(ind Indicator, value float64, n Neighbours, correction bool) (string, []any) {
	if correction || ind.Measure != MeasureCumulative || !ind.NonNegative {
		return "", nil
	}
	const eps = 1e-9
	if b := n.Before; b != nil && value < b.Value-eps {
		key := "target.err.below_earlier"
		if b.Month() == 1 {
			key = "target.err.below_january"
		}
		return key, []any{b.Period[:4], b.Month(), web.FormatNumber(b.Value), ind.MeasureUnit, web.FormatNumber(b.Value - value)}
	}
	if a := n.After; a != nil && a.Value < value-eps {
		return "target.err.above_later", []any{a.Period[:4], a.Month(), web.FormatNumber(a.Value), ind.MeasureUnit, web.FormatNumber(value - a.Value)}
	}
	return "", nil
}

// Suspect is a figure far from what it is compared with: about 10,000 times
// (万元 written as 亿元, or the reverse) or about ten times (a slipped decimal
// point, 千元 for 万元). It is recorded only when confirmed.
type Suspect struct {
	Against string  // previous, last_year or target
	Period  string  // the previous figure's period, for Against previous
	Ref     float64 // what the figure was compared with
	Ratio   float64 // figure ÷ reference, ≥ 1 or < 1
	Wan     bool    // about 10,000 times: the 万元/亿元 mistake
}

// Suspect thresholds: a ratio of 8 or more (1/8 or less) is "about ten
// times"; 5,000 or more (1/5,000 or less) is "about 10,000 times". Between
// them a figure is still flagged as ten times, the milder message.
const (
	suspectTen = 8
	suspectWan = 5000
)

// suspectOf compares a figure with the previous month's figure, last year's
// same period and the annual target (a value target's, upwards only: early
// in the year a figure is rightly a small part of it). For a cumulative
// indicator the previous figure is first run on to this month (×N/M), so a
// total that simply grows with the months is not flagged. Only positive
// numbers are compared. nil when nothing looks wrong.
func suspectOf(ind Indicator, t Target, value float64, lastYear *float64, period string, n Neighbours) *Suspect {
	if value <= 0 || math.IsNaN(value) || math.IsInf(value, 0) {
		return nil
	}
	var found *Suspect
	consider := func(s Suspect, scaled float64, upOnly bool) {
		r := value / scaled
		far := r >= suspectTen || (!upOnly && r <= 1.0/suspectTen)
		if !far {
			return
		}
		s.Ratio = value / s.Ref
		s.Wan = r >= suspectWan || (!upOnly && r <= 1.0/suspectWan)
		if found == nil || (s.Wan && !found.Wan) {
			found = &s
		}
	}
	if b := n.Before; b != nil && b.Value > 0 {
		scaled := b.Value
		if ind.Measure == MeasureCumulative {
			if m, bm := periodMonth(period), b.Month(); m > bm && bm > 0 {
				scaled = b.Value * float64(m) / float64(bm)
			}
		}
		consider(Suspect{Against: "previous", Period: b.Period, Ref: b.Value}, scaled, false)
	}
	if lastYear != nil && *lastYear > 0 {
		consider(Suspect{Against: "last_year", Ref: *lastYear}, *lastYear, false)
	}
	if t.Kind == KindValue && t.Value > 0 && ind.Measure == MeasureCumulative {
		consider(Suspect{Against: "target", Ref: t.Value}, t.Value, true)
	}
	return found
}

// Key is the message key of the suspicion; converted says the import
// converted the number from the sheet's measurement unit.
func (s Suspect) Key(converted bool) string {
	switch {
	case converted: // the conversion itself is the likeliest mistake
		return "target.err.suspect.converted"
	case s.Wan:
		return "target.err.suspect." + s.Against + ".wan"
	}
	return "target.err.suspect." + s.Against + ".ten"
}

// Args are the message's arguments: the previous period, the reference and
// the measurement unit, the figure, the ratio (how many times, either way)
// and the sheet's measurement unit.
func (s Suspect) Args(value float64, unit, sheetUnit string) []any {
	r := s.Ratio
	if r < 1 {
		r = 1 / r
	}
	return []any{s.Period, web.FormatNumber(s.Ref), unit, web.FormatNumber(value), web.FormatNumber(math.Round(r)), sheetUnit}
}

// checkEntry applies the rules that compare a figure with the target's
// others: the order of a cumulative total, the unit-mistake guard, and the
// reason a correction needs. in has passed checkFigure.
func checkEntry(in *FigureInput, t Row, n Neighbours) error {
	in.Reason = strings.TrimSpace(in.Reason)
	var es platform.Errors
	if key, args := orderProblem(t.Indicator, *in.Value, n, in.Correction); key != "" {
		e := platform.FieldError("correction", key, args...)
		e.Detail = DetailDecrease
		es = append(es, e)
	}
	if !in.Confirm {
		if s := suspectOf(t.Indicator, t.Target, *in.Value, in.LastYear, in.Period, n); s != nil {
			e := platform.FieldError("confirm", s.Key(false), s.Args(*in.Value, t.Indicator.MeasureUnit, "")...)
			e.Detail = DetailUnitSuspect
			es = append(es, e)
		}
	}
	if k := n.Kept; in.AsOf != "" && k != nil {
		switch {
		case k.AsOf == "":
			es = append(es, platform.FieldError("as_of", "target.err.as_of_after_statistic", k.Month()))
		case in.AsOf < k.AsOf:
			es = append(es, platform.FieldError("as_of", "target.err.as_of_earlier", k.AsOf))
		}
	}
	switch {
	case (corrects(in, n.Kept) || in.Correction) && in.Reason == "":
		e := platform.FieldError("reason", "target.err.reason_required")
		e.Detail = DetailReasonRequired
		es = append(es, e)
	case len([]rune(in.Reason)) > MaxNote:
		es = append(es, platform.FieldError("reason", "form.err.too_long", MaxNote))
	}
	return es.Err()
}

// corrects reports whether a figure replaces its period's kept one as a
// correction, which needs a reason: not when the month's statistic comes
// after a 调度数 (it supersedes it), nor a 调度数 of a later day after an
// earlier one (the weekly 调度 moving on).
func corrects(in *FigureInput, kept *Figure) bool {
	switch {
	case kept == nil:
		return false
	case kept.AsOf == "":
		return true
	case in.AsOf == "":
		return false
	}
	return in.AsOf <= kept.AsOf
}

// keepEmpty fills the fields an API correction left out with the kept
// figure's, so that correcting 去年同期 alone does not wipe the value, nor
// the value alone 去年同期 (and with it the seasonal forecast). A figure
// that is not a correction of the kept one (a 调度数 moving on, the
// statistic after it) takes nothing from it.
func keepEmpty(in *FigureInput, kept *Figure) {
	if kept == nil || !corrects(in, kept) {
		return
	}
	if in.Value == nil {
		v := kept.Value
		in.Value = &v
	}
	if in.LastYear == nil && !in.ClearLastYear {
		in.LastYear = kept.LastYear
	}
}
