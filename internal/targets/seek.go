package targets

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"sync"

	"guatu/internal/platform"
	"guatu/internal/platform/db"
)

// A deep page of a list in the tree's order (page 20 of a township's
// targets, say) is read from its first row on, found by that row's key,
// instead of by LIMIT … OFFSET 950, which makes the database fetch and
// throw away the 950 rows before it: PostgreSQL spent twice as long on
// such a page as on the first. The key of the row at an offset is read
// from the index alone once, and kept until any township's targets move
// (target_versions) or the org tree does; until then every reader of that
// page seeks straight to it.
const (
	seekFrom     = 200  // shallower pages are cheap enough with OFFSET
	pageStartMax = 4096 // keys kept; the lot is dropped when full
)

// pageStart is the sort key of a list's row in the tree's order.
type pageStart struct{ unitRank, indRank, personRank, targetID int64 }

// pageStarts keeps the keys of rows at deep offsets, by the version of the
// data they were read from, the list's filter and the offset.
type pageStarts struct {
	mu sync.Mutex
	m  map[string]pageStart
}

const seekOrder = ` ORDER BY ` + naturalOrder + `, p.target_id`

// seekPage returns the page p of the list where/args (conditions on
// target_progress p) in the tree's order by seeking its first row, and
// false when the page is not one to seek (shallow, or another order) or
// lies past the end.
func (s *Store) seekPage(ctx context.Context, w *db.Where, order string, p db.Pager, read func(query string, args ...any) ([]Row, error)) ([]Row, bool, error) {
	if order != seekOrder || p.Offset() < seekFrom {
		return nil, false, nil
	}
	where, n := w.SQL(), len(w.Args)
	defer func() { w.Args = w.Args[:n] }()
	var sum, count int64
	if err := s.DB.QueryRowContext(ctx, `SELECT COALESCE(SUM(version), 0), COUNT(*) FROM target_versions`).Scan(&sum, &count); err != nil {
		return nil, false, platform.Internalf("targets version: %w", err)
	}
	tree, err := s.org().Tree(ctx)
	if err != nil {
		return nil, false, err
	}
	key := fmt.Sprint(tree.Version, ".", sum, ".", count, "|", where, "|", w.Args, "|", p.Offset())
	start, ok := s.starts.get(key)
	if !ok {
		err := s.DB.QueryRowContext(ctx, `SELECT p.unit_rank, p.ind_rank, p.person_rank, p.target_id FROM target_progress p`+where+seekOrder+
			` LIMIT 1 OFFSET `+w.Next(p.Offset()), w.Args...).Scan(&start.unitRank, &start.indRank, &start.personRank, &start.targetID)
		w.Args = w.Args[:n]
		if errors.Is(err, sql.ErrNoRows) {
			return nil, false, nil
		}
		if err != nil {
			return nil, false, platform.Internalf("page start: %w", err)
		}
		s.starts.put(key, start)
	}
	and := " AND "
	if where == "" {
		and = " WHERE "
	}
	marks := []string{w.Next(start.unitRank), w.Next(start.indRank), w.Next(start.personRank), w.Next(start.targetID)}
	rows, err := read(`SELECT `+progressColumns+` FROM target_progress p`+where+and+
		`(p.unit_rank, p.ind_rank, p.person_rank, p.target_id) >= (`+strings.Join(marks, ", ")+`)`+seekOrder+
		` LIMIT `+w.Next(p.PerPage()), w.Args...)
	return rows, err == nil, err
}

func (c *pageStarts) get(key string) (pageStart, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.m[key]
	return st, ok
}

func (c *pageStarts) put(key string, st pageStart) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= pageStartMax {
		c.m = make(map[string]pageStart)
	}
	c.m[key] = st
}
