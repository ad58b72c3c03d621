package repocheck

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// maxFileSize is the largest a tracked file may be outside vendoredDir.
const maxFileSize = 2 << 20

// vendoredDir holds the pinned front-end libraries, checked by web's own
// test against web/static/vendor/VERSIONS.
const vendoredDir = "web/static/vendor/"

// repoRoot returns the repository's root, skipping the test when there is
// no git or no .git (an unpacked source archive).
func repoRoot(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skipf("%s is not a git checkout", root)
	}
	return root
}

func TestNoLargeFiles(t *testing.T) {
	root := repoRoot(t)
	cmd := exec.Command("git", "ls-files", "-z")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("git ls-files: %v %s", err, msg)
	}
	files := bytes.Split(bytes.TrimSuffix(out, []byte{0}), []byte{0})
	if len(files) == 0 || len(files[0]) == 0 {
		t.Fatal("git ls-files lists no files")
	}
	for _, f := range files {
		name := string(f)
		if strings.HasPrefix(name, vendoredDir) {
			continue
		}
		fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(name)))
		if os.IsNotExist(err) {
			continue // deleted in the working tree, not committed yet
		}
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if fi.Size() > maxFileSize {
			t.Errorf("%s is %.1f MB, over the %d MB limit for tracked files: keep build outputs and data out of git (see .gitignore)",
				name, float64(fi.Size())/(1<<20), maxFileSize>>20)
		}
	}
}
