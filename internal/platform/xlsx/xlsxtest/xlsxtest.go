// Package xlsxtest builds hostile workbooks for the tests of the upload
// limits: zips of a few hundred kilobytes that unpack to hundreds of
// megabytes. Nothing large is ever held in memory: a repeated part is
// deflated once and its compressed blocks repeated.
package xlsxtest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
	"testing"
)

// Part is a zip entry: Head, then Body Times times, then Tail. Declared,
// when set, is the unpacked size the zip's directory claims instead of the
// true one. Stored writes the part uncompressed (for incompressible bytes).
// Gen, when set, writes what comes between Head and Tail instead of Body,
// streamed through the compressor as it is generated.
type Part struct {
	Name             string
	Head, Body, Tail string
	Times            int
	Declared         int64
	Stored           bool
	Gen              func(w io.Writer) error
}

// Size is the part's true unpacked size.
func (p Part) Size() int64 {
	return int64(len(p.Head)) + int64(len(p.Body))*int64(p.Times) + int64(len(p.Tail))
}

// Sheet1 is the name of the skeleton's only worksheet part.
const Sheet1 = "xl/worksheets/sheet1.xml"

// SharedStrings is the name of the shared strings part.
const SharedStrings = "xl/sharedStrings.xml"

// SheetHead and SheetTail wrap a worksheet's rows.
const (
	SheetHead = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>指标名称</t></is></c><c r="B1" t="inlineStr"><is><t>计量单位</t></is></c><c r="C1" t="inlineStr"><is><t>1-10月累计</t></is></c></row>`
	SheetTail = `</sheetData></worksheet>`
)

// skeleton is the smallest workbook excelize opens: one sheet, shared strings.
var skeleton = []Part{
	{Name: "[Content_Types].xml", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>` +
		`<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>` +
		`</Types>`},
	{Name: "_rels/.rels", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>` +
		`</Relationships>`},
	{Name: "xl/workbook.xml", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">` +
		`<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{Name: "xl/_rels/workbook.xml.rels", Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>` +
		`<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` +
		`</Relationships>`},
	{Name: Sheet1, Head: SheetHead +
		`<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>万元</t></is></c><c r="C2"><v>500</v></c></row>`,
		Tail: SheetTail},
	{Name: SharedStrings, Head: `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>财政收入</t></si>`, Tail: `</sst>`},
}

// Workbook returns an .xlsx: the skeleton, with parts of the same name
// replaced by the given ones and the others added.
func Workbook(tb testing.TB, parts ...Part) []byte {
	tb.Helper()
	all := append([]Part(nil), skeleton...)
	for _, p := range parts {
		found := false
		for i := range all {
			if all[i].Name == p.Name {
				all[i], found = p, true
			}
		}
		if !found {
			all = append(all, p)
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range all {
		if err := writePart(zw, p); err != nil {
			tb.Fatalf("xlsxtest: %s: %v", p.Name, err)
		}
	}
	if err := zw.Close(); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

func writePart(zw *zip.Writer, p Part) error {
	if p.Gen != nil {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.Name, Method: zip.Deflate})
		if err != nil {
			return err
		}
		bw := bufio.NewWriterSize(w, 64<<10)
		bw.WriteString(p.Head)
		if err := p.Gen(bw); err != nil {
			return err
		}
		bw.WriteString(p.Tail)
		return bw.Flush()
	}
	crc := crc32.Update(0, crc32.IEEETable, []byte(p.Head))
	body := []byte(p.Body)
	for range p.Times {
		crc = crc32.Update(crc, crc32.IEEETable, body)
	}
	crc = crc32.Update(crc, crc32.IEEETable, []byte(p.Tail))
	h := &zip.FileHeader{Name: p.Name, Method: zip.Deflate, CRC32: crc, UncompressedSize64: uint64(p.Size())}
	if p.Declared > 0 {
		h.UncompressedSize64 = uint64(p.Declared)
	}
	var data []byte
	if p.Stored {
		h.Method = zip.Store
		data = []byte(p.Head + strings.Repeat(p.Body, p.Times) + p.Tail)
	} else {
		var err error
		if data, err = deflateRepeated(p); err != nil {
			return err
		}
	}
	h.CompressedSize64 = uint64(len(data))
	w, err := zw.CreateRaw(h)
	if err != nil {
		return err
	}
	_, err = w.Write(data)
	return err
}

// deflateRepeated compresses Head, Body and Tail each on their own and
// repeats Body's blocks: a flushed deflate writer ends on a byte boundary
// with every reference inside its own input, so its output can be repeated,
// and only the last segment closes the stream.
func deflateRepeated(p Part) ([]byte, error) {
	segment := func(s string, last bool) ([]byte, error) {
		var b bytes.Buffer
		fw, _ := flate.NewWriter(&b, flate.BestCompression)
		if _, err := io.WriteString(fw, s); err != nil {
			return nil, err
		}
		if last {
			err := fw.Close()
			return b.Bytes(), err
		}
		err := fw.Flush()
		return b.Bytes(), err
	}
	head, err := segment(p.Head, false)
	if err != nil {
		return nil, err
	}
	body, err := segment(p.Body, false)
	if err != nil {
		return nil, err
	}
	tail, err := segment(p.Tail, true)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, len(head)+len(body)*p.Times+len(tail))
	out = append(out, head...)
	if p.Body != "" {
		for range p.Times {
			out = append(out, body...)
		}
	}
	return append(out, tail...), nil
}

// Rows writes n rows of one number each in column col, numbered from
// first: for a Part's Gen.
func Rows(first, n int, col string) func(w io.Writer) error {
	return func(w io.Writer) error {
		for r := first; r < first+n; r++ {
			if _, err := fmt.Fprintf(w, `<row r="%d"><c r="%s%d"><v>1</v></c></row>`, r, col, r); err != nil {
				return err
			}
		}
		return nil
	}
}

// RowsText is Rows as a string, for a Part's Body.
func RowsText(first, n int, col string) string {
	var b strings.Builder
	Rows(first, n, col)(&b)
	return b.String()
}

// Legacy is the start of an OLE compound file, as an Excel 97–2003 .xls
// (or a password-protected .xlsx) begins, padded to size bytes.
func Legacy(size int) []byte {
	b := make([]byte, size)
	copy(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
	return b
}
