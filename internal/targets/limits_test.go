package targets

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"guatu/internal/platform/i18n"
	"guatu/internal/platform/xlsx/xlsxtest"
)

// hostileFile is an upload built to hurt, and what the import must say.
type hostileFile struct {
	name string
	open func() io.Reader // the file, generated as it is read where it is large
	size int64
	want Problem
	text string // in the Chinese message
}

const mib = 1 << 20

// hostileFiles are the files of issue 7, each generated here: a few hundred
// kilobytes that unpack to 450 MiB, a million rows, 50 MB, an .xls.
func hostileFiles(tb testing.TB) []hostileFile {
	sst := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`
	strs := strings.Repeat(`<si><t>填报</t></si>`, mib/24)
	rowsZ := strings.Repeat(`<row><c r="Z1"><v>1</v></c></row>`, 30_000)
	files := []struct {
		name string
		data []byte
		want Problem
		text string
	}{
		{"450 MiB of shared strings", xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.SharedStrings, Head: sst, Body: strs, Times: 450, Tail: `</sst>`}),
			Problem{Key: keyUnpackedTooLarge, Args: []any{64}}, "文件解压后超过64MB"},
		{"450 MiB of rows with a cell in column Z", xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Body: rowsZ, Times: 450 * mib / len(rowsZ), Tail: xlsxtest.SheetTail}),
			Problem{Key: keyUnpackedTooLarge, Args: []any{64}}, "文件解压后超过64MB"},
		{"450 MiB of whitespace", xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Body: strings.Repeat(" ", mib), Times: 450, Tail: xlsxtest.SheetTail}),
			Problem{Key: keyUnpackedTooLarge, Args: []any{64}}, "文件解压后超过64MB"},
		{"1,000,000 rows", xlsxtest.Workbook(tb, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Gen: xlsxtest.Rows(2, 1_000_000, "A"), Tail: xlsxtest.SheetTail}),
			Problem{Key: keyTooManyRows, Args: []any{100000}}, "表中超过100000行"},
		{"an .xls renamed .xlsx", xlsxtest.Legacy(256 << 10),
			Problem{Key: keyLegacy}, "不是 .xlsx 文件"},
	}
	var out []hostileFile
	for _, f := range files {
		data := f.data
		out = append(out, hostileFile{name: f.name, open: func() io.Reader { return bytes.NewReader(data) }, size: int64(len(data)), want: f.want, text: f.text})
	}
	// 50 MB: the size alone refuses it, whatever it holds.
	out = append(out, hostileFile{name: "50 MB", open: func() io.Reader { return io.LimitReader(zeros{}, 50_000_000) }, size: 50_000_000,
		want: Problem{Key: keyTooLarge, Args: []any{20}}, text: "文件超过20MB"})
	return out
}

func TestParseSheetRefusesHostileFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("builds files that unpack to hundreds of megabytes")
	}
	zh := i18n.New(SheetMessages())
	for _, hf := range hostileFiles(t) {
		t.Run(hf.name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			sh, err := ParseSheet(hf.open())
			runtime.ReadMemStats(&after)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := fmt.Sprintf("%+v", sh.Problems), fmt.Sprintf("%+v", []Problem{hf.want}); got != want {
				t.Fatalf("Problems = %s; want %s", got, want)
			}
			if msg := zh.T(i18n.ZH, hf.want.Key, hf.want.Args...); !strings.Contains(msg, hf.text) {
				t.Errorf("message %q does not say %q", msg, hf.text)
			}
			checkMessages(t, sh.Problems)
			// Every allocation while refusing, freed or not: the 20 MB read
			// of the 50 MB file is the most of it.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 80*mib {
				t.Errorf("refusing allocated %d MiB, want under 80", alloc/mib)
			}
		})
	}
}

// BenchmarkRefuse times the refusal of each hostile file and reports the
// process's peak resident memory so far (run one file per process for its
// own peak; see BENCHMARKS.md):
//
//	go test -run X -bench 'Refuse/shared' -benchtime 5x ./internal/targets/
func BenchmarkRefuse(b *testing.B) {
	for _, hf := range hostileFiles(b) {
		b.Run(strings.ReplaceAll(hf.name, " ", "_"), func(b *testing.B) {
			runtime.GC()
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				sh, err := ParseSheet(hf.open())
				if err != nil || len(sh.Problems) != 1 || sh.Problems[0].Key != hf.want.Key {
					b.Fatalf("ParseSheet = %+v, %v", sh, err)
				}
			}
			b.StopTimer()
			reportPeak(b)
		})
	}
}

// BenchmarkParseSheetMerged parses 100,000 rows whose indicator cell is
// blank in every other row, so the merged ranges are read: streamed, not by
// excelize's GetMergeCells, which decoded the whole sheet (330 MiB).
func BenchmarkParseSheetMerged(b *testing.B) {
	gen := func(w io.Writer) error {
		for r := 2; r <= 100_000; r++ {
			ind := fmt.Sprintf(`<c r="A%d" t="inlineStr"><is><t>指标%d</t></is></c>`, r, r)
			if r%2 == 0 {
				ind = ""
			}
			if _, err := fmt.Fprintf(w, `<row r="%d">%s<c r="B%d" t="inlineStr"><is><t>万元</t></is></c><c r="C%d"><v>%d</v></c></row>`, r, ind, r, r, r); err != nil {
				return err
			}
		}
		return nil
	}
	file := xlsxtest.Workbook(b, xlsxtest.Part{Name: xlsxtest.Sheet1, Head: xlsxtest.SheetHead, Gen: gen, Tail: xlsxtest.SheetTail})
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		if _, err := ParseSheet(bytes.NewReader(file)); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportPeak(b)
}

// reportPeak reports the process's peak resident set in MiB.
func reportPeak(b *testing.B) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err == nil {
		b.ReportMetric(float64(ru.Maxrss)/1024, "peak-RSS-MiB")
	}
	b.ReportMetric(float64(b.Elapsed())/float64(b.N)/float64(time.Millisecond), "ms/file")
}
