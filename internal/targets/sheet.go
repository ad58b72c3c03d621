package targets

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strconv"
	"strings"
	"unicode"

	"github.com/xuri/excelize/v2"

	"guatu/internal/platform/xlsx"
)

// SheetRow is one data row of an import file as read, before it is checked against the catalogue.
type SheetRow struct {
	Row         int      `json:"row"`                 // 1-based row number in the sheet, as Excel shows it
	Indicator   string   `json:"indicator,omitempty"` // 指标名称 as written
	MeasureUnit string   `json:"measure,omitempty"`   // 计量单位 as written (normalized), may be ""
	Unit        string   `json:"unit,omitempty"`      // 责任单位/单位名称 (org unit name) if the sheet has that column, else ""
	Value       *float64 `json:"value,omitempty"`     // 本年累计 (nil when blank)
	LastYear    *float64 `json:"last_year,omitempty"` // 去年同期 (nil when blank)
	Note        string   `json:"note,omitempty"`
	// Sub marks a sub-item row (其中), written "其中：工业投资" under its
	// parent's row; Indicator is then the name after 其中, and ParentRow the
	// row of the nearest row above that is not a sub-item (0: none).
	Sub       bool `json:"sub,omitempty"`
	ParentRow int  `json:"parent_row,omitempty"`
	// Growth (同比增长%) and Share (占年计划%) as the sheet states them, in
	// percent, when it has those columns: the preview checks them against
	// its own arithmetic, and a growth without 去年同期 yields it.
	Growth *float64 `json:"growth,omitempty"`
	Share  *float64 `json:"share,omitempty"`
	// Target is the year's target (年度任务数, 年计划, 全年目标) as the sheet
	// states it, in the row's measurement unit, when it has that column:
	// the import creates the target where there is none, and offers to
	// change one that differs.
	Target *float64 `json:"target,omitempty"`
}

// Problem is one thing wrong with an import file, named so a person can find it: row and column as Excel shows them.
type Problem struct {
	Row    int    `json:"row,omitempty"`    // 0 when the problem is about the whole sheet (e.g. no header row)
	Column string `json:"column,omitempty"` // Excel column letter, e.g. "C", "" when about the row or sheet
	Header string `json:"header,omitempty"` // the header text of that column as written, e.g. "1-10月累计"
	Key    string `json:"key"`              // i18n message key, e.g. "import.err.not_a_number"
	Args   []any  `json:"args,omitempty"`   // values for the message's fmt verbs: strings and whole numbers
}

// Sheet is a parsed import file (the statistics station's 主要经济指标完成情况表).
//
// Rows and Problems are independent: a row with a bad cell stays in Rows with
// that value nil, so that catalogue checks can still report on it, and a
// duplicate row is dropped from Rows. The import must not be applied while
// Problems is not empty.
type Sheet struct {
	SheetName string            `json:"sheet"`
	Year      int               `json:"year,omitempty"`  // the year the value header or the title names ("2026年1-10月累计"); 0 when not stated
	Month     int               `json:"month,omitempty"` // N from a header like "1-10月累计", "1～10月" or "上半年", or a title "1-10月"; 0 when not stated
	Columns   map[string]string `json:"columns"`         // role ("indicator","measure","value","last_year","unit","note") → column letter
	Headers   map[string]string `json:"headers"`         // role → the header text as written
	Rows      []SheetRow        `json:"rows"`
	Problems  []Problem         `json:"problems"`
	Ignored   []IgnoredSheet    `json:"ignored,omitempty"` // the workbook's other sheets, in order, each with why it was not read
}

// IgnoredSheet is a worksheet of the workbook that was not read, and why:
// keySheetNoHeader (no header in its first rows: blank, notes, a chart) or
// keySheetNotRead (it has figures too, but one sheet is imported at a time;
// Args: the sheet that was read).
type IgnoredSheet struct {
	Name string `json:"name"`
	Key  string `json:"key"`
	Args []any  `json:"args,omitempty"`
}

// Column roles, the keys of Sheet.Columns.
const (
	RoleIndicator = "indicator"
	RoleMeasure   = "measure"
	RoleValue     = "value"
	RoleLastYear  = "last_year"
	RoleUnit      = "unit"
	RoleNote      = "note"
	RoleGrowth    = "growth"
	RoleShare     = "share"
	RoleTarget    = "target"
)

// Limits of ParseSheet. A workbook is checked against readLimits before
// excelize opens it (see xlsx.Check): a 1 MB upload can unpack to gigabytes.
// Real 20 MB workbooks unpack to far less than 64 MiB; a sheet of 100,000
// rows is a tenth of that.
const (
	maxSheetBytes  = 20 << 20
	maxSheetRows   = 100_000
	maxUnpacked    = 64 << 20
	maxPart        = 8 << 20
	headerScanRows = 15
	// excelize streams worksheets and shared strings larger than this from
	// a temporary file instead of decoding them in memory.
	maxXMLInMemory = 1 << 20
)

var readLimits = xlsx.Limits{
	Entries:  2000,
	Unpacked: maxUnpacked,
	Part:     maxPart,
	Rows:     maxSheetRows,
	Strings:  500_000,
}

// role indexes the per-row arrays; roleNames maps them to the Columns keys.
type role int

const (
	rIndicator role = iota
	rMeasure
	rValue
	rLastYear
	rUnit
	rNote
	rGrowth
	rShare
	rTarget
	numRoles
)

var roleNames = [numRoles]string{RoleIndicator, RoleMeasure, RoleValue, RoleLastYear, RoleUnit, RoleNote, RoleGrowth, RoleShare, RoleTarget}

// ParseSheet reads the first worksheet (or the first one that has a recognizable header) of an .xlsx file. Size limit: refuse files over 20 MB and sheets over 100,000 rows with a Problem. A non-xlsx / corrupt file yields a Problem with key "import.err.not_xlsx", never a panic.
//
// The error is non-nil only when reading r fails; everything wrong with the
// file itself is a Problem. Rows that carry no figure are skipped without a
// problem: blank rows, roll-ups (合计, 总计, 小计 in the indicator or unit
// column), and headings or footers (an indicator with no measurement unit,
// no unit and no numbers, such as "一、工业经济" or "填报人：").
func ParseSheet(r io.Reader) (*Sheet, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxSheetBytes+1))
	if err != nil {
		return nil, fmt.Errorf("target: read import sheet: %w", err)
	}
	if len(data) > maxSheetBytes {
		return sheetProblem("", keyTooLarge, maxSheetBytes>>20), nil
	}
	return parseWorkbook(data), nil
}

// checkWorkbook holds the file to readLimits, and names the limit it breaks.
func checkWorkbook(data []byte) *Sheet {
	_, err := xlsx.Check(bytes.NewReader(data), int64(len(data)), readLimits)
	var le *xlsx.LimitError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, xlsx.ErrLegacy):
		return sheetProblem("", keyLegacy)
	case !errors.As(err, &le):
		return sheetProblem("", keyNotXLSX)
	}
	switch le.Limit {
	case xlsx.LimitRows:
		return sheetProblem("", keyTooManyRows, maxSheetRows)
	case xlsx.LimitStrings:
		return sheetProblem("", keyTooManyStrings, int(le.Max))
	case xlsx.LimitPart:
		return sheetProblem("", keyPartTooLarge, le.Part, int(le.Max>>20))
	case xlsx.LimitEntries:
		return sheetProblem("", keyTooManyParts, int(le.Max))
	}
	return sheetProblem("", keyUnpackedTooLarge, int(le.Max>>20))
}

func sheetProblem(name, key string, args ...any) *Sheet {
	return &Sheet{
		SheetName: name,
		Columns:   map[string]string{},
		Problems:  []Problem{{Key: key, Args: args}},
	}
}

func parseWorkbook(data []byte) (sh *Sheet) {
	if err := checkWorkbook(data); err != nil {
		return err
	}
	defer func() {
		// excelize is not hardened against every malformed file: a panic in
		// it means a bad upload, not a fault of the server.
		if recover() != nil {
			sh = sheetProblem("", keyNotXLSX)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnpacked, UnzipXMLSizeLimit: maxXMLInMemory})
	if err != nil {
		return sheetProblem("", keyNotXLSX)
	}
	defer f.Close()
	names := f.GetSheetList()
	for i, name := range names {
		sh, err := parseWorksheet(f, data, name)
		if err != nil {
			return sheetProblem(name, keyNotXLSX)
		}
		if sh == nil {
			continue
		}
		// One sheet is imported; every other one is named, so that a
		// second sheet of figures is never dropped without a word.
		for _, before := range names[:i] {
			sh.Ignored = append(sh.Ignored, IgnoredSheet{Name: before, Key: keySheetNoHeader})
		}
		for _, after := range names[i+1:] {
			ig := IgnoredSheet{Name: after, Key: keySheetNoHeader}
			if ok, err := hasHeader(f, after); err != nil {
				return sheetProblem(after, keyNotXLSX)
			} else if ok {
				ig.Key, ig.Args = keySheetNotRead, []any{name}
			}
			sh.Ignored = append(sh.Ignored, ig)
		}
		return sh
	}
	first := ""
	if len(names) > 0 {
		first = names[0]
	}
	return sheetProblem(first, keyNoHeader)
}

// hasHeader reports whether a sheet has a header ParseSheet would read, looking
// at its first rows only.
func hasHeader(f *excelize.File, name string) (bool, error) {
	it, err := f.Rows(name)
	if err != nil {
		return false, err
	}
	defer it.Close()
	for n := 0; n < headerScanRows && it.Next(); n++ {
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return false, err
		}
		if findLayout(cells) != nil {
			return true, nil
		}
	}
	return false, it.Error()
}

// rawRow is a data row's role cells as read, before checks.
type rawRow struct {
	row   int
	cells [numRoles]string
}

// parseWorksheet returns nil, nil when the sheet has no header in its first
// rows, so that the caller can try the next sheet. It reads the sheet as a
// stream, never whole: excelize's random access (GetCellValue,
// GetMergeCells) decodes the whole sheet into memory, 330 MiB for a
// 1.6 MB file of 100,000 rows.
func parseWorksheet(f *excelize.File, data []byte, name string) (*Sheet, error) {
	it, err := f.Rows(name)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var (
		lay    *layout
		titles []string
		raws   []rawRow
		n      int
	)
	for it.Next() {
		n++
		cells, err := it.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, err
		}
		if lay == nil {
			if lay = findLayout(cells); lay != nil {
				lay.row = n
				year, month := titlePeriod(titles)
				if lay.month == 0 {
					lay.month = month
				}
				if lay.year == 0 {
					lay.year = year
				}
				continue
			}
			if n >= headerScanRows {
				return nil, nil
			}
			titles = append(titles, strings.Join(cells, " "))
			continue
		}
		raw, content := lay.pick(n, cells)
		if !content {
			continue
		}
		if n > maxSheetRows {
			return tooManyRows(name, lay), nil
		}
		raws = append(raws, raw)
	}
	if err := it.Error(); err != nil {
		if errors.Is(err, excelize.ErrMaxRows) && lay != nil {
			return tooManyRows(name, lay), nil
		}
		return nil, err
	}
	if lay == nil {
		return nil, nil
	}
	sh := &Sheet{SheetName: name, Year: lay.year, Month: lay.month, Columns: lay.columns(), Headers: lay.headers()}
	if err := fillMerged(data, name, lay, raws); err != nil {
		return nil, err
	}
	shown, err := percentShown(f, name, lay, raws)
	if err != nil {
		return nil, err
	}
	check(sh, lay, raws, shown)
	return sh, nil
}

func tooManyRows(name string, lay *layout) *Sheet {
	sh := sheetProblem(name, keyTooManyRows, maxSheetRows)
	sh.Year, sh.Month, sh.Columns, sh.Headers = lay.year, lay.month, lay.columns(), lay.headers()
	return sh
}

// check turns raw rows into SheetRows and Problems. shown holds the value
// cells that Excel shows as a percentage.
func check(sh *Sheet, lay *layout, raws []rawRow, shown map[cellAt]bool) {
	seen := map[string]int{}
	parentRow := 0 // the last row read that is not a sub-item
	for _, raw := range raws {
		c := raw.cells
		for i := range c {
			c[i] = strings.TrimSpace(c[i])
		}
		indicator, unit := joinLines(c[rIndicator]), joinLines(c[rUnit])
		if isRollUp(indicator) || isRollUp(unit) {
			continue
		}
		sub := false
		if name, ok := subItem(indicator); ok {
			indicator, sub = name, true
		}
		row := SheetRow{
			Row:         raw.row,
			Indicator:   indicator,
			Sub:         sub,
			MeasureUnit: NormalizeMeasure(c[rMeasure]),
			Unit:        unit,
			Note:        c[rNote],
		}
		var bad []Problem
		percent := row.MeasureUnit == "%"
		for _, ro := range [...]role{rValue, rLastYear, rTarget} {
			if lay.col[ro] < 0 {
				continue
			}
			v, ok := parseNumber(c[ro], percent)
			if !ok {
				bad = append(bad, lay.problem(raw.row, ro, keyNotANumber, c[ro]))
				continue
			}
			if v != nil && percent && !strings.Contains(foldWidth(c[ro]), "%") && shown[cellAt{raw.row, ro}] {
				// 8.5% typed into a %-formatted cell is stored as 0.085, but
				// the person meant 8.5.
				*v = roundSignificant(*v * 100)
			}
			switch ro {
			case rValue:
				row.Value = v
			case rLastYear:
				row.LastYear = v
			default:
				// A year's target below zero is refused whatever the
				// indicator: in a sheet it is a slip of the keyboard far
				// more often than a target (the form can still set one
				// where the indicator allows negative figures).
				if v != nil && *v < 0 {
					bad = append(bad, lay.problem(raw.row, ro, keyNegativeTarget))
					continue
				}
				row.Target = v
			}
		}
		for _, ro := range [...]role{rGrowth, rShare} {
			if lay.col[ro] < 0 {
				continue
			}
			// Only checked against, never written: a cell that is not a
			// number ("持平") is left unread rather than refused.
			v, ok := parseNumber(c[ro], true)
			if !ok {
				continue
			}
			if v != nil && !strings.Contains(foldWidth(c[ro]), "%") && shown[cellAt{raw.row, ro}] {
				*v = roundSignificant(*v * 100) // a %-formatted cell keeps 0.085 for 8.5%
			}
			if ro == rGrowth {
				row.Growth = v
			} else {
				row.Share = v
			}
		}
		hasNumbers := row.Value != nil || row.LastYear != nil || row.Target != nil
		if raw.row == lay.row+1 && indicator == "" && !hasNumbers {
			continue // the second line of a two-line header, e.g. "累计 | 增长%"
		}
		if indicator == "" {
			if hasNumbers || len(bad) > 0 {
				sh.Problems = append(sh.Problems, lay.problem(raw.row, rIndicator, keyMissingIndicator))
				sh.Problems = append(sh.Problems, bad...)
			}
			continue
		}
		if row.MeasureUnit == "" && row.Unit == "" && !hasNumbers && len(bad) == 0 {
			continue // a heading or a footer
		}
		key := compactName(indicator) + "\x00" + compactName(unit)
		if first, dup := seen[key]; dup {
			pr := lay.problem(raw.row, rIndicator, keyDuplicateRow, first, colName(lay.col[rIndicator]))
			if lay.col[rUnit] >= 0 {
				pr.Key, pr.Args = keyDuplicateUnitRow, append(pr.Args, colName(lay.col[rUnit]))
			}
			sh.Problems = append(sh.Problems, pr)
			continue
		}
		seen[key] = raw.row
		if sub {
			row.ParentRow = parentRow
		} else {
			parentRow = raw.row
		}
		sh.Problems = append(sh.Problems, bad...)
		sh.Rows = append(sh.Rows, row)
	}
}

// cellAt is a value cell: its row and role.
type cellAt struct {
	row int
	ro  role
}

// percentShown reads the sheet again, formatted, for the value cells of the
// rows in % that carry a bare number, and returns those Excel shows with a
// % sign. Most sheets have none, and are not read again.
func percentShown(f *excelize.File, sheet string, lay *layout, raws []rawRow) (map[cellAt]bool, error) {
	want := map[int]bool{}
	bare := func(raw rawRow, ro role) bool {
		v := strings.TrimSpace(raw.cells[ro])
		return v != "" && !strings.Contains(foldWidth(v), "%")
	}
	for _, raw := range raws {
		if bare(raw, rGrowth) || bare(raw, rShare) {
			want[raw.row] = true
		}
		if NormalizeMeasure(strings.TrimSpace(raw.cells[rMeasure])) != "%" {
			continue
		}
		for _, ro := range [...]role{rValue, rLastYear, rTarget} {
			if bare(raw, ro) {
				want[raw.row] = true
			}
		}
	}
	if len(want) == 0 {
		return nil, nil
	}
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	shown := map[cellAt]bool{}
	for n := 1; it.Next(); n++ {
		if !want[n] {
			continue
		}
		cells, err := it.Columns()
		if err != nil {
			return nil, err
		}
		for _, ro := range [...]role{rValue, rLastYear, rGrowth, rShare, rTarget} {
			if c := lay.col[ro]; c >= 0 && c < len(cells) && strings.HasSuffix(strings.TrimSpace(cells[c]), "%") {
				shown[cellAt{n, ro}] = true
			}
		}
	}
	return shown, it.Error()
}

// fillMerged gives the cells of a vertically merged indicator, measure or unit
// cell the merged value, as a person sees it: a sheet by village often merges
// one indicator name down all its village rows. Only merges that start in a
// data row count, so a two-line header does not leak into the data.
func fillMerged(data []byte, sheet string, lay *layout, raws []rawRow) error {
	need := false
	for _, raw := range raws {
		for _, ro := range [...]role{rIndicator, rMeasure, rUnit} {
			if lay.col[ro] >= 0 && strings.TrimSpace(raw.cells[ro]) == "" {
				need = true
			}
		}
	}
	if !need {
		return nil
	}
	merges, err := mergedRanges(data, sheet)
	if err != nil || len(merges) == 0 {
		return err
	}
	at := make(map[int]int, len(raws))
	for i, raw := range raws {
		at[raw.row] = i
	}
	for _, m := range merges {
		start, end, ok := strings.Cut(m, ":")
		if !ok {
			continue
		}
		c1, r1, err := excelize.CellNameToCoordinates(start)
		if err != nil {
			continue
		}
		_, r2, err := excelize.CellNameToCoordinates(end)
		if err != nil || r1 <= lay.row || r2 <= r1 {
			continue
		}
		for _, ro := range [...]role{rIndicator, rMeasure, rUnit} {
			if lay.col[ro] != c1-1 {
				continue
			}
			top, ok := at[r1]
			if !ok {
				continue
			}
			val := raws[top].cells[ro]
			for r := r1 + 1; r <= r2; r++ {
				if i, ok := at[r]; ok && strings.TrimSpace(raws[i].cells[ro]) == "" {
					raws[i].cells[ro] = val
				}
			}
		}
	}
	return nil
}

// layout is where a sheet's header row is and which column plays which role.
type layout struct {
	row   int
	col   [numRoles]int    // 0-based column, -1 when absent
	text  [numRoles]string // header text as written, line breaks removed
	month int
	year  int // the year the value header names ("2026年1-10月累计"), else the title's; 0 when neither says
}

func (l *layout) headers() map[string]string {
	m := map[string]string{}
	for ro, c := range l.col {
		if c >= 0 {
			m[roleNames[ro]] = l.text[ro]
		}
	}
	return m
}

func (l *layout) columns() map[string]string {
	m := map[string]string{}
	for ro, c := range l.col {
		if c >= 0 {
			name, _ := excelize.ColumnNumberToName(c + 1)
			m[roleNames[ro]] = name
		}
	}
	return m
}

// pick takes the role cells of a row; content is false when they are all blank.
func (l *layout) pick(n int, cells []string) (raw rawRow, content bool) {
	raw.row = n
	for ro, c := range l.col {
		if c >= 0 && c < len(cells) {
			raw.cells[ro] = cells[c]
			if !content && strings.TrimSpace(cells[c]) != "" {
				content = true
			}
		}
	}
	return raw, content
}

// colName is the Excel letter of a 0-based column.
func colName(c int) string {
	name, _ := excelize.ColumnNumberToName(c + 1)
	return name
}

func (l *layout) problem(row int, ro role, key string, args ...any) Problem {
	col, _ := excelize.ColumnNumberToName(l.col[ro] + 1)
	return Problem{Row: row, Column: col, Header: l.text[ro], Key: key, Args: args}
}

// Header words by role, compared after normalizeHeader. "单位" alone is the
// measurement unit in a statistics sheet; org units have longer names.
var headerWords = map[string]role{
	"指标": rIndicator, "指标名称": rIndicator, "项目": rIndicator, "主要指标": rIndicator,
	"指标项目": rIndicator, "主要指标名称": rIndicator,

	"单位": rMeasure, "计量单位": rMeasure, "计量": rMeasure,

	"责任单位": rUnit, "单位名称": rUnit, "责任部门": rUnit, "部门": rUnit,
	"镇": rUnit, "街道": rUnit, "镇街道": rUnit, "镇/街道": rUnit, "镇街": rUnit,
	"村": rUnit, "社区": rUnit, "村社区": rUnit, "村/社区": rUnit, "村居": rUnit,

	"同期数": rLastYear, "同期": rLastYear,

	"备注": rNote, "说明": rNote,
}

// Value headers by strength: a header naming its months beats "本年累计",
// which beats the vaguer "累计" or "本期", so that a sheet with both "本月"
// style and cumulative columns takes the cumulative one.
var valueWords = map[string]int{
	"本年累计": 2, "本年实际": 2, "本年累计完成": 2, "累计完成": 2, "本年完成": 2,
	"本月累计": 1, "累计": 1, "完成数": 1, "本期": 1, "实际完成": 1, "完成": 1, "完成值": 1,
}

var (
	// "2026年1-10月累计", "1～10月", "1—10月份完成"; dashes are folded first.
	rangeHeader = regexp.MustCompile(`^(?:(\d{4})年)?1-+(\d{1,2})月份?(?:累计完成|累计数|累计|完成数|完成|实际)?$`)
	// "1月累计": January alone names no range, so it needs a suffix.
	januaryHeader = regexp.MustCompile(`^(?:(\d{4})年)?1月份?(?:累计完成|累计数|累计|完成数|完成|实际)$`)
	// "XX镇2026年1-10月主要经济指标完成情况".
	titleRange = regexp.MustCompile(`(?:^|[^\d])1\s*-+\s*(\d{1,2})\s*月`)
)

// findLayout recognizes a header row: one with an indicator and a value column.
func findLayout(cells []string) *layout {
	l := &layout{}
	for i := range l.col {
		l.col[i] = -1
	}
	type cand struct{ col, strength, year, month int }
	var values []cand
	for c, cell := range cells {
		h := normalizeHeader(cell)
		if h == "" {
			continue
		}
		ro, ok := headerWords[h]
		switch {
		case ok:
		case isLastYearHeader(h):
			ro = rLastYear
		case isGrowthHeader(h):
			ro = rGrowth
		case isShareHeader(h):
			ro = rShare
		case isTargetHeader(h):
			ro = rTarget
		default:
			if s, ok := valueWords[h]; ok {
				values = append(values, cand{col: c, strength: s})
			} else if m := rangeHeader.FindStringSubmatch(h); m != nil {
				year, _ := strconv.Atoi(m[1])
				month, _ := strconv.Atoi(m[2])
				if month >= 1 && month <= 12 {
					values = append(values, cand{c, 3, year, month})
				}
			} else if m := januaryHeader.FindStringSubmatch(h); m != nil {
				year, _ := strconv.Atoi(m[1])
				values = append(values, cand{c, 3, year, 1})
			} else if year, month, ok := namedMonth(h); ok {
				values = append(values, cand{c, 3, year, month})
			}
			continue
		}
		if l.col[ro] < 0 {
			l.col[ro], l.text[ro] = c, headerText(cell)
		}
	}
	if len(values) == 0 || l.col[rIndicator] < 0 {
		return nil
	}
	best := values[0]
	for _, v := range values[1:] {
		if v.strength > best.strength || (v.year > 0 && best.year > 0 && v.year > best.year) {
			best = v
		}
	}
	// "2026年1-10月 | 2025年1-10月": the earlier year is last year's column.
	if l.col[rLastYear] < 0 && best.year > 0 {
		for _, v := range values {
			if v.year == best.year-1 {
				l.col[rLastYear], l.text[rLastYear] = v.col, headerText(cells[v.col])
				break
			}
		}
	}
	l.col[rValue], l.text[rValue], l.month, l.year = best.col, headerText(cells[best.col]), best.month, best.year
	return l
}

// isLastYearHeader recognizes "去年同期", "上年同期累计" and the like, but not
// the growth column beside them ("比上年同期增长%", "比去年同期±%").
func isLastYearHeader(h string) bool {
	return (strings.Contains(h, "去年同期") || strings.Contains(h, "上年同期")) &&
		!strings.ContainsAny(h, "比增减±%幅率")
}

// isGrowthHeader recognizes the growth column: "同比增长%", "比上年同期增长%",
// "同比±%", "增幅", "增速".
func isGrowthHeader(h string) bool {
	for _, w := range []string{"同比", "增长", "增幅", "增速", "增减", "±"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}

// isShareHeader recognizes the share of the year's target: "占年计划%",
// "完成年计划%", "占年度任务%", "完成率".
func isShareHeader(h string) bool {
	for _, w := range []string{"占年计划", "完成年计划", "占年度", "占全年", "完成率", "完成进度"} {
		if strings.Contains(h, w) {
			return true
		}
	}
	return false
}

// targetWords are the headers of the year's target, after normalizeHeader
// and without a leading "2026年" or "2026年度".
var targetWords = map[string]bool{
	"年度任务数": true, "年度任务": true, "年任务数": true, "年任务": true, "全年任务数": true, "全年任务": true,
	"年计划": true, "年计划数": true, "年度计划": true, "年度计划数": true, "全年计划": true, "全年计划数": true,
	"全年目标": true, "年度目标": true, "年目标": true, "年度目标值": true, "全年目标值": true,
	"目标任务": true, "目标任务数": true, "年度目标任务": true, "全年目标任务": true, "年度目标任务数": true,
	"目标": true, "目标值": true, "目标数": true, "任务数": true, "计划数": true, "确保目标": true,
}

var yearPrefix = regexp.MustCompile(`^\d{4}年度?`)

// isTargetHeader recognizes the year's target: "年度任务数", "年计划",
// "全年目标", "目标任务", "2026年目标" and the like (units in brackets are
// gone by now). The share of it ("占年计划%") and its growth are checked
// first, and the strive-for level (力争) is not the target.
func isTargetHeader(h string) bool {
	if targetWords[h] {
		return true
	}
	rest := yearPrefix.ReplaceAllString(h, "")
	return rest != h && (targetWords[rest] || rest == "任务" || rest == "计划")
}

// normalizeHeader reduces a header cell to the words that name its role:
// "1～10月累计\n（万元）" → "1-10月累计". Brackets go with their contents, as
// they hold units or remarks; whitespace goes entirely, as officials space
// out short headers ("单  位") and wrap long ones.
func normalizeHeader(s string) string {
	s = foldDashes(foldWidth(s))
	var b strings.Builder
	depth := 0
	for _, r := range s {
		switch {
		case strings.ContainsRune("([{【〔", r):
			depth++
		case strings.ContainsRune(")]}】〕", r):
			if depth > 0 {
				depth--
			}
		case depth > 0, unicode.IsSpace(r):
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// foldDashes writes every range dash the same way: 1-10, 1—10, 1–10, 1~10,
// 1至10 and 1到10 all become "1-10". Run foldWidth first.
func foldDashes(s string) string {
	return strings.Map(func(r rune) rune {
		switch r {
		case '—', '–', '―', '~', '〜', '至', '到':
			return '-'
		}
		return r
	}, s)
}

// headerText is a header cell as a person reads it in Excel: wrapped lines
// joined, outer space trimmed.
func headerText(s string) string { return joinLines(strings.TrimSpace(s)) }

func joinLines(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.NewReplacer("\r", "", "\n", "").Replace(s)
}

// compactName is the form in which two names count as the same for
// duplicate detection: half-width, without any space.
func compactName(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, foldWidth(s))
}

// subItem reads a sub-item's name: "其中：工业投资", "其中:工业投资",
// "其中 工业投资" and "其中工业投资" are 工业投资. ok is false for any other
// name, and for a bare "其中：" (a heading).
func subItem(s string) (string, bool) {
	rest, ok := strings.CutPrefix(foldWidth(strings.TrimSpace(s)), "其中")
	if !ok {
		return s, false
	}
	rest = strings.TrimLeftFunc(rest, func(r rune) bool { return r == ':' || unicode.IsSpace(r) })
	if rest == "" {
		return s, false
	}
	return rest, true
}

func isRollUp(s string) bool {
	switch compactName(s) {
	case "合计", "总计", "小计":
		return true
	}
	return false
}

var (
	plainNumber   = regexp.MustCompile(`^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$`)
	groupedNumber = regexp.MustCompile(`^[+-]?\d{1,3}(?:[, ]\d{3})+(?:\.\d+)?$`)
)

// parseNumber reads a figure cell. Blank and the dashes statisticians use for
// "no figure" ("—", "-", "/") give nil; thousands separators must group by
// three ("1,234.5", "1 234"), so that a decimal comma is refused rather than
// misread. A trailing % is accepted only when percent is set. ok is false
// when the text is not a number.
func parseNumber(s string, percent bool) (v *float64, ok bool) {
	s = strings.TrimSpace(foldWidth(s))
	if s == "" || strings.Trim(s, "-—–―/\\") == "" {
		return nil, true
	}
	if strings.HasSuffix(s, "%") {
		if !percent {
			return nil, false
		}
		s = strings.TrimSpace(strings.TrimSuffix(s, "%"))
	}
	if strings.ContainsAny(s, ", \u00a0\u2009\u202f") {
		s = strings.NewReplacer("\u00a0", " ", "\u2009", " ", "\u202f", " ").Replace(s)
		if !groupedNumber.MatchString(s) {
			return nil, false
		}
		s = strings.NewReplacer(",", "", " ", "").Replace(s)
	}
	if !plainNumber.MatchString(s) {
		return nil, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return nil, false
	}
	return &f, true
}

// WriteSheet writes figures in the same layout, so an export can be edited and imported back: a title row, a header row (指标名称, 计量单位, 年度任务数 when any row has Target, 1-N月累计, 去年同期, 同比增长%, and 责任单位 when any row has Unit), one row per SheetRow; numbers as numbers (not text), a sensible number format, column widths for Chinese text, the header bold, frozen panes under the header.
//
// A 备注 column follows when any row has a Note. Month 0 writes "本年累计";
// an empty title writes no title row. SheetRow.Row is ignored. 同比增长% is
// computed, rounded to one decimal, and left blank when last year's figure is
// missing or not positive; an import of the sheet checks it against its own
// arithmetic (within that rounding), so an export comes back without a flag.
func WriteSheet(w io.Writer, title string, month int, rows []SheetRow) error {
	return writeSheetTo(w, title, month, rows, false)
}

// writeSheetTo is WriteSheet; targets writes the 年度任务数 column even when
// no row has a target, as the import's template does for a person to fill.
func writeSheetTo(w io.Writer, title string, month int, rows []SheetRow, targets bool) error {
	if month < 0 || month > 12 {
		return fmt.Errorf("target: write sheet: month %d is not 0–12", month)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := writeSheet(f, title, month, rows, targets); err != nil {
		return fmt.Errorf("target: write sheet: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("target: write sheet: %w", err)
	}
	return nil
}

func writeSheet(f *excelize.File, title string, month int, rows []SheetRow, hasTarget bool) error {
	const sheet = "主要指标"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	value := "本年累计"
	switch {
	case month == 1:
		value = "1月累计"
	case month > 1:
		value = fmt.Sprintf("1-%d月累计", month)
	}
	hasUnit, hasNote := false, false
	for _, r := range rows {
		hasUnit = hasUnit || r.Unit != ""
		hasNote = hasNote || r.Note != ""
		hasTarget = hasTarget || r.Target != nil
	}
	// Columns by number, 1-based; 0 for one the sheet has not. The year's
	// target stands before the figures, as township sheets put it.
	headers := []string{"指标名称", "计量单位"}
	targetCol := 0
	if hasTarget {
		headers = append(headers, "年度任务数")
		targetCol = len(headers)
	}
	valueCol := len(headers) + 1
	headers = append(headers, value, "去年同期", "同比增长%")
	lastCol, growthCol := valueCol+1, valueCol+2
	unitCol, noteCol := 0, 0
	if hasUnit {
		headers = append(headers, "责任单位")
		unitCol = len(headers)
	}
	if hasNote {
		headers = append(headers, "备注")
		noteCol = len(headers)
	}
	last, _ := excelize.ColumnNumberToName(len(headers))

	st, err := newExportStyles(f)
	if err != nil {
		return err
	}
	widths := make([]int, len(headers))
	widen := func(col, w int) { widths[col-1] = max(widths[col-1], w) }
	cell := func(col, row int) string {
		name, _ := excelize.CoordinatesToCellName(col, row)
		return name
	}

	headRow := 1
	if strings.TrimSpace(title) != "" {
		headRow = 2
		if err := f.SetCellStr(sheet, "A1", title); err != nil {
			return err
		}
		if err := f.MergeCell(sheet, "A1", last+"1"); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, "A1", last+"1", st.title); err != nil {
			return err
		}
		if err := f.SetRowHeight(sheet, 1, 30); err != nil {
			return err
		}
	}
	for i, h := range headers {
		if err := f.SetCellStr(sheet, cell(i+1, headRow), h); err != nil {
			return err
		}
		widen(i+1, xlsx.TextWidth(h))
	}
	if err := f.SetCellStyle(sheet, cell(1, headRow), cell(len(headers), headRow), st.header); err != nil {
		return err
	}
	if err := f.SetRowHeight(sheet, headRow, 24); err != nil {
		return err
	}

	for i, r := range rows {
		n := headRow + 1 + i
		texts := []struct {
			col int
			s   string
		}{{1, r.Indicator}, {2, r.MeasureUnit}, {unitCol, r.Unit}, {noteCol, r.Note}}
		for _, t := range texts {
			if t.col == 0 || t.s == "" {
				continue
			}
			if err := f.SetCellStr(sheet, cell(t.col, n), t.s); err != nil {
				return err
			}
			widen(t.col, xlsx.TextWidth(t.s))
		}
		// A figure shows in its unit's precision, or with more decimals
		// when it has them; a blank cell, where the figure is to be typed,
		// shows whatever is typed (a whole-number format would show 15.8
		// as 16 and hide the typing error or the decimals).
		for col, v := range map[int]*float64{valueCol: r.Value, lastCol: r.LastYear, targetCol: r.Target} {
			if col == 0 {
				continue
			}
			style := st.blank
			if v != nil {
				if err := f.SetCellFloat(sheet, cell(col, n), *v, -1, 64); err != nil {
					return err
				}
				widen(col, xlsx.NumberWidth(*v))
				if style, err = st.fixed(f, max(DecimalsOf(r.MeasureUnit), decimalsIn(*v))); err != nil {
					return err
				}
			}
			if err := f.SetCellStyle(sheet, cell(col, n), cell(col, n), style); err != nil {
				return err
			}
		}
		if g, ok := growth(r.Value, r.LastYear); ok {
			if err := f.SetCellFloat(sheet, cell(growthCol, n), g, -1, 64); err != nil {
				return err
			}
		}
		styles := []struct{ from, to, style int }{
			{1, 1, st.text}, {2, 2, st.center}, {growthCol, growthCol, st.growth},
		}
		if len(headers) > growthCol {
			styles = append(styles, struct{ from, to, style int }{growthCol + 1, len(headers), st.text})
		}
		for _, s := range styles {
			if err := f.SetCellStyle(sheet, cell(s.from, n), cell(s.to, n), s.style); err != nil {
				return err
			}
		}
	}

	for i, w := range widths {
		width := math.Min(math.Max(float64(w)+4, 10), 60)
		col, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sheet, col, col, width); err != nil {
			return err
		}
	}
	top := cell(1, headRow+1)
	if err := f.SetPanes(sheet, &excelize.Panes{
		Freeze: true, YSplit: headRow, TopLeftCell: top, ActivePane: "bottomLeft",
		Selection: []excelize.Selection{{SQRef: top, ActiveCell: top, Pane: "bottomLeft"}},
	}); err != nil {
		return err
	}
	// Print the header on every page.
	return f.SetDefinedName(&excelize.DefinedName{
		Name:     "_xlnm.Print_Titles",
		RefersTo: fmt.Sprintf("'%s'!$1:$%d", sheet, headRow),
		Scope:    sheet,
	})
}

// growth is 同比增长 in percent, (actual − last year) ÷ last year × 100,
// rounded to one decimal as statistical bulletins print it. It is undefined
// for a missing or non-positive base.
func growth(v, last *float64) (float64, bool) {
	if v == nil || last == nil || *last <= 0 {
		return 0, false
	}
	return math.Round((*v-*last) / *last * 1000) / 10, true
}

type exportStyles struct {
	title, header, text, center, blank, growth int
	decimals                                   map[int]int // figures' styles by their decimals
	border                                     []excelize.Border
}

func newExportStyles(f *excelize.File) (*exportStyles, error) {
	border := []excelize.Border{
		{Type: "left", Color: "808080", Style: 1}, {Type: "right", Color: "808080", Style: 1},
		{Type: "top", Color: "808080", Style: 1}, {Type: "bottom", Color: "808080", Style: 1},
	}
	mid := &excelize.Alignment{Vertical: "center"}
	growth := "0.0"
	defs := []*excelize.Style{
		{Font: &excelize.Font{Bold: true, Size: 16}, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{
			Font: &excelize.Font{Bold: true}, Border: border,
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"D9E1F2"}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		},
		{Border: border, Alignment: mid},
		{Border: border, Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}},
		{Border: border, Alignment: mid}, // General: a blank cell shows what is typed
		{Border: border, Alignment: mid, CustomNumFmt: &growth},
	}
	ids := make([]int, len(defs))
	for i, d := range defs {
		id, err := f.NewStyle(d)
		if err != nil {
			return nil, err
		}
		ids[i] = id
	}
	return &exportStyles{title: ids[0], header: ids[1], text: ids[2], center: ids[3], blank: ids[4], growth: ids[5], decimals: map[int]int{}, border: border}, nil
}

// fixed is the style of a figure shown with d decimals, made once.
func (st *exportStyles) fixed(f *excelize.File, d int) (int, error) {
	d = min(max(d, 0), 6)
	if id, ok := st.decimals[d]; ok {
		return id, nil
	}
	format := "#,##0"
	if d > 0 {
		format += "." + strings.Repeat("0", d)
	}
	id, err := f.NewStyle(&excelize.Style{Border: st.border, Alignment: &excelize.Alignment{Vertical: "center"}, CustomNumFmt: &format})
	if err != nil {
		return 0, err
	}
	st.decimals[d] = id
	return id, nil
}

// decimalsIn is how many decimals v has as written (up to 6): 15.8 → 1.
func decimalsIn(v float64) int {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	_, frac, _ := strings.Cut(s, ".")
	return min(len(frac), 6)
}
