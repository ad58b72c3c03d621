package board

import (
	"context"
	"encoding/json"
	"html/template"
	"sync"

	"guatu/internal/org"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
)

// The board is read far more often than its figures change: the part every
// viewer of one unit's board sees alike (its table, charts, lights and
// lagging units, in one language) is kept in memory until the targets
// room's version of the unit's townships or the org tree moves on. Every
// instance keeps its own; the versions live in the database, so none serves
// a board older than the data.

// keptMax bounds how many boards an instance keeps.
const keptMax = 512

type keptKey struct {
	unit int64
	year int
	lang i18n.Lang
	part string // "board" or "league"
}

type keptEntry struct {
	version  string
	board    *sharedBoard
	league   *District
	campaign *CampaignPart
}

type cache struct {
	mu      sync.Mutex
	entries map[keptKey]keptEntry
}

func (c *cache) get(k keptKey, version string) (keptEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[k]
	return e, ok && e.version == version
}

func (c *cache) put(k keptKey, e keptEntry) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = map[keptKey]keptEntry{}
	}
	if len(c.entries) >= keptMax {
		for old := range c.entries { // any one: a full cache is rare
			delete(c.entries, old)
			break
		}
	}
	c.entries[k] = e
}

// sharedBoard is the part of a unit's board every viewer sees alike.
type sharedBoard struct {
	UnitID    int64
	UnitName  string
	AsOf      int
	Share     float64
	Counts    targets.Counts
	Late      int
	Lines     []Line
	Table     template.HTML
	Lagging   []targets.UnitScore
	Leaders   []LeaderLine
	Ranked    bool // LeadersShown
	Charts    []Chart
	ChartJSON template.JS

	rows    []targets.Row // the unit's own targets, for the campaign part
	version string        // what the part was kept under
}

// put copies the shared part onto a page.
func (s *sharedBoard) put(p *Page) {
	p.UnitID, p.UnitName, p.AsOf, p.Share, p.Counts, p.Late = s.UnitID, s.UnitName, s.AsOf, s.Share, s.Counts, s.Late
	p.Lines, p.Table, p.Lagging, p.Charts, p.ChartJSON = s.Lines, s.Table, s.Lagging, s.Charts, s.ChartJSON
	p.Leaders, p.LeadersShown = s.Leaders, s.Ranked
}

// shared returns the shared part of unit's board in b's language: kept, or
// made from the targets room and kept.
func (h *Handlers) shared(ctx context.Context, unit int64, year int, b web.Base) (*sharedBoard, error) {
	version, err := h.Targets.BoardVersion(ctx, unit)
	if err != nil {
		return nil, err
	}
	// Which targets are late (未报) turns with the calendar, not the data:
	// a board is kept for one day at most.
	version += "." + clock.Today(h.Targets.Now()).Format(clock.DateFormat)
	// Whether the caller may see the unit is asked anew every time.
	sc, err := h.Org.Scope(ctx)
	if err != nil {
		return nil, err
	}
	if err := sc.Check(ctx, "unit", unit, unit); err != nil {
		return nil, err
	}
	key := keptKey{unit: unit, year: year, lang: b.Lang, part: "board"}
	if e, ok := h.kept.get(key, version); ok {
		return e.board, nil
	}
	var (
		wg     sync.WaitGroup
		series map[int64][12]*targets.Figure
		serr   error
	)
	wg.Add(1)
	// The charts' monthly figures are read while the board is assembled:
	// independent reads on connections of their own.
	go func() { defer wg.Done(); series, serr = h.Targets.BoardSeries(ctx, unit, year) }()
	bd, err := h.Targets.Board(ctx, unit, year)
	wg.Wait()
	if err != nil {
		return nil, err
	}
	if serr != nil {
		return nil, serr
	}
	var p Page
	p.Base = b
	fill(&p, bd, series)
	// 未报 counts the whole subtree's late targets (a village's missing
	// figure is the township's to chase), as the tile's list shows them.
	if p.Late, err = h.Targets.LateCount(ctx, targets.Filter{Year: &year, UnitID: &unit, Subtree: true}); err != nil {
		return nil, err
	}
	data, err := json.Marshal(p.ChartData())
	if err != nil {
		return nil, err
	}
	s := &sharedBoard{UnitID: p.UnitID, UnitName: p.UnitName, AsOf: p.AsOf, Share: p.Share, Counts: p.Counts, Late: p.Late,
		Lines: p.Lines, Table: p.Table, Lagging: p.Lagging, Leaders: p.Leaders, Ranked: p.LeadersShown, Charts: p.Charts, ChartJSON: template.JS(data), rows: bd.Rows, version: version}
	h.kept.put(key, keptEntry{version: version, board: s})
	return s, nil
}

// league returns a district's league of townships, kept like a board.
func (h *Handlers) league(ctx context.Context, district int64, year int, b web.Base, townships []org.Unit) (*District, error) {
	version, err := h.Targets.BoardVersion(ctx, district)
	if err != nil {
		return nil, err
	}
	key := keptKey{unit: district, year: year, lang: b.Lang, part: "league"}
	if e, ok := h.kept.get(key, version); ok {
		return e.league, nil
	}
	bd, err := h.Targets.Board(ctx, district, year)
	if err != nil {
		return nil, err
	}
	d := districtLeague(bd, townships, b.T)
	h.kept.put(key, keptEntry{version: version, league: d})
	return d, nil
}
