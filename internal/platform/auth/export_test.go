package auth

import "testing"

// HoldSlots takes every hashing slot (strangers: only the strangers'
// share) until the returned function releases them.
func HoldSlots(tb testing.TB, strangers bool) func() {
	tb.Helper()
	var held []func()
	n := cap(hashing.all)
	if strangers {
		n = cap(hashing.stranger)
	}
	for i := 0; i < n; i++ {
		release, err := hashing.acquire(tb.Context(), strangers, 0)
		if err != nil {
			tb.Fatal(err)
		}
		held = append(held, release)
	}
	return func() {
		for _, r := range held {
			r()
		}
	}
}
