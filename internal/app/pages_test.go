package app

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/db/dbtest"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
	webfs "guatu/web"
)

// testApp builds the app on a fresh SQLite database.
func testApp(t *testing.T) *App {
	t.Helper()
	a, err := New(Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil))}, dbtest.SQLite(t, Schema()...))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

var (
	missingKey = regexp.MustCompile(`\[[a-z]+\.[a-z0-9_.]*\]`)
	badVerb    = regexp.MustCompile(`%!`)
)

// TestEveryPageRendersWithItsFixture renders every page of every room with
// the room's fixture, in both languages, and fails on a template error, a
// message missing from the catalogue, a fmt verb gone wrong, a page without
// a fixture, a fixture of the wrong type, or an empty list in a fixture
// (whose range body would then go unchecked).
func TestEveryPageRendersWithItsFixture(t *testing.T) {
	a := testApp(t)
	fixtures := map[string]any{
		"web/error": web.ErrorPageData{Status: 404, Message: "找不到该页面"},
	}
	for _, rm := range a.Rooms {
		if rm.Fixtures == nil {
			continue
		}
		for _, f := range rm.Fixtures() {
			name := rm.Name + "/" + f.Page
			if _, dup := fixtures[name]; dup {
				t.Errorf("room %s: two fixtures for page %s", rm.Name, f.Page)
			}
			fixtures[name] = f.Data
		}
	}
	pages := map[string]bool{}
	for _, name := range a.Pages.Pages() {
		pages[name] = true
		if _, ok := fixtures[name]; !ok {
			room, _, _ := strings.Cut(name, "/")
			t.Errorf("room %s: page %s has no fixture", room, name)
		}
	}
	for name, data := range fixtures {
		if !pages[name] {
			t.Errorf("fixture for %s, which is not a page", name)
			continue
		}
		if want := a.Pages.DataType(name); want != nil && reflect.TypeOf(data) != want {
			t.Errorf("%s: fixture is a %T, the page renders a %s", name, data, want)
		}
		for _, empty := range emptyLists(reflect.ValueOf(data), "", 0) {
			t.Errorf("%s: fixture's %s is empty, so the template's range over it is not checked", name, empty)
		}
		for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
			t.Run(name+"/"+string(lang), func(t *testing.T) {
				out, err := a.Pages.Execute(name, withBase(t, a, data, lang))
				if err != nil {
					t.Fatalf("render: %v", err)
				}
				for _, m := range missingKey.FindAllString(string(out), 5) {
					t.Errorf("message %s is not in the catalogue", m)
				}
				if m := badVerb.FindString(string(out)); m != "" {
					i := strings.Index(string(out), m)
					t.Errorf("a message's arguments do not fit it: …%s…", out[max(0, i-60):min(len(out), i+60)])
				}
			})
		}
	}
}

// withBase returns a copy of data with its embedded web.Base filled for an
// administrator (who sees every button) in lang.
func withBase(t *testing.T, a *App, data any, lang i18n.Lang) any {
	t.Helper()
	v := reflect.New(reflect.TypeOf(data)).Elem()
	v.Set(reflect.ValueOf(data))
	f := v.FieldByName("Base")
	if !f.IsValid() || f.Type() != reflect.TypeFor[web.Base]() {
		t.Fatalf("%T does not embed web.Base", data)
	}
	u := &auth.User{ID: 1, Login: "admin", Role: auth.Admin, UnitID: 1, UnitPath: "/1/", UnitName: "示范区", PersonName: "管理员", Lang: lang}
	r := httptest.NewRequest("GET", "/", nil).WithContext(auth.WithUser(context.Background(), u))
	b := a.Pages.Base(r, "app.name")
	b.Flash = "已保存"
	f.Set(reflect.ValueOf(b))
	return v.Interface()
}

// emptyLists names the slices and maps in v (a fixture) that are empty,
// looking into structs, pointers and the first element of each list.
func emptyLists(v reflect.Value, path string, depth int) []string {
	if depth > 6 || !v.IsValid() {
		return nil
	}
	var out []string
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			out = append(out, emptyLists(v.Elem(), path, depth+1)...)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() || v.Type() == reflect.TypeFor[web.Base]() {
			return nil
		}
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			if !f.IsExported() || f.Type == reflect.TypeFor[web.FormView]() {
				continue
			}
			out = append(out, emptyLists(v.Field(i), strings.TrimPrefix(path+"."+f.Name, "."), depth+1)...)
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return nil
		}
		if v.Len() == 0 {
			return append(out, path)
		}
		out = append(out, emptyLists(v.Index(0), path+"[0]", depth+1)...)
	case reflect.Map:
		if v.Len() == 0 {
			return append(out, path)
		}
	}
	return out
}

// TestRoomRouteDeclaredTwice shows that two rooms claiming one route stop
// the start with both rooms' names.
func TestRoomRouteDeclaredTwice(t *testing.T) {
	a := testApp(t)
	rt := web.NewRouter(&web.Errors{Pages: a.Pages, Log: slog.Default()})
	rt.ForRoom("work").Handle("GET /targets", nil)
	rt.ForRoom("targets").Handle("GET /targets", nil)
	err := rt.Err()
	if err == nil || !strings.Contains(err.Error(), "work") || !strings.Contains(err.Error(), "targets") {
		t.Fatalf("err = %v, want a clash naming both rooms", err)
	}
}

// TestUnknownPageStopsTheStart (a room named sample: no real room's name,
// whose pages exist) shows that a room looking up a page it does
// not have fails at start-up, with the room's name.
func TestUnknownPageStopsTheStart(t *testing.T) {
	a := testApp(t)
	rm := room.Room{Name: "sample", Routes: func(rt *web.Router, pages *web.Renderer) {
		web.NewPage[web.ErrorPageData](pages, "sample/tasks")
	}}
	err := mount(rm, a.Router.ForRoom("sample"), a.Pages)
	if err == nil || !strings.Contains(err.Error(), "room sample") || !strings.Contains(err.Error(), "sample/tasks") {
		t.Fatalf("err = %v, want the room and the page named", err)
	}
}

// TestUnknownPermissionStopsTheStart shows that a template asking .Can
// about a permission that does not exist fails to parse at start-up.
func TestUnknownPermissionStopsTheStart(t *testing.T) {
	a := testApp(t)
	for _, tmpl := range []string{
		`{{define "content"}}{{if .Can "manage_targetz"}}x{{end}}{{end}}`,
		`{{define "content"}}{{range .Nav}}{{if $.Can "manage_org "}}x{{end}}{{end}}{{end}}`,
	} {
		fsys := fstest.MapFS{"tasks.html": {Data: []byte(tmpl)}}
		err := a.Pages.AddPages(fmt.Sprintf("sample%d", len(tmpl)), fsys)
		if err == nil || !strings.Contains(err.Error(), "unknown permission") {
			t.Errorf("%s: err = %v, want an unknown permission", tmpl, err)
		}
	}
	ok := fstest.MapFS{"tasks.html": {Data: []byte(`{{define "content"}}{{if .Can "manage_targets"}}x{{end}}{{end}}`)}}
	if err := a.Pages.AddPages("sample", ok); err != nil {
		t.Errorf("a known permission: %v", err)
	}
}

// TestNoInlineStyle keeps style sheets out of templates, so the CSP can
// forbid <style> elements: styles live in the rooms' static files.
func TestNoInlineStyle(t *testing.T) {
	a := testApp(t)
	sets := map[string]fs.FS{"web": webfs.Layout()}
	for _, rm := range a.Rooms {
		if rm.Templates != nil {
			sets[rm.Name] = rm.Templates
		}
	}
	for name, fsys := range sets {
		files, _ := fs.Glob(fsys, "*.html")
		for _, f := range files {
			b, err := fs.ReadFile(fsys, f)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(strings.ToLower(string(b)), "<style") {
				t.Errorf("room %s: %s has an inline <style>", name, f)
			}
		}
	}
}

// TestResponsesAreCompressed: pages, JSON and static files travel gzipped
// to a client that accepts it, and plain to one that does not.
func TestResponsesAreCompressed(t *testing.T) {
	a := testApp(t)
	srv := httptest.NewServer(a.Handler)
	defer srv.Close()
	for _, path := range []string{"/setup", "/api/v1/openapi.json", a.Pages.Assets().URL("app.css"), a.Pages.Assets().URL("vendor/echarts.min.js")} {
		for _, gz := range []bool{true, false} {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			if gz {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if got := resp.Header.Get("Content-Encoding") == "gzip"; got != gz {
				t.Errorf("GET %s, gzip accepted %v: Content-Encoding %q", path, gz, resp.Header.Get("Content-Encoding"))
			}
		}
	}
}
