package xlsx_test

import (
	"bytes"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"guatu/internal/platform/xlsx"
	"guatu/internal/platform/xlsx/xlsxtest"
)

var limits = xlsx.Limits{Entries: 2000, Unpacked: 64 << 20, Part: 8 << 20, Rows: 100_000, Strings: 500_000}

const (
	sstHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	sstTail = `</sst>`
	mib     = 1 << 20
)

// strings1MiB is about a mebibyte of distinct-looking shared strings.
var strings1MiB = strings.Repeat(`<si><t>填报</t></si>`, mib/len(`<si><t>填报</t></si>`))

// hostile returns the workbooks an upload must not be able to hurt with,
// each with the limit it breaks and the most it may unpack on the way.
func hostile(tb testing.TB) []struct {
	name     string
	file     []byte
	limit    string // the LimitError's Limit, or "" for want
	want     error
	maxRead  int64
	maxBytes int // the file itself, compressed
} {
	// Rows without a number follow one another; each has one cell, in Z.
	rows := strings.Repeat(`<row><c r="Z1"><v>1</v></c></row>`, 30_000)
	return []struct {
		name     string
		file     []byte
		limit    string
		want     error
		maxRead  int64
		maxBytes int
	}{
		{
			name:  "450 MiB of shared strings",
			file:  xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.SharedStrings, Head: sstHead, Body: strings1MiB, Times: 450, Tail: sstTail}),
			limit: xlsx.LimitUnpacked, maxBytes: 2 * mib,
		},
		{
			name:  "450 MiB of rows with a cell in column Z",
			file:  xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Body: rows, Times: 450 * mib / len(rows), Tail: xlsxtest.SheetTail}),
			limit: xlsx.LimitUnpacked, maxBytes: 2 * mib,
		},
		{
			name:  "450 MiB of whitespace",
			file:  xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Body: strings.Repeat(" ", mib), Times: 450, Tail: xlsxtest.SheetTail}),
			limit: xlsx.LimitUnpacked, maxBytes: 2 * mib,
		},
		{
			name:  "1,000,000 rows",
			file:  xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Gen: xlsxtest.Rows(2, 1_000_000, "A"), Tail: xlsxtest.SheetTail}),
			limit: xlsx.LimitRows, maxRead: 100_001 * 64, maxBytes: 20 * mib,
		},
		{
			name: "a sheet that unpacks past its declared size",
			file: xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Body: strings.Repeat(" ", mib), Times: 450, Tail: xlsxtest.SheetTail,
				Declared: 4 << 10}),
			want: xlsx.ErrNotXLSX, maxRead: 64 << 10, maxBytes: 2 * mib,
		},
		{
			name:  "parts that together unpack past the limit",
			file:  xlsxtest.Workbook(tb, sst(30), xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Body: strings.Repeat(" ", mib), Times: 40, Tail: xlsxtest.SheetTail}),
			limit: xlsx.LimitUnpacked, maxBytes: 2 * mib,
		},
		{
			name:  "styles of 10 MiB",
			file:  xlsxtest.Workbook(tb, xlsxtest.Part{Name: "xl/styles.xml", Head: `<styleSheet><cellXfs>`, Body: strings.Repeat(`<xf numFmtId="0"/>`, 1000), Times: 600, Tail: `</cellXfs></styleSheet>`}),
			limit: xlsx.LimitPart, maxBytes: 2 * mib,
		},
		{
			name:  "600,000 shared strings",
			file:  xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.SharedStrings, Head: sstHead, Body: strings.Repeat(`<si><t>填报</t></si>`, 1000), Times: 600, Tail: sstTail}),
			limit: xlsx.LimitStrings, maxRead: 500_001*24 + 64<<10, maxBytes: 2 * mib,
		},
		{
			name:  "3,000 parts",
			file:  manyParts(tb, 3000),
			limit: xlsx.LimitEntries, maxBytes: 2 * mib,
		},
		{
			name: "an .xls renamed .xlsx",
			file: xlsxtest.Legacy(64 << 10),
			want: xlsx.ErrLegacy, maxBytes: 64 << 10,
		},
		{
			name: "text renamed .xlsx",
			file: []byte("指标名称,计量单位,1-10月累计\n财政收入,万元,500\n"),
			want: xlsx.ErrNotXLSX, maxBytes: 1 << 10,
		},
		{
			name: "a zip without a workbook",
			file: func() []byte {
				b := xlsxtest.Workbook(tb)
				return bytes.Replace(b, []byte("xl/workbook.xml"), []byte("xl/workbook.xmm"), -1)
			}(),
			want: xlsx.ErrNotXLSX, maxBytes: 64 << 10,
		},
	}
}

func sst(mibs int) xlsxtest.Part {
	return xlsxtest.Part{Name: xlsxtest.SharedStrings, Head: sstHead, Body: strings1MiB, Times: mibs, Tail: sstTail}
}

func manyParts(tb testing.TB, n int) []byte {
	parts := make([]xlsxtest.Part, n)
	for i := range parts {
		parts[i] = xlsxtest.Part{Name: fmt.Sprintf("xl/media/image%d.png", i), Head: "x"}
	}
	return xlsxtest.Workbook(tb, parts...)
}

func TestCheckRefusesHostileWorkbooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds workbooks of hundreds of megabytes (unpacked)")
	}
	for _, tc := range hostile(t) {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.file) > tc.maxBytes {
				t.Fatalf("the file is %d bytes, want at most %d", len(tc.file), tc.maxBytes)
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			st, err := xlsx.Check(bytes.NewReader(tc.file), int64(len(tc.file)), limits)
			runtime.ReadMemStats(&after)
			var le *xlsx.LimitError
			switch {
			case tc.limit != "":
				if !errors.As(err, &le) || le.Limit != tc.limit {
					t.Fatalf("Check = %v, want the %s limit", err, tc.limit)
				}
			case !errors.Is(err, tc.want):
				t.Fatalf("Check = %v, want %v", err, tc.want)
			}
			if st.Read > tc.maxRead {
				t.Errorf("unpacked %d bytes before refusing, want at most %d", st.Read, tc.maxRead)
			}
			// Reading holds a buffer and the inflater's window, not the file.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
				t.Errorf("Check allocated %d MiB, want under 16", alloc>>20)
			}
		})
	}
}

func TestCheckPassesWorkbooks(t *testing.T) {
	tests := []struct {
		name string
		file []byte
	}{
		{"the skeleton", xlsxtest.Workbook(t)},
		{"100,000 rows", xlsxtest.Workbook(t, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Gen: xlsxtest.Rows(2, 99_999, "A"), Tail: xlsxtest.SheetTail})},
		{"10 MiB of shared strings", xlsxtest.Workbook(t, sst(10))},
		{"rows with a namespace prefix", xlsxtest.Workbook(t, xlsxtest.Part{Name: xlsxtest.Sheet1,
			Head: `<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>`,
			Body: `<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>`, Times: 10, Tail: `</x:sheetData></x:worksheet>`})},
		{"a workbook written by excelize", func() []byte {
			f := excelize.NewFile()
			defer f.Close()
			f.SetCellValue("Sheet1", "A1", "指标名称")
			b, err := f.WriteToBuffer()
			if err != nil {
				t.Fatal(err)
			}
			return b.Bytes()
		}()},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st, err := xlsx.Check(bytes.NewReader(tc.file), int64(len(tc.file)), limits)
			if err != nil {
				t.Fatalf("Check = %v, want nil", err)
			}
			if st.Read != st.Declared || st.Read == 0 {
				t.Errorf("read %d bytes, declared %d", st.Read, st.Declared)
			}
		})
	}
	// The skeleton is a workbook excelize reads.
	f, err := excelize.OpenReader(bytes.NewReader(xlsxtest.Workbook(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, err := f.GetCellValue("Sheet1", "A2"); err != nil || v != "财政收入" {
		t.Errorf("skeleton's A2 = %q, %v", v, err)
	}
}

func TestCheckCountsRows(t *testing.T) {
	lim := limits
	lim.Rows = 3
	for _, body := range []string{
		`<row r="1"/><row r="2"></row><row>` + "\n" + `</row><row	r="4"/>`,
		`<x:row/><x:row/><row/><row/>`,
	} {
		file := xlsxtest.Workbook(t, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: `<worksheet><sheetData>`, Body: body, Times: 1, Tail: `</sheetData></worksheet>`})
		_, err := xlsx.Check(bytes.NewReader(file), int64(len(file)), lim)
		var le *xlsx.LimitError
		if !errors.As(err, &le) || le.Limit != xlsx.LimitRows || le.Part != xlsxtest.Sheet1 {
			t.Errorf("%s: Check = %v, want the rows limit in %s", body, err, xlsxtest.Sheet1)
		}
	}
	// Closing tags and longer names do not count.
	file := xlsxtest.Workbook(t, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: `<worksheet><sheetData>`,
		Body: `<row/></row><rows/><rowBreaks/><brk/><row2/><row/>`, Times: 1, Tail: `</sheetData></worksheet>`})
	if _, err := xlsx.Check(bytes.NewReader(file), int64(len(file)), lim); err != nil {
		t.Errorf("two rows: Check = %v", err)
	}
}
