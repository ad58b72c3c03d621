package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Limits bound what reading an uploaded workbook may cost. A workbook is a
// zip of XML parts, and a small zip can unpack to gigabytes (a 1 MB file of
// 450 MiB of shared strings took 185 s and 3.2 GiB to open), so Check holds
// an upload to them before any parser sees it.
type Limits struct {
	Entries  int   // parts in the zip
	Unpacked int64 // every part together, as declared and as read
	// Part bounds each XML part that excelize holds in memory and decodes
	// whole: everything but the worksheets and the shared strings, which it
	// streams.
	Part    int64
	Rows    int // <row> elements in any one part
	Strings int // <si> elements (shared strings) in any one part
}

// Which limit a LimitError names.
const (
	LimitEntries  = "entries"
	LimitUnpacked = "unpacked"
	LimitPart     = "part"
	LimitRows     = "rows"
	LimitStrings  = "strings"
)

// LimitError says which limit a workbook broke. Part is the zip entry's name
// (for LimitPart, LimitRows and LimitStrings).
type LimitError struct {
	Limit string
	Max   int64
	Part  string
}

func (e *LimitError) Error() string {
	if e.Part != "" {
		return fmt.Sprintf("xlsx: %s exceeds the %s limit of %d", e.Part, e.Limit, e.Max)
	}
	return fmt.Sprintf("xlsx: the workbook exceeds the %s limit of %d", e.Limit, e.Max)
}

var (
	// ErrNotXLSX is a file that is not a readable zip with a workbook in it
	// (a .csv, a truncated upload, a zip of something else).
	ErrNotXLSX = errors.New("xlsx: not an .xlsx workbook")
	// ErrLegacy is an OLE compound file: an Excel 97–2003 .xls (or an .et)
	// renamed .xlsx, or an .xlsx encrypted with a password.
	ErrLegacy = errors.New("xlsx: an .xls or encrypted workbook, not an .xlsx")
)

// oleMagic starts every OLE compound file (.xls, .doc, encrypted .xlsx).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// Stats is what Check read.
type Stats struct {
	Entries  int
	Declared int64 // the parts' unpacked sizes as the zip declares them
	Read     int64 // the unpacked bytes actually read
}

// Check reads the workbook in r (size bytes) once, as a stream, and returns
// a *LimitError for the first limit it breaks, ErrLegacy or ErrNotXLSX for a
// file that is not an .xlsx, or nil. The declared sizes in the zip's
// directory are checked before anything is unpacked; then every part is
// unpacked through a counter that stops at the limit, whatever the directory
// said, and the rows and shared strings are counted as they stream past.
// Nothing is kept in memory beyond a read buffer.
func Check(r io.ReaderAt, size int64, lim Limits) (Stats, error) {
	var st Stats
	head := make([]byte, len(oleMagic))
	if n, _ := r.ReadAt(head, 0); n == len(head) && bytes.Equal(head, oleMagic) {
		return st, ErrLegacy
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return st, ErrNotXLSX
	}
	st.Entries = len(zr.File)
	if st.Entries > lim.Entries {
		return st, &LimitError{Limit: LimitEntries, Max: int64(lim.Entries)}
	}
	workbook := false
	for _, f := range zr.File {
		n := f.UncompressedSize64
		if n > uint64(lim.Unpacked) || st.Declared+int64(n) > lim.Unpacked {
			return st, &LimitError{Limit: LimitUnpacked, Max: lim.Unpacked}
		}
		st.Declared += int64(n)
		if held(f.Name) && n > uint64(lim.Part) {
			return st, &LimitError{Limit: LimitPart, Max: lim.Part, Part: f.Name}
		}
		workbook = workbook || strings.EqualFold(f.Name, "xl/workbook.xml")
	}
	if !workbook {
		return st, ErrNotXLSX
	}
	buf := make([]byte, 32<<10)
	for _, f := range zr.File {
		if err := scanPart(f, lim, &st, buf); err != nil {
			return st, err
		}
	}
	return st, nil
}

// held reports whether excelize reads a part whole into memory and decodes
// it there: any XML part but the worksheets and the shared strings (which
// it unpacks to a temporary file and streams, past its UnzipXMLSizeLimit).
func held(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, `\`, "/"))
	if !strings.HasSuffix(n, ".xml") && !strings.HasSuffix(n, ".rels") && !strings.HasSuffix(n, ".vml") {
		return false
	}
	return !strings.HasPrefix(n, "xl/worksheets/sheet") && n != "xl/sharedstrings.xml"
}

// scanPart unpacks one part through the counter into the tag counter.
// archive/zip itself refuses a part that inflates past its declared size;
// the counter is the second wall, on the total.
func scanPart(f *zip.File, lim Limits, st *Stats, buf []byte) error {
	rc, err := f.Open()
	if err != nil {
		return ErrNotXLSX
	}
	defer rc.Close()
	c := &counter{r: rc, st: st, max: lim.Unpacked}
	tags := &tagCounter{part: f.Name, lim: lim}
	for {
		n, err := c.Read(buf)
		if n > 0 {
			if err := tags.write(buf[:n]); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var le *LimitError
			if errors.As(err, &le) {
				return err
			}
			return ErrNotXLSX
		}
	}
}

// counter counts the unpacked bytes of every part into st.Read and fails
// once they pass max, reading no more than max+1 bytes in all.
type counter struct {
	r   io.Reader
	st  *Stats
	max int64
}

func (c *counter) Read(p []byte) (int, error) {
	left := c.max - c.st.Read
	if left < 0 {
		return 0, &LimitError{Limit: LimitUnpacked, Max: c.max}
	}
	if int64(len(p)) > left+1 {
		p = p[:left+1]
	}
	n, err := c.r.Read(p)
	c.st.Read += int64(n)
	if c.st.Read > c.max {
		return n, &LimitError{Limit: LimitUnpacked, Max: c.max}
	}
	return n, err
}

// tagCounter counts the start tags named row and si (with or without a
// namespace prefix) in a stream of XML, across buffer boundaries. It does
// not parse: a tag in a comment counts too, which can only refuse a file
// that was built to be refused.
type tagCounter struct {
	part      string
	lim       Limits
	inTag     bool   // after '<', reading the name
	name      []byte // the name so far, up to 16 bytes
	long      bool   // the name is longer than any we count
	rows, sis int
}

func (t *tagCounter) write(p []byte) error {
	for len(p) > 0 {
		if !t.inTag {
			i := bytes.IndexByte(p, '<')
			if i < 0 {
				return nil
			}
			p = p[i+1:]
			t.inTag, t.name, t.long = true, t.name[:0], false
			continue
		}
		b := p[0]
		p = p[1:]
		switch b {
		case ' ', '\t', '\r', '\n', '>', '/':
			t.inTag = false
			if err := t.count(); err != nil {
				return err
			}
			if b == '/' && len(t.name) == 0 {
				continue // a closing tag: its name is not counted
			}
		default:
			if len(t.name) < 16 {
				t.name = append(t.name, b)
			} else {
				t.long = true
			}
		}
	}
	return nil
}

func (t *tagCounter) count() error {
	if t.long || len(t.name) == 0 {
		return nil
	}
	local := t.name
	if i := bytes.LastIndexByte(local, ':'); i >= 0 {
		local = local[i+1:]
	}
	switch string(local) {
	case "row":
		if t.rows++; t.rows > t.lim.Rows {
			return &LimitError{Limit: LimitRows, Max: int64(t.lim.Rows), Part: t.part}
		}
	case "si":
		if t.sis++; t.sis > t.lim.Strings {
			return &LimitError{Limit: LimitStrings, Max: int64(t.lim.Strings), Part: t.part}
		}
	}
	return nil
}
