package targets

import (
	"reflect"
	"testing"
)

// TestSheetPeriod: the year and the months a sheet is for, from its value
// header or its title, in the words statistics reports use.
func TestSheetPeriod(t *testing.T) {
	row := []any{"财政收入", "万元", 500}
	tests := []struct {
		name        string
		title       string
		header      string
		year, month int
	}{
		{"months in the header", "", "1-10月累计", 0, 10},
		{"year and months in the header", "", "2027年1-10月累计", 2027, 10},
		{"long dash", "", "1—6月", 0, 6},
		{"至", "", "1至6月累计", 0, 6},
		{"上半年", "", "上半年", 0, 6},
		{"上半年 with a year and 累计", "", "2026年上半年累计", 2026, 6},
		{"一季度", "", "一季度完成", 0, 3},
		{"第一季度", "", "第一季度", 0, 3},
		{"前三季度", "", "前三季度累计", 0, 9},
		{"1-3季度", "", "1-3季度", 0, 9},
		{"year and months from the title", "XX镇2026年1-10月主要经济指标完成情况", "本年累计", 2026, 10},
		{"上半年 in the title", "XX镇2025年上半年主要经济指标", "本年累计", 2025, 6},
		{"the header's year beats the title's", "XX镇2026年1-10月", "2027年1-10月累计", 2027, 10},
		{"a year in passing is not the sheet's", "XX镇主要指标（与2025年同期对比）", "1-9月累计", 0, 9},
		{"no period at all", "", "本年累计", 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var rows [][]any
			if tt.title != "" {
				rows = append(rows, []any{tt.title})
			}
			rows = append(rows, []any{"指标名称", "计量单位", tt.header}, row)
			sh := MustParse(t, MustXLSX(t, oneSheet(rows...)))
			if len(sh.Problems) != 0 {
				t.Fatalf("problems: %+v", sh.Problems)
			}
			if sh.Year != tt.year || sh.Month != tt.month {
				t.Errorf("year, month = %d, %d; want %d, %d", sh.Year, sh.Month, tt.year, tt.month)
			}
		})
	}
}

// TestSheetsIgnored: every worksheet that is not read is named, with why.
func TestSheetsIgnored(t *testing.T) {
	data := [][]any{{"指标名称", "计量单位", "1-10月累计"}, {"财政收入", "万元", 500}}
	tests := []struct {
		name    string
		sheets  []sheetData
		read    string
		ignored []IgnoredSheet
	}{
		{"one sheet", []sheetData{{"主要指标", data}}, "主要指标", nil},
		{
			"notes before, a second sheet of figures and a blank one after",
			[]sheetData{{"填表说明", [][]any{{"请按指标库名称填报"}}}, {"镇本级", data}, {"各村", data}, {"Sheet3", nil}},
			"镇本级",
			[]IgnoredSheet{
				{Name: "填表说明", Key: keySheetNoHeader},
				{Name: "各村", Key: keySheetNotRead, Args: []any{"镇本级"}},
				{Name: "Sheet3", Key: keySheetNoHeader},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := MustParse(t, MustXLSX(t, book{sheets: tt.sheets}))
			if sh.SheetName != tt.read {
				t.Errorf("read %q, want %q", sh.SheetName, tt.read)
			}
			if !reflect.DeepEqual(sh.Ignored, tt.ignored) {
				t.Errorf("ignored = %+v, want %+v", sh.Ignored, tt.ignored)
			}
		})
	}
}
