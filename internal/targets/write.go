package targets

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// Target returns one target in scope with its kept progress, read by id.
// A target outside the caller's scope is not found, and the attempt audited.
func (s *Store) Target(ctx context.Context, id int64) (Row, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Row{}, err
	}
	return s.target(ctx, sc, id)
}

func (s *Store) target(ctx context.Context, sc *org.Scope, id int64) (Row, error) {
	var unit int64
	err := s.DB.QueryRowContext(ctx, `SELECT unit_id FROM targets WHERE id = $1`, id).Scan(&unit)
	if errors.Is(err, sql.ErrNoRows) {
		return Row{}, platform.ErrNotFound
	}
	if err != nil {
		return Row{}, platform.Internalf("target %d: %w", id, err)
	}
	if err := sc.Check(ctx, "target", id, unit); err != nil {
		return Row{}, err
	}
	rows, err := s.rows(ctx, sc, `SELECT `+progressColumns+` FROM target_progress p WHERE p.target_id = $1`, id)
	if err != nil {
		return Row{}, err
	}
	if len(rows) == 0 {
		return Row{}, platform.Internalf("target %d has no kept progress", id)
	}
	r := rows[0]
	if r.Latest != nil { // the whole figure: who entered it, how and why
		f, err := scanFigure(s.DB.QueryRowContext(ctx, `SELECT `+figureColumns+` FROM figures f WHERE f.id = $1`, r.Latest.ID))
		if err != nil {
			return Row{}, platform.Internalf("target %d latest figure: %w", id, err)
		}
		r.Latest = &f
	}
	return r, nil
}

// Related returns the parent of a target (nil for a township's own) and its
// children, with their kept progress, in the tree's order.
func (s *Store) Related(ctx context.Context, t Row) (*Row, []Row, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, nil, err
	}
	var parent *Row
	if t.ParentID != nil {
		rs, err := s.rows(ctx, sc, `SELECT `+progressColumns+` FROM target_progress p WHERE p.target_id = $1`, *t.ParentID)
		if err != nil {
			return nil, nil, err
		}
		// A parent beyond the caller's scope (a village reporter's share of
		// the township's target) is named but not opened.
		if len(rs) == 1 && sc.Has(rs[0].UnitID) {
			parent = &rs[0]
		}
	}
	kids, err := s.rows(ctx, sc, `SELECT `+progressColumns+` FROM target_progress p
		WHERE p.parent_id = $1 ORDER BY `+naturalOrder+`, p.target_id`, t.ID)
	if err != nil {
		return nil, nil, err
	}
	return parent, kids, nil
}

// History returns every figure of a target, corrections included, newest
// first: the full record of who entered what and when.
func (s *Store) History(ctx context.Context, targetID int64) ([]Figure, error) {
	if _, err := s.Target(ctx, targetID); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+figureColumns+`
		FROM figures f WHERE f.target_id = $1 ORDER BY f.period DESC, f.id DESC`, targetID)
	if err != nil {
		return nil, platform.Internalf("history: %w", err)
	}
	defer rows.Close()
	var out []Figure
	for rows.Next() {
		f, err := scanFigure(rows)
		if err != nil {
			return nil, platform.Internalf("history scan: %w", err)
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// Series returns the current figure of each month of a target's year, for
// its chart: index 0 is January; nil where there is no counted figure.
func (s *Store) Series(ctx context.Context, targetID int64) ([12]*Figure, error) {
	var out [12]*Figure
	hist, err := s.History(ctx, targetID)
	if err != nil {
		return out, err
	}
	for i := len(hist) - 1; i >= 0; i-- { // oldest first, so the latest entry of a period wins
		f := hist[i]
		if m := f.Month(); m >= 1 && f.Status == Approved {
			out[m-1] = &f
		}
	}
	return out, nil
}

// TargetInput creates a target. Share, when set, is the child's share of the
// parent's target in percent and sets Value.
type TargetInput struct {
	IndicatorID   int64
	UnitID        int64
	PersonID      *int64
	LeaderID      *int64 // 分管领导, on the township's team; a share given none takes its parent's
	ParentID      *int64
	Year          int
	Kind          Kind
	Value         *float64
	Share         *float64
	Strive        *float64
	LastYearTotal *float64
	Weight        *float64
	Note          string
	// MeasureUnit is the measurement unit Value, Strive and LastYearTotal
	// are given in (the API's measure_unit); empty means the indicator's
	// own. A growth target's rate is a percentage whatever it says.
	MeasureUnit string
}

func finiteOrNil(p *float64) bool { return p == nil || !(math.IsNaN(*p) || math.IsInf(*p, 0)) }

// CreateTarget sets an annual target for a unit or a person in it, or a share
// of a parent target (decomposition: the child's unit must lie within the
// parent's, the indicator and year must match). A leader in charge given
// must sit on the township's leadership team (Invalid on leader_id); a share
// given none takes its parent's.
func (s *Store) CreateTarget(ctx context.Context, in TargetInput) (Row, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Row{}, err
	}
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return Row{}, s.forbidden(ctx, sc, "target", 0, in.UnitID, err)
	}
	nt, err := s.checkTarget(ctx, sc, in)
	if err != nil {
		return Row{}, err
	}
	now := s.now().UTC()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if id, err = insertTarget(ctx, tx, nt, now); err != nil {
			return err
		}
		return s.refresh(ctx, tx, []int64{id})
	})
	if err != nil {
		return Row{}, err
	}
	return s.Target(ctx, id)
}

// newTarget is a TargetInput that has passed the rules of a new target,
// with what they looked up.
type newTarget struct {
	in       TargetInput // its values converted into the indicator's unit
	unit     org.Unit
	township int64
	weight   float64
}

// checkTarget applies every rule of a new target (see CreateTarget) and
// converts its values into the indicator's measurement unit. It writes
// nothing and leaves the caller's permission to the caller: CreateTarget and
// the import (import_targets.go) both set targets through it and insertTarget.
func (s *Store) checkTarget(ctx context.Context, sc *org.Scope, in TargetInput) (newTarget, error) {
	var es platform.Errors
	ind, err := s.Indicator(ctx, in.IndicatorID)
	if err != nil {
		es = append(es, platform.FieldError("indicator_id", "target.err.no_indicator"))
	}
	unit, ok := sc.Unit(in.UnitID)
	if !ok {
		if err := sc.DenyUnit(ctx, in.UnitID); platform.ErrorCode(err) != platform.NotFound {
			return newTarget{}, err
		}
		es = append(es, platform.FieldError("unit_id", "target.err.no_unit"))
	}
	if in.Kind == "" {
		in.Kind = KindValue
	}
	if in.Kind != KindValue && in.Kind != KindGrowth {
		es = append(es, platform.FieldError("kind", "target.err.bad_choice"))
	}
	if err == nil {
		values := []**float64{&in.Strive, &in.LastYearTotal}
		if in.Kind != KindGrowth {
			values = append(values, &in.Value)
		}
		if e := convertGiven(in.MeasureUnit, ind.MeasureUnit, values...); e != nil {
			es = append(es, e)
		}
	}
	if in.Year == 0 {
		in.Year = s.currentYear()
	}
	if in.Year < 2000 || in.Year > 2100 {
		es = append(es, platform.FieldError("year", "target.err.bad_year"))
	}
	in.Note = strings.TrimSpace(in.Note)
	if len([]rune(in.Note)) > MaxNote {
		es = append(es, platform.FieldError("note", "form.err.too_long", MaxNote))
	}
	for _, p := range []struct {
		field string
		v     *float64
	}{{"target_value", in.Value}, {"share", in.Share}, {"strive_value", in.Strive}, {"last_year_total", in.LastYearTotal}, {"weight", in.Weight}} {
		if !finiteOrNil(p.v) {
			es = append(es, platform.FieldError(p.field, "form.err.not_number"))
		}
	}
	if err := es.Err(); err != nil {
		return newTarget{}, err
	}
	var parent *Row
	if in.ParentID != nil {
		p, err := s.Target(ctx, *in.ParentID)
		if err != nil {
			return newTarget{}, platform.FieldError("parent_id", "target.err.no_parent")
		}
		parent = &p
		switch {
		case p.IndicatorID != in.IndicatorID || p.Year != in.Year:
			return newTarget{}, platform.FieldError("parent_id", "target.err.parent_mismatch")
		case !strings.HasPrefix(unit.Path, p.UnitPath):
			return newTarget{}, platform.FieldError("unit_id", "target.err.child_outside_parent")
		case unit.ID == p.UnitID && (in.PersonID == nil || p.PersonID != nil):
			return newTarget{}, platform.FieldError("unit_id", "target.err.child_same_owner")
		}
		if in.Kind != p.Kind {
			return newTarget{}, platform.FieldError("kind", "target.err.parent_mismatch")
		}
	}
	if in.Share != nil {
		if parent == nil || in.Kind != KindValue {
			return newTarget{}, platform.FieldError("share", "target.err.share_needs_parent")
		}
		if *in.Share < 0 || *in.Share > 100 {
			return newTarget{}, platform.FieldError("share", "target.err.bad_share")
		}
		v := parent.Value * *in.Share / 100
		in.Value = &v
	}
	if in.Value == nil {
		return newTarget{}, platform.FieldError("target_value", "form.err.required")
	}
	if err := checkTargetValue(ind, in.Kind, *in.Value, in.Strive); err != nil {
		return newTarget{}, err
	}
	township := sc.Tree.TownshipOf(in.UnitID)
	if in.LeaderID != nil {
		if err := s.checkLeader(ctx, sc, township, *in.LeaderID); err != nil {
			return newTarget{}, err
		}
	} else if parent != nil && parent.LeaderID != nil && parent.TownshipID == township {
		// The parent's leader was checked when it was named.
		in.LeaderID = parent.LeaderID
	}
	if in.PersonID != nil {
		p, err := s.org().Person(ctx, *in.PersonID)
		pu, _ := sc.Tree.Unit(p.UnitID)
		if err != nil || !strings.HasPrefix(pu.Path, unit.Path) {
			return newTarget{}, platform.FieldError("person_id", "target.err.person_outside_unit")
		}
	}
	weight := 1.0
	if in.Weight != nil {
		weight = *in.Weight
	}
	return newTarget{in: in, unit: unit, township: township, weight: weight}, nil
}

// checkTargetValue is the rule a target's must-reach value (确保) keeps
// against its indicator and its strive-for value (力争), whether the target
// is new or its value changes: not negative for a non-negative indicator,
// and not past the strive-for value. Invalid on the field at fault.
func checkTargetValue(ind Indicator, kind Kind, value float64, strive *float64) error {
	if kind != KindValue {
		return nil
	}
	if ind.NonNegative && value < 0 {
		return platform.FieldError("target_value", "target.err.negative")
	}
	if strive != nil && ((ind.Direction == Higher && *strive < value) || (ind.Direction == Lower && *strive > value)) {
		return platform.FieldError("strive_value", "target.err.strive_below_must")
	}
	return nil
}

// insertTarget writes a checked target and its audit entry in the caller's
// transaction, and returns its id; the caller refreshes its kept progress.
// A second target of the same owner, indicator and year is a Conflict.
func insertTarget(ctx context.Context, q db.Queryer, nt newTarget, now time.Time) (int64, error) {
	in := nt.in
	var id int64
	err := q.QueryRowContext(ctx, `INSERT INTO targets (township_id, indicator_id, unit_id, person_id, parent_id, year, kind, target_value, strive_value, last_year_total, weight, note, created_at, updated_at, leader_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14) RETURNING id`,
		nt.township, in.IndicatorID, in.UnitID, in.PersonID, in.ParentID, in.Year, string(in.Kind), *in.Value, in.Strive, in.LastYearTotal, nt.weight, in.Note, now, in.LeaderID).Scan(&id)
	if db.IsUniqueViolation(err) {
		return 0, &platform.Error{Code: platform.Conflict, Key: "target.err.duplicate_target", Field: "indicator_id"}
	}
	if err != nil {
		return 0, platform.Internalf("create target: %w", err)
	}
	return id, audit.Record(ctx, q, audit.Entry{Action: audit.Create, Entity: "target", EntityID: audit.ID(id), UnitID: nt.unit.ID, UnitPath: nt.unit.Path, After: in, At: now})
}

// setTargetValue changes a target's must-reach value in the caller's
// transaction and audits it as an update, value old → new, as the audit
// log names a target's fields. The caller has held the value to
// checkTargetValue and refreshes the kept progress.
func setTargetValue(ctx context.Context, q db.Queryer, t Row, value float64, now time.Time) error {
	if _, err := q.ExecContext(ctx, `UPDATE targets SET target_value = $1, updated_at = $2 WHERE id = $3`, value, now, t.ID); err != nil {
		return platform.Internalf("set target %d: %w", t.ID, err)
	}
	return audit.Record(ctx, q, audit.Entry{Action: audit.Update, Entity: "target", EntityID: audit.ID(t.ID), UnitID: t.UnitID, UnitPath: t.UnitPath,
		Before: map[string]any{"value": t.Value}, After: map[string]any{"value": value}, At: now})
}

// FigureInput is one figure as entered.
type FigureInput struct {
	Period string // YYYY-MM
	// AsOf dates a 调度数 by day (YYYY-MM-DD, "截至11月20日"): a figure of a
	// month not yet ended, or whose statistic has not come, standing at that
	// day; Period is then the day's month. "" for the month's statistic.
	AsOf     string
	Value    *float64
	LastYear *float64
	Note     string
	Source   string // form, import, api, demo
	// Reason (更正原因) is why a correction is made: required when the period
	// has a figure already, or when Correction is set.
	Reason string
	// Correction says the figure corrects the months around it: a cumulative
	// total below an earlier month's (or above a later one's) is then taken.
	Correction bool
	// Confirm says the figure has been checked although it is about 10 or
	// 10,000 times off what it is compared with (确认数值无误).
	Confirm bool
	// KeepEmpty fills a nil Value or LastYear from the period's kept figure,
	// as the API does for a correction.
	KeepEmpty bool
	// ClearLastYear, with KeepEmpty, leaves LastYear empty instead of
	// filling it from the kept figure: the API's explicit null.
	ClearLastYear bool
	// MeasureUnit is the measurement unit Value and LastYear are given in
	// (the API's measure_unit); empty means the indicator's own.
	MeasureUnit string
}

// convertGiven converts values given in measurement unit `from` into the
// indicator's unit `to`, exactly as the import does (1.2 亿元 → 12,000 万元).
// An empty `from` is the indicator's own unit; a unit that does not convert
// (户 for 万元) is refused on the field measure_unit, naming both.
func convertGiven(from, to string, values ...**float64) *platform.Error {
	if strings.TrimSpace(from) == "" {
		return nil
	}
	for _, v := range values {
		if *v == nil {
			continue
		}
		c, ok := ConvertMeasure(**v, from, to)
		if !ok {
			return platform.FieldError("measure_unit", keyMeasureMismatch, from, to)
		}
		*v = &c
	}
	if _, ok := ConvertMeasure(1, from, to); !ok {
		return platform.FieldError("measure_unit", keyMeasureMismatch, from, to)
	}
	return nil
}

// periodOpens is the day from which the figures of a month may be entered:
// the first day after it, in Beijing. A cumulative figure for 1-N月 is not
// known before month N has ended, so the month itself is refused like the
// months after it. The form, the API and the import all ask this.
func periodOpens(year, month int) time.Time {
	return time.Date(year, time.Month(month)+1, 1, 0, 0, 0, 0, clock.Beijing)
}

// periodEnded reports whether month of year has ended on today (a Beijing
// date, as clock.Today gives it).
func periodEnded(year, month int, today time.Time) bool {
	return !today.Before(periodOpens(year, month))
}

// notEndedArgs are the arguments of the message refusing a month that has
// not ended: its year and month, and the year, month and day it opens.
func notEndedArgs(year, month int) []any {
	o := periodOpens(year, month)
	return []any{year, month, o.Year(), int(o.Month()), o.Day()}
}

// datePeriod gives a 调度数 its month: Period from AsOf, when AsOf is a day
// and Period is not set (checkFigure refuses the two disagreeing).
func datePeriod(in *FigureInput) {
	in.AsOf, in.Period = strings.TrimSpace(in.AsOf), strings.TrimSpace(in.Period)
	if d, err := clock.ParseDate(in.AsOf); err == nil && in.Period == "" {
		in.Period = Period(d.Year(), int(d.Month()))
	}
}

// checkFigure applies the rules every figure must pass, wherever it comes
// from: a month of the target's year that has ended (Beijing time), or for a
// 调度数 a day of the year that has come; a number; and not negative for a
// non-negative indicator.
func checkFigure(in *FigureInput, ind Indicator, year int, today time.Time) error {
	datePeriod(in)
	in.Note = strings.TrimSpace(in.Note)
	var es platform.Errors
	t, err := time.Parse("2006-01", in.Period)
	var day time.Time
	dated := in.AsOf != ""
	if dated {
		var derr error
		day, derr = clock.ParseDate(in.AsOf)
		switch {
		case derr != nil:
			es = append(es, platform.FieldError("as_of", "target.err.bad_as_of"))
			dated = false
		case day.Year() != year:
			es = append(es, platform.FieldError("as_of", "target.err.period_other_year", year))
		case day.After(today):
			es = append(es, platform.FieldError("as_of", "target.err.future_as_of", int(day.Month()), day.Day()))
		case err == nil && (t.Year() != day.Year() || t.Month() != day.Month()):
			es = append(es, platform.FieldError("as_of", "target.err.as_of_month"))
		}
	}
	switch {
	case dated && err == nil:
		// A 调度数 stands at its day: its month need not have ended.
	case err != nil:
		es = append(es, platform.FieldError("period", "target.err.bad_period"))
	case t.Year() != year:
		es = append(es, platform.FieldError("period", "target.err.period_other_year", year))
	case !periodEnded(t.Year(), int(t.Month()), today):
		es = append(es, platform.FieldError("period", "target.err.future_period", notEndedArgs(t.Year(), int(t.Month()))...))
	case ind.Cadence == Quarterly && int(t.Month())%3 != 0:
		es = append(es, platform.FieldError("period", "target.err.quarter_month", i18n.Month(t.Month())))
	}
	switch {
	case in.Value == nil:
		es = append(es, platform.FieldError("value", "form.err.required"))
	case !finiteOrNil(in.Value):
		es = append(es, platform.FieldError("value", "form.err.not_number"))
	case ind.NonNegative && *in.Value < 0:
		es = append(es, platform.FieldError("value", "target.err.negative"))
	}
	if !finiteOrNil(in.LastYear) {
		es = append(es, platform.FieldError("last_year_value", "form.err.not_number"))
	} else if in.LastYear != nil && ind.NonNegative && *in.LastYear < 0 {
		es = append(es, platform.FieldError("last_year_value", "target.err.negative"))
	}
	if len([]rune(in.Note)) > MaxNote {
		es = append(es, platform.FieldError("note", "form.err.too_long", MaxNote))
	}
	if in.Source == "" {
		in.Source = "form"
	}
	return es.Err()
}

// AddFigure records a figure for a target. A figure for a period that has
// one already is a correction: both stay, the newer one counts, and it needs
// a reason. Besides checkFigure's rules it refuses (Invalid, with a Detail)
// a cumulative total out of order with its neighbours unless entered as a
// correction, and a figure about 10 or 10,000 times off unless confirmed.
func (s *Store) AddFigure(ctx context.Context, targetID int64, in FigureInput) (Figure, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Figure{}, err
	}
	t, err := s.target(ctx, sc, targetID) // scope first: another's target is not found
	if err != nil {
		return Figure{}, err
	}
	if _, err := auth.Require(ctx, auth.EnterFigures); err != nil {
		return Figure{}, s.forbidden(ctx, sc, "target", targetID, t.UnitID, err)
	}
	datePeriod(&in)
	if e := convertGiven(in.MeasureUnit, t.Indicator.MeasureUnit, &in.Value, &in.LastYear); e != nil {
		return Figure{}, e
	}
	cur, err := currentFiguresOf(ctx, s.DB, []int64{t.ID})
	if err != nil {
		return Figure{}, err
	}
	n := neighboursOf(cur[t.ID], in.Period)
	if in.KeepEmpty {
		keepEmpty(&in, n.Kept)
	}
	if err := checkFigure(&in, t.Indicator, t.Year, clock.Today(s.now())); err != nil {
		return Figure{}, err
	}
	if err := checkEntry(&in, t, n); err != nil {
		return Figure{}, err
	}
	var f Figure
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// The rules again on the figures as they stand in the transaction:
		// two people entering the same month at once must not both pass as
		// the first figure, the second a correction without its reason.
		// On PostgreSQL the target's row is locked so the second waits for
		// the first (a SQLite transaction holds the write turn from its
		// start).
		if s.DB.Dialect == db.Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT id FROM targets WHERE id = $1 FOR UPDATE`, t.ID); err != nil {
				return platform.Internalf("target %d: %w", t.ID, err)
			}
		}
		cur, err := currentFiguresOf(ctx, tx, []int64{t.ID})
		if err != nil {
			return err
		}
		n := neighboursOf(cur[t.ID], in.Period)
		if err := checkEntry(&in, t, n); err != nil {
			return err
		}
		if f, err = insertFigure(ctx, s.DB.Stmts(tx), t, in, n.Kept, s.now()); err != nil {
			return err
		}
		return s.refreshFigure(ctx, tx, t)
	})
	return f, err
}

// insertFigure writes a figure and its audit entry; kept, the figure it
// corrects, is the entry's before.
func insertFigure(ctx context.Context, tx db.Queryer, t Row, in FigureInput, kept *Figure, now time.Time) (Figure, error) {
	u := auth.FromContext(ctx)
	status, err := statusFor(ctx, tx, u, t.TownshipID)
	if err != nil {
		return Figure{}, err
	}
	if err := replacePending(ctx, tx, t.ID, t.UnitID, t.UnitPath, in.Period, now.UTC()); err != nil {
		return Figure{}, err
	}
	f := Figure{TargetID: t.ID, Period: in.Period, AsOf: in.AsOf, Value: *in.Value, LastYear: in.LastYear, Source: in.Source, Note: in.Note, Reason: in.Reason, EnteredBy: u.Login, EnteredAt: now.UTC(), Status: status}
	var by *int64
	if u.ID != 0 {
		by = &u.ID
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO figures (township_id, target_id, year, period, as_of, value, last_year_value, source, note, reason, entered_by, entered_by_login, entered_at, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id`,
		t.TownshipID, t.ID, t.Year, f.Period, f.AsOf, f.Value, f.LastYear, f.Source, f.Note, f.Reason, by, f.EnteredBy, f.EnteredAt, string(f.Status)).Scan(&f.ID)
	if err != nil {
		return Figure{}, platform.Internalf("add figure: %w", err)
	}
	// A figure replacing the kept one of its period is a correction: an
	// update whose before is the figure that counted until now, so the audit
	// log reads 本年累计 old → new.
	e := audit.Entry{Action: audit.Create, Entity: "figure", EntityID: audit.ID(f.ID), UnitID: t.UnitID, UnitPath: t.UnitPath, After: f, At: now}
	if kept != nil {
		e.Action, e.Before = audit.Update, *kept
	}
	err = audit.Record(ctx, tx, e)
	return f, err
}
