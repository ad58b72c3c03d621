package web

import (
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"guatu/internal/platform"
)

// Form reads and checks submitted fields, collecting one error per field so
// a page can show them all next to their inputs.
type Form struct {
	r      *http.Request
	Values map[string]string
	Errs   map[string]*platform.Error
}

// NewForm parses r's form (bodies are capped at 32 MiB by the server).
func NewForm(r *http.Request) *Form {
	r.ParseMultipartForm(32 << 20)
	return &Form{r: r, Values: map[string]string{}, Errs: map[string]*platform.Error{}}
}

// String returns the trimmed field; required and maxRunes are checked.
func (f *Form) String(name string, required bool, maxRunes int) string {
	v := strings.TrimSpace(f.r.FormValue(name))
	f.Values[name] = v
	switch {
	case required && v == "":
		f.Errs[name] = platform.FieldError(name, "form.err.required")
	case maxRunes > 0 && utf8.RuneCountInString(v) > maxRunes:
		f.Errs[name] = platform.FieldError(name, "form.err.too_long", maxRunes)
	}
	return v
}

// Int64 returns the field as an integer; 0 when blank and not required.
func (f *Form) Int64(name string, required bool) int64 {
	v := f.String(name, required, 20)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		f.Errs[name] = platform.FieldError(name, "form.err.not_integer")
	}
	return n
}

// Float returns the field as a number, accepting thousands separators; nil when blank.
func (f *Form) Float(name string, required bool) *float64 {
	v := strings.ReplaceAll(f.String(name, required, 40), ",", "")
	if v == "" {
		return nil
	}
	n, err := strconv.ParseFloat(v, 64)
	if err != nil {
		f.Errs[name] = platform.FieldError(name, "form.err.not_number")
		return nil
	}
	return &n
}

// Add records an error for a field (from a rule the form cannot check itself).
func (f *Form) Add(e *platform.Error) {
	if _, exists := f.Errs[e.Field]; !exists {
		f.Errs[e.Field] = e
	}
}

// Valid reports whether no field has an error.
func (f *Form) Valid() bool { return len(f.Errs) == 0 }

// Err returns the form's errors as one Invalid error, or nil.
func (f *Form) Err() error {
	var es platform.Errors
	for _, e := range f.Errs {
		es = append(es, e)
	}
	return es.Err()
}

// FormView is what a page template needs to redisplay a form: the values as
// sent and each field's translated error.
type FormView struct {
	Values map[string]string
	Errors map[string]string
}

// Get returns a submitted value (nil-safe for templates).
func (v FormView) Get(name string) string { return v.Values[name] }

// Error returns a field's error text.
func (v FormView) Error(name string) string { return v.Errors[name] }

// HasErrors reports whether any field has an error.
func (v FormView) HasErrors() bool { return len(v.Errors) > 0 }

// View translates the form's errors for a page in the language of b.
func (f *Form) View(b Base) FormView {
	fv := FormView{Values: f.Values, Errors: map[string]string{}}
	for k, e := range f.Errs {
		fv.Errors[k] = b.T(e.Key, e.Args...)
	}
	return fv
}

// ViewError adds a coded error returned by a store to a form view, under its
// field (or "_" for the whole form) and returns whether it was a user error.
func ViewError(fv *FormView, b Base, err error) bool {
	pe := platform.AsError(err)
	if pe.Code == platform.Internal || pe.Code == platform.NotFound {
		return false
	}
	field := pe.Field
	if field == "" {
		field = "_"
	}
	if fv.Errors == nil {
		fv.Errors = map[string]string{}
	}
	fv.Errors[field] = b.T(pe.Key, pe.Args...)
	return true
}
