package app

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
)

// TestCatalogueComplete fails when a message lacks its Chinese or English text.
func TestCatalogueComplete(t *testing.T) {
	b := Messages()
	for _, m := range b.Missing() {
		t.Errorf("missing text: %s", m)
	}
}

var (
	templateKey = regexp.MustCompile(`\.T "([a-z][a-z0-9_.]*)"`)
	composedKey = regexp.MustCompile(`printf "([a-z][a-z0-9_.]*\.)%s"`)
	fileName    = regexp.MustCompile(`\.(xlsx|docx|json|js|css|html)$`)
)

// goKeyPattern matches a Go string literal shaped like a message key of any
// room: the prefixes come from the rooms themselves, so a new room's keys
// are checked the day it joins the list.
func goKeyPattern(t *testing.T) *regexp.Regexp {
	t.Helper()
	a := &App{}
	a.stores(room.Env{})
	var prefixes []string
	for _, rm := range a.rooms(room.Env{}) {
		if len(rm.Keys) == 0 && len(rm.Messages) > 0 {
			t.Errorf("room %s has messages but declares no key prefix", rm.Name)
		}
		for _, p := range rm.Keys {
			prefixes = append(prefixes, regexp.QuoteMeta(strings.TrimSuffix(p, ".")))
		}
	}
	return regexp.MustCompile(`"((?:` + strings.Join(prefixes, "|") + `)\.[a-z0-9_]+(?:\.[a-z0-9_]+)*)"`)
}

// TestRoomKeysHaveTheirPrefix fails for a message a room declares outside
// the prefixes it claims, which the key scan would not look for.
func TestRoomKeysHaveTheirPrefix(t *testing.T) {
	a := &App{}
	a.stores(room.Env{})
	var all []string
	for _, rm := range a.rooms(room.Env{}) {
		all = append(all, rm.Keys...)
	}
	for _, rm := range a.rooms(room.Env{}) {
		for _, c := range rm.Messages {
			for k := range c {
				if !slices.ContainsFunc(all, func(p string) bool { return strings.HasPrefix(k, p) }) {
					t.Errorf("room %s: key %q has no declared prefix", rm.Name, k)
				}
			}
		}
	}
}

// TestEveryKeyUsedExists scans the templates and Go sources for message keys
// and fails for any key that is not in the catalogue, so a typo shows up here
// and not as "[key]" on a page.
func TestEveryKeyUsedExists(t *testing.T) {
	b := Messages()
	goKey := goKeyPattern(t)
	root := filepath.Join("..", "..")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "data" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		isTemplate := strings.HasSuffix(path, ".html")
		isGo := strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go")
		if !isTemplate && !isGo {
			return nil
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		re := goKey
		if isTemplate {
			re = templateKey
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			if fileName.MatchString(m[1]) {
				continue // "audit.xlsx" is a download's name, not a key
			}
			if !b.Has(m[1]) && !isPrefixOfKey(b, m[1]) {
				t.Errorf("%s: key %q is not in the catalogue", path, m[1])
			}
		}
		for _, m := range composedKey.FindAllStringSubmatch(string(src), -1) {
			if !isPrefixOfKey(b, m[1]) {
				t.Errorf("%s: no key starts with %q", path, m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// isPrefixOfKey allows Go literals that are key prefixes ("role." + r).
func isPrefixOfKey(b *i18n.Bundle, s string) bool {
	if !strings.HasSuffix(s, ".") {
		return false
	}
	for _, k := range b.Keys() {
		if strings.HasPrefix(k, s) {
			return true
		}
	}
	return false
}

// TestComposedKeysExist checks the keys templates build from values.
func TestComposedKeysExist(t *testing.T) {
	b := Messages()
	var want []string
	for _, r := range auth.Roles {
		want = append(want, "role."+string(r))
	}
	for _, k := range org.Kinds {
		want = append(want, "org.kind."+string(k))
	}
	for _, body := range org.Bodies {
		want = append(want, "org.body."+string(body))
	}
	for _, a := range []string{"create", "update", "delete", "denied", "login", "logout", "login_failed", "import"} {
		want = append(want, "audit.action."+a)
	}
	for _, l := range []string{"green", "yellow", "red", ""} {
		want = append(want, "target.light."+l)
	}
	for _, k := range want {
		if !b.Has(k) {
			t.Errorf("missing key %q", k)
		}
	}
}
