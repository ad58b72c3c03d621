// Package clock gives guatu one notion of "now" and of the calendar: Beijing
// time, whatever the server's zone, with the zone data embedded so an intranet
// server without tzdata still gets it right.
package clock

import (
	"sync"
	"time"
	_ "time/tzdata" // intranet servers often lack /usr/share/zoneinfo
)

// Beijing is the zone in which dates and deadlines are read.
var Beijing = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// Clock tells the time. Tests use Fixed.
type Clock interface {
	Now() time.Time
}

// System is the real clock.
type System struct{}

func (System) Now() time.Time { return time.Now() }

// Fixed is a settable clock for tests.
type Fixed struct {
	mu sync.Mutex
	T  time.Time
}

func (f *Fixed) Now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.T }

// Set moves the clock.
func (f *Fixed) Set(t time.Time) { f.mu.Lock(); f.T = t; f.mu.Unlock() }

// Today returns the calendar date of t in Beijing, as midnight in Beijing.
func Today(t time.Time) time.Time {
	y, m, d := t.In(Beijing).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, Beijing)
}

// DateFormat is how calendar dates are stored and shown.
const DateFormat = "2006-01-02"

// ParseDate reads a YYYY-MM-DD calendar date in Beijing.
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation(DateFormat, s, Beijing)
}
