package xlsx_test

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/platform/clock"
	"guatu/internal/platform/xlsx"
)

func ptr(v float64) *float64 { return &v }

// open writes t and reads the workbook back.
func open(t *testing.T, tb xlsx.Table) *excelize.File {
	t.Helper()
	var buf bytes.Buffer
	if err := xlsx.WriteTable(&buf, tb); err != nil {
		t.Fatalf("WriteTable: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("read back: %v", err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func TestWriteTableCells(t *testing.T) {
	at := time.Date(2026, 11, 3, 9, 30, 0, 0, clock.Beijing)
	tb := xlsx.Table{
		Title:   "XX镇2026年目标任务完成情况（截至1-10月）",
		Sheet:   "目标任务",
		Headers: []string{"指标", "目标", "本年累计", "占年计划", "个数", "录入时间", "空"},
		Rows: [][]any{
			{"固定资产投资", 32.0, ptr(21.5), 0.6719, 3, at, nil},
			{"入库税收", 52000.0, (*float64)(nil), math.NaN(), int64(7), time.Time{}, (*float64)(nil)},
			{"短行"},
		},
		NumFormats: map[int]string{3: "0.0%"},
	}
	f := open(t, tb)
	const sheet = "目标任务"
	if got := f.GetSheetName(0); got != sheet {
		t.Fatalf("sheet = %q, want %q", got, sheet)
	}

	cases := []struct {
		name     string
		cell     string
		wantType excelize.CellType
		wantRaw  string
	}{
		{"title", "A1", excelize.CellTypeSharedString, tb.Title},
		{"header", "C2", excelize.CellTypeSharedString, "本年累计"},
		{"text", "A3", excelize.CellTypeSharedString, "固定资产投资"},
		{"float64", "B3", excelize.CellTypeUnset, "32"},
		{"*float64", "C3", excelize.CellTypeUnset, "21.5"},
		{"percent column", "D3", excelize.CellTypeUnset, "0.6719"},
		{"int", "E3", excelize.CellTypeUnset, "3"},
		{"nil", "G3", excelize.CellTypeUnset, ""},
		{"nil *float64", "C4", excelize.CellTypeUnset, ""},
		{"NaN", "D4", excelize.CellTypeUnset, ""},
		{"int64", "E4", excelize.CellTypeUnset, "7"},
		{"zero time", "F4", excelize.CellTypeUnset, ""},
		{"short row", "B5", excelize.CellTypeUnset, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := f.GetCellValue(sheet, c.cell, excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			if got != c.wantRaw {
				t.Errorf("%s = %q, want %q", c.cell, got, c.wantRaw)
			}
			typ, err := f.GetCellType(sheet, c.cell)
			if err != nil {
				t.Fatal(err)
			}
			if typ != c.wantType {
				t.Errorf("%s type = %v, want %v", c.cell, typ, c.wantType)
			}
		})
	}

	t.Run("time as Beijing wall clock", func(t *testing.T) {
		got, err := f.GetCellValue(sheet, "F3")
		if err != nil {
			t.Fatal(err)
		}
		if want := "2026-11-03 09:30"; got != want {
			t.Errorf("F3 = %q, want %q", got, want)
		}
	})
	t.Run("formats", func(t *testing.T) {
		for cell, want := range map[string]string{"D3": "67.2%", "B4": "52,000", "C3": "21.50"} {
			got, err := f.GetCellValue(sheet, cell)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("%s shows %q, want %q", cell, got, want)
			}
		}
	})
	t.Run("header bold", func(t *testing.T) {
		id, err := f.GetCellStyle(sheet, "A2")
		if err != nil {
			t.Fatal(err)
		}
		st, err := f.GetStyle(id)
		if err != nil {
			t.Fatal(err)
		}
		if st.Font == nil || !st.Font.Bold {
			t.Errorf("header font = %+v, want bold", st.Font)
		}
	})
	t.Run("title merged", func(t *testing.T) {
		mc, err := f.GetMergeCells(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if len(mc) != 1 || mc[0].GetStartAxis() != "A1" || mc[0].GetEndAxis() != "G1" {
			t.Errorf("merged = %v, want A1:G1", mc)
		}
	})
	t.Run("frozen header", func(t *testing.T) {
		p, err := f.GetPanes(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if !p.Freeze || p.YSplit != 2 || p.TopLeftCell != "A3" {
			t.Errorf("panes = %+v, want frozen above A3", p)
		}
	})
	t.Run("column widths", func(t *testing.T) {
		w, err := f.GetColWidth(sheet, "A")
		if err != nil {
			t.Fatal(err)
		}
		if w < 14 { // "固定资产投资" is six wide characters
			t.Errorf("width of A = %v, want room for 固定资产投资", w)
		}
	})
}

func TestWriteTableShapes(t *testing.T) {
	cases := []struct {
		name      string
		table     xlsx.Table
		wantRows  [][]string
		wantSheet string
	}{
		{"no title", xlsx.Table{Headers: []string{"a", "b"}, Rows: [][]any{{"x", 1}}}, [][]string{{"a", "b"}, {"x", "1"}}, "Sheet1"},
		{"empty", xlsx.Table{Sheet: "空表", Headers: []string{"指标"}}, [][]string{{"指标"}}, "空表"},
		{"long sheet name cut to 31", xlsx.Table{Sheet: strings.Repeat("表", 40), Headers: []string{"h"}}, [][]string{{"h"}}, strings.Repeat("表", 31)},
		{"title only row", xlsx.Table{Title: "T", Headers: []string{"h"}, Rows: [][]any{{true}}}, [][]string{{"T"}, {"h"}, {"TRUE"}}, "Sheet1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := open(t, c.table)
			if got := f.GetSheetName(0); got != c.wantSheet {
				t.Fatalf("sheet = %q, want %q", got, c.wantSheet)
			}
			rows, err := f.GetRows(c.wantSheet)
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(c.wantRows) {
				t.Fatalf("rows = %q, want %q", rows, c.wantRows)
			}
			for i := range rows {
				if strings.Join(rows[i], "|") != strings.Join(c.wantRows[i], "|") {
					t.Errorf("row %d = %q, want %q", i+1, rows[i], c.wantRows[i])
				}
			}
		})
	}
}

func TestWriteTableRefusesUnknownTypes(t *testing.T) {
	var buf bytes.Buffer
	err := xlsx.WriteTable(&buf, xlsx.Table{Headers: []string{"h"}, Rows: [][]any{{struct{}{}}}})
	if err == nil || !strings.Contains(err.Error(), "row 1, column 1") {
		t.Errorf("err = %v, want an error naming row 1, column 1", err)
	}
}

// TestFixedCells: each row's figure shows in its own precision while the cell
// keeps the whole value, so a sum in Excel is exact.
func TestFixedCells(t *testing.T) {
	tb := xlsx.Table{
		Headers: []string{"指标", "本年累计"},
		Rows: [][]any{
			{"固定资产投资（亿元）", xlsx.Fixed{V: ptr(23.3), Decimals: 2}},
			{"城镇新增就业（人）", xlsx.Fixed{V: ptr(1494.1), Decimals: 0}},
			{"入库税收（万元）", xlsx.Fixed{V: ptr(15.8), Decimals: 1}},
			{"空", xlsx.Fixed{Decimals: 2}},
			{"又一个亿元", xlsx.Fixed{V: ptr(1.006), Decimals: 2}},
		},
	}
	f := open(t, tb)
	tests := []struct{ cell, raw, shown string }{
		{"B2", "23.3", "23.30"},
		{"B3", "1494.1", "1,494"},
		{"B4", "15.8", "15.8"},
		{"B5", "", ""},
		{"B6", "1.006", "1.01"},
	}
	for _, tt := range tests {
		raw, err := f.GetCellValue("Sheet1", tt.cell, excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		shown, err := f.GetCellValue("Sheet1", tt.cell)
		if err != nil {
			t.Fatal(err)
		}
		if raw != tt.raw || shown != tt.shown {
			t.Errorf("%s holds %q shown %q, want %q shown %q", tt.cell, raw, shown, tt.raw, tt.shown)
		}
	}
	a, _ := f.GetCellStyle("Sheet1", "B2")
	b, _ := f.GetCellStyle("Sheet1", "B6")
	if a != b {
		t.Errorf("two cells of two decimals have styles %d and %d, want one style", a, b)
	}
}
