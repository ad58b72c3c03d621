package xlsx

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

// ContentType is the media type of an .xlsx workbook.
const ContentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Serve writes t as an .xlsx download named name (Chinese is fine: the header
// carries an ASCII fallback and the UTF-8 name). The workbook is built in
// memory first, so a failure is an error page, not half a file.
func Serve(w http.ResponseWriter, fallback, name string, t Table) error {
	var buf bytes.Buffer
	if err := WriteTable(&buf, t); err != nil {
		return platform.Internalf("xlsx %s: %w", fallback, err)
	}
	return ServeBytes(w, fallback, name, buf.Bytes())
}

// ServeBytes sends a ready workbook as a download.
func ServeBytes(w http.ResponseWriter, fallback, name string, data []byte) error {
	w.Header().Set("Content-Type", ContentType)
	w.Header().Set("Content-Disposition", ContentDisposition(fallback, name))
	w.Header().Set("Cache-Control", "no-store")
	_, err := w.Write(data)
	return err
}

// ContentDisposition is a Content-Disposition for a download with an ASCII
// fallback name and the real name in UTF-8 (RFC 6266, RFC 5987).
func ContentDisposition(fallback, name string) string {
	var b strings.Builder
	for _, c := range []byte(name) {
		if ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, fallback, b.String())
}

// ServeList writes rows as a list's Excel download with the list's own
// columns: their headers in the viewer's language and each column's number
// format, so the download carries what the page shows under the same names.
func ServeList[T any](w http.ResponseWriter, b web.Base, fallback, title, sheet string, cols []web.Column[T], rows []T) error {
	t := Table{Title: title, Sheet: sheet, NumFormats: map[int]string{}}
	var kept []web.Column[T]
	for _, c := range cols {
		if c.Value != nil { // a column without a cell is the page's only
			kept = append(kept, c)
		}
	}
	cols = kept
	for i, c := range cols {
		t.Headers = append(t.Headers, b.T(c.Key))
		if c.Format != "" {
			t.NumFormats[i] = c.Format
		}
	}
	t.Rows = make([][]any, 0, len(rows))
	for _, r := range rows {
		cells := make([]any, len(cols))
		for i, c := range cols {
			cells[i] = c.Value(r)
		}
		t.Rows = append(t.Rows, cells)
	}
	return Serve(w, fallback, title+".xlsx", t)
}
