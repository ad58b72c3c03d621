package web

import (
	"net/http"
	"strings"
	"time"

	"guatu/internal/platform"
)

// How long a request waits for its turn before it is told to come back
// (503 with Retry-After): a queue that long means the machine is overrun,
// and waiting longer would only hold the connection. A write waits longer:
// the person has filled in a form.
const (
	readerWait = 10 * time.Second
	writerWait = 30 * time.Second
)

// Turns lets at most reads reading requests (GET, HEAD) and writes writing
// ones compute at once; the rest wait their turn, served in the order they
// came. On a small machine a crowd of readers would otherwise take every
// core from the one writer that holds SQLite's write lock, and every writer
// queued behind it waits the longer: reads wait a little instead, which
// they can afford. Writers wait here in order rather than in the database
// pool, which hands a free connection to a waiter at random: at the
// month-end deadline some writes waited twice as long as the rest. A
// request holds its turn until its first byte goes out (pages are rendered
// whole before that, a form's redirect is sent after its write), so a slow
// client downloading an answer does not keep others waiting. Static assets
// are not counted: they are served from memory; nor are writes that carry
// no session or token (signing in, the first install), which have bounds
// of their own (auth's hashing slots and throttle) and must not queue
// behind, or ahead of, the work of those signed in.
func Turns(reads, writes int, errs *Errors, h http.Handler) http.Handler {
	readTurns := make(chan struct{}, reads)
	writeTurns := make(chan struct{}, writes)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/static/") {
			h.ServeHTTP(w, r)
			return
		}
		turns, wait := readTurns, readerWait
		if !safeMethod(r.Method) {
			if !signedIn(r) {
				h.ServeHTTP(w, r)
				return
			}
			turns, wait = writeTurns, writerWait
		}
		timer := time.NewTimer(wait)
		select {
		case turns <- struct{}{}:
			timer.Stop()
		case <-timer.C:
			w.Header().Set("Retry-After", "5")
			errs.Render(w, r, platform.Errorf(platform.Unavailable, "error.busy"))
			return
		case <-r.Context().Done():
			timer.Stop()
			return
		}
		tw := &turnWriter{ResponseWriter: w, turns: turns}
		defer tw.done()
		h.ServeHTTP(tw, r)
	})
}

// signedIn reports whether r carries a session cookie or a bearer token
// (valid or not: Sessions judges that).
func signedIn(r *http.Request) bool {
	if r.Header.Get("Authorization") != "" {
		return true
	}
	_, err := r.Cookie(SessionCookie)
	return err == nil
}

// turnWriter gives its request's turn back at the first byte or header
// written, or when the request ends.
type turnWriter struct {
	http.ResponseWriter
	turns    chan struct{}
	returned bool
}

func (tw *turnWriter) done() {
	if !tw.returned {
		tw.returned = true
		<-tw.turns
	}
}

func (tw *turnWriter) WriteHeader(code int) {
	tw.done()
	tw.ResponseWriter.WriteHeader(code)
}

func (tw *turnWriter) Write(b []byte) (int, error) {
	tw.done()
	return tw.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection.
func (tw *turnWriter) Unwrap() http.ResponseWriter { return tw.ResponseWriter }
