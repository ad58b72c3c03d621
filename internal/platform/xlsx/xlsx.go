// Package xlsx writes a list page as an Excel workbook: one sheet with a
// title row, a bold frozen header and typed cells, so that numbers stay
// numbers when a statistics station sums them. Every room's "导出Excel" uses
// it. Reading workbooks is the import's business, not this package's, but
// Check holds an uploaded one to limits before anything parses it.
package xlsx

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/platform/clock"
)

// Table is one sheet: an optional title above the header row, the headers
// and the rows. NumFormats sets the Excel number format of a column by its
// 0-based index ("0.0%", "#,##0.00", "yyyy-mm-dd"); other numeric columns get
// "#,##0" for whole numbers and "#,##0.00" otherwise.
type Table struct {
	Title      string
	Sheet      string // the sheet's name; "Sheet1" when empty
	Headers    []string
	Rows       [][]any
	NumFormats map[int]string
}

// Limits of a sheet as Excel has them.
const (
	maxRows      = 1_048_576
	maxSheetName = 31
	maxColWidth  = 60
)

// WriteTable writes t as a workbook to w. A cell may be a string, float64,
// float32, int, int64, *float64, *int64, Fixed, bool or time.Time; nil, a nil pointer
// and NaN or ±Inf are written as empty cells. Times are shown in Beijing time.
// Any other type is an error, so a list cannot silently export "%!v".
func WriteTable(w io.Writer, t Table) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := write(f, t); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	return nil
}

func write(f *excelize.File, t Table) error {
	sheet := t.Sheet
	if sheet == "" {
		sheet = "Sheet1"
	}
	if r := []rune(sheet); len(r) > maxSheetName {
		sheet = string(r[:maxSheetName])
	}
	if sheet != "Sheet1" {
		if err := f.SetSheetName("Sheet1", sheet); err != nil {
			return err
		}
	}
	cols := len(t.Headers)
	for _, row := range t.Rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return nil
	}
	headRow := 1
	if t.Title != "" {
		headRow = 2
	}
	if headRow+len(t.Rows) > maxRows {
		return fmt.Errorf("%d rows do not fit in a sheet", len(t.Rows))
	}
	st, err := newStyles(f, t.NumFormats)
	if err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(cols)
	widths := make([]int, cols)
	widen := func(col, w int) { widths[col] = max(widths[col], w) }

	if t.Title != "" {
		if err := f.SetCellStr(sheet, "A1", t.Title); err != nil {
			return err
		}
		if cols > 1 {
			if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(sheet, "A1", last+"1", st.title); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, 1, 30); err != nil {
			return err
		}
	}
	for i, h := range t.Headers {
		if err := f.SetCellStr(sheet, cellName(i, headRow), h); err != nil {
			return err
		}
		widen(i, TextWidth(h))
	}
	if len(t.Headers) > 0 {
		if err := f.SetCellStyle(sheet, cellName(0, headRow), cellName(cols-1, headRow), st.header); err != nil {
			return err
		}
	}

	for i, row := range t.Rows {
		n := headRow + 1 + i
		for c := 0; c < cols; c++ {
			var v any
			if c < len(row) {
				v = row[c]
			}
			width, style, err := setCell(f, sheet, cellName(c, n), c, v, st)
			if err != nil {
				return fmt.Errorf("row %d, column %d: %w", i+1, c+1, err)
			}
			widen(c, width)
			if err := f.SetCellStyle(sheet, cellName(c, n), cellName(c, n), style); err != nil {
				return err
			}
		}
	}

	for i, w := range widths {
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, math.Min(math.Max(float64(w)+2, 8), maxColWidth)); err != nil {
			return err
		}
	}
	if len(t.Headers) > 0 {
		top := cellName(0, headRow+1)
		if err := f.SetPanes(sheet, &excelize.Panes{
			Freeze: true, YSplit: headRow, TopLeftCell: top, ActivePane: "bottomLeft",
			Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}},
		}); err != nil {
			return err
		}
		if err := f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$%d", sheet, headRow), Scope: sheet,
		}); err != nil {
			return err
		}
	}
	// Lists are wide: print them on A4 landscape, one page wide.
	a4, landscape, wide, tall, fit := 9, "landscape", 1, 0, true
	if err := f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: &fit}); err != nil {
		return err
	}
	return f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: &a4, Orientation: &landscape, FitToWidth: &wide, FitToHeight: &tall})
}

// setCell writes one value with its type and returns its display width and style.
func setCell(f *excelize.File, sheet, cell string, col int, v any, st styles) (int, int, error) {
	num := func(x float64) (int, int, error) {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return 0, st.text, nil
		}
		if err := f.SetCellFloat(sheet, cell, x, -1, 64); err != nil {
			return 0, 0, err
		}
		return NumberWidth(x), st.number(col, x), nil
	}
	switch x := v.(type) {
	case nil:
		return 0, st.text, nil
	case string:
		if err := f.SetCellStr(sheet, cell, x); err != nil {
			return 0, 0, err
		}
		return TextWidth(x), st.text, nil
	case float64:
		return num(x)
	case float32:
		return num(float64(x))
	case int:
		return num(float64(x))
	case int64:
		return num(float64(x))
	case *float64:
		if x == nil {
			return 0, st.text, nil
		}
		return num(*x)
	case Fixed:
		if x.V == nil || math.IsNaN(*x.V) || math.IsInf(*x.V, 0) {
			return 0, st.text, nil
		}
		if err := f.SetCellFloat(sheet, cell, *x.V, -1, 64); err != nil {
			return 0, 0, err
		}
		id, err := st.fixed(f, x.Decimals)
		return NumberWidth(*x.V), id, err
	case *int64:
		if x == nil {
			return 0, st.text, nil
		}
		return num(float64(*x))
	case bool:
		if err := f.SetCellBool(sheet, cell, x); err != nil {
			return 0, 0, err
		}
		return 5, st.text, nil
	case time.Time:
		if x.IsZero() {
			return 0, st.text, nil
		}
		// Excel has no zones: write the Beijing wall clock.
		b := x.In(clock.Beijing)
		wall := time.Date(b.Year(), b.Month(), b.Day(), b.Hour(), b.Minute(), b.Second(), 0, time.UTC)
		if err := f.SetCellValue(sheet, cell, wall); err != nil {
			return 0, 0, err
		}
		if s, ok := st.columns[col]; ok {
			return 16, s, nil
		}
		if wall.Hour() == 0 && wall.Minute() == 0 && wall.Second() == 0 {
			return 10, st.date, nil
		}
		return 16, st.datetime, nil
	default:
		return 0, 0, fmt.Errorf("cannot write a %T", v)
	}
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col+1, row)
	return name
}

type styles struct {
	title, header, text, whole, decimal, date, datetime int
	columns                                             map[int]int // NumFormats
	decimals                                            map[int]int // Fixed cells' styles by their decimals
}

// Fixed is a number cell shown with a given number of decimals while the cell
// keeps the full value: an indicator's figures each in its own precision
// (亿元 23.30, 人 1,508), in one column. A nil V is an empty cell.
type Fixed struct {
	V        *float64
	Decimals int
}

// fixed returns the style showing d decimals (0–6) with thousands separators,
// made once per workbook.
func (s styles) fixed(f *excelize.File, d int) (int, error) {
	d = min(max(d, 0), 6)
	if id, ok := s.decimals[d]; ok {
		return id, nil
	}
	format := "#,##0"
	if d > 0 {
		format += "." + strings.Repeat("0", d)
	}
	id, err := f.NewStyle(&excelize.Style{Border: cellBorder, Alignment: &excelize.Alignment{Vertical: "center"}, CustomNumFmt: &format})
	if err != nil {
		return 0, err
	}
	s.decimals[d] = id
	return id, nil
}

var cellBorder = []excelize.Border{
	{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
	{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
}

// number picks the style of a numeric cell: its column's format if set,
// else whole or two decimals.
func (s styles) number(col int, v float64) int {
	if id, ok := s.columns[col]; ok {
		return id
	}
	if v == math.Trunc(v) {
		return s.whole
	}
	return s.decimal
}

func newStyles(f *excelize.File, formats map[int]string) (styles, error) {
	border := cellBorder
	mid := &excelize.Alignment{Vertical: "center"}
	numFmt := func(format string) *excelize.Style {
		return &excelize.Style{Border: border, Alignment: mid, CustomNumFmt: &format}
	}
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{
			Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		},
		{Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}},
		numFmt("#,##0"),
		numFmt("#,##0.00"),
		numFmt("yyyy-mm-dd"),
		numFmt("yyyy-mm-dd hh:mm"),
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return styles{}, err
		}
		ids[i] = id
	}
	s := styles{title: ids[0], header: ids[1], text: ids[2], whole: ids[3], decimal: ids[4], date: ids[5], datetime: ids[6], columns: map[int]int{}, decimals: map[int]int{}}
	for col, format := range formats {
		id, err := f.NewStyle(numFmt(format))
		if err != nil {
			return styles{}, fmt.Errorf("column %d format %q: %w", col+1, format, err)
		}
		s.columns[col] = id
	}
	return s, nil
}

// NumberWidth is the width of v shown with thousands separators and two
// decimals, in Excel column units.
func NumberWidth(v float64) int {
	digits := len(strconv.FormatFloat(math.Abs(math.Trunc(v)), 'f', 0, 64))
	w := digits + (digits-1)/3 + 3
	if v < 0 {
		w++
	}
	return w
}

// TextWidth approximates a text's width in Excel column units: a Chinese
// character takes two.
func TextWidth(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return w
}
