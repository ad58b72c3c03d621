// Package target is the heart of the campaign board: the indicator catalogue
// (指标), annual targets (目标) decomposed to units and people (分解), monthly
// cumulative figures (本年累计) with last year's same period (去年同期), and the
// schedule rules (序时进度) that turn them into lights, forecasts and the pace
// still needed.
package targets

import (
	"time"
)

// Cadence is how often an indicator is reported.
type Cadence string

const (
	Monthly   Cadence = "monthly"
	Quarterly Cadence = "quarterly"
)

// Indicator (指标) is something measured.
type Indicator struct {
	ID          int64     `json:"id"`
	TownshipID  *int64    `json:"township_id"` // nil: the shared catalogue; else the township's own
	Name        string    `json:"name"`
	MeasureUnit string    `json:"measure_unit"` // 计量单位: 万元, 亿元, 个, 户, %
	Category    string    `json:"category"`
	Measure     Measure   `json:"measure"`   // cumulative | point
	Direction   Direction `json:"direction"` // higher | lower
	Cadence     Cadence   `json:"cadence"`
	Additive    bool      `json:"additive"`     // a parent's value is the sum of its children's
	NonNegative bool      `json:"non_negative"` // a negative figure is refused
	Sort        int       `json:"sort"`
	// ParentID makes the indicator a sub-item (其中) of another, one level
	// deep: 工业投资 of 固定资产投资. nil for a top-level indicator.
	ParentID *int64 `json:"parent_id"`
	// Precision is the indicator's own display precision (0–4 decimals),
	// nil to show its measurement unit's (see Decimals).
	Precision *int `json:"decimals"`
}

// Target (目标) is an indicator's annual goal for a unit, or for a named
// person in it. A target with a parent is part of the parent's decomposition.
type Target struct {
	ID            int64    `json:"id"`
	TownshipID    int64    `json:"-"` // the township of the unit: the row's tenant
	IndicatorID   int64    `json:"indicator_id"`
	UnitID        int64    `json:"unit_id"`
	PersonID      *int64   `json:"person_id"`
	LeaderID      *int64   `json:"leader_id"` // 分管领导, on the township's leadership team
	ParentID      *int64   `json:"parent_id"`
	Year          int      `json:"year"`
	Kind          Kind     `json:"kind"`         // value | growth
	Value         float64  `json:"target_value"` // 确保 (must-reach); a rate in percent for growth targets
	Strive        *float64 `json:"strive_value"` // 力争 (strive-for)
	LastYearTotal *float64 `json:"last_year_total"`
	Weight        float64  `json:"weight"`
	Note          string   `json:"note"`
}

// Figure is a cumulative value for 1–N月 (本年累计), or a month-end value for a
// point-in-time indicator, with last year's same period. Figures are never
// changed: a correction is a new figure and the old one stays in the history.
type Figure struct {
	ID       int64  `json:"id"`
	TargetID int64  `json:"target_id"`
	Period   string `json:"period"` // YYYY-MM
	// AsOf is the day a 调度数 (a figure dated by day, "截至11月20日") stands
	// at, within Period's month; "" for the month's statistic, which
	// supersedes it.
	AsOf      string    `json:"as_of,omitempty"`
	Value     float64   `json:"value"`
	LastYear  *float64  `json:"last_year_value"`
	Source    string    `json:"source"`
	Note      string    `json:"note"`
	Reason    string    `json:"reason"` // 更正原因, for a correction; "" otherwise
	EnteredBy string    `json:"entered_by"`
	EnteredAt time.Time `json:"entered_at"`
	// Status (审核) is approved for a figure that counts, pending for a
	// reporter's figure awaiting review, returned for one sent back,
	// replaced for a pending one entered again before a decision.
	Status       Status     `json:"status"`
	ReviewedBy   string     `json:"reviewed_by,omitempty"`
	ReviewedAt   *time.Time `json:"reviewed_at,omitempty"`
	ReviewReason string     `json:"review_reason,omitempty"` // 退回原因, for a returned figure
}

// Status is where a figure stands in review: only approved figures count.
type Status string

// The states of a figure.
const (
	Approved Status = "approved"
	Pending  Status = "pending"
	Returned Status = "returned"
	Replaced Status = "replaced"
)

// Month returns N of the figure's period YYYY-MM.
func (f Figure) Month() int { return periodMonth(f.Period) }

func periodMonth(p string) int {
	if len(p) != 7 {
		return 0
	}
	m := int(p[5]-'0')*10 + int(p[6]-'0')
	if m < 1 || m > 12 {
		return 0
	}
	return m
}

// Period formats year and month as YYYY-MM.
func Period(year, month int) string {
	return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC).Format("2006-01")
}

// StatPeriodOrDay is the month the row's statistics reach, for the "数据截至
// 1-N月" of a board: a 调度数 stands for no month's statistic.
func (r Row) StatPeriodOrDay() string {
	if r.AsOf != "" {
		return r.StatPeriod
	}
	return r.Period
}

// Row is a target as lists, the board and the API show it: the target, its
// indicator and owners, the current figure and the schedule progress.
type Row struct {
	Target
	Indicator  Indicator `json:"-"`
	UnitName   string    `json:"unit_name"`
	UnitPath   string    `json:"-"`
	PersonName string    `json:"person_name"`
	LeaderName string    `json:"leader_name"`
	// Latest is the current figure of the latest period with one; nil when
	// none has been entered this year.
	Latest *Figure `json:"latest"`
	// RolledUp is true when Actual is the sum of the children's figures
	// because the target has no figure of its own for that period.
	RolledUp bool     `json:"rolled_up"`
	Actual   *float64 `json:"actual"`
	// LastYearSame is last year's same period (去年同期) of Actual: the
	// figure's, or the children's sum for a roll-up; nil when unknown.
	LastYearSame *float64 `json:"last_year_value"`
	Period       string   `json:"period"`
	// AsOf is the day of a 调度数 the row counts ("截至11月20日"), within
	// Period's month; "" when it counts the month's statistic.
	AsOf string `json:"as_of,omitempty"`
	// StatPeriod is the month of the latest statistic (a figure not dated by
	// day) the row has, or of its roll-up: what 未报 is judged on, since a
	// 调度数 reports no month's statistic. It is what target_progress keeps
	// as period.
	StatPeriod string   `json:"-"`
	Progress   Progress `json:"-"`
	Children   int      `json:"children"`
	// ChildrenSum is the sum of the children's target values, to show a
	// decomposition that does not add up; nil when there are no children or
	// the indicator is not additive.
	ChildrenSum *float64 `json:"children_sum"`
	// ChildrenActual is the sum of the children's figures when every child
	// has one for the row's own month and the row has its own figure (see
	// Reconcile); nil otherwise, and read only where it is shown.
	ChildrenActual *float64 `json:"-"`
	// Due is the period the target should have a figure for today ("" when
	// nothing is due yet) and Late (未报) says it has none: both worked out
	// when read (see DuePeriod), never kept.
	Due  string `json:"due_period"`
	Late bool   `json:"late"`
}

// DecompositionGap is the parent's target minus the sum of its children's;
// nil when there is nothing to compare.
func (r Row) DecompositionGap() *float64 {
	if r.ChildrenSum == nil || r.Kind != KindValue {
		return nil
	}
	g := r.Value - *r.ChildrenSum
	if g > -1e-9 && g < 1e-9 {
		g = 0
	}
	return &g
}
