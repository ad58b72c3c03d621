package targets

import (
	"net/http"

	"guatu/internal/platform/xlsx"
)

// exportIndicators downloads the indicator catalogue with the same columns
// as /indicators.
func (h *Handlers) exportIndicators(w http.ResponseWriter, r *http.Request) error {
	inds, err := h.Store.Indicators(r.Context())
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "target.page.indicators")
	yesNo := func(v bool) string {
		if v {
			return b.T("common.yes")
		}
		return b.T("common.no")
	}
	t := xlsx.Table{Title: b.T("target.page.indicators"), Sheet: b.T("target.page.indicators"),
		Headers: []string{b.T("target.page.ind.name"), b.T("target.page.col.measure"), b.T("target.page.ind.category"), b.T("target.page.measure"),
			b.T("target.page.ind.direction"), b.T("target.page.ind.cadence"), b.T("target.page.ind.additive"), b.T("target.page.ind.non_negative"), b.T("target.page.ind.sort")}}
	for _, in := range inds {
		t.Rows = append(t.Rows, []any{in.Name, in.MeasureUnit, in.Category, b.T("target.measure." + string(in.Measure)),
			b.T("target.direction." + string(in.Direction)), b.T("target.cadence." + string(in.Cadence)), yesNo(in.Additive), yesNo(in.NonNegative), in.Sort})
	}
	return xlsx.Serve(w, "indicators.xlsx", t.Title+".xlsx", t)
}
