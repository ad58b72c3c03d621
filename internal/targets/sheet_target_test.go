package targets

import (
	"bytes"
	"fmt"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// TestTargetHeader: the year's target column is recognised by the words
// township sheets use for it, with units in brackets and a year before
// them; the share of it, its growth and the strive-for level are not it.
func TestTargetHeader(t *testing.T) {
	tests := []struct {
		header string
		want   bool
	}{
		{"年度任务数", true},
		{"年度任务数（万元）", true},
		{"年度任务数(万元)", true},
		{"年度\n任务数", true},
		{"年计划", true},
		{"年计划（亿元）", true},
		{"全年目标", true},
		{"目标任务", true},
		{"年度目标", true},
		{"年度目标【万元】", true},
		{"全年计划", true},
		{"年度计划数", true},
		{"全年任务", true},
		{"目标值", true},
		{"2026年目标", true},
		{"2026年度目标任务", true},
		{"2026年计划", true},
		{"２０２６年目标任务（万元）", true},
		{"确保目标", true},

		{"占年计划%", false},
		{"完成年计划（%）", false},
		{"占年度任务%", false},
		{"目标增速%", false},
		{"力争目标", false},
		{"力争", false},
		{"完成率", false},
		{"1-10月累计", false},
		{"去年同期", false},
		{"任务", false},
		{"计划", false},
		{"备注", false},
	}
	for _, tt := range tests {
		t.Run(tt.header, func(t *testing.T) {
			sh := MustParse(t, MustXLSX(t, oneSheet(
				[]any{"指标名称", "计量单位", "1-10月累计", tt.header},
				[]any{"入库税收", "万元", 40000, 50000},
			)))
			if len(sh.Problems) > 0 {
				t.Fatalf("problems %+v", sh.Problems)
			}
			col, ok := sh.Columns[RoleTarget]
			if ok != tt.want {
				t.Fatalf("columns %v: target recognised %v, want %v", sh.Columns, ok, tt.want)
			}
			if !tt.want {
				if len(sh.Rows) != 1 || sh.Rows[0].Target != nil {
					t.Errorf("rows %+v, want no target read", sh.Rows)
				}
				return
			}
			if col != "D" || sh.Headers[RoleTarget] != headerText(tt.header) {
				t.Errorf("target column %s %q, want D %q", col, sh.Headers[RoleTarget], headerText(tt.header))
			}
			if len(sh.Rows) != 1 || sh.Rows[0].Target == nil || *sh.Rows[0].Target != 50000 || *sh.Rows[0].Value != 40000 {
				t.Errorf("rows %s, want the target 50000 beside the value 40000", fmtRows(sh.Rows))
			}
		})
	}
}

// TestParseSheetTargets reads a sheet with the year's target beside the
// figures: a row with only a target is a row, a blank target is none, and
// text or a negative number in the target cell is refused by row and column.
func TestParseSheetTargets(t *testing.T) {
	sh := MustParse(t, MustXLSX(t, oneSheet(
		[]any{title},
		[]any{"指标名称", "计量单位", "年度任务数（万元）", "1-10月累计", "去年同期", "占年计划%"},
		[]any{"入库税收", "万元", 50000, 40000, 38000, 80},
		[]any{"一般公共预算收入", "万元", 42000, nil, nil},    // only a target
		[]any{"新发展市场主体", "户", nil, 1700, 1600},      // no target
		[]any{"固定资产投资", "亿元", "三十", 27.3, 25.9},     // 5: text
		[]any{"实际到账外资", "万美元", -4000, 4100, 3300},   // 6: negative
		[]any{"规上工业总产值", "亿元", "1,234.5", nil, nil}, // grouped
		[]any{"城镇化率", "%", "65%", "60%", nil},       // percent typed
		[]any{"一、工业经济", nil, nil, nil, nil},         // heading
		[]any{nil, nil, 100, nil, nil},              // 11: a target with no indicator
	)))
	want := []SheetRow{
		{Row: 3, Indicator: "入库税收", MeasureUnit: "万元", Target: num(50000), Value: num(40000), LastYear: num(38000)},
		{Row: 4, Indicator: "一般公共预算收入", MeasureUnit: "万元", Target: num(42000)},
		{Row: 5, Indicator: "新发展市场主体", MeasureUnit: "户", Value: num(1700), LastYear: num(1600)},
		{Row: 6, Indicator: "固定资产投资", MeasureUnit: "亿元", Value: num(27.3), LastYear: num(25.9)},
		{Row: 7, Indicator: "实际到账外资", MeasureUnit: "万美元", Value: num(4100), LastYear: num(3300)},
		{Row: 8, Indicator: "规上工业总产值", MeasureUnit: "亿元", Target: num(1234.5)},
		{Row: 9, Indicator: "城镇化率", MeasureUnit: "%", Target: num(65), Value: num(60)},
	}
	if got, want := fmtRows(sh.Rows), fmtRows(want); got != want {
		t.Errorf("rows:\n%s\nwant:\n%s", got, want)
	}
	var got []string
	for _, p := range sh.Problems {
		got = append(got, fmt.Sprintf("%d %s %s %s %v", p.Row, p.Column, p.Header, p.Key, p.Args))
	}
	wantProblems := []string{
		"6 C 年度任务数（万元） import.err.not_a_number [三十]",
		"7 C 年度任务数（万元） import.err.negative_target []",
		"11 A 指标名称 import.err.missing_indicator []",
	}
	if !reflect.DeepEqual(got, wantProblems) {
		t.Errorf("problems:\n%q\nwant:\n%q", got, wantProblems)
	}
	checkMessages(t, sh.Problems)
	if sh.Columns[RoleTarget] != "C" || sh.Columns[RoleShare] != "F" {
		t.Errorf("columns %v, want the target in C and the share in F", sh.Columns)
	}
}

// TestWriteSheetTargets: the 年度任务数 column stands before the figures
// when any row has a target, and the sheet reads back the same.
func TestWriteSheetTargets(t *testing.T) {
	rows := []SheetRow{
		{Indicator: "入库税收", MeasureUnit: "万元", Target: num(50000), Value: num(40000.5), LastYear: num(38000)},
		{Indicator: "固定资产投资", MeasureUnit: "亿元", Target: num(30)},
		{Indicator: "新发展市场主体", MeasureUnit: "户", Value: num(1700)},
	}
	var buf bytes.Buffer
	if err := WriteSheet(&buf, title, 10, rows); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	head, err := f.GetRows(f.GetSheetName(0))
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"指标名称", "计量单位", "年度任务数", "1-10月累计", "去年同期", "同比增长%"}; !reflect.DeepEqual(head[1], want) {
		t.Errorf("header %q, want %q", head[1], want)
	}
	sh := MustParse(t, buf.Bytes())
	for i := range rows {
		rows[i].Row = 3 + i
	}
	if got, want := fmtRows(sh.Rows), fmtRows(rows); got != want || len(sh.Problems) > 0 {
		t.Errorf("read back:\n%s\nwant:\n%s\nproblems %+v", got, want, sh.Problems)
	}

	// The template's column is there with no target to fill in.
	buf.Reset()
	if err := writeSheetTo(&buf, title, 10, []SheetRow{{Indicator: "入库税收", MeasureUnit: "万元"}}, true); err != nil {
		t.Fatal(err)
	}
	if sh := MustParse(t, buf.Bytes()); sh.Columns[RoleTarget] != "C" || sh.Columns[RoleValue] != "D" {
		t.Errorf("template columns %v, want the target in C", sh.Columns)
	}
}
