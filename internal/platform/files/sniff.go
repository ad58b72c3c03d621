package files

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"strings"
)

// Content types the store accepts, decided by a file's bytes, never by its
// name.
const (
	JPEG = "image/jpeg"
	PNG  = "image/png"
	GIF  = "image/gif"
	WebP = "image/webp"
	PDF  = "application/pdf"
	DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	DOC  = "application/msword"
	XLS  = "application/vnd.ms-excel"
)

// Allowed is the allow-list: photos, PDFs and office documents.
var Allowed = []string{JPEG, PNG, GIF, WebP, PDF, DOCX, XLSX, DOC, XLS}

// Extension is the usual file name ending of an allowed type.
func Extension(contentType string) string {
	switch contentType {
	case JPEG:
		return ".jpg"
	case PNG:
		return ".png"
	case GIF:
		return ".gif"
	case WebP:
		return ".webp"
	case PDF:
		return ".pdf"
	case DOCX:
		return ".docx"
	case XLSX:
		return ".xlsx"
	case DOC:
		return ".doc"
	case XLS:
		return ".xls"
	}
	return ""
}

// oleMagic opens every OLE compound file (the old .doc and .xls, but also
// .msi installers and others).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Sniff returns the allowed content type of the size bytes of r, or "" when
// they are none of the allowed types. http.DetectContentType decides the
// images and PDF; a ZIP is an office document only with
// [Content_Types].xml and its word/ or xl/ part; an OLE file is a .doc or
// .xls only when it holds a WordDocument or Workbook (Book) stream.
func Sniff(r io.ReaderAt, size int64) string {
	head := make([]byte, 512)
	n, _ := r.ReadAt(head, 0)
	head = head[:n]
	if n == 0 {
		return ""
	}
	switch ct := http.DetectContentType(head); {
	case strings.HasPrefix(ct, JPEG), strings.HasPrefix(ct, PNG), strings.HasPrefix(ct, GIF), strings.HasPrefix(ct, WebP):
		return strings.SplitN(ct, ";", 2)[0]
	case ct == PDF:
		return PDF
	case ct == "application/zip":
		return sniffZip(r, size)
	}
	if bytes.HasPrefix(head, oleMagic) {
		return sniffOLE(r, size)
	}
	return ""
}

// sniffZip tells a .docx or .xlsx from any other ZIP.
func sniffZip(r io.ReaderAt, size int64) string {
	z, err := zip.NewReader(r, size)
	if err != nil {
		return ""
	}
	var types, word, xl bool
	for _, f := range z.File {
		switch {
		case f.Name == "[Content_Types].xml":
			types = true
		case strings.HasPrefix(f.Name, "word/"):
			word = true
		case strings.HasPrefix(f.Name, "xl/"):
			xl = true
		}
	}
	switch {
	case types && word && !xl:
		return DOCX
	case types && xl && !word:
		return XLSX
	}
	return ""
}

// utf16 is s as an OLE directory entry spells a stream's name.
func utf16(s string) []byte {
	out := make([]byte, 0, 2*len(s))
	for _, c := range []byte(s) {
		out = append(out, c, 0)
	}
	return out
}

var (
	wordStream = utf16("WordDocument")
	bookStream = utf16("Workbook")
	oldBook    = append(utf16("Book"), 0, 0) // Excel 5/95: "Book" then the name's terminator
)

// sniffOLE tells a .doc or .xls from any other OLE file by the streams its
// directory names. The directory's 128-byte entries begin with the name in
// UTF-16; the entries are looked for wherever the directory's sectors lie
// (on a 128-byte boundary), which spares following the sector chains.
func sniffOLE(r io.ReaderAt, size int64) string {
	buf := make([]byte, 64<<10)
	var off int64
	for off < size {
		n, err := r.ReadAt(buf, off)
		for i := 0; i+128 <= n; i += 128 {
			name := buf[i : i+64]
			switch {
			case bytes.HasPrefix(name, wordStream):
				return DOC
			case bytes.HasPrefix(name, bookStream), bytes.HasPrefix(name, oldBook):
				return XLS
			}
		}
		if err != nil || n == 0 {
			break
		}
		off += int64(n)
	}
	return ""
}
