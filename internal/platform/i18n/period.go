package i18n

import (
	"strconv"
	"time"
)

// Span is the cumulative period 1–N月 of a year as a message argument: it
// prints in the reader's language, so one key serves both without the English
// text reading "January–month 11". Year 0 leaves the year out; Month 1 is a
// single month ("1月", not "1-1月").
type Span struct{ Year, Month int }

// Month is a month of the year (1–12) as a message argument: "11" in Chinese
// texts (which carry their own 月), "November" in English ones.
type Month int

// Text renders s in lang: 2026年1-11月 / January–November 2026.
func (s Span) Text(lang Lang) string { return s.text(lang) }

func (s Span) text(lang Lang) string {
	if lang == EN {
		out := Month(s.Month).text(EN)
		if s.Month > 1 {
			out = "January–" + out
		}
		if s.Year != 0 {
			out += " " + strconv.Itoa(s.Year)
		}
		return out
	}
	out := strconv.Itoa(s.Month) + "月"
	if s.Month > 1 {
		out = "1-" + out
	}
	if s.Year != 0 {
		out = strconv.Itoa(s.Year) + "年" + out
	}
	return out
}

func (m Month) text(lang Lang) string {
	if lang == EN && m >= 1 && m <= 12 {
		return time.Month(m).String()
	}
	return strconv.Itoa(int(m))
}

// localize replaces Span and Month arguments by their text in lang; other
// arguments pass through untouched.
func localize(lang Lang, args []any) []any {
	var out []any
	for i, a := range args {
		var s string
		switch v := a.(type) {
		case Span:
			s = v.text(lang)
		case Month:
			s = v.text(lang)
		default:
			continue
		}
		if out == nil {
			out = append([]any(nil), args...)
		}
		out[i] = s
	}
	if out == nil {
		return args
	}
	return out
}
