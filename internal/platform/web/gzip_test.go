package web

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// text returns n bytes of compressible text.
func sampleText(n int) []byte {
	return bytes.Repeat([]byte("序时进度 schedule 67.6%\n"), n/28+1)[:n]
}

// serveBody returns a handler that sets ct (unless empty), then status
// (unless 0), then writes body in one call.
func serveBody(ct string, status int, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		if status != 0 {
			w.WriteHeader(status)
		}
		w.Write(body)
	}
}

// gunzipBody returns the response body, gunzipped when it says it is gzip.
func gunzipBody(tb testing.TB, res *http.Response) []byte {
	tb.Helper()
	var rd io.Reader = res.Body
	if res.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(res.Body)
		if err != nil {
			tb.Fatalf("gzip.NewReader: %v", err)
		}
		rd = zr
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		tb.Fatalf("reading the body: %v", err)
	}
	return b
}

func variesOnEncoding(h http.Header) bool {
	for _, v := range h.Values("Vary") {
		for _, f := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), "Accept-Encoding") {
				return true
			}
		}
	}
	return false
}

func TestCompress(t *testing.T) {
	big, small := sampleText(4000), sampleText(200)
	html := "text/html; charset=utf-8"
	modTime := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		method   string            // GET when empty
		header   map[string]string // request headers; Accept-Encoding: gzip when nil
		h        http.HandlerFunc
		status   int    // 200 when 0
		body     []byte // the body the client must read after decoding
		gzip     bool   // the response must be gzip-encoded
		vary     bool   // the response must carry Vary: Accept-Encoding
		wantType string // the Content-Type the response must carry, when set
		wantETag string // the ETag the response must carry, when set
	}{
		{name: "html", h: serveBody(html, 0, big), body: big, gzip: true, vary: true},
		{name: "json", h: serveBody("application/json; charset=utf-8", 0, big), body: big, gzip: true, vary: true},
		{name: "css", h: serveBody("text/css; charset=utf-8", 0, big), body: big, gzip: true, vary: true},
		{name: "application/javascript", h: serveBody("application/javascript; charset=utf-8", 0, big), body: big, gzip: true, vary: true},
		{name: "text/javascript (Go's type for .js)", h: serveBody("text/javascript; charset=utf-8", 0, big), body: big, gzip: true, vary: true},
		{name: "svg", h: serveBody("image/svg+xml", 0, big), body: big, gzip: true, vary: true},
		{name: "plain text", h: serveBody("text/plain; charset=utf-8", 0, big), body: big, gzip: true, vary: true},
		{name: "upper-case type", h: serveBody("Text/HTML", 0, big), body: big, gzip: true, vary: true},
		{name: "png is not compressed", h: serveBody("image/png", 0, big), body: big},
		{name: "xlsx is not compressed", h: serveBody("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", 0, big), body: big},
		{name: "small body", h: serveBody(html, 0, small), body: small, vary: true},
		{name: "one byte under the threshold", h: serveBody(html, 0, sampleText(gzipMinSize-1)), body: sampleText(gzipMinSize - 1), vary: true},
		{name: "at the threshold", h: serveBody(html, 0, sampleText(gzipMinSize)), body: sampleText(gzipMinSize), gzip: true, vary: true},
		{name: "empty body", h: func(w http.ResponseWriter, r *http.Request) {}, body: []byte{}},
		{name: "many small writes", h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", html)
			for i := 0; i < len(big); i += 100 {
				w.Write(big[i:min(i+100, len(big))])
			}
		}, body: big, gzip: true, vary: true},
		{name: "error status keeps its code", h: serveBody(html, http.StatusNotFound, big), status: http.StatusNotFound, body: big, gzip: true, vary: true},
		{name: "created JSON", h: serveBody("application/json", http.StatusCreated, big), status: http.StatusCreated, body: big, gzip: true, vary: true},
		{name: "204", h: serveBody(html, http.StatusNoContent, nil), status: http.StatusNoContent, body: []byte{}, vary: true},
		{name: "304", h: serveBody(html, http.StatusNotModified, nil), status: http.StatusNotModified, body: []byte{}, vary: true},
		{name: "no Accept-Encoding", header: map[string]string{}, h: serveBody(html, 0, big), body: big, vary: true},
		{name: "identity only", header: map[string]string{"Accept-Encoding": "identity"}, h: serveBody(html, 0, big), body: big, vary: true},
		{name: "gzip;q=0", header: map[string]string{"Accept-Encoding": "gzip;q=0, br"}, h: serveBody(html, 0, big), body: big, vary: true},
		{name: "br, gzip;q=0.5", header: map[string]string{"Accept-Encoding": "br, gzip;q=0.5"}, h: serveBody(html, 0, big), body: big, gzip: true, vary: true},
		{name: "star", header: map[string]string{"Accept-Encoding": "*"}, h: serveBody(html, 0, big), body: big, gzip: true, vary: true},
		{name: "HEAD", method: http.MethodHead, h: serveBody(html, 0, big), body: big, vary: true},
		{name: "Range request", header: map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-99"},
			h: func(w http.ResponseWriter, r *http.Request) {
				http.ServeContent(w, r, "page.html", modTime, bytes.NewReader(big))
			}, status: http.StatusPartialContent, body: big[:100], vary: true},
		{name: "Range request, ranges ignored", header: map[string]string{"Accept-Encoding": "gzip", "Range": "bytes=0-99"},
			h: serveBody(html, 0, big), body: big, vary: true},
		{name: "partial content", h: serveBody(html, http.StatusPartialContent, big), status: http.StatusPartialContent, body: big, vary: true},
		{name: "ServeContent without Range", h: func(w http.ResponseWriter, r *http.Request) {
			http.ServeContent(w, r, "page.html", modTime, bytes.NewReader(big))
		}, body: big, gzip: true, vary: true},
		{name: "already encoded", h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", html)
			w.Header().Set("Content-Encoding", "br")
			w.Write(big)
		}, body: big},
		{name: "large Content-Length", h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", html)
			w.Header().Set("Content-Length", strconv.Itoa(len(big)))
			w.Write(big[:10]) // decided before the first byte
			w.Write(big[10:])
		}, body: big, gzip: true, vary: true},
		{name: "small Content-Length", h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", html)
			w.Header().Set("Content-Length", strconv.Itoa(len(small)))
			w.Write(small)
		}, body: small, vary: true},
		{name: "sniffed HTML", h: serveBody("", 0, append([]byte("<!doctype html><p>"), big...)),
			body: append([]byte("<!doctype html><p>"), big...), gzip: true, vary: true, wantType: "text/html; charset=utf-8"},
		{name: "sniffed binary", h: serveBody("", 0, append([]byte{0, 1, 2, 3}, big...)),
			body: append([]byte{0, 1, 2, 3}, big...), wantType: "application/octet-stream"},
		{name: "sniffed small", h: serveBody("", 0, []byte("<!doctype html><p>hi")), body: []byte("<!doctype html><p>hi"),
			vary: true, wantType: "text/html; charset=utf-8"},
		{name: "strong ETag weakened", h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", html)
			w.Header().Set("ETag", `"v1"`)
			w.Write(big)
		}, body: big, gzip: true, vary: true, wantETag: `W/"v1"`},
		{name: "ETag kept when not compressed", header: map[string]string{}, h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", html)
			w.Header().Set("ETag", `"v1"`)
			w.Write(big)
		}, body: big, vary: true, wantETag: `"v1"`},
		{name: "Vary kept", h: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", html)
			w.Header().Set("Vary", "Cookie")
			w.Write(big)
		}, body: big, gzip: true, vary: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			method := tc.method
			if method == "" {
				method = http.MethodGet
			}
			req := httptest.NewRequest(method, "/page", nil)
			if tc.header == nil {
				req.Header.Set("Accept-Encoding", "gzip")
			}
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			rec := httptest.NewRecorder()
			Compress(tc.h).ServeHTTP(rec, req)
			res := rec.Result()

			wantStatus := tc.status
			if wantStatus == 0 {
				wantStatus = http.StatusOK
			}
			if got := res.StatusCode; got != wantStatus {
				t.Errorf("status = %d, want %d", got, wantStatus)
			}
			if got := res.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
				t.Errorf("gzip-encoded = %v, want %v (headers %v)", got, tc.gzip, res.Header)
			}
			if got := variesOnEncoding(res.Header); got != tc.vary {
				t.Errorf("Vary: Accept-Encoding = %v, want %v (Vary %q)", got, tc.vary, res.Header.Values("Vary"))
			}
			if tc.gzip {
				if cl := res.Header.Get("Content-Length"); cl != "" {
					t.Errorf("Content-Length = %s on a compressed response, want none", cl)
				}
				if ar := res.Header.Get("Accept-Ranges"); ar != "" {
					t.Errorf("Accept-Ranges = %s on a compressed response, want none", ar)
				}
				if tc.name == "Vary kept" && !strings.Contains(strings.Join(res.Header.Values("Vary"), ","), "Cookie") {
					t.Errorf("Vary = %q, want Cookie kept", res.Header.Values("Vary"))
				}
			}
			if tc.wantType != "" {
				if got := res.Header.Get("Content-Type"); got != tc.wantType {
					t.Errorf("Content-Type = %q, want %q", got, tc.wantType)
				}
			}
			if tc.wantETag != "" {
				if got := res.Header.Get("ETag"); got != tc.wantETag {
					t.Errorf("ETag = %q, want %q", got, tc.wantETag)
				}
			}
			if got := gunzipBody(t, res); !bytes.Equal(got, tc.body) {
				t.Errorf("gunzipBody body: %d bytes, want the %d bytes written", len(got), len(tc.body))
			}
		})
	}
}

func TestAcceptsGzip(t *testing.T) {
	cases := []struct {
		values []string
		want   bool
	}{
		{nil, false},
		{[]string{""}, false},
		{[]string{"gzip"}, true},
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"gzip, deflate, br, zstd"}, true},
		{[]string{"br", "gzip"}, true},
		{[]string{"br;q=1.0, gzip;q=0.8, *;q=0.1"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000"}, false},
		{[]string{"gzip;q=bogus"}, false},
		{[]string{"deflate, br"}, false},
		{[]string{"identity"}, false},
		{[]string{"*"}, true},
		{[]string{"*;q=0"}, false},
		{[]string{"*, gzip;q=0"}, false},
		{[]string{"gzip;q=0, *"}, false},
		{[]string{"gzipped"}, false},
	}
	for _, tc := range cases {
		if got := acceptsGzip(tc.values); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.values, got, tc.want)
		}
	}
}

// rawClient is a client that asks for gzip itself and leaves the body as
// it came, so the tests see the encoding.
func rawClient() *http.Client {
	return &http.Client{Transport: &http.Transport{DisableCompression: true}, Timeout: 10 * time.Second}
}

func getGzip(tb testing.TB, url string) *http.Response {
	tb.Helper()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	res, err := rawClient().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { res.Body.Close() })
	return res
}

// TestCompressServer runs the middleware behind a real server, through
// net/http's own response writer and a client that decompresses by itself.
func TestCompressServer(t *testing.T) {
	big := sampleText(50_000)
	srv := httptest.NewServer(Compress(serveBody("text/html; charset=utf-8", 0, big)))
	defer srv.Close()

	res := getGzip(t, srv.URL)
	if got := res.Header.Get("Content-Encoding"); got != "gzip" {
		t.Fatalf("Content-Encoding = %q, want gzip", got)
	}
	if got := gunzipBody(t, res); !bytes.Equal(got, big) {
		t.Errorf("gunzipBody body: %d bytes, want %d", len(got), len(big))
	}

	res, err := http.Get(srv.URL) // the default transport asks for gzip and decodes
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Uncompressed || !bytes.Equal(b, big) {
		t.Errorf("default client: uncompressed %v, %d bytes, want true and %d bytes", res.Uncompressed, len(b), len(big))
	}
}

// TestCompressFlush checks that a flushed part of a compressed body reaches
// the client before the handler goes on.
func TestCompressFlush(t *testing.T) {
	first, second := sampleText(3000), sampleText(5000)
	for _, tc := range []struct {
		name  string
		first []byte
		gzip  bool
	}{
		{"compressed", first, true},
		{"flushed before the threshold", first[:100], false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			read := make(chan struct{})
			flushed := make(chan error, 1)
			srv := httptest.NewServer(Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.Write(tc.first)
				f, ok := w.(http.Flusher)
				if !ok {
					flushed <- fmt.Errorf("the writer is not an http.Flusher")
					return
				}
				f.Flush()
				flushed <- nil
				select {
				case <-read: // the client has read the first part
				case <-time.After(5 * time.Second):
					return
				}
				w.Write(second)
			})))
			defer srv.Close()

			res := getGzip(t, srv.URL)
			if err := <-flushed; err != nil {
				t.Fatal(err)
			}
			if got := res.Header.Get("Content-Encoding") == "gzip"; got != tc.gzip {
				t.Fatalf("gzip-encoded = %v, want %v", got, tc.gzip)
			}
			var rd io.Reader = res.Body
			if tc.gzip {
				zr, err := gzip.NewReader(res.Body)
				if err != nil {
					t.Fatal(err)
				}
				rd = zr
			}
			got := make([]byte, len(tc.first))
			if _, err := io.ReadFull(rd, got); err != nil {
				t.Fatalf("reading the flushed part: %v", err)
			}
			close(read)
			if !bytes.Equal(got, tc.first) {
				t.Errorf("flushed part differs from what was written")
			}
			rest, err := io.ReadAll(rd)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(rest, second) {
				t.Errorf("rest: %d bytes, want %d", len(rest), len(second))
			}
		})
	}
}

// TestCompressResponseController checks that http.ResponseController gets
// through the middleware: deadlines reach net/http's writer (Unwrap) and
// Flush goes through the gzip stream (FlushError).
func TestCompressResponseController(t *testing.T) {
	body := sampleText(4000)
	errs := make(chan error, 3)
	srv := httptest.NewServer(Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		errs <- rc.SetWriteDeadline(time.Now().Add(5 * time.Second))
		errs <- rc.SetReadDeadline(time.Now().Add(5 * time.Second))
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
		errs <- rc.Flush()
	})))
	defer srv.Close()

	res := getGzip(t, srv.URL)
	for _, what := range []string{"SetWriteDeadline", "SetReadDeadline", "Flush"} {
		if err := <-errs; err != nil {
			t.Errorf("ResponseController.%s: %v", what, err)
		}
	}
	if got := res.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", got)
	}
	if got := gunzipBody(t, res); !bytes.Equal(got, body) {
		t.Errorf("gunzipBody body: %d bytes, want %d", len(got), len(body))
	}
}

// noFlushWriter is a ResponseWriter that cannot flush.
type noFlushWriter struct {
	h    http.Header
	body bytes.Buffer
}

func (w *noFlushWriter) Header() http.Header         { return w.h }
func (w *noFlushWriter) Write(b []byte) (int, error) { return w.body.Write(b) }
func (w *noFlushWriter) WriteHeader(int)             {}

func TestCompressFlushNotSupported(t *testing.T) {
	var got error
	w := &noFlushWriter{h: http.Header{}}
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	Compress(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Write(sampleText(2000))
		got = http.NewResponseController(w).Flush()
	})).ServeHTTP(w, req)
	if !errors.Is(got, http.ErrNotSupported) {
		t.Errorf("Flush on a writer that cannot flush: %v, want http.ErrNotSupported", got)
	}
}

// boardHTML is about n bytes shaped like the board's indicator table:
// repeated markup with Chinese names and varying figures.
func boardHTML(n int) []byte {
	rnd := rand.New(rand.NewPCG(1, 2))
	names := []string{"地区生产总值", "固定资产投资", "工业投资", "规模以上工业增加值", "社会消费品零售总额", "一般公共预算收入", "招商引资到位资金", "实际使用外资"}
	units := []string{"XX镇", "双塘村", "东湖村", "临江镇", "青山镇", "经发办（招商办）", "财政所"}
	lights := []string{"green", "yellow", "red"}
	var b bytes.Buffer
	b.WriteString(`<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>挂图作战</title></head><body><table class="board"><tbody>`)
	for i := 0; b.Len() < n; i++ {
		done, sched := rnd.Float64()*100, rnd.Float64()*100
		fmt.Fprintf(&b, `<tr data-light="%s" data-testid="target-row"><td><a href="/targets/%d">%s</a>`+
			`<div class="progress" title="占年计划 %.1f%% / 序时进度 %.1f%%"><div class="bar %s" style="width: %.1f%%"></div><div class="schedule" style="left: %.1f%%"></div></div></td>`+
			`<td>%s</td><td class="num">增长%.1f%%</td><td>亿元</td><td class="num">%.2f<span class="sub">1-%d月</span></td><td class="num">%.1f%%</td><td class="num gap-behind">%.1f%%</td></tr>`+"\n",
			lights[i%3], i+1, names[rnd.IntN(len(names))], done, sched, lights[i%3], done, sched,
			units[rnd.IntN(len(units))], rnd.Float64()*10, rnd.Float64()*500, 1+rnd.IntN(11), done, done-sched)
	}
	b.WriteString("</tbody></table></body></html>")
	return b.Bytes()
}

// targetsJSON is about n bytes shaped like GET /api/v1/targets.
func targetsJSON(n int) []byte {
	rnd := rand.New(rand.NewPCG(3, 4))
	type target struct {
		ID          int     `json:"id"`
		Year        int     `json:"year"`
		Indicator   string  `json:"indicator"`
		MeasureUnit string  `json:"measure_unit"`
		UnitID      int     `json:"unit_id"`
		Unit        string  `json:"unit"`
		Kind        string  `json:"kind"`
		Target      float64 `json:"target_value"`
		Actual      float64 `json:"actual"`
		Period      string  `json:"period"`
		Expected    float64 `json:"expected_share"`
		Completion  float64 `json:"completion"`
		Gap         float64 `json:"gap"`
		Light       string  `json:"light"`
		Forecast    float64 `json:"forecast"`
	}
	var list []target
	for i := 0; ; i++ {
		list = append(list, target{ID: i + 1, Year: 2026, Indicator: "固定资产投资", MeasureUnit: "亿元", UnitID: 2 + rnd.IntN(10),
			Unit: "XX镇", Kind: "value", Target: rnd.Float64() * 100, Actual: rnd.Float64() * 80,
			Period: fmt.Sprintf("2026-%02d", 1+rnd.IntN(11)), Expected: rnd.Float64(), Completion: rnd.Float64(),
			Gap: rnd.Float64() - 0.5, Light: []string{"green", "yellow", "red"}[i%3], Forecast: rnd.Float64() * 120})
		if b, _ := json.Marshal(map[string]any{"targets": list}); len(b) >= n {
			return b
		}
	}
}

// countingWriter is a ResponseWriter that counts what it is sent.
type countingWriter struct {
	h http.Header
	n int
}

func (w *countingWriter) Header() http.Header         { return w.h }
func (w *countingWriter) Write(b []byte) (int, error) { w.n += len(b); return len(b), nil }
func (w *countingWriter) WriteHeader(int)             {}

// BenchmarkCompress measures the middleware at the two candidate levels; the
// ratio metric is compressed size over original size. See gzipLevel.
//
//	go test -run X -bench Compress ./internal/platform/web/
func BenchmarkCompress(b *testing.B) {
	bodies := []struct {
		name, ct string
		body     []byte
	}{
		{"html-350KB", "text/html; charset=utf-8", boardHTML(350 << 10)},
		{"json-25KB", "application/json; charset=utf-8", targetsJSON(25 << 10)},
	}
	levels := []struct {
		name  string
		level int
	}{{"BestSpeed", gzip.BestSpeed}, {"DefaultCompression", gzip.DefaultCompression}}
	for _, bd := range bodies {
		for _, lv := range levels {
			b.Run(bd.name+"/"+lv.name, func(b *testing.B) {
				h := &gzipHandler{h: serveBody(bd.ct, 0, bd.body), pool: newGzipPool(lv.level)}
				req := httptest.NewRequest(http.MethodGet, "/", nil)
				req.Header.Set("Accept-Encoding", "gzip")
				w := &countingWriter{h: http.Header{}}
				b.SetBytes(int64(len(bd.body)))
				b.ReportAllocs()
				for b.Loop() {
					clear(w.h)
					w.n = 0
					h.ServeHTTP(w, req)
				}
				b.ReportMetric(float64(w.n)/float64(len(bd.body)), "ratio")
			})
		}
	}
}
