package targets

import (
	"cmp"
	"net/http"
	"strings"

	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// The indicator catalogue's list (/indicators and its download): small
// enough to page in memory, through the same kit as every list.

var indicatorsList = &web.ListSpec{
	Path:    "/indicators",
	Filters: []web.ListFilter{{Name: "q", Kind: web.FilterText}, {Name: "category", Kind: web.FilterText}},
	Sorts:   []string{"name", "category", "sort"},
	PerPage: 100,
}

var indicatorOrder = map[string]func(a, b IndicatorView) int{
	"name":     func(a, b IndicatorView) int { return cmp.Compare(a.Name, b.Name) },
	"category": func(a, b IndicatorView) int { return cmp.Compare(a.Category, b.Category) },
	"sort":     func(a, b IndicatorView) int { return cmp.Compare(a.Sort, b.Sort) },
}

// IndicatorView is an indicator as the catalogue's page and download show
// it, with its words in the viewer's language.
type IndicatorView struct {
	Indicator
	Owner                              string // the township whose own it is, "" for the shared catalogue
	ParentName                         string // the indicator it is a sub-item (其中) of, "" for none
	Aliases                            string // its aliases the viewer sees, joined by 、
	measure, direction, cadence, yesNo string
	additive, nonNegative              string
}

var indicatorColumnsList = []web.Column[IndicatorView]{
	{Key: "target.page.ind.name", Sort: "name", Page: true, Value: func(v IndicatorView) any { return v.Name }},
	{Key: "target.page.col.measure", Page: true, Value: func(v IndicatorView) any { return v.MeasureUnit }},
	{Key: "target.page.ind.category", Sort: "category", Page: true, Value: func(v IndicatorView) any { return v.Category }},
	{Key: "target.page.measure", Page: true, Value: func(v IndicatorView) any { return v.measure }},
	{Key: "target.page.ind.direction", Page: true, Value: func(v IndicatorView) any { return v.direction }},
	{Key: "target.page.ind.cadence", Page: true, Value: func(v IndicatorView) any { return v.cadence }},
	{Key: "target.page.ind.additive", Page: true, Value: func(v IndicatorView) any { return v.additive }},
	{Key: "target.page.ind.non_negative", Page: true, Value: func(v IndicatorView) any { return v.nonNegative }},
	{Key: "target.page.ind.decimals", Page: true, Value: func(v IndicatorView) any { return v.Decimals() }},
	{Key: "target.page.ind.sort", Sort: "sort", Page: true, Value: func(v IndicatorView) any { return v.Sort }},
	{Key: "target.page.ind.owner", Page: true, Value: func(v IndicatorView) any { return v.Owner }},
	{Key: "target.page.ind.parent", Value: func(v IndicatorView) any { return v.ParentName }},
	{Key: "target.page.ind.aliases", Value: func(v IndicatorView) any { return v.Aliases }},
}

// catalogue returns the indicators the caller sees that match the list's
// filters, with their words in b's language.
func (h *Handlers) catalogue(r *http.Request, l *web.List, b web.Base) ([]IndicatorView, error) {
	inds, err := h.Store.Indicators(r.Context())
	if err != nil {
		return nil, err
	}
	sc, err := h.Store.org().Scope(r.Context())
	if err != nil {
		return nil, err
	}
	aliases, err := h.Store.Aliases(r.Context())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	for _, in := range inds {
		names[in.ID] = in.Name
	}
	q, category := strings.ToLower(l.Get("q")), l.Get("category")
	yesNo := func(v bool) string {
		if v {
			return b.T("common.yes")
		}
		return b.T("common.no")
	}
	var out []IndicatorView
	for _, in := range inds {
		if (q != "" && !strings.Contains(strings.ToLower(in.Name), q)) || (category != "" && in.Category != category) {
			continue
		}
		v := IndicatorView{Indicator: in, measure: b.T("target.measure." + string(in.Measure)), direction: b.T("target.direction." + string(in.Direction)),
			cadence: b.T("target.cadence." + string(in.Cadence)), additive: yesNo(in.Additive), nonNegative: yesNo(in.NonNegative)}
		if in.TownshipID != nil {
			if tw, ok := sc.Tree.Unit(*in.TownshipID); ok {
				v.Owner = tw.Name
			}
		}
		if in.ParentID != nil {
			v.ParentName = names[*in.ParentID]
		}
		var as []string
		for _, a := range aliases[in.ID] {
			// Beside a shared indicator, a township's own alias names its
			// township for those who see several.
			if a.TownshipID != nil && in.TownshipID == nil && len(sc.Townships()) > 1 {
				if tw, ok := sc.Tree.Unit(*a.TownshipID); ok {
					as = append(as, b.T("target.page.ind.alias_of", a.Alias, tw.Name))
					continue
				}
			}
			as = append(as, a.Alias)
		}
		v.Aliases = strings.Join(as, "、")
		out = append(out, v)
	}
	return out, nil
}

// exportIndicators downloads the catalogue with the page's columns and
// filters.
func (h *Handlers) exportIndicators(w http.ResponseWriter, r *http.Request) error {
	l, err := indicatorsList.Parse(r)
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "target.page.indicators")
	rows, err := h.catalogue(r, l, b)
	if err != nil {
		return err
	}
	rows = web.Window(l.All(len(rows)+1), rows, indicatorOrder)
	return xlsx.ServeList(w, b, "indicators.xlsx", b.T("target.page.indicators"), b.T("target.page.indicators"), indicatorColumnsList, rows)
}
