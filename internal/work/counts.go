package work

import (
	"context"
	"encoding/json"
	"strconv"
	"sync"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
)

// A page of the register shows its total, and counting a filter over a
// township's fifty thousand tasks costs more than reading the page itself
// (about 6 ms on SQLite, from the deadline index alone). Totals are kept,
// per scope, filter and day, against the register's version: a trigger
// bumps task_versions for every insert, update and delete of a task
// (migration 028), so a kept total is used only while no task of the scope
// has changed since, whichever instance changed it.

// countKey names one kept total.
type countKey struct {
	scope   int64  // the caller's unit; 0 for the root (every township)
	filter  string // the filter, written out
	day     string // lights and overdue turn with the date in Beijing
	version int64  // the scope's register version when counted
}

// countCache keeps totals; its zero value is ready. It forgets everything
// when full rather than track use: totals are cheap to count again.
type countCache struct {
	mu     sync.Mutex
	counts map[countKey]int
}

// maxCounts bounds the totals kept.
const maxCounts = 4096

func (c *countCache) get(k countKey) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.counts[k]
	return n, ok
}

func (c *countCache) put(k countKey, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || len(c.counts) >= maxCounts {
		c.counts = map[countKey]int{}
	}
	c.counts[k] = n
}

// countKeyOf is the key of a total for a caller who sees whole townships
// (a township or the root), and whether totals of this scope are kept:
// for a scope inside a township (a village, a department) the count runs
// over that unit's few tasks and its co-units, and is not.
func (s *Store) countKeyOf(ctx context.Context, sc *org.Scope, f Filter) (countKey, bool, error) {
	k, keep, err := s.countKeyBase(ctx, sc, f)
	if err != nil || !keep {
		return k, keep, err
	}
	if err := s.DB.QueryRowContext(ctx, `SELECT `+versionSQL(sc)).Scan(&k.version); err != nil {
		return countKey{}, false, platform.Internalf("task register version: %w", err)
	}
	return k, true, nil
}

// countKeyBase is countKeyOf without the register's version, for a caller
// reading it in a query of its own (Tasks).
func (s *Store) countKeyBase(ctx context.Context, sc *org.Scope, f Filter) (countKey, bool, error) {
	if !sc.WholeTownships(0) {
		return countKey{}, false, nil
	}
	k := countKey{filter: f.key(), day: clock.Today(s.now()).Format(clock.DateFormat)}
	if f.Light != nil {
		// A light turns with the townships' 临期 windows too.
		win, err := s.dueWindows(ctx)
		if err != nil {
			return countKey{}, false, err
		}
		b, _ := json.Marshal(win)
		k.filter += string(b)
	}
	if sc.User.UnitPath != "/" {
		k.scope = sc.User.UnitID
	}
	return k, true, nil
}

// versionSQL is the scalar SQL of the register's version for the caller's
// scope: a township's, or the sum of all at the root (0 before any task).
func versionSQL(sc *org.Scope) string {
	if sc.User.UnitPath == "/" {
		return `(SELECT COALESCE(SUM(version), 0) FROM task_versions)`
	}
	return `COALESCE((SELECT version FROM task_versions WHERE township_id = ` + strconv.FormatInt(sc.User.UnitID, 10) + `), 0)`
}

// key writes the filter out, every field by value (a new field is in it
// without a word here), so two filters share a key only when they select
// the same tasks.
func (f Filter) key() string {
	b, err := json.Marshal(f)
	if err != nil {
		panic(err) // a Filter of strings, flags and numbers always encodes
	}
	return string(b)
}
