package files_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/files"
)

// TestFiles keeps uploads and records them on both engines, and serves one.
func TestFiles(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		disk, err := files.NewDisk(filepath.Join(t.TempDir(), "files"))
		if err != nil {
			t.Fatal(err)
		}
		f := &files.Files{DB: d, Store: disk}
		photo, pdf := files.SamplePNG(6, 6), files.SamplePDF("evidence")
		exe := append([]byte("MZ"), make([]byte, 100)...)
		// One refused upload refuses them all, and stores nothing.
		_, err = f.Keep(ctx, []files.Upload{{Name: "a.png", Size: int64(len(photo)), Body: bytes.NewReader(photo)}, {Name: "b.pdf", Size: int64(len(exe)), Body: bytes.NewReader(exe)}})
		if platform.AsError(err).Key != "file.error.type" {
			t.Fatalf("Keep with an exe = %v", err)
		}
		sum := sha256.Sum256(photo)
		if _, err := disk.Stat(ctx, hex.EncodeToString(sum[:])); !errors.Is(err, fs.ErrNotExist) {
			t.Error("a refused batch stored content")
		}
		kept, err := f.Keep(ctx, []files.Upload{{Name: "现场.png", Size: int64(len(photo)), Body: bytes.NewReader(photo)}, {Name: "验收单.pdf", Size: int64(len(pdf)), Body: bytes.NewReader(pdf)}})
		if err != nil || len(kept) != 2 {
			t.Fatalf("Keep = %v, %v", kept, err)
		}
		at := time.Date(2026, 12, 3, 8, 0, 0, 0, time.UTC)
		var recs []files.File
		err = d.Tx(ctx, func(tx *sql.Tx) error {
			for _, k := range kept {
				rec, err := files.Insert(ctx, tx, k, nil, at)
				if err != nil {
					return err
				}
				recs = append(recs, rec)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := files.Get(ctx, d, recs[1].ID)
		if err != nil || got.Name != "验收单.pdf" || got.ContentType != files.PDF || got.Size != int64(len(pdf)) || !got.At.Equal(at) {
			t.Fatalf("Get = %+v, %v", got, err)
		}
		if _, err := files.Get(ctx, d, recs[1].ID+100); !errors.Is(err, platform.ErrNotFound) {
			t.Errorf("Get of no file = %v", err)
		}
		w := httptest.NewRecorder()
		if err := f.Serve(w, httptest.NewRequest("GET", "/x", nil), got); err != nil {
			t.Fatal(err)
		}
		h := w.Result().Header
		if w.Code != http.StatusOK || h.Get("Content-Type") != files.PDF || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Content-Disposition"), "UTF-8''%E9%AA%8C%E6%94%B6%E5%8D%95.pdf") || !bytes.Equal(w.Body.Bytes(), pdf) {
			t.Errorf("served %d %v", w.Code, h)
		}
	})
}
