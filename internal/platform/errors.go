// Package platform is the floor every capability stands on. This file holds
// the small vocabulary of coded errors: stores and services return them,
// and exactly one function (web.Status) maps a code to an HTTP status.
package platform

import (
	"errors"
	"fmt"
)

// Code classifies an error for the person who caused it.
type Code string

const (
	Invalid      Code = "invalid"      // the input is wrong; Key/Field say how
	NotFound     Code = "not_found"    // no such thing, or not in the caller's scope
	Conflict     Code = "conflict"     // the change clashes with existing data
	Forbidden    Code = "forbidden"    // the caller's role may not do this
	Unauthorized Code = "unauthorized" // no valid session or token
	Internal     Code = "internal"     // our fault; logged, never shown
	Unavailable  Code = "unavailable"  // overrun for now; try again shortly
)

// Error is a coded error with a translatable message. Key names an i18n
// message; Args fill its verbs; Field names the form field it belongs to.
type Error struct {
	Code  Code
	Key   string
	Args  []any
	Field string
	// Detail refines Code for API clients that act on it (unit_suspect,
	// cumulative_decrease, …); "" for most errors.
	Detail string
	Err    error // the cause, for logs only
}

func (e *Error) Error() string {
	s := string(e.Code) + ": " + e.Key
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns a coded error with an i18n key and its arguments.
func Errorf(code Code, key string, args ...any) *Error {
	return &Error{Code: code, Key: key, Args: args}
}

// FieldError returns an Invalid error attached to a form field.
func FieldError(field, key string, args ...any) *Error {
	return &Error{Code: Invalid, Key: key, Args: args, Field: field}
}

// ErrNotFound is the plain not-found error; stores wrap or return it.
var ErrNotFound = &Error{Code: NotFound, Key: "error.not_found"}

// ErrForbidden is the plain forbidden error.
var ErrForbidden = &Error{Code: Forbidden, Key: "error.forbidden"}

// ErrUnauthorized is returned when there is no valid session or token.
var ErrUnauthorized = &Error{Code: Unauthorized, Key: "error.unauthorized"}

// ErrorCode returns the code of err: the first *Error in its chain, else Internal.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// AsError returns the first *Error in err's chain, or an Internal error
// wrapping err.
func AsError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: Internal, Key: "error.internal", Err: err}
}

// Internalf wraps an unexpected failure with context for the logs.
func Internalf(format string, args ...any) error {
	return &Error{Code: Internal, Key: "error.internal", Err: fmt.Errorf(format, args...)}
}

// Errors collects several field errors from one form so the page can show them all.
type Errors []*Error

func (es Errors) Error() string {
	if len(es) == 0 {
		return "no errors"
	}
	return es[0].Error()
}

// Err returns es as an error, or nil when empty. The result's code is Invalid.
func (es Errors) Err() error {
	if len(es) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Key: es[0].Key, Args: es[0].Args, Field: es[0].Field, Detail: es[0].Detail, Err: es}
}
