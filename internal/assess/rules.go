// Package assess scores units against an assessment scheme (考核方案) and
// ranks them without ties a scheme does not allow (坚决不打"和牌"). This file
// holds the scheme's rules as pure functions: what an item scores given the
// facts behind it, how a scheme's weights must add up, and how units are
// ranked, banded into plates and listed red and black. The room reads the
// facts from targets, supervised work and projects; the rules never touch a
// database.
package assess

import (
	"math"
	"sort"
	"strings"

	"guatu/internal/platform"
)

// Kind is the rule an item scores by, from the small set real schemes use.
type Kind string

const (
	// Completion scores a target against its schedule: weight ×
	// min(completion ÷ schedule share, cap). A target ahead of the calendar
	// earns up to the cap (e.g. 120%), one behind earns its share.
	Completion Kind = "completion"
	// Count scores a number reached: "数量达 N 不扣分，少一个扣 X 分", never
	// below zero.
	Count Kind = "count"
	// Deduction takes X points per counted event (an overdue supervised task,
	// a yellow or red card, a 未报 month) from the item's weight, never below
	// zero.
	Deduction Kind = "deduction"
	// Manual is a score the office gives with a required reason (党建 items),
	// between zero and the weight.
	Manual Kind = "manual"
	// Bonus adds points for what a unit did beyond the scheme (加分), up to a
	// ceiling, outside the weights.
	Bonus Kind = "bonus"
)

// Kinds lists the rules in the order the scheme page offers them.
var Kinds = []Kind{Completion, Count, Deduction, Manual, Bonus}

// Event is what a Deduction item counts.
type Event string

const (
	OverdueTask Event = "overdue_task" // a supervised task past its deadline (超期)
	YellowCard  Event = "yellow_card"  // 黄牌
	RedCard     Event = "red_card"     // 红牌
	LateMonth   Event = "late_month"   // a month a target went unreported (未报)
)

// Events lists what a deduction may count.
var Events = []Event{OverdueTask, YellowCard, RedCard, LateMonth}

// Item is one line of a scheme: its category, its weight (the most it
// scores; a bonus item's Ceiling instead) and its rule with the rule's
// parameters.
type Item struct {
	Category string  `json:"category"`
	Name     string  `json:"name"`
	Weight   float64 `json:"weight"`
	Kind     Kind    `json:"kind"`
	// Cap bounds completion ÷ share for Completion: 1.2 lets a target ahead
	// of the calendar earn 120% of its weight. 0 reads as 1.
	Cap float64 `json:"cap,omitempty"`
	// Need is the number a Count item asks for; Per the points one short
	// costs (Count) or one event costs (Deduction).
	Need int     `json:"need,omitempty"`
	Per  float64 `json:"per,omitempty"`
	// Counts is what a Deduction item counts.
	Counts Event `json:"counts,omitempty"`
	// Ceiling bounds a Bonus item's points.
	Ceiling float64 `json:"ceiling,omitempty"`
}

// Category is a part of a scheme with its weight: the common 双百分制 has
// 经济社会发展 70 and 党建 30.
type Category struct {
	Name   string  `json:"name"`
	Weight float64 `json:"weight"`
}

// Scheme is an assessment scheme: categories that add up to Total, and
// items under them whose weights add up to their category's. TieBreak
// names the items, in order, that separate units with equal totals.
type Scheme struct {
	Total      float64    `json:"total"`
	Categories []Category `json:"categories"`
	Items      []Item     `json:"items"`
	TieBreak   []int      `json:"tie_break"` // indexes into Items
}

// weightEps absorbs the float noise of weights typed with one decimal.
const weightEps = 1e-6

// Check says what is wrong with a scheme, each problem on its field:
// categories that do not add up to the total, items that do not add up to
// their category, an item without a category, a rule's missing parameter,
// a tie-break naming no item. A scheme with problems can be kept as a
// draft but not put to use.
func (s Scheme) Check() platform.Errors {
	var es platform.Errors
	var sum float64
	weights := map[string]float64{}
	for _, c := range s.Categories {
		sum += c.Weight
		weights[c.Name] = 0
	}
	if s.Total <= 0 {
		es = append(es, platform.FieldError("total", "assess.err.total"))
	} else if math.Abs(sum-s.Total) > weightEps {
		es = append(es, platform.FieldError("categories", "assess.err.categories_sum", round2(sum), round2(s.Total)))
	}
	for i, it := range s.Items {
		field := "items"
		if _, ok := weights[it.Category]; !ok {
			es = append(es, platform.FieldError(field, "assess.err.no_category", i+1, it.Name))
			continue
		}
		if it.Kind != Bonus {
			weights[it.Category] += it.Weight
		}
		switch {
		case it.Kind == Bonus && it.Ceiling <= 0:
			es = append(es, platform.FieldError(field, "assess.err.ceiling", i+1, it.Name))
		case it.Kind != Bonus && it.Weight <= 0:
			es = append(es, platform.FieldError(field, "assess.err.weight", i+1, it.Name))
		case it.Kind == Completion && it.Cap != 0 && it.Cap < 1:
			es = append(es, platform.FieldError(field, "assess.err.cap", i+1, it.Name))
		case it.Kind == Count && (it.Need <= 0 || it.Per <= 0):
			es = append(es, platform.FieldError(field, "assess.err.count", i+1, it.Name))
		case it.Kind == Deduction && (it.Per <= 0 || !validEvent(it.Counts)):
			es = append(es, platform.FieldError(field, "assess.err.deduction", i+1, it.Name))
		case !validKind(it.Kind):
			es = append(es, platform.FieldError(field, "assess.err.kind", i+1, it.Name))
		}
	}
	for _, c := range s.Categories {
		if got := weights[c.Name]; math.Abs(got-c.Weight) > weightEps {
			es = append(es, platform.FieldError("items", "assess.err.items_sum", c.Name, round2(got), round2(c.Weight)))
		}
	}
	for _, i := range s.TieBreak {
		if i < 0 || i >= len(s.Items) {
			es = append(es, platform.FieldError("tie_break", "assess.err.tie_break", i+1))
		}
	}
	return es
}

func validKind(k Kind) bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

func validEvent(e Event) bool {
	for _, x := range Events {
		if x == e {
			return true
		}
	}
	return false
}

// Facts are what an item's score is computed from, as the room read them:
// a target's completion and the calendar's share for Completion, a number
// for Count and Deduction, the office's score and reason for Manual, the
// points claimed for Bonus. A nil pointer is a fact not known.
type Facts struct {
	Completion *float64 // actual ÷ target, 0.85 for 85%
	Share      *float64 // the schedule's expected share (序时进度), 0..1
	Number     int      // reached (Count) or counted events (Deduction)
	Manual     *float64
	Reason     string
	Bonus      float64
}

// Score is what an item scored and the arithmetic behind it, to show on
// the page a click on a score opens: Key and Args are the formula in the
// reader's language ("权重 20 × min(完成率 84.9% ÷ 序时 91.7%, 120%) = 18.52").
type Score struct {
	Points float64 `json:"points"`
	Key    string  `json:"key"`
	Args   []any   `json:"args"`
	// Missing says a fact was not known: the item scores 0 and the page
	// says why rather than showing a zero as a result.
	Missing bool `json:"missing,omitempty"`
}

// Evaluate scores one item on its facts. It is total: any input gives a
// Score within [0, weight] (a bonus within [0, ceiling]), never NaN.
func Evaluate(it Item, f Facts) Score {
	w := it.Weight
	switch it.Kind {
	case Completion:
		limit := it.Cap
		if limit == 0 {
			limit = 1
		}
		if f.Completion == nil || f.Share == nil || !finite(*f.Completion) || !finite(*f.Share) {
			return Score{Key: "assess.calc.no_figure", Args: []any{w}, Missing: true}
		}
		ratio := limit // nothing was due yet (share 0): the full reach of the cap
		if *f.Share > 0 {
			ratio = math.Min(math.Max(*f.Completion / *f.Share, 0), limit)
		}
		return Score{Points: round2(w * ratio), Key: "assess.calc.completion",
			Args: []any{w, pct(*f.Completion), pct(*f.Share), pct(limit), round2(w * ratio)}}
	case Count:
		short := max(it.Need-max(f.Number, 0), 0)
		p := math.Max(w-float64(short)*it.Per, 0)
		return Score{Points: round2(p), Key: "assess.calc.count", Args: []any{w, it.Need, max(f.Number, 0), short, it.Per, round2(p)}}
	case Deduction:
		if !validEvent(it.Counts) {
			return Score{Key: "assess.calc.unknown", Missing: true}
		}
		n := max(f.Number, 0)
		p := math.Max(w-float64(n)*it.Per, 0)
		return Score{Points: round2(p), Key: "assess.calc.deduction." + string(it.Counts), Args: []any{w, n, it.Per, round2(p)}}
	case Manual:
		if f.Manual == nil || !finite(*f.Manual) {
			return Score{Key: "assess.calc.no_manual", Args: []any{w}, Missing: true}
		}
		p := math.Min(math.Max(*f.Manual, 0), w)
		return Score{Points: round2(p), Key: "assess.calc.manual", Args: []any{round2(p), w, f.Reason}}
	case Bonus:
		if !finite(f.Bonus) {
			return Score{Key: "assess.calc.bonus", Args: []any{0.0, it.Ceiling, 0.0}}
		}
		p := math.Min(math.Max(f.Bonus, 0), it.Ceiling)
		return Score{Points: round2(p), Key: "assess.calc.bonus", Args: []any{round2(f.Bonus), it.Ceiling, round2(p)}}
	}
	return Score{Key: "assess.calc.unknown", Missing: true}
}

// CheckManual refuses a manual score without its reason or outside
// [0, weight]: the office answers for every point it gives by hand.
func CheckManual(it Item, points *float64, reason string) error {
	var es platform.Errors
	if points == nil || !finite(*points) || *points < 0 || *points > it.Weight {
		es = append(es, platform.FieldError("points", "assess.err.manual_range", it.Weight))
	}
	if strings.TrimSpace(reason) == "" {
		es = append(es, platform.FieldError("reason", "assess.err.manual_reason"))
	}
	return es.Err()
}

// Entry is one unit's result: its total and each item's points, in the
// scheme's item order.
type Entry struct {
	UnitID int64
	Name   string
	Total  float64
	Items  []float64
}

// Ranked is an entry with its place. Rank counts from 1; units share a
// rank only when their totals and every tie-break are equal, and then the
// next rank skips (1, 1, 3). DecidedBy is the index of the tie-break item
// that set the unit apart from the one just above it with an equal total,
// or -1 when the totals decided (or nothing did).
type Ranked struct {
	Entry
	Rank      int
	DecidedBy int
	Tied      bool // shares its rank: every tie-break was equal too
}

// Rank orders entries by total, then by the tie-break items in order, all
// as published (to two decimals), then by name so that the order on the
// page is stable; the name never decides a rank.
func Rank(entries []Entry, tieBreak []int) []Ranked {
	out := make([]Ranked, len(entries))
	for i, e := range entries {
		out[i] = Ranked{Entry: e, DecidedBy: -1}
	}
	key := func(r Ranked, k int) float64 { // k < 0: the total
		if k < 0 {
			return round2(r.Total)
		}
		if k < len(r.Items) {
			return round2(r.Items[k])
		}
		return 0
	}
	// compare gives the first key that tells a from b (-1 the total), and
	// whether a comes first; len(tieBreak) when none does.
	compare := func(a, b Ranked) (int, bool) {
		if x, y := key(a, -1), key(b, -1); x != y {
			return -1, x > y
		}
		for n, k := range tieBreak {
			if x, y := key(a, k), key(b, k); x != y {
				return n, x > y
			}
		}
		return len(tieBreak), false
	}
	sort.SliceStable(out, func(i, j int) bool {
		if n, first := compare(out[i], out[j]); n < len(tieBreak) {
			return first
		}
		return out[i].Name < out[j].Name
	})
	for i := range out {
		if i == 0 {
			out[i].Rank = 1
			continue
		}
		n, _ := compare(out[i-1], out[i])
		switch {
		case n == len(tieBreak):
			out[i].Rank, out[i].Tied, out[i-1].Tied = out[i-1].Rank, true, true
		default:
			out[i].Rank = i + 1
			if n >= 0 {
				out[i].DecidedBy = tieBreak[n]
			}
		}
	}
	return out
}

// RankChange is how many places a unit rose since the previous period
// (↑2 is 2, ↓1 is -1); 0 when it was not ranked then.
func RankChange(previous map[int64]int, r Ranked) int {
	if was, ok := previous[r.UnitID]; ok && was > 0 {
		return was - r.Rank
	}
	return 0
}

// Plate is the 红黄蓝 plate a rank earns.
type Plate string

const (
	NoPlate     Plate = ""
	BluePlate   Plate = "blue"   // 蓝牌: praise, the front of the field
	YellowPlate Plate = "yellow" // 黄牌: a reminder
	RedPlate    Plate = "red"    // 红牌: a warning, the back of the field
)

// Bands say which ranks earn which plate: the first Blue ranks a blue
// plate, the last Red a red one, the Yellow ranks just above those a
// yellow one. A unit both in the front and the back (a small field) keeps
// the blue.
type Bands struct {
	Blue, Yellow, Red int
}

// PlateOf is the plate of rank among n ranked units.
func PlateOf(b Bands, rank, n int) Plate {
	if rank < 1 || rank > n {
		return NoPlate
	}
	fromEnd := n - rank + 1
	switch {
	case rank <= b.Blue:
		return BluePlate
	case fromEnd <= b.Red:
		return RedPlate
	case fromEnd <= b.Red+b.Yellow:
		return YellowPlate
	}
	return NoPlate
}

// Lists are the red list (红榜, the first n) and the black list (黑榜, the
// last n) of a ranking; a unit sharing the boundary rank is on the list
// with the others of its rank. Nobody is on both: the black list takes the
// last n of those the red list left, from the last place up.
func Lists(ranked []Ranked, n int) (red, black []Ranked) {
	if n <= 0 || len(ranked) == 0 {
		return nil, nil
	}
	for i, r := range ranked {
		if i < n || (len(red) > 0 && r.Rank == red[len(red)-1].Rank) {
			red = append(red, r)
		}
	}
	for i := len(ranked) - 1; i >= len(red); i-- {
		r := ranked[i]
		if len(ranked)-i <= n || (len(black) > 0 && r.Rank == black[len(black)-1].Rank) {
			black = append(black, r)
		}
	}
	return red, black
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

// pct is a share as the formula shows it, to one decimal: 84.9.
func pct(v float64) float64 { return math.Round(v*1000) / 10 }

func finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }
