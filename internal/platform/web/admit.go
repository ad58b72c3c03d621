package web

import (
	"net/http"
	"strings"
	"time"

	"guatu/internal/platform"
)

// readerWait is how long a reading request waits for its turn before it is
// told to come back (503 with Retry-After): a queue that long means the
// machine is overrun, and waiting longer would only hold its connection.
const readerWait = 10 * time.Second

// Readers lets at most n reading requests (GET, HEAD) compute at once; the
// rest wait their turn. On a small machine a crowd of readers would
// otherwise take every core from the one writer that holds SQLite's write
// lock, and every writer queued behind it waits the longer: reads wait a
// little instead, which they can afford. A request holds its turn until its
// first byte goes out (pages are rendered whole before that), so a slow
// client downloading an answer does not keep others waiting. Static assets
// are not counted: they are served from memory.
func Readers(n int, errs *Errors, h http.Handler) http.Handler {
	turns := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !safeMethod(r.Method) || strings.HasPrefix(r.URL.Path, "/static/") {
			h.ServeHTTP(w, r)
			return
		}
		wait := time.NewTimer(readerWait)
		select {
		case turns <- struct{}{}:
			wait.Stop()
		case <-wait.C:
			w.Header().Set("Retry-After", "5")
			errs.Render(w, r, platform.Errorf(platform.Unavailable, "error.busy"))
			return
		case <-r.Context().Done():
			wait.Stop()
			return
		}
		tw := &turnWriter{ResponseWriter: w, turns: turns}
		defer tw.done()
		h.ServeHTTP(tw, r)
	})
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
