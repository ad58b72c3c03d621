package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"path"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"text/template/parse"
	"time"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
)

// Base is embedded in every page's data: who is looking, in which language,
// the CSRF token for forms, the flash message and the navigation.
type Base struct {
	Title   string // i18n key of the page title
	Heading string // a title that is data, not a key (a unit's name); wins over Title
	User    *auth.User
	Lang    i18n.Lang
	CSRF    string
	Flash   string // translated
	Path    string
	Nav     []NavItem
	Version string
	// Unread is the signed-in account's unread messages, for the header
	// (see Renderer.Unread).
	Unread int
	bundle *i18n.Bundle
}

// T translates key in the page's language.
func (b Base) T(key string, args ...any) string {
	if b.bundle == nil {
		return "[" + key + "]"
	}
	return b.bundle.T(b.Lang, key, args...)
}

// Can reports whether the viewer holds a permission (for showing buttons;
// the store enforces it regardless).
func (b Base) Can(p string) bool { return b.User.Can(auth.Permission(p)) }

// NavItem is one entry of the main navigation. Rooms declare their own;
// Order places them among the other rooms' (the board first, the audit log
// last).
type NavItem struct {
	Key    string // i18n key
	Href   string
	Perm   auth.Permission // "" for everyone signed in
	Order  int
	Active bool
}

// Renderer holds the parsed templates, one set per page, sharing the layout
// and its partials.
type Renderer struct {
	Bundle  *i18n.Bundle
	Log     *slog.Logger
	Nav     []NavItem
	Version string
	// Unread, when set, counts the signed-in account's unread messages for
	// every page's header (platform/notify: one indexed COUNT).
	Unread func(ctx context.Context, userID int64) int

	layout *template.Template
	pages  map[string]*template.Template
	typed  map[string]reflect.Type // the data type each page was looked up with
	assets *Assets
	perms  map[string]bool
}

// NewRenderer parses the shared layout (layout.html in layoutFS, with the
// _*.html partials every page may use, such as the list kit's pager) once.
// perms are the permission names templates may ask .Can about.
func NewRenderer(layoutFS fs.FS, assets *Assets, bundle *i18n.Bundle, log *slog.Logger, perms []auth.Permission) (*Renderer, error) {
	rd := &Renderer{Bundle: bundle, Log: log, pages: map[string]*template.Template{}, typed: map[string]reflect.Type{}, assets: assets, perms: map[string]bool{}}
	for _, p := range perms {
		rd.perms[string(p)] = true
	}
	files := []string{"layout.html"}
	partials, err := fs.Glob(layoutFS, "_*.html")
	if err != nil {
		return nil, err
	}
	t, err := template.New("layout").Funcs(rd.funcs()).ParseFS(layoutFS, append(files, partials...)...)
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	if err := rd.checkPerms("web/layout", t); err != nil {
		return nil, err
	}
	rd.layout = t
	return rd, nil
}

// AddPages parses each *.html file of a room's fs as a page named
// room/file (without .html), with the room's _*.html partials. Each page
// defines "content" (and may define "head" and "scripts"); the layout wraps
// it. A template error, or a .Can with an unknown permission, stops start-up.
func (rd *Renderer) AddPages(room string, fsys fs.FS) error {
	names, err := fs.Glob(fsys, "*.html")
	if err != nil {
		return err
	}
	// Files named _*.html are a room's partials ({{define}} blocks shared by
	// its pages, such as a form's fields), parsed into every page of the room.
	var partials, pages []string
	for _, n := range names {
		switch {
		case n == "layout.html":
		case strings.HasPrefix(n, "_"):
			partials = append(partials, n)
		default:
			pages = append(pages, n)
		}
	}
	for _, n := range pages {
		name := room + "/" + strings.TrimSuffix(n, ".html")
		if _, dup := rd.pages[name]; dup {
			return fmt.Errorf("web: page %s is declared twice", name)
		}
		t, err := rd.layout.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, append([]string{n}, partials...)...); err != nil {
			return fmt.Errorf("web: page %s: %w", name, err)
		}
		if err := rd.checkPerms(name, t); err != nil {
			return err
		}
		rd.pages[name] = t
	}
	return nil
}

// checkPerms walks every template of t for {{.Can "x"}} and {{$.Can "x"}}
// and fails on a permission that does not exist, so a typo cannot silently
// hide a button.
func (rd *Renderer) checkPerms(page string, t *template.Template) error {
	var bad []string
	var walk func(n parse.Node)
	args := func(list []parse.Node) {
		for i, a := range list {
			var ident []string
			switch x := a.(type) {
			case *parse.FieldNode:
				ident = x.Ident
			case *parse.VariableNode:
				ident = x.Ident
			}
			if len(ident) > 0 && ident[len(ident)-1] == "Can" && i+1 < len(list) {
				if s, ok := list[i+1].(*parse.StringNode); ok && !rd.perms[s.Text] {
					bad = append(bad, s.Text)
				}
			}
			walk(a)
		}
	}
	walk = func(n parse.Node) {
		switch x := n.(type) {
		case *parse.ListNode:
			if x != nil {
				for _, c := range x.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(x.Pipe)
		case *parse.PipeNode:
			if x != nil {
				for _, c := range x.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			args(x.Args)
		case *parse.IfNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.RangeNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.WithNode:
			walk(x.Pipe)
			walk(x.List)
			walk(x.ElseList)
		case *parse.TemplateNode:
			walk(x.Pipe)
		}
	}
	for _, tt := range t.Templates() {
		if tt.Tree != nil {
			walk(tt.Tree.Root)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("web: page %s asks .Can about unknown permission(s) %q", page, bad)
	}
	return nil
}

// Assets returns the static file server.
func (rd *Renderer) Assets() *Assets { return rd.assets }

// Pages lists the registered page names, sorted.
func (rd *Renderer) Pages() []string {
	var out []string
	for k := range rd.pages {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// Page is a page looked up once, at start-up, with the type of its data, so
// a handler cannot name a page that does not exist nor pass it the wrong
// data.
type Page[T any] struct {
	name string
	rd   *Renderer
}

// NewPage looks up a page by name ("targets/target") for data of type T. It
// panics when there is no such page or it was looked up with another type:
// rooms call it while registering their routes, so the start stops with the
// room's name (see app).
func NewPage[T any](rd *Renderer, name string) *Page[T] {
	if _, ok := rd.pages[name]; !ok {
		panic(fmt.Sprintf("web: no page %q", name))
	}
	typ := reflect.TypeFor[T]()
	if have, ok := rd.typed[name]; ok && have != typ {
		panic(fmt.Sprintf("web: page %q is used with %s and %s", name, have, typ))
	}
	rd.typed[name] = typ
	return &Page[T]{name: name, rd: rd}
}

// Render writes the page with data.
func (p *Page[T]) Render(w http.ResponseWriter, r *http.Request, status int, data T) error {
	return p.rd.Render(w, r, status, p.name, data)
}

// Name is the page's name.
func (p *Page[T]) Name() string { return p.name }

// DataType returns the type a page was looked up with (nil when no handler
// looked it up): the page check compares fixtures with it.
func (rd *Renderer) DataType(page string) reflect.Type { return rd.typed[page] }

// Fixture is sample data for one page of a room: the page check renders each
// page with its fixture, in every language, and fails on any template error,
// missing message or empty list.
type Fixture struct {
	Page string // the page's name within its room: "targets", not "targets/targets"
	Data any    // the page's data type, with its Base left empty
}

// Base builds the common page data for r.
func (rd *Renderer) Base(r *http.Request, title string) Base {
	b := Base{Title: title, User: auth.FromContext(r.Context()), Lang: LangOf(r), Path: r.URL.Path, Version: rd.Version, bundle: rd.Bundle}
	b.CSRF = CSRFToken(r)
	if f, args := flashFrom(r); f != "" {
		b.Flash = rd.Bundle.T(b.Lang, f, args...)
	}
	active := -1 // the entry with the longest matching path: /targets/review, not /targets
	for _, n := range rd.Nav {
		if b.User == nil || (n.Perm != "" && !b.User.Can(n.Perm)) {
			continue
		}
		if n.Href == r.URL.Path || (n.Href != "/" && strings.HasPrefix(r.URL.Path, n.Href)) {
			if active < 0 || len(n.Href) > len(b.Nav[active].Href) {
				active = len(b.Nav)
			}
		}
		b.Nav = append(b.Nav, n)
	}
	if active >= 0 {
		b.Nav[active].Active = true
	}
	if b.User != nil && rd.Unread != nil {
		b.Unread = rd.Unread(r.Context(), b.User.ID)
	}
	return b
}

// Render executes a page into a buffer first, so a template failure gives a
// clean error page instead of half a page.
func (rd *Renderer) Render(w http.ResponseWriter, r *http.Request, status int, name string, data any) error {
	t, ok := rd.pages[name]
	if !ok {
		return fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", data); err != nil {
		return fmt.Errorf("web: render %s: %w", name, err)
	}
	clearFlash(w, r)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// Execute renders a page to a buffer (tests and the template check).
func (rd *Renderer) Execute(name string, data any) ([]byte, error) {
	t, ok := rd.pages[name]
	if !ok {
		return nil, fmt.Errorf("web: no page %q", name)
	}
	var buf bytes.Buffer
	err := t.ExecuteTemplate(&buf, "layout", data)
	return buf.Bytes(), err
}

// ErrorPageData is the data of the error page.
type ErrorPageData struct {
	Base
	Status  int
	Message string
}

// ErrorPage renders the shared error page.
func (rd *Renderer) ErrorPage(w http.ResponseWriter, r *http.Request, status int, msg string) {
	data := ErrorPageData{Base: rd.Base(r, "error.title"), Status: status, Message: msg}
	if err := rd.Render(w, r, status, "web/error", data); err != nil {
		rd.Log.Error("error page", "err", err)
		http.Error(w, msg, status)
	}
}

func (rd *Renderer) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": func(name string) string { return rd.assets.URL(name) },
		"num":   FormatNumber,
		"fixed": FormatFixed,
		"pct":   FormatPercent,
		"date":  func(t time.Time) string { return t.In(clock.Beijing).Format(clock.DateFormat) },
		"datetime": func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(clock.Beijing).Format("2006-01-02 15:04")
		},
		"json": func(v any) (template.JS, error) {
			b, err := json.Marshal(v)
			return template.JS(b), err
		},
		"add": func(a, b int) int { return a + b },
		// span and month make a period a message argument that prints in
		// the reader's language: {{.T "key" (span .Year .Month)}}.
		"span":  func(year, month int) i18n.Span { return i18n.Span{Year: year, Month: month} },
		"month": func(m int) i18n.Month { return i18n.Month(m) },
		"query": func(base string, kv ...string) string { return withQuery(base, kv...) },
		"deref64": func(p *int64) int64 {
			if p == nil {
				return 0
			}
			return *p
		},
		"deref": func(p *float64) float64 {
			if p == nil {
				return 0
			}
			return *p
		},
		"width": func(p *float64) string { // a CSS width for a progress bar, clamped to 0–100%
			if p == nil {
				return "0%"
			}
			return strconv.FormatFloat(math.Max(0, math.Min(100, *p*100)), 'f', 1, 64) + "%"
		},
	}
}

func withQuery(base string, kv ...string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			q.Del(kv[i])
		} else {
			q.Set(kv[i], kv[i+1])
		}
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// FormatNumber shows a figure with thousands separators and at most two
// decimals, trimming trailing zeros: 12345.6 → "12,345.6". A nil pointer is "—".
func FormatNumber(v any) string {
	var f float64
	switch x := v.(type) {
	case nil:
		return "—"
	case *float64:
		if x == nil {
			return "—"
		}
		f = *x
	case float64:
		f = x
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	default:
		return fmt.Sprint(v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	s := strconv.FormatFloat(math.Abs(f), 'f', 2, 64)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if f < 0 && s != "0" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// FormatFixed shows a figure with thousands separators and exactly decimals
// decimals (0–6), as an indicator's precision asks: 23.3 亿元 → "23.30",
// 1494.1 人 → "1,494". A nil pointer is "—".
func FormatFixed(v any, decimals int) string {
	var f float64
	switch x := v.(type) {
	case nil:
		return "—"
	case *float64:
		if x == nil {
			return "—"
		}
		f = *x
	case float64:
		f = x
	case int:
		f = float64(x)
	case int64:
		f = float64(x)
	default:
		return fmt.Sprint(v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	decimals = min(max(decimals, 0), 6)
	s := roundHalfUp(strconv.FormatFloat(math.Abs(f), 'f', -1, 64), decimals)
	intPart, frac, _ := strings.Cut(s, ".")
	var b strings.Builder
	if f < 0 && strings.Trim(s, "0.") != "" {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if frac != "" {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// roundHalfUp rounds a non-negative decimal numeral to d decimals, halves
// away from zero (四舍五入, as statistics are printed): "1508.5" → "1509",
// "1.005" → "1.01". It works on the shortest numeral of the float, so the
// binary 1.00499999… of 1.005 rounds as the 1.005 a person typed.
func roundHalfUp(s string, d int) string {
	intPart, frac, _ := strings.Cut(s, ".")
	if len(frac) <= d {
		frac += strings.Repeat("0", d-len(frac))
		if d == 0 {
			return intPart
		}
		return intPart + "." + frac
	}
	digits := []byte(intPart + frac[:d])
	if frac[d] >= '5' {
		i := len(digits) - 1
		for ; i >= 0; i-- {
			if digits[i] == '9' {
				digits[i] = '0'
				continue
			}
			digits[i]++
			break
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		}
	}
	n := len(digits) - d
	if d == 0 {
		return string(digits)
	}
	return string(digits[:n]) + "." + string(digits[n:])
}

// FormatPercent shows a fraction as a percentage with one decimal: 0.8234 →
// "82.3%". A nil pointer is "—".
func FormatPercent(v any) string {
	var f float64
	switch x := v.(type) {
	case nil:
		return "—"
	case *float64:
		if x == nil {
			return "—"
		}
		f = *x
	case float64:
		f = x
	default:
		return fmt.Sprint(v)
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "—"
	}
	s := strconv.FormatFloat(f*100, 'f', 1, 64)
	if s == "-0.0" {
		s = "0.0"
	}
	return s + "%"
}

// Assets serves embedded static files under content-hashed URLs, so they can
// be cached for a year and still change the moment a file changes: the
// layout's files by their own names ("app.css"), a room's under the room's
// name ("board/board.js").
type Assets struct {
	files map[string]asset
}

type asset struct {
	fsys fs.FS
	path string // within fsys
	hash string
}

// NewAssets hashes every file in fsys.
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{files: map[string]asset{}}
	return a, a.Add("", fsys)
}

// Add hashes every file of a room's static folder, served as prefix/name.
func (a *Assets) Add(prefix string, fsys fs.FS) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		name := p
		if prefix != "" {
			name = prefix + "/" + p
		}
		if _, dup := a.files[name]; dup {
			return fmt.Errorf("web: static file %s is declared twice", name)
		}
		h := sha256.Sum256(b)
		a.files[name] = asset{fsys: fsys, path: p, hash: hex.EncodeToString(h[:])[:12]}
		return nil
	})
}

// URL returns the hashed URL of a static file; it panics for a missing file
// so a typo fails the template check, not a visitor.
func (a *Assets) URL(name string) string {
	f, ok := a.files[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + f.hash + "/" + name
}

// ServeHTTP serves /static/{hash}/{name}.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/static/")
	hash, name, ok := strings.Cut(rest, "/")
	f, known := a.files[path.Clean(name)]
	if !ok || !known {
		http.NotFound(w, r)
		return
	}
	if hash == f.hash {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeFileFS(w, r, f.fsys, f.path)
}
