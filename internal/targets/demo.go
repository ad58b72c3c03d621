package targets

import (
	"context"
	"database/sql"
	"hash/fnv"
	"math"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/clock"
)

// DemoTown is a township of the demo with the ids the target demo needs.
type DemoTown struct {
	ID    int64
	Name  string
	Units map[string]int64 // child unit name → id
	// People maps a person's name to their id (for person-level targets).
	People map[string]int64
	// Pace scales every indicator's performance: above 1 a town running
	// ahead (the one ahead, 标兵), below 1 one falling behind.
	Pace float64
	// Detailed towns get the decomposition to units and people, a
	// corrected figure and their leaders in charge (分管领导, from People:
	// the town seats its team); the others only their own targets.
	Detailed bool
}

// demoTarget is one township target of the demo: the value, and how the
// year is going (perf: the share of the target the town is on course for).
type demoTarget struct {
	indicator string
	// leader is the member of the detailed town's team in charge of it, by
	// the domain their seat names: industry and investment promotion,
	// finance and tax, social affairs, safety.
	leader   string
	value    float64
	kind     Kind
	perf     float64
	children []demoChild
	// The detailed town's cases that read in a particular way, so the demo
	// shows each: lastYearTotal below last year's same period by autumn
	// (a total revised down at year end: the forecast is the run-rate and
	// says why), lastValue the final month's figure (exactly the target: 完成,
	// not 超额), lastYearScale last year's same period as a share of this
	// year's (negative: a net decrease, from which there is no YoY growth).
	lastYearTotal float64
	lastValue     float64
	lastYearScale float64
}

type demoChild struct {
	unit   string
	person string // set for a person-level child of the unit above it
	value  float64
	perf   float64
	// lagMonths leaves the last months unreported, as a village that is late.
	lagMonths int
	children  []demoChild
}

// Monthly weights (%) of a typical year: a slow spring, a strong December.
var demoShape = [12]float64{5, 6, 8, 8, 8, 9, 8, 8, 9, 9, 10, 12}

var demoTargets = []demoTarget{
	{indicator: "地区生产总值", leader: "李卫东", value: 6.5, kind: KindGrowth, perf: 1},
	{indicator: "固定资产投资", leader: "刘晓明", value: 32, perf: 0.82, children: []demoChild{
		{unit: "经发办（招商办）", value: 20, perf: 0.85},
		{unit: "双塘村", value: 5, perf: 0.9},
		{unit: "东湖村", value: 3, perf: 0.6},
		{unit: "振兴社区", value: 2, perf: 1.1},
	}},
	{indicator: "工业投资", leader: "刘晓明", value: 18, perf: 0.92},
	{indicator: "实际到账外资", leader: "刘晓明", value: 3500, perf: 1.25, children: []demoChild{
		{unit: "经发办（招商办）", value: 3500, perf: 1.25, children: []demoChild{
			{person: "朱永康", value: 2000, perf: 1.3},
			{person: "胡佳怡", value: 1500, perf: 1.15},
		}},
	}},
	{indicator: "招商引资到位资金", leader: "刘晓明", value: 25, perf: 1.02},
	{indicator: "一般公共预算收入", leader: "李卫东", value: 46000, perf: 0.97},
	{indicator: "入库税收", leader: "李卫东", value: 52000, perf: 0.95, children: []demoChild{
		{unit: "双塘村", value: 15600, perf: 1.05},
		{unit: "东湖村", value: 7800, perf: 0.78, lagMonths: 1},
		{unit: "杨庄村", value: 6240, perf: 0.95},
		{unit: "柳河村", value: 5200, perf: 0.9},
		{unit: "振兴社区", value: 9360, perf: 1.1},
		{unit: "新华社区", value: 7800, perf: 0.86},
	}},
	{indicator: "全部应税销售", leader: "李卫东", value: 210, perf: 1.09},
	{indicator: "规上工业总产值", leader: "刘晓明", value: 180, perf: 1.0},
	{indicator: "外贸出口", leader: "刘晓明", value: 28000, perf: 0.88},
	{indicator: "社会消费品零售总额", leader: "李卫东", value: 38, perf: 1.08},
	{indicator: "新增四上企业", leader: "刘晓明", value: 12, perf: 0.7},
	{indicator: "新发展市场主体", leader: "赵丽华", value: 1800, perf: 1.12, children: []demoChild{
		{unit: "双塘村", value: 300, perf: 1.2},
		{unit: "东湖村", value: 300, perf: 0.9},
		{unit: "杨庄村", value: 300, perf: 1.1},
		{unit: "柳河村", value: 300, perf: 1.0},
		{unit: "振兴社区", value: 300, perf: 1.3},
		{unit: "新华社区", value: 300, perf: 1.15},
	}},
	{indicator: "个体私营企业净增加", leader: "赵丽华", value: 900, perf: 1.1, lastYearScale: -0.05},
	{indicator: "规上企业数", leader: "刘晓明", value: 135, perf: 0.95, lastValue: 135},
	{indicator: "城镇新增就业", leader: "赵丽华", value: 1500, perf: 1.15, lastYearTotal: 1200},
	{indicator: "安全生产事故起数", leader: "王红梅", value: 6, perf: 0.75},
}

// noise returns a deterministic factor in [1-spread, 1+spread] for a key, so
// the demo looks lived-in but is the same every time it is loaded.
func noise(spread float64, key ...any) float64 {
	h := fnv.New64a()
	for _, k := range key {
		h.Write([]byte(fmtAny(k)))
	}
	return 1 + spread*(float64(h.Sum64()%2001)/1000-1)
}

func fmtAny(v any) string {
	switch x := v.(type) {
	case string:
		return x + "|"
	case int:
		return string(rune('a'+x%26)) + string(rune('a'+x/26%26)) + "|"
	case float64:
		return fmtAny(int(x * 1000))
	}
	return "?|"
}

// LoadDemo makes sure the catalogue and a demo town's targets and monthly
// figures for the year of now exist, up to last month (this month's figures
// are not out yet). Idempotent: existing targets and figures are kept. ctx
// carries the account the figures are entered as.
func (s *Store) LoadDemo(ctx context.Context, town DemoTown, now time.Time) error {
	inds, err := s.EnsureCatalog(ctx)
	if err != nil {
		return err
	}
	today := clock.Today(now)
	year, lastMonth := today.Year(), int(today.Month())-1
	if lastMonth < 1 {
		lastMonth = 1
	}
	for _, dt := range demoTargets {
		ind := inds[dt.indicator]
		if !town.Detailed && ind.Name == "工业投资" {
			continue // neighbours report a slightly shorter list, as real ones do
		}
		perf := dt.perf * town.Pace
		value := dt.value
		if !town.Detailed && dt.kind != KindGrowth {
			value = roundFor(ind, dt.value*noise(0.25, town.Name, dt.indicator))
		}
		var shape demoShaping
		lyt := 0.0
		if town.Detailed {
			shape = demoShaping{lastValue: dt.lastValue, lastYearScale: dt.lastYearScale}
			lyt = dt.lastYearTotal
		}
		var leader *int64
		if town.Detailed && dt.leader != "" {
			if id, ok := town.People[dt.leader]; ok {
				leader = &id
			}
		}
		id, err := s.ensureDemoTarget(ctx, ind, town.ID, nil, nil, leader, year, dt.kind, value, lyt)
		if err != nil {
			return err
		}
		if err := s.ensureDemoFigures(ctx, id, ind, dt.kind, value, perf, year, lastMonth, town.Name+dt.indicator, town.Detailed, shape); err != nil {
			return err
		}
		if town.Detailed {
			if err := s.demoChildren(ctx, town, ind, id, town.ID, dt.children, year, lastMonth); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *Store) demoChildren(ctx context.Context, town DemoTown, ind Indicator, parentID, parentUnit int64, kids []demoChild, year, lastMonth int) error {
	for _, c := range kids {
		unitID, person := parentUnit, (*int64)(nil)
		if c.person != "" {
			pid := town.People[c.person]
			person = &pid
		} else {
			unitID = town.Units[c.unit]
		}
		pid := parentID
		// A share takes its parent's leader in charge.
		id, err := s.ensureDemoTarget(ctx, ind, unitID, person, &pid, nil, year, KindValue, c.value, 0)
		if err != nil {
			return err
		}
		if err := s.ensureDemoFigures(ctx, id, ind, KindValue, c.value, c.perf, year, lastMonth-c.lagMonths, c.unit+c.person+ind.Name, false, demoShaping{}); err != nil {
			return err
		}
		if err := s.demoChildren(ctx, town, ind, id, unitID, c.children, year, lastMonth); err != nil {
			return err
		}
	}
	return nil
}

func roundFor(ind Indicator, v float64) float64 {
	switch ind.MeasureUnit {
	case "个", "户", "人", "起", "家":
		return math.Round(v)
	case "亿元":
		return math.Round(v*100) / 100
	default:
		return math.Round(v)
	}
}

// ensureDemoTarget finds or creates a demo target; lyt is its last-year
// total where the demo wants a particular one (0: one a little under the
// target). A target found without a leader in charge is given leader (and
// its shares with it), so a demo loaded before leaders were named gets them;
// one that has a leader keeps it.
func (s *Store) ensureDemoTarget(ctx context.Context, ind Indicator, unitID int64, person, parent, leader *int64, year int, kind Kind, value, lyt float64) (int64, error) {
	var id int64
	var pid int64
	if person != nil {
		pid = *person
	}
	var kept sql.NullInt64
	err := s.DB.QueryRowContext(ctx, `SELECT id, leader_id FROM targets WHERE indicator_id = $1 AND unit_id = $2 AND COALESCE(person_id, 0) = $3 AND year = $4`,
		ind.ID, unitID, pid, year).Scan(&id, &kept)
	if err == nil {
		if leader != nil && !kept.Valid {
			if _, err := s.SetLeader(ctx, id, leader); err != nil {
				return 0, err
			}
		}
		return id, nil
	}
	if err != sql.ErrNoRows {
		return 0, platform.Internalf("demo target: %w", err)
	}
	if kind == "" {
		kind = KindValue
	}
	v := value
	in := TargetInput{IndicatorID: ind.ID, UnitID: unitID, PersonID: person, LeaderID: leader, ParentID: parent, Year: year, Kind: kind, Value: &v}
	if kind == KindGrowth || parent == nil {
		if lyt == 0 {
			lyt = demoLastYearTotal(ind, kind, value)
		}
		in.LastYearTotal = &lyt
	}
	if parent == nil && kind == KindValue && ind.Direction == Higher {
		strive := roundFor(ind, value*1.1)
		in.Strive = &strive
	}
	r, err := s.CreateTarget(ctx, in)
	return r.ID, err
}

// demoLastYearTotal is last year's full-year value: for a growth target a
// base that makes the rate meaningful, else a little under this year's target.
func demoLastYearTotal(ind Indicator, kind Kind, value float64) float64 {
	if kind == KindGrowth {
		return 58.6
	}
	return roundFor(ind, value/(1+0.06*noise(0.8, ind.Name, "growth")))
}

// demoShaping bends one target's figures into a case the demo must show
// (see demoTarget); zero values leave them as the shape makes them.
type demoShaping struct {
	lastValue     float64
	lastYearScale float64
}

// ensureDemoFigures writes months 1..last of a target when it has none yet.
func (s *Store) ensureDemoFigures(ctx context.Context, targetID int64, ind Indicator, kind Kind, value, perf float64, year, last int, key string, correction bool, shape demoShaping) error {
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM figures WHERE target_id = $1`, targetID).Scan(&n); err != nil {
		return platform.Internalf("demo figures: %w", err)
	}
	if n > 0 || last < 1 {
		return nil
	}
	t, err := s.Target(ctx, targetID)
	if err != nil {
		return err
	}
	growth := 0.04 + 0.06*noise(1, key, "g") // last year's same period is 4–10% lower
	if kind == KindGrowth {
		// The target is a rate: the year runs at perf × rate on last year's base.
		growth = value / 100 * perf * 0.9
	}
	base := value
	if kind == KindGrowth && t.LastYearTotal != nil {
		base = *t.LastYearTotal * (1 + growth)
		perf = 1
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		cum := 0.0
		for m := 1; m <= last; m++ {
			cum += demoShape[m-1] / 100 * noise(0.08, key, m)
			if ind.Cadence == Quarterly && m%3 != 0 {
				continue
			}
			var v float64
			switch {
			case ind.Measure == MeasurePoint:
				v = roundFor(ind, base*perf*noise(0.01, key, m)*(0.97+0.03*float64(m)/12))
			default:
				v = roundFor(ind, base*perf*cum)
			}
			if m == last && shape.lastValue != 0 {
				v = shape.lastValue
			}
			ly := roundFor(ind, v/(1+growth))
			if shape.lastYearScale != 0 {
				ly = roundFor(ind, v*shape.lastYearScale)
			}
			if correction && m == last-1 && ind.Name == "入库税收" {
				// A first entry with a typo, corrected the next day: the
				// history keeps both.
				wrong := v * 10
				if _, err := insertFigure(ctx, tx, t, FigureInput{Period: Period(year, m), Value: &wrong, LastYear: &ly, Source: "demo", Note: "录入"}, nil, now); err != nil {
					return err
				}
			}
			reason := ""
			if correction && m == last-1 && ind.Name == "入库税收" {
				reason = "多录一位"
			}
			if _, err := insertFigure(ctx, tx, t, FigureInput{Period: Period(year, m), Value: &v, LastYear: &ly, Source: "demo", Reason: reason}, nil, now); err != nil {
				return err
			}
		}
		return s.refresh(ctx, tx, []int64{t.ID})
	})
}
