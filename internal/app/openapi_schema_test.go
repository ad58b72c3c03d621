package app

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// oaDoc is a parsed OpenAPI document. Numbers stay json.Number so the
// validator can tell an integer from a fraction.
type oaDoc map[string]any

func oaParse(tb testing.TB, src []byte) oaDoc {
	tb.Helper()
	var doc oaDoc
	if err := oaDecode(src, &doc); err != nil {
		tb.Fatalf("parse OpenAPI document: %v", err)
	}
	return doc
}

// oaDecode decodes one JSON value, keeping numbers as json.Number.
func oaDecode(src []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(src))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data after the JSON value")
	}
	return nil
}

// resolve follows a local reference such as "#/components/schemas/Unit".
func (d oaDoc) resolve(ref string) (map[string]any, bool) {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, false
	}
	var cur any = map[string]any(d)
	for _, seg := range strings.Split(p, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		seg = strings.ReplaceAll(strings.ReplaceAll(seg, "~1", "/"), "~0", "~")
		if cur, ok = m[seg]; !ok {
			return nil, false
		}
	}
	m, ok := cur.(map[string]any)
	return m, ok
}

// deref returns what m refers to when it is a {"$ref": …}, else m.
func (d oaDoc) deref(m map[string]any) map[string]any {
	if ref, ok := m["$ref"].(string); ok {
		if r, ok := d.resolve(ref); ok {
			return r
		}
	}
	return m
}

// oaKeywords is the schema subset the validator understands. Any other
// keyword is reported rather than ignored, so the document cannot grow a
// constraint the tests silently skip.
var oaKeywords = map[string]bool{
	"$ref": true, "type": true, "nullable": true, "required": true, "properties": true,
	"additionalProperties": true, "items": true, "enum": true, "minimum": true, "maximum": true,
	"pattern": true, "maxLength": true,
	// Annotations only.
	"description": true, "format": true, "example": true, "default": true, "title": true,
}

// validate checks v against schema s and returns one message per mismatch,
// each starting with the JSON path at.
func (d oaDoc) validate(s map[string]any, v any, at string) []string {
	if ref, ok := s["$ref"].(string); ok {
		r, ok := d.resolve(ref)
		if !ok {
			return []string{at + ": cannot resolve $ref " + ref}
		}
		return d.validate(r, v, at)
	}
	var errs []string
	fail := func(format string, args ...any) { errs = append(errs, at+": "+fmt.Sprintf(format, args...)) }
	for k := range s {
		if !oaKeywords[k] {
			fail("schema keyword %q is not supported by the test's validator", k)
		}
	}
	typ, _ := s["type"].(string)
	if v == nil {
		if s["nullable"] != true {
			fail("null, want %s", typ)
		}
		return errs
	}
	switch typ {
	case "object":
		m, ok := v.(map[string]any)
		if !ok {
			fail("%s, want object", oaKind(v))
			break
		}
		req, _ := s["required"].([]any)
		for _, r := range req {
			if _, ok := m[r.(string)]; !ok {
				fail("missing required property %q", r)
			}
		}
		props, _ := s["properties"].(map[string]any)
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, d.validate(ps, m[k], at+"."+k)...)
				continue
			}
			switch ap := s["additionalProperties"].(type) {
			case bool:
				if !ap {
					fail("unexpected property %q", k)
				}
			case map[string]any:
				errs = append(errs, d.validate(ap, m[k], at+"."+k)...)
			}
		}
	case "array":
		l, ok := v.([]any)
		if !ok {
			fail("%s, want array", oaKind(v))
			break
		}
		items, _ := s["items"].(map[string]any)
		for i, x := range l {
			if items != nil {
				errs = append(errs, d.validate(items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	case "string", "boolean", "number":
		if k := oaKind(v); k != typ {
			fail("%s, want %s", k, typ)
		}
	case "integer":
		if n, ok := v.(json.Number); !ok || strings.ContainsAny(string(n), ".eE") {
			fail("%s %v, want integer", oaKind(v), v)
		}
	case "":
		// Any value.
	default:
		fail("unknown type %q", typ)
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return reflect.DeepEqual(e, v) }) {
		fail("%v is not one of %v", v, enum)
	}
	if str, ok := v.(string); ok {
		if pat, ok := s["pattern"].(string); ok && !regexp.MustCompile(pat).MatchString(str) {
			fail("%q does not match the pattern %s", str, pat)
		}
		if lim, ok := s["maxLength"].(json.Number); ok {
			if m, _ := lim.Int64(); int64(utf8.RuneCountInString(str)) > m {
				fail("%q is longer than %v", str, lim)
			}
		}
	}
	if n, ok := v.(json.Number); ok {
		f, _ := n.Float64()
		if lim, ok := s["minimum"].(json.Number); ok {
			if m, _ := lim.Float64(); f < m {
				fail("%v is below the minimum %v", n, lim)
			}
		}
		if lim, ok := s["maximum"].(json.Number); ok {
			if m, _ := lim.Float64(); f > m {
				fail("%v is above the maximum %v", n, lim)
			}
		}
	}
	return errs
}

// oaKind names the JSON type of a decoded value.
func oaKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "string"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// TestOpenAPIValidator proves the validator fails what it should, so the
// response test cannot pass by accepting everything.
func TestOpenAPIValidator(t *testing.T) {
	doc := oaParse(t, []byte(`{"components": {"schemas": {"Thing": {
		"type": "object", "required": ["id", "kind"], "additionalProperties": false,
		"properties": {
			"id": {"type": "integer", "minimum": 1},
			"kind": {"type": "string", "enum": ["a", "b"]},
			"parent": {"type": "integer", "nullable": true},
			"tags": {"type": "array", "items": {"type": "string"}},
			"ok": {"type": "boolean"},
			"score": {"type": "number", "maximum": 10}
		}}}}}`))
	const thing = `{"$ref": "#/components/schemas/Thing"}`
	tests := []struct {
		name, schema, value string
		want                string // part of the first message; "" means valid
	}{
		{"valid", thing, `{"id": 1, "kind": "a", "parent": null, "tags": ["x"], "ok": true, "score": 1.5}`, ""},
		{"optional absent", thing, `{"id": 7, "kind": "b"}`, ""},
		{"wrong type", thing, `{"id": "1", "kind": "a"}`, "body.id: string 1, want integer"},
		{"fraction for integer", thing, `{"id": 1.5, "kind": "a"}`, "want integer"},
		{"missing required", thing, `{"id": 1}`, `missing required property "kind"`},
		{"null not nullable", thing, `{"id": null, "kind": "a"}`, "body.id: null, want integer"},
		{"not in enum", thing, `{"id": 1, "kind": "c"}`, "c is not one of [a b]"},
		{"unexpected property", thing, `{"id": 1, "kind": "a", "extra": 1}`, `unexpected property "extra"`},
		{"bad item", thing, `{"id": 1, "kind": "a", "tags": ["x", 2]}`, "body.tags[1]: number, want string"},
		{"boolean as string", thing, `{"id": 1, "kind": "a", "ok": "true"}`, "body.ok: string, want boolean"},
		{"below minimum", thing, `{"id": 0, "kind": "a"}`, "below the minimum"},
		{"above maximum", thing, `{"id": 1, "kind": "a", "score": 11}`, "above the maximum"},
		{"array for object", thing, `[]`, "body: array, want object"},
		{"object for array", `{"type": "array", "items": {"type": "string"}}`, `{}`, "object, want array"},
		{"dangling ref", `{"$ref": "#/components/schemas/Nope"}`, `{}`, "cannot resolve $ref"},
		{"pattern", `{"type": "string", "pattern": "^y"}`, `"x"`, `does not match the pattern`},
		{"too long", `{"type": "string", "maxLength": 2}`, `"一二三"`, `is longer than 2`},
		{"unsupported keyword", `{"type": "string", "minLength": 1}`, `"x"`, `keyword "minLength" is not supported`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var schema map[string]any
			var value any
			if err := oaDecode([]byte(tt.schema), &schema); err != nil {
				t.Fatal(err)
			}
			if err := oaDecode([]byte(tt.value), &value); err != nil {
				t.Fatal(err)
			}
			errs := doc.validate(schema, value, "body")
			switch {
			case tt.want == "" && len(errs) > 0:
				t.Errorf("got %q, want valid", errs)
			case tt.want != "" && len(errs) == 0:
				t.Errorf("got valid, want an error containing %q", tt.want)
			case tt.want != "" && !strings.Contains(errs[0], tt.want):
				t.Errorf("got %q, want an error containing %q", errs, tt.want)
			}
		})
	}
}
