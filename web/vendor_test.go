package web

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"path"
	"strings"
	"testing"
)

// TestVendorVersions checks static/vendor against its VERSIONS table: every
// listed file is there with the listed sha256, and every file there (but the
// table and the LICENSE-* files) is listed, so a library cannot be updated,
// added or edited without the table saying so.
func TestVendorVersions(t *testing.T) {
	vendor, err := fs.Sub(Static(), "vendor")
	if err != nil {
		t.Fatal(err)
	}
	table, err := fs.ReadFile(vendor, "VERSIONS")
	if err != nil {
		t.Fatal(err)
	}

	listed := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(table))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 4 {
			t.Errorf("VERSIONS:%d: %q: want name, version, file and sha256", n, line)
			continue
		}
		name, file, want := fields[0], fields[2], fields[3]
		if listed[file] {
			t.Errorf("VERSIONS:%d: %s is listed twice", n, file)
		}
		listed[file] = true
		b, err := fs.ReadFile(vendor, file)
		if err != nil {
			t.Errorf("VERSIONS:%d: %s (%s): %v", n, file, name, err)
			continue
		}
		sum := sha256.Sum256(b)
		if got := hex.EncodeToString(sum[:]); got != want {
			t.Errorf("VERSIONS:%d: %s (%s) has sha256 %s, want %s: update the table with the library", n, file, name, got, want)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(listed) == 0 {
		t.Fatal("VERSIONS lists no files")
	}

	err = fs.WalkDir(vendor, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if base := path.Base(p); p == "VERSIONS" || strings.HasPrefix(base, "LICENSE-") {
			return nil
		}
		if !listed[p] {
			t.Errorf("static/vendor/%s is not listed in VERSIONS", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
