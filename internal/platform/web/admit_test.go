package web

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"guatu/internal/platform"
)

// Turns lets n reads compute at once; a read gives its turn back at its
// first byte, so one still sending (to a slow client) holds nobody up;
// writes and static assets never wait.
func TestReadsTakeTurns(t *testing.T) {
	var computing, most atomic.Int32
	firstByte := make(chan struct{})
	finish := make(chan struct{})
	h := Turns(1, 1, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := computing.Add(1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		if r.URL.Path == "/slow" {
			time.Sleep(20 * time.Millisecond)
			computing.Add(-1)
			w.Write([]byte("x")) // the turn goes back here
			close(firstByte)
			<-finish // still sending
			return
		}
		time.Sleep(5 * time.Millisecond)
		computing.Add(-1)
	}))
	serve := func(method, path string) chan struct{} {
		done := make(chan struct{})
		go func() {
			h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, path, nil))
			close(done)
		}()
		return done
	}
	slow := serve("GET", "/slow")
	<-firstByte
	var reads []chan struct{}
	for range 5 {
		reads = append(reads, serve("GET", "/page"))
	}
	for _, d := range reads {
		select {
		case <-d:
		case <-time.After(10 * time.Second):
			t.Fatal("a read waited for a request that had sent its first byte")
		}
	}
	if m := most.Load(); m != 1 {
		t.Errorf("%d reads computed at once, want at most 1", m)
	}
	// With the one turn held by a computing read, a write and a static
	// asset go straight through.
	hold := make(chan struct{})
	held := make(chan struct{})
	h2 := Turns(1, 1, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/hold" {
			close(held)
			<-hold
		}
	}))
	go h2.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/hold", nil))
	<-held
	for _, tt := range []struct{ method, path string }{{"POST", "/targets/1/figures"}, {"GET", "/static/abc/app.css"}} {
		done := make(chan struct{})
		go func() {
			h2.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(tt.method, tt.path, nil))
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("%s %s waited for a reader's turn", tt.method, tt.path)
		}
	}
	close(hold)
	close(finish)
	<-slow
}

// A client that went away mid-request is logged as such, at info, and no
// 500 is logged at error: the database's "context canceled" is not our
// failure.
func TestClientGoneIsNotAnError(t *testing.T) {
	var logged bytes.Buffer
	errs := &Errors{Log: slog.New(slog.NewJSONHandler(&logged, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequest("GET", "/targets", nil).WithContext(ctx)
	errs.Render(httptest.NewRecorder(), r, platform.Internalf("targets: %w", context.Canceled))
	out := logged.String()
	if !strings.Contains(out, `"level":"INFO"`) || !strings.Contains(out, "client gone") || strings.Contains(out, `"level":"ERROR"`) {
		t.Errorf("logged %s, want one info line saying the client is gone", out)
	}
}

// Signing in does not queue behind (or ahead of) signed-in writes: a write
// without a session or token takes no turn.
func TestSigningInTakesNoWriteTurn(t *testing.T) {
	hold, held := make(chan struct{}), make(chan struct{})
	h := Turns(1, 1, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/targets/1/figures" {
			close(held)
			<-hold
		}
	}))
	signedIn := httptest.NewRequest("POST", "/targets/1/figures", nil)
	signedIn.AddCookie(&http.Cookie{Name: SessionCookie, Value: "x"})
	go h.ServeHTTP(httptest.NewRecorder(), signedIn)
	<-held
	done := make(chan struct{})
	go func() { h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/login", nil)); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Error("a sign-in waited for a signed-in write's turn")
	}
	close(hold)
}
