package files

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/platform"
	"guatu/internal/platform/db"
)

// DefaultLimit is the largest file accepted unless configured otherwise.
const DefaultLimit = 20 << 20

// MaxName bounds a kept original name, in characters.
const MaxName = 120

// File is the record of one upload (table files).
type File struct {
	ID          int64     `json:"id"`
	SHA256      string    `json:"sha256"`
	Size        int64     `json:"size"`
	ContentType string    `json:"content_type"`
	Name        string    `json:"name"`
	UploadedBy  *int64    `json:"uploaded_by,omitempty"`
	At          time.Time `json:"at"`
}

// Image reports whether the file is a photo a page can show.
func (f File) Image() bool { return strings.HasPrefix(f.ContentType, "image/") }

// Upload is a file as a form or the API sends it: its name as the sender's
// computer called it and its bytes.
type Upload struct {
	Name string
	Size int64
	Body io.ReaderAt
}

// Files keeps uploads: their content in Store, their records in the
// database.
type Files struct {
	DB    *db.DB
	Store Store
	Limit int64 // the largest file accepted; DefaultLimit when 0
}

// MaxSize is the largest file accepted, in bytes.
func (f *Files) MaxSize() int64 { return f.limit() }

func (f *Files) limit() int64 {
	if f.Limit > 0 {
		return f.Limit
	}
	return DefaultLimit
}

// Accept is the allow-list as a file input's accept attribute.
const Accept = "image/jpeg,image/png,image/gif,image/webp,application/pdf,.pdf,.doc,.docx,.xls,.xlsx"

// Field is the form field every refusal of an upload is put next to.
const Field = "files"

// Check sniffs and bounds one upload, returning its record to be (an
// Invalid error on Field naming the file otherwise: empty, too large, or a
// type refused by its content whatever its name says).
func (f *Files) Check(u Upload) (File, error) {
	name := cleanName(u.Name)
	switch {
	case u.Size <= 0:
		return File{}, platform.FieldError(Field, "file.error.empty", name)
	case u.Size > f.limit():
		return File{}, platform.FieldError(Field, "file.error.too_large", name, f.limit()>>20)
	}
	ct := Sniff(u.Body, u.Size)
	if ct == "" {
		return File{}, platform.FieldError(Field, "file.error.type", name)
	}
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(u.Body, 0, u.Size)); err != nil {
		return File{}, platform.FieldError(Field, "file.error.unreadable", name)
	}
	return File{SHA256: hex.EncodeToString(h.Sum(nil)), Size: u.Size, ContentType: ct, Name: name}, nil
}

// Keep checks every upload (all refusals at once) and puts their content in
// the store, returning their records to be inserted in the transaction of
// whatever they belong to (Insert). Content stored for a record never
// inserted is harmless: it is kept by its hash and reused.
func (f *Files) Keep(ctx context.Context, ups []Upload) ([]File, error) {
	var es platform.Errors
	out := make([]File, 0, len(ups))
	for _, u := range ups {
		rec, err := f.Check(u)
		if err != nil {
			es = append(es, platform.AsError(err))
			continue
		}
		out = append(out, rec)
	}
	if err := es.Err(); err != nil {
		return nil, err
	}
	if len(out) > 0 && f.Store == nil {
		return nil, platform.Internalf("file store: none configured")
	}
	for i, rec := range out {
		if err := f.Store.Put(ctx, rec.SHA256, io.NewSectionReader(ups[i].Body, 0, ups[i].Size)); err != nil {
			return nil, platform.Internalf("keep %s: %w", rec.Name, err)
		}
	}
	return out, nil
}

// Insert records a kept file inside tx, by the user id by at.
func Insert(ctx context.Context, tx db.Queryer, rec File, by *int64, at time.Time) (File, error) {
	rec.UploadedBy, rec.At = by, at.UTC()
	err := tx.QueryRowContext(ctx, `INSERT INTO files (sha256, size, content_type, name, uploaded_by, at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, rec.SHA256, rec.Size, rec.ContentType, rec.Name, by, rec.At).Scan(&rec.ID)
	if err != nil {
		return File{}, platform.Internalf("insert file: %w", err)
	}
	return rec, nil
}

// Columns are the files table's columns in Scan's order, for rooms that
// join it (prefix them with the table's alias).
const Columns = `id, sha256, size, content_type, name, uploaded_by, at`

// Scan reads a row of Columns.
func Scan(sc interface{ Scan(...any) error }, extra ...any) (File, error) {
	var f File
	err := sc.Scan(append([]any{&f.ID, &f.SHA256, &f.Size, &f.ContentType, &f.Name, &f.UploadedBy, &f.At}, extra...)...)
	return f, err
}

// Get reads one file's record; NotFound when there is none. Scope is the
// caller's to check: a room reads a file only through its own link to it.
func Get(ctx context.Context, q db.Queryer, id int64) (File, error) {
	f, err := Scan(q.QueryRowContext(ctx, `SELECT `+Columns+` FROM files WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return File{}, platform.ErrNotFound
	}
	if err != nil {
		return File{}, platform.Internalf("file %d: %w", id, err)
	}
	return f, nil
}

// Serve sends the file's content: its sniffed type (never guessed again by
// the browser: nosniff), its original UTF-8 name in Content-Disposition
// (inline for photos and PDFs, which a browser shows, attachment for the
// rest), and ranges and If-Modified-Since through http.ServeContent.
// Content missing from the store is an internal error.
func (f *Files) Serve(w http.ResponseWriter, r *http.Request, rec File) error {
	if f.Store == nil {
		return platform.Internalf("file store: none configured")
	}
	b, err := f.Store.Open(r.Context(), rec.SHA256)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return platform.Internalf("file %d: content %s missing from the store", rec.ID, rec.SHA256)
		}
		return platform.Internalf("file %d: %w", rec.ID, err)
	}
	defer b.Close()
	h := w.Header()
	h.Set("Content-Type", rec.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", Disposition(rec))
	h.Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", rec.At, b)
	return nil
}

// Disposition is the Content-Disposition header of a file: its name in
// UTF-8 (RFC 6266's filename*) with a plain-ASCII fallback.
func Disposition(rec File) string {
	kind := "attachment"
	if rec.Image() || rec.ContentType == PDF {
		kind = "inline"
	}
	fallback := asciiName(rec)
	return mime.FormatMediaType(kind, map[string]string{"filename": fallback}) +
		"; filename*=UTF-8''" + url.PathEscape(rec.Name)
}

// asciiName is the name for clients that do not read filename*: its ASCII
// letters, or "file" with the type's extension.
func asciiName(rec File) string {
	var b strings.Builder
	for _, c := range rec.Name {
		if c < 0x80 && c > 0x20 && c != '"' && c != '\\' && c != '/' {
			b.WriteRune(c)
		}
	}
	s := b.String()
	if strings.TrimSuffix(s, path.Ext(s)) == "" {
		return "file" + Extension(rec.ContentType)
	}
	return s
}

// cleanName keeps the last element of a sent name (a browser may send a
// path), valid UTF-8 without control characters, at most MaxName
// characters; "file" when nothing is left.
func cleanName(s string) string {
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if utf8.RuneCountInString(s) > MaxName {
		ext := path.Ext(s)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		rs := []rune(strings.TrimSuffix(s, ext))
		s = string(rs[:MaxName-utf8.RuneCountInString(ext)]) + ext
	}
	if s == "" {
		return "file"
	}
	return s
}
