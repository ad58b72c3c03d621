package targets

import (
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/web"
)

// fixtures are sample data for every page of the room, with every list
// filled and every form showing errors, for the page check (internal/app).
func fixtures() []web.Fixture {
	f := func(v float64) *float64 { return &v }
	one := int64(1)
	gdp := Indicator{ID: 1, Name: "一般公共预算收入", MeasureUnit: "万元", Category: "财政", Measure: MeasureCumulative, Direction: Higher, Cadence: Monthly, Additive: true, NonNegative: true}
	acc := Indicator{ID: 2, Name: "安全生产事故起数", MeasureUnit: "起", Measure: MeasureCumulative, Direction: Lower, Cadence: Monthly, Additive: true, NonNegative: true}
	at := time.Date(2026, 11, 5, 9, 0, 0, 0, time.UTC)
	fig := Figure{ID: 9, TargetID: 1, Period: "2026-10", Value: 39083, LastYear: f(36100), Source: "form", Note: "统计局反馈", Reason: "多录一位", EnteredBy: "tongji", EnteredAt: at}
	pending := fig
	pending.ID, pending.Status, pending.EnteredBy = 10, Pending, "shuangtang"
	returned := pending
	returned.ID, returned.Status, returned.ReviewedBy, returned.ReviewedAt, returned.ReviewReason = 11, Returned, "tongji", &at, "与税务数据不符"
	row := Row{
		Target:    Target{ID: 1, IndicatorID: 1, UnitID: 2, LeaderID: &one, Year: 2026, Kind: KindValue, Value: 46000, Strive: f(48000), LastYearTotal: f(43000), Weight: 1},
		Indicator: gdp, UnitName: "XX镇", LeaderName: "李卫东", UnitPath: "/1/2/", Latest: &fig, Actual: f(39083), Period: "2026-10",
		Progress: Progress{Completion: f(0.85), ExpectedShare: 10.0 / 12, Gap: f(0.017), YoYGrowth: f(0.083), Light: Green, ForecastRunRate: f(46900), ForecastSeasonal: f(46550), Forecast: f(46550), PaceNeeded: f(3458), ForecastNote: ForecastTotalBelowSame},
		Children: 1, ChildrenSum: f(45000),
	}
	child := Row{
		Target:    Target{ID: 2, IndicatorID: 1, UnitID: 3, ParentID: &row.ID, PersonID: &one, Year: 2026, Kind: KindValue, Value: 45000, Weight: 1},
		Indicator: gdp, UnitName: "双塘村", PersonName: "李建国", UnitPath: "/1/2/3/", Actual: f(30000), Period: "2026-10", RolledUp: true,
		Progress: Progress{Completion: f(1), ExpectedShare: 10.0 / 12, Gap: f(0.17), Light: Green, Met: true},
	}
	ceiling := Row{
		Target:    Target{ID: 3, IndicatorID: 2, UnitID: 2, Year: 2026, Kind: KindGrowth, Value: 5, Weight: 1},
		Indicator: acc, UnitName: "XX镇", UnitPath: "/1/2/", Actual: f(4), Period: "2026-10",
		Progress: Progress{ExpectedShare: 1, Light: Yellow, OverCeiling: true, Allowance: f(-1), AllowancePace: f(0), CeilingNote: CeilingPassed},
	}
	soon := Row{
		Target:    Target{ID: 4, IndicatorID: 2, UnitID: 2, Year: 2026, Kind: KindValue, Value: 6, Weight: 1},
		Indicator: acc, UnitName: "XX镇", UnitPath: "/1/2/", Actual: f(5.4), Period: "2026-10",
		Progress: Progress{Completion: f(0.9), ExpectedShare: 10.0 / 12, Gap: f(0.067), Light: Red, ForecastRunRate: f(6.48), Forecast: f(6.48),
			Allowance: f(0.6), AllowancePace: f(0.3), CeilingNote: CeilingForecast, ForecastNote: ForecastNoSame},
	}
	form := func(values map[string]string, errs ...string) web.FormView {
		fv := web.FormView{Values: values, Errors: map[string]string{}}
		for _, e := range errs {
			fv.Errors[e] = "请输入数字"
		}
		return fv
	}
	units := []org.Choice{{ID: 2, Label: "XX镇", Kind: org.Township, Path: "/1/2/"}, {ID: 3, Label: "双塘村", Indent: "\u3000", Kind: org.Village, Path: "/1/2/3/"}}
	leaders := []org.Choice{{ID: 1, Label: "李卫东（党委副书记、镇长）"}, {ID: 5, Label: "刘晓明（党委委员、副镇长）"}}
	indicators := []Indicator{gdp, acc}
	township := org.Unit{ID: 2, Kind: org.Township, Name: "XX镇", Path: "/1/2/", Depth: 1}
	suspect := Problem{Row: 6, Column: "C", Header: "1-10月累计", Key: "target.err.suspect.converted", Args: []any{"", "39,083", "万元", "8,110,000", "208", "亿元"}}
	preview := &Preview{Token: "t", Filename: "1-10月.xlsx", UnitID: 2, UnitName: "XX镇", Year: 2026, Month: 10, Sheet: "主要指标", Ignored: []IgnoredSheet{{Name: "各村", Key: keySheetNotRead, Args: []any{"主要指标"}}, {Name: "说明", Key: keySheetNoHeader}},
		Rows: []ImportRow{
			{SheetRow: SheetRow{Row: 5, Indicator: "外资"}, Problems: []Problem{{Row: 5, Column: "A", Header: "指标名称", Key: "import.err.unknown_indicator", Args: []any{"外资"}}},
				Mismatches: []Problem{{Row: 5, Column: "F", Header: "占年计划%", Key: "import.mismatch.share", Args: []any{"80.0", "76.5"}}}},
			{SheetRow: SheetRow{Row: 3, Indicator: "一般公共预算收入", MeasureUnit: "万元", Value: f(39083), LastYear: f(36100)}, IndicatorID: 1, TargetID: 1, UnitName: "XX镇", Value: f(39083), LastYear: f(36100), Converted: true, DerivedLastYear: true},
			{SheetRow: SheetRow{Row: 4, Indicator: "规上工业总产值", Target: f(30)}, IndicatorID: 2, UnitName: "XX镇", Skipped: true, TargetValue: f(300000), TargetAction: TargetCreate},
			{SheetRow: SheetRow{Row: 8, Indicator: "新发展市场主体", MeasureUnit: "户", Target: f(1800), Value: f(1700)}, IndicatorID: 3, TargetID: 3, UnitName: "XX镇", Value: f(1700), TargetValue: f(1800), TargetWas: f(1750), TargetAction: TargetChange},
			{SheetRow: SheetRow{Row: 7, Indicator: "规模以上工业总产值", Sub: true, ParentRow: 4}, IndicatorID: 2, Alias: "规模以上工业总产值", Matched: "规上工业总产值", Skipped: true},
			{SheetRow: SheetRow{Row: 6, Indicator: "入库税收", MeasureUnit: "亿元", Value: f(811)}, IndicatorID: 1, TargetID: 1, UnitName: "XX镇", Value: f(8110000), LastYear: f(36100), Converted: true, KeptLastYear: true, Suspect: &suspect},
		},
		HasTargets:    true,
		TargetChanges: []Problem{{Row: 8, Column: "C", Header: "年度任务数", Key: "import.target.change", Args: []any{"1,750", "1,800", "户"}}},
		Suspects:      []Problem{suspect},
		Mismatches:    []Problem{{Row: 3, Column: "E", Header: "同比增长%", Key: "import.mismatch.growth", Args: []any{"9.1", "8.3"}}},
		Problems:      []Problem{{Row: 5, Column: "A", Header: "指标名称", Key: "import.err.unknown_indicator", Args: []any{"外资"}}, {Key: "import.err.no_header"}},
	}
	list := targetsList.Fixture(3)
	list.Set("unit", "2")
	list.Set("light", "red")
	heads := []web.SortHead{{Label: "指标", URL: "/targets?sort=indicator", Mark: "↑"}, {Label: "确保目标"}}
	views := rowViews([]Row{row, child, ceiling, soon})
	views[0].Campaign = &CampaignProgress{StartMonth: 8, StartFigure: f(30000), Task: f(16000), Done: f(9083), ShareOfDays: 65.0 / 101, Completion: f(0.57), PacePerWeek: f(1308.6), DaysLeft: 37}
	return []web.Fixture{
		{Page: "targets", Data: TargetsPage{List: list, Heads: heads, Rows: views, Campaign: true, Counts: Counts{Green: 1, Yellow: 1, Red: 1}, AsOf: 10,
			Year: 2026, Years: []int{2027, 2026}, Units: org.Options(units, 2), Leaders: org.Options(leaders, 1), Leader: "李卫东", Indicators: indicators, Lights: lightChoices, Scope: "XX镇", Review: true, Pending: 2}},
		{Page: "target", Data: TargetPage{Row: RowView{Row: row}, Parent: &RowView{Row: row}, Reminders: []Reminder{{ID: 1, TargetID: 1, Period: "2026-11", SentBy: "黄秀英", To: 2}},
			History:  []HistoryRow{{Figure: pending}, {Figure: returned}, {Figure: fig, Current: true}, {Figure: fig}},
			Awaiting: []Figure{pending, returned},
			Children: []ChildView{{RowView: RowView{Row: child}, ShareOfParent: f(0.98)}}, ChildrenTotal: 45000, ChildrenActual: f(30000),
			Periods: []PeriodOption{{Value: "2026-10", Month: 10}, {Value: "2026-09", Month: 9}},
			Owners:  []OwnerOption{{Value: "u3", Label: "双塘村"}, {Value: "p1", Label: "李建国（双塘村）"}},
			Chart:   fixtureChart(row, fig), FigureForm: form(map[string]string{"period": "2026-13", "correction": "1", "confirm": "1"}, "_", "period", "value", "last_year_value", "note", "reason", "correction", "confirm"),
			Kept: map[string]KeptValues{"2026-10": {Value: "39083", LastYear: "36100"}}, Prefilled: &fig,
			ChildForm: form(nil, "_", "owner", "target_value", "share", "note"), SeasonalForecast: true,
			Leaders: leaders, LeaderForm: form(map[string]string{"leader_id": "5"}, "_", "leader_id"), names: map[string]string{"tongji": "黄秀英"}}},
		{Page: "newtarget", Data: NewTargetPage{Indicators: indicators, Units: units, People: []org.Person{{ID: 1, UnitID: 3, UnitName: "双塘村", Name: "李建国"}}, Leaders: leaders, Kinds: []Kind{KindValue, KindGrowth},
			Form: form(map[string]string{"kind": "value", "leader_id": "5"}, "_", "indicator_id", "unit_id", "year", "kind", "target_value", "strive_value", "last_year_total", "weight", "note", "person_id", "leader_id")}},
		{Page: "indicators", Data: IndicatorsPage{List: indicatorsList.Fixture(2), Heads: heads, Indicators: []IndicatorView{{Indicator: gdp}, {Indicator: acc, Owner: "XX镇"}}, EditID: 1, Measures: []Measure{MeasureCumulative, MeasurePoint}, Directions: []Direction{Higher, Lower}, Cadences: []Cadence{Monthly, Quarterly}, DecimalChoices: []int{0, 1, 2, 3, 4},
			Form:    form(indicatorValues(gdp), "_", "name", "measure_unit", "category", "measure", "direction", "cadence", "sort", "parent_id"),
			Parents: []Indicator{acc}, AliasForm: form(map[string]string{"aliases": "GDP"}, "aliases")}},
		{Page: "settings", Data: SettingsPage{Townships: []org.Unit{township}, Township: township, Margin: 0.1, Review: true, CanEdit: true, Form: form(map[string]string{"margin": "10"}, "_", "margin")}},
		{Page: "import", Data: ImportPage{Units: []ImportUnit{{ID: 2, Name: "XX镇", Kind: "township"}, {ID: 3, Name: "双塘村", Kind: "village", Depth: 1}}, Unit: 2, Year: 2026, Month: 10,
			Years: []int{2026, 2025}, Months: []int{10, 11}, PeriodYear: 2026, PeriodMonth: 10, Form: form(nil, "_", "file", "unit_id", "year", "month")}},
		{Page: "import_preview", Data: PreviewPage{Preview: preview, Error: "导入被拒绝", Unknown: []UnknownIndicator{{Name: "外资", MeasureUnit: "万美元", Parent: gdp}}}},
		{Page: "review", Data: ReviewPage{List: reviewList.Fixture(1), Items: []ReviewItem{{Figure: pending, Indicator: "一般公共预算收入", MeasureUnit: "万元", UnitID: 3, Unit: "双塘村", CountedPeriod: "2026-09", CountedValue: f(35000)}},
			Units: org.Options(units, 3), Months: []PeriodOption{{Value: "2026-10", Month: 10}}, Period: "2026-10", ReturnID: 10, Form: form(map[string]string{"reason": "x"}, "_", "figure_id", "reason")}},
	}
}

// fixtureChart is a chart with words, as chartSeries makes for a page.
func fixtureChart(row Row, fig Figure) targetChart {
	c := targetChart{Unit: row.Indicator.MeasureUnit, Months: []string{"1月", "2月"}}
	c.Names.Actual, c.Names.Schedule, c.Names.LastYear = "本年累计", "序时进度目标", "去年同期"
	c.Actual, c.Schedule, c.LastYear = []*float64{&fig.Value}, []*float64{&row.Value}, []*float64{fig.LastYear}
	return c
}
