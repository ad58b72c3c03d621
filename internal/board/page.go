package board

import (
	"html"
	"html/template"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
	"guatu/internal/work"
)

// Page is the board.
type Page struct {
	web.Base
	Today     time.Time
	Year      int
	Campaign  *org.Campaign
	Countdown Countdown // the campaign's 第N天/共N天, when there is one
	// CampaignPart is the unit's own targets on the campaign's clock; nil
	// without a campaign or a target with a campaign task.
	CampaignPart *CampaignPart
	YearEndDays  int // days to 31 December, today included
	// YearEnd shows the year's countdown too: not when it would repeat the
	// campaign's days left (a campaign that ends with the year).
	YearEnd bool
	// Empty is a board with nothing to count: no targets of the unit, of
	// its units below or of the viewer, this year (a grid worker's, or a
	// township's before its targets are set). It says what the board will
	// show and links to what the viewer can do, instead of rows of zeros.
	Empty bool

	UnitID   int64
	UnitName string
	AsOf     int     // N of the latest 1–N月 among the unit's figures; 0 when none yet
	Share    float64 // the expected share (序时进度) at AsOf
	Counts   targets.Counts
	Late     int                 // how many targets of the unit's subtree are late today (未报)
	Lines    []Line              // the unit's own targets
	Table    template.HTML       // Lines as the indicator table's rows
	Lagging  []targets.UnitScore // its units most behind, at most laggingShown
	Mine     []Line              // the viewer's own targets, when they have any
	Charts   []Chart             // one per line, in the same order

	// Led (我分管的) are the targets a leader viewing the board is the
	// leader in charge of, shown first: the most urgent ledShown of
	// LedTotal. LedURL lists them all, LedAllURL with their shares.
	Led       []Line
	LedTotal  int
	LedURL    string
	LedAllURL string
	// Leaders ranks the leaders in charge of a township's own targets, most
	// behind first; LeadersShown says the board is a township's or a
	// district's, which shows the ranking (or that there is none yet).
	Leaders      []LeaderLine
	LeadersShown bool

	District *District // set for a district viewer

	// Tasks are the supervised tasks' counts (督查督办) of the unit shown,
	// each linking to the register's list of exactly those tasks; shown
	// when any is not zero.
	Tasks      []work.Tile
	TasksShown bool

	Reminders []targets.Reminder // 催报 addressed to the viewer, figure still missing
	Pending   int                // figures waiting in the viewer's review queue (审核)

	ChartJSON template.JS // ChartData, written once with the board's shared part
}

// Light names a light for CSS classes and message keys: "none" when unjudged.
func lightName(l targets.Light) string {
	if l == targets.LightNone {
		return "none"
	}
	return string(l)
}

// Line is one target as the board's tables show it, formatted once in Go: a
// township's board has hundreds of rows, and a template action per figure
// costs more than the formatting itself.
type Line struct {
	ID           int64
	Name         string // the indicator
	Measure      string // its measurement unit
	Owner        string // the person, else the unit
	Light        string // green, yellow, red or none, for CSS classes
	LightLabel   string // 绿灯, 黄灯, 红灯, 未报
	Target       string // the annual goal, or "增长6.5%" for a growth rate
	Actual       string
	Completion   string
	Bar          string // CSS width of the completion bar, 0–100%
	Schedule     string // CSS left of the schedule mark: the expected share
	Gap          string // completion − expected share in percentage points
	Behind       bool   // the gap is the wrong way: short of the schedule, or past a ceiling's
	YoY          string
	Forecast     string
	ForecastWhy  string // why the forecast is the run-rate, translated; "" when it is last year's shape
	Pace         string // still needed a month; for a ceiling its allowance left, labelled
	CeilingWhy   string // why a ceiling is red or passed, translated; "" when within
	CeilingSoon  bool   // red because the forecast passes the ceiling
	RolledUp     bool   // the actual is the sum of the children's figures
	Met          bool   // 完成, not beyond
	Over         bool   // 超额完成
	OverCeiling  bool   // a ceiling already passed
	Late         bool   // no figure for the month due (未报)
	Reconcile    string // the children's sum against the row's own figure; "" when not comparable
	ChildrenOver bool   // the children add up to more than the row's own figure
}

// newLine formats a row; t translates in the viewer's language.
func newLine(r targets.Row, t func(string, ...any) string) Line {
	p := r.Progress
	d := r.Indicator.Decimals()
	l := Line{
		ID: r.ID, Name: r.Indicator.Name, Measure: r.Indicator.MeasureUnit, Owner: r.UnitName,
		Light: lightName(p.Light), LightLabel: t("target.light." + string(p.Light)),
		Target: web.FormatFixed(r.Value, d), Actual: web.FormatFixed(r.Actual, d), Completion: web.FormatPercent(p.Completion),
		Bar: share(p.Completion), Schedule: share(&p.ExpectedShare), Gap: gapText(p.Gap, t), Behind: behind(p.Gap, r.Indicator.Direction),
		YoY: web.FormatPercent(p.YoYGrowth), Forecast: web.FormatFixed(p.Forecast, d), Pace: web.FormatFixed(p.PaceNeeded, d),
		RolledUp: r.RolledUp, Met: p.Met && !p.OverAchieved, Over: p.OverAchieved, OverCeiling: p.OverCeiling, Late: r.Late,
	}
	if p.ForecastNote != "" {
		l.ForecastWhy = t("target.forecast_note." + string(p.ForecastNote))
	}
	if rc := r.Reconcile(); rc != nil {
		l.Reconcile, l.ChildrenOver = r.ReconcileText(t), rc.Exceeds
	}
	if r.Indicator.Direction == targets.Lower {
		l.Pace = "—"
		if p.Allowance != nil {
			l.Pace = t("board.allowance", web.FormatFixed(p.Allowance, d))
		}
		if p.CeilingNote != "" {
			l.CeilingWhy = t("target.ceiling_note." + string(p.CeilingNote))
			l.CeilingSoon = p.CeilingNote == targets.CeilingForecast
		}
	}
	if r.PersonID != nil {
		l.Owner = r.PersonName
	}
	if r.Kind == targets.KindGrowth {
		l.Target = t("board.growth", web.FormatNumber(r.Value))
	}
	return l
}

// tags are the translated labels a row may carry.
type tags struct{ rolledUp, met, over, overCeiling, ceilingSoon, late string }

// tableRows writes the indicator table's rows. They are written here rather
// than by the template for speed: a township's board has hundreds of rows,
// and html/template's escapers, called by reflection for each of a row's
// twenty values, made up most of the page's time. Every text is escaped with
// html.EscapeString; the rest (ids, light names, CSS lengths) is ours.
func tableRows(lines []Line, t tags) template.HTML {
	var b strings.Builder
	b.Grow(len(lines) * 900)
	esc := html.EscapeString
	td := func(class, text string) {
		b.WriteString(`<td class="`)
		b.WriteString(class)
		b.WriteString(`">`)
		b.WriteString(esc(text))
		b.WriteString(`</td>`)
	}
	tag := func(class, text string) {
		b.WriteString(` <span class="`)
		b.WriteString(class)
		b.WriteString(`">`)
		b.WriteString(esc(text))
		b.WriteString(`</span>`)
	}
	for _, l := range lines {
		id := strconv.FormatInt(l.ID, 10)
		b.WriteString("<tr>\n<td><span class=\"light light-")
		b.WriteString(l.Light)
		if l.CeilingWhy != "" {
			b.WriteString(`" title="`)
			b.WriteString(esc(l.CeilingWhy))
		}
		b.WriteString(`" data-testid="light">`)
		b.WriteString(esc(l.LightLabel))
		b.WriteString(`</span></td><td class="name"><a href="/targets/`)
		b.WriteString(id)
		b.WriteString(`">`)
		b.WriteString(esc(l.Name))
		b.WriteString(`</a> <span class="measure">`)
		b.WriteString(esc(l.Measure))
		b.WriteString(`</span>`)
		if l.Late {
			tag("tag tag-red", t.late)
		}
		if l.RolledUp {
			tag("tag", t.rolledUp)
		}
		if l.Over {
			tag("tag tag-green", t.over)
		} else if l.Met {
			tag("tag tag-green", t.met)
		}
		if l.OverCeiling {
			tag("tag tag-red", t.overCeiling)
		} else if l.CeilingSoon {
			b.WriteString(` <span class="tag tag-red" data-testid="ceiling-note" title="`)
			b.WriteString(esc(l.CeilingWhy))
			b.WriteString(`">`)
			b.WriteString(esc(t.ceilingSoon))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td>`)
		td("num", l.Target)
		if l.Reconcile != "" {
			b.WriteString(`<td class="num strong">`)
			b.WriteString(esc(l.Actual))
			if l.ChildrenOver {
				b.WriteString(`<span class="sub red" data-testid="reconcile">`)
			} else {
				b.WriteString(`<span class="sub" data-testid="reconcile">`)
			}
			b.WriteString(esc(l.Reconcile))
			b.WriteString(`</span></td>`)
		} else {
			td("num strong", l.Actual)
		}
		td("num", l.Completion)
		b.WriteString(`<td class="progress-col"><div class="progress"><div class="bar `)
		b.WriteString(l.Light)
		b.WriteString(`" style="width: `)
		b.WriteString(l.Bar)
		b.WriteString(`"></div><div class="schedule" style="left: `)
		b.WriteString(l.Schedule)
		b.WriteString(`"></div></div></td>`)
		if l.Behind {
			td("num behind", l.Gap)
		} else {
			td("num", l.Gap)
		}
		td("num", l.YoY)
		if l.ForecastWhy != "" {
			b.WriteString(`<td class="num" data-testid="forecast-note" title="`)
			b.WriteString(esc(l.ForecastWhy))
			b.WriteString(`">`)
			b.WriteString(esc(l.Forecast))
			b.WriteString(`<span class="note-mark" aria-hidden="true">*</span></td>`)
		} else {
			td("num", l.Forecast)
		}
		td("num", l.Pace)
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// behind reports whether a gap is the wrong way: below the schedule for a
// target to reach, above it for a ceiling (安全生产事故起数).
func behind(gap *float64, d targets.Direction) bool {
	if gap == nil {
		return false
	}
	if d == targets.Lower {
		return *gap > 1e-9
	}
	return *gap < -1e-9
}

// share is a fraction as a CSS length, clamped to 0–100%.
func share(f *float64) string {
	if f == nil || math.IsNaN(*f) {
		return "0%"
	}
	return strconv.FormatFloat(math.Max(0, math.Min(1, *f))*100, 'f', 1, 64) + "%"
}

// gapText is the gap in percentage points with its unit ("−5.2个百分点"),
// or "—": a difference of two shares, never read as a percentage.
func gapText(g *float64, t func(string, ...any) string) string {
	if g == nil {
		return "—"
	}
	return t("target.gap_pp", gapPoints(g))
}

// gapPoints is completion minus the expected share in percentage points,
// signed ("+3.1", "−5.2"), or "—".
func gapPoints(g *float64) string {
	if g == nil {
		return "—"
	}
	v := math.Round(*g*1000) / 10
	switch {
	case v > 0:
		return "+" + strconv.FormatFloat(v, 'f', 1, 64)
	case v < 0:
		return "−" + strconv.FormatFloat(-v, 'f', 1, 64)
	}
	return "0.0"
}

// Chart is the data of one indicator's small chart: cumulative actual against
// the schedule line and last year's same period, by month.
type Chart struct {
	ID       int64        `json:"id"`
	Name     string       `json:"name"`
	Measure  string       `json:"measure"` // the measurement unit, 万元
	Light    string       `json:"light"`
	Actual   [12]*float64 `json:"actual"`
	LastYear [12]*float64 `json:"last_year"`
	Schedule [12]*float64 `json:"schedule"` // nil when there is no absolute goal
}

// chart builds a row's chart from its monthly figures. The schedule line is
// the goal's share month by month (the goal itself for a point-in-time
// measure); a growth target's goal is last year's total grown by the rate.
func chart(r targets.Row, months [12]*targets.Figure) Chart {
	c := Chart{ID: r.ID, Name: r.Indicator.Name, Measure: r.Indicator.MeasureUnit, Light: lightName(r.Progress.Light)}
	for i, f := range months {
		if f == nil {
			continue
		}
		v := f.Value
		c.Actual[i] = &v
		c.LastYear[i] = f.LastYear
	}
	goal, ok := r.Value, r.Kind == targets.KindValue
	if r.Kind == targets.KindGrowth && r.LastYearTotal != nil {
		goal, ok = *r.LastYearTotal*(1+r.Value/100), true
	}
	if !ok || math.IsNaN(goal) || math.IsInf(goal, 0) {
		return c
	}
	for i := range c.Schedule {
		v := goal
		if r.Indicator.Measure != targets.MeasurePoint {
			v = goal * targets.ExpectedShareMonth(i+1)
		}
		v = math.Round(v*100) / 100
		c.Schedule[i] = &v
	}
	return c
}

// fill puts a board and its monthly figures on the page.
func fill(p *Page, b *targets.Board, series map[int64][12]*targets.Figure) {
	p.UnitID, p.UnitName, p.Counts = b.UnitID, b.UnitName, b.Counts
	if len(b.AsOf) == 7 {
		p.AsOf, _ = strconv.Atoi(b.AsOf[5:])
		p.Share = targets.ExpectedShareMonth(p.AsOf)
	}
	p.Lines = make([]Line, len(b.Rows))
	p.Charts = make([]Chart, len(b.Rows))
	for i, r := range b.Rows {
		p.Lines[i] = newLine(r, p.T)
		p.Charts[i] = chart(r, series[r.ID])
	}
	p.Table = tableRows(p.Lines, tags{p.T("board.rolled_up"), p.T("board.met"), p.T("board.over"), p.T("board.over_ceiling"), p.T("board.ceiling_forecast"), p.T("board.late")})
	p.Lagging = b.Units
	if len(p.Lagging) > laggingShown {
		p.Lagging = p.Lagging[:laggingShown]
	}
	p.LeadersShown = b.UnitKind == string(org.Township) || b.UnitKind == string(org.District)
	p.Leaders = leaderLines(b.Leaders, b.UnitID, b.Year, p.T)
}

// District is what a district viewer sees above the board: the league of its
// townships (标兵 and 追兵 at a glance) and which one the board shows.
type District struct {
	Name   string
	League []Standing
	// Leaders are the district's leaders in charge most behind, at most
	// leadersShown of LeadersTotal.
	Leaders      []LeaderLine
	LeadersTotal int
	Townships    []org.Unit
	Selected     int64
	// Rows and Options are the league's rows and the township select's
	// options, written by Go with explicit escaping like the indicator
	// table: a city's league has a hundred townships.
	Rows    template.HTML
	Options template.HTML
}

// leagueRows writes the league's rows; t translates the light's word.
func leagueRows(league []Standing, t func(string, ...any) string) template.HTML {
	var b strings.Builder
	b.Grow(len(league) * 500)
	esc := html.EscapeString
	num := func(class string, n int) {
		b.WriteString(`<td class="`)
		b.WriteString(class)
		b.WriteString(`">`)
		b.WriteString(strconv.Itoa(n))
		b.WriteString(`</td>`)
	}
	for _, s := range league {
		if s.Selected {
			b.WriteString(`<tr class="selected">`)
		} else {
			b.WriteString(`<tr>`)
		}
		b.WriteString(`<td class="num"><span class="rank rank-`)
		b.WriteString(strconv.Itoa(s.Rank))
		b.WriteString(`">`)
		b.WriteString(strconv.Itoa(s.Rank))
		b.WriteString(`</span></td><td><a href="/?unit=`)
		b.WriteString(strconv.FormatInt(s.UnitID, 10))
		b.WriteString(`">`)
		b.WriteString(esc(s.UnitName))
		b.WriteString(`</a></td><td class="num strong">`)
		b.WriteString(esc(web.FormatNumber(s.Score)))
		b.WriteString(`</td><td><span class="light light-`)
		b.WriteString(s.LightClass())
		b.WriteString(`">`)
		b.WriteString(esc(t("target.light." + string(s.UnitScore.Light))))
		b.WriteString(`</span>`)
		if len(s.Worst) > 0 {
			b.WriteString(`<span class="sub" data-testid="worst">`)
			b.WriteString(esc(t("board.worst", strings.Join(s.Worst, "、"))))
			b.WriteString(`</span>`)
		}
		b.WriteString(`</td>`)
		num("num red", s.Counts.Red)
		num("num yellow", s.Counts.Yellow)
		num("num green", s.Counts.Green)
		num("num", s.Targets)
		b.WriteString("</tr>\n")
	}
	return template.HTML(b.String())
}

// townshipOptions writes the township select's options, the shown one
// selected, the way every unit select is written.
func townshipOptions(townships []org.Unit, selected int64) template.HTML {
	choices := make([]org.Choice, len(townships))
	for i, u := range townships {
		choices[i] = org.Choice{ID: u.ID, Label: u.Name}
	}
	return org.Options(choices, selected)
}

// Standing is a township's place in the league.
type Standing struct {
	Rank int
	targets.UnitScore
	Selected bool
}

// LightClass is the township's light as a class suffix.
func (s Standing) LightClass() string { return lightName(s.UnitScore.Light) }

// districtLeague ranks a district's townships best first: by score, then
// fewer reds, then name; and lists its leaders in charge most behind, in
// t's words.
func districtLeague(b *targets.Board, townships []org.Unit, t func(string, ...any) string) *District {
	d := &District{Name: b.UnitName, Townships: townships, LeadersTotal: len(b.Leaders)}
	d.Leaders = leaderLines(b.Leaders[:min(len(b.Leaders), leadersShown)], b.UnitID, b.Year, t)
	scores := append([]targets.UnitScore(nil), b.Units...)
	sort.SliceStable(scores, func(i, j int) bool {
		a, c := scores[i], scores[j]
		if a.Score != c.Score {
			return a.Score > c.Score
		}
		if a.Counts.Red != c.Counts.Red {
			return a.Counts.Red < c.Counts.Red
		}
		return a.UnitName < c.UnitName
	})
	for i, s := range scores {
		d.League = append(d.League, Standing{Rank: i + 1, UnitScore: s})
	}
	return d
}

// choose returns the league with one township marked as the one shown, its
// rows and options written in the viewer's words: a copy, since the league
// is kept and shared.
func (d *District) choose(selected int64, t func(string, ...any) string) *District {
	c := *d
	c.Selected = selected
	c.League = make([]Standing, len(d.League))
	for i, s := range d.League {
		s.Selected = s.UnitID == selected
		c.League[i] = s
	}
	c.Rows = leagueRows(c.League, t)
	c.Options = townshipOptions(c.Townships, selected)
	return &c
}

// ChartData is what board.js reads from the page's JSON block: the charts and
// their words in the viewer's language.
type ChartData struct {
	Months []string          `json:"months"`
	Labels map[string]string `json:"labels"`
	Charts []Chart           `json:"charts"`
}

// ChartData returns the page's charts for board.js.
func (p Page) ChartData() ChartData {
	d := ChartData{Charts: p.Charts, Labels: map[string]string{
		"actual":   p.T("board.series.actual"),
		"schedule": p.T("board.series.schedule"),
		"last":     p.T("board.series.last"),
		// A chart's caption says its light in words beside the dot.
		"green":  p.T("target.light.green"),
		"yellow": p.T("target.light.yellow"),
		"red":    p.T("target.light.red"),
		"none":   p.T("target.light."),
	}}
	for m := 1; m <= 12; m++ {
		d.Months = append(d.Months, p.T("board.month", m))
	}
	return d
}
