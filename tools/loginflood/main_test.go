package main

import (
	"context"
	"net/http"
	"runtime"
	"strings"
	"testing"
)

// TestFlood runs a small flood against the real binary: the server's
// memory stays under 300 MiB, every answer is a refusal (401, or 429/503
// with Retry-After), and the administrator from a known address gets in
// during it. BENCHMARKS.md has the full-size run (1,000 at 200 at a time).
func TestFlood(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("builds and floods the binary; reads /proc")
	}
	res, err := Run(context.Background(), Config{N: 120, C: 40, Sources: 40})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	res.Print(&out)
	t.Log(out.String())
	const limit = 300 << 10 // KiB
	if res.PeakRSS == 0 || res.PeakRSS > limit || res.HWM > limit {
		t.Errorf("peak RSS %d KiB, high-water mark %d KiB: want under 300 MiB", res.PeakRSS, res.HWM)
	}
	for status, n := range res.Statuses {
		switch status {
		case http.StatusUnauthorized, http.StatusTooManyRequests, http.StatusServiceUnavailable:
		default:
			t.Errorf("%d answers with status %d", n, status)
		}
	}
	if got := res.Statuses[http.StatusTooManyRequests] + res.Statuses[http.StatusServiceUnavailable]; got != res.RetryAfters {
		t.Errorf("%d answers 429/503 but %d carried Retry-After", got, res.RetryAfters)
	}
	if res.Known.Status != http.StatusSeeOther || res.Known.Where != "/" {
		t.Errorf("the administrator during the flood: %s, want 303 → /", res.Known)
	}
}
