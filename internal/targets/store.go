package targets

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Store keeps indicators, targets and figures. Every method reads the caller
// from ctx: targets outside the caller's subtree do not exist for them.
type Store struct {
	DB  *db.DB
	Now func() time.Time
	Org *org.Store // the org tree and people in scope
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// MaxName bounds an indicator's name; MaxNote a note.
const (
	MaxName = 60
	MaxNote = 200
)

const indicatorColumns = `id, name, measure_unit, category, measure, direction, cadence, additive, non_negative, sort`

func scanIndicator(sc interface{ Scan(...any) error }) (Indicator, error) {
	var in Indicator
	var measure, direction, cadence string
	err := sc.Scan(&in.ID, &in.Name, &in.MeasureUnit, &in.Category, &measure, &direction, &cadence, &in.Additive, &in.NonNegative, &in.Sort)
	in.Measure, in.Direction, in.Cadence = Measure(measure), Direction(direction), Cadence(cadence)
	return in, err
}

// Indicators returns the catalogue in display order. The catalogue is shared
// by every township, so anyone signed in may read it.
func (s *Store) Indicators(ctx context.Context) ([]Indicator, error) {
	if _, err := auth.Caller(ctx); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+indicatorColumns+` FROM indicators ORDER BY sort, id`)
	if err != nil {
		return nil, platform.Internalf("indicators: %w", err)
	}
	defer rows.Close()
	var out []Indicator
	for rows.Next() {
		in, err := scanIndicator(rows)
		if err != nil {
			return nil, platform.Internalf("indicators scan: %w", err)
		}
		out = append(out, in)
	}
	return out, rows.Err()
}

// Indicator returns one indicator.
func (s *Store) Indicator(ctx context.Context, id int64) (Indicator, error) {
	if _, err := auth.Caller(ctx); err != nil {
		return Indicator{}, err
	}
	in, err := scanIndicator(s.DB.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Indicator{}, platform.ErrNotFound
	}
	if err != nil {
		return Indicator{}, platform.Internalf("indicator %d: %w", id, err)
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
	if in.Direction != Higher && in.Direction != Lower {
		es = append(es, platform.FieldError("direction", "target.err.bad_choice"))
	}
	if in.Cadence != Monthly && in.Cadence != Quarterly {
		es = append(es, platform.FieldError("cadence", "target.err.bad_choice"))
	}
	return es.Err()
}

// SaveIndicator creates (ID 0) or updates an indicator. Names are unique.
func (s *Store) SaveIndicator(ctx context.Context, in Indicator) (Indicator, error) {
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return Indicator{}, err
	}
	if err := in.check(); err != nil {
		return Indicator{}, err
	}
	now := s.now().UTC()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var before any
		var err error
		if in.ID == 0 {
			err = tx.QueryRowContext(ctx, `INSERT INTO indicators (name, measure_unit, category, measure, direction, cadence, additive, non_negative, sort, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
				in.Name, in.MeasureUnit, in.Category, string(in.Measure), string(in.Direction), string(in.Cadence), in.Additive, in.NonNegative, in.Sort, now).Scan(&in.ID)
		} else {
			old, gerr := scanIndicator(tx.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE id = $1`, in.ID))
			if errors.Is(gerr, sql.ErrNoRows) {
				return platform.ErrNotFound
			}
			before = old
			_, err = tx.ExecContext(ctx, `UPDATE indicators SET name = $1, measure_unit = $2, category = $3, measure = $4, direction = $5, cadence = $6, additive = $7, non_negative = $8, sort = $9, updated_at = $10 WHERE id = $11`,
				in.Name, in.MeasureUnit, in.Category, string(in.Measure), string(in.Direction), string(in.Cadence), in.Additive, in.NonNegative, in.Sort, now, in.ID)
		}
		if db.IsUniqueViolation(err) {
			return &platform.Error{Code: platform.Conflict, Key: "target.err.duplicate_indicator", Args: []any{in.Name}, Field: "name"}
		}
		if err != nil {
			return platform.Internalf("save indicator: %w", err)
		}
		action := audit.Create
		if before != nil {
			action = audit.Update
		}
		return audit.Record(ctx, tx, audit.Entry{Action: action, Entity: "indicator", EntityID: audit.ID(in.ID), Before: before, After: in, At: now})
	})
	return in, err
}

// unitInfo is what the rules need of the org tree.
type unitInfo struct {
	ID   int64
	Kind string
	Name string
	Path string
}

// units returns the units in the caller's scope, and their ancestors up to
// the root (for finding a unit's township), by id.
func (s *Store) units(ctx context.Context, q db.Queryer, u *auth.User) (map[int64]unitInfo, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, name, path FROM units WHERE path LIKE $1 OR $2 LIKE path || '%'`, u.UnitPath+"%", u.UnitPath)
	if err != nil {
		return nil, platform.Internalf("units: %w", err)
	}
	defer rows.Close()
	out := map[int64]unitInfo{}
	for rows.Next() {
		var x unitInfo
		if err := rows.Scan(&x.ID, &x.Kind, &x.Name, &x.Path); err != nil {
			return nil, platform.Internalf("units scan: %w", err)
		}
		out[x.ID] = x
	}
	return out, rows.Err()
}

// townshipOf returns the id of the township a unit belongs to (itself when
// it is one), or 0.
func townshipOf(units map[int64]unitInfo, path string) int64 {
	for _, seg := range strings.Split(strings.Trim(path, "/"), "/") {
		id, _ := strconv.ParseInt(seg, 10, 64)
		if units[id].Kind == "township" {
			return id
		}
	}
	return 0
}

// Margin returns a township's yellow band (DefaultMargin unless set).
func (s *Store) Margin(ctx context.Context, townshipID int64) (float64, error) {
	var m float64
	err := s.DB.QueryRowContext(ctx, `SELECT margin FROM target_settings WHERE township_id = $1`, townshipID).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return DefaultMargin, nil
	}
	if err != nil {
		return 0, platform.Internalf("margin: %w", err)
	}
	return m, nil
}

// SetMargin sets a township's yellow band, a fraction between 0 and 0.5.
func (s *Store) SetMargin(ctx context.Context, townshipID int64, margin float64) error {
	u, err := auth.Require(ctx, auth.ManageTargets)
	if err != nil {
		return err
	}
	if margin <= 0 || margin > 0.5 || math.IsNaN(margin) {
		return platform.FieldError("margin", "target.err.bad_margin")
	}
	units, err := s.units(ctx, s.DB, u)
	if err != nil {
		return err
	}
	tw, ok := units[townshipID]
	if !ok || tw.Kind != "township" || !u.InScope(tw.Path) {
		return platform.ErrNotFound
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
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "target_settings", EntityID: audit.ID(townshipID), UnitID: townshipID, UnitPath: tw.Path,
			Before: map[string]float64{"margin": before}, After: map[string]float64{"margin": margin}, At: now})
	})
}

// Filter narrows Targets. Nil fields are unset.
type Filter struct {
	Year        *int
	UnitID      *int64 // targets owned by this unit (Subtree: or below it)
	Subtree     bool
	IndicatorID *int64
	PersonID    *int64
	Light       *Light
	TopLevel    bool // only targets without a parent (a township's own)
	Offset      int
	Limit       int // 0: all
}

// Targets returns targets in the caller's scope with their progress, ordered
// by unit, then indicator, and the total before paging.
func (s *Store) Targets(ctx context.Context, f Filter) ([]Row, int, error) {
	u, err := auth.Caller(ctx)
	if err != nil {
		return nil, 0, err
	}
	units, err := s.units(ctx, s.DB, u)
	if err != nil {
		return nil, 0, err
	}
	year := s.currentYear()
	if f.Year != nil {
		year = *f.Year
	}
	// All targets of the year in scope are loaded, not only the filtered
	// ones: a parent's roll-up needs its children.
	all, err := s.loadRows(ctx, u, year)
	if err != nil {
		return nil, 0, err
	}
	if f.UnitID != nil {
		un, ok := units[*f.UnitID]
		if !ok || !u.InScope(un.Path) {
			if ok {
				audit.Record(ctx, s.DB, audit.Entry{Action: audit.Denied, Entity: "unit", EntityID: audit.ID(*f.UnitID), UnitPath: un.Path})
			}
			return nil, 0, platform.ErrNotFound
		}
	}
	if err := s.evaluate(ctx, all, units, year); err != nil {
		return nil, 0, err
	}
	var out []Row
	for _, r := range all {
		switch {
		case f.UnitID != nil && !f.Subtree && r.UnitID != *f.UnitID:
			continue
		case f.UnitID != nil && f.Subtree && !strings.HasPrefix(r.UnitPath, units[*f.UnitID].Path):
			continue
		case f.IndicatorID != nil && r.IndicatorID != *f.IndicatorID:
			continue
		case f.PersonID != nil && (r.PersonID == nil || *r.PersonID != *f.PersonID):
			continue
		case f.Light != nil && r.Progress.Light != *f.Light:
			continue
		case f.TopLevel && r.ParentID != nil:
			continue
		}
		out = append(out, r)
	}
	total := len(out)
	if f.Offset > 0 {
		if f.Offset >= len(out) {
			out = nil
		} else {
			out = out[f.Offset:]
		}
	}
	if f.Limit > 0 && len(out) > f.Limit {
		out = out[:f.Limit]
	}
	return out, total, nil
}

func (s *Store) currentYear() int { return s.now().In(clock.Beijing).Year() }

// loadRows reads every target of the year in the caller's scope (progress
// is left to evaluate), ordered by unit (tree path), indicator (catalogue
// order), owner (the unit's own target first, then its people's) and id.
// The indicators come from one small read rather than joined into every
// row, and the order is set here rather than by the database: a district has
// thousands of targets, and each saves a good part of the time. (Go's order
// is also the same on both engines, where PostgreSQL would sort NULL owners
// last and compare paths by locale.)
func (s *Store) loadRows(ctx context.Context, u *auth.User, year int) ([]Row, error) {
	inds, err := s.indicatorsByID(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT t.id, t.indicator_id, t.unit_id, t.person_id, t.parent_id, t.year, t.kind, t.target_value, t.strive_value, t.last_year_total, t.weight, t.note,
		un.name, un.path, COALESCE(p.name, '')
		FROM targets t JOIN units un ON un.id = t.unit_id LEFT JOIN people p ON p.id = t.person_id
		WHERE un.path LIKE $1 AND t.year = $2`, u.UnitPath+"%", year)
	if err != nil {
		return nil, platform.Internalf("targets: %w", err)
	}
	defer rows.Close()
	// Rows are large: they are kept in blocks rather than one growing slice,
	// which would copy them over and over.
	const block = 1024
	var blocks [][]Row
	n := 0
	for rows.Next() {
		if n%block == 0 {
			blocks = append(blocks, make([]Row, 0, block))
		}
		b := &blocks[len(blocks)-1]
		*b = append(*b, Row{})
		r := &(*b)[len(*b)-1]
		n++
		var person, parent sql.NullInt64
		var strive, lyt sql.NullFloat64
		var kind string
		if err := rows.Scan(&r.ID, &r.IndicatorID, &r.UnitID, &person, &parent, &r.Year, &kind, &r.Value, &strive, &lyt, &r.Weight, &r.Note,
			&r.UnitName, &r.UnitPath, &r.PersonName); err != nil {
			return nil, platform.Internalf("targets scan: %w", err)
		}
		if person.Valid {
			r.PersonID = &person.Int64
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
		r.Kind = Kind(kind)
		r.Indicator = inds[r.IndicatorID]
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("targets: %w", err)
	}
	at := func(i int) *Row { return &blocks[i/block][i%block] }
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(i, j int) bool {
		a, b := at(order[i]), at(order[j])
		switch {
		case a.UnitPath != b.UnitPath:
			return a.UnitPath < b.UnitPath
		case a.Indicator.Sort != b.Indicator.Sort:
			return a.Indicator.Sort < b.Indicator.Sort
		case a.IndicatorID != b.IndicatorID:
			return a.IndicatorID < b.IndicatorID
		case (a.PersonID == nil) != (b.PersonID == nil):
			return a.PersonID == nil
		case a.PersonID != nil && *a.PersonID != *b.PersonID:
			return *a.PersonID < *b.PersonID
		}
		return a.ID < b.ID
	})
	out := make([]Row, n)
	for i, k := range order {
		out[i] = *at(k)
	}
	return out, nil
}

// indicatorsByID reads the whole catalogue, by id.
func (s *Store) indicatorsByID(ctx context.Context) (map[int64]Indicator, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT `+indicatorColumns+` FROM indicators`)
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
const figureColumns = `f.id, f.target_id, f.period, f.value, f.last_year_value, f.source, f.note, f.entered_by_login, f.entered_at`

// currentFigures returns what Compute reads of the figures of rows, the year's
// targets in the caller's scope: each target's current figure for its latest
// period, and, for the children of a target that may roll up theirs (one with
// no figure of its own whose indicator is additive and cumulative), the
// current figure of every period, ordered by period. Reading only the latest
// figure of the others keeps a district's board from reading every month of
// every town: one index seek per target instead of every figure of the year.
func (s *Store) currentFigures(ctx context.Context, q db.Queryer, u *auth.User, year int, rows []Row) (map[int64][]Figure, error) {
	out := make(map[int64][]Figure, len(rows))
	err := scanFigures(ctx, q, out, `SELECT `+figureColumns+`
		FROM targets t JOIN units un ON un.id = t.unit_id
		JOIN figures f ON f.id = (SELECT f2.id FROM figures f2 WHERE f2.target_id = t.id ORDER BY f2.period DESC, f2.id DESC LIMIT 1)
		WHERE t.year = $1 AND un.path LIKE $2`, year, u.UnitPath+"%")
	if err != nil {
		return nil, err
	}
	rollsUp := map[int64]bool{}
	for _, r := range rows {
		if len(out[r.ID]) == 0 && r.Indicator.Additive && r.Indicator.Measure == MeasureCumulative {
			rollsUp[r.ID] = true
		}
	}
	var kids []any
	for _, r := range rows {
		if r.ParentID != nil && rollsUp[*r.ParentID] && len(out[r.ID]) > 0 {
			kids = append(kids, r.ID)
		}
	}
	const chunk = 500
	for len(kids) > 0 {
		n := min(len(kids), chunk)
		marks := make([]string, n)
		for i := range marks {
			marks[i] = "$" + strconv.Itoa(i+1)
		}
		history := map[int64][]Figure{}
		err := scanFigures(ctx, q, history, `SELECT `+figureColumns+` FROM figures f WHERE f.target_id IN (`+strings.Join(marks, ", ")+`) ORDER BY f.target_id, f.period, f.id`, kids[:n]...)
		if err != nil {
			return nil, err
		}
		for id, fs := range history {
			// The last entry of each period is the current one.
			cur := fs[:0]
			for i, f := range fs {
				if i+1 < len(fs) && fs[i+1].Period == f.Period {
					continue
				}
				cur = append(cur, f)
			}
			out[id] = cur
		}
		kids = kids[n:]
	}
	return out, nil
}

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
	err := sc.Scan(&f.ID, &f.TargetID, &f.Period, &f.Value, &ly, &f.Source, &f.Note, &f.EnteredBy, &f.EnteredAt)
	if ly.Valid {
		f.LastYear = &ly.Float64
	}
	return f, err
}

// evaluate fills Latest, Actual, RolledUp, Period, Progress, Children and
// ChildrenSum of every row, using the rows themselves for roll-ups.
func (s *Store) evaluate(ctx context.Context, rows []Row, units map[int64]unitInfo, year int) error {
	u, _ := auth.Caller(ctx)
	figs, err := s.currentFigures(ctx, s.DB, u, year, rows)
	if err != nil {
		return err
	}
	margins, err := s.margins(ctx)
	if err != nil {
		return err
	}
	Compute(rows, figs, func(path string) float64 {
		if m, ok := margins[townshipOf(units, path)]; ok {
			return m
		}
		return DefaultMargin
	})
	return nil
}

func (s *Store) margins(ctx context.Context) (map[int64]float64, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT township_id, margin FROM target_settings`)
	if err != nil {
		return nil, platform.Internalf("margins: %w", err)
	}
	defer rows.Close()
	out := map[int64]float64{}
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

// Compute derives every row's actual and progress from the current figures.
// A target's actual is its own figure for its latest period; a target with no
// figure of its own whose indicator is additive takes the sum of its direct
// children at the latest period they all share, marked RolledUp. Each figure
// is counted once: a parent with its own figure never adds its children's.
func Compute(rows []Row, figs map[int64][]Figure, margin func(unitPath string) float64) {
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
			r.Actual, r.Period, lastYear = &v, f.Period, f.LastYear
		} else if len(kids) > 0 && r.Indicator.Additive && r.Indicator.Measure == MeasureCumulative {
			r.Actual, r.Period, lastYear = rollUp(kids, rows, figs)
			r.RolledUp = r.Actual != nil
		}
		month := periodMonth(r.Period)
		in := Input{
			Measure: r.Indicator.Measure, Kind: r.Kind, Direction: r.Indicator.Direction,
			Target: r.Value, HasActual: r.Actual != nil,
			LastYearSame: lastYear, LastYearTotal: r.LastYearTotal,
			Share: ExpectedShareMonth(month), MonthsLeft: MonthsLeft(month),
			Margin: margin(r.UnitPath),
		}
		if r.Actual != nil {
			in.Actual = *r.Actual
		}
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
