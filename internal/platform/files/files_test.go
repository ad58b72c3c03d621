package files

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"guatu/internal/platform"
)

func sampleZip(names ...string) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, n := range names {
		w, _ := z.Create(n)
		w.Write([]byte("<x/>"))
	}
	z.Close()
	return b.Bytes()
}

// sampleOLE is an OLE compound file whose directory, at sector 1, names
// the given streams.
func sampleOLE(streams ...string) []byte {
	b := make([]byte, 512*3)
	copy(b, oleMagic)
	b[0x1E] = 9 // 512-byte sectors
	for i, s := range append([]string{"Root Entry"}, streams...) {
		copy(b[512+128*i:], utf16(s))
	}
	return b
}

func sampleJPEG() []byte {
	var b bytes.Buffer
	jpeg.Encode(&b, image.NewGray(image.Rect(0, 0, 4, 4)), nil)
	return b.Bytes()
}

func sampleGIF() []byte {
	var b bytes.Buffer
	gif.Encode(&b, image.NewPaletted(image.Rect(0, 0, 4, 4), color.Palette{color.Black, color.White}), nil)
	return b.Bytes()
}

func TestSniff(t *testing.T) {
	exe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"), make([]byte, 200)...)
	copy(exe[78:], "This program cannot be run in DOS mode.")
	webp := append([]byte("RIFF\x24\x00\x00\x00WEBPVP8 "), make([]byte, 30)...)
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"png", SamplePNG(8, 8), PNG},
		{"jpeg", sampleJPEG(), JPEG},
		{"gif", sampleGIF(), GIF},
		{"webp", webp, WebP},
		{"pdf", SamplePDF("ok"), PDF},
		{"docx", sampleZip("[Content_Types].xml", "_rels/.rels", "word/document.xml"), DOCX},
		{"xlsx", sampleZip("[Content_Types].xml", "xl/workbook.xml", "xl/worksheets/sheet1.xml"), XLSX},
		{"doc", sampleOLE("WordDocument", "1Table"), DOC},
		{"xls", sampleOLE("Workbook"), XLS},
		{"xls of Excel 95", sampleOLE("Book"), XLS},
		{"exe", exe, ""},
		{"plain zip", sampleZip("a.txt"), ""},
		{"zip with word/ but no content types", sampleZip("word/document.xml"), ""},
		{"ooxml of neither kind", sampleZip("[Content_Types].xml", "ppt/presentation.xml"), ""},
		{"msi (OLE without a document stream)", sampleOLE("SummaryInformation", "Bookkeeping"), ""},
		{"html", []byte("<!DOCTYPE html><html><script>alert(1)</script></html>"), ""},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ""},
		{"text", []byte("进展情况说明"), ""},
		{"empty", nil, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := Sniff(bytes.NewReader(tc.data), int64(len(tc.data))); got != tc.want {
				t.Errorf("Sniff = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCheckRefusals(t *testing.T) {
	f := &Files{Limit: 1 << 20}
	big := append(SamplePDF("big"), make([]byte, 1<<20)...)
	exe := append([]byte("MZ\x90\x00"), make([]byte, 300)...)
	for _, tc := range []struct {
		name, file string
		data       []byte
		key        string // "" when accepted
		wantType   string
	}{
		{"a photo", "现场.png", SamplePNG(4, 4), "", PNG},
		{"a pdf under the limit", "方案.pdf", SamplePDF("x"), "", PDF},
		{"a png named .pdf is kept as what it is", "照片.pdf", SamplePNG(4, 4), "", PNG},
		{"an exe renamed .pdf", "报告.pdf", exe, "file.error.type", ""},
		{"an exe renamed .jpg", "photo.jpg", exe, "file.error.type", ""},
		{"over the limit", "大文件.pdf", big, "file.error.too_large", ""},
		{"empty", "空.pdf", nil, "file.error.empty", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, err := f.Check(Upload{Name: tc.file, Size: int64(len(tc.data)), Body: bytes.NewReader(tc.data)})
			if tc.key == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				sum := sha256.Sum256(tc.data)
				if rec.ContentType != tc.wantType || rec.Name != tc.file || rec.SHA256 != hex.EncodeToString(sum[:]) || rec.Size != int64(len(tc.data)) {
					t.Errorf("got %+v", rec)
				}
				return
			}
			pe := platform.AsError(err)
			if err == nil || pe.Key != tc.key || pe.Field != Field || pe.Code != platform.Invalid {
				t.Fatalf("Check = %v, want %s on %s", err, tc.key, Field)
			}
			if pe.Args[0] != tc.file {
				t.Errorf("the refusal names %v, want %s", pe.Args[0], tc.file)
			}
		})
	}
	if got := (&Files{}).limit(); got != 20<<20 {
		t.Errorf("default limit %d, want 20 MiB", got)
	}
}

func TestCleanName(t *testing.T) {
	long := strings.Repeat("长", 200) + ".pdf"
	for _, tc := range []struct{ in, want string }{
		{"现场照片.jpg", "现场照片.jpg"},
		{`C:\Users\张三\报告.docx`, "报告.docx"},
		{"../../etc/passwd", "passwd"},
		{"a\x00b\nc.png", "abc.png"},
		{"", "file"},
		{"  /  ", "file"},
	} {
		if got := cleanName(tc.in); got != tc.want {
			t.Errorf("cleanName(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := cleanName(long); len([]rune(got)) != MaxName || !strings.HasSuffix(got, ".pdf") {
		t.Errorf("a long name kept as %q (%d characters)", got, len([]rune(got)))
	}
}

func TestDisposition(t *testing.T) {
	for _, tc := range []struct {
		rec  File
		want string
	}{
		{File{Name: "现场照片.jpg", ContentType: JPEG}, `inline; filename=file.jpg; filename*=UTF-8''%E7%8E%B0%E5%9C%BA%E7%85%A7%E7%89%87.jpg`},
		{File{Name: "plan 2026.docx", ContentType: DOCX}, `attachment; filename=plan2026.docx; filename*=UTF-8''plan%202026.docx`},
		{File{Name: "验收.pdf", ContentType: PDF}, `inline; filename=file.pdf; filename*=UTF-8''%E9%AA%8C%E6%94%B6.pdf`},
	} {
		if got := Disposition(tc.rec); got != tc.want {
			t.Errorf("Disposition(%s) = %s, want %s", tc.rec.Name, got, tc.want)
		}
	}
}

func TestDisk(t *testing.T) {
	ctx := context.Background()
	d, err := NewDisk(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	data := SamplePDF("disk")
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:])
	if _, err := d.Stat(ctx, key); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Stat before Put: %v, want not exist", err)
	}
	if err := d.Put(ctx, key, bytes.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if err := d.Put(ctx, key, bytes.NewReader(data)); err != nil {
		t.Fatalf("a second Put of the same content: %v", err)
	}
	info, err := d.Stat(ctx, key)
	if err != nil || info.Size != int64(len(data)) {
		t.Fatalf("Stat = %+v, %v", info, err)
	}
	if _, err := os.Stat(filepath.Join(d.Dir, key[:2], key[2:4], key)); err != nil {
		t.Errorf("not content-addressed under ab/cd/: %v", err)
	}
	b, err := d.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(b)
	b.Close()
	if !bytes.Equal(got, data) {
		t.Error("read back other bytes")
	}
	// Content that does not hash to the key is refused and leaves nothing.
	other := strings.Repeat("0", 64)
	if err := d.Put(ctx, other, bytes.NewReader(data)); err == nil {
		t.Error("Put under a wrong sum succeeded")
	}
	if _, err := d.Stat(ctx, other); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused Put left content: %v", err)
	}
	// A Put cut short (the request went away) leaves no half file.
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	big := SamplePNG(64, 64)
	bs := sha256.Sum256(big)
	if err := d.Put(cctx, hex.EncodeToString(bs[:]), bytes.NewReader(big)); err == nil {
		t.Error("a cancelled Put succeeded")
	}
	if _, err := d.Stat(ctx, hex.EncodeToString(bs[:])); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a cancelled Put left content: %v", err)
	}
	if left, _ := os.ReadDir(filepath.Join(d.Dir, "tmp")); len(left) != 0 {
		t.Errorf("temporary files left: %d", len(left))
	}
	for _, bad := range []string{"../../etc/passwd", "ABC", strings.Repeat("g", 64)} {
		if _, err := d.Open(ctx, bad); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("Open(%q) = %v, want not exist", bad, err)
		}
	}
}
