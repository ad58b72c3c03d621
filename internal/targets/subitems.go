package targets

import "guatu/internal/platform"

// Sub-items (其中): an indicator that is part of another, one level deep,
// as a statistics sheet lists it under its parent's row.

// checkParent holds a sub-item (其中) to one level: its parent is another
// indicator in its view (a shared one, or its own township's), itself
// without a parent, and an indicator with sub-items takes no parent.
// Being its own ancestor is thereby impossible.
func checkParent(in Indicator, all map[int64]Indicator) error {
	if in.ParentID == nil {
		return nil
	}
	if *in.ParentID == in.ID {
		return platform.FieldError("parent_id", "target.err.parent_self")
	}
	p, ok := all[*in.ParentID]
	if !ok || (p.TownshipID != nil && (in.TownshipID == nil || *p.TownshipID != *in.TownshipID)) {
		return platform.FieldError("parent_id", "target.err.no_parent_indicator")
	}
	if p.ParentID != nil {
		return platform.FieldError("parent_id", "target.err.parent_depth", p.Name)
	}
	for _, c := range all {
		if in.ID != 0 && c.ParentID != nil && *c.ParentID == in.ID {
			return platform.FieldError("parent_id", "target.err.has_subitems", c.Name)
		}
	}
	return nil
}

// subItemsExceeding finds the sub-item rows (其中) whose value is larger than
// their parent row's, in the parent's measurement unit, and adds the problem
// to each (at: the value column). Rates (%) are not compared: a part's
// growth may well exceed the whole's.
func subItemsExceeding(rows []ImportRow, inds map[int64]Indicator, at Problem) []Problem {
	byRow := map[int]int{}
	for i, r := range rows {
		byRow[r.Row] = i
	}
	var out []Problem
	for i := range rows {
		r := &rows[i]
		pi, ok := byRow[r.ParentRow]
		if !r.Sub || !ok || r.Value == nil || rows[pi].Value == nil || r.IndicatorID == 0 || rows[pi].IndicatorID == 0 {
			continue
		}
		parent := rows[pi]
		from, to := inds[r.IndicatorID].MeasureUnit, inds[parent.IndicatorID].MeasureUnit
		if NormalizeMeasure(from) == "%" || NormalizeMeasure(to) == "%" {
			continue
		}
		v, ok := ConvertMeasure(*r.Value, from, to)
		if !ok || v <= *parent.Value*(1+1e-9) {
			continue
		}
		pr := at
		pr.Row, pr.Key, pr.Args = r.Row, "import.err.sub_exceeds", []any{inds[parent.IndicatorID].Name, parent.Row}
		r.Problems = append(r.Problems, pr)
		out = append(out, pr)
	}
	return out
}
