package targets

import (
	"math"
	"strconv"
	"strings"
	"unicode"
)

// measureScale places a measurement unit (计量单位) in a family of units that
// convert into each other: the family name and the unit's size in the family's
// smallest unit. Count units (个, 户, 人, …) are deliberately absent: each
// converts only to itself, which the identity rule in ConvertMeasure covers.
var measureScale = map[string]struct {
	family string
	scale  float64
}{
	"元":    {"cny", 1},
	"千元":   {"cny", 1e3},
	"万元":   {"cny", 1e4},
	"百万元":  {"cny", 1e6},
	"亿元":   {"cny", 1e8},
	"美元":   {"usd", 1},
	"万美元":  {"usd", 1e4},
	"亿美元":  {"usd", 1e8},
	"吨":    {"t", 1},
	"万吨":   {"t", 1e4},
	"千瓦时":  {"kwh", 1},
	"万千瓦时": {"kwh", 1e4},
	"亿千瓦时": {"kwh", 1e8},
	"个":    {"enterprise", 1}, // 个 and 家 both count enterprises in
	"家":    {"enterprise", 1}, // statistics sheets; see ConvertMeasure.
}

// ConvertMeasure converts v from measurement unit `from` to `to` (e.g. 亿元→万元
// ×10000, 元→万元 ÷10000, 万美元↔亿美元, 个↔个, 户↔户, %↔%). ok is false when no
// conversion is known (e.g. 万元 vs 户), and the caller must refuse the value.
//
// Both names are normalized first. Any unit converts to itself, known or not;
// an empty unit converts only to an empty one, so a sheet that leaves 计量单位
// blank must be handled by the caller, not guessed here. 个 and 家 are treated
// as equal (both count enterprises). A scaled result is rounded to 12
// significant digits so that 1.2345 亿元 becomes exactly 12345 万元 instead of
// carrying binary noise into the database.
func ConvertMeasure(v float64, from, to string) (float64, bool) {
	from, to = NormalizeMeasure(from), NormalizeMeasure(to)
	if from == to {
		return v, true
	}
	f, okf := measureScale[from]
	t, okt := measureScale[to]
	if !okf || !okt || f.family != t.family {
		return 0, false
	}
	switch {
	case f.scale == t.scale:
		return v, true
	case f.scale > t.scale:
		return roundSignificant(v * (f.scale / t.scale)), true
	default:
		return roundSignificant(v / (t.scale / f.scale)), true
	}
}

// NormalizeMeasure trims spaces and full-width brackets: "（万元）" → "万元",
// "万 元" → "万元". Full-width characters fold to half-width ("％" → "%"), and
// every kind of bracket ((), [], 【】, 〔〕) is dropped, keeping what it held.
func NormalizeMeasure(s string) string {
	var b strings.Builder
	for _, r := range foldWidth(s) {
		switch {
		case unicode.IsSpace(r):
		case strings.ContainsRune("()[]{}【】〔〕〈〉《》", r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldWidth maps full-width ASCII variants (Ａ, １, ％, （, －, ～ …) and the
// ideographic space to their half-width forms, as WPS and Excel users type them
// interchangeably.
func foldWidth(s string) string {
	wide := false
	for _, r := range s {
		if (r >= 0xFF01 && r <= 0xFF5E) || r == 0x3000 {
			wide = true
			break
		}
	}
	if !wide {
		return s
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000:
			return ' '
		}
		return r
	}, s)
}

// roundSignificant rounds v to 12 significant digits, dropping the last bits of
// error that scaling by a power of ten leaves in a float64.
func roundSignificant(v float64) float64 {
	if v == 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return v
	}
	r, err := strconv.ParseFloat(strconv.FormatFloat(v, 'g', 12, 64), 64)
	if err != nil {
		return v
	}
	return r
}
