package targets

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"guatu/internal/platform/i18n"
)

func num(v float64) *float64 { return &v }

// book describes a test workbook: rows of cells per sheet, in order, starting
// at A1, and an optional edit applied before saving.
type book struct {
	sheets []sheetData
	edit   func(tb testing.TB, f *excelize.File)
}

type sheetData struct {
	name string
	rows [][]any
}

// MustXLSX builds an .xlsx file from b.
func MustXLSX(tb testing.TB, b book) []byte {
	tb.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, s := range b.sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.name); err != nil {
				tb.Fatal(err)
			}
		} else if _, err := f.NewSheet(s.name); err != nil {
			tb.Fatal(err)
		}
		for r, row := range s.rows {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(s.name, cell, &row); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if b.edit != nil {
		b.edit(tb, f)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func oneSheet(rows ...[]any) book { return book{sheets: []sheetData{{"Sheet1", rows}}} }

// MustParse parses data and fails the test on an error.
func MustParse(tb testing.TB, data []byte) *Sheet {
	tb.Helper()
	sh, err := ParseSheet(bytes.NewReader(data))
	if err != nil {
		tb.Fatalf("ParseSheet: %v", err)
	}
	return sh
}

const title = "XX镇2026年1-10月主要经济指标完成情况"

var stdHeader = []any{"指标名称", "计量单位", "1-10月累计", "去年同期"}

func TestParseSheet(t *testing.T) {
	tests := []struct {
		name     string
		book     book
		month    int
		columns  map[string]string
		rows     []SheetRow
		problems []Problem
	}{
		{
			name: "title, wrapped headers, full-width brackets, roll-up and blank rows",
			book: oneSheet(
				[]any{title},
				[]any{"单位：万元"},
				[]any{"序号", "指标\n名称", "计  量\n单  位", "1-10月\n累计（万元）", "上年同期\n（万元）", "备注"},
				[]any{1, "地区生产总值", "（亿元）", 12.5, 11.75, "快报数"},
				[]any{2, " 规上工业增加值 ", "万元", "1,234.5", "1 100"},
				[]any{},
				[]any{3, "新增市场主体", "户", "１２３", "—"},
				[]any{4, "实际利用外资", "万美元", "", "/"},
				[]any{nil, "合计", nil, 9999, 8888},
				[]any{nil, "合 计", nil, 9999, 8888},
			),
			month: 10,
			columns: map[string]string{
				"indicator": "B", "measure": "C", "value": "D", "last_year": "E", "note": "F",
			},
			rows: []SheetRow{
				{Row: 4, Indicator: "地区生产总值", MeasureUnit: "亿元", Value: num(12.5), LastYear: num(11.75), Note: "快报数"},
				{Row: 5, Indicator: "规上工业增加值", MeasureUnit: "万元", Value: num(1234.5), LastYear: num(1100)},
				{Row: 7, Indicator: "新增市场主体", MeasureUnit: "户", Value: num(123)},
				{Row: 8, Indicator: "实际利用外资", MeasureUnit: "万美元"},
			},
		},
		{
			name: "header variants without title",
			book: oneSheet(
				[]any{"指 标", "单 位", "1～9月累计", "同期数"},
				[]any{"固定资产投资", "亿元", 3, 2},
			),
			month:   9,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "D"},
			rows:    []SheetRow{{Row: 2, Indicator: "固定资产投资", MeasureUnit: "亿元", Value: num(3), LastYear: num(2)}},
		},
		{
			name: "month from the title when the header has none",
			book: oneSheet(
				[]any{"XX镇2026年1—8月主要指标"},
				[]any{"主要指标", "计量单位", "本年累计", "上年同期累计"},
				[]any{"税收收入", "万元", 800, 700},
			),
			month:   8,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "D"},
			rows:    []SheetRow{{Row: 3, Indicator: "税收收入", MeasureUnit: "万元", Value: num(800), LastYear: num(700)}},
		},
		{
			name: "no month anywhere and no last-year column",
			book: oneSheet(
				[]any{"项目", "单位", "累计"},
				[]any{"招商引资到位资金", "亿元", 1.5},
			),
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C"},
			rows:    []SheetRow{{Row: 2, Indicator: "招商引资到位资金", MeasureUnit: "亿元", Value: num(1.5)}},
		},
		{
			name: "cumulative column preferred to a generic one",
			book: oneSheet(
				[]any{"指标名称", "计量单位", "本期", "1-10月累计", "去年同期"},
				[]any{"工业用电量", "万千瓦时", 10, 95, 90},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "D", "last_year": "E"},
			rows:    []SheetRow{{Row: 2, Indicator: "工业用电量", MeasureUnit: "万千瓦时", Value: num(95), LastYear: num(90)}},
		},
		{
			name: "two years as column headers",
			book: oneSheet(
				[]any{"指标名称", "计量单位", "2025年1-10月", "2026年1-10月", "增长%"},
				[]any{"社会消费品零售总额", "亿元", 9, 10, 11.1},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "D", "last_year": "C", "growth": "E"},
			rows:    []SheetRow{{Row: 2, Indicator: "社会消费品零售总额", MeasureUnit: "亿元", Value: num(10), LastYear: num(9), Growth: num(11.1)}},
		},
		{
			name: "growth columns are not last year's figure",
			book: oneSheet(
				[]any{"指标名称", "计量单位", "1-10月累计", "比上年同期增长（%）"},
				[]any{"工业投资", "亿元", 4, 12.5},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "growth": "D"},
			rows:    []SheetRow{{Row: 2, Indicator: "工业投资", MeasureUnit: "亿元", Value: num(4), Growth: num(12.5)}},
		},
		{
			name: "growth column beside last year's",
			book: oneSheet(
				[]any{"指标名称", "计量单位", "1-10月累计", "比去年同期±%", "去年同期"},
				[]any{"工业投资", "亿元", 4, 12.5, 3},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "E", "growth": "D"},
			rows:    []SheetRow{{Row: 2, Indicator: "工业投资", MeasureUnit: "亿元", Value: num(4), LastYear: num(3), Growth: num(12.5)}},
		},
		{
			name: "growth and share of the year's target, typed and formatted as %",
			book: oneSheet(
				[]any{"指标名称", "计量单位", "1-10月累计", "同比增长%", "占年计划%"},
				[]any{"工业投资", "亿元", 4, "12.5%", 80},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "growth": "D", "share": "E"},
			rows:    []SheetRow{{Row: 2, Indicator: "工业投资", MeasureUnit: "亿元", Value: num(4), Growth: num(12.5), Share: num(80)}},
		},
		{
			name: "text in a number cell",
			book: oneSheet(stdHeader,
				[]any{"新增规上企业", "个", "十二", 10},
				[]any{"净增就业", "人", "1,23", "8.5%"},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "D"},
			rows: []SheetRow{
				{Row: 2, Indicator: "新增规上企业", MeasureUnit: "个", LastYear: num(10)},
				{Row: 3, Indicator: "净增就业", MeasureUnit: "人"},
			},
			problems: []Problem{
				{Row: 2, Column: "C", Header: "1-10月累计", Key: keyNotANumber, Args: []any{"十二"}},
				{Row: 3, Column: "C", Header: "1-10月累计", Key: keyNotANumber, Args: []any{"1,23"}},
				{Row: 3, Column: "D", Header: "去年同期", Key: keyNotANumber, Args: []any{"8.5%"}},
			},
		},
		{
			name: "percentages typed, stored as fractions, and plain",
			book: book{
				sheets: []sheetData{{"Sheet1", [][]any{stdHeader,
					{"城镇调查失业率", "%", "5.2%", "（％）"},
					{"一般公共预算收入增速", "％", 0.085, 7.5},
				}}},
				edit: func(tb testing.TB, f *excelize.File) {
					pct, err := f.NewStyle(&excelize.Style{NumFmt: 10}) // 0.00%
					if err != nil {
						tb.Fatal(err)
					}
					if err := f.SetCellStyle("Sheet1", "C3", "C3", pct); err != nil {
						tb.Fatal(err)
					}
				},
			},
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "D"},
			rows: []SheetRow{
				{Row: 2, Indicator: "城镇调查失业率", MeasureUnit: "%", Value: num(5.2)},
				{Row: 3, Indicator: "一般公共预算收入增速", MeasureUnit: "%", Value: num(8.5), LastYear: num(7.5)},
			},
			problems: []Problem{
				{Row: 2, Column: "D", Header: "去年同期", Key: keyNotANumber, Args: []any{"（％）"}},
			},
		},
		{
			name: "duplicates after normalizing, and a missing indicator",
			book: oneSheet(stdHeader,
				[]any{"规上工业总产值", "亿元", 5, 4},
				[]any{"规上工业总产值 ", "亿元", 6, 4},
				[]any{"规上工业\n总产值", "亿元", 7, 4},
				[]any{"", "亿元", 8, 4},
				[]any{nil, nil, "abc"},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "D"},
			rows:    []SheetRow{{Row: 2, Indicator: "规上工业总产值", MeasureUnit: "亿元", Value: num(5), LastYear: num(4)}},
			problems: []Problem{
				{Row: 3, Column: "A", Header: "指标名称", Key: keyDuplicateRow, Args: []any{2, "A"}},
				{Row: 4, Column: "A", Header: "指标名称", Key: keyDuplicateRow, Args: []any{2, "A"}},
				{Row: 5, Column: "A", Header: "指标名称", Key: keyMissingIndicator},
				{Row: 6, Column: "A", Header: "指标名称", Key: keyMissingIndicator},
				{Row: 6, Column: "C", Header: "1-10月累计", Key: keyNotANumber, Args: []any{"abc"}},
			},
		},
		{
			name: "org units, merged indicator cells and a unit roll-up",
			book: book{
				sheets: []sheetData{{"Sheet1", [][]any{
					{"指标名称", "计量单位", "镇(街道)", "1-10月累计", "去年同期"},
					{"固定资产投资", "亿元", "东山镇", 2, 1},
					{nil, nil, "西湖街道", 3, 2},
					{nil, nil, "合计", 5, 3},
					{"新增就业", "人", "东山镇", 40, 35},
					{"新增就业", "人", "西湖街道", 50, 45},
					{"新增就业", "人", "东山镇", 1, 1},
				}}},
				edit: func(tb testing.TB, f *excelize.File) {
					for _, r := range [][2]string{{"A2", "A4"}, {"B2", "B4"}} {
						if err := f.MergeCell("Sheet1", r[0], r[1]); err != nil {
							tb.Fatal(err)
						}
					}
				},
			},
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "unit": "C", "value": "D", "last_year": "E"},
			rows: []SheetRow{
				{Row: 2, Indicator: "固定资产投资", MeasureUnit: "亿元", Unit: "东山镇", Value: num(2), LastYear: num(1)},
				{Row: 3, Indicator: "固定资产投资", MeasureUnit: "亿元", Unit: "西湖街道", Value: num(3), LastYear: num(2)},
				{Row: 5, Indicator: "新增就业", MeasureUnit: "人", Unit: "东山镇", Value: num(40), LastYear: num(35)},
				{Row: 6, Indicator: "新增就业", MeasureUnit: "人", Unit: "西湖街道", Value: num(50), LastYear: num(45)},
			},
			problems: []Problem{{Row: 7, Column: "A", Header: "指标名称", Key: keyDuplicateUnitRow, Args: []any{5, "A", "C"}}},
		},
		{
			name: "headings, footers and a two-line header",
			book: oneSheet(
				[]any{"指标名称", "计量单位", "1-10月", nil},
				[]any{nil, nil, "累计", "增长%"},
				[]any{"一、工业经济"},
				[]any{"规上工业增加值", "亿元", 3.2, 5.1},
				[]any{"其中：高新技术产业", "亿元", nil, nil},
				[]any{"填报人：张三    审核人：李四"},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C"},
			rows: []SheetRow{
				{Row: 4, Indicator: "规上工业增加值", MeasureUnit: "亿元", Value: num(3.2)},
				{Row: 5, Indicator: "高新技术产业", MeasureUnit: "亿元", Sub: true, ParentRow: 4},
			},
		},
		{
			name: "sub-items (其中) under the row above",
			book: oneSheet(
				stdHeader,
				[]any{"固定资产投资", "亿元", 10},
				[]any{"其中：工业投资", "亿元", 4},
				[]any{"其中:房地产开发投资", "亿元", 3},
				[]any{"  其中 技改投资", "亿元", 1},
				[]any{"其中工业用电量", "万千瓦时", 5},
			),
			month:   10,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "D"},
			rows: []SheetRow{
				{Row: 2, Indicator: "固定资产投资", MeasureUnit: "亿元", Value: num(10)},
				{Row: 3, Indicator: "工业投资", MeasureUnit: "亿元", Value: num(4), Sub: true, ParentRow: 2},
				{Row: 4, Indicator: "房地产开发投资", MeasureUnit: "亿元", Value: num(3), Sub: true, ParentRow: 2},
				{Row: 5, Indicator: "技改投资", MeasureUnit: "亿元", Value: num(1), Sub: true, ParentRow: 2},
				{Row: 6, Indicator: "工业用电量", MeasureUnit: "万千瓦时", Value: num(5), Sub: true, ParentRow: 2},
			},
		},
		{
			name: "header on the second worksheet",
			book: book{sheets: []sheetData{
				{"填表说明", [][]any{{"请按指标库名称填报"}, {"金额单位：万元"}}},
				{"数据", [][]any{{"指标", "计量单位", "1-3月累计"}, {"财政收入", "万元", 500}}},
			}},
			month:   3,
			columns: map[string]string{"indicator": "A", "measure": "B", "value": "C"},
			rows:    []SheetRow{{Row: 2, Indicator: "财政收入", MeasureUnit: "万元", Value: num(500)}},
		},
		{
			name:     "header below row 15 is not found",
			book:     oneSheet(append(make([][]any, 15), stdHeader, []any{"财政收入", "万元", 500})...),
			problems: []Problem{{Key: keyNoHeader}},
		},
		{
			name:     "no header",
			book:     oneSheet([]any{"名称", "数量"}, []any{"财政收入", 500}),
			problems: []Problem{{Key: keyNoHeader}},
		},
		{
			name:     "empty workbook",
			book:     oneSheet(),
			problems: []Problem{{Key: keyNoHeader}},
		},
		{
			name: "too many rows",
			book: book{
				sheets: []sheetData{{"Sheet1", [][]any{stdHeader, {"财政收入", "万元", 500}}}},
				edit: func(tb testing.TB, f *excelize.File) {
					if err := f.SetCellValue("Sheet1", "A100001", "财政收入"); err != nil {
						tb.Fatal(err)
					}
				},
			},
			month:    10,
			columns:  map[string]string{"indicator": "A", "measure": "B", "value": "C", "last_year": "D"},
			problems: []Problem{{Key: keyTooManyRows, Args: []any{100000}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh := MustParse(t, MustXLSX(t, tt.book))
			if sh.Month != tt.month {
				t.Errorf("Month = %d; want %d", sh.Month, tt.month)
			}
			if tt.columns == nil {
				tt.columns = map[string]string{}
			}
			if !reflect.DeepEqual(sh.Columns, tt.columns) {
				t.Errorf("Columns = %v; want %v", sh.Columns, tt.columns)
			}
			if got, want := fmtRows(sh.Rows), fmtRows(tt.rows); got != want {
				t.Errorf("Rows:\n%s\nwant:\n%s", got, want)
			}
			if got, want := fmt.Sprintf("%+v", sh.Problems), fmt.Sprintf("%+v", tt.problems); got != want {
				t.Errorf("Problems:\n%s\nwant:\n%s", got, want)
			}
			checkMessages(t, sh.Problems)
		})
	}
}

func TestParseSheetFormulaUsesCachedValue(t *testing.T) {
	data := MustXLSX(t, book{
		sheets: []sheetData{{"Sheet1", [][]any{stdHeader, {"财政收入", "万元", nil, 90}}}},
		edit: func(tb testing.TB, f *excelize.File) {
			if err := f.SetCellFormula("Sheet1", "C2", "D2+10"); err != nil {
				tb.Fatal(err)
			}
		},
	})
	// excelize writes no cached value; add the one Excel would have saved.
	data = patchZip(t, data, "xl/worksheets/sheet1.xml", func(s string) string {
		return strings.Replace(s, "<f>D2+10</f>", "<f>D2+10</f><v>100</v>", 1)
	})
	sh := MustParse(t, data)
	if len(sh.Problems) > 0 || len(sh.Rows) != 1 || sh.Rows[0].Value == nil {
		t.Fatalf("got rows %s problems %+v; want one row with a value", fmtRows(sh.Rows), sh.Problems)
	}
	if got, want := *sh.Rows[0].Value, 100.0; got != want {
		t.Errorf("Value = %v; want %v", got, want)
	}
}

func TestParseSheetBadFiles(t *testing.T) {
	random := make([]byte, 4096)
	rand.New(rand.NewSource(1)).Read(random)
	good := MustXLSX(t, oneSheet(stdHeader, []any{"财政收入", "万元", 500}))
	tests := []struct {
		name string
		data io.Reader
		want Problem
	}{
		{"random bytes", bytes.NewReader(random), Problem{Key: keyNotXLSX}},
		{"empty file", bytes.NewReader(nil), Problem{Key: keyNotXLSX}},
		{"csv text", strings.NewReader("指标名称,计量单位,1-10月累计\n财政收入,万元,500\n"), Problem{Key: keyNotXLSX}},
		{"truncated xlsx", bytes.NewReader(good[:len(good)/2]), Problem{Key: keyNotXLSX}},
		{"zip without a workbook", bytes.NewReader(mustZip(t, map[string]string{"a.txt": "hello"})), Problem{Key: keyNotXLSX}},
		{"over 20 MB", io.LimitReader(zeros{}, 20<<20+1), Problem{Key: keyTooLarge, Args: []any{20}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sh, err := ParseSheet(tt.data)
			if err != nil {
				t.Fatalf("ParseSheet: %v", err)
			}
			if got, want := fmt.Sprintf("%+v", sh.Problems), fmt.Sprintf("%+v", []Problem{tt.want}); got != want {
				t.Errorf("Problems = %s; want %s", got, want)
			}
			if len(sh.Rows) != 0 {
				t.Errorf("Rows = %s; want none", fmtRows(sh.Rows))
			}
			checkMessages(t, sh.Problems)
		})
	}
}

func TestParseSheetReadError(t *testing.T) {
	broken := errors.New("connection reset")
	_, err := ParseSheet(io.MultiReader(strings.NewReader("PK"), errReader{broken}))
	if !errors.Is(err, broken) {
		t.Errorf("ParseSheet error = %v; want %v", err, broken)
	}
}

func TestWriteSheetRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		title string
		month int
		rows  []SheetRow
	}{
		{
			name:  "township figures with notes",
			title: title,
			month: 10,
			rows: []SheetRow{
				{Indicator: "地区生产总值", MeasureUnit: "亿元", Value: num(12.3456), LastYear: num(11.2), Note: "快报数"},
				{Indicator: "规上工业增加值", MeasureUnit: "万元", Value: num(1234567.89), LastYear: num(1100000)},
				{Indicator: "新增市场主体", MeasureUnit: "户", Value: num(123)},
				{Indicator: "城镇调查失业率", MeasureUnit: "%", Value: num(5.2), LastYear: num(5.5)},
				{Indicator: "利润总额", MeasureUnit: "万元", Value: num(-35.5), LastYear: num(-20)},
				{Indicator: "实际利用外资", MeasureUnit: "万美元"},
			},
		},
		{
			name:  "by org unit",
			title: "各村（社区）1-6月指标完成情况",
			month: 6,
			rows: []SheetRow{
				{Indicator: "固定资产投资", MeasureUnit: "亿元", Unit: "东山村", Value: num(2), LastYear: num(1.5)},
				{Indicator: "固定资产投资", MeasureUnit: "亿元", Unit: "西湖社区", Value: num(0.25), LastYear: num(0)},
				{Indicator: "新增就业", MeasureUnit: "人", Unit: "东山村", Value: num(40)},
			},
		},
		{
			name:  "January without a title",
			month: 1,
			rows:  []SheetRow{{Indicator: "财政收入", MeasureUnit: "万元", Value: num(100), LastYear: num(90)}},
		},
		{
			name:  "month not stated",
			title: "主要指标",
			rows:  []SheetRow{{Indicator: "财政收入", MeasureUnit: "万元", Value: num(100)}},
		},
		{
			name:  "no rows",
			title: title,
			month: 10,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteSheet(&buf, tt.title, tt.month, tt.rows); err != nil {
				t.Fatalf("WriteSheet: %v", err)
			}
			sh := MustParse(t, buf.Bytes())
			if len(sh.Problems) > 0 {
				t.Fatalf("Problems = %+v; want none", sh.Problems)
			}
			if sh.Month != tt.month {
				t.Errorf("Month = %d; want %d", sh.Month, tt.month)
			}
			first := 3
			if tt.title == "" {
				first = 2
			}
			want := make([]SheetRow, len(tt.rows))
			for i, r := range tt.rows {
				r.Row = first + i
				want[i] = r
			}
			if got, want := fmtRows(sh.Rows), fmtRows(want); got != want {
				t.Errorf("Rows:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestWriteSheetLayout(t *testing.T) {
	var buf bytes.Buffer
	rows := []SheetRow{
		{Indicator: "地区生产总值", MeasureUnit: "亿元", Value: num(12.5), LastYear: num(10)},
		{Indicator: "新增市场主体", MeasureUnit: "户", Value: num(123), LastYear: num(100), Unit: "东山村"},
		{Indicator: "入库税收", MeasureUnit: "万元", Value: num(15.8), LastYear: num(15)},
		{Indicator: "固定资产投资", MeasureUnit: "亿元"},
	}
	if err := WriteSheet(&buf, title, 10, rows); err != nil {
		t.Fatalf("WriteSheet: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sheet := f.GetSheetName(0)
	got, err := f.GetRows(sheet)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{title},
		{"指标名称", "计量单位", "1-10月累计", "去年同期", "同比增长%", "责任单位"},
		{"地区生产总值", "亿元", "12.50", "10.00", "25.0"},
		{"新增市场主体", "户", "123", "100", "23.0", "东山村"},
		// 万元 is shown whole, but a figure with decimals keeps them.
		{"入库税收", "万元", "15.8", "15", "5.3"},
		{"固定资产投资", "亿元"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("shown cells = %q; want %q", got, want)
	}
	for _, axis := range []string{"C3", "D3", "E3", "C4"} {
		if typ, err := f.GetCellType(sheet, axis); err != nil || typ == excelize.CellTypeSharedString || typ == excelize.CellTypeInlineString {
			t.Errorf("cell %s type = %v, %v; want a number", axis, typ, err)
		}
	}
	// A blank figure cell shows what is typed into it: no whole-number
	// format that would show 15.8 as 16.
	if id, err := f.GetCellStyle(sheet, "C6"); err != nil {
		t.Fatal(err)
	} else if st, err := f.GetStyle(id); err != nil {
		t.Fatal(err)
	} else if st.CustomNumFmt != nil || st.NumFmt != 0 {
		t.Errorf("blank figure cell C6 format = %v/%d, want General", st.CustomNumFmt, st.NumFmt)
	}
	panes, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 2 || panes.TopLeftCell != "A3" {
		t.Errorf("panes = %+v; want frozen under row 2", panes)
	}
	if w, err := f.GetColWidth(sheet, "A"); err != nil || w < 16 {
		t.Errorf("width of A = %v, %v; want room for 6 Chinese characters", w, err)
	}
	style, err := f.GetCellStyle(sheet, "A2")
	if err != nil {
		t.Fatal(err)
	}
	if s, err := f.GetStyle(style); err != nil || s.Font == nil || !s.Font.Bold {
		t.Errorf("header style = %+v, %v; want bold", s, err)
	}
}

func TestWriteSheetMonthOutOfRange(t *testing.T) {
	for _, month := range []int{-1, 13} {
		if err := WriteSheet(io.Discard, title, month, nil); err == nil {
			t.Errorf("WriteSheet(month %d) = nil; want an error", month)
		}
	}
}

func TestParseNumber(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		percent bool
		want    *float64
		ok      bool
	}{
		{"integer", "42", false, num(42), true},
		{"decimal", "-3.25", false, num(-3.25), true},
		{"raw exponent", "1.5E+3", false, num(1500), true},
		{"thousands commas", "1,234,567.5", false, num(1234567.5), true},
		{"thousands spaces", "1 234", false, num(1234), true},
		{"full-width digits", "１２３．５", false, num(123.5), true},
		{"full-width comma", "１，２３４", false, num(1234), true},
		{"surrounding space", "  7 ", false, num(7), true},
		{"blank", "", false, nil, true},
		{"em dash", "—", false, nil, true},
		{"double em dash", "——", false, nil, true},
		{"hyphen", "-", false, nil, true},
		{"slash", "/", false, nil, true},
		{"percent for %", "8.5%", true, num(8.5), true},
		{"full-width percent for %", "８.５％", true, num(8.5), true},
		{"percent elsewhere", "8.5%", false, nil, false},
		{"Chinese numeral", "十二", false, nil, false},
		{"decimal comma", "1,5", false, nil, false},
		{"bad grouping", "12,34", false, nil, false},
		{"unit in cell", "12万元", false, nil, false},
		{"Excel error", "#DIV/0!", false, nil, false},
		{"NaN", "NaN", false, nil, false},
		{"Inf", "Inf", false, nil, false},
		{"hex", "0x10", false, nil, false},
		{"overflow", "1e999", false, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseNumber(tt.in, tt.percent)
			if ok != tt.ok || fmtNum(got) != fmtNum(tt.want) {
				t.Errorf("parseNumber(%q, %v) = %s, %v; want %s, %v", tt.in, tt.percent, fmtNum(got), ok, fmtNum(tt.want), tt.ok)
			}
		})
	}
}

func TestSheetMessages(t *testing.T) {
	b := i18n.New(SheetMessages())
	if m := b.Missing(); len(m) > 0 {
		t.Errorf("missing texts: %v", m)
	}
	keys := []string{
		keyNotXLSX, keyTooLarge, keyTooManyRows, keyNoHeader, keyNotANumber, keyMissingIndicator,
		keyDuplicateRow, keyUnknownIndicator, keyUnknownUnit, keyMeasureMismatch, keyNegative, keyFutureMonth,
		keyLegacy, keyUnpackedTooLarge, keyPartTooLarge, keyTooManyStrings, keyTooManyParts,
		keySheetNoHeader, keySheetNotRead, keyYearMismatch, keyDuplicateUnitRow, keyNegativeTarget,
	}
	if got, want := len(b.Keys()), len(keys); got != want {
		t.Errorf("catalogue has %d keys; want %d", got, want)
	}
	for _, k := range keys {
		if !b.Has(k) {
			t.Errorf("key %s missing", k)
		}
	}
	// The Args each key takes, as the callers pass them.
	for _, p := range []Problem{
		{Key: keyUnknownIndicator, Args: []any{"规上工业增加值"}},
		{Key: keyUnknownUnit, Args: []any{"东山村"}},
		{Key: keyMeasureMismatch, Args: []any{"户", "万元"}},
		{Key: keyNegative},
		{Key: keyFutureMonth, Args: []any{2026, 12, 2027, 1, 1}},
		{Key: keyNoHeader},
		{Key: keyMissingIndicator},
		{Key: keyNotXLSX},
		{Key: keyTooLarge, Args: []any{20}},
		{Key: keyTooManyRows, Args: []any{100000}},
		{Key: keyNotANumber, Args: []any{"十二"}},
		{Key: keyDuplicateRow, Args: []any{3, "A"}},
		{Key: keyDuplicateUnitRow, Args: []any{3, "A", "E"}},
		{Key: keyLegacy},
		{Key: keyUnpackedTooLarge, Args: []any{64}},
		{Key: keyPartTooLarge, Args: []any{"xl/styles.xml", 8}},
		{Key: keyTooManyStrings, Args: []any{500000}},
		{Key: keyTooManyParts, Args: []any{2000}},
		{Key: keySheetNoHeader},
		{Key: keySheetNotRead, Args: []any{"主要指标"}},
		{Key: keyYearMismatch, Args: []any{2025, 2026}},
		{Key: keyNegativeTarget},
	} {
		checkMessages(t, []Problem{p})
	}
}

// checkMessages fails when a problem's message is unknown or its Args do not
// fit its verbs.
func checkMessages(tb testing.TB, problems []Problem) {
	tb.Helper()
	b := i18n.New(SheetMessages())
	for _, p := range problems {
		for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
			s := b.T(lang, p.Key, p.Args...)
			if strings.HasPrefix(s, "[") || strings.Contains(s, "%!") {
				tb.Errorf("%s message for %+v = %q", lang, p, s)
			}
		}
	}
}

func BenchmarkParseSheet10000(b *testing.B) {
	rows := make([][]any, 0, 10002)
	rows = append(rows, []any{title}, []any{"指标名称", "计量单位", "责任单位", "1-10月累计", "去年同期", "备注"})
	for i := range 10000 {
		rows = append(rows, []any{fmt.Sprintf("指标%d", i%100), "万元", fmt.Sprintf("第%d村", i/100), float64(i) * 1.25, float64(i), ""})
	}
	data := MustXLSX(b, oneSheet(rows...))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		sh, err := ParseSheet(bytes.NewReader(data))
		if err != nil || len(sh.Rows) != 10000 || len(sh.Problems) > 0 {
			b.Fatalf("ParseSheet: %d rows, %d problems, %v", len(sh.Rows), len(sh.Problems), err)
		}
	}
}

func fmtNum(v *float64) string {
	if v == nil {
		return "nil"
	}
	return fmt.Sprint(*v)
}

func fmtRows(rows []SheetRow) string {
	var b strings.Builder
	for _, r := range rows {
		fmt.Fprintf(&b, "%d %q %q unit=%q value=%s last=%s target=%s note=%q\n",
			r.Row, r.Indicator, r.MeasureUnit, r.Unit, fmtNum(r.Value), fmtNum(r.LastYear), fmtNum(r.Target), r.Note)
	}
	return b.String()
}

func patchZip(tb testing.TB, data []byte, name string, edit func(string) string) []byte {
	tb.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		tb.Fatal(err)
	}
	files := map[string]string{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			tb.Fatal(err)
		}
		files[f.Name] = string(b)
	}
	if _, ok := files[name]; !ok {
		tb.Fatalf("no %s in the workbook", name)
	}
	files[name] = edit(files[name])
	return mustZip(tb, files)
}

func mustZip(tb testing.TB, files map[string]string) []byte {
	tb.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range files {
		w, err := zw.Create(name)
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			tb.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

type errReader struct{ err error }

func (r errReader) Read([]byte) (int, error) { return 0, r.err }
