package web

import (
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipMinSize is the smallest body worth compressing: below about 1 KB the
// gzip framing and the work cost more than the bytes saved.
const gzipMinSize = 1024

// gzipLevel is gzip.BestSpeed, measured against DefaultCompression with
// BenchmarkCompress on the project's machine (2 shared cores, 2026-12-02):
//
//	350 KB board-like HTML: 1.55 ms, 12.3% of the size  vs  2.5–4.2 ms, 8.0%
//	25 KB JSON target list: 0.24–0.27 ms, 24.7%         vs  0.31–0.56 ms, 21.7%
//
// (the demo's 47 KB target list page: 0.32 ms, 16.6% vs 0.53 ms, 13.1%).
// Nearly all of the saving comes with the fastest level; the default level
// takes a further 3–4% of the original size off for 1.7–2.7 times the CPU,
// and CPU is what is short: the server has 2 shared cores and a 20 ms budget
// for the board page.
const gzipLevel = gzip.BestSpeed

// gzipTypes are the media types worth compressing. text/javascript is here
// besides application/javascript because Go's MIME table serves .js files
// as text/javascript.
var gzipTypes = map[string]bool{
	"text/html":              true,
	"text/plain":             true,
	"text/css":               true,
	"text/javascript":        true,
	"application/javascript": true,
	"application/json":       true,
	"image/svg+xml":          true,
}

var gzipWriters = newGzipPool(gzipLevel)

func newGzipPool(level int) *sync.Pool {
	return &sync.Pool{New: func() any {
		zw, err := gzip.NewWriterLevel(io.Discard, level)
		if err != nil {
			panic(err) // only for an invalid level, a programming error
		}
		return zw
	}}
}

// Compress gzips text responses (HTML, JSON, CSS, JavaScript, SVG, plain
// text) of at least 1 KB for clients whose Accept-Encoding allows gzip. It
// leaves alone HEAD requests, Range requests, bodiless statuses (204, 304),
// partial content and responses that already carry a Content-Encoding. The
// first bytes are buffered to decide; a compressed response loses its
// Content-Length and Accept-Ranges and its ETag turns weak. Flush sends what
// is buffered, and http.ResponseController reaches the wrapped writer
// through Unwrap.
func Compress(h http.Handler) http.Handler { return &gzipHandler{h: h, pool: gzipWriters} }

type gzipHandler struct {
	h    http.Handler
	pool *sync.Pool
}

func (gh *gzipHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	gw := &gzipWriter{
		ResponseWriter: w,
		pool:           gh.pool,
		allowed: r.Method != http.MethodHead && r.Header.Get("Range") == "" &&
			acceptsGzip(r.Header.Values("Accept-Encoding")),
	}
	gh.h.ServeHTTP(gw, r)
	gw.close()
}

// The states of a gzipWriter: nothing written yet; status kept and the first
// bytes buffered; passing through unchanged; compressing.
const (
	gzStart = iota
	gzBuffering
	gzPlain
	gzCompressing
)

// gzipWriter holds back the status and the first bytes until it knows the
// body's type and whether it reaches gzipMinSize.
type gzipWriter struct {
	http.ResponseWriter
	pool    *sync.Pool
	allowed bool // the request lets the response be compressed
	state   int
	status  int
	buf     []byte
	zw      *gzip.Writer
}

// Unwrap lets http.ResponseController reach the wrapped writer (deadlines,
// hijacking).
func (gw *gzipWriter) Unwrap() http.ResponseWriter { return gw.ResponseWriter }

func (gw *gzipWriter) WriteHeader(code int) {
	if gw.state != gzStart {
		if gw.state != gzBuffering {
			gw.ResponseWriter.WriteHeader(code) // superfluous; net/http logs it
		}
		return
	}
	if code >= 100 && code <= 199 && code != http.StatusSwitchingProtocols {
		gw.ResponseWriter.WriteHeader(code) // informational: the final status follows
		return
	}
	gw.status = code
	h := gw.Header()
	ct, typed := h["Content-Type"]
	switch {
	case !gw.allowed || !bodyAllowed(code) || code == http.StatusPartialContent || h.Get("Content-Encoding") != "":
		if typed && h.Get("Content-Encoding") == "" {
			gw.vary(ct)
		}
		gw.passThrough()
	case !typed:
		gw.state = gzBuffering // sniff the type from the first bytes, as net/http would
	case !gzipTypes[mediaType(ct)]:
		gw.passThrough()
	default:
		gw.vary(ct)
		if n, err := strconv.ParseInt(h.Get("Content-Length"), 10, 64); err == nil {
			if n < gzipMinSize {
				gw.passThrough()
			} else {
				gw.startGzip()
			}
			return
		}
		gw.state = gzBuffering
	}
}

func (gw *gzipWriter) Write(b []byte) (int, error) {
	if gw.state == gzStart {
		gw.WriteHeader(http.StatusOK)
	}
	if gw.state == gzBuffering {
		if len(gw.buf)+len(b) < gzipMinSize {
			gw.buf = append(gw.buf, b...)
			return len(b), nil
		}
		if err := gw.decide(b, true); err != nil {
			return 0, err
		}
	}
	if gw.state == gzCompressing {
		return gw.zw.Write(b)
	}
	return gw.ResponseWriter.Write(b)
}

// Flush sends what is buffered (uncompressed if it is under gzipMinSize) and
// flushes the wrapped writer.
func (gw *gzipWriter) Flush() { _ = gw.FlushError() }

// FlushError is Flush for http.ResponseController; it returns
// http.ErrNotSupported when the wrapped writer cannot flush.
func (gw *gzipWriter) FlushError() error {
	if gw.state == gzStart {
		gw.WriteHeader(http.StatusOK)
	}
	if gw.state == gzBuffering {
		if err := gw.decide(nil, false); err != nil {
			return err
		}
	}
	if gw.state == gzCompressing {
		if err := gw.zw.Flush(); err != nil {
			return err
		}
	}
	return http.NewResponseController(gw.ResponseWriter).Flush()
}

// close finishes the response once the handler has returned.
func (gw *gzipWriter) close() {
	switch gw.state {
	case gzBuffering:
		_ = gw.decide(nil, false)
	case gzCompressing:
		_ = gw.zw.Close()
		gw.zw.Reset(io.Discard)
		gw.pool.Put(gw.zw)
		gw.zw = nil
	}
}

// decide ends buffering: next is the write that is about to follow the
// buffer, big whether the body reaches gzipMinSize.
func (gw *gzipWriter) decide(next []byte, big bool) error {
	h := gw.Header()
	if _, typed := h["Content-Type"]; !typed {
		sample := gw.buf
		if len(sample) < 512 && len(next) > 0 {
			sample = append(sample[:len(sample):len(sample)], next[:min(len(next), 512-len(sample))]...)
		}
		h.Set("Content-Type", http.DetectContentType(sample))
		if !gzipTypes[mediaType(h["Content-Type"])] {
			big = false
		} else {
			gw.vary(h["Content-Type"])
		}
	}
	if big {
		gw.startGzip()
	} else {
		gw.passThrough()
	}
	buf := gw.buf
	gw.buf = nil
	if len(buf) == 0 {
		return nil
	}
	var err error
	if gw.state == gzCompressing {
		_, err = gw.zw.Write(buf)
	} else {
		_, err = gw.ResponseWriter.Write(buf)
	}
	return err
}

func (gw *gzipWriter) passThrough() {
	gw.state = gzPlain
	gw.ResponseWriter.WriteHeader(gw.status)
}

func (gw *gzipWriter) startGzip() {
	h := gw.Header()
	h.Del("Content-Length")
	h.Del("Accept-Ranges") // ranges would count the compressed bytes
	if etag := h.Get("ETag"); strings.HasPrefix(etag, `"`) {
		h.Set("ETag", "W/"+etag) // a strong tag names the identity body's bytes
	}
	h.Set("Content-Encoding", "gzip")
	gw.state = gzCompressing
	gw.ResponseWriter.WriteHeader(gw.status)
	gw.zw = gw.pool.Get().(*gzip.Writer)
	gw.zw.Reset(gw.ResponseWriter)
}

// vary records that a response of type ct depends on Accept-Encoding, once.
func (gw *gzipWriter) vary(ct []string) {
	if !gzipTypes[mediaType(ct)] {
		return
	}
	h := gw.Header()
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if f = strings.TrimSpace(f); f == "*" || strings.EqualFold(f, "Accept-Encoding") {
				return
			}
		}
	}
	h.Add("Vary", "Accept-Encoding")
}

// mediaType is the lower-cased type of a Content-Type header, without
// parameters.
func mediaType(ct []string) string {
	if len(ct) == 0 {
		return ""
	}
	t, _, _ := strings.Cut(ct[0], ";")
	return strings.ToLower(strings.TrimSpace(t))
}

// bodyAllowed reports whether a response with this status may have a body.
func bodyAllowed(code int) bool {
	return (code < 100 || code > 199) && code != http.StatusNoContent && code != http.StatusNotModified
}

// acceptsGzip reports whether Accept-Encoding values allow gzip: "gzip" (or
// its alias "x-gzip") with a non-zero q, or "*" with a non-zero q when gzip
// is not named.
func acceptsGzip(values []string) bool {
	gzipQ, starQ := -1.0, -1.0
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			name, params, _ := strings.Cut(part, ";")
			q := 1.0
			for _, p := range strings.Split(params, ";") {
				k, val, ok := strings.Cut(p, "=")
				if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
					f, err := strconv.ParseFloat(strings.TrimSpace(val), 64)
					if err != nil {
						f = 0
					}
					q = f
				}
			}
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "gzip", "x-gzip":
				gzipQ = max(gzipQ, q)
			case "*":
				starQ = max(starQ, q)
			}
		}
	}
	if gzipQ >= 0 {
		return gzipQ > 0
	}
	return starQ > 0
}
