package i18n

import "testing"

func TestPeriodArguments(t *testing.T) {
	b := New(Catalog{
		"p.as_of":  {ZH: "数据截至%s", EN: "Figures for %s"},
		"p.month":  {ZH: "按%s月序时进度", EN: "against the schedule of %s"},
		"p.mixed":  {ZH: "%s，共%d条", EN: "%s, %d rows"},
		"p.nested": {ZH: "%[2]s（%[1]d）", EN: "%[2]s (%[1]d)"},
	})
	tests := []struct {
		name string
		lang Lang
		key  string
		args []any
		want string
	}{
		{"chinese span with year", ZH, "p.as_of", []any{Span{2026, 11}}, "数据截至2026年1-11月"},
		{"english span with year", EN, "p.as_of", []any{Span{2026, 11}}, "Figures for January–November 2026"},
		{"january alone in chinese", ZH, "p.as_of", []any{Span{2026, 1}}, "数据截至2026年1月"},
		{"january alone in english", EN, "p.as_of", []any{Span{2026, 1}}, "Figures for January 2026"},
		{"span without year in chinese", ZH, "p.as_of", []any{Span{0, 6}}, "数据截至1-6月"},
		{"span without year in english", EN, "p.as_of", []any{Span{0, 6}}, "Figures for January–June"},
		{"december", EN, "p.as_of", []any{Span{2025, 12}}, "Figures for January–December 2025"},
		{"month in chinese", ZH, "p.month", []any{Month(10)}, "按10月序时进度"},
		{"month in english", EN, "p.month", []any{Month(10)}, "against the schedule of October"},
		{"other arguments untouched", EN, "p.mixed", []any{Span{2026, 3}, 12}, "January–March 2026, 12 rows"},
		{"indexed verbs", ZH, "p.nested", []any{7, Span{0, 2}}, "1-2月（7）"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := b.T(tt.lang, tt.key, tt.args...); got != tt.want {
				t.Errorf("T(%s, %s) = %q, want %q", tt.lang, tt.key, got, tt.want)
			}
		})
	}
}
