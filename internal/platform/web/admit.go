package web

import "net/http"

// Readers lets at most n reading requests (GET, HEAD) run at once; the
// rest wait their turn (or give up when the client goes). On a small
// machine a crowd of readers would otherwise take every core from the one
// writer that holds SQLite's write lock, and every writer queued behind it
// waits the longer: reads wait a little instead, which they can afford.
func Readers(n int, h http.Handler) http.Handler {
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !safeMethod(r.Method) {
			h.ServeHTTP(w, r)
			return
		}
		select {
		case slots <- struct{}{}:
		case <-r.Context().Done():
			return
		}
		defer func() { <-slots }()
		h.ServeHTTP(w, r)
	})
}
