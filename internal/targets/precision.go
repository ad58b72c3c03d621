package targets

import (
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// Decimals is how many decimals the indicator's figures are shown with on
// pages and in downloads (the values themselves keep full precision): 亿元
// two, as bulletins print 23.30亿元; 万元 and 万美元 whole; counts of
// enterprises, households, people and events whole, so no page shows "12.83
// 个" or a forecast of "1,494.1 人"; percentages one.
//
// An indicator's own Precision, set in the catalogue, wins over its unit's.
func (in Indicator) Decimals() int {
	if in.Precision != nil {
		return *in.Precision
	}
	return DecimalsOf(in.MeasureUnit)
}

// MaxDecimals bounds an indicator's own display precision.
const MaxDecimals = 4

// DecimalsOf is the display precision of a measurement unit (计量单位). A unit
// it does not know shows two decimals, which hides nothing a person typed in
// the usual units.
func DecimalsOf(measureUnit string) int {
	if d, ok := unitDecimals[NormalizeMeasure(measureUnit)]; ok {
		return d
	}
	return 2
}

var unitDecimals = map[string]int{
	"亿元": 2, "亿美元": 2, "亿千瓦时": 2, "万吨": 2,
	"万元": 0, "万美元": 0, "元": 0, "千元": 0, "百万元": 1, "美元": 0,
	"%": 1, "万千瓦时": 1, "亩": 1, "公里": 1, "平方米": 0, "万平方米": 1,
	"吨": 0, "千瓦时": 0, "吨标准煤": 0,
	"个": 0, "家": 0, "户": 0, "人": 0, "人次": 0, "起": 0, "件": 0, "项": 0,
	"名": 0, "次": 0, "处": 0, "套": 0, "辆": 0, "座": 0, "栋": 0, "宗": 0,
}

// fixed is a download cell of one of the row's figures in its indicator's
// precision.
func (r RowView) fixed(v *float64) xlsx.Fixed {
	return xlsx.Fixed{V: v, Decimals: r.Indicator.Decimals()}
}

// targetCell is the download's 目标 cell: a growth target is a rate in
// percent, shown with one decimal; a value target is in the indicator's unit.
func (r RowView) targetCell() xlsx.Fixed {
	v := r.Value
	if r.Kind == KindGrowth {
		return xlsx.Fixed{V: &v, Decimals: 1}
	}
	return r.fixed(&v)
}

// Num shows one of the row's figures in its indicator's precision.
func (r RowView) Num(v any) string { return web.FormatFixed(v, r.Indicator.Decimals()) }

// StriveText is the 力争 value as shown: a growth rate as written, a value in
// the indicator's precision; "" when there is none.
func (r RowView) StriveText() string {
	switch {
	case r.Strive == nil:
		return ""
	case r.Kind == KindGrowth:
		return web.FormatNumber(r.Strive)
	}
	return r.Num(r.Strive)
}

// AllowanceOverText is how far a ceiling is passed, as shown; "" while within.
func (r RowView) AllowanceOverText() string {
	if v := r.AllowanceOver(); v != nil {
		return r.Num(v)
	}
	return ""
}
