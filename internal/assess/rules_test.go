package assess

import (
	"errors"
	"math"
	"reflect"
	"strings"
	"testing"

	"guatu/internal/platform"
)

func f(v float64) *float64 { return &v }

func TestEvaluate(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	completion := func(weight, limit float64) Item {
		return Item{Category: "经济社会发展", Name: "入库税收", Weight: weight, Kind: Completion, Cap: limit}
	}
	tests := []struct {
		name    string
		item    Item
		facts   Facts
		points  float64
		missing bool
	}{
		// Completion: weight × min(completion ÷ share, cap).
		{"on the calendar", completion(20, 1.2), Facts{Completion: f(0.917), Share: f(0.917)}, 20, false},
		{"behind the calendar", completion(20, 1.2), Facts{Completion: f(0.849), Share: f(0.917)}, 18.52, false},
		{"ahead, within the cap", completion(20, 1.2), Facts{Completion: f(1.0), Share: f(0.917)}, 21.81, false},
		{"far ahead, at the cap", completion(20, 1.2), Facts{Completion: f(1.5), Share: f(0.917)}, 24, false},
		{"no cap reads as 100%", completion(20, 0), Facts{Completion: f(1.5), Share: f(0.5)}, 20, false},
		{"a negative completion scores nothing", completion(20, 1.2), Facts{Completion: f(-0.3), Share: f(0.5)}, 0, false},
		{"nothing due yet earns the cap", completion(20, 1.2), Facts{Completion: f(0), Share: f(0)}, 24, false},
		{"no figure", completion(20, 1.2), Facts{Share: f(0.5)}, 0, true},
		{"no schedule", completion(20, 1.2), Facts{Completion: f(0.5)}, 0, true},
		{"a NaN completion", completion(20, 1.2), Facts{Completion: &nan, Share: f(0.5)}, 0, true},
		{"an infinite share", completion(20, 1.2), Facts{Completion: f(0.5), Share: &inf}, 0, true},
		// Count: 数量达 N 不扣分，少一个扣 X 分.
		{"count reached", Item{Weight: 10, Kind: Count, Need: 5, Per: 2}, Facts{Number: 5}, 10, false},
		{"count passed", Item{Weight: 10, Kind: Count, Need: 5, Per: 2}, Facts{Number: 9}, 10, false},
		{"two short", Item{Weight: 10, Kind: Count, Need: 5, Per: 2}, Facts{Number: 3}, 6, false},
		{"none at all, floored at zero", Item{Weight: 10, Kind: Count, Need: 8, Per: 2}, Facts{Number: 0}, 0, false},
		{"a negative count reads as none", Item{Weight: 10, Kind: Count, Need: 3, Per: 1}, Facts{Number: -4}, 7, false},
		// Deduction: X points an event, floored at zero.
		{"no overdue task", Item{Weight: 5, Kind: Deduction, Per: 0.5, Counts: OverdueTask}, Facts{Number: 0}, 5, false},
		{"three overdue tasks", Item{Weight: 5, Kind: Deduction, Per: 0.5, Counts: OverdueTask}, Facts{Number: 3}, 3.5, false},
		{"more red cards than the weight holds", Item{Weight: 5, Kind: Deduction, Per: 2, Counts: RedCard}, Facts{Number: 4}, 0, false},
		// Manual: within [0, weight], with its reason.
		{"a manual score", Item{Weight: 30, Kind: Manual}, Facts{Manual: f(27.5), Reason: "党建述职评议良好"}, 27.5, false},
		{"a manual score above the weight", Item{Weight: 30, Kind: Manual}, Facts{Manual: f(31)}, 30, false},
		{"a negative manual score", Item{Weight: 30, Kind: Manual}, Facts{Manual: f(-1)}, 0, false},
		{"no manual score yet", Item{Weight: 30, Kind: Manual}, Facts{}, 0, true},
		// Bonus: up to its ceiling.
		{"a bonus", Item{Kind: Bonus, Ceiling: 3}, Facts{Bonus: 1.5}, 1.5, false},
		{"a bonus past its ceiling", Item{Kind: Bonus, Ceiling: 3}, Facts{Bonus: 5}, 3, false},
		{"a negative bonus", Item{Kind: Bonus, Ceiling: 3}, Facts{Bonus: -2}, 0, false},
		{"a NaN bonus", Item{Kind: Bonus, Ceiling: 3}, Facts{Bonus: nan}, 0, false},
		{"an unknown rule", Item{Weight: 5, Kind: "ranking"}, Facts{Number: 1}, 0, true},
		{"a deduction counting nothing known", Item{Weight: 5, Kind: Deduction, Per: 1, Counts: "petition"}, Facts{Number: 1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Evaluate(tt.item, tt.facts)
			if got.Points != tt.points || got.Missing != tt.missing {
				t.Errorf("Evaluate = %v points (missing %v), want %v (missing %v); %s %v", got.Points, got.Missing, tt.points, tt.missing, got.Key, got.Args)
			}
			if math.IsNaN(got.Points) || got.Points < 0 {
				t.Errorf("points %v out of range", got.Points)
			}
			if got.Key == "" {
				t.Error("no arithmetic to show")
			}
		})
	}
}

// TestCompletionArithmetic: the formula the page shows carries the figures
// the score came from.
func TestCompletionArithmetic(t *testing.T) {
	got := Evaluate(Item{Weight: 20, Kind: Completion, Cap: 1.2}, Facts{Completion: f(0.849), Share: f(0.917)})
	want := []any{20.0, 84.9, 91.7, 120.0, 18.52}
	if got.Key != "assess.calc.completion" || !reflect.DeepEqual(got.Args, want) {
		t.Errorf("arithmetic %s %v, want %v", got.Key, got.Args, want)
	}
}

func TestSchemeCheck(t *testing.T) {
	good := func() Scheme {
		return Scheme{Total: 100,
			Categories: []Category{{Name: "经济社会发展", Weight: 70}, {Name: "党建", Weight: 30}},
			Items: []Item{
				{Category: "经济社会发展", Name: "入库税收", Weight: 40, Kind: Completion, Cap: 1.2},
				{Category: "经济社会发展", Name: "招商签约", Weight: 20, Kind: Count, Need: 5, Per: 2},
				{Category: "经济社会发展", Name: "督办超期", Weight: 10, Kind: Deduction, Per: 1, Counts: OverdueTask},
				{Category: "党建", Name: "基层党建", Weight: 30, Kind: Manual},
				{Category: "党建", Name: "创新加分", Kind: Bonus, Ceiling: 3},
			},
			TieBreak: []int{0, 1}}
	}
	tests := []struct {
		name  string
		edit  func(s *Scheme)
		field string
		key   string
	}{
		{"the 双百分制", func(s *Scheme) {}, "", ""},
		{"weights typed with decimals", func(s *Scheme) {
			s.Categories = []Category{{Name: "经济社会发展", Weight: 70.1}, {Name: "党建", Weight: 29.9}}
			s.Items[0].Weight, s.Items[3].Weight = 40.1, 29.9
		}, "", ""},
		{"categories short of the total", func(s *Scheme) { s.Categories[1].Weight = 25 }, "categories", "assess.err.categories_sum"},
		{"no total", func(s *Scheme) { s.Total = 0 }, "total", "assess.err.total"},
		{"items short of their category", func(s *Scheme) { s.Items[1].Weight = 15 }, "items", "assess.err.items_sum"},
		{"an item in no category", func(s *Scheme) { s.Items[2].Category = "其他" }, "items", "assess.err.no_category"},
		{"an item without weight", func(s *Scheme) {
			s.Items = append(s.Items, Item{Category: "党建", Name: "空项", Kind: Manual})
		}, "items", "assess.err.weight"},
		{"a cap below 100%", func(s *Scheme) { s.Items[0].Cap = 0.9 }, "items", "assess.err.cap"},
		{"a count without its number", func(s *Scheme) { s.Items[1].Need = 0 }, "items", "assess.err.count"},
		{"a deduction counting nothing known", func(s *Scheme) { s.Items[2].Counts = "petition" }, "items", "assess.err.deduction"},
		{"a bonus without a ceiling", func(s *Scheme) { s.Items[4].Ceiling = 0 }, "items", "assess.err.ceiling"},
		{"an unknown rule", func(s *Scheme) { s.Items[3].Kind = "vote" }, "items", "assess.err.kind"},
		{"a tie-break naming no item", func(s *Scheme) { s.TieBreak = []int{0, 9} }, "tie_break", "assess.err.tie_break"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := good()
			tt.edit(&s)
			es := s.Check()
			if tt.key == "" {
				if len(es) != 0 {
					t.Errorf("Check = %v, want none", es)
				}
				return
			}
			found := false
			for _, e := range es {
				if e.Field == tt.field && e.Key == tt.key {
					found = true
				}
			}
			if !found {
				t.Errorf("Check = %v, want %s on %s", es, tt.key, tt.field)
			}
		})
	}
}

func TestCheckManual(t *testing.T) {
	it := Item{Weight: 30, Kind: Manual}
	tests := []struct {
		name   string
		points *float64
		reason string
		fields []string
	}{
		{"with its reason", f(28), "述职评议优秀", nil},
		{"no reason", f(28), " 　", []string{"reason"}},
		{"above the weight", f(31), "加分", []string{"points"}},
		{"negative", f(-1), "扣分", []string{"points"}},
		{"no score, no reason", nil, "", []string{"points", "reason"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckManual(it, tt.points, tt.reason)
			var got []string
			var es platform.Errors
			var one *platform.Error
			switch {
			case errors.As(err, &es):
				for _, e := range es {
					got = append(got, e.Field)
				}
			case errors.As(err, &one):
				got = []string{one.Field}
			}
			if !reflect.DeepEqual(got, tt.fields) {
				t.Errorf("fields at fault %v, want %v", got, tt.fields)
			}
		})
	}
}

func TestRank(t *testing.T) {
	e := func(id int64, name string, total float64, items ...float64) Entry {
		return Entry{UnitID: id, Name: name, Total: total, Items: items}
	}
	type place struct {
		name      string
		rank      int
		decidedBy int
		tied      bool
	}
	tests := []struct {
		name     string
		entries  []Entry
		tieBreak []int
		want     []place
	}{
		{"by total", []Entry{e(1, "东湖村", 88), e(2, "双塘村", 92.5), e(3, "柳河村", 75)}, nil,
			[]place{{"双塘村", 1, -1, false}, {"东湖村", 2, -1, false}, {"柳河村", 3, -1, false}}},
		{"a tie broken by the first item", []Entry{e(1, "东湖村", 90, 30, 60), e(2, "双塘村", 90, 35, 55)}, []int{0, 1},
			[]place{{"双塘村", 1, -1, false}, {"东湖村", 2, 0, false}}},
		{"a tie broken by the second item", []Entry{e(1, "东湖村", 90, 30, 60), e(2, "双塘村", 90, 30, 55), e(3, "杨庄村", 80, 40, 40)}, []int{0, 1},
			[]place{{"东湖村", 1, -1, false}, {"双塘村", 2, 1, false}, {"杨庄村", 3, -1, false}}},
		{"equal on every tie-break share the rank and the next skips", []Entry{e(1, "东湖村", 90, 30), e(2, "双塘村", 90, 30), e(3, "杨庄村", 70, 20)}, []int{0},
			[]place{{"东湖村", 1, -1, true}, {"双塘村", 1, -1, true}, {"杨庄村", 3, -1, false}}},
		{"no tie-break declared: equal totals share", []Entry{e(1, "东湖村", 90), e(2, "双塘村", 90)}, nil,
			[]place{{"东湖村", 1, -1, true}, {"双塘村", 1, -1, true}}},
		{"equal as published (two decimals)", []Entry{e(1, "东湖村", 90.004, 1), e(2, "双塘村", 90.001, 2)}, []int{0},
			[]place{{"双塘村", 1, -1, false}, {"东湖村", 2, 0, false}}},
		{"nobody", nil, []int{0}, []place{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := []place{}
			for _, r := range Rank(tt.entries, tt.tieBreak) {
				got = append(got, place{r.Name, r.Rank, r.DecidedBy, r.Tied})
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Rank =\n%v\nwant\n%v", got, tt.want)
			}
		})
	}
}

func TestRankChange(t *testing.T) {
	prev := map[int64]int{1: 3, 2: 1}
	for _, tt := range []struct {
		id         int64
		rank, want int
	}{{1, 1, 2}, {2, 2, -1}, {2, 1, 0}, {9, 4, 0}} {
		if got := RankChange(prev, Ranked{Entry: Entry{UnitID: tt.id}, Rank: tt.rank}); got != tt.want {
			t.Errorf("unit %d from %d to %d: %d, want %d", tt.id, prev[tt.id], tt.rank, got, tt.want)
		}
	}
}

func TestPlateOf(t *testing.T) {
	b := Bands{Blue: 2, Yellow: 2, Red: 1}
	want := []Plate{BluePlate, BluePlate, NoPlate, NoPlate, NoPlate, YellowPlate, YellowPlate, RedPlate}
	for i, w := range want {
		if got := PlateOf(b, i+1, len(want)); got != w {
			t.Errorf("rank %d of %d: %q, want %q", i+1, len(want), got, w)
		}
	}
	if got := PlateOf(b, 2, 2); got != BluePlate {
		t.Errorf("a small field's last, in the front too: %q, want blue", got)
	}
	if got := PlateOf(b, 0, 5); got != NoPlate {
		t.Errorf("no rank: %q", got)
	}
	if got := PlateOf(b, 6, 5); got != NoPlate {
		t.Errorf("a rank past the field: %q", got)
	}
}

func TestLists(t *testing.T) {
	rank := func(ranks ...int) []Ranked {
		var out []Ranked
		for i, r := range ranks {
			out = append(out, Ranked{Entry: Entry{UnitID: int64(i + 1)}, Rank: r})
		}
		return out
	}
	ids := func(rs []Ranked) []int64 {
		out := []int64{}
		for _, r := range rs {
			out = append(out, r.UnitID)
		}
		return out
	}
	tests := []struct {
		name       string
		ranks      []int
		n          int
		red, black []int64
	}{
		{"three each of ten", []int{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, 3, []int64{1, 2, 3}, []int64{10, 9, 8}},
		{"a tie at the red boundary joins it", []int{1, 2, 3, 3, 5, 6, 7, 8}, 3, []int64{1, 2, 3, 4}, []int64{8, 7, 6}},
		{"a tie at the black boundary joins it", []int{1, 2, 3, 4, 5, 6, 6, 8}, 2, []int64{1, 2}, []int64{8, 7, 6}},
		{"a small field: nobody on both", []int{1, 2, 3, 4}, 3, []int64{1, 2, 3}, []int64{4}},
		{"no list asked", []int{1, 2}, 0, []int64{}, []int64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			red, black := Lists(rank(tt.ranks...), tt.n)
			if got := ids(red); !reflect.DeepEqual(got, tt.red) {
				t.Errorf("red %v, want %v", got, tt.red)
			}
			if got := ids(black); !reflect.DeepEqual(got, tt.black) {
				t.Errorf("black %v, want %v", got, tt.black)
			}
		})
	}
}

// TestEveryKeyHasItsMessages: each key a rule gives, for every rule and
// event, has its Chinese and English text, with as many verbs as arguments.
func TestEveryKeyHasItsMessages(t *testing.T) {
	var scores []Score
	for _, k := range Kinds {
		it := Item{Weight: 10, Kind: k, Cap: 1.2, Need: 3, Per: 1, Ceiling: 3}
		scores = append(scores, Evaluate(it, Facts{}), Evaluate(it, Facts{Completion: f(0.5), Share: f(0.5), Number: 1, Manual: f(5), Reason: "好", Bonus: 1}))
	}
	for _, e := range Events {
		scores = append(scores, Evaluate(Item{Weight: 10, Kind: Deduction, Per: 1, Counts: e}, Facts{Number: 2}))
	}
	scores = append(scores, Evaluate(Item{Kind: "vote"}, Facts{}))
	for _, s := range scores {
		m, ok := Messages[s.Key]
		if !ok {
			t.Errorf("no message for %s", s.Key)
			continue
		}
		for _, text := range []string{m.ZH, m.EN} {
			if n := strings.Count(strings.ReplaceAll(text, "%%", ""), "%"); n != len(s.Args) {
				t.Errorf("%s: %q has %d verbs for %d arguments", s.Key, text, n, len(s.Args))
			}
		}
	}
	good := Scheme{Total: 100, Categories: []Category{{Name: "甲", Weight: 50}}, Items: []Item{{Category: "乙", Kind: "vote"}, {Category: "甲", Kind: Bonus}, {Category: "甲", Kind: Completion, Weight: 1, Cap: 0.5},
		{Category: "甲", Kind: Count, Weight: 1}, {Category: "甲", Kind: Deduction, Weight: 1}, {Category: "甲", Kind: "vote", Weight: 1}}, TieBreak: []int{7}}
	es := good.Check()
	es = append(es, Scheme{}.Check()...)
	if err := CheckManual(Item{Weight: 5}, nil, ""); err != nil {
		var all platform.Errors
		if errors.As(err, &all) {
			es = append(es, all...)
		}
	}
	for _, e := range es {
		if _, ok := Messages[e.Key]; !ok {
			t.Errorf("no message for %s", e.Key)
		}
	}
}
