package targets

import (
	"slices"
	"testing"
)

func TestSubItem(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		sub      bool
	}{
		{"其中：工业投资", "工业投资", true},
		{"其中:工业投资", "工业投资", true},
		{"  其中 工业投资", "工业投资", true},
		{"其中：　工业投资", "工业投资", true},
		{"其中工业投资", "工业投资", true},
		{"其中：", "其中：", false},
		{"其中", "其中", false},
		{"工业投资", "工业投资", false},
		{"工业投资（其中：技改）", "工业投资（其中：技改）", false},
	} {
		got, sub := subItem(tc.in)
		if got != tc.want || sub != tc.sub {
			t.Errorf("subItem(%q) = %q, %v; want %q, %v", tc.in, got, sub, tc.want, tc.sub)
		}
	}
}

func TestParseAliases(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"入库税收", []string{"入库税收"}},
		{"入库 税收、区级税收，镇级税收,村级税收;GDP\n地区 GDP\r\n", []string{"入库税收", "区级税收", "镇级税收", "村级税收", "GDP", "地区GDP"}},
		{"ＧＤＰ、GDP、 、", []string{"GDP"}},
		{"、、\n", nil},
	} {
		if got := ParseAliases(tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("ParseAliases(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMatcherOrder: a township's own alias, then the name, then a shared
// alias, compared compact.
func TestMatcherOrder(t *testing.T) {
	town, other := int64(5), int64(6)
	tax := Indicator{ID: 1, Name: "入库税收"}
	revenue := Indicator{ID: 2, Name: "税收收入"}
	budget := Indicator{ID: 3, Name: "一般公共预算收入"}
	own := Indicator{ID: 4, Name: "乡村旅游收入", TownshipID: &town}
	theirs := Indicator{ID: 5, Name: "乡村旅游收入", TownshipID: &other}
	m := newMatcher([]Indicator{tax, revenue, budget, own, theirs}, map[int64][]Alias{
		2: {{IndicatorID: 2, TownshipID: &town, Alias: "入库税收"}, {IndicatorID: 2, TownshipID: &town, Alias: "财政收入"}},
		3: {{IndicatorID: 3, Alias: "公共财政预算收入"}, {IndicatorID: 3, Alias: "财政收入"}},
	})
	for _, tc := range []struct {
		name     string
		township int64
		in       string
		want     int64
		alias    string
	}{
		{"own alias before another's name", town, "入库税收", 2, "入库税收"},
		{"the name elsewhere", other, "入库税收", 1, ""},
		{"shared alias", other, "公共财政 预算收入", 3, "公共财政 预算收入"},
		{"own alias before a shared one", town, "财政收入", 2, "财政收入"},
		{"shared alias elsewhere", other, "财政收入", 3, "财政收入"},
		{"the township's own indicator", town, "乡村旅游收入", 4, ""},
		{"another township's own of one name", other, "乡村旅游收入", 5, ""},
		{"widths and spaces folded", other, "税收　收入", 2, ""},
		{"unknown", town, "外资", 0, ""},
	} {
		got, alias, ok := m.match(tc.township, tc.in)
		if got.ID != tc.want || alias != tc.alias || ok != (tc.want != 0) {
			t.Errorf("%s: match(%d, %q) = %d, %q, %v; want %d, %q", tc.name, tc.township, tc.in, got.ID, alias, ok, tc.want, tc.alias)
		}
	}
}

func TestSubItemsExceeding(t *testing.T) {
	v := func(f float64) *float64 { return &f }
	inds := map[int64]Indicator{
		1: {ID: 1, Name: "固定资产投资", MeasureUnit: "亿元"},
		2: {ID: 2, Name: "工业投资", MeasureUnit: "万元"},
		3: {ID: 3, Name: "工业投资增速", MeasureUnit: "%"},
		4: {ID: 4, Name: "规上企业数", MeasureUnit: "个"},
	}
	for _, tc := range []struct {
		name   string
		parent ImportRow
		sub    ImportRow
		want   bool
	}{
		{"larger, converted to the parent's unit", ImportRow{IndicatorID: 1, Value: v(2)}, ImportRow{IndicatorID: 2, Value: v(25000)}, true},
		{"within", ImportRow{IndicatorID: 1, Value: v(2)}, ImportRow{IndicatorID: 2, Value: v(15000)}, false},
		{"equal", ImportRow{IndicatorID: 1, Value: v(2)}, ImportRow{IndicatorID: 2, Value: v(20000)}, false},
		{"a rate is not compared", ImportRow{IndicatorID: 1, Value: v(2)}, ImportRow{IndicatorID: 3, Value: v(12)}, false},
		{"units that do not convert", ImportRow{IndicatorID: 1, Value: v(2)}, ImportRow{IndicatorID: 4, Value: v(30)}, false},
		{"blank parent", ImportRow{IndicatorID: 1}, ImportRow{IndicatorID: 2, Value: v(25000)}, false},
		{"unknown sub-item", ImportRow{IndicatorID: 1, Value: v(2)}, ImportRow{Value: v(25000)}, false},
	} {
		parent, sub := tc.parent, tc.sub
		parent.Row = 4
		sub.Row, sub.Sub, sub.ParentRow = 5, true, 4
		rows := []ImportRow{parent, sub}
		got := subItemsExceeding(rows, inds, Problem{Column: "C"})
		if (len(got) == 1) != tc.want || len(got) > 1 {
			t.Errorf("%s: problems %+v, want a problem %v", tc.name, got, tc.want)
			continue
		}
		if tc.want && (got[0].Row != 5 || got[0].Column != "C" || got[0].Args[0] != "固定资产投资" || got[0].Args[1] != 4 || len(rows[1].Problems) != 1) {
			t.Errorf("%s: problem %+v (on the row: %v), want row 5, column C, naming 固定资产投资 and row 4", tc.name, got[0], rows[1].Problems)
		}
	}
}
