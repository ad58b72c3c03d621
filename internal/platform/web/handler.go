// Package web holds what every room's pages and API share: the router that
// records its routes, the one place errors become responses, templates and
// typed page data, sessions, CSRF, flash messages, static assets and request
// logging.
package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// HandlerFunc is a handler that returns its error instead of writing it.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Route is one registered pattern, kept so tests can compare the routes with
// the OpenAPI document.
type Route struct {
	Method string
	Path   string
	Public bool   // reachable without signing in
	Room   string // the room that registered it
}

// Router wraps http.ServeMux and records what is registered, and by which
// room, so that two rooms claiming one route stop the start with both names
// instead of one silently winning.
type Router struct {
	*routes
	room string
}

type routes struct {
	mux    *http.ServeMux
	list   []Route
	owner  map[string]string // pattern → room
	errs   *Errors
	failed []error
}

// NewRouter returns an empty router whose handlers' errors are rendered by errs.
func NewRouter(errs *Errors) *Router {
	return &Router{routes: &routes{mux: http.NewServeMux(), owner: map[string]string{}, errs: errs}}
}

// ForRoom returns the router as a room registers on it: the routes it adds
// are recorded as the room's.
func (rt *Router) ForRoom(room string) *Router { return &Router{routes: rt.routes, room: room} }

// Err reports the first route that could not be registered: a pattern
// declared twice or clashing with another room's.
func (rt *Router) Err() error { return errors.Join(rt.failed...) }

// register adds h for pattern, recording a clash instead of panicking.
func (rt *Router) register(pattern string, public bool, h http.Handler) {
	method, path, _ := strings.Cut(pattern, " ")
	if other, dup := rt.owner[pattern]; dup {
		rt.failed = append(rt.failed, fmt.Errorf("web: room %s declares %q, already declared by room %s", rt.room, pattern, other))
		return
	}
	defer func() {
		if p := recover(); p != nil {
			rt.failed = append(rt.failed, fmt.Errorf("web: room %s: route %q: %v", rt.room, pattern, p))
		}
	}()
	rt.mux.Handle(pattern, h)
	rt.owner[pattern] = rt.room
	rt.list = append(rt.list, Route{Method: method, Path: path, Public: public, Room: rt.room})
}

// Handle registers h for a "METHOD /path" pattern; it requires a signed-in user.
func (rt *Router) Handle(pattern string, h HandlerFunc) {
	rt.handle(pattern, h, false)
}

// Public registers h for a pattern reachable without signing in.
func (rt *Router) Public(pattern string, h HandlerFunc) {
	rt.handle(pattern, h, true)
}

func (rt *Router) handle(pattern string, h HandlerFunc, public bool) {
	rt.register(pattern, public, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !public && auth.FromContext(r.Context()) == nil {
			if IsAPI(r) {
				rt.errs.Render(w, r, platform.ErrUnauthorized)
				return
			}
			http.Redirect(w, r, "/login?next="+urlQueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return
		}
		// Every refusal in the handler is audited with the route asked for.
		r = r.WithContext(audit.WithRoute(r.Context(), r.Method+" "+r.URL.RequestURI()))
		if err := h(w, r); err != nil {
			rt.errs.Render(w, r, err)
		}
	}))
}

// Mount registers a plain http.Handler (static files, health checks).
func (rt *Router) Mount(pattern string, h http.Handler) { rt.register(pattern, true, h) }

// Routes lists every registered route.
func (rt *Router) Routes() []Route { return append([]Route(nil), rt.list...) }

func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Unknown paths get our own 404 page, not the mux's plain text.
	if _, pattern := rt.mux.Handler(r); pattern == "" {
		rt.errs.Render(w, r, platform.ErrNotFound)
		return
	}
	rt.mux.ServeHTTP(w, r)
}

// IsAPI reports whether r is for the JSON API.
func IsAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// Status maps an error code to an HTTP status. It is the only such mapping.
func Status(code platform.Code) int {
	switch code {
	case platform.Invalid:
		return http.StatusUnprocessableEntity
	case platform.NotFound:
		return http.StatusNotFound
	case platform.Conflict:
		return http.StatusConflict
	case platform.Forbidden:
		return http.StatusForbidden
	case platform.Unauthorized:
		return http.StatusUnauthorized
	case platform.Unavailable:
		return http.StatusServiceUnavailable
	default:
		return http.StatusInternalServerError
	}
}

// Errors renders errors as a page or as JSON.
type Errors struct {
	Pages *Renderer
	Log   *slog.Logger
	// Audit, when set, receives the denied entry of a refusal for the
	// caller's role (403) that the handler did not record itself.
	Audit db.Queryer
}

// APIError is the JSON body of every API error.
type APIError struct {
	Error   string `json:"error"`   // the code: invalid, not_found, …
	Message string `json:"message"` // translated for the caller
	Field   string `json:"field,omitempty"`
	Code    string `json:"code,omitempty"` // a refinement of Error a client may act on, e.g. unit_suspect
}

// Render writes err to w. Internal errors are logged and shown as a generic
// message; other codes show their translated message.
func (e *Errors) Render(w http.ResponseWriter, r *http.Request, err error) {
	pe := platform.AsError(err)
	status := Status(pe.Code)
	if r.Context().Err() != nil {
		// The client went away: nobody is left to answer, and it is not our
		// failure.
		e.Log.InfoContext(r.Context(), "client gone", "method", r.Method, "path", r.URL.Path, "err", err)
		return
	}
	if pe.Code == platform.Internal {
		e.Log.ErrorContext(r.Context(), "request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if pe.Code == platform.Forbidden {
		e.auditRefusal(r)
	}
	lang := LangOf(r)
	msg := e.Pages.Bundle.T(lang, pe.Key, pe.Args...)
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		status = http.StatusRequestEntityTooLarge
		msg = e.Pages.Bundle.T(lang, "error.too_large")
	}
	if IsAPI(r) {
		WriteJSON(w, status, APIError{Error: string(pe.Code), Message: msg, Field: pe.Field, Code: pe.Detail})
		return
	}
	e.Pages.ErrorPage(w, r, status, msg)
}

// auditRefusal writes the denied entry of a role refusal inside a route
// that no store recorded: the route is the object asked for, and the entry
// belongs to the caller's unit, so its administrators see it.
func (e *Errors) auditRefusal(r *http.Request) {
	ctx := r.Context()
	u := auth.FromContext(ctx)
	route := audit.Route(ctx)
	if e.Audit == nil || u == nil || route == "" || audit.DeniedRecorded(ctx) {
		return
	}
	if err := audit.Deny(ctx, e.Audit, audit.ReasonRole, "route", route, u.UnitID, u.UnitPath); err != nil {
		e.Log.ErrorContext(ctx, "audit a refusal", "route", route, "err", err)
	}
}

// WriteJSON writes v as JSON with the given status.
func WriteJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// LangOf returns the language for the request: the user's choice, else the
// lang cookie, else Chinese.
func LangOf(r *http.Request) i18n.Lang {
	if u := auth.FromContext(r.Context()); u != nil {
		return u.Lang
	}
	if c, err := r.Cookie("lang"); err == nil {
		return i18n.Parse(c.Value)
	}
	return i18n.Default
}
