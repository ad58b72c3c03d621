package targets

import (
	"fmt"
	"html/template"
	"math"
	"net/http"
	"strconv"
	"strings"

	"guatu/internal/org"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// The targets list (/targets, its Excel download and GET /api/v1/targets):
// one spec, one set of columns, read from the kept progress through the
// list kit.

// lightChoices are the values of the light filter: "none" is LightNone.
var lightChoices = []string{"green", "yellow", "red", "none"}

// targetsList is the list's filters and sort keys, shared by the page, its
// download and the API.
var targetsList = &web.ListSpec{
	Path: "/targets",
	Filters: []web.ListFilter{
		{Name: "year", Kind: web.FilterInt, Min: 2000, Max: 2100},
		{Name: "unit", Kind: web.FilterID},
		{Name: "sub", Kind: web.FilterFlag},
		{Name: "indicator", Kind: web.FilterID},
		{Name: "person", Kind: web.FilterID},
		{Name: "leader", Kind: web.FilterID},
		{Name: "light", Kind: web.FilterChoice, Choices: lightChoices},
		{Name: "top", Kind: web.FilterFlag},
		{Name: "late", Kind: web.FilterFlag},
	},
	Sorts: TargetSorts,
}

// filterOf turns a list's query into the store's filter.
func filterOf(l *web.List, year int) Filter {
	f := Filter{Year: &year, Subtree: l.Flag("sub"), TopLevel: l.Flag("top"), Late: l.Flag("late")}
	if id := l.ID("unit"); id != 0 {
		f.UnitID = &id
	}
	if id := l.ID("indicator"); id != 0 {
		f.IndicatorID = &id
	}
	if id := l.ID("person"); id != 0 {
		f.PersonID = &id
	}
	if id := l.ID("leader"); id != 0 {
		f.LeaderID = &id
	}
	if v := l.Get("light"); v != "" {
		light := Light(v)
		if v == "none" {
			light = LightNone
		}
		f.Light = &light
	}
	return f
}

// listColumns are the list's columns: those with Page show on /targets in
// this order, those with a Value are the Excel download's.
var listColumns = []web.Column[RowView]{
	{Key: "target.col.no", Value: func(r RowView) any { return r.No }},
	{Key: "target.page.col.indicator", Sort: "indicator", Page: true, Value: func(r RowView) any { return r.Indicator.Name }},
	{Key: "target.page.col.owner", Sort: "unit", Page: true},
	{Key: "target.col.unit", Value: func(r RowView) any { return r.UnitName }},
	{Key: "target.col.person", Value: func(r RowView) any { return r.PersonName }},
	{Key: "target.col.leader", Page: true, Value: func(r RowView) any { return r.LeaderName }},
	{Key: "target.col.kind", Value: func(r RowView) any { return r.kindLabel }},
	{Key: "target.page.col.target", Page: true, Value: func(r RowView) any { return r.targetCell() }},
	{Key: "target.col.strive", Value: func(r RowView) any { return r.fixed(r.Strive) }},
	{Key: "target.page.col.measure", Page: true, Value: func(r RowView) any { return r.Indicator.MeasureUnit }},
	{Key: "target.col.period", Value: func(r RowView) any { return r.periodLabel }},
	{Key: "target.page.col.actual", Page: true, Value: func(r RowView) any { return r.fixed(r.Actual) }},
	{Key: "target.page.col.completion", Sort: "completion", Page: true, Format: "0.0%", Value: func(r RowView) any { return r.Progress.Completion }},
	{Key: "target.page.col.share", Page: true, Format: "0.0%", Value: func(r RowView) any { return r.Progress.ExpectedShare }},
	{Key: "target.page.col.gap", Sort: "gap", Page: true},
	// The download's gap is in percentage points, as its header says, not a
	// percentage: a difference of two shares.
	{Key: "target.col.gap_pp", Format: "0.0", Value: func(r RowView) any { return gapPointsValue(r.Progress.Gap) }},
	{Key: "target.col.last_year", Value: func(r RowView) any { return r.fixed(r.LastYearSame) }},
	{Key: "target.page.col.yoy", Page: true, Format: "0.0%", Value: func(r RowView) any { return r.Progress.YoYGrowth }},
	{Key: "target.page.col.light", Sort: "light", Page: true, Value: func(r RowView) any { return r.lightLabel }},
	{Key: "target.page.col.forecast", Page: true, Value: func(r RowView) any { return r.fixed(r.Progress.Forecast) }},
	{Key: "target.page.col.pace", Page: true, Value: func(r RowView) any { return r.fixed(r.Progress.PaceNeeded) }},
	{Key: "target.col.allowance", Value: func(r RowView) any { return r.fixed(r.Progress.Allowance) }},
	{Key: "target.col.note", Value: func(r RowView) any { return r.notes }},
}

// TargetsPage is the list of targets in scope with its filters, the light
// counts of the filtered set and one page of rows.
type TargetsPage struct {
	web.Base
	List       *web.List
	Heads      []web.SortHead
	Rows       []RowView
	Counts     Counts
	AsOf       int // the latest month among the filtered targets' figures
	Year       int
	Years      []int
	Units      template.HTML // the unit filter's options (org.Options)
	Leaders    template.HTML // the leader filter's options: the teams' members
	Leader     string        // the leader filtered by, named; "" when none
	Indicators []Indicator
	Lights     []string
	Late       int    // how many of the filter's targets are late today (未报)
	Scope      string // the filter's unit, else the caller's: "XX镇"
	Campaign   bool   // a township of the rows has a campaign this year: its columns show
	// Review links the review queue for one who reviews (审核), with the
	// figures waiting in it.
	Review  bool
	Pending int
}

// AsOfLabel is the latest period of the rows, "1-10月".
func (p TargetsPage) AsOfLabel() string { return monthsLabel(p.Base, p.AsOf) }

// LightURL filters the list by a light ("" for all).
func (p TargetsPage) LightURL(l string) string { return p.List.URL("light", l) }

// Total is the number of targets matching every filter.
func (p TargetsPage) Total() int { return p.List.Total }

// Selected reports whether v is the list's value of a filter (for selects).
func (p TargetsPage) Selected(name string, v any) bool { return p.List.Get(name) == fmt.Sprint(v) }

// year is the list's year: the one asked for, else this year in Beijing.
func (h *Handlers) year(l *web.List) int {
	return l.Int("year", h.Store.currentYear())
}

// query reads the list's query and its rows: the page's, or every row of
// the filter for the download (all).
func (h *Handlers) query(r *http.Request, all bool) (*web.List, Filter, []Row, error) {
	l, err := targetsList.Parse(r)
	if err != nil {
		return nil, Filter{}, nil, err
	}
	f := filterOf(l, h.year(l))
	var p db.Pager = l
	if all {
		p = l.All(exportMax)
	}
	rows, err := h.Store.Targets(r.Context(), f, p)
	return l, f, rows, err
}

func (h *Handlers) targets(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l, f, rows, err := h.query(r, false)
	if err != nil {
		return err
	}
	year := *f.Year
	sum, err := h.Store.Summarize(ctx, f)
	if err != nil {
		return err
	}
	p := TargetsPage{Base: h.Pages.Base(r, "nav.targets"), List: l, Counts: sum.Counts, AsOf: periodMonth(sum.AsOf), Year: year, Lights: lightChoices}
	if p.Late, err = h.Store.LateCount(ctx, f); err != nil {
		return err
	}
	p.Rows = rowViews(rows)
	if p.Campaign, err = h.Store.measureCampaign(ctx, p.Rows, year); err != nil {
		return err
	}
	if err := h.Store.markPending(ctx, p.Rows); err != nil {
		return err
	}
	p.Heads = web.Heads(l, p.Base, listColumnsFor(p.Campaign))
	this := h.Store.currentYear()
	for y := max(this+1, year); y >= min(this-3, year); y-- {
		p.Years = append(p.Years, y)
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	if canReview(sc.User) {
		if p.Pending, err = h.Store.PendingCount(ctx); err != nil {
			return err
		}
		on, err := h.Store.Reviewing(ctx, sc.Tree.TownshipOf(sc.User.UnitID))
		if err != nil {
			return err
		}
		p.Review = on || p.Pending > 0
	}
	p.Units = org.Options(sc.Choices(), l.ID("unit"))
	leaders, err := h.Store.LeaderChoices(ctx)
	if err != nil {
		return err
	}
	p.Leaders = org.Options(leaders, l.ID("leader"))
	if f.LeaderID != nil {
		names, err := sc.Names(ctx, []int64{*f.LeaderID})
		if err != nil {
			return err
		}
		p.Leader = names[*f.LeaderID].Name
	}
	p.Scope = p.User.UnitName
	if f.UnitID != nil {
		if u, ok := sc.Unit(*f.UnitID); ok {
			p.Scope = u.Name
		}
	}
	if p.Indicators, err = h.Store.Indicators(ctx); err != nil {
		return err
	}
	return h.views.targets.Render(w, r, http.StatusOK, p)
}

// exportMax bounds the targets download: a city's whole year.
const exportMax = 50000

func (h *Handlers) targetsXLSX(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	_, f, rows, err := h.query(r, true)
	if err != nil {
		return err
	}
	year := *f.Year
	b := h.Pages.Base(r, "")
	scope := b.User.UnitName
	if f.UnitID != nil {
		sc, err := h.Store.org().Scope(ctx)
		if err != nil {
			return err
		}
		if u, ok := sc.Unit(*f.UnitID); ok {
			scope = u.Name
		}
	}
	title := b.T("target.page.export_title", scope, year)
	latest := 0
	views := rowViews(rows)
	found, err := h.Store.measureCampaign(ctx, views, year)
	if err != nil {
		return err
	}
	for i := range views {
		v := &views[i]
		latest = max(latest, periodMonth(v.Period))
		v.No = i + 1
		v.kindLabel = b.T("target.kind." + string(v.Kind))
		if v.Kind == KindGrowth {
			v.kindLabel += "（%）"
		}
		v.periodLabel = v.PeriodLabel(b)
		v.lightLabel = b.T("target.light." + string(v.Progress.Light))
		var notes []string
		if v.RolledUp {
			notes = append(notes, b.T("target.page.rolled_up"))
		}
		switch {
		case v.Progress.OverAchieved:
			notes = append(notes, b.T("target.page.over_achieved"))
		case v.Progress.Met:
			notes = append(notes, b.T("target.page.met"))
		}
		if v.Progress.CeilingNote != "" {
			notes = append(notes, b.T("target.ceiling_note."+string(v.Progress.CeilingNote)))
		}
		if v.Progress.ForecastNote != "" {
			notes = append(notes, b.T("target.forecast_note."+string(v.Progress.ForecastNote)))
		}
		v.notes = strings.Join(notes, "、")
	}
	if latest > 0 {
		title += b.T("target.page.export_as_of", monthsLabel(b, latest))
	}
	return xlsx.ServeList(w, b, "targets-"+strconv.Itoa(year)+".xlsx", title, b.T("target.page.export_sheet"), listColumnsFor(found), views)
}

// gapPointsValue is a gap in percentage points rounded to one decimal, as
// the download writes it; nil without a gap.
func gapPointsValue(g *float64) *float64 {
	if g == nil || !isFinite(*g) {
		return nil
	}
	v := math.Round(*g*1000) / 10
	if v == 0 {
		v = 0 // no -0
	}
	return &v
}
