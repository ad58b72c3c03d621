package targets

import (
	"context"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

// pageRoutes registers the target pages: the list and its Excel export, one
// target with its figures and decomposition, the catalogue and the
// township's light settings.
func (h *Handlers) pageRoutes(rt *web.Router) {
	rt.Handle("GET /targets", h.targets)
	rt.Handle("GET /targets.xlsx", h.targetsXLSX)
	rt.Handle("GET /targets/new", h.newTarget)
	rt.Handle("POST /targets", h.createTarget)
	rt.Handle("GET /targets/{id}", h.target)
	rt.Handle("POST /targets/{id}/figures", h.addFigure)
	rt.Handle("POST /targets/{id}/children", h.addChild)
	rt.Handle("POST /targets/{id}/leader", h.setLeader)
	rt.Handle("GET /indicators", h.indicators)
	rt.Handle("GET /indicators.xlsx", h.exportIndicators)
	rt.Handle("POST /indicators", h.saveIndicator)
	rt.Handle("POST /indicators/{id}", h.saveIndicator)
	rt.Handle("GET /settings/targets", h.settings)
	rt.Handle("POST /settings/targets", h.saveSettings)
	rt.Handle("POST /settings/targets/reporting", h.saveReportingDay)
	rt.Handle("POST /settings/targets/review", h.saveReviewing)
	rt.Handle("GET /targets/review", h.reviewPage)
	rt.Handle("POST /targets/review/approve", h.approve)
	rt.Handle("POST /targets/review/{id}/return", h.returnFigure)
	rt.Handle("POST /targets/{id}/remind", h.remind)
	rt.Handle("POST /targets/remind", h.remindAll)
}

// targetsPerPage is the page size of /targets.
const targetsPerPage = 50

func itoa64(id int64) string { return strconv.FormatInt(id, 10) }

// RowView is a target row as the pages and the download show it.
type RowView struct {
	Row
	No int // its place in a download
	// Campaign is the row's progress on its township's campaign clock
	// (攻坚任务…); nil without a campaign or a campaign task.
	Campaign *CampaignProgress
	// Pending is how many figures of the row wait for review (待审核): they
	// do not count until approved, and the row says so.
	Pending int

	kindLabel, periodLabel, lightLabel, notes string // a download's words
}

// Month is N of the row's period 1–N月, 0 without a figure.
func (r RowView) Month() int { return periodMonth(r.Period) }

// LightClass is the CSS suffix of the row's light: green, yellow, red or none.
func (r RowView) LightClass() string { return lightCSS(r.Progress.Light) }

func lightCSS(l Light) string {
	if l == LightNone {
		return "none"
	}
	return string(l)
}

// PeriodLabel is the row's period as the table shows it: 1-N月 for a
// cumulative figure, N月末 for a month-end value, "" without a figure.
func (r RowView) PeriodLabel(b web.Base) string {
	m := r.Month()
	switch {
	case m == 0:
		return ""
	case r.AsOf != "":
		return asOfLabel(b, r.AsOf)
	case r.IsPoint():
		return b.T("target.page.period_point", i18n.Month(m))
	}
	return monthsLabel(b, m)
}

// Share is the expected share as a pointer, for the width func.
func (r RowView) Share() *float64 { v := r.Progress.ExpectedShare; return &v }

// GapClass colours the gap by its sense: short of the schedule, or for a
// ceiling above it, red; on it or the good side of it, green. A ceiling's
// gap below the schedule is good, so it is never red beside a green light.
func (r RowView) GapClass() string {
	switch {
	case r.Progress.Gap == nil:
		return ""
	case r.IsCeiling() && *r.Progress.Gap > epsilon, !r.IsCeiling() && *r.Progress.Gap < -epsilon:
		return "gap-behind"
	default:
		return "gap-ahead"
	}
}

// GapPoints is the gap to the schedule as it is spoken of, in percentage
// points (个百分点) of the year, signed: "-6.8个百分点", "+3.1个百分点"; "—"
// without a gap. It is a difference of two shares, not a percentage of
// anything, so it never reads "%".
func (r RowView) GapPoints(b web.Base) string {
	s, ok := gapPoints(r.Progress.Gap)
	if !ok {
		return "—"
	}
	return b.T("target.gap_pp", s)
}

// gapPoints formats a gap (a fraction) in percentage points to one decimal,
// signed, with no "-0.0"; false when there is none.
func gapPoints(g *float64) (string, bool) {
	if g == nil || math.IsNaN(*g) || math.IsInf(*g, 0) {
		return "", false
	}
	v := math.Round(*g*1000) / 10
	switch {
	case v > 0:
		return "+" + strconv.FormatFloat(v, 'f', 1, 64), true
	case v < 0:
		return strconv.FormatFloat(v, 'f', 1, 64), true
	}
	return "0.0", true
}

// IsCeiling reports whether the target is a ceiling (lower is better).
func (r RowView) IsCeiling() bool { return r.Indicator.Direction == Lower }

// AllowanceOver is how far a ceiling is past, when its allowance is spent
// beyond nothing; nil otherwise.
func (r RowView) AllowanceOver() *float64 {
	if a := r.Progress.Allowance; a != nil && *a < -epsilon {
		v := -*a
		return &v
	}
	return nil
}

// IsGrowth reports whether the target is a growth rate.
func (r RowView) IsGrowth() bool { return r.Kind == KindGrowth }

// IsPoint reports whether the indicator is a month-end value.
func (r RowView) IsPoint() bool { return r.Indicator.Measure == MeasurePoint }

func rowViews(rows []Row) []RowView {
	out := make([]RowView, len(rows))
	for i, r := range rows {
		out[i] = RowView{Row: r}
	}
	return out
}

// asOfLabel is a 调度数's day as a label: "截至11月20日".
func asOfLabel(b web.Base, day string) string {
	d, err := clock.ParseDate(day)
	if err != nil {
		return day
	}
	return b.T("target.page.as_of_day", int(d.Month()), d.Day())
}

// monthsLabel is "1-N月" (or "1月").
func monthsLabel(b web.Base, month int) string {
	return b.T("target.page.period", i18n.Span{Month: month})
}

// ---- /targets/{id} --------------------------------------------------------

// HistoryRow is one figure of the history: the current one of its period,
// or one corrected by a later entry.
type HistoryRow struct {
	Figure
	Current bool
}

// ChildView is one share of a decomposition with its share of the parent.
type ChildView struct {
	RowView
	ShareOfParent *float64
}

// OwnerOption is a unit or person a target can be split to: value "u12" or "p34".
type OwnerOption struct {
	Value string
	Label string
}

// PeriodOption is a month a figure can be entered for.
type PeriodOption struct {
	Value string // YYYY-MM
	Month int
}

// targetChart is the series the chart draws: cumulative actual by month, the
// schedule line (target × N/12) and last year's same period.
type targetChart struct {
	Months   []string   `json:"months"`
	Actual   []*float64 `json:"actual"`
	Schedule []*float64 `json:"schedule"`
	LastYear []*float64 `json:"last_year"`
	Names    struct {
		Actual   string `json:"actual"`
		Schedule string `json:"schedule"`
		LastYear string `json:"last_year"`
	} `json:"names"`
	Unit string `json:"unit"`
}

// TargetPage is one target: its figures against the schedule, the chart,
// the history of entries, the decomposition and the forms to add to them.
type TargetPage struct {
	web.Base
	Row              RowView
	Parent           *RowView
	History          []HistoryRow
	Children         []ChildView
	ChildrenTotal    float64
	ChildrenActual   *float64
	Periods          []PeriodOption
	Owners           []OwnerOption
	Chart            targetChart
	FigureForm       web.FormView
	ChildForm        web.FormView
	SeasonalForecast bool
	Reminders        []Reminder // 催报 sent for the target, newest first
	// Kept is the current figure of each month, by period, which the form
	// fills in when that month is chosen: a correction starts from what is
	// kept rather than wiping 去年同期.
	Kept map[string]KeptValues
	// Prefilled is the figure the form was opened with, nil for a month
	// without one.
	Prefilled *Figure
	// Awaiting are the months whose latest entry is not counted: pending
	// review (待审核) or returned (已退回) with the reason.
	Awaiting []Figure
	// Leaders are the township's team, whom one who keeps targets may name
	// the target's leader in charge (分管领导) from, in LeaderForm.
	Leaders    []org.Choice
	LeaderForm web.FormView

	names map[string]string // the names of the logins the history shows
}

// Who names the account that entered or reviewed a figure: the person's
// name, else the login.
func (p TargetPage) Who(login string) string { return nameOf(p.names, login) }

func nameOf(names map[string]string, login string) string {
	if n, ok := names[login]; ok {
		return n
	}
	return login
}

// LeaderSelected reports whether id is the leader the form shows.
func (p TargetPage) LeaderSelected(id int64) bool {
	if v, ok := p.LeaderForm.Values["leader_id"]; ok {
		return v == itoa64(id)
	}
	return p.Row.LeaderID != nil && *p.Row.LeaderID == id
}

// KeptValues are a month's current figure as the form's inputs take them.
type KeptValues struct {
	Value    string `json:"value"`
	LastYear string `json:"last_year_value"`
}

// keptValues are the current figure of each period of a history (newest
// first), written as a person would type them.
func keptValues(hist []Figure) map[string]KeptValues {
	out := map[string]KeptValues{}
	for _, f := range hist {
		if _, seen := out[f.Period]; seen {
			continue
		}
		kv := KeptValues{Value: strconv.FormatFloat(f.Value, 'f', -1, 64)}
		if f.LastYear != nil {
			kv.LastYear = strconv.FormatFloat(*f.LastYear, 'f', -1, 64)
		}
		out[f.Period] = kv
	}
	return out
}

// PrefilledLabel is the month the form shows the kept figure of.
func (p TargetPage) PrefilledLabel() string {
	if p.Prefilled == nil {
		return ""
	}
	return p.Prefilled.Period
}

// DecompositionMismatch is a decomposition whose shares do not add up to the target.
type DecompositionMismatch struct {
	Sum, Target, Diff float64 // Diff is always positive
	Short             bool    // the shares fall short of the target
}

// Mismatch compares the children's targets with the parent's; nil when they
// add up or cannot be compared (no children, not additive, a growth rate).
func (p TargetPage) Mismatch() *DecompositionMismatch {
	g := p.Row.DecompositionGap()
	if g == nil || *g == 0 {
		return nil
	}
	m := &DecompositionMismatch{Sum: *p.Row.ChildrenSum, Target: p.Row.Value, Diff: *g, Short: *g > 0}
	if !m.Short {
		m.Diff = -m.Diff
	}
	return m
}

// SumShare is the children's targets as a share of the parent's.
func (p TargetPage) SumShare() *float64 {
	if p.Row.Value <= 0 {
		return nil
	}
	s := p.ChildrenTotal / p.Row.Value
	return &s
}

// KnownPeriod reports whether v is one of the form's months (a value sent
// from elsewhere is shown as sent, with its error).
func (p TargetPage) KnownPeriod(v string) bool {
	for _, c := range p.Periods {
		if c.Value == v {
			return true
		}
	}
	return false
}

func (h *Handlers) target(w http.ResponseWriter, r *http.Request) error {
	return h.renderTarget(w, r, http.StatusOK, web.FormView{}, web.FormView{})
}

// targetForms are the forms of a target's page as a failed post left them.
type targetForms struct{ figure, child, leader web.FormView }

func (h *Handlers) renderTarget(w http.ResponseWriter, r *http.Request, status int, figForm, childForm web.FormView) error {
	return h.renderTargetForms(w, r, status, targetForms{figure: figForm, child: childForm})
}

func (h *Handlers) renderTargetForms(w http.ResponseWriter, r *http.Request, status int, forms targetForms) error {
	figForm, childForm := forms.figure, forms.child
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	row, err := h.Store.Target(ctx, id)
	if err != nil {
		return err
	}
	hist, err := h.Store.History(ctx, id)
	if err != nil {
		return err
	}
	p := TargetPage{Base: h.Pages.Base(r, "nav.targets"), Row: RowView{Row: row}, FigureForm: figForm, ChildForm: childForm, LeaderForm: forms.leader}
	p.Heading = row.Indicator.Name + " · " + row.UnitName
	p.History, p.Awaiting = historyRows(hist)
	logins := make([]string, 0, 2*len(hist))
	for _, f := range hist {
		logins = append(logins, f.EnteredBy, f.ReviewedBy)
	}
	if p.names, err = h.Store.org().LoginNames(ctx, logins); err != nil {
		return err
	}
	hist = counted(hist) // the chart and the form go by what counts
	p.Chart = chartSeries(p.Base, row, hist)

	parent, kids, err := h.Store.Related(ctx, row)
	if err != nil {
		return err
	}
	if parent != nil {
		p.Parent = &RowView{Row: *parent}
	}
	var childActual float64
	periods := map[string]bool{} // children at different months do not add up
	reported := 0
	for _, c := range kids {
		cv := ChildView{RowView: RowView{Row: c}}
		if row.Value > 0 {
			s := c.Value / row.Value
			cv.ShareOfParent = &s
		}
		p.Children = append(p.Children, cv)
		p.ChildrenTotal += c.Value
		if c.Actual != nil {
			childActual += *c.Actual
			periods[c.Period] = true
			reported++
		}
	}
	if len(periods) == 1 {
		p.ChildrenActual = &childActual
		if reported == len(kids) && periods[row.Period] && row.Actual != nil && !row.RolledUp {
			sum := roundSignificant(childActual)
			p.Row.ChildrenActual = &sum
		}
	}
	p.SeasonalForecast = row.Progress.ForecastSeasonal != nil
	if p.Reminders, err = h.Store.Reminders(ctx, id); err != nil {
		return err
	}
	p.Periods = entryPeriods(row.Year, clock.Today(h.now()))
	p.Kept = keptValues(hist)
	if p.FigureForm.Values == nil {
		// ?period= opens the form on a month (the history's 更正 links);
		// a month with a figure starts from its kept values.
		period := r.URL.Query().Get("period")
		if !p.KnownPeriod(period) {
			period = lastMonthPeriod(p.Periods, clock.Today(h.now()))
		}
		p.FigureForm.Values = map[string]string{"period": period}
		if kv, ok := p.Kept[period]; ok {
			p.FigureForm.Values["value"], p.FigureForm.Values["last_year_value"] = kv.Value, kv.LastYear
			for i := range hist {
				if hist[i].Period == period {
					p.Prefilled = &hist[i]
					break
				}
			}
		}
	}
	if p.Can(string(auth.ManageTargets)) {
		if p.Owners, err = h.owners(r, row); err != nil {
			return err
		}
		if p.Leaders, err = h.Store.TeamChoices(ctx, row.TownshipID); err != nil {
			return err
		}
	}
	return h.views.target.Render(w, r, status, p)
}

// chartSeries builds the chart's series from the history (the current entry of
// each month).
func chartSeries(b web.Base, row Row, hist []Figure) targetChart {
	var c targetChart
	c.Unit = row.Indicator.MeasureUnit
	c.Names.Actual = b.T("target.page.chart_actual")
	c.Names.Schedule = b.T("target.page.chart_schedule")
	c.Names.LastYear = b.T("target.page.chart_last_year")
	c.Actual, c.Schedule, c.LastYear = make([]*float64, 12), make([]*float64, 12), make([]*float64, 12)
	for i := len(hist) - 1; i >= 0; i-- { // oldest first: the latest entry of a month wins
		f := hist[i]
		if m := f.Month(); m >= 1 {
			v := f.Value
			c.Actual[m-1], c.LastYear[m-1] = &v, f.LastYear
		}
	}
	goal, hasGoal := row.Value, row.Kind == KindValue
	if row.Kind == KindGrowth && row.LastYearTotal != nil {
		goal, hasGoal = *row.LastYearTotal*(1+row.Value/100), true
	}
	for m := 1; m <= 12; m++ {
		c.Months = append(c.Months, b.T("target.page.month", m))
		if !hasGoal {
			continue
		}
		v := goal
		if row.Indicator.Measure != MeasurePoint {
			v = goal * ExpectedShareMonth(m)
		}
		c.Schedule[m-1] = &v
	}
	return c
}

// entryPeriods are the months of year a figure can be entered for: those
// that have ended by today in Beijing, as checkFigure allows.
func entryPeriods(year int, today time.Time) []PeriodOption {
	last := 12
	for last >= 1 && !periodEnded(year, last, today) {
		last--
	}
	var out []PeriodOption
	for m := last; m >= 1; m-- {
		out = append(out, PeriodOption{Value: Period(year, m), Month: m})
	}
	return out
}

// lastMonthPeriod is last month, whose figures are the ones being reported.
func lastMonthPeriod(choices []PeriodOption, today time.Time) string {
	want := Period(today.AddDate(0, 0, -today.Day()).Year(), int(today.AddDate(0, 0, -today.Day()).Month()))
	for _, c := range choices {
		if c.Value == want {
			return want
		}
	}
	if len(choices) > 0 {
		return choices[0].Value
	}
	return ""
}

// owners lists who a target can be split to: the units below its unit and
// the people of its unit's subtree.
func (h *Handlers) owners(r *http.Request, row Row) ([]OwnerOption, error) {
	ctx := r.Context()
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	var out []OwnerOption
	for _, c := range sc.Choices() {
		if c.ID != row.UnitID && strings.HasPrefix(c.Path, row.UnitPath) {
			out = append(out, OwnerOption{Value: "u" + itoa64(c.ID), Label: c.Indent + c.Label})
		}
	}
	people, err := sc.People(ctx, row.UnitID)
	if err != nil {
		return nil, err
	}
	for _, p := range people {
		if row.PersonID != nil && p.ID == *row.PersonID {
			continue
		}
		out = append(out, OwnerOption{Value: "p" + itoa64(p.ID), Label: p.Name + "（" + p.UnitName + "）"})
	}
	return out, nil
}

func (h *Handlers) addFigure(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// A figure that waits for review says so rather than "saved".
	flash := ""
	if st, err := h.Store.StatusFor(r.Context(), id); err != nil {
		return err
	} else if st == Pending {
		flash = "target.review.submitted"
	}
	var in FigureInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Flash: flash,
		Read: func(f *web.Form) {
			asOf := f.String("as_of", false, 10)
			in = FigureInput{
				// A 调度数's month is its day's (the select lists ended months).
				Period:   f.String("period", asOf == "", 20),
				AsOf:     asOf,
				Value:    f.Float("value", true),
				LastYear: f.Float("last_year_value", false),
				Note:     f.String("note", false, MaxNote),
				Source:   "form",
				Reason:   f.String("reason", false, MaxNote),
				// Checkboxes: sent only when ticked.
				Correction: f.String("correction", false, 10) != "",
				Confirm:    f.String("confirm", false, 10) != "",
			}
		},
		Do: func(ctx context.Context) (string, error) {
			if in.AsOf != "" {
				in.Period = ""
			}
			_, err := h.Store.AddFigure(ctx, id, in)
			return "/targets/" + itoa64(id) + "#history", err
		},
		Again: func(status int, fv web.FormView) error { return h.renderTarget(w, r, status, fv, web.FormView{}) },
	})
}

// setLeader names the target's leader in charge from the leader form; an
// empty choice clears it. The shares that carried the leader follow.
func (h *Handlers) setLeader(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var leader *int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			if v := f.Int64("leader_id", false); v != 0 {
				leader = &v
			}
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.SetLeader(ctx, id, leader)
			return "/targets/" + itoa64(id), err
		},
		Again: func(status int, fv web.FormView) error {
			return h.renderTargetForms(w, r, status, targetForms{leader: fv})
		},
	})
}

// childFormFields maps the store's fields onto the decomposition form's.
var childFormFields = map[string]string{"unit_id": "owner", "person_id": "owner", "indicator_id": "_", "parent_id": "_", "kind": "_"}

func (h *Handlers) addChild(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	parent, err := h.Store.Target(ctx, id)
	if err != nil {
		return err
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	var in TargetInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			owner := f.String("owner", true, 21)
			value := f.Float("target_value", false)
			share := f.Float("share", false)
			in = TargetInput{IndicatorID: parent.IndicatorID, ParentID: &parent.ID, Year: parent.Year, Kind: parent.Kind, Value: value, Share: share, Note: f.String("note", false, MaxNote)}
			if owner != "" {
				n, err := strconv.ParseInt(owner[1:], 10, 64)
				switch {
				case err != nil || (owner[0] != 'u' && owner[0] != 'p'):
					f.Add(platform.FieldError("owner", "target.err.bad_choice"))
				case owner[0] == 'u':
					in.UnitID = n
				default:
					person, err := sc.Person(ctx, n)
					if err != nil {
						f.Add(platform.FieldError("owner", "target.err.person_outside_unit"))
						break
					}
					in.UnitID, in.PersonID = person.UnitID, &n
				}
			}
			switch {
			case value == nil && share == nil && f.Errs["target_value"] == nil && f.Errs["share"] == nil:
				f.Add(platform.FieldError("target_value", "target.page.err.value_or_share"))
			case value != nil && share != nil:
				f.Add(platform.FieldError("share", "target.page.err.value_and_share"))
			}
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.CreateTarget(ctx, in)
			return "/targets/" + itoa64(id) + "#children", err
		},
		Again:  func(status int, fv web.FormView) error { return h.renderTarget(w, r, status, web.FormView{}, fv) },
		Rename: childFormFields,
	})
}

// ---- /targets/new ---------------------------------------------------------

// NewTargetPage is the form to set an annual target.
type NewTargetPage struct {
	web.Base
	Indicators []Indicator
	Units      []org.Choice
	People     []org.Person
	Leaders    []org.Choice // the teams' members, for the leader in charge
	Kinds      []Kind
	Form       web.FormView
}

func (h *Handlers) newTarget(w http.ResponseWriter, r *http.Request) error {
	fv := web.FormView{Values: map[string]string{
		"year": strconv.Itoa(h.now().In(clock.Beijing).Year()), "kind": string(KindValue), "weight": "1",
		"indicator_id": r.URL.Query().Get("indicator"), "unit_id": r.URL.Query().Get("unit"),
	}}
	return h.renderNewTarget(w, r, http.StatusOK, fv)
}

func (h *Handlers) renderNewTarget(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	ctx := r.Context()
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return err
	}
	p := NewTargetPage{Base: h.Pages.Base(r, "target.page.new_title"), Kinds: []Kind{KindValue, KindGrowth}, Form: fv}
	var err error
	if p.Indicators, err = h.Store.Indicators(ctx); err != nil {
		return err
	}
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return err
	}
	p.Units = sc.Choices()
	if p.People, err = sc.People(ctx, 0); err != nil {
		return err
	}
	if p.Leaders, err = h.Store.LeaderChoices(ctx); err != nil {
		return err
	}
	return h.views.newtarget.Render(w, r, status, p)
}

func (h *Handlers) createTarget(w http.ResponseWriter, r *http.Request) error {
	var in TargetInput
	var id int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = TargetInput{
				IndicatorID:   f.Int64("indicator_id", true),
				UnitID:        f.Int64("unit_id", true),
				Year:          int(f.Int64("year", true)),
				Kind:          Kind(f.String("kind", false, 10)),
				Value:         f.Float("target_value", true),
				Strive:        f.Float("strive_value", false),
				LastYearTotal: f.Float("last_year_total", false),
				Weight:        f.Float("weight", false),
				Note:          f.String("note", false, MaxNote),
			}
			if pid := f.Int64("person_id", false); pid != 0 {
				in.PersonID = &pid
			}
			if lid := f.Int64("leader_id", false); lid != 0 {
				in.LeaderID = &lid
			}
		},
		Do: func(ctx context.Context) (string, error) {
			row, err := h.Store.CreateTarget(ctx, in)
			id = row.ID
			return "/targets/" + itoa64(id), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderNewTarget(w, r, status, fv) },
	})
}

// ---- /indicators ----------------------------------------------------------

// IndicatorsPage is the catalogue with a form to add an indicator, or to
// change one (?edit=ID).
type IndicatorsPage struct {
	web.Base
	List       *web.List
	Heads      []web.SortHead
	Indicators []IndicatorView
	EditID     int64 // 0: the form adds
	Measures   []Measure
	Directions []Direction
	Cadences   []Cadence
	Form       web.FormView
	// Parents are the indicators the edited one may be a sub-item of: the
	// top-level ones it sees, but itself.
	Parents []Indicator
	// DecimalChoices are the display precisions an indicator may set.
	DecimalChoices []int
	// AliasForm is the aliases the caller keeps of the edited indicator
	// (SharedAliases: the shared catalogue's, else the township's own).
	AliasForm     web.FormView
	SharedAliases bool
}

// Action is where the form posts.
func (p IndicatorsPage) Action() string {
	if p.EditID != 0 {
		return "/indicators/" + itoa64(p.EditID)
	}
	return "/indicators"
}

func (h *Handlers) indicators(w http.ResponseWriter, r *http.Request) error {
	edit, err := web.QueryID(r.URL.Query(), "edit")
	if err != nil {
		return err
	}
	fv := web.FormView{Values: map[string]string{"measure": string(MeasureCumulative), "direction": string(Higher), "cadence": string(Monthly), "additive": "1", "non_negative": "1"}}
	if edit != 0 {
		in, err := h.Store.Indicator(r.Context(), edit)
		if err != nil {
			return err
		}
		fv.Values = indicatorValues(in)
	}
	return h.renderIndicators(w, r, http.StatusOK, edit, fv)
}

func indicatorValues(in Indicator) map[string]string {
	flag := func(b bool) string {
		if b {
			return "1"
		}
		return ""
	}
	parent := ""
	if in.ParentID != nil {
		parent = itoa64(*in.ParentID)
	}
	decimals := ""
	if in.Precision != nil {
		decimals = strconv.Itoa(*in.Precision)
	}
	return map[string]string{"name": in.Name, "measure_unit": in.MeasureUnit, "category": in.Category, "measure": string(in.Measure),
		"direction": string(in.Direction), "cadence": string(in.Cadence), "additive": flag(in.Additive), "non_negative": flag(in.NonNegative), "sort": strconv.Itoa(in.Sort),
		"parent_id": parent, "decimals": decimals}
}

func (h *Handlers) renderIndicators(w http.ResponseWriter, r *http.Request, status int, edit int64, fv web.FormView) error {
	return h.renderCatalogue(w, r, status, edit, fv, web.FormView{})
}

// renderCatalogue renders the indicators page with the indicator's form and
// the alias form (empty: the aliases as kept).
func (h *Handlers) renderCatalogue(w http.ResponseWriter, r *http.Request, status int, edit int64, fv, aliases web.FormView) error {
	l, err := indicatorsList.Parse(r)
	if err != nil {
		return err
	}
	p := IndicatorsPage{Base: h.Pages.Base(r, "target.page.indicators"), List: l, EditID: edit, Form: fv, AliasForm: aliases,
		Measures: []Measure{MeasureCumulative, MeasurePoint}, Directions: []Direction{Higher, Lower}, Cadences: []Cadence{Monthly, Quarterly},
		DecimalChoices: []int{0, 1, 2, 3, 4}}
	rows, err := h.catalogue(r, l, p.Base)
	if err != nil {
		return err
	}
	if err := h.catalogueChoices(r, &p); err != nil {
		return err
	}
	p.Indicators = web.Window(l, rows, indicatorOrder)
	p.Heads = web.Heads(l, p.Base, indicatorColumnsList)
	return h.views.indicators.Render(w, r, status, p)
}

func (h *Handlers) saveIndicator(w http.ResponseWriter, r *http.Request) error {
	var id int64
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r); err != nil {
			return err
		}
	}
	var in Indicator
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = Indicator{
				ID:          id,
				Name:        f.String("name", true, MaxName),
				MeasureUnit: f.String("measure_unit", false, 10),
				Category:    f.String("category", false, 20),
				Measure:     Measure(f.String("measure", false, 20)),
				Direction:   Direction(f.String("direction", false, 20)),
				Cadence:     Cadence(f.String("cadence", false, 20)),
				Additive:    f.String("additive", false, 1) == "1",
				NonNegative: f.String("non_negative", false, 1) == "1",
				Sort:        int(f.Int64("sort", false)),
			}
			if tw := f.Int64("township_id", false); tw != 0 {
				in.TownshipID = &tw
			}
			if parent := f.Int64("parent_id", false); parent != 0 {
				in.ParentID = &parent
			}
			if v := f.String("decimals", false, 2); v != "" {
				if d, err := strconv.Atoi(v); err == nil {
					in.Precision = &d
				} else {
					f.Add(platform.FieldError("decimals", "target.err.bad_decimals", MaxDecimals))
				}
			}
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.SaveIndicator(ctx, in)
			return "/indicators", err
		},
		Again: func(status int, fv web.FormView) error { return h.renderIndicators(w, r, status, id, fv) },
	})
}

// ---- /settings/targets ----------------------------------------------------

// SettingsPage is a township's yellow band.
type SettingsPage struct {
	web.Base
	Townships []org.Unit
	Township  org.Unit
	Margin    float64 // a fraction: 0.10
	// ReportingDay is the day of the month last month's figures are due by.
	ReportingDay int
	// Review says the township reviews its reporters' figures (审核).
	Review  bool
	CanEdit bool
	Form    web.FormView
}

// MarginPoints is the band in percentage points.
func (p SettingsPage) MarginPoints() string { return web.FormatNumber(p.Margin * 100) }

func (h *Handlers) settings(w http.ResponseWriter, r *http.Request) error {
	return h.renderSettings(w, r, http.StatusOK, web.FormView{})
}

// township picks the township of the request: ?township= or the form's
// township_id, else the caller's own (the one their unit lies in, or the
// first in scope).
func (h *Handlers) township(r *http.Request) ([]org.Unit, org.Unit, error) {
	ctx := r.Context()
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return nil, org.Unit{}, err
	}
	all := sc.Townships()
	if len(all) == 0 {
		return nil, org.Unit{}, platform.ErrNotFound
	}
	want := r.FormValue("township_id")
	if want == "" {
		want = r.URL.Query().Get("township")
	}
	if want != "" {
		for _, t := range all {
			if itoa64(t.ID) == want {
				return all, t, nil
			}
		}
		// Another township's settings: not found, and the attempt audited.
		if id, err := strconv.ParseInt(want, 10, 64); err == nil {
			if u, ok := sc.Tree.Unit(id); ok && u.Kind == org.Township {
				return nil, org.Unit{}, sc.Deny(ctx, "target_settings", id, id)
			}
		}
		return nil, org.Unit{}, platform.ErrNotFound
	}
	for _, t := range all {
		if strings.HasPrefix(sc.User.UnitPath, t.Path) {
			return all, t, nil
		}
	}
	return all, all[0], nil
}

func (h *Handlers) renderSettings(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	all, tw, err := h.township(r)
	if err != nil {
		return err
	}
	m, err := h.Store.Margin(r.Context(), tw.ID)
	if err != nil {
		return err
	}
	day, err := h.Store.ReportingDay(r.Context(), tw.ID)
	if err != nil {
		return err
	}
	review, err := h.Store.Reviewing(r.Context(), tw.ID)
	if err != nil {
		return err
	}
	p := SettingsPage{Base: h.Pages.Base(r, "target.page.settings"), Townships: all, Township: tw, Margin: m, ReportingDay: day, Review: review, Form: fv}
	p.CanEdit = p.Can(string(auth.ManageTargets)) && p.User.InScope(tw.Path)
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"margin": p.MarginPoints()}
	}
	if _, ok := p.Form.Values["reporting_day"]; !ok {
		p.Form.Values["reporting_day"] = strconv.Itoa(day)
	}
	return h.views.settings.Render(w, r, status, p)
}

func (h *Handlers) saveSettings(w http.ResponseWriter, r *http.Request) error {
	_, tw, err := h.township(r)
	if err != nil {
		return err
	}
	var points *float64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { points = f.Float("margin", true) },
		Do: func(ctx context.Context) (string, error) {
			return "/settings/targets?township=" + itoa64(tw.ID), h.Store.SetMargin(ctx, tw.ID, *points/100)
		},
		Again: func(status int, fv web.FormView) error { return h.renderSettings(w, r, status, fv) },
	})
}

// pageMessages are the texts of the target pages.
var pageMessages = i18n.Catalog{
	"nav.targets":                {ZH: "目标任务", EN: "Targets"},
	"target.page.indicators":     {ZH: "指标库", EN: "Indicators"},
	"target.page.settings":       {ZH: "亮灯规则", EN: "Light rules"},
	"target.page.new_title":      {ZH: "设定目标", EN: "Set a target"},
	"target.page.year":           {ZH: "年度", EN: "Year"},
	"target.page.unit":           {ZH: "责任单位", EN: "Unit"},
	"target.page.subtree":        {ZH: "含下级", EN: "Include units below"},
	"target.page.indicator":      {ZH: "指标", EN: "Indicator"},
	"target.page.light":          {ZH: "亮灯", EN: "Light"},
	"target.page.light_green":    {ZH: "绿灯", EN: "Green"},
	"target.page.light_yellow":   {ZH: "黄灯", EN: "Yellow"},
	"target.page.light_red":      {ZH: "红灯", EN: "Red"},
	"target.page.light_none":     {ZH: "未报", EN: "No figure"},
	"target.page.all_lights":     {ZH: "全部", EN: "All"},
	"target.page.as_of":          {ZH: "数据截至%s", EN: "Figures up to %s"},
	"target.page.legend":         {ZH: "进度条为完成进度，竖线为序时进度", EN: "The bar is completion, the line the schedule"},
	"target.page.export_title":   {ZH: "%s%d年目标任务完成情况", EN: "%s targets %d"},
	"target.page.export_as_of":   {ZH: "（截至%s）", EN: " (up to %s)"},
	"target.page.export_sheet":   {ZH: "目标任务", EN: "Targets"},
	"target.page.period":         {ZH: "%s", EN: "%s"},
	"target.page.period_point":   {ZH: "%s月末", EN: "end of %s"},
	"target.page.month":          {ZH: "%d月", EN: "M%d"},
	"target.page.rolled_up":      {ZH: "汇总", EN: "rolled up"},
	"target.page.rolled_up_note": {ZH: "由下级单位数据汇总", EN: "The sum of the units below"},
	"target.page.over_achieved":  {ZH: "超额", EN: "exceeded"},
	"target.page.over_ceiling":   {ZH: "超上限", EN: "over the ceiling"},
	"target.page.growth_value":   {ZH: "增长%s%%", EN: "+%s%%"},
	"target.page.strive_short":   {ZH: "力争", EN: "strive"},

	"target.page.col.indicator":  {ZH: "指标", EN: "Indicator"},
	"target.page.col.owner":      {ZH: "责任单位/责任人", EN: "Unit / person"},
	"target.page.col.target":     {ZH: "确保目标", EN: "Target"},
	"target.page.col.measure":    {ZH: "计量单位", EN: "Measure"},
	"target.page.col.actual":     {ZH: "本年累计", EN: "Year to date"},
	"target.page.col.completion": {ZH: "占年计划", EN: "Completion"},
	"target.page.col.share":      {ZH: "序时进度", EN: "Schedule"},
	"target.page.col.gap":        {ZH: "较序时", EN: "vs schedule"},
	"target.page.col.yoy":        {ZH: "同比增长", EN: "YoY"},
	"target.page.col.light":      {ZH: "亮灯", EN: "Light"},
	"target.page.col.forecast":   {ZH: "预计全年", EN: "Year forecast"},
	"target.page.col.pace":       {ZH: "尚需月均", EN: "Needed per month"},
	"target.col.no":              {ZH: "序号", EN: "No."},
	"target.col.unit":            {ZH: "责任单位", EN: "Unit"},
	"target.col.person":          {ZH: "责任人", EN: "Responsible person"},
	"target.col.kind":            {ZH: "目标类型", EN: "Kind"},
	"target.col.strive":          {ZH: "力争目标", EN: "Strive for"},
	"target.col.period":          {ZH: "数据期", EN: "Period"},
	"target.col.last_year":       {ZH: "去年同期", EN: "Last year, same period"},
	"target.col.note":            {ZH: "说明", EN: "Notes"},

	"target.page.parent":               {ZH: "上级目标", EN: "Parent target"},
	"target.page.kind":                 {ZH: "目标类型", EN: "Kind"},
	"target.page.kind_hint":            {ZH: "增速目标填写增长率（%）", EN: "a growth target is a rate in percent"},
	"target.page.must_reach":           {ZH: "确保目标", EN: "Must reach"},
	"target.page.strive":               {ZH: "力争目标", EN: "Strive for"},
	"target.page.last_year_total":      {ZH: "上年全年", EN: "Last year's total"},
	"target.page.last_year_total_hint": {ZH: "增速目标据此折算全年目标；用于按上年节奏预计年底数", EN: "turns a growth rate into a goal; used for the seasonal forecast"},
	"target.page.measure":              {ZH: "统计口径", EN: "Measure"},
	"target.page.weight":               {ZH: "权重", EN: "Weight"},
	"target.page.weight_hint":          {ZH: "计算单位得分时的权重，默认1", EN: "for the unit's score, 1 by default"},
	"target.page.note":                 {ZH: "备注", EN: "Note"},
	"target.page.note_hint":            {ZH: "选填，如数据来源", EN: "optional, e.g. where the figure comes from"},
	"target.page.optional":             {ZH: "选填", EN: "optional"},
	"target.page.person":               {ZH: "责任人", EN: "Responsible person"},
	"target.page.person_hint":          {ZH: "选填，须属于该单位或其下级", EN: "optional; must belong to the unit"},
	"target.page.forecast_run_rate":    {ZH: "预计全年（按序时）", EN: "Year forecast (run rate)"},
	"target.page.forecast_seasonal":    {ZH: "预计全年（按上年节奏）", EN: "Year forecast (last year's shape)"},
	"target.page.chart":                {ZH: "逐月累计与序时进度", EN: "Month by month against the schedule"},
	"target.page.chart_actual":         {ZH: "本年累计", EN: "This year"},
	"target.page.chart_schedule":       {ZH: "序时进度目标", EN: "Schedule"},
	"target.page.chart_last_year":      {ZH: "去年同期", EN: "Last year"},
	"target.page.history":              {ZH: "填报记录", EN: "Figures entered"},
	"target.page.period_col":           {ZH: "月份", EN: "Month"},
	"target.page.value":                {ZH: "本年累计", EN: "Year to date"},
	"target.page.last_year":            {ZH: "去年同期", EN: "Last year, same period"},
	"target.page.source":               {ZH: "来源", EN: "Source"},
	"target.page.source.form":          {ZH: "页面填报", EN: "form"},
	"target.page.source.import":        {ZH: "Excel导入", EN: "import"},
	"target.page.source.api":           {ZH: "接口", EN: "API"},
	"target.page.source.demo":          {ZH: "演示数据", EN: "demo"},
	"target.page.entered_by":           {ZH: "填报人", EN: "Entered by"},
	"target.page.entered_at":           {ZH: "填报时间", EN: "Entered at"},
	"target.page.status":               {ZH: "状态", EN: "Status"},
	"target.page.current":              {ZH: "当前", EN: "current"},
	"target.page.corrected":            {ZH: "已更正", EN: "corrected"},
	"target.page.no_figures":           {ZH: "尚未填报数据", EN: "No figures yet"},
	"target.page.enter_figure":         {ZH: "填报数据", EN: "Enter a figure"},
	"target.page.no_periods":           {ZH: "该年度尚无可填报的月份", EN: "No month of this year can be reported yet"},
	"target.page.correction_hint":      {ZH: "同一月份再次填报即为更正，原记录保留", EN: "Entering a month again corrects it; the earlier entry is kept"},
	"target.page.decomposition":        {ZH: "目标分解", EN: "Decomposition"},
	"target.page.share_of_parent":      {ZH: "占比", EN: "Share"},
	"target.page.split_further":        {ZH: "再分解%d项", EN: "split %d ways"},
	"target.page.sum":                  {ZH: "合计", EN: "Total"},
	"target.page.mismatch_short":       {ZH: "分解合计%s，低于目标%s，尚有%s未分解", EN: "The shares add up to %s, below the target %s: %s is not assigned"},
	"target.page.mismatch_over":        {ZH: "分解合计%s，超出目标%s共%s", EN: "The shares add up to %s, %[3]s above the target %[2]s"},
	"target.page.not_additive":         {ZH: "该指标不能直接加总，不核对分解合计", EN: "This indicator does not add up, so the shares are not summed"},
	"target.page.no_children":          {ZH: "尚未分解", EN: "Not split yet"},
	"target.page.add_child":            {ZH: "分解到单位或个人", EN: "Split to a unit or person"},
	"target.page.child_value":          {ZH: "分解目标", EN: "Share value"},
	"target.page.child_share":          {ZH: "或按比例（%）", EN: "or a share (%)"},
	"target.page.child_hint":           {ZH: "填写目标值或比例其中一项", EN: "Enter a value or a share, not both"},
	"target.page.err.value_or_share":   {ZH: "请填写分解目标或比例", EN: "Enter a value or a share"},
	"target.page.err.value_and_share":  {ZH: "目标值和比例只能填写一项", EN: "Enter a value or a share, not both"},

	"target.page.ind.name":              {ZH: "指标名称", EN: "Name"},
	"target.page.ind.category":          {ZH: "类别", EN: "Category"},
	"target.page.ind.direction":         {ZH: "方向", EN: "Direction"},
	"target.page.ind.cadence":           {ZH: "报送频次", EN: "Cadence"},
	"target.page.ind.additive":          {ZH: "可加总", EN: "Additive"},
	"target.page.ind.additive_hint":     {ZH: "上级数等于下级之和", EN: "a parent's value is the sum of its children's"},
	"target.page.ind.non_negative":      {ZH: "不得为负", EN: "Not negative"},
	"target.page.ind.non_negative_hint": {ZH: "拒收负数", EN: "negative figures are refused"},
	"target.page.ind.sort":              {ZH: "排序", EN: "Order"},
	"target.page.ind.owner":             {ZH: "所属", EN: "Belongs to"},
	"target.page.ind.shared":            {ZH: "区共用", EN: "shared"},
	"target.page.ind.search":            {ZH: "指标名称含", EN: "Name contains"},
	"target.page.ind.add":               {ZH: "新增指标", EN: "Add an indicator"},
	"target.page.ind.edit":              {ZH: "修改指标", EN: "Change the indicator"},
	"target.page.ind.measure_unit_hint": {ZH: "如 万元、亿元、个、户、%", EN: "e.g. 万元, 亿元, 个, 户, %"},

	"target.page.township":      {ZH: "乡镇", EN: "Township"},
	"target.page.margin":        {ZH: "黄灯区间（百分点）", EN: "Yellow band (percentage points)"},
	"target.page.margin_hint":   {ZH: "大于0、不超过50", EN: "above 0, at most 50"},
	"target.page.margin_rule":   {ZH: "完成进度不低于序时进度亮绿灯，落后序时进度%s个百分点以内亮黄灯，落后更多亮红灯。", EN: "Green at or ahead of schedule, yellow up to %s percentage points behind, red beyond."},
	"target.page.margin_growth": {ZH: "增速目标比较同比增速与目标增速，同样以此百分点为黄灯区间；越小越好的指标（上限）按超出序时额度判断。", EN: "Growth targets compare the YoY rate with the target rate using the same band; ceilings are judged by how far they exceed their scheduled allowance."},
}
