package targets

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"

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

func (h *Handlers) catalogueRoutes(rt *web.Router) {
	rt.Handle("POST /targets/import/{token}/indicator", h.importAddIndicator)
	rt.Handle("POST /indicators/{id}/aliases", h.saveAliases)
}

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

// editAliases fills the indicators page's parent choices and, when an
// indicator is edited, the aliases the caller keeps of it.
func (h *Handlers) editAliases(r *http.Request, p *IndicatorsPage) error {
	inds, err := h.Store.Indicators(r.Context())
	if err != nil {
		return err
	}
	for _, in := range inds {
		if in.ParentID == nil && in.ID != p.EditID {
			p.Parents = append(p.Parents, in)
		}
	}
	if p.EditID == 0 || !p.Can("manage_targets") {
		return nil
	}
	layer, err := h.Store.AliasLayer(r.Context(), p.EditID)
	if err != nil {
		return nil // the caller keeps none of its aliases: no alias form
	}
	p.SharedAliases = layer == nil
	if p.AliasForm.Values != nil {
		return nil // a refused submission, shown as it was typed
	}
	all, err := h.Store.Aliases(r.Context())
	if err != nil {
		return err
	}
	var mine []string
	for _, a := range all[p.EditID] {
		if (layer == nil && a.TownshipID == nil) || (layer != nil && a.TownshipID != nil && *a.TownshipID == *layer) {
			mine = append(mine, a.Alias)
		}
	}
	p.AliasForm.Values = map[string]string{"aliases": strings.Join(mine, "、")}
	return nil
}

// saveAliases replaces the aliases the caller keeps of an indicator.
func (h *Handlers) saveAliases(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var text string
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { text = f.String("aliases", false, 2000) },
		Do: func(ctx context.Context) (string, error) {
			return "/indicators?edit=" + itoa64(id) + "#indicator-form", h.Store.SetAliases(ctx, id, ParseAliases(text))
		},
		Again: func(status int, fv web.FormView) error {
			in, err := h.Store.Indicator(r.Context(), id)
			if err != nil {
				return err
			}
			l, err := indicatorsList.Parse(r)
			if err != nil {
				return err
			}
			p := IndicatorsPage{Base: h.Pages.Base(r, "target.page.indicators"), List: l, EditID: id, Form: web.FormView{Values: indicatorValues(in)}, AliasForm: fv,
				Measures: []Measure{MeasureCumulative, MeasurePoint}, Directions: []Direction{Higher, Lower}, Cadences: []Cadence{Monthly, Quarterly}}
			rows, err := h.catalogue(r, l, p.Base)
			if err != nil {
				return err
			}
			if err := h.editAliases(r, &p); err != nil {
				return err
			}
			p.Indicators = web.Window(l, rows, indicatorOrder)
			p.Heads = web.Heads(l, p.Base, indicatorColumnsList)
			return h.views.indicators.Render(w, r, status, p)
		},
	})
}
