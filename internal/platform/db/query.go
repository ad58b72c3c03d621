package db

import (
	"strconv"
	"strings"
)

// Where builds a WHERE clause and its arguments from conditions written with
// ? placeholders, numbering them $1, $2, … in order, so a store's list can
// add the filters that are set and nothing else.
type Where struct {
	conds []string
	Args  []any
}

// Add appends a condition; each ? in cond takes the next of args.
func (w *Where) Add(cond string, args ...any) {
	var b strings.Builder
	i := 0
	for _, c := range cond {
		if c == '?' && i < len(args) {
			w.Args = append(w.Args, args[i])
			b.WriteString("$" + strconv.Itoa(len(w.Args)))
			i++
			continue
		}
		b.WriteRune(c)
	}
	w.conds = append(w.conds, b.String())
}

// In appends "col IN (…)" for ids; an empty list matches nothing.
func (w *Where) In(col string, ids []int64) {
	if len(ids) == 0 {
		w.conds = append(w.conds, "1 = 0")
		return
	}
	marks := make([]string, len(ids))
	for i, id := range ids {
		w.Args = append(w.Args, id)
		marks[i] = "$" + strconv.Itoa(len(w.Args))
	}
	w.conds = append(w.conds, col+" IN ("+strings.Join(marks, ", ")+")")
}

// Search appends a case-insensitive substring match of text on any of cols.
// % and _ in text match themselves, not any characters.
func (w *Where) Search(text string, cols ...string) {
	w.Args = append(w.Args, Contains(text))
	n := "$" + strconv.Itoa(len(w.Args))
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = "LOWER(" + c + ") LIKE " + n + ` ESCAPE '\'`
	}
	w.conds = append(w.conds, "("+strings.Join(parts, " OR ")+")")
}

// Next is the placeholder the next argument will take, for LIMIT and OFFSET.
func (w *Where) Next(v any) string {
	w.Args = append(w.Args, v)
	return "$" + strconv.Itoa(len(w.Args))
}

// SQL is " WHERE a AND b", or "" without conditions.
func (w *Where) SQL() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// Contains is a LIKE pattern matching text anywhere, lower-cased, with the
// wildcards % and _ (and the escape \) escaped so they match themselves.
func Contains(text string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(strings.ToLower(text)) + "%"
}

// Pager is the part of a list request a store needs: it learns the total,
// clamps the page to it, and gives the window and the order. web.List is one.
type Pager interface {
	SetTotal(n int)
	Offset() int
	PerPage() int
	// OrderBy is the ORDER BY clause for the request's sort: columns maps each
	// sort key to its SQL expression, natural is the order without one, tie
	// ends every order so that pages never overlap.
	OrderBy(columns map[string]string, natural, tie string) string
}

// Page selects a window of a list: what Pager's LIMIT and OFFSET are.
func (w *Where) Page(p Pager) string {
	return " LIMIT " + w.Next(p.PerPage()) + " OFFSET " + w.Next(p.Offset())
}

// OrderBy is the ORDER BY clause for sorting by key: columns maps each sort
// key to its SQL expression, natural is the order without a key (or for
// ties), and tie ends every order so pages never overlap. Rows without a
// value (NULL) come last in either direction, the same on both engines.
//
// An expression marked NotNull (a column that cannot be NULL) needs no
// NULLs-last term, and where it is also the natural order's first term the
// ascending sort is the natural order itself: then an index in that order
// serves the sort, and a page stops after its rows instead of sorting
// every match.
func OrderBy(columns map[string]string, key string, desc bool, natural, tie string) string {
	expr, ok := columns[key]
	if !ok || key == "" {
		return " ORDER BY " + natural + ", " + tie
	}
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	if col, notNull := strings.CutPrefix(expr, notNullMark); notNull {
		if col == natural {
			if !desc {
				return " ORDER BY " + natural + ", " + tie
			}
			return " ORDER BY " + col + dir + ", " + tie
		}
		return " ORDER BY " + col + dir + ", " + natural + ", " + tie
	}
	return " ORDER BY (" + expr + ") IS NULL, " + expr + dir + ", " + natural + ", " + tie
}

// notNullMark starts a sort expression NotNull made.
const notNullMark = "\x00notnull:"

// NotNull marks a sort column of OrderBy's columns that is never NULL.
func NotNull(column string) string { return notNullMark + column }

// All is a Pager for every row, up to limit, in the natural order: for a
// store method's callers that want the whole list (an export, a form's
// choices).
func All(limit int) Pager { return &allRows{limit: limit} }

type allRows struct{ limit int }

func (a *allRows) SetTotal(int) {}
func (a *allRows) Offset() int  { return 0 }
func (a *allRows) PerPage() int { return a.limit }
func (a *allRows) OrderBy(columns map[string]string, natural, tie string) string {
	return OrderBy(columns, "", false, natural, tie)
}
