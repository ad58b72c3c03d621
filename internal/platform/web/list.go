package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// The list kit: every list (targets, units, people, accounts, the audit log,
// the catalogue, and every later room's) declares its filters, sort keys and
// columns once in a ListSpec; a request reads into a List, which the store
// turns into SQL (a whitelisted ORDER BY, LIMIT and OFFSET, a separate
// COUNT(*)), the page shows with the shared pager and sort headers
// (web/templates/_list.html), and the Excel export writes with the same
// columns and filters.

// FilterKind says what a filter's value may be.
type FilterKind int

const (
	FilterText   FilterKind = iota // free text (a search), at most 100 characters
	FilterID                       // a positive whole number (a unit, an indicator)
	FilterChoice                   // one of Choices
	FilterDate                     // YYYY-MM-DD
	FilterFlag                     // "1" or absent
	FilterInt                      // a whole number within Min..Max (a year)
)

// ListFilter is one query parameter a list accepts.
type ListFilter struct {
	Name     string
	Kind     FilterKind
	Choices  []string // FilterChoice
	Min, Max int      // FilterInt
}

// ListSpec declares a list: where it lives, what it can be filtered and
// sorted by, and how many rows a page holds.
type ListSpec struct {
	Path    string // the page: "/targets"; the export is Path + ".xlsx"
	Filters []ListFilter
	Sorts   []string // sort keys; "-key" in the query reverses one
	PerPage int      // 50 when 0
}

// MaxPage bounds the page number a request may ask for, so that an absurd
// one (9223372036854775807) is refused instead of overflowing an OFFSET.
const MaxPage = 100000

// List is one request's reading of a list: its filters as sent, the sort,
// the page, and after the count, the total.
type List struct {
	spec  *ListSpec
	vals  url.Values // only the spec's filters, as sent
	Sort  string     // a key of spec.Sorts, or ""
	Desc  bool
	Page  int // 1-based, clamped to the last page by SetTotal
	Total int
	// window is set for the API, which pages by offset and limit.
	window *struct{ offset, limit int }
}

// MaxLimit bounds an API list's limit.
const MaxLimit = 1000

// ParseAPI reads a list's query as the API sends it: the same filters and
// sort as the page, paged by offset (default 0) and limit (default def, at
// most MaxLimit) instead of page numbers.
func (s *ListSpec) ParseAPI(r *http.Request, def int) (*List, error) {
	l, err := s.Parse(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	w := &struct{ offset, limit int }{0, def}
	var es platform.Errors
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > MaxPage*MaxLimit {
			es = append(es, platform.FieldError("offset", "list.err.bad_offset"))
		}
		w.offset = n
	}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > MaxLimit {
			es = append(es, platform.FieldError("limit", "list.err.bad_limit", MaxLimit))
		}
		w.limit = n
	}
	l.window = w
	return l, es.Err()
}

// Parse reads a list's query. A filter value or sort key that is not
// allowed is an Invalid error naming the parameter (422).
func (s *ListSpec) Parse(r *http.Request) (*List, error) {
	q := r.URL.Query()
	l := &List{spec: s, vals: url.Values{}, Page: 1}
	var es platform.Errors
	for _, f := range s.Filters {
		v := strings.TrimSpace(q.Get(f.Name))
		if v == "" {
			continue
		}
		if err := f.check(v); err != nil {
			es = append(es, err)
			continue
		}
		l.vals.Set(f.Name, v)
	}
	if sort := q.Get("sort"); sort != "" {
		key := strings.TrimPrefix(sort, "-")
		if !slices.Contains(s.Sorts, key) {
			es = append(es, platform.FieldError("sort", "list.err.bad_sort", sort))
		} else {
			l.Sort, l.Desc = key, strings.HasPrefix(sort, "-")
		}
	}
	if p := q.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > MaxPage {
			es = append(es, platform.FieldError("page", "list.err.bad_page", MaxPage))
		} else {
			l.Page = n
		}
	}
	return l, es.Err()
}

func (f ListFilter) check(v string) *platform.Error {
	switch f.Kind {
	case FilterText:
		if len([]rune(v)) > 100 {
			return platform.FieldError(f.Name, "form.err.too_long", 100)
		}
	case FilterID:
		if n, err := strconv.ParseInt(v, 10, 64); err != nil || n <= 0 {
			return platform.FieldError(f.Name, "list.err.bad_value", f.Name, v)
		}
	case FilterChoice:
		if !slices.Contains(f.Choices, v) {
			return platform.FieldError(f.Name, "list.err.bad_value", f.Name, v)
		}
	case FilterDate:
		if _, err := clock.ParseDate(v); err != nil {
			return platform.FieldError(f.Name, "list.err.bad_value", f.Name, v)
		}
	case FilterFlag:
		if v != "1" {
			return platform.FieldError(f.Name, "list.err.bad_value", f.Name, v)
		}
	case FilterInt:
		n, err := strconv.Atoi(v)
		if err != nil || n < f.Min || n > f.Max {
			return platform.FieldError(f.Name, "list.err.bad_value", f.Name, v)
		}
	}
	return nil
}

// Get is a filter's value as sent, "" when unset.
func (l *List) Get(name string) string { return l.vals.Get(name) }

// ID is an ID filter's value, 0 when unset.
func (l *List) ID(name string) int64 {
	n, _ := strconv.ParseInt(l.vals.Get(name), 10, 64)
	return n
}

// Int is a FilterInt's value, def when unset.
func (l *List) Int(name string, def int) int {
	if n, err := strconv.Atoi(l.vals.Get(name)); err == nil {
		return n
	}
	return def
}

// Flag reports whether a FilterFlag is set.
func (l *List) Flag(name string) bool { return l.vals.Get(name) == "1" }

// Set changes a filter (for a default the page chose, such as this year), so
// links and the export carry it.
func (l *List) Set(name, value string) {
	if value == "" {
		l.vals.Del(name)
	} else {
		l.vals.Set(name, value)
	}
}

// PerPage is the page size.
func (l *List) PerPage() int {
	if l.window != nil {
		return l.window.limit
	}
	if l.spec.PerPage > 0 {
		return l.spec.PerPage
	}
	return 50
}

// SetTotal records the count of rows matching the filters and clamps the
// page to the last one, so a page past the end shows the last page rather
// than nothing. Call it before Offset.
func (l *List) SetTotal(n int) {
	l.Total = n
	if l.window == nil {
		l.Page = min(max(l.Page, 1), l.Pages())
	}
}

// Pages is the number of pages, at least 1.
func (l *List) Pages() int { return max(1, (l.Total+l.PerPage()-1)/l.PerPage()) }

// Offset is the first row of the page.
func (l *List) Offset() int {
	if l.window != nil {
		return l.window.offset
	}
	return (l.Page - 1) * l.PerPage()
}

// OrderBy returns the ORDER BY clause for the list's sort: columns maps each
// sort key to its SQL expression (with its own tie-breaks), natural is the
// order without a sort, and tie ends every order so pages never overlap.
// Rows without a value (NULL) come last in either direction, on both engines.
func (l *List) OrderBy(columns map[string]string, natural, tie string) string {
	return db.OrderBy(columns, l.Sort, l.Desc, natural, tie)
}

func (l *List) values(kv ...string) url.Values {
	v := url.Values{}
	for k, vs := range l.vals {
		v[k] = append([]string(nil), vs...)
	}
	if l.Sort != "" {
		s := l.Sort
		if l.Desc {
			s = "-" + s
		}
		v.Set("sort", s)
	}
	if l.Page > 1 {
		v.Set("page", strconv.Itoa(l.Page))
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			v.Del(kv[i])
		} else {
			v.Set(kv[i], kv[i+1])
		}
	}
	return v
}

func withValues(path string, v url.Values) string {
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// URL is the list's address with the current filters, sort and page, changed
// by key-value pairs ("" removes a key). Changing a filter goes back to page 1.
func (l *List) URL(kv ...string) string {
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i] != "page" {
			kv = append(kv, "page", "")
			break
		}
	}
	return withValues(l.spec.Path, l.values(kv...))
}

// PageURL is page n.
func (l *List) PageURL(n int) string {
	return withValues(l.spec.Path, l.values("page", strconv.Itoa(n)))
}

// ExportURL is the Excel download of the same filters and sort.
func (l *List) ExportURL() string { return withValues(l.spec.Path+".xlsx", l.values("page", "")) }

// SortHead is what a sortable column header shows.
type SortHead struct {
	Label string
	URL   string // "" when the column cannot be sorted
	Mark  string // ↑, ↓ or ""
	Aria  string // ascending, descending or none, for aria-sort
}

// Head builds a column header: sorting by key, or reversing when the list is
// already sorted by it. key "" is a header that does not sort.
func (l *List) Head(key, label string) SortHead {
	h := SortHead{Label: label, Aria: "none"}
	if key == "" || !slices.Contains(l.spec.Sorts, key) {
		return h
	}
	next := key
	if l.Sort == key && !l.Desc {
		next = "-" + key
	}
	h.URL = withValues(l.spec.Path, l.values("sort", next, "page", ""))
	if l.Sort == key {
		h.Mark, h.Aria = "↑", "ascending"
		if l.Desc {
			h.Mark, h.Aria = "↓", "descending"
		}
	}
	return h
}

// Window returns the numbers of the pages the pager links to: the first, the
// last, and two either side of the current one; 0 marks a gap.
func (l *List) Window() []int {
	var out []int
	last := l.Pages()
	for n := 1; n <= last; n++ {
		if n == 1 || n == last || (n >= l.Page-2 && n <= l.Page+2) {
			out = append(out, n)
		} else if len(out) > 0 && out[len(out)-1] != 0 {
			out = append(out, 0)
		}
	}
	return out
}

// Column is one column of a list, shared by its page's table header and its
// Excel export, so both carry the same names from the catalogue.
type Column[T any] struct {
	Key    string      // i18n key of the header
	Sort   string      // the sort key, "" when it does not sort
	Value  func(T) any // the export's cell (a number stays a number); nil: the page's only
	Format string      // the export's number format ("0.0%"), "" for general
	Page   bool        // shown as a column of the page's table too
}

// Heads returns the headers of the columns the page shows.
func Heads[T any](l *List, b Base, cols []Column[T]) []SortHead {
	var out []SortHead
	for _, c := range cols {
		if c.Page {
			out = append(out, l.Head(c.Sort, b.T(c.Key)))
		}
	}
	return out
}

// All is the list with its filters and sort but without its window, for the
// export: every matching row, up to limit.
func (l *List) All(limit int) *List {
	spec := *l.spec
	spec.PerPage = limit
	all := *l
	all.spec, all.Page, all.window = &spec, 1, nil
	return &all
}

// Fixture is a list as a page check renders it: on page 2 of 3 of total
// rows, so the pager shows every link.
func (s *ListSpec) Fixture(total int) *List {
	l := &List{spec: s, vals: url.Values{}, Page: 2}
	l.SetTotal(max(total, 3*l.PerPage()))
	return l
}

// Window is the list's page of rows already in memory (a catalogue, the org
// tree: reference data small enough to keep whole), sorted by the list's sort
// with less (keyed by sort key; nil or a missing key keeps rows' order), the
// total recorded.
func Window[T any](l *List, rows []T, less map[string]func(a, b T) int) []T {
	if cmp, ok := less[l.Sort]; ok && cmp != nil {
		rows = slices.Clone(rows)
		slices.SortStableFunc(rows, func(a, b T) int {
			if l.Desc {
				return cmp(b, a)
			}
			return cmp(a, b)
		})
	}
	l.SetTotal(len(rows))
	from := min(l.Offset(), len(rows))
	return rows[from:min(from+l.PerPage(), len(rows))]
}
