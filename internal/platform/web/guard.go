package web

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"guatu/internal/platform"
)

// Limits on what one request may bring. A form of data is a few kilobytes;
// an upload is one spreadsheet (the import's own limit is lower).
const (
	MaxFormBytes   = 1 << 20  // an urlencoded form, or a JSON body
	MaxUploadBytes = 32 << 20 // a multipart form with its files
	// uploadMemory is how much of a multipart form is held in memory; the
	// rest of a file waits in a temporary file, removed after the request.
	uploadMemory = 4 << 20
)

// Guard bounds and checks a request before anything reads it: the body is
// capped (413 with a message beyond the limit), forms are parsed once, and
// every text the request carries — path, query, form fields, JSON — must be
// valid UTF-8 without NUL characters (422 otherwise). PostgreSQL refuses such
// text with an error; SQLite would store it. Refusing at the edge gives both
// engines the same data and the person a message instead of a 500.
func Guard(errs *Errors, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := checkText("path", r.URL.Path); err != nil {
			errs.Render(w, r, err)
			return
		}
		q, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			errs.Render(w, r, platform.Errorf(platform.Invalid, "error.bad_query"))
			return
		}
		if err := checkValues(q); err != nil {
			errs.Render(w, r, err)
			return
		}
		if r.Body != nil && r.Body != http.NoBody && !safeMethod(r.Method) {
			done, err := guardBody(w, r)
			if done != nil {
				defer done()
			}
			if err != nil {
				errs.Render(w, r, err)
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// guardBody reads a form or JSON body within its limit and checks its text.
// done, when not nil, removes a multipart form's temporary files.
func guardBody(w http.ResponseWriter, r *http.Request) (done func(), err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	switch mt {
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, MaxUploadBytes)
		err := r.ParseMultipartForm(uploadMemory)
		if r.MultipartForm != nil {
			done = func() { r.MultipartForm.RemoveAll() }
		}
		if err != nil {
			return done, bodyError(err)
		}
		return done, checkValues(r.PostForm)
	case "application/x-www-form-urlencoded":
		r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
		if err := r.ParseForm(); err != nil {
			return nil, bodyError(err)
		}
		return nil, checkValues(r.PostForm)
	default:
		// JSON and anything else: read whole (it is small), check, and hand
		// the handler the same bytes.
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxFormBytes))
		if err != nil {
			return nil, bodyError(err)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		if !utf8.Valid(body) {
			return nil, platform.Errorf(platform.Invalid, "error.bad_text_body")
		}
		if jsonHasNUL(body) {
			return nil, platform.Errorf(platform.Invalid, "error.bad_text_body")
		}
		return nil, nil
	}
}

// bodyError is a body that could not be read: too large (413, see
// Errors.Render) or malformed.
func bodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return mbe
	}
	return platform.Errorf(platform.Invalid, "error.bad_form")
}

func checkValues(vs url.Values) error {
	for k, list := range vs {
		if err := checkText(k, k); err != nil {
			return err
		}
		for _, v := range list {
			if err := checkText(k, v); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkText refuses text that is not UTF-8 or holds a NUL, naming the field.
func checkText(field, s string) error {
	if utf8.ValidString(s) && !strings.ContainsRune(s, 0) {
		return nil
	}
	if !utf8.ValidString(field) || strings.ContainsRune(field, 0) {
		field = "?"
	}
	return platform.FieldError(field, "error.bad_text", field)
}

// jsonHasNUL reports whether a JSON text holds an escaped NUL (\u0000) in a
// string; a raw NUL byte is not JSON and the decoder refuses it. Escapes are
// walked so that an escaped backslash followed by "u0000" is not mistaken
// for one.
func jsonHasNUL(b []byte) bool {
	for i := 0; i < len(b); i++ {
		if b[i] == 0 {
			return true
		}
		if b[i] != '\\' || i+1 >= len(b) {
			continue
		}
		if b[i+1] == 'u' && i+5 < len(b) && string(b[i+2:i+6]) == "0000" {
			return true
		}
		i++ // skip the escaped character
	}
	return false
}
