package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"guatu/internal/platform"
)

func newForm(values url.Values) *Form {
	r := httptest.NewRequest("POST", "/", strings.NewReader(values.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return NewForm(r)
}

func TestForm(t *testing.T) {
	f := newForm(url.Values{
		"name":  {"  双塘村  "},
		"long":  {"一二三四五六"},
		"count": {"12"},
		"bad":   {"1.5"},
		"money": {"1,234.5"},
		"nan":   {"abc"},
	})
	if got := f.String("name", true, 5); got != "双塘村" {
		t.Errorf("String trims: got %q", got)
	}
	f.String("long", false, 5)
	f.String("missing", true, 0)
	if got := f.Int64("count", true); got != 12 {
		t.Errorf("Int64 = %d, want 12", got)
	}
	f.Int64("bad", false)
	if got := f.Int64("blank", false); got != 0 {
		t.Errorf("blank Int64 = %d, want 0", got)
	}
	if got := f.Float("money", false); got == nil || *got != 1234.5 {
		t.Errorf("Float with a thousands separator = %v, want 1234.5", got)
	}
	if got := f.Float("blank", false); got != nil {
		t.Errorf("blank Float = %v, want nil", *got)
	}
	f.Float("nan", false)

	want := map[string]string{
		"long":    "form.err.too_long",
		"missing": "form.err.required",
		"bad":     "form.err.not_integer",
		"nan":     "form.err.not_number",
	}
	for field, key := range want {
		if e := f.Errs[field]; e == nil || e.Key != key || e.Field != field {
			t.Errorf("%s: error %v, want %s on the field", field, e, key)
		}
	}
	if len(f.Errs) != len(want) {
		t.Errorf("errors on %v, want only on %v", f.Errs, want)
	}
	if f.Valid() || platform.ErrorCode(f.Err()) != platform.Invalid {
		t.Errorf("Valid = %v, Err = %v; want an Invalid error", f.Valid(), f.Err())
	}
	// A rule checked later does not replace the field's first error.
	f.Add(platform.FieldError("long", "other"))
	if f.Errs["long"].Key != "form.err.too_long" {
		t.Errorf("Add replaced the first error: %v", f.Errs["long"])
	}
	if ok := newForm(url.Values{"a": {"1"}}); !ok.Valid() || ok.Err() != nil {
		t.Error("an untouched form is not valid")
	}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		code platform.Code
		want int
	}{
		{platform.Invalid, http.StatusUnprocessableEntity},
		{platform.NotFound, http.StatusNotFound},
		{platform.Conflict, http.StatusConflict},
		{platform.Forbidden, http.StatusForbidden},
		{platform.Unauthorized, http.StatusUnauthorized},
		{platform.Internal, http.StatusInternalServerError},
		{"unknown", http.StatusInternalServerError},
	}
	for _, tt := range tests {
		if got := Status(tt.code); got != tt.want {
			t.Errorf("Status(%s) = %d, want %d", tt.code, got, tt.want)
		}
	}
}
