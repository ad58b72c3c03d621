package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"log/slog"
	"net/http"
	"net/netip"
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
	// TrustedProxies are the reverse proxies whose X-Forwarded-For is
	// believed. Behind one, the client's address (for the sign-in throttle,
	// the lock-out and the audit log) is the last one the proxies did not
	// add; without it every client would look like the proxy.
	TrustedProxies []netip.Prefix
}

// ClientAddr is the address of the client that sent r: the connection's
// peer, or behind a trusted proxy the address it forwarded for.
func (s *Sessions) ClientAddr(r *http.Request) string {
	peer := clientIP(r)
	if !s.trusted(peer) {
		return peer
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			return peer
		}
		if a = a.Unmap(); !s.trusted(a.String()) {
			return a.String()
		}
	}
	return peer
}

func (s *Sessions) trusted(addr string) bool {
	a, err := netip.ParseAddr(addr)
	if err != nil {
		return false
	}
	for _, p := range s.TrustedProxies {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// Secure reports whether cookies for r should carry the Secure flag.
func (s *Sessions) Secure(r *http.Request) bool {
	return s.SecureCookies || r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https"
}

// Wrap returns h with sessions and CSRF applied. Over TLS (or with
// SecureCookies) every cookie any handler sets is marked Secure and the
// answer carries HSTS; every answer but a static file's is marked
// Cache-Control: no-store, since pages and JSON hold what only the signed-in
// person may see.
func (s *Sessions) Wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.Secure(r) {
			w.Header().Set("Strict-Transport-Security", "max-age=31536000")
			w = &secureCookies{ResponseWriter: w}
		}
		if !strings.HasPrefix(r.URL.Path, "/static/") {
			w.Header().Set("Cache-Control", "no-store")
		}
		ctx := auth.WithRemoteAddr(r.Context(), s.ClientAddr(r))
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
				sent = r.FormValue(csrfField)
			}
			if csrf == "" || subtle.ConstantTimeCompare([]byte(sent), []byte(csrf)) != 1 {
				s.Errors.Render(w, r, platform.Errorf(platform.Forbidden, "error.csrf"))
				return
			}
		}
		if u := auth.FromContext(ctx); u != nil && u.Probe != nil && !safeMethod(r.Method) {
			// A request that writes may change what the probe watches (the
			// org tree) and read it after: it reads it fresh.
			fresh := *u
			fresh.Probe = nil
			r = r.WithContext(auth.WithUser(r.Context(), &fresh))
		}
		h.ServeHTTP(w, r)
	})
}

// secureCookies adds the Secure attribute to every cookie set through it,
// the moment the header is written: a cookie set by any handler (language,
// flash, CSRF) cannot travel in clear once the site is served over TLS.
type secureCookies struct {
	http.ResponseWriter
	done bool
}

func (sc *secureCookies) mark() {
	if sc.done {
		return
	}
	sc.done = true
	cookies := sc.ResponseWriter.Header()["Set-Cookie"]
	for i, c := range cookies {
		if !hasSecure(c) {
			cookies[i] = c + "; Secure"
		}
	}
}

func hasSecure(cookie string) bool {
	for _, attr := range strings.Split(cookie, ";")[1:] {
		if strings.EqualFold(strings.TrimSpace(attr), "secure") {
			return true
		}
	}
	return false
}

func (sc *secureCookies) WriteHeader(code int) {
	sc.mark()
	sc.ResponseWriter.WriteHeader(code)
}

func (sc *secureCookies) Write(b []byte) (int, error) {
	sc.mark()
	return sc.ResponseWriter.Write(b)
}

// Flush lets a streamed answer go out through the wrapper.
func (sc *secureCookies) Flush() {
	sc.mark()
	if f, ok := sc.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (sc *secureCookies) Unwrap() http.ResponseWriter { return sc.ResponseWriter }

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

// SetFlash shows the message key once, on the next page; args fill its
// %s verbs (a sign-in's time and address, say).
func SetFlash(w http.ResponseWriter, key string, args ...string) {
	v := url.Values{"k": {key}}
	if len(args) > 0 {
		v["a"] = args
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: v.Encode(), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
}

// flashFrom reads the flash cookie: its message key and arguments.
func flashFrom(r *http.Request) (string, []any) {
	c, err := r.Cookie(flashCookie)
	if err != nil {
		return "", nil
	}
	v, err := url.ParseQuery(c.Value)
	if err != nil {
		return "", nil
	}
	args := make([]any, len(v["a"]))
	for i, a := range v["a"] {
		args[i] = a
	}
	return v.Get("k"), args
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
