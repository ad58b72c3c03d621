package targets

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"sort"
	"strings"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
)

// Kept progress: every target's evaluation is a row of target_progress,
// rewritten in the transaction of anything that changes it, so that reading
// a list, a board or one target is a query and never an evaluation of the
// caller's whole year. Evaluate and Compute stay the one definition of the
// rules; this file only decides when to run them and stores what they say.

// indRank orders indicators by (sort, id) as one number.
func indRank(in Indicator) int64 { return int64(in.Sort)*(1<<32) + in.ID }

// lightRank orders lights from the most urgent: red, yellow, green, none.
func lightRank(l Light) int {
	switch l {
	case Red:
		return 0
	case Yellow:
		return 1
	case Green:
		return 2
	}
	return 3
}

const targetColumns = `t.id, t.township_id, t.indicator_id, t.unit_id, t.person_id, t.parent_id, t.year, t.kind, t.target_value, t.strive_value, t.last_year_total, t.weight, t.note, t.leader_id`

func scanTarget(sc interface{ Scan(...any) error }, r *Row) error {
	var person, parent, leader sql.NullInt64
	var strive, lyt sql.NullFloat64
	var kind string
	if err := sc.Scan(&r.ID, &r.TownshipID, &r.IndicatorID, &r.UnitID, &person, &parent, &r.Year, &kind, &r.Value, &strive, &lyt, &r.Weight, &r.Note, &leader); err != nil {
		return err
	}
	r.Kind = Kind(kind)
	if person.Valid {
		r.PersonID = &person.Int64
	}
	if leader.Valid {
		r.LeaderID = &leader.Int64
	}
	if parent.Valid {
		r.ParentID = &parent.Int64
	}
	if strive.Valid {
		r.Strive = &strive.Float64
	}
	if lyt.Valid {
		r.LastYearTotal = &lyt.Float64
	}
	return nil
}

// loadTargets reads the targets matching w (on targets t), without progress.
func loadTargets(ctx context.Context, q db.Queryer, w *db.Where) ([]Row, error) {
	return loadTargetsSQL(ctx, q, `SELECT `+targetColumns+` FROM targets t`+w.SQL(), w.Args)
}

// currentFiguresOf reads, for each of ids, the current figure of every
// period (the latest approved entry of each), ordered by period: a figure
// pending review or returned does not count, anywhere progress is read.
func currentFiguresOf(ctx context.Context, q db.Queryer, ids []int64) (map[int64][]Figure, error) {
	out := make(map[int64][]Figure, len(ids))
	for _, chunk := range chunks(ids, 500) {
		var w db.Where
		w.In("f.target_id", chunk)
		w.Add("f.status = ?", string(Approved))
		history := map[int64][]Figure{}
		if err := scanFigures(ctx, q, history, `SELECT `+figureColumns+` FROM figures f`+w.SQL()+` ORDER BY f.target_id, f.period, f.id`, w.Args...); err != nil {
			return nil, err
		}
		for id, fs := range history {
			cur := fs[:0]
			for i, f := range fs {
				if i+1 < len(fs) && fs[i+1].Period == f.Period {
					continue // corrected by the next entry of the same period
				}
				cur = append(cur, f)
			}
			out[id] = cur
		}
	}
	return out, nil
}

func chunks(ids []int64, n int) [][]int64 {
	var out [][]int64
	for len(ids) > 0 {
		k := min(n, len(ids))
		out = append(out, ids[:k])
		ids = ids[k:]
	}
	return out
}

// marginsOf reads the yellow margins of townships, DefaultMargin where unset.
func marginsOf(ctx context.Context, q db.Queryer, townships []int64) (map[int64]float64, error) {
	out := map[int64]float64{}
	if len(townships) == 0 {
		return out, nil
	}
	var w db.Where
	w.In("township_id", townships)
	rows, err := q.QueryContext(ctx, `SELECT township_id, margin FROM target_settings`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("margins: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m float64
		if err := rows.Scan(&id, &m); err != nil {
			return nil, platform.Internalf("margins scan: %w", err)
		}
		out[id] = m
	}
	return out, rows.Err()
}

// evaluate returns the targets ids evaluated afresh through q: each with its
// children (for the roll-up and the decomposition's sum), its figures and
// its township's margin. It is the reference the kept rows must equal.
func evaluate(ctx context.Context, q db.Queryer, inds map[int64]Indicator, ids []int64) ([]Row, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	want := make(map[int64]bool, len(ids))
	for _, id := range ids {
		want[id] = true
	}
	var rows []Row
	for _, chunk := range chunks(ids, 500) {
		var in db.Where
		in.In("t.id", chunk)
		byParent := strings.Replace(in.SQL(), "t.id IN", "t.parent_id IN", 1) // the same arguments
		got, err := loadTargetsSQL(ctx, q, `SELECT `+targetColumns+` FROM targets t`+in.SQL()+` UNION ALL SELECT `+targetColumns+` FROM targets t`+byParent, in.Args)
		if err != nil {
			return nil, err
		}
		rows = append(rows, got...)
	}
	rows = dedupe(rows)
	townships := map[int64]bool{}
	for i := range rows {
		rows[i].Indicator = inds[rows[i].IndicatorID]
		townships[rows[i].TownshipID] = true
	}
	// The figures of the targets asked for, and of the children of those
	// that roll their children up (no figure of their own): the others'
	// children count only by their target values.
	figs, err := currentFiguresOf(ctx, q, ids)
	if err != nil {
		return nil, err
	}
	rollsUp := map[int64]bool{}
	for _, r := range rows {
		if want[r.ID] && len(figs[r.ID]) == 0 && r.Indicator.Additive && r.Indicator.Measure == MeasureCumulative {
			rollsUp[r.ID] = true
		}
	}
	var kids []int64
	for _, r := range rows {
		if r.ParentID != nil && rollsUp[*r.ParentID] && !want[r.ID] {
			kids = append(kids, r.ID)
		}
	}
	if len(kids) > 0 {
		more, err := currentFiguresOf(ctx, q, kids)
		if err != nil {
			return nil, err
		}
		for id, fs := range more {
			figs[id] = fs
		}
	}
	var tw []int64
	for id := range townships {
		tw = append(tw, id)
	}
	margins, err := marginsOf(ctx, q, tw)
	if err != nil {
		return nil, err
	}
	Compute(rows, figs, func(township int64) float64 {
		if m, ok := margins[township]; ok {
			return m
		}
		return DefaultMargin
	})
	out := rows[:0]
	for _, r := range rows {
		if want[r.ID] {
			out = append(out, r)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, nil
}

func loadTargetsSQL(ctx context.Context, q db.Queryer, query string, args []any) ([]Row, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, platform.Internalf("targets: %w", err)
	}
	defer rows.Close()
	var out []Row
	for rows.Next() {
		var r Row
		if err := scanTarget(rows, &r); err != nil {
			return nil, platform.Internalf("targets scan: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func dedupe(rows []Row) []Row {
	seen := make(map[int64]bool, len(rows))
	out := rows[:0]
	for _, r := range rows {
		if !seen[r.ID] {
			seen[r.ID] = true
			out = append(out, r)
		}
	}
	return out
}

// withAncestors adds to ids every target above them: a parent's roll-up,
// its children's count and the sum of their targets all depend on them.
func withAncestors(ctx context.Context, q db.Queryer, ids []int64) ([]int64, error) {
	seen := make(map[int64]bool, len(ids))
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	next := out
	for len(next) > 0 {
		var parents []int64
		for _, chunk := range chunks(next, 500) {
			var w db.Where
			w.In("id", chunk)
			rows, err := q.QueryContext(ctx, `SELECT DISTINCT parent_id FROM targets`+w.SQL()+` AND parent_id IS NOT NULL`, w.Args...)
			if err != nil {
				return nil, platform.Internalf("parents: %w", err)
			}
			for rows.Next() {
				var p int64
				if err := rows.Scan(&p); err != nil {
					rows.Close()
					return nil, platform.Internalf("parents: %w", err)
				}
				if !seen[p] {
					seen[p] = true
					parents = append(parents, p)
				}
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, platform.Internalf("parents: %w", err)
			}
		}
		out = append(out, parents...)
		next = parents
	}
	return out, nil
}

const upsertProgress = `INSERT INTO target_progress (target_id, township_id, year, unit_id, person_rank, indicator_id, top, unit_rank, ind_rank, weight,
		latest_figure_id, period, actual, rolled_up, last_year, completion, expected_share, gap, yoy, light, light_rank, over_achieved, over_ceiling,
		forecast_run_rate, forecast_seasonal, forecast, pace, ratio, children, children_sum,
		parent_id, kind, target_value, strive_value, last_year_total, note, forecast_note, met, allowance, allowance_pace, ceiling_note, leader_id, as_of)
	VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30,
		$31, $32, $33, $34, $35, $36, $37, $38, $39, $40, $41, $42, $43)
	ON CONFLICT (target_id) DO UPDATE SET township_id = excluded.township_id, year = excluded.year, unit_id = excluded.unit_id,
		parent_id = excluded.parent_id, kind = excluded.kind, target_value = excluded.target_value, strive_value = excluded.strive_value,
		last_year_total = excluded.last_year_total, note = excluded.note,
		person_rank = excluded.person_rank, indicator_id = excluded.indicator_id, top = excluded.top, unit_rank = excluded.unit_rank,
		ind_rank = excluded.ind_rank, weight = excluded.weight, latest_figure_id = excluded.latest_figure_id, period = excluded.period, as_of = excluded.as_of,
		actual = excluded.actual, rolled_up = excluded.rolled_up, last_year = excluded.last_year, completion = excluded.completion,
		expected_share = excluded.expected_share, gap = excluded.gap, yoy = excluded.yoy, light = excluded.light, light_rank = excluded.light_rank,
		over_achieved = excluded.over_achieved, over_ceiling = excluded.over_ceiling, forecast_run_rate = excluded.forecast_run_rate,
		forecast_seasonal = excluded.forecast_seasonal, forecast = excluded.forecast, pace = excluded.pace, ratio = excluded.ratio,
		children = excluded.children, children_sum = excluded.children_sum, forecast_note = excluded.forecast_note, met = excluded.met,
		allowance = excluded.allowance, allowance_pace = excluded.allowance_pace, ceiling_note = excluded.ceiling_note, leader_id = excluded.leader_id`

// progressArgs are a row's values for upsertProgress.
func progressArgs(r Row, tree *org.Tree) []any {
	p := r.Progress
	var latest *int64
	if r.Latest != nil {
		latest = &r.Latest.ID
	}
	var personRank int64
	if r.PersonID != nil {
		personRank = *r.PersonID
	}
	var ratio *float64
	if v, ok := scheduleRatio(r); ok {
		ratio = &v
	}
	return []any{r.ID, r.TownshipID, r.Year, r.UnitID, personRank, r.IndicatorID, r.ParentID == nil, tree.Rank(r.UnitID), indRank(r.Indicator), r.Weight,
		latest, r.StatPeriodOrDay(), r.Actual, r.RolledUp, r.LastYearSame, p.Completion, p.ExpectedShare, p.Gap, p.YoYGrowth, string(p.Light), lightRank(p.Light), p.OverAchieved, p.OverCeiling,
		p.ForecastRunRate, p.ForecastSeasonal, p.Forecast, p.PaceNeeded, ratio, r.Children, r.ChildrenSum,
		r.ParentID, string(r.Kind), r.Value, r.Strive, r.LastYearTotal, r.Note, string(p.ForecastNote), p.Met, p.Allowance, p.AllowancePace, string(p.CeilingNote), r.LeaderID, r.AsOf}
}

// refresh evaluates the targets ids and every target above them inside tx,
// writes their kept progress, and moves their townships' versions on, so a
// board kept in memory is read again. The tree and the catalogue are the
// kept ones: only a change to them (refreshWith) reads them in tx.
func (s *Store) refresh(ctx context.Context, tx *sql.Tx, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	tree, inds, err := s.keptReference(ctx)
	if err != nil {
		return err
	}
	return s.refreshWith(ctx, tx, ids, tree, inds)
}

// keptReference is the org tree and the catalogue an evaluation reads, as
// kept in memory.
func (s *Store) keptReference(ctx context.Context) (*org.Tree, map[int64]Indicator, error) {
	tree, err := s.org().Tree(ctx)
	if err != nil {
		return nil, nil, err
	}
	inds, _, err := s.indicators(ctx)
	return tree, inds, err
}

// refreshWith is refresh with the tree and the catalogue given, for a write
// that changes them and must evaluate by what it has written.
func (s *Store) refreshWith(ctx context.Context, tx *sql.Tx, ids []int64, tree *org.Tree, inds map[int64]Indicator) error {
	if len(ids) == 0 {
		return nil
	}
	q := s.DB.Stmts(tx)
	ids, err := withAncestors(ctx, q, ids)
	if err != nil {
		return err
	}
	return s.writeProgress(ctx, q, ids, tree, inds)
}

// refreshFigure is refresh for a new figure of t: it changes t's
// evaluation, and its parent's only when the parent rolls its children's
// figures up, having none of its own (and so on up); a parent with its own
// figures counts its children by their target values alone, which a figure
// does not change. At the month-end deadline this spares every village's
// figure the re-reading of all its siblings.
func (s *Store) refreshFigure(ctx context.Context, tx *sql.Tx, t Row) error {
	tree, inds, err := s.keptReference(ctx)
	if err != nil {
		return err
	}
	q := s.DB.Stmts(tx)
	ids := []int64{t.ID}
	for parent := t.ParentID; parent != nil; {
		var own bool
		var next sql.NullInt64
		if err := q.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM figures WHERE target_id = $1 AND status = 'approved'), parent_id FROM targets WHERE id = $1`, *parent).Scan(&own, &next); err != nil {
			return platform.Internalf("parent %d: %w", *parent, err)
		}
		if own {
			break
		}
		ids = append(ids, *parent)
		parent = nil
		if next.Valid {
			parent = &next.Int64
		}
	}
	return s.writeProgress(ctx, q, ids, tree, inds)
}

// writeProgress evaluates exactly ids and writes their kept progress, light
// counts and versions.
func (s *Store) writeProgress(ctx context.Context, q db.Queryer, ids []int64, tree *org.Tree, inds map[int64]Indicator) error {
	counts := lightCounts{}
	townships := map[int64]bool{}
	for _, chunk := range chunks(ids, 500) {
		before, err := keptLights(ctx, q, chunk)
		if err != nil {
			return err
		}
		rows, err := evaluate(ctx, q, inds, chunk)
		if err != nil {
			return err
		}
		for _, r := range rows {
			if _, err := q.ExecContext(ctx, upsertProgress, progressArgs(r, tree)...); err != nil {
				return platform.Internalf("progress %d: %w", r.ID, err)
			}
			key := townshipYear{r.TownshipID, r.Year}
			townships[r.TownshipID] = true
			if b, ok := before[r.ID]; ok {
				townships[b.key.township] = true
				if b.key == key && b.light == r.Progress.Light && b.period == r.StatPeriodOrDay() {
					// The same light and period as kept (a correction, say): the
					// counts do not move, and the township's row of them is not
					// locked for the rest of the transaction.
					continue
				}
				counts.add(b.key, b.light, -1, "")
			}
			counts.add(key, r.Progress.Light, 1, r.StatPeriodOrDay())
		}
	}
	return counts.write(ctx, q, townships)
}

// keptLight is a target's light and period as kept before a write.
type keptLight struct {
	key    townshipYear
	light  Light
	period string
}

// keptLights reads the kept lights of ids, before they are written again.
func keptLights(ctx context.Context, tx db.Queryer, ids []int64) (map[int64]keptLight, error) {
	var w db.Where
	w.In("target_id", ids)
	rows, err := tx.QueryContext(ctx, `SELECT target_id, township_id, year, light, period FROM target_progress`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("kept lights: %w", err)
	}
	defer rows.Close()
	out := make(map[int64]keptLight, len(ids))
	for rows.Next() {
		var id int64
		var k keptLight
		var light string
		if err := rows.Scan(&id, &k.key.township, &k.key.year, &light, &k.period); err != nil {
			return nil, platform.Internalf("kept lights: %w", err)
		}
		k.light = Light(light)
		out[id] = k
	}
	return out, rows.Err()
}

// lightCounts gathers the changes a write makes to the kept light counts:
// targets leaving one light and entering another, and the latest period
// each township's year has reached (figures only ever add periods, so it
// only moves on).
type lightCounts map[townshipYear]map[Light]*lightDelta

type lightDelta struct {
	n      int
	period string
}

func (c lightCounts) add(k townshipYear, l Light, n int, period string) {
	if c[k] == nil {
		c[k] = map[Light]*lightDelta{}
	}
	d := c[k][l]
	if d == nil {
		d = &lightDelta{}
		c[k][l] = d
	}
	d.n += n
	d.period = max(d.period, period)
}

// write applies the changes, in one order for every writer, and moves the
// versions of the townships on (theirs, and those of the changes).
func (c lightCounts) write(ctx context.Context, tx db.Queryer, townships map[int64]bool) error {
	keys := make([]townshipYear, 0, len(c))
	for k := range c {
		keys = append(keys, k)
		townships[k.township] = true
	}
	sortKeys(keys)
	for _, k := range keys {
		lights := make([]string, 0, len(c[k]))
		for l := range c[k] {
			lights = append(lights, string(l))
		}
		sort.Strings(lights)
		for _, l := range lights {
			d := c[k][Light(l)]
			if d.n == 0 && d.period == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO target_lights (township_id, year, light, n, period) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (township_id, year, light) DO UPDATE SET n = target_lights.n + excluded.n,
					period = CASE WHEN excluded.period > target_lights.period THEN excluded.period ELSE target_lights.period END`,
				k.township, k.year, l, d.n, d.period); err != nil {
				return platform.Internalf("light counts: %w", err)
			}
		}
	}
	return bumpVersions(ctx, tx, townships)
}

func sortKeys(keys []townshipYear) {
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].township != keys[j].township {
			return keys[i].township < keys[j].township
		}
		return keys[i].year < keys[j].year
	})
}

// townshipYear names one township's year of targets.
type townshipYear struct {
	township int64
	year     int
}

// recount counts again the lights of each township's year in touched (the
// townships units moved out of and into) and moves their versions on.
func recount(ctx context.Context, tx *sql.Tx, touched map[townshipYear]bool) error {
	keys := make([]townshipYear, 0, len(touched))
	townships := map[int64]bool{}
	for k := range touched {
		keys = append(keys, k)
		townships[k.township] = true
	}
	sortKeys(keys)
	for _, k := range keys {
		if _, err := tx.ExecContext(ctx, `DELETE FROM target_lights WHERE township_id = $1 AND year = $2`, k.township, k.year); err != nil {
			return platform.Internalf("light counts: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO target_lights (township_id, year, light, n, period)
			SELECT township_id, year, light, COUNT(*), MAX(period) FROM target_progress WHERE township_id = $1 AND year = $2 GROUP BY township_id, year, light`, k.township, k.year); err != nil {
			return platform.Internalf("light counts: %w", err)
		}
	}
	return bumpVersions(ctx, tx, townships)
}

// bumpVersions moves the targets version of each township on by one.
func bumpVersions(ctx context.Context, tx db.Queryer, townships map[int64]bool) error {
	ids := make([]int64, 0, len(townships))
	for id := range townships {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] }) // one lock order for every writer
	for _, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO target_versions (township_id, version) VALUES ($1, 1)
			ON CONFLICT (township_id) DO UPDATE SET version = target_versions.version + 1`, id); err != nil {
			return platform.Internalf("targets version: %w", err)
		}
	}
	return nil
}

// int64sOf runs a query of one integer column.
func int64sOf(ctx context.Context, q db.Queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, platform.Internalf("ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, platform.Internalf("ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// idsWhere lists the ids of the targets matching w.
func idsWhere(ctx context.Context, q db.Queryer, w *db.Where) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT t.id FROM targets t`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("target ids: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, platform.Internalf("target ids: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// UnitsChanged carries the room's rows along a change to the org tree,
// inside its transaction: each unit's place in the tree order is kept on
// the progress rows for sorting, and a unit moved to another township takes
// its targets, figures and imports with it (and is judged by its new
// township's margin).
func (s *Store) UnitsChanged(ctx context.Context, tx *sql.Tx) error {
	tree, err := org.ReadTree(ctx, tx)
	if err != nil {
		return err
	}
	type kept struct {
		unit, rank, township int64
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT unit_id, unit_rank, township_id FROM target_progress`)
	if err != nil {
		return platform.Internalf("progress units: %w", err)
	}
	var all []kept
	for rows.Next() {
		var k kept
		if err := rows.Scan(&k.unit, &k.rank, &k.township); err != nil {
			rows.Close()
			return platform.Internalf("progress units: %w", err)
		}
		all = append(all, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Internalf("progress units: %w", err)
	}
	var moved []int64
	left := map[townshipYear]bool{} // the townships units moved out of and into
	for _, k := range all {
		rank, township := int64(tree.Rank(k.unit)), tree.TownshipOf(k.unit)
		if township != k.township {
			for _, table := range []string{"targets", "imports"} {
				if _, err := tx.ExecContext(ctx, `UPDATE `+table+` SET township_id = $1 WHERE unit_id = $2`, township, k.unit); err != nil {
					return platform.Internalf("move %s: %w", table, err)
				}
			}
			if _, err := tx.ExecContext(ctx, `UPDATE figures SET township_id = $1 WHERE target_id IN (SELECT id FROM targets WHERE unit_id = $2)`, township, k.unit); err != nil {
				return platform.Internalf("move figures: %w", err)
			}
			var w db.Where
			w.Add("t.unit_id = ?", k.unit)
			ids, err := idsWhere(ctx, tx, &w)
			if err != nil {
				return err
			}
			moved = append(moved, ids...)
			years, err := int64sOf(ctx, tx, `SELECT DISTINCT year FROM targets WHERE unit_id = $1`, k.unit)
			if err != nil {
				return err
			}
			for _, y := range years {
				// Both townships are counted again once the rows have moved.
				left[townshipYear{k.township, int(y)}] = true
				left[townshipYear{township, int(y)}] = true
			}
		}
		if rank != k.rank || township != k.township {
			if _, err := tx.ExecContext(ctx, `UPDATE target_progress SET unit_rank = $1, township_id = $2 WHERE unit_id = $3`, rank, township, k.unit); err != nil {
				return platform.Internalf("progress rank: %w", err)
			}
		}
	}
	if len(moved) == 0 {
		return nil
	}
	inds, err := indicatorsByID(ctx, tx)
	if err != nil {
		return err
	}
	if err := s.refreshWith(ctx, tx, moved, tree, inds); err != nil {
		return err
	}
	return recount(ctx, tx, left)
}

// CheckProgress compares every target's kept progress with a fresh
// evaluation and lists each difference ("target 12: light green, want
// red"); nil when they agree. The tests run it after every kind of write;
// an operator can run it to make sure.
func (s *Store) CheckProgress(ctx context.Context) ([]string, error) {
	tree, err := org.ReadTree(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	inds, err := indicatorsByID(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	var all db.Where
	ids, err := idsWhere(ctx, s.DB, &all)
	if err != nil {
		return nil, err
	}
	kept := map[int64][]any{}
	rows, err := s.DB.QueryContext(ctx, `SELECT target_id, township_id, year, unit_id, person_rank, indicator_id, top, unit_rank, ind_rank, weight,
		latest_figure_id, period, actual, rolled_up, last_year, completion, expected_share, gap, yoy, light, light_rank, over_achieved, over_ceiling,
		forecast_run_rate, forecast_seasonal, forecast, pace, ratio, children, children_sum,
		parent_id, kind, target_value, strive_value, last_year_total, note, forecast_note, met, allowance, allowance_pace, ceiling_note, leader_id, as_of FROM target_progress`)
	if err != nil {
		return nil, platform.Internalf("check progress: %w", err)
	}
	for rows.Next() {
		var (
			id, township, unit, person, indicator, ind, year, unitRank, lightRank, children int64
			top, rolled, over, ceiling, met                                                 bool
			weight, share, value                                                            float64
			latest, parent, leader                                                          sql.NullInt64
			period, light, kind, note, forecastNote, ceilingNote, asOf                      string
			allowance, allowancePace                                                        sql.NullFloat64
			actual, ly, comp, gap, yoy, frr, fs, fc, pace, ratio, csum, strive, lyt         sql.NullFloat64
		)
		if err := rows.Scan(&id, &township, &year, &unit, &person, &indicator, &top, &unitRank, &ind, &weight, &latest, &period, &actual, &rolled, &ly, &comp, &share, &gap, &yoy,
			&light, &lightRank, &over, &ceiling, &frr, &fs, &fc, &pace, &ratio, &children, &csum, &parent, &kind, &value, &strive, &lyt, &note, &forecastNote, &met, &allowance, &allowancePace, &ceilingNote, &leader, &asOf); err != nil {
			rows.Close()
			return nil, platform.Internalf("check progress: %w", err)
		}
		kept[id] = []any{township, year, unit, person, indicator, top, unitRank, ind, weight, latest, period, actual, rolled, ly, comp, share, gap, yoy,
			light, lightRank, over, ceiling, frr, fs, fc, pace, ratio, children, csum, parent, kind, value, strive, lyt, note, forecastNote, met, allowance, allowancePace, ceilingNote, leader, asOf}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("check progress: %w", err)
	}
	names := []string{"township_id", "year", "unit_id", "person_rank", "indicator_id", "top", "unit_rank", "ind_rank", "weight", "latest_figure_id", "period", "actual",
		"rolled_up", "last_year", "completion", "expected_share", "gap", "yoy", "light", "light_rank", "over_achieved", "over_ceiling",
		"forecast_run_rate", "forecast_seasonal", "forecast", "pace", "ratio", "children", "children_sum",
		"parent_id", "kind", "target_value", "strive_value", "last_year_total", "note", "forecast_note", "met", "allowance", "allowance_pace", "ceiling_note", "leader_id", "as_of"}
	var out []string
	for _, chunk := range chunks(ids, 500) {
		fresh, err := evaluate(ctx, s.DB, inds, chunk)
		if err != nil {
			return nil, err
		}
		for _, r := range fresh {
			have, ok := kept[r.ID]
			if !ok {
				out = append(out, fmt.Sprintf("target %d: no kept progress", r.ID))
				continue
			}
			want := progressArgs(r, tree)[1:]
			for i := range want {
				if !sameValue(have[i], want[i]) {
					out = append(out, fmt.Sprintf("target %d: %s is %v, a fresh evaluation says %v", r.ID, names[i], shown(have[i]), shown(want[i])))
				}
			}
			delete(kept, r.ID)
		}
	}
	for id := range kept {
		out = append(out, fmt.Sprintf("kept progress of target %d, which does not exist", id))
	}
	// The kept counts: how many targets of each light (a light no target
	// has any more may stay at 0), and the latest period of each township's
	// year (a light's own latest may be later: figures only add periods).
	type countKey struct {
		townshipYear
		light string
	}
	have, want := map[countKey]int{}, map[countKey]int{}
	havePeriod, wantPeriod := map[townshipYear]string{}, map[townshipYear]string{}
	for _, q := range []struct {
		query  string
		n      map[countKey]int
		period map[townshipYear]string
	}{
		{`SELECT township_id, year, light, n, period FROM target_lights`, have, havePeriod},
		{`SELECT township_id, year, light, COUNT(*), MAX(period) FROM target_progress GROUP BY township_id, year, light`, want, wantPeriod},
	} {
		rows, err := s.DB.QueryContext(ctx, q.query)
		if err != nil {
			return nil, platform.Internalf("check light counts: %w", err)
		}
		for rows.Next() {
			var k countKey
			var n int
			var period string
			if err := rows.Scan(&k.township, &k.year, &k.light, &n, &period); err != nil {
				rows.Close()
				return nil, platform.Internalf("check light counts: %w", err)
			}
			if n != 0 {
				q.n[k] = n
			}
			q.period[k.townshipYear] = max(q.period[k.townshipYear], period)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, platform.Internalf("check light counts: %w", err)
		}
	}
	for k := range have {
		if _, ok := want[k]; !ok {
			want[k] = 0
		}
	}
	for k, n := range want {
		if have[k] != n {
			out = append(out, fmt.Sprintf("township %d, %d: %d kept %q lights, the targets have %d", k.township, k.year, have[k], k.light, n))
		}
	}
	for k, p := range wantPeriod {
		if havePeriod[k] != p {
			out = append(out, fmt.Sprintf("township %d, %d: kept latest period %q, the targets' is %q", k.township, k.year, havePeriod[k], p))
		}
	}
	sort.Strings(out)
	return out, nil
}

// sameValue compares a stored column with the value progressArgs writes,
// numbers to within rounding.
func sameValue(have, want any) bool {
	h, w := norm(have), norm(want)
	hf, hok := h.(float64)
	wf, wok := w.(float64)
	if hok && wok {
		return math.Abs(hf-wf) <= 1e-9*math.Max(1, math.Abs(wf))
	}
	return h == w
}

// norm turns the scanned and the written forms of a value into one.
func norm(v any) any {
	switch x := v.(type) {
	case sql.NullInt64:
		if !x.Valid {
			return nil
		}
		return float64(x.Int64)
	case sql.NullFloat64:
		if !x.Valid {
			return nil
		}
		return x.Float64
	case *int64:
		if x == nil {
			return nil
		}
		return float64(*x)
	case *float64:
		if x == nil {
			return nil
		}
		return *x
	case int64:
		return float64(x)
	case int:
		return float64(x)
	case float64:
		return x
	case Light:
		return string(x)
	}
	return v
}

func shown(v any) any {
	if n := norm(v); n != nil {
		return n
	}
	return "NULL"
}

// Rebuild evaluates every target afresh and rewrites its kept progress, in
// one transaction per township: for data loaded around the store (a bulk
// seed, a restore) and for an operator who wants to be sure.
func (s *Store) Rebuild(ctx context.Context) error {
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT township_id FROM targets ORDER BY township_id`)
	if err != nil {
		return platform.Internalf("rebuild: %w", err)
	}
	var townships []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return platform.Internalf("rebuild: %w", err)
		}
		townships = append(townships, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Internalf("rebuild: %w", err)
	}
	for _, tw := range townships {
		err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
			var w db.Where
			w.Add("t.township_id = ?", tw)
			ids, err := idsWhere(ctx, tx, &w)
			if err != nil {
				return err
			}
			return s.refresh(ctx, tx, ids)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// migrated evaluates every target again after the room's migrations were
// applied: a migration may add a kept column (009 the forecast's note) or
// come with a changed rule, and rows kept before it must not keep the old
// reading. On a new database there is nothing to evaluate.
func (s *Store) migrated(ctx context.Context, applied []string) error {
	return s.Rebuild(ctx)
}
