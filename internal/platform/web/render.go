package web

import (
	"bytes"
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
	"strconv"
	"strings"
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
	bundle  *i18n.Bundle
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

// NavItem is one entry of the main navigation.
type NavItem struct {
	Key    string // i18n key
	Href   string
	Perm   auth.Permission // "" for everyone signed in
	Active bool
}

// Renderer holds the parsed templates, one set per page, sharing the layout.
type Renderer struct {
	Bundle  *i18n.Bundle
	Log     *slog.Logger
	Nav     []NavItem
	Version string

	layout *template.Template
	pages  map[string]*template.Template
	assets *Assets
}

// NewRenderer parses the shared layout (layout.html in layoutFS) once.
func NewRenderer(layoutFS fs.FS, assets *Assets, bundle *i18n.Bundle, log *slog.Logger) (*Renderer, error) {
	rd := &Renderer{Bundle: bundle, Log: log, pages: map[string]*template.Template{}, assets: assets}
	t, err := template.New("layout").Funcs(rd.funcs()).ParseFS(layoutFS, "layout.html")
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	rd.layout = t
	return rd, nil
}

// AddPages parses each *.html file of a room's fs as a page named
// room/file (without .html), with the room's _*.html partials. Each page defines "content" (and may define
// "head" and "scripts"); the layout wraps it. A template error stops start-up.
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
		t, err := rd.layout.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(fsys, append([]string{n}, partials...)...); err != nil {
			return fmt.Errorf("web: page %s/%s: %w", room, n, err)
		}
		rd.pages[room+"/"+strings.TrimSuffix(n, ".html")] = t
	}
	return nil
}

// Assets returns the static file server.
func (rd *Renderer) Assets() http.Handler { return rd.assets }

// Pages lists the registered page names (for the template check test).
func (rd *Renderer) Pages() []string {
	var out []string
	for k := range rd.pages {
		out = append(out, k)
	}
	return out
}

// Base builds the common page data for r.
func (rd *Renderer) Base(r *http.Request, title string) Base {
	b := Base{Title: title, User: auth.FromContext(r.Context()), Lang: LangOf(r), Path: r.URL.Path, Version: rd.Version, bundle: rd.Bundle}
	b.CSRF = CSRFToken(r)
	if f := flashFrom(r); f != "" {
		b.Flash = rd.Bundle.T(b.Lang, f)
	}
	for _, n := range rd.Nav {
		if b.User == nil || (n.Perm != "" && !b.User.Can(n.Perm)) {
			continue
		}
		n.Active = n.Href == r.URL.Path || (n.Href != "/" && strings.HasPrefix(r.URL.Path, n.Href))
		b.Nav = append(b.Nav, n)
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
		"add":   func(a, b int) int { return a + b },
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
// be cached for a year and still change the moment a file changes.
type Assets struct {
	fsys   fs.FS
	hashes map[string]string
}

// NewAssets hashes every file in fsys.
func NewAssets(fsys fs.FS) (*Assets, error) {
	a := &Assets{fsys: fsys, hashes: map[string]string{}}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h := sha256.Sum256(b)
		a.hashes[p] = hex.EncodeToString(h[:])[:12]
		return nil
	})
	return a, err
}

// URL returns the hashed URL of a static file; it panics for a missing file
// so a typo fails the template check, not a visitor.
func (a *Assets) URL(name string) string {
	h, ok := a.hashes[name]
	if !ok {
		panic("web: no static file " + name)
	}
	return "/static/" + h + "/" + name
}

// ServeHTTP serves /static/{hash}/{name}.
func (a *Assets) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest := strings.TrimPrefix(r.URL.Path, "/static/")
	hash, name, ok := strings.Cut(rest, "/")
	if !ok || a.hashes[name] == "" {
		http.NotFound(w, r)
		return
	}
	if hash == a.hashes[name] {
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		w.Header().Set("Cache-Control", "no-cache")
	}
	http.ServeFileFS(w, r, a.fsys, path.Clean(name))
}
