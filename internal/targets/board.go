package targets

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strconv"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
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
	// Worst names the indicators of the targets that give the unit its
	// red or yellow light, in the catalogue's order, at most worstNamed: a
	// unit can score above 100 and still be red because of one target.
	Worst []string `json:"worst,omitempty"`
}

// worstNamed is how many of a unit's worst targets its standing names.
const worstNamed = 3

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
	light = worst(counts)
	if weights > 0 {
		score = math.Round(sum/weights*1000) / 10
	}
	return score, light, counts
}

// Board is what the campaign board shows for one unit (a township, or a
// district): its own targets with their progress, the light counts and its
// units ranked from the most behind. What differs per viewer (their own
// targets) is Mine's.
type Board struct {
	UnitID   int64
	UnitName string
	UnitKind string
	Year     int
	AsOf     string // the latest period among the unit's own figures
	Rows     []Row
	Counts   Counts
	Units    []UnitScore // direct child units with targets, most behind first
	// Leaders ranks the leaders in charge of the top-level targets of a
	// township's or a district's subtree, most behind first (leaderScores);
	// nil for any other unit.
	Leaders []LeaderScore
}

// Board assembles the board of a unit in the caller's scope.
func (s *Store) Board(ctx context.Context, unitID int64, year int) (*Board, error) {
	bs, err := s.Boards(ctx, year, unitID)
	if err != nil {
		return nil, err
	}
	return bs[0], nil
}

// Boards assembles the boards of several units in the caller's scope, in
// the order asked, from the kept progress: a district's page shows the
// district's league of townships and one township's board. A unit outside
// the caller's scope is ErrNotFound (and audited).
func (s *Store) Boards(ctx context.Context, year int, unitIDs ...int64) ([]*Board, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]*Board, len(unitIDs))
	for i, id := range unitIDs {
		home, ok := sc.Tree.Unit(id)
		if !ok {
			return nil, platform.ErrNotFound
		}
		if err := sc.Check(ctx, "unit", id, id); err != nil {
			return nil, err
		}
		b := &Board{UnitID: home.ID, UnitName: home.Name, UnitKind: string(home.Kind), Year: year}
		tenant := sc.Tree.TownshipOf(home.ID)
		if b.Rows, err = s.rows(ctx, sc, `SELECT `+progressColumns+` FROM target_progress p
			WHERE p.township_id = $1 AND p.unit_id = $2 AND p.year = $3 AND p.person_rank = 0 ORDER BY `+naturalOrder+`, p.target_id`, tenant, home.ID, year); err != nil {
			return nil, err
		}
		if err := fillChildrenActuals(ctx, s.DB, tenant, b.Rows); err != nil {
			return nil, err
		}
		lights := make([]Light, len(b.Rows))
		for j, r := range b.Rows {
			lights[j] = r.Progress.Light
			b.AsOf = max(b.AsOf, r.StatPeriodOrDay())
		}
		b.Counts = Tally(lights)
		if b.Units, err = s.unitScores(ctx, sc, home, year); err != nil {
			return nil, err
		}
		if home.Kind == org.Township || home.Kind == org.District {
			if b.Leaders, err = s.leaderScores(ctx, sc, home, year); err != nil {
				return nil, err
			}
		}
		out[i] = b
	}
	return out, nil
}

// unitScores scores the direct child units of home by their own targets,
// from the kept ratios, most behind first (see Score: the same rule, read as
// an aggregate so a district's league does not read every target).
func (s *Store) unitScores(ctx context.Context, sc *org.Scope, home org.Unit, year int) ([]UnitScore, error) {
	var kids []int64
	tenants := map[int64]bool{}
	for _, u := range sc.Tree.Units() {
		if u.ParentID != nil && *u.ParentID == home.ID && sc.Has(u.ID) {
			kids = append(kids, u.ID)
			tenants[sc.Tree.TownshipOf(u.ID)] = true
		}
	}
	if len(kids) == 0 {
		return nil, nil
	}
	var tw []int64
	for id := range tenants {
		tw = append(tw, id)
	}
	var w db.Where
	w.In("p.township_id", tw)
	w.In("p.unit_id", kids)
	w.Add("p.year = ?", year)
	w.Add("p.person_rank = 0")
	rows, err := s.DB.QueryContext(ctx, `SELECT p.unit_id, COUNT(*),
		SUM(CASE WHEN p.light = 'green' THEN 1 ELSE 0 END), SUM(CASE WHEN p.light = 'yellow' THEN 1 ELSE 0 END),
		SUM(CASE WHEN p.light = 'red' THEN 1 ELSE 0 END),
		SUM(p.ratio * CASE WHEN p.weight > 0 THEN p.weight ELSE 1 END),
		SUM(CASE WHEN p.ratio IS NULL THEN 0 WHEN p.weight > 0 THEN p.weight ELSE 1 END)
		FROM target_progress p`+w.SQL()+` GROUP BY p.unit_id`, w.Args...)
	if err != nil {
		return nil, platform.Internalf("unit scores: %w", err)
	}
	defer rows.Close()
	var out []UnitScore
	for rows.Next() {
		var us UnitScore
		var sum, weights sql.NullFloat64
		if err := rows.Scan(&us.UnitID, &us.Targets, &us.Counts.Green, &us.Counts.Yellow, &us.Counts.Red, &sum, &weights); err != nil {
			return nil, platform.Internalf("unit scores: %w", err)
		}
		us.Counts.None = us.Targets - us.Counts.Green - us.Counts.Yellow - us.Counts.Red
		if weights.Valid && weights.Float64 > 0 {
			us.Score = math.Round(sum.Float64/weights.Float64*1000) / 10
		}
		us.Light = worst(us.Counts)
		u, _ := sc.Tree.Unit(us.UnitID)
		us.UnitName, us.Kind = u.Name, string(u.Kind)
		out = append(out, us)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("unit scores: %w", err)
	}
	if err := s.nameWorst(ctx, out, w); err != nil {
		return nil, err
	}
	sort.Slice(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if a.Counts.Red != c.Counts.Red {
			return a.Counts.Red > c.Counts.Red
		}
		if a.Score != c.Score {
			return a.Score < c.Score
		}
		return a.UnitName < c.UnitName
	})
	return out, nil
}

// nameWorst fills each red or yellow unit's Worst from the kept progress the
// scores were read from (w: the same filter).
func (s *Store) nameWorst(ctx context.Context, scores []UnitScore, w db.Where) error {
	at := map[int64]int{}
	var units []int64
	for i, us := range scores {
		if us.Light == Red || us.Light == Yellow {
			at[us.UnitID] = i
			units = append(units, us.UnitID)
		}
	}
	if len(units) == 0 {
		return nil
	}
	w.In("p.unit_id", units)
	w.Add("p.light IN ('red', 'yellow')")
	rows, err := s.DB.QueryContext(ctx, `SELECT p.unit_id, p.light, i.name FROM target_progress p JOIN indicators i ON i.id = p.indicator_id`+
		w.SQL()+` ORDER BY p.unit_id, p.light_rank, p.ind_rank`, w.Args...)
	if err != nil {
		return platform.Internalf("unit scores: worst: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit int64
		var light Light
		var name string
		if err := rows.Scan(&unit, &light, &name); err != nil {
			return platform.Internalf("unit scores: worst: %w", err)
		}
		us := &scores[at[unit]]
		if light == us.Light && len(us.Worst) < worstNamed {
			us.Worst = append(us.Worst, name)
		}
	}
	if err := rows.Err(); err != nil {
		return platform.Internalf("unit scores: worst: %w", err)
	}
	return nil
}

// worst is a unit's light: the worst among its judged targets.
func worst(c Counts) Light {
	switch {
	case c.Red > 0:
		return Red
	case c.Yellow > 0:
		return Yellow
	case c.Green > 0:
		return Green
	}
	return LightNone
}

// Mine returns the viewer's own targets within the board of a unit in
// scope: those named for them, and their unit's own when their unit is not
// the board's.
func (s *Store) Mine(ctx context.Context, unitID int64, year int) ([]Row, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	home, ok := sc.Unit(unitID)
	if !ok {
		return nil, platform.ErrNotFound
	}
	u := sc.User
	var w db.Where
	sc.Where(&w, "p.township_id", "p.unit_id", home.ID)
	w.Add("p.year = ?", year)
	switch {
	case u.PersonID != nil && u.UnitID != home.ID:
		w.Add("(p.person_rank = ? OR (p.unit_id = ? AND p.person_rank = 0))", *u.PersonID, u.UnitID)
	case u.PersonID != nil:
		w.Add("p.person_rank = ?", *u.PersonID)
	case u.UnitID != home.ID:
		w.Add("p.unit_id = ? AND p.person_rank = 0", u.UnitID)
	default:
		return nil, nil
	}
	return s.rows(ctx, sc, `SELECT `+progressColumns+` FROM target_progress p`+w.SQL()+` ORDER BY `+naturalOrder+`, p.target_id`, w.Args...)
}

// BoardVersion names the state of everything a unit's board shows of the
// targets room: the org tree's version and the targets versions of the
// townships in the unit's subtree. It changes whenever any of them does, so
// a board kept in memory knows when to be made again.
func (s *Store) BoardVersion(ctx context.Context, unitID int64) (string, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return "", err
	}
	tenants := map[int64]bool{sc.Tree.TownshipOf(unitID): true}
	for _, id := range sc.Subtree(unitID) {
		if sc.Tree.TownshipOf(id) == id {
			tenants[id] = true
		}
	}
	var ids []int64
	for id := range tenants {
		ids = append(ids, id)
	}
	var w db.Where
	w.In("township_id", ids)
	var sum, n sql.NullInt64
	if err := s.DB.QueryRowContext(ctx, `SELECT SUM(version), COUNT(*) FROM target_versions`+w.SQL(), w.Args...).Scan(&sum, &n); err != nil {
		return "", platform.Internalf("targets version: %w", err)
	}
	return strconv.FormatInt(sc.Tree.Version, 10) + "." + strconv.FormatInt(sum.Int64, 10) + "." + strconv.FormatInt(n.Int64, 10), nil
}

// BoardSeries returns, for every target a unit owns itself (not its people's),
// the current figure of each month of the year, for the board's charts: index
// 0 is January, nil where there is none. Each figure carries what a chart
// draws (id, target, period, value, last year's value); who entered it and
// why are in History. One query reads them all. A unit outside the caller's
// scope is ErrNotFound.
func (s *Store) BoardSeries(ctx context.Context, unitID int64, year int) (map[int64][12]*Figure, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	if _, ok := sc.Tree.Unit(unitID); !ok {
		return nil, platform.ErrNotFound
	}
	if err := sc.Check(ctx, "unit", unitID, unitID); err != nil {
		return nil, err
	}
	// Driven from the unit's targets, then each target's figures by index (a
	// figure's year is always its target's); the latest entry of a period is
	// picked below, without a sort. The month comes as a number: thousands of
	// period strings cost more to read than to write again.
	rows, err := s.DB.QueryContext(ctx, `SELECT f.id, f.target_id, CAST(substr(f.period, 6, 2) AS INTEGER), f.value, f.last_year_value
		FROM targets t JOIN figures f ON f.target_id = t.id
		WHERE t.unit_id = $1 AND t.year = $2 AND t.person_id IS NULL AND f.status = 'approved'`, unitID, year)
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
