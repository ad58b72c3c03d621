package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"guatu/internal/platform"
)

func TestDecodeJSON(t *testing.T) {
	tests := []struct {
		name, contentType, body string
		key                     string // the error's message key; "" when it decodes
	}{
		{"json", "application/json", `{"a":1}`, ""},
		{"json with a charset", "application/json; charset=utf-8", `{"a":1}`, ""},
		{"no content type", "", `{"a":1}`, ""},
		{"a +json type", "application/merge-patch+json", `{"a":1}`, ""},
		{"a form", "application/x-www-form-urlencoded", `{"a":1}`, "api.err.content_type"},
		{"text", "text/plain", `{"a":1}`, "api.err.content_type"},
		{"not json", "application/json", `a=1`, "api.err.bad_json"},
		{"an unknown field", "application/json", `{"b":1}`, "api.err.bad_json"},
		{"trailing data", "application/json", `{"a":1}{}`, "api.err.bad_json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/api/v1/x", strings.NewReader(tt.body))
			if tt.contentType != "" {
				r.Header.Set("Content-Type", tt.contentType)
			}
			var v struct{ A int }
			err := DecodeJSON(r, &v)
			var got string
			if pe, ok := err.(*platform.Error); ok {
				got = pe.Key
			} else if err != nil {
				t.Fatalf("DecodeJSON: %v, want a coded error", err)
			}
			if got != tt.key {
				t.Errorf("DecodeJSON: key %q (%v), want %q", got, err, tt.key)
			}
		})
	}
}
