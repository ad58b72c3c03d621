package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
)

// Cookie names.
const (
	SessionCookie = "guatu_session"
	csrfCookie    = "guatu_csrf" // double-submit token for forms shown before sign-in
	flashCookie   = "guatu_flash"
	csrfField     = "csrf"
	csrfHeader    = "X-CSRF-Token"
)

type csrfKey struct{}

// CSRFToken returns the token forms must carry: the session's when signed in,
// else the pre-session cookie's.
func CSRFToken(r *http.Request) string {
	s, _ := r.Context().Value(csrfKey{}).(string)
	return s
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// Sessions is the middleware that reads the session cookie or bearer token,
// puts the user in the context and checks CSRF on every unsafe request.
type Sessions struct {
	Store  *auth.Store
	Errors *Errors
	// SecureCookies forces the Secure flag; otherwise it is set when the
	// request came over TLS (directly or via a proxy saying so).
	SecureCookies bool
}

// Secure reports whether cookies for r should carry the Secure flag.
func (s *Sessions) Secure(r *http.Request) bool {
	return s.SecureCookies || r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// Wrap returns h with sessions and CSRF applied.
func (s *Sessions) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := auth.WithRemoteAddr(r.Context(), clientIP(r))
		var csrf string
		bearer := false
		if tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
			u, err := s.Store.UserByToken(ctx, strings.TrimSpace(tok))
			if err != nil {
				s.Errors.Render(w, r.WithContext(ctx), err)
				return
			}
			ctx = auth.WithUser(ctx, u)
			bearer = true
		} else if c, err := r.Cookie(SessionCookie); err == nil {
			sess, err := s.Store.SessionByToken(ctx, c.Value)
			switch {
			case err == nil:
				ctx = auth.WithUser(ctx, sess.User)
				csrf = sess.CSRF
			case platform.ErrorCode(err) == platform.Unauthorized:
				// Expired or unknown: drop the cookie and carry on signed out,
				// with a flash that tells the person why they see the login page.
				s.ClearCookie(w, r)
				if !IsAPI(r) && r.Method == http.MethodGet {
					SetFlash(w, "auth.flash.expired")
				}
			default:
				s.Errors.Render(w, r, err)
				return
			}
		}
		if csrf == "" && !bearer {
			if c, err := r.Cookie(csrfCookie); err == nil && len(c.Value) == 32 {
				csrf = c.Value
			} else {
				csrf = newCSRF()
				http.SetCookie(w, &http.Cookie{Name: csrfCookie, Value: csrf, Path: "/", HttpOnly: true, Secure: s.Secure(r), SameSite: http.SameSiteStrictMode})
			}
		}
		ctx = context.WithValue(ctx, csrfKey{}, csrf)
		r = r.WithContext(ctx)
		// An API request without any credentials is left to the router, which
		// answers 401; CSRF guards requests that carry a session cookie.
		anonymousAPI := IsAPI(r) && auth.FromContext(ctx) == nil
		if !bearer && !anonymousAPI && !safeMethod(r.Method) {
			sent := r.Header.Get(csrfHeader)
			if sent == "" {
				// A body over the server's limit leaves no form to read the
				// token from: say so (413), not that the token is wrong.
				var mbe *http.MaxBytesError
				if err := r.ParseMultipartForm(32 << 20); errors.As(err, &mbe) {
					s.Errors.Render(w, r, &platform.Error{Code: platform.Invalid, Key: "error.too_large", Err: err})
					return
				}
				sent = r.FormValue(csrfField)
			}
			if csrf == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(csrf)) != 1 {
				s.Errors.Render(w, r, platform.Errorf(platform.Forbidden, "error.csrf"))
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

func newCSRF() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

func safeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// SetCookie sets the session cookie: HttpOnly, SameSite=Lax, Secure over TLS.
func (s *Sessions) SetCookie(w http.ResponseWriter, r *http.Request, sess *auth.Session) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: sess.Token, Path: "/", HttpOnly: true, Secure: s.Secure(r), SameSite: http.SameSiteLaxMode})
}

// ClearCookie removes the session cookie.
func (s *Sessions) ClearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: SessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.Secure(r), SameSite: http.SameSiteLaxMode})
}

// SetFlash stores a one-time message (an i18n key) shown on the next page.
func SetFlash(w http.ResponseWriter, key string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(key), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

func flashFrom(r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return ""
	}
	v, _ := url.QueryUnescape(c.Value)
	return v
}

func clearFlash(w http.ResponseWriter, r *http.Request) {
	if _, err := r.Cookie(flashCookie); err == nil {
		// Keep a flash set during this very request (a redirect target sets none).
		for _, c := range w.Header().Values("Set-Cookie") {
			if strings.HasPrefix(c, flashCookie+"=") {
				return
			}
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1})
	}
}

func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndex(host, ":"); i > 0 {
		host = host[:i]
	}
	return strings.Trim(host, "[]")
}

// statusWriter remembers the status for the request log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (sw *statusWriter) WriteHeader(code int) {
	if sw.status == 0 {
		sw.status = code
	}
	sw.ResponseWriter.WriteHeader(code)
}

// Unwrap lets http.ResponseController reach the connection (to flush, or
// to set a deadline) through the log's writer.
func (sw *statusWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

func (sw *statusWriter) Write(b []byte) (int, error) {
	if sw.status == 0 {
		sw.status = http.StatusOK
	}
	n, err := sw.ResponseWriter.Write(b)
	sw.bytes += n
	return n, err
}

// Logging logs one structured line per request with its latency, and turns a
// panic into a 500 that is logged with its stack.
func Logging(log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				log.Error("panic", "method", r.Method, "path", r.URL.Path, "panic", p, "stack", string(debug.Stack()))
				if sw.status == 0 {
					http.Error(sw, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
				}
			}
			attrs := []any{
				slog.String("method", r.Method),
				slog.String("path", r.URL.Path),
				slog.Int("status", sw.status),
				slog.Int("bytes", sw.bytes),
				slog.Duration("latency", time.Since(start)),
				slog.String("remote", clientIP(r)),
			}
			if u := auth.FromContext(r.Context()); u != nil {
				attrs = append(attrs, slog.String("user", u.Login))
			}
			log.Info("request", attrs...)
		}()
		sw.Header().Set("X-Content-Type-Options", "nosniff")
		sw.Header().Set("X-Frame-Options", "DENY")
		sw.Header().Set("Referrer-Policy", "same-origin")
		sw.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; style-src-attr 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'; form-action 'self'")
		h.ServeHTTP(sw, r)
	})
}
