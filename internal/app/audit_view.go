package app

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

// AuditEntry is one audit row as a person reads it: the object named in
// words and the fields that changed, each labelled and formatted.
type AuditEntry struct {
	audit.Row
	Kind    string // the entity kind's label: 目标, 月度数据
	Name    string // the object's name, or its id when it has none
	Changes []Change
	lines   string // the changes as the export's lines
}

// Change is one field of an entry: a create has only New, a delete only Old.
type Change struct {
	Label          string
	Old, New       string
	HasOld, HasNew bool
}

// Line is the change as the export writes it: "字段：旧 → 新", the label
// put with t (the page's language).
func (c Change) Line(t func(key string, args ...any) string) string {
	out := t("audit.label", c.Label)
	switch {
	case c.HasOld && c.HasNew:
		return out + c.Old + " → " + c.New
	case c.HasOld:
		return out + c.Old
	}
	return out + c.New
}

// fieldDiff is one top-level field of an entry's before and after.
type fieldDiff struct {
	Key            string // snake_case, whatever the entry wrote (IndicatorID → indicator_id)
	Old, New       any
	HasOld, HasNew bool
}

// diffFields returns the fields that differ between two entries' JSON, in
// the order they were written: every field present in only one of them, and
// every field whose value changed. The entity's own id is left out. A value
// that is not an object reads as one field without a key.
func diffFields(before, after string) []fieldDiff {
	bk, bv := fields(before)
	ak, av := fields(after)
	var out []fieldDiff
	seen := map[string]bool{}
	for _, k := range append(bk, ak...) {
		if seen[k] || k == "id" {
			continue
		}
		seen[k] = true
		o, hasO := bv[k]
		n, hasN := av[k]
		if hasO && hasN && equalJSON(o, n) {
			continue
		}
		d := fieldDiff{Key: k, HasOld: hasO, HasNew: hasN}
		if hasO {
			d.Old = o
		}
		if hasN {
			d.New = n
		}
		out = append(out, d)
	}
	return out
}

// fields decodes s into its keys, in order, and values.
func fields(s string) ([]string, map[string]any) {
	vals := map[string]any{}
	s = strings.TrimSpace(s)
	if s == "" || s == "null" {
		return nil, vals
	}
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			v = s
		}
		vals[""] = v
		return []string{""}, vals
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			break
		}
		k, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			break
		}
		k = snake(k)
		if _, dup := vals[k]; !dup {
			keys = append(keys, k)
		}
		vals[k] = v
	}
	return keys, vals
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// snake turns a Go field name as an untagged struct writes it (IndicatorID,
// LastYearTotal) into the snake_case of tagged ones (indicator_id,
// last_year_total), so old and new entries share their labels.
func snake(k string) string {
	if strings.ToLower(k) == k {
		return k
	}
	var b strings.Builder
	r := []rune(k)
	for i, c := range r {
		upper := c >= 'A' && c <= 'Z'
		if upper && i > 0 {
			prevLower := r[i-1] >= 'a' && r[i-1] <= 'z'
			nextLower := i+1 < len(r) && r[i+1] >= 'a' && r[i+1] <= 'z'
			if prevLower || (nextLower && r[i-1] >= 'A' && r[i-1] <= 'Z') {
				b.WriteByte('_')
			}
		}
		if upper {
			c += 'a' - 'A'
		}
		b.WriteRune(c)
	}
	return b.String()
}

// auditReader turns stored entries into what the page shows, with the
// rooms' namers and value prefixes.
type auditReader struct {
	bundle *i18n.Bundle
	namers audit.Namers
	values map[string]string // "entity/field" → key prefix of its values
	omit   map[string]bool   // "entity/field" the object's name says already
}

// names are the names read for a page, by kind and id.
type names map[string]map[string]string

// plainNumbers are fields whose numbers are not quantities: no separators.
var plainNumbers = map[string]bool{"year": true, "sort": true, "depth": true, "reporting_day": true, "people": true, "recipients": true}

// namesChunk bounds the ids of one namer query, well under both engines'
// limit on a statement's parameters.
const namesChunk = 500

// entries reads the names rows need, one query per kind (per 500 ids), and
// returns the rows as the page shows them.
func (ar auditReader) entries(ctx context.Context, lang i18n.Lang, rows []audit.Row) ([]AuditEntry, error) {
	diffs := make([][]fieldDiff, len(rows))
	want := map[string][]string{}
	for i, r := range rows {
		if r.Action != audit.Failed { // a failed sign-in's id is the login typed
			want[r.Entity] = append(want[r.Entity], r.EntityID)
		}
		diffs[i] = diffFields(r.Before, r.After)
		for _, d := range diffs[i] {
			if kind := ar.ref(r.Entity, d.Key); kind != "" {
				for _, v := range []any{d.Old, d.New} {
					if id, ok := idOf(v); ok {
						want[kind] = append(want[kind], id)
					}
				}
			}
		}
	}
	got := names{}
	for kind, ids := range want {
		n := ar.namers[kind]
		if n == nil {
			continue
		}
		got[kind] = map[string]string{}
		for len(ids) > 0 {
			part := ids[:min(namesChunk, len(ids))]
			ids = ids[len(part):]
			m, err := n(ctx, lang, part)
			if err != nil {
				return nil, err
			}
			for id, name := range m {
				got[kind][id] = name
			}
		}
	}
	out := make([]AuditEntry, len(rows))
	for i, r := range rows {
		out[i] = AuditEntry{Row: r, Kind: ar.kind(lang, r.Entity), Name: ar.name(got, r), Changes: ar.changes(lang, got, r.Entity, diffs[i])}
	}
	return out, nil
}

func (ar auditReader) t(lang i18n.Lang, key string, args ...any) string {
	return ar.bundle.T(lang, key, args...)
}

// kinds are the entity kinds a room labels, for the page's filter.
func (ar auditReader) kinds() []string {
	var out []string
	for _, k := range ar.bundle.Keys() {
		if kind, ok := strings.CutPrefix(k, "audit.entity."); ok {
			out = append(out, kind)
		}
	}
	return out
}

// kind labels an entity kind, or gives it as written when no room labels it.
func (ar auditReader) kind(lang i18n.Lang, entity string) string {
	if k := "audit.entity." + entity; ar.bundle.Has(k) {
		return ar.t(lang, k)
	}
	return entity
}

// name is the object's name as its room gives it; for an object gone since
// (deleted), the name the entry kept; else its id.
func (ar auditReader) name(got names, r audit.Row) string {
	if n, ok := got[r.Entity][r.EntityID]; ok && r.Action != audit.Failed {
		return n
	}
	for _, s := range []string{r.Before, r.After} {
		_, v := fields(s)
		for _, k := range []string{"name", "login", "file"} {
			if n, ok := v[k].(string); ok && n != "" {
				return n
			}
		}
	}
	return r.EntityID
}

// ref is the entity kind a field's value is the id of ("indicator_id" →
// "indicator", a unit's "parent_id" → "unit"), or "" when it is none that a
// room names.
func (ar auditReader) ref(entity, field string) string {
	kind, ok := strings.CutSuffix(field, "_id")
	if !ok {
		return ""
	}
	switch kind {
	case "parent":
		kind = entity
	case "township":
		kind = "unit"
	}
	if ar.namers[kind] == nil {
		return ""
	}
	return kind
}

// idOf reads an id value (a JSON number or a numeric string).
func idOf(v any) (string, bool) {
	switch x := v.(type) {
	case float64:
		if x == math.Trunc(x) {
			return strconv.FormatInt(int64(x), 10), true
		}
	case string:
		if _, err := strconv.ParseInt(x, 10, 64); err == nil {
			return x, true
		}
	}
	return "", false
}

// changes labels and formats diffs. A create lists only the values set
// (nothing for an empty or unset field), a delete the values it had.
func (ar auditReader) changes(lang i18n.Lang, got names, entity string, diffs []fieldDiff) []Change {
	var out []Change
	for _, d := range diffs {
		if ar.omit[entity+"/"+d.Key] {
			continue
		}
		c := Change{Label: ar.label(lang, entity, d.Key), HasOld: d.HasOld && !blank(d.Old), HasNew: d.HasNew && !blank(d.New)}
		if !c.HasOld && !c.HasNew {
			continue
		}
		if d.HasOld && d.HasNew { // an update shows a field emptied or first set as such
			c.HasOld, c.HasNew = true, true
		}
		c.Old = ar.value(lang, got, entity, d.Key, d.Old)
		c.New = ar.value(lang, got, entity, d.Key, d.New)
		if c.HasOld && c.HasNew && c.Old == c.New {
			continue
		}
		out = append(out, c)
	}
	return out
}

// blank reports whether v says nothing when it stands alone: no value, an
// empty text, false.
func blank(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case bool:
		return !x
	}
	return false
}

// label is the field's label from the room's catalogue
// (audit.field.<entity>.<field>), then the shared one (audit.field.<field>),
// else the key itself.
func (ar auditReader) label(lang i18n.Lang, entity, field string) string {
	for _, k := range []string{"audit.field." + entity + "." + field, "audit.field." + field} {
		if ar.bundle.Has(k) {
			return ar.t(lang, k)
		}
	}
	if field == "" {
		return ar.t(lang, "audit.field.value")
	}
	return field
}

// value formats one field's value for the page: an id as the name of its
// object, a number with thousands separators, a time in Beijing, a period
// as its span, a coded value translated, a list joined.
func (ar auditReader) value(lang i18n.Lang, got names, entity, field string, v any) string {
	if kind := ar.ref(entity, field); kind != "" {
		if id, ok := idOf(v); ok {
			if n, ok := got[kind][id]; ok {
				return n
			}
			return "#" + id
		}
	}
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		if x {
			return ar.t(lang, "common.yes")
		}
		return ar.t(lang, "common.no")
	case float64:
		if plainNumbers[field] && x == math.Trunc(x) {
			return strconv.FormatInt(int64(x), 10)
		}
		return web.FormatNumber(x)
	case string:
		return ar.text(lang, entity, field, x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = ar.value(lang, got, entity, field, e)
		}
		return strings.Join(parts, "、")
	case map[string]any:
		var parts []string
		for _, d := range diffFields("", mustJSON(x)) {
			parts = append(parts, ar.label(lang, entity, d.Key)+" "+ar.value(lang, got, entity, d.Key, d.New))
		}
		return strings.Join(parts, "，")
	}
	return ""
}

func mustJSON(v any) string { b, _ := json.Marshal(v); return string(b) }

func (ar auditReader) text(lang i18n.Lang, entity, field, s string) string {
	if s == "" {
		return "—"
	}
	if p, ok := ar.values[entity+"/"+field]; ok && ar.bundle.Has(p+s) {
		return ar.t(lang, p+s)
	}
	if k := "audit.value." + field + "." + s; ar.bundle.Has(k) {
		return ar.t(lang, k)
	}
	if field == "period" {
		if t, err := time.Parse("2006-01", s); err == nil {
			return i18n.Span{Year: t.Year(), Month: int(t.Month())}.Text(lang)
		}
	}
	if len(s) > len("2006-01-02") {
		if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
			return t.In(clock.Beijing).Format("2006-01-02 15:04")
		}
	}
	return s
}
