package targets

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
)

// UnitScore is a unit's standing from its own targets: how many of each
// light, a score and the unit's light.
type UnitScore struct {
	UnitID   int64   `json:"unit_id"`
	UnitName string  `json:"unit_name"`
	Kind     string  `json:"kind"`
	Targets  int     `json:"targets"`
	Counts   Counts  `json:"counts"`
	Score    float64 `json:"score"` // 0–120: 100 means exactly on schedule
	Light    Light   `json:"light"`
}

// scheduleRatio is how far along a target is against where it should be:
// 1 on schedule, below 1 behind, capped at 1.2 so one runaway target cannot
// hide others. ok is false when the target cannot be judged yet.
func scheduleRatio(r Row) (float64, bool) {
	p := r.Progress
	if p.Light == LightNone {
		return 0, false
	}
	var ratio float64
	switch {
	case r.Kind == KindGrowth:
		if p.YoYGrowth == nil {
			return 0, false
		}
		ratio = (1 + *p.YoYGrowth) / (1 + r.Value/100)
		if r.Indicator.Direction == Lower {
			ratio = 1 / ratio
		}
	case r.Indicator.Direction == Lower:
		allowed := r.Value * p.ExpectedShare
		if r.Actual == nil || *r.Actual <= 0 {
			ratio = 1.2
		} else {
			ratio = allowed / *r.Actual
		}
	default:
		if p.Completion == nil || p.ExpectedShare <= 0 {
			return 0, false
		}
		ratio = *p.Completion / p.ExpectedShare
	}
	if math.IsNaN(ratio) || math.IsInf(ratio, 0) {
		return 0, false
	}
	return math.Max(0, math.Min(ratio, 1.2)), true
}

// Score weighs a unit's own targets: the weighted mean of their schedule
// ratios × 100, and the unit's light, which is the worst light among them
// (a unit is green only when every judged target is).
func Score(rows []Row) (score float64, light Light, counts Counts) {
	var sum, weights float64
	lights := make([]Light, 0, len(rows))
	for _, r := range rows {
		lights = append(lights, r.Progress.Light)
		ratio, ok := scheduleRatio(r)
		if !ok {
			continue
		}
		w := r.Weight
		if w <= 0 {
			w = 1
		}
		sum += ratio * w
		weights += w
	}
	counts = Tally(lights)
	switch {
	case counts.Red > 0:
		light = Red
	case counts.Yellow > 0:
		light = Yellow
	case counts.Green > 0:
		light = Green
	}
	if weights > 0 {
		score = math.Round(sum/weights*1000) / 10
	}
	return score, light, counts
}

// Board is what the campaign board shows for one unit (a township, or a
// district): its own targets with their progress, the light counts, its
// units ranked from the most behind, and the viewer's own targets.
type Board struct {
	UnitID   int64
	UnitName string
	UnitKind string
	Year     int
	AsOf     string // the latest period among the unit's own figures
	Rows     []Row
	Counts   Counts
	Units    []UnitScore // direct child units with targets, most behind first
	Mine     []Row
}

// Board assembles the board of a unit in the caller's scope.
func (s *Store) Board(ctx context.Context, unitID int64, year int) (*Board, error) {
	bs, err := s.Boards(ctx, year, unitID)
	if err != nil {
		return nil, err
	}
	return bs[0], nil
}

// Boards assembles the boards of several units in the caller's scope from one
// reading of the targets and figures, in the order asked: a district's page
// shows the district's league of townships and one township's board. A unit
// outside the caller's scope is ErrNotFound.
func (s *Store) Boards(ctx context.Context, year int, unitIDs ...int64) ([]*Board, error) {
	u, err := auth.Caller(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.units(ctx, s.DB, u)
	if err != nil {
		return nil, err
	}
	homes := make([]unitInfo, len(unitIDs))
	for i, id := range unitIDs {
		home, ok := units[id]
		if !ok || !u.InScope(home.Path) {
			return nil, platform.ErrNotFound
		}
		homes[i] = home
	}
	all, err := s.loadRows(ctx, u, year)
	if err != nil {
		return nil, err
	}
	if err := s.evaluate(ctx, all, units, year); err != nil {
		return nil, err
	}
	out := make([]*Board, len(homes))
	for i, home := range homes {
		out[i] = assemble(home, units, all, u, year)
	}
	return out, nil
}

// BoardSeries returns, for every target a unit owns itself (not its people's),
// the current figure of each month of the year, for the board's charts: index
// 0 is January, nil where there is none. Each figure carries what a chart
// draws (id, target, period, value, last year's value); who entered it and
// why are in History. One query reads them all. A unit outside the caller's
// scope is ErrNotFound.
func (s *Store) BoardSeries(ctx context.Context, unitID int64, year int) (map[int64][12]*Figure, error) {
	u, err := auth.Caller(ctx)
	if err != nil {
		return nil, err
	}
	var path string
	err = s.DB.QueryRowContext(ctx, `SELECT path FROM units WHERE id = $1`, unitID).Scan(&path)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !u.InScope(path)) {
		return nil, platform.ErrNotFound
	}
	if err != nil {
		return nil, platform.Internalf("board series unit %d: %w", unitID, err)
	}
	// Driven from the unit's targets, then each target's figures by index (a
	// figure's year is always its target's); the latest entry of a period is
	// picked below, without a sort. The month comes as a number: thousands of
	// period strings cost more to read than to write again.
	rows, err := s.DB.QueryContext(ctx, `SELECT f.id, f.target_id, CAST(substr(f.period, 6, 2) AS INTEGER), f.value, f.last_year_value
		FROM targets t JOIN figures f ON f.target_id = t.id
		WHERE t.unit_id = $1 AND t.year = $2 AND t.person_id IS NULL`, unitID, year)
	if err != nil {
		return nil, platform.Internalf("board series: %w", err)
	}
	defer rows.Close()
	var periods [12]string
	for m := range periods {
		periods[m] = Period(year, m+1)
	}
	out := map[int64][12]*Figure{}
	var block []Figure // figures are allocated a block at a time
	for rows.Next() {
		if len(block) == cap(block) {
			block = make([]Figure, 0, 512)
		}
		block = append(block, Figure{})
		f := &block[len(block)-1]
		var m int
		var ly sql.NullFloat64
		if err := rows.Scan(&f.ID, &f.TargetID, &m, &f.Value, &ly); err != nil {
			return nil, platform.Internalf("board series scan: %w", err)
		}
		if m < 1 || m > 12 {
			continue
		}
		f.Period = periods[m-1]
		if ly.Valid {
			v := ly.Float64
			f.LastYear = &v
		}
		series := out[f.TargetID]
		if cur := series[m-1]; cur == nil || cur.ID < f.ID { // a correction wins
			series[m-1] = f
			out[f.TargetID] = series
		}
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("board series: %w", err)
	}
	return out, nil
}

func assemble(home unitInfo, units map[int64]unitInfo, all []Row, u *auth.User, year int) *Board {
	b := &Board{UnitID: home.ID, UnitName: home.Name, UnitKind: home.Kind, Year: year}
	// The rows of each direct child unit, by index: a district's board scores
	// thousands of them, and copying each into a growing list costs more
	// than scoring it.
	byChild := map[int64][]int{}
	for id, un := range units {
		if id != home.ID && parentID(un.Path) == home.ID {
			byChild[id] = nil
		}
	}
	for i := range all {
		r := &all[i]
		if !strings.HasPrefix(r.UnitPath, home.Path) {
			continue
		}
		if r.UnitID == home.ID && r.PersonID == nil {
			b.Rows = append(b.Rows, *r)
			if r.Period > b.AsOf {
				b.AsOf = r.Period
			}
		}
		if rows, ok := byChild[r.UnitID]; ok && r.PersonID == nil {
			byChild[r.UnitID] = append(rows, i)
		}
		if (u.PersonID != nil && r.PersonID != nil && *r.PersonID == *u.PersonID) ||
			(u.UnitID != home.ID && r.UnitID == u.UnitID && r.PersonID == nil) {
			b.Mine = append(b.Mine, *r)
		}
	}
	lights := make([]Light, len(b.Rows))
	for i, r := range b.Rows {
		lights[i] = r.Progress.Light
	}
	b.Counts = Tally(lights)
	var buf []Row
	for id, idx := range byChild {
		if len(idx) == 0 {
			continue
		}
		buf = buf[:0]
		for _, i := range idx {
			buf = append(buf, all[i])
		}
		un := units[id]
		score, light, counts := Score(buf)
		b.Units = append(b.Units, UnitScore{UnitID: id, UnitName: un.Name, Kind: un.Kind, Targets: len(idx), Counts: counts, Score: score, Light: light})
	}
	sort.Slice(b.Units, func(i, j int) bool {
		a, c := b.Units[i], b.Units[j]
		if a.Counts.Red != c.Counts.Red {
			return a.Counts.Red > c.Counts.Red
		}
		if a.Score != c.Score {
			return a.Score < c.Score
		}
		return a.UnitName < c.UnitName
	})
	return b
}

// parentID reads the parent's id from a unit path "/1/4/9/" → 4.
func parentID(path string) int64 {
	segs := strings.Split(strings.Trim(path, "/"), "/")
	if len(segs) < 2 {
		return 0
	}
	var id int64
	for _, c := range segs[len(segs)-2] {
		id = id*10 + int64(c-'0')
	}
	return id
}
