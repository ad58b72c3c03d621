package auth

import (
	"net/netip"
	"sync"
	"time"
)

// Rate is a token bucket's shape: Burst attempts at once, then one every
// Every.
type Rate struct {
	Burst int
	Every time.Duration
}

// Default sign-in rates, per process. A stranger's address (one the account has not
// signed in from, or any address trying an unknown login) shares one bucket
// for every login it tries; an address an account has signed in from before
// has a bucket of its own for that account, so a flood from elsewhere, or
// from the same office, does not keep the owner out.
var (
	DefaultStrangerRate = Rate{Burst: 20, Every: 3 * time.Second}
	DefaultKnownRate    = Rate{Burst: 10, Every: time.Minute}
)

// maxBuckets bounds the throttle's memory: past it, buckets that have
// refilled are forgotten (a full bucket is the same as none).
const maxBuckets = 100_000

// throttle is a set of token buckets by key. It lives in memory, so each
// instance counts on its own; the lock-out, in the database, is shared.
type throttle struct {
	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	tokens float64
	at     time.Time
	rate   Rate
}

// take spends one attempt from key's bucket; when it is empty it returns
// false and how long until the next attempt may be made.
func (t *throttle) take(key string, r Rate, now time.Time) (bool, time.Duration) {
	if r.Burst <= 0 || r.Every <= 0 {
		return true, 0 // no limit
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.buckets == nil {
		t.buckets = map[string]*bucket{}
	}
	b := t.buckets[key]
	if b == nil {
		if len(t.buckets) >= maxBuckets {
			t.forget(now)
			if len(t.buckets) >= maxBuckets {
				clear(t.buckets)
			}
		}
		b = &bucket{tokens: float64(r.Burst), at: now, rate: r}
		t.buckets[key] = b
	}
	b.refill(now)
	if b.tokens < 1 {
		return false, time.Duration((1 - b.tokens) * float64(r.Every))
	}
	b.tokens--
	return true, 0
}

func (b *bucket) refill(now time.Time) {
	if d := now.Sub(b.at); d > 0 {
		b.tokens = min(float64(b.rate.Burst), b.tokens+float64(d)/float64(b.rate.Every))
		b.at = now
	}
}

// forget drops the buckets that are full again.
func (t *throttle) forget(now time.Time) {
	for k, b := range t.buckets {
		b.refill(now)
		if b.tokens >= float64(b.rate.Burst) {
			delete(t.buckets, k)
		}
	}
}

// addrKey is the throttle's key for an address: the address itself, or for
// IPv6 its /64, which one machine usually holds whole.
func addrKey(addr string) string {
	a, err := netip.ParseAddr(addr)
	if err != nil || !a.Is6() || a.Is4In6() {
		return addr
	}
	p, _ := a.Prefix(64)
	return p.String()
}
