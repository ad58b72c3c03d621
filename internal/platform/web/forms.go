package web

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
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

// NewForm reads r's form. Guard has parsed it already, within its limits
// and with its text checked; parsing again is a no-op then, and reads a
// request that did not pass the guard (a handler under test) the same way.
func NewForm(r *http.Request) *Form {
	r.ParseMultipartForm(uploadMemory)
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
// sent and each field's translated error. Templates put a field's error in a
// <div class="field-error"> inside the element that holds the field and its
// label, and a whole-form error ("_") in an element marked data-form-error:
// from that, app.js marks each field aria-invalid, describes it by its
// message and builds the error summary at the top of the page, for every
// form of every room.
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

// FormFailed puts a store's user error on fv, every field error it carries
// next to its field (renamed by rename when the form calls a field
// differently, or under "_" for the whole form), and returns the status to
// answer with: 422 for invalid input, 409 for a conflict. ok is false for
// errors that belong on the error page instead (not found, forbidden,
// internal).
func FormFailed(fv *FormView, b Base, err error, rename map[string]string) (status int, ok bool) {
	pe := platform.AsError(err)
	if pe.Code != platform.Invalid && pe.Code != platform.Conflict {
		return 0, false
	}
	if fv.Errors == nil {
		fv.Errors = map[string]string{}
	}
	all := []*platform.Error{pe}
	var es platform.Errors
	if errors.As(err, &es) {
		all = es
	}
	for _, e := range all {
		field := e.Field
		if to, ok := rename[field]; ok {
			field = to
		}
		if field == "" {
			field = "_"
		}
		if _, set := fv.Errors[field]; !set {
			fv.Errors[field] = b.T(e.Key, e.Args...)
		}
	}
	return Status(pe.Code), true
}

// QueryID reads an optional id from the query string: 0 when absent, an
// Invalid error naming the parameter when it is not a whole number.
func QueryID(q url.Values, name string) (int64, error) {
	v := q.Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n < 0 {
		return 0, platform.FieldError(name, "form.err.not_integer")
	}
	return n, nil
}

// Submission is one form's way through Submit: Read takes the fields from
// the form (recording each field's error on it), Do makes the one call into
// the room's store and says where to go next, Again renders the page with
// the form once more when something is wrong.
type Submission struct {
	Read  func(f *Form)
	Do    func(ctx context.Context) (redirect string, err error)
	Again func(status int, fv FormView) error
	// Flash is the message shown after the redirect; "common.saved" when empty.
	Flash string
	// Rename maps the store's field names onto the form's where they differ
	// (see FormFailed).
	Rename map[string]string
}

// Submit is the one path every form takes: parse, validate, call, then
// flash and redirect, or re-render with every error next to its field (422
// for invalid input, 409 for a conflict). Errors that are not the person's
// to fix (not found, forbidden, internal) go to the error page. (Signing in
// and out and the language switch are not forms of data: they keep their
// own handlers in the app.)
func Submit(w http.ResponseWriter, r *http.Request, pages *Renderer, s Submission) error {
	f := NewForm(r)
	if s.Read != nil {
		s.Read(f)
	}
	b := pages.Base(r, "")
	if !f.Valid() {
		return s.Again(http.StatusUnprocessableEntity, f.View(b))
	}
	to, err := s.Do(r.Context())
	if err != nil {
		fv := f.View(b)
		status, ok := FormFailed(&fv, b, err, s.Rename)
		if !ok {
			return err
		}
		return s.Again(status, fv)
	}
	flash := s.Flash
	if flash == "" {
		flash = "common.saved"
	}
	SetFlash(w, flash)
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// PathID reads the numeric {id} of a route; anything else is not found.
func PathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, platform.ErrNotFound
	}
	return id, nil
}

// DecodeJSON reads an API request's body into v strictly: unknown fields and
// trailing data are refused, so a misspelt field is an error rather than
// silently ignored; a body over 1 MiB is refused as too large.
func DecodeJSON(r *http.Request, v any) error {
	// A form-encoded body (curl -d without a Content-Type) is read as a form
	// before the handler sees it; say so rather than "EOF".
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, err := mime.ParseMediaType(ct); err != nil || !(mt == "application/json" || strings.HasSuffix(mt, "+json")) {
			return platform.Errorf(platform.Invalid, "api.err.content_type", ct)
		}
	}
	dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, MaxFormBytes))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return mbe
		}
		return platform.Errorf(platform.Invalid, "api.err.bad_json", err.Error())
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return platform.Errorf(platform.Invalid, "api.err.bad_json", "trailing data")
	}
	return nil
}
