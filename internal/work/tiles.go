package work

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
)

// Tile is one count of the register the campaign board shows, with the
// list it links to: the count is that list's total, by construction (the
// board counts the link's own filter, parsed as the list parses it).
type Tile struct {
	Key   string // the label's message key
	Count int
	Href  string // the register filtered to exactly these tasks
	Class string // the colour it is drawn in: red, yellow or ""
}

// tileQueries are the board's tiles: open tasks, the overdue and due soon,
// the listed (挂牌督办) still open, the unclaimed past their claim day and
// the periodic reports missed, and the standing cards. A stopped (中止) or
// struck-off (销号) task is in none of them: it is not worked, has no
// light and no card, and the register's status filter finds it.
var tileQueries = []struct{ key, query, class string }{
	{"task.tile.open", "open=1", ""},
	{"task.tile.overdue", "light=overdue", "red"},
	{"task.tile.due", "light=due", "yellow"},
	{"task.tile.listed", "level=listed&open=1", ""},
	{"task.tile.claim", "late=claim", "yellow"},
	{"task.tile.feedback", "late=feedback", "yellow"},
	{"task.tile.yellow", "card=yellow", "yellow"},
	{"task.tile.red", "card=red", "red"},
}

// Tiles counts the board's tiles for unitID. For the caller's own unit
// they count the caller's whole scope, as the register shows it (co-unit
// tasks included); for a unit below, the tasks it leads (the register's
// unit filter), which its link carries.
func (s *Store) Tiles(ctx context.Context, unitID int64) ([]Tile, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Tile, 0, len(tileQueries))
	for _, q := range tileQueries {
		query := q.query
		if unitID != sc.User.UnitID {
			query += "&unit=" + strconv.FormatInt(unitID, 10)
		}
		href := tasksList.Path + "?" + query
		u, err := url.Parse(href)
		if err != nil {
			return nil, err
		}
		l, err := tasksList.Parse(&http.Request{URL: u})
		if err != nil {
			return nil, err
		}
		n, err := s.Count(ctx, listFilter(l))
		if err != nil {
			return nil, err
		}
		out = append(out, Tile{Key: q.key, Count: n, Href: href, Class: q.class})
	}
	return out, nil
}
