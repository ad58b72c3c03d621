package target

import (
	"context"
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
	u, err := auth.Caller(ctx)
	if err != nil {
		return nil, err
	}
	units, err := s.units(ctx, s.DB, u)
	if err != nil {
		return nil, err
	}
	home, ok := units[unitID]
	if !ok || !u.InScope(home.Path) {
		return nil, platform.ErrNotFound
	}
	all, err := s.loadRows(ctx, u, year)
	if err != nil {
		return nil, err
	}
	if err := s.evaluate(ctx, all, units, year); err != nil {
		return nil, err
	}
	return assemble(home, units, all, u, year), nil
}

func assemble(home unitInfo, units map[int64]unitInfo, all []Row, u *auth.User, year int) *Board {
	b := &Board{UnitID: home.ID, UnitName: home.Name, UnitKind: home.Kind, Year: year}
	byUnit := map[int64][]Row{}
	for _, r := range all {
		if !strings.HasPrefix(r.UnitPath, home.Path) {
			continue
		}
		if r.UnitID == home.ID && r.PersonID == nil {
			b.Rows = append(b.Rows, r)
			if r.Period > b.AsOf {
				b.AsOf = r.Period
			}
		}
		if r.PersonID == nil {
			byUnit[r.UnitID] = append(byUnit[r.UnitID], r)
		}
		if (u.PersonID != nil && r.PersonID != nil && *r.PersonID == *u.PersonID) ||
			(u.UnitID != home.ID && r.UnitID == u.UnitID && r.PersonID == nil) {
			b.Mine = append(b.Mine, r)
		}
	}
	lights := make([]Light, len(b.Rows))
	for i, r := range b.Rows {
		lights[i] = r.Progress.Light
	}
	b.Counts = Tally(lights)
	for id, rows := range byUnit {
		un := units[id]
		if id == home.ID || parentID(un.Path) != home.ID {
			continue
		}
		score, light, counts := Score(rows)
		b.Units = append(b.Units, UnitScore{UnitID: id, UnitName: un.Name, Kind: un.Kind, Targets: len(rows), Counts: counts, Score: score, Light: light})
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
