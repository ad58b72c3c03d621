package targets

import (
	"regexp"
	"strconv"
)

// Periods that statistics reports name in words rather than months: a
// quarter's or half-year's figure is the cumulative to its last month.
var namedPeriods = map[string]int{
	"一季度": 3, "第一季度": 3, "1季度": 3, "前一季度": 3,
	"上半年": 6, "1-2季度": 6, "前两季度": 6, "前二季度": 6,
	"前三季度": 9, "1-3季度": 9, "前3季度": 9,
}

var (
	// "上半年", "2026年上半年累计", "前三季度完成"; dashes are folded first.
	namedHeader = regexp.MustCompile(`^(?:(\d{4})年)?(一季度|第一季度|1季度|前一季度|上半年|1-2季度|前两季度|前二季度|前三季度|1-3季度|前3季度)(?:累计完成|累计数|累计|完成数|完成|实际)?$`)
	// The same words inside a title: "XX镇2026年上半年主要经济指标".
	namedTitle = regexp.MustCompile(`(一季度|1季度|上半年|1-2季度|前两季度|前二季度|前三季度|1-3季度|前3季度)`)
	// "2026年1-10月" or "2026年上半年" in a title: a year naming the period,
	// not one in passing ("与2025年同期对比").
	titleYear = regexp.MustCompile(`(?:^|[^\d])(\d{4})\s*年\s*(?:1\s*-+\s*\d{1,2}\s*月|1月|一季度|1季度|上半年|前三季度)`)
)

// namedMonth reads a header that names its period in words: "上半年累计" →
// the year written before it (0 when none) and 6.
func namedMonth(h string) (year, month int, ok bool) {
	m := namedHeader.FindStringSubmatch(h)
	if m == nil {
		return 0, 0, false
	}
	year, _ = strconv.Atoi(m[1])
	return year, namedPeriods[m[2]], true
}

// titlePeriod reads the year and the months of the title rows above the
// header: "XX镇2026年1-10月主要经济指标完成情况" → 2026, 10; "2026年上半年"
// → 2026, 6. Either is 0 when the titles do not say.
func titlePeriod(titles []string) (year, month int) {
	for _, t := range titles {
		t = foldDashes(foldWidth(t))
		if month == 0 {
			if m := titleRange.FindStringSubmatch(t); m != nil {
				if n, _ := strconv.Atoi(m[1]); n >= 1 && n <= 12 {
					month = n
				}
			} else if m := namedTitle.FindStringSubmatch(t); m != nil {
				month = namedPeriods[m[1]]
			}
		}
		if year == 0 {
			if m := titleYear.FindStringSubmatch(t); m != nil {
				if n, _ := strconv.Atoi(m[1]); n >= 2000 && n <= 2100 {
					year = n
				}
			}
		}
	}
	return year, month
}
