package targets

import (
	"context"
	"net/http"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/web"
)

// catalogueRoutes are the catalogue's forms outside the indicator's own: an
// indicator's aliases, and adding one from an import's preview.
func (h *Handlers) catalogueRoutes(rt *web.Router) {
	rt.Handle("POST /targets/import/{token}/indicator", h.importAddIndicator)
	rt.Handle("POST /indicators/{id}/aliases", h.saveAliases)
}

// catalogueChoices fills the indicators page's parent choices and, when an
// indicator is edited, the aliases the caller keeps of it.
func (h *Handlers) catalogueChoices(r *http.Request, p *IndicatorsPage) error {
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
	if code := platform.ErrorCode(err); code == platform.Forbidden || code == platform.Invalid {
		return nil // the caller keeps none of its aliases: no alias form
	} else if err != nil {
		return err
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
			return h.renderCatalogue(w, r, status, id, web.FormView{Values: indicatorValues(in)}, fv)
		},
	})
}
