package targets

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Store keeps indicators, targets and figures. Every method reads the caller
// from ctx: targets outside the caller's subtree do not exist for them. The
// org tree and people come from Org, the read side org offers every room.
type Store struct {
	DB  *db.DB
	Now func() time.Time
	Org *org.Store

	catalog catalogCache
	starts  pageStarts
}

// catalogCache keeps the indicator catalogue between requests; its version
// (moved on by triggers on every change to indicators) says when to read it
// again, so every instance sees a change at once.
type catalogCache struct {
	mu      sync.Mutex
	version int64
	byID    map[int64]Indicator
	ordered []Indicator // in display order: sort, then id
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// org is the org store; one on the same database when none is set (the
// command line, the demo).
func (s *Store) org() *org.Store {
	if s.Org == nil {
		s.Org = &org.Store{DB: s.DB, Now: s.Now}
	}
	return s.Org
}

// MaxName bounds an indicator's name; MaxNote a note.
const (
	MaxName = 60
	MaxNote = 200
)

const indicatorColumns = `id, township_id, name, measure_unit, category, measure, direction, cadence, additive, non_negative, sort, parent_id, decimals`

func scanIndicator(sc interface{ Scan(...any) error }) (Indicator, error) {
	var in Indicator
	var measure, direction, cadence string
	var township, parent, decimals sql.NullInt64
	err := sc.Scan(&in.ID, &township, &in.Name, &in.MeasureUnit, &in.Category, &measure, &direction, &cadence, &in.Additive, &in.NonNegative, &in.Sort, &parent, &decimals)
	if decimals.Valid {
		d := int(decimals.Int64)
		in.Precision = &d
	}
	in.Measure, in.Direction, in.Cadence = Measure(measure), Direction(direction), Cadence(cadence)
	if township.Valid {
		in.TownshipID = &township.Int64
	}
	if parent.Valid {
		in.ParentID = &parent.Int64
	}
	return in, err
}

// indicators returns the whole catalogue by id and in display order: kept
// while its version has not moved (one small read), else read again.
func (s *Store) indicators(ctx context.Context) (map[int64]Indicator, []Indicator, error) {
	var version int64
	if err := s.DB.QueryRowContext(ctx, `SELECT version FROM target_versions WHERE township_id = 0`).Scan(&version); err != nil {
		return nil, nil, platform.Internalf("catalogue version: %w", err)
	}
	c := &s.catalog
	c.mu.Lock()
	if c.byID != nil && c.version == version {
		byID, ordered := c.byID, c.ordered
		c.mu.Unlock()
		return byID, ordered, nil
	}
	c.mu.Unlock()
	byID, err := indicatorsByID(ctx, s.DB)
	if err != nil {
		return nil, nil, err
	}
	ordered := make([]Indicator, 0, len(byID))
	for _, in := range byID {
		ordered = append(ordered, in)
	}
	sort.Slice(ordered, func(i, j int) bool {
		if ordered[i].Sort != ordered[j].Sort {
			return ordered[i].Sort < ordered[j].Sort
		}
		return ordered[i].ID < ordered[j].ID
	})
	c.mu.Lock()
	if version >= c.version {
		c.version, c.byID, c.ordered = version, byID, ordered
	}
	c.mu.Unlock()
	return byID, ordered, nil
}

// visible reports whether the caller may see an indicator: the shared
// catalogue is everyone's; a township's own belongs to the township's
// subtree and to those above it.
func visible(sc *org.Scope, in Indicator) bool {
	if in.TownshipID == nil {
		return true
	}
	t := *in.TownshipID
	if sc.Has(t) {
		return true
	}
	tw, ok := sc.TownshipOf(sc.User.UnitID)
	return ok && tw.ID == t
}

// Indicators returns the catalogue the caller sees in display order: the
// shared indicators and their townships' own.
func (s *Store) Indicators(ctx context.Context) ([]Indicator, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	_, all, err := s.indicators(ctx)
	if err != nil {
		return nil, err
	}
	var out []Indicator
	for _, in := range all {
		if visible(sc, in) {
			out = append(out, in)
		}
	}
	return out, nil
}

// Indicator returns one indicator the caller sees.
func (s *Store) Indicator(ctx context.Context, id int64) (Indicator, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Indicator{}, err
	}
	byID, _, err := s.indicators(ctx)
	if err != nil {
		return Indicator{}, err
	}
	in, ok := byID[id]
	if !ok {
		return Indicator{}, platform.ErrNotFound
	}
	if !visible(sc, in) {
		return Indicator{}, sc.Deny(ctx, "indicator", id, *in.TownshipID)
	}
	return in, nil
}

func (in *Indicator) check() error {
	in.Name, in.Category = strings.TrimSpace(in.Name), strings.TrimSpace(in.Category)
	in.MeasureUnit = NormalizeMeasure(in.MeasureUnit)
	if in.Measure == "" {
		in.Measure = MeasureCumulative
	}
	if in.Direction == "" {
		in.Direction = Higher
	}
	if in.Cadence == "" {
		in.Cadence = Monthly
	}
	var es platform.Errors
	switch {
	case in.Name == "":
		es = append(es, platform.FieldError("name", "form.err.required"))
	case len([]rune(in.Name)) > MaxName:
		es = append(es, platform.FieldError("name", "form.err.too_long", MaxName))
	}
	if len([]rune(in.MeasureUnit)) > 10 {
		es = append(es, platform.FieldError("measure_unit", "form.err.too_long", 10))
	}
	if len([]rune(in.Category)) > 20 {
		es = append(es, platform.FieldError("category", "form.err.too_long", 20))
	}
	if in.Measure != MeasureCumulative && in.Measure != MeasurePoint {
		es = append(es, platform.FieldError("measure", "target.err.bad_choice"))
	}
	if in.Precision != nil && (*in.Precision < 0 || *in.Precision > MaxDecimals) {
		es = append(es, platform.FieldError("decimals", "target.err.bad_decimals", MaxDecimals))
	}
	if in.Direction != Higher && in.Direction != Lower {
		es = append(es, platform.FieldError("direction", "target.err.bad_choice"))
	}
	if in.Cadence != Monthly && in.Cadence != Quarterly {
		es = append(es, platform.FieldError("cadence", "target.err.bad_choice"))
	}
	return es.Err()
}

// aboveTownships reports whether the caller's unit is above the townships
// (a district, or the system): only its administrators keep the shared
// catalogue.
func aboveTownships(sc *org.Scope) bool {
	if sc.User.UnitPath == "/" {
		return true
	}
	u, ok := sc.Tree.Unit(sc.User.UnitID)
	return ok && u.Kind == org.District
}

// SaveIndicator creates (ID 0) or updates an indicator. The shared catalogue
// (TownshipID nil) is kept by district administrators only; a township's
// own indicators by those who manage targets in it. A name is unique among
// what one township sees: its own and the shared ones. Changing an
// indicator re-evaluates its targets.
func (s *Store) SaveIndicator(ctx context.Context, in Indicator) (Indicator, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Indicator{}, err
	}
	var before *Indicator
	if in.ID != 0 {
		old, err := s.Indicator(ctx, in.ID) // scope first: another township's is not found
		if err != nil {
			return Indicator{}, err
		}
		before, in.TownshipID = &old, old.TownshipID
	}
	if in.ID == 0 {
		// A new indicator reveals nothing: the role is checked first.
		if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
			return Indicator{}, s.forbidden(ctx, sc, "indicator", 0, sc.User.UnitID, err)
		}
	}
	if in.ID == 0 && in.TownshipID == nil && !aboveTownships(sc) {
		// A township's statistician adds to the township's own catalogue.
		if tw, ok := sc.TownshipOf(sc.User.UnitID); ok {
			in.TownshipID = &tw.ID
		}
	}
	owner := int64(0)
	if in.TownshipID != nil {
		owner = *in.TownshipID
		if tw, ok := sc.Tree.Unit(owner); !ok || tw.Kind != org.Township {
			return Indicator{}, platform.FieldError("township_id", "target.err.no_unit")
		}
		if err := sc.Check(ctx, "indicator", in.ID, owner); err != nil {
			return Indicator{}, err
		}
	}
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return Indicator{}, s.forbidden(ctx, sc, "indicator", in.ID, owner, err)
	}
	if in.TownshipID == nil && (!aboveTownships(sc) || sc.User.Role != auth.Admin) {
		return Indicator{}, s.forbidden(ctx, sc, "indicator", in.ID, sc.User.UnitID, platform.Errorf(platform.Forbidden, "target.err.shared_catalogue"))
	}
	if err := in.check(); err != nil {
		return Indicator{}, err
	}
	now := s.now().UTC()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// One name per township's view: its own beside the shared ones.
		var clash int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM indicators WHERE name = $1 AND id <> $2 AND (township_id IS NULL OR $3 = 0 OR township_id = $3 OR $4)`,
			in.Name, in.ID, owner, in.TownshipID == nil).Scan(&clash); err != nil {
			return platform.Internalf("indicator name: %w", err)
		}
		if clash > 0 {
			return &platform.Error{Code: platform.Conflict, Key: "target.err.duplicate_indicator", Args: []any{in.Name}, Field: "name"}
		}
		all, err := indicatorsByID(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkParent(in, all); err != nil {
			return err
		}
		if err := nameClashesAlias(ctx, tx, in, all); err != nil {
			return err
		}
		if in.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO indicators (township_id, name, measure_unit, category, measure, direction, cadence, additive, non_negative, sort, parent_id, decimals, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id`,
				in.TownshipID, in.Name, in.MeasureUnit, in.Category, string(in.Measure), string(in.Direction), string(in.Cadence), in.Additive, in.NonNegative, in.Sort, in.ParentID, in.Precision, now).Scan(&in.ID)
		} else {
			_, err = tx.ExecContext(ctx, `UPDATE indicators SET name = $1, measure_unit = $2, category = $3, measure = $4, direction = $5, cadence = $6, additive = $7, non_negative = $8, sort = $9, parent_id = $10, decimals = $11, updated_at = $12 WHERE id = $13`,
				in.Name, in.MeasureUnit, in.Category, string(in.Measure), string(in.Direction), string(in.Cadence), in.Additive, in.NonNegative, in.Sort, in.ParentID, in.Precision, now, in.ID)
		}
		if db.IsUniqueViolation(err) {
			return &platform.Error{Code: platform.Conflict, Key: "target.err.duplicate_indicator", Args: []any{in.Name}, Field: "name"}
		}
		if err != nil {
			return platform.Internalf("save indicator: %w", err)
		}
		if before != nil {
			var w db.Where
			w.Add("t.indicator_id = ?", in.ID)
			ids, err := idsWhere(ctx, tx, &w)
			if err != nil {
				return err
			}
			tree, err := s.org().Tree(ctx)
			if err != nil {
				return err
			}
			inds, err := indicatorsByID(ctx, tx) // as this change leaves it
			if err != nil {
				return err
			}
			if err := s.refreshWith(ctx, tx, ids, tree, inds); err != nil {
				return err
			}
		}
		e := audit.Entry{Action: audit.Create, Entity: "indicator", EntityID: audit.ID(in.ID), After: in, At: now}
		if before != nil {
			e.Action, e.Before = audit.Update, *before
		}
		// The entry belongs to the township that owns the indicator, or to
		// the district that keeps the shared catalogue, so their
		// administrators see it.
		if u, ok := sc.Tree.Unit(owner); ok {
			e.UnitID, e.UnitPath = u.ID, u.Path
		} else if u, ok := sc.Tree.Unit(sc.User.UnitID); ok {
			e.UnitID, e.UnitPath = u.ID, u.Path
		}
		return audit.Record(ctx, tx, e)
	})
	return in, err
}

// Margin returns a township's yellow band (DefaultMargin unless set).
func (s *Store) Margin(ctx context.Context, townshipID int64) (float64, error) {
	m, err := marginsOf(ctx, s.DB, []int64{townshipID})
	if err != nil {
		return 0, err
	}
	if v, ok := m[townshipID]; ok {
		return v, nil
	}
	return DefaultMargin, nil
}

// SetMargin sets a township's yellow band, a fraction between 0 and 0.5,
// and re-evaluates the township's targets by it. A township outside the
// caller's scope is not found (and the attempt audited) whatever the role.
func (s *Store) SetMargin(ctx context.Context, townshipID int64, margin float64) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	tw, ok := sc.Tree.Unit(townshipID)
	if !ok || tw.Kind != org.Township {
		return platform.ErrNotFound
	}
	if err := sc.Check(ctx, "target_settings", townshipID, townshipID); err != nil {
		return err
	}
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return s.forbidden(ctx, sc, "target_settings", townshipID, townshipID, err)
	}
	if margin <= 0 || margin > 0.5 || math.IsNaN(margin) {
		return platform.FieldError("margin", "target.err.bad_margin")
	}
	before, err := s.Margin(ctx, townshipID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM target_settings WHERE township_id = $1`, townshipID); err != nil {
			return platform.Internalf("margin: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO target_settings (township_id, margin, updated_at) VALUES ($1, $2, $3)`, townshipID, margin, now); err != nil {
			return platform.Internalf("margin: %w", err)
		}
		var w db.Where
		w.Add("t.township_id = ?", townshipID)
		ids, err := idsWhere(ctx, tx, &w)
		if err != nil {
			return err
		}
		if err := s.refresh(ctx, tx, ids); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "target_settings", EntityID: audit.ID(townshipID), UnitID: townshipID, UnitPath: tw.Path,
			Before: map[string]float64{"margin": before}, After: map[string]float64{"margin": margin}, At: now})
	})
}

// forbidden audits a refusal for the caller's role and returns err (403).
// denyUnit answers a unit asked for that the caller may not import to or
// export: another's is audited as out of scope; either way it is not found.
func (s *Store) denyUnit(ctx context.Context, id int64) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	return sc.DenyUnit(ctx, id)
}

func (s *Store) forbidden(ctx context.Context, sc *org.Scope, entity string, id, unitID int64, err error) error {
	path := ""
	if u, ok := sc.Tree.Unit(unitID); ok {
		path = u.Path
	}
	if aerr := audit.Deny(ctx, s.DB, audit.ReasonRole, entity, audit.ID(id), unitID, path); aerr != nil {
		return aerr
	}
	return err
}

// Filter narrows Targets. Nil fields are unset.
type Filter struct {
	Year        *int
	UnitID      *int64 // targets owned by this unit (Subtree: or below it)
	Subtree     bool
	IndicatorID *int64
	PersonID    *int64
	LeaderID    *int64 // targets whose leader in charge (分管领导) this person is
	Light       *Light
	TopLevel    bool // only targets without a parent (a township's own)
	Late        bool // only those late today (未报, see DuePeriod)
}

// TargetSorts are the sort keys of a targets list.
var TargetSorts = []string{"unit", "indicator", "completion", "gap", "light"}

// targetOrder maps the sort keys to the kept columns; every order ends in
// the tree's, then the catalogue's.
var targetOrder = map[string]string{
	"unit":       "p.unit_rank",
	"indicator":  "p.ind_rank",
	"completion": "p.completion",
	"gap":        "p.gap",
	"light":      "p.light_rank",
}

const naturalOrder = "p.unit_rank, p.ind_rank, p.person_rank"

// where builds the filter's conditions on target_progress p, within the
// caller's scope. A unit outside the scope is not found, and audited.
func (s *Store) where(ctx context.Context, sc *org.Scope, f Filter, light bool) (*db.Where, error) {
	year := s.currentYear()
	if f.Year != nil {
		year = *f.Year
	}
	var w db.Where
	within := int64(0)
	if f.UnitID != nil {
		if _, ok := sc.Tree.Unit(*f.UnitID); !ok {
			return nil, platform.ErrNotFound
		}
		if err := sc.Check(ctx, "unit", *f.UnitID, *f.UnitID); err != nil {
			return nil, err
		}
		within = *f.UnitID
	}
	if f.UnitID != nil && !f.Subtree {
		tenant := sc.Tree.TownshipOf(*f.UnitID)
		w.Add("p.township_id = ?", tenant)
		w.Add("p.unit_id = ?", *f.UnitID)
	} else {
		sc.Where(&w, "p.township_id", "p.unit_id", within)
	}
	w.Add("p.year = ?", year)
	if f.IndicatorID != nil {
		w.Add("p.indicator_id = ?", *f.IndicatorID)
	}
	if f.PersonID != nil {
		w.Add("p.person_rank = ?", *f.PersonID)
	}
	if f.LeaderID != nil {
		w.Add("p.leader_id = ?", *f.LeaderID)
	}
	if light && f.Light != nil {
		w.Add("p.light = ?", string(*f.Light))
	}
	if f.TopLevel {
		w.Add("p.top = ?", true)
	}
	if f.Late {
		if err := s.lateWhere(ctx, &w, lateTownships(sc, within), year); err != nil {
			return nil, err
		}
	}
	return &w, nil
}

// progressColumns are what a list reads of a target and its kept progress,
// all from target_progress p.
const progressColumns = `p.target_id, p.township_id, p.indicator_id, p.unit_id, p.person_rank, p.parent_id, p.year, p.kind, p.target_value,
	p.strive_value, p.last_year_total, p.weight, p.note,
	p.latest_figure_id, p.period, p.actual, p.rolled_up, p.last_year, p.completion, p.expected_share, p.gap, p.yoy, p.light,
	p.over_achieved, p.over_ceiling, p.forecast_run_rate, p.forecast_seasonal, p.forecast, p.pace, p.children, p.children_sum, p.forecast_note, p.met, p.allowance, p.allowance_pace, p.ceiling_note,
	p.leader_id, p.as_of`

func scanProgress(sc interface{ Scan(...any) error }, r *Row, total *int) error {
	var person, parent, latest, leader sql.NullInt64
	var strive, lyt sql.NullFloat64
	var kind, light, forecastNote, ceilingNote string
	var actual, lastYear, completion, gap, yoy, frr, fs, fc, pace, csum, allowance, allowancePace sql.NullFloat64
	p := &r.Progress
	dest := []any{&r.ID, &r.TownshipID, &r.IndicatorID, &r.UnitID, &person, &parent, &r.Year, &kind, &r.Value, &strive, &lyt, &r.Weight, &r.Note,
		&latest, &r.Period, &actual, &r.RolledUp, &lastYear, &completion, &p.ExpectedShare, &gap, &yoy, &light,
		&p.OverAchieved, &p.OverCeiling, &frr, &fs, &fc, &pace, &r.Children, &csum, &forecastNote, &p.Met, &allowance, &allowancePace, &ceilingNote, &leader, &r.AsOf}
	if total != nil {
		dest = append([]any{total}, dest...)
	}
	if err := sc.Scan(dest...); err != nil {
		return err
	}
	r.Kind, p.Light, p.ForecastNote, p.CeilingNote = Kind(kind), Light(light), ForecastNote(forecastNote), CeilingNote(ceilingNote)
	// The kept period is the month the statistics reach; a row counting a
	// 调度数 counts a figure of its day's month.
	r.StatPeriod = r.Period
	if len(r.AsOf) >= 7 {
		r.Period = r.AsOf[:7]
	}
	// The row's optional numbers live in one block, not one allocation each:
	// a page of fifty rows made six hundred.
	ints, nums := new([3]int64), new([14]float64)
	ni, nf := 0, 0
	opt := func(n sql.NullInt64) *int64 {
		if !n.Valid {
			return nil
		}
		ints[ni] = n.Int64
		ni++
		return &ints[ni-1]
	}
	num := func(n sql.NullFloat64) *float64 {
		if !n.Valid {
			return nil
		}
		nums[nf] = n.Float64
		nf++
		return &nums[nf-1]
	}
	r.PersonID, r.ParentID, r.LeaderID = opt(person), opt(parent), opt(leader)
	if r.PersonID != nil && *r.PersonID == 0 { // person_rank: 0 for the unit's own
		r.PersonID = nil
	}
	r.Strive, r.LastYearTotal = num(strive), num(lyt)
	r.Actual, r.LastYearSame = num(actual), num(lastYear)
	p.Completion, p.Gap, p.YoYGrowth = num(completion), num(gap), num(yoy)
	p.ForecastRunRate, p.ForecastSeasonal, p.Forecast, p.PaceNeeded = num(frr), num(fs), num(fc), num(pace)
	p.Allowance, p.AllowancePace = num(allowance), num(allowancePace)
	r.ChildrenSum = num(csum)
	if latest.Valid && r.Actual != nil && !r.RolledUp {
		r.Latest = &Figure{ID: latest.Int64, TargetID: r.ID, Period: r.Period, Value: *r.Actual, LastYear: r.LastYearSame}
	}
	return nil
}

// rows runs a query of progressColumns and fills each row's indicator, unit
// and person from the catalogue and the org tree.
func (s *Store) rows(ctx context.Context, sc *org.Scope, query string, args ...any) ([]Row, error) {
	return s.rowsCounted(ctx, sc, nil, query, args...)
}

// rowsCounted is rows for a query whose first column is a count (total),
// the same on every row.
func (s *Store) rowsCounted(ctx context.Context, sc *org.Scope, total *int, query string, args ...any) ([]Row, error) {
	inds, _, err := s.indicators(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := s.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, platform.Internalf("targets: %w", err)
	}
	defer rs.Close()
	var out []Row
	var people []int64 // responsible people and leaders in charge
	for rs.Next() {
		var r Row
		if err := scanProgress(rs, &r, total); err != nil {
			return nil, platform.Internalf("targets scan: %w", err)
		}
		r.Indicator = inds[r.IndicatorID]
		if u, ok := sc.Tree.Unit(r.UnitID); ok {
			r.UnitName, r.UnitPath = u.Name, u.Path
		}
		if r.PersonID != nil {
			people = append(people, *r.PersonID)
		}
		if r.LeaderID != nil {
			people = append(people, *r.LeaderID)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		return nil, platform.Internalf("targets: %w", err)
	}
	if len(people) > 0 {
		// One read names both: a leader sits on the township's team, which
		// everyone in the township knows, whatever their own scope.
		names, err := sc.Names(ctx, people)
		if err != nil {
			return nil, err
		}
		for i := range out {
			if out[i].PersonID != nil {
				out[i].PersonName = names[*out[i].PersonID].Name
			}
			if out[i].LeaderID != nil {
				out[i].LeaderName = names[*out[i].LeaderID].Name
			}
		}
	}
	if err := s.markLate(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// Targets returns a page of the targets in the caller's scope matching f,
// with their kept progress, in the page's order (the org tree's, then the
// catalogue's, unless sorted otherwise); p learns the total. A unit outside
// the scope is not found.
func (s *Store) Targets(ctx context.Context, f Filter, p db.Pager) ([]Row, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.where(ctx, sc, f, true)
	if err != nil {
		return nil, err
	}
	// The page and the count in one statement: the count is a separate,
	// indexed COUNT(*) (a subquery both engines run once), not a window over
	// the filter. Everything a row shows is kept in target_progress, so the
	// page is one index walk with no join.
	where, args := w.SQL(), len(w.Args)
	order := p.OrderBy(targetOrder, naturalOrder, "p.target_id")
	if kept, ok, err := s.keptCount(ctx, sc, f); err != nil || ok {
		// Whole townships: the count is theirs, kept.
		if err != nil {
			return nil, err
		}
		p.SetTotal(kept)
		if kept == 0 {
			return nil, nil
		}
		read := func(query string, args ...any) ([]Row, error) { return s.rows(ctx, sc, query, args...) }
		if rows, ok, err := s.seekPage(ctx, w, order, p, read); err != nil || ok {
			return rows, err
		}
		return s.rows(ctx, sc, `SELECT `+progressColumns+` FROM target_progress p`+where+order+w.Page(p), w.Args...)
	}
	page := func() ([]Row, int, error) {
		var total int
		rows, err := s.rowsCounted(ctx, sc, &total, `SELECT (SELECT COUNT(*) FROM target_progress p`+where+`), `+progressColumns+
			` FROM target_progress p`+where+order+w.Page(p), w.Args...)
		w.Args = w.Args[:args]
		return rows, total, err
	}
	rows, total, err := page()
	if err != nil || len(rows) > 0 || p.Offset() == 0 {
		p.SetTotal(total)
		return rows, err
	}
	// Past the last page: count, move to the last page, read it.
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM target_progress p`+where, w.Args...).Scan(&total); err != nil {
		return nil, platform.Internalf("targets count: %w", err)
	}
	p.SetTotal(total)
	if total == 0 {
		return nil, nil
	}
	rows, _, err = page()
	return rows, err
}

// Summary is what a targets list shows above its rows: how many of each
// light the filter holds (before the light filter itself) and the latest
// period among them.
type Summary struct {
	Counts Counts
	AsOf   string // YYYY-MM, "" without figures
}

// Summarize counts the lights of the targets matching f (its light aside)
// from the kept progress.
func (s *Store) Summarize(ctx context.Context, f Filter) (Summary, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Summary{}, err
	}
	w, err := s.where(ctx, sc, f, false)
	if err != nil {
		return Summary{}, err
	}
	query := `SELECT p.light, COUNT(*), MAX(p.period) FROM target_progress p` + w.SQL() + ` GROUP BY p.light`
	if kw, ok := s.keptWhere(sc, f); ok {
		// Whole townships: their kept counts, not a count of their targets.
		w, query = kw, `SELECT c.light, SUM(c.n), MAX(c.period) FROM target_lights c`+kw.SQL()+` GROUP BY c.light`
	}
	rows, err := s.DB.QueryContext(ctx, query, w.Args...)
	if err != nil {
		return Summary{}, platform.Internalf("targets summary: %w", err)
	}
	defer rows.Close()
	var sum Summary
	for rows.Next() {
		var light, period string
		var n int
		if err := rows.Scan(&light, &n, &period); err != nil {
			return Summary{}, platform.Internalf("targets summary: %w", err)
		}
		switch Light(light) {
		case Green:
			sum.Counts.Green += n
		case Yellow:
			sum.Counts.Yellow += n
		case Red:
			sum.Counts.Red += n
		default:
			sum.Counts.None += n
		}
		sum.AsOf = max(sum.AsOf, period)
	}
	return sum, rows.Err()
}

// keptWhere is the filter on target_lights c that f's targets are counted
// by, when f asks for whole townships (a light at most: no unit inside a
// township, no indicator, person, leader or level); ok is false otherwise.
func (s *Store) keptWhere(sc *org.Scope, f Filter) (*db.Where, bool) {
	within := int64(0)
	if f.UnitID != nil {
		within = *f.UnitID
	}
	if f.IndicatorID != nil || f.PersonID != nil || f.LeaderID != nil || f.TopLevel || f.Late || (f.UnitID != nil && !f.Subtree) || !sc.WholeTownships(within) {
		return nil, false
	}
	year := s.currentYear()
	if f.Year != nil {
		year = *f.Year
	}
	var w db.Where
	sc.Where(&w, "c.township_id", "", within)
	w.Add("c.year = ?", year)
	return &w, true
}

// keptCount is how many targets match f, from the kept light counts, when
// keptWhere serves f.
func (s *Store) keptCount(ctx context.Context, sc *org.Scope, f Filter) (int, bool, error) {
	w, ok := s.keptWhere(sc, f)
	if !ok {
		return 0, false, nil
	}
	if f.Light != nil {
		w.Add("c.light = ?", string(*f.Light))
	}
	var n sql.NullInt64
	if err := s.DB.QueryRowContext(ctx, `SELECT SUM(c.n) FROM target_lights c`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return 0, false, platform.Internalf("targets count: %w", err)
	}
	return int(n.Int64), true, nil
}

func (s *Store) currentYear() int { return s.now().In(clock.Beijing).Year() }

// indicatorsByID reads the whole catalogue through q, by id.
func indicatorsByID(ctx context.Context, q db.Queryer) (map[int64]Indicator, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+indicatorColumns+` FROM indicators`)
	if err != nil {
		return nil, platform.Internalf("indicators: %w", err)
	}
	defer rows.Close()
	out := map[int64]Indicator{}
	for rows.Next() {
		in, err := scanIndicator(rows)
		if err != nil {
			return nil, platform.Internalf("indicators scan: %w", err)
		}
		out[in.ID] = in
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("indicators: %w", err)
	}
	return out, nil
}

// figureColumns are the columns scanFigure reads, from figures f.
const figureColumns = `f.id, f.target_id, f.period, f.as_of, f.value, f.last_year_value, f.source, f.note, f.reason, f.entered_by_login, f.entered_at,
	f.status, f.reviewed_by_login, f.reviewed_at, f.review_reason`

// scanFigures runs a query of figureColumns and appends each figure to its
// target's list in out.
func scanFigures(ctx context.Context, q db.Queryer, out map[int64][]Figure, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return platform.Internalf("figures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		f, err := scanFigure(rows)
		if err != nil {
			return platform.Internalf("figures scan: %w", err)
		}
		out[f.TargetID] = append(out[f.TargetID], f)
	}
	if err := rows.Err(); err != nil {
		return platform.Internalf("figures: %w", err)
	}
	return nil
}

func scanFigure(sc interface{ Scan(...any) error }) (Figure, error) {
	var f Figure
	var ly sql.NullFloat64
	var at sql.NullTime
	err := sc.Scan(&f.ID, &f.TargetID, &f.Period, &f.AsOf, &f.Value, &ly, &f.Source, &f.Note, &f.Reason, &f.EnteredBy, &f.EnteredAt,
		&f.Status, &f.ReviewedBy, &at, &f.ReviewReason)
	if ly.Valid {
		f.LastYear = &ly.Float64
	}
	if at.Valid {
		t := at.Time.UTC()
		f.ReviewedAt = &t
	}
	return f, err
}

// Compute derives every row's actual and progress from the current figures;
// margin gives each township's yellow band.
// A target's actual is its own figure for its latest period; a target with no
// figure of its own whose indicator is additive takes the sum of its direct
// children at the latest period they all share, marked RolledUp. Each figure
// is counted once: a parent with its own figure never adds its children's.
func Compute(rows []Row, figs map[int64][]Figure, margin func(township int64) float64) {
	children := map[int64][]int{}
	for i, r := range rows {
		if r.ParentID != nil {
			children[*r.ParentID] = append(children[*r.ParentID], i)
		}
	}
	for i := range rows {
		r := &rows[i]
		kids := children[r.ID]
		r.Children = len(kids)
		if len(kids) > 0 && r.Indicator.Additive && r.Kind == KindValue {
			sum := 0.0
			for _, k := range kids {
				sum += rows[k].Value
			}
			r.ChildrenSum = &sum
		}
		var lastYear *float64
		if fs := figs[r.ID]; len(fs) > 0 {
			f := fs[len(fs)-1]
			r.Latest = &f
			v := f.Value
			r.Actual, r.Period, r.AsOf, lastYear = &v, f.Period, f.AsOf, f.LastYear
			for i := len(fs) - 1; i >= 0; i-- {
				if fs[i].AsOf == "" {
					r.StatPeriod = fs[i].Period
					break
				}
			}
		} else if len(kids) > 0 && r.Indicator.Additive && r.Indicator.Measure == MeasureCumulative {
			r.Actual, r.Period, lastYear = rollUp(kids, rows, figs)
			r.RolledUp = r.Actual != nil
			r.StatPeriod = r.Period
		}
		share, left := scheduleOf(r.Period, r.AsOf)
		in := Input{
			Measure: r.Indicator.Measure, Kind: r.Kind, Direction: r.Indicator.Direction,
			Target: r.Value, HasActual: r.Actual != nil,
			LastYearSame: lastYear, LastYearTotal: r.LastYearTotal,
			Share: share, MonthsLeft: left,
			Margin: margin(r.TownshipID),
		}
		if r.Actual != nil {
			in.Actual = *r.Actual
		}
		r.LastYearSame = lastYear
		r.Progress = Evaluate(in)
	}
}

// rollUp sums the children's figures at the latest period every child with
// figures has reached; children without any figure add nothing.
func rollUp(kids []int, rows []Row, figs map[int64][]Figure) (*float64, string, *float64) {
	period := ""
	for _, k := range kids {
		fs := figs[rows[k].ID]
		if len(fs) == 0 {
			continue
		}
		if p := fs[len(fs)-1].Period; period == "" || p < period {
			period = p
		}
	}
	if period == "" {
		return nil, "", nil
	}
	var sum, lySum float64
	lyKnown := true
	for _, k := range kids {
		fs := figs[rows[k].ID]
		i := sort.Search(len(fs), func(i int) bool { return fs[i].Period >= period })
		if i == len(fs) || fs[i].Period != period {
			continue
		}
		sum += fs[i].Value
		if fs[i].LastYear == nil {
			lyKnown = false
		} else {
			lySum += *fs[i].LastYear
		}
	}
	if !lyKnown {
		return &sum, period, nil
	}
	return &sum, period, &lySum
}
