package targets

import (
	"context"
	"maps"
	"net/http"
	"slices"

	"guatu/internal/org"
	"guatu/internal/platform/web"
)

// Adding an indicator the catalogue lacks from an import's preview: the row
// names it, the person says what it is, and the sheet is checked again.

// UnknownIndicator is a name the sheet gives that no indicator has, with
// the measurement unit the sheet gives it.
type UnknownIndicator struct {
	Name        string
	MeasureUnit string
	// Parent is the indicator of the row above a sub-item row (其中), which
	// the new indicator is added under; zero for any other row, or when that
	// indicator is a sub-item itself.
	Parent Indicator
}

// unknownIndicators lists the names the preview's sheet gives that match
// no indicator, once each, in row order; a sub-item's with the indicator of
// its parent row when that one can take sub-items.
func (h *Handlers) unknownIndicators(ctx context.Context, pv *Preview) []UnknownIndicator {
	var out []UnknownIndicator
	seen := map[string]bool{}
	byRow := map[int]ImportRow{}
	for _, r := range pv.Rows {
		byRow[r.Row] = r
	}
	for _, r := range pv.Rows {
		if r.IndicatorID != 0 || r.Indicator == "" || seen[compactName(r.Indicator)] {
			continue
		}
		for _, pr := range r.Problems {
			if pr.Key != keyUnknownIndicator {
				continue
			}
			seen[compactName(r.Indicator)] = true
			u := UnknownIndicator{Name: r.Indicator, MeasureUnit: r.MeasureUnit}
			if parent, ok := byRow[r.ParentRow]; r.Sub && ok && parent.IndicatorID != 0 {
				if in, err := h.Store.Indicator(ctx, parent.IndicatorID); err == nil && in.ParentID == nil {
					u.Parent = in
				}
			}
			out = append(out, u)
			break
		}
	}
	return out
}

// Directions are the choices of the add form's direction.
func (p PreviewPage) Directions() []Direction { return []Direction{Higher, Lower} }

// importAddIndicator adds a name of the preview to the township's own
// catalogue (SaveIndicator decides who may) and shows the preview again,
// checked against the catalogue as it now is.
func (h *Handlers) importAddIndicator(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	pv, err := h.Store.Import(r.Context(), token) // the caller's import, or not found
	if err != nil {
		return err
	}
	sc, err := h.Store.org().Scope(r.Context())
	if err != nil {
		return err
	}
	// The township the sheet is for; a district's own sheet has none, and
	// SaveIndicator places the indicator by the caller.
	var township *int64
	if tw, ok := sc.Tree.Unit(pv.townshipID); ok && tw.Kind == org.Township {
		township = &tw.ID
	}
	var in Indicator
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = Indicator{
				Name:        f.String("name", true, MaxName),
				MeasureUnit: f.String("measure_unit", false, 10),
				Category:    f.String("category", false, 20),
				Direction:   Direction(f.String("direction", false, 20)),
				Measure:     MeasureCumulative,
				Cadence:     Monthly,
				Additive:    true,
				NonNegative: true,
			}
			if parent := f.Int64("parent_id", false); parent != 0 {
				in.ParentID = &parent
			}
			in.TownshipID = township
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.SaveIndicator(ctx, in)
			return "/targets/import/" + token, err
		},
		Flash: "import.add.added",
		Again: func(status int, fv web.FormView) error {
			msg := ""
			for _, k := range slices.Sorted(maps.Keys(fv.Errors)) {
				msg = fv.Errors[k]
				break
			}
			return h.renderPreview(w, r, status, pv, msg)
		},
	})
}
