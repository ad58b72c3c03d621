package targets

import (
	"context"
	"database/sql"
	"math"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

// The year's targets an import brings: a sheet's 年度任务数 (年计划, 全年目标)
// column creates the target of a row that has none, and changes one that
// differs when the person confirms it. Both go through the rules and the
// writes of a target set on the form (checkTarget, checkTargetValue,
// insertTarget, setTargetValue), inside the import's one transaction.

// TargetAction is what a row's 年度任务数 does to the year's target.
type TargetAction string

const (
	// TargetNone: the sheet gives no target for the row.
	TargetNone TargetAction = ""
	// TargetCreate: the row's unit has no target of the indicator this
	// year; the commit creates it with the sheet's value.
	TargetCreate TargetAction = "create"
	// TargetSame: the target has the sheet's value, within the
	// indicator's precision.
	TargetSame TargetAction = "same"
	// TargetChange: the target's value differs; the commit changes it
	// only when confirmed.
	TargetChange TargetAction = "change"
	// TargetKept: the target differs but stays as it is, the row saying
	// why among its Mismatches (a growth-rate target, or a caller who may
	// not set targets).
	TargetKept TargetAction = "kept"
)

// SetsTarget says whether the commit creates or changes the row's target.
func (r ImportRow) SetsTarget() bool {
	return r.TargetAction == TargetCreate || r.TargetAction == TargetChange
}

// TargetsToCreate counts the targets the commit creates.
func (p *Preview) TargetsToCreate() int {
	n := 0
	for _, r := range p.Rows {
		if r.TargetAction == TargetCreate {
			n++
		}
	}
	return n
}

// sameTarget says whether a sheet's target equals the kept one within the
// rounding of the indicator's precision (万元 whole: 50,000.4 is 50,000).
func sameTarget(kept, sheet float64, decimals int) bool {
	tol := 0.5*math.Pow(10, -float64(decimals)) + 1e-9*math.Max(1, math.Max(math.Abs(kept), math.Abs(sheet)))
	return math.Abs(kept-sheet) <= tol
}

// shownTarget is a target as a message shows it: in the indicator's
// precision, or with the decimals it has when more.
func shownTarget(v float64, ind Indicator) string {
	return web.FormatFixed(v, max(ind.Decimals(), min(decimalsIn(v), MaxDecimals)))
}

// decideTarget settles what the row's 年度任务数 does (ir.TargetValue is set
// and the row has passed its other checks): t is the row's target, nil when
// it has none and the row creates it (ir.TargetAction is TargetCreate then).
// A refusal goes to ir.Problems and a note to ir.Mismatches, both at at's
// row and column; change, when not nil, is the change to confirm.
func (s *Store) decideTarget(ctx context.Context, sc *org.Scope, ir *ImportRow, t *Row, ind Indicator, year int, may bool, at Problem) (note, change *Problem, err error) {
	v := *ir.TargetValue
	refuse := func(err error) error {
		e := platform.AsError(err)
		if e.Code != platform.Invalid {
			return err
		}
		at.Key, at.Args = e.Key, e.Args
		ir.Problems = append(ir.Problems, at)
		return nil
	}
	if t == nil {
		// What the targets form asks of a new target, the import has: the
		// indicator, the unit, the year and the value, of kind value; the
		// form's defaults for the rest (weight 1, no 力争 value, no
		// 上年全年, no note), and no 分管领导, who is optional.
		nt, err := s.checkTarget(ctx, sc, TargetInput{IndicatorID: ind.ID, UnitID: ir.unitID, Year: year, Kind: KindValue, Value: &v})
		if err != nil {
			return nil, nil, refuse(err)
		}
		ir.create = &nt
		return nil, nil, nil
	}
	unit := ind.MeasureUnit
	switch {
	case t.Kind != KindValue:
		ir.TargetAction = TargetKept
		at.Key, at.Args = "import.target.growth_kept", []any{web.FormatNumber(t.Value), shownTarget(v, ind), unit}
		return &at, nil, nil
	case sameTarget(t.Value, v, ind.Decimals()):
		ir.TargetAction = TargetSame
		return nil, nil, nil
	case !may:
		ir.TargetAction = TargetKept
		at.Key, at.Args = "import.target.not_allowed", []any{shownTarget(t.Value, ind), shownTarget(v, ind), unit}
		return &at, nil, nil
	}
	if err := checkTargetValue(ind, t.Kind, v, t.Strive); err != nil {
		return nil, nil, refuse(err)
	}
	was := t.Value
	ir.TargetAction, ir.TargetWas = TargetChange, &was
	at.Key, at.Args = "import.target.change", []any{shownTarget(was, ind), shownTarget(v, ind), unit}
	return nil, &at, nil
}

// writeImportedTargets creates and changes the targets of a clean preview in
// the caller's transaction, each audited as the form's are, and returns
// their ids for the kept progress. A created target's id goes to its row,
// so that the row's figure lands on it.
func writeImportedTargets(ctx context.Context, tx *sql.Tx, p *Preview, now time.Time) ([]int64, error) {
	var ids []int64
	for i := range p.Rows {
		r := &p.Rows[i]
		switch r.TargetAction {
		case TargetCreate:
			id, err := insertTarget(ctx, tx, *r.create, now)
			if err != nil {
				return nil, err
			}
			r.TargetID = id
			ids = append(ids, id)
		case TargetChange:
			t := Row{Target: Target{ID: r.TargetID, UnitID: r.unitID, Value: *r.TargetWas}, UnitPath: r.unitPath}
			if err := setTargetValue(ctx, tx, t, *r.TargetValue, now); err != nil {
				return nil, err
			}
			ids = append(ids, r.TargetID)
		}
	}
	return ids, nil
}
