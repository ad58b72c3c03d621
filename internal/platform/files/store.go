// Package files is the platform's file store: the content of uploaded files
// (photos, PDFs, office documents) kept once per SHA-256 behind a small
// Store interface — on disk under the data folder today, an S3-compatible
// object store later — and the record of each upload (table files): its
// type sniffed from its bytes, its size, its original name, who sent it and
// when. Rooms link their rows to a file's id and check scope themselves;
// nothing here deletes a file.
package files

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Store keeps file contents by their SHA-256 (hex, lower case).
type Store interface {
	// Put stores the content r under sum, which it must hash to (an
	// error otherwise, and nothing stored). Putting a sum already there
	// is a no-op.
	Put(ctx context.Context, sum string, r io.Reader) error
	// Open returns the content under sum; fs.ErrNotExist when none.
	Open(ctx context.Context, sum string) (Blob, error)
	// Stat returns the size and time of the content under sum;
	// fs.ErrNotExist when none.
	Stat(ctx context.Context, sum string) (Info, error)
}

// Blob is stored content being read; http.ServeContent can seek in it.
type Blob interface {
	io.ReadSeekCloser
}

// Info describes stored content.
type Info struct {
	Size    int64
	ModTime time.Time
}

// Disk is a Store in a folder (<data>/files): each content in
// ab/cd/abcd…(64 hex digits), written to a temporary file in the same
// folder, synced, then renamed into place, so a crash leaves either the
// whole file or none.
type Disk struct {
	Dir string
}

// NewDisk returns a disk store in dir, made at the first Put.
func NewDisk(dir string) (*Disk, error) {
	if dir == "" {
		return nil, errors.New("file store: no folder")
	}
	return &Disk{Dir: dir}, nil
}

// validSum reports whether sum is 64 lower-case hex digits, so it can be a
// path safely.
func validSum(sum string) bool {
	if len(sum) != 64 {
		return false
	}
	for _, c := range sum {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

func (d *Disk) path(sum string) string {
	return filepath.Join(d.Dir, sum[:2], sum[2:4], sum)
}

// Put writes r under sum (see Store).
func (d *Disk) Put(ctx context.Context, sum string, r io.Reader) error {
	if !validSum(sum) {
		return fmt.Errorf("file store: bad sum %q", sum)
	}
	final := d.path(sum)
	if _, err := os.Stat(final); err == nil {
		return nil
	}
	if err := os.MkdirAll(filepath.Join(d.Dir, "tmp"), 0o750); err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Join(d.Dir, "tmp"), "put-*")
	if err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	h := sha256.New()
	_, err = io.Copy(io.MultiWriter(tmp, h), ctxReader{ctx, r})
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("file store: write: %w", err)
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != sum {
		return fmt.Errorf("file store: content hashes to %s, not %s", got, sum)
	}
	if err := os.MkdirAll(filepath.Dir(final), 0o750); err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return fmt.Errorf("file store: %w", err)
	}
	syncDir(filepath.Dir(final))
	return nil
}

// syncDir makes a rename in dir durable where the system allows it.
func syncDir(dir string) {
	if f, err := os.Open(dir); err == nil {
		f.Sync()
		f.Close()
	}
}

// Open returns the content under sum (see Store).
func (d *Disk) Open(_ context.Context, sum string) (Blob, error) {
	if !validSum(sum) {
		return nil, fs.ErrNotExist
	}
	return os.Open(d.path(sum))
}

// Stat returns the content's size and time (see Store).
func (d *Disk) Stat(_ context.Context, sum string) (Info, error) {
	if !validSum(sum) {
		return Info{}, fs.ErrNotExist
	}
	fi, err := os.Stat(d.path(sum))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return Info{}, fs.ErrNotExist
		}
		return Info{}, err
	}
	return Info{Size: fi.Size(), ModTime: fi.ModTime()}, nil
}

// ctxReader stops a copy when ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
