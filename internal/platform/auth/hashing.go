package auth

import (
	"context"
	"runtime"
	"time"
)

// Every argon2id run takes 19 MiB for its duration, so how many run at once
// bounds the memory sign-ins can take: 200 unbounded at once took 3.7 GiB.
// A process has as many hashing slots as cores (two at least, eight at
// most). Sign-ins from addresses an account has not signed in from before
// (strangers, and every unknown login) may hold all slots but one, so a
// flood of them still leaves a slot for a person at their usual desk.
type slots struct {
	all      chan struct{}
	stranger chan struct{}
}

func newSlots(n int) *slots {
	n = max(2, min(n, 8))
	return &slots{all: make(chan struct{}, n), stranger: make(chan struct{}, n-1)}
}

var hashing = newSlots(runtime.GOMAXPROCS(0))

// MaxHashWait is how long a sign-in waits for a hashing slot before it is
// turned away as busy (ErrBusy): long enough to ride out a burst, short
// enough that a flood cannot pile up waiting requests.
const MaxHashWait = 3 * time.Second

// acquire takes a slot, waiting at most wait (0: as long as ctx lives), and
// returns its release, or ErrBusy.
func (s *slots) acquire(ctx context.Context, stranger bool, wait time.Duration) (func(), error) {
	var timeout <-chan time.Time
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		timeout = t.C
	}
	take := func(c chan struct{}) error {
		select {
		case c <- struct{}{}:
			return nil
		case <-timeout:
			return ErrBusy
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if stranger {
		if err := take(s.stranger); err != nil {
			return nil, err
		}
	}
	if err := take(s.all); err != nil {
		if stranger {
			<-s.stranger
		}
		return nil, err
	}
	return func() {
		<-s.all
		if stranger {
			<-s.stranger
		}
	}, nil
}
