package board

import (
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
	"guatu/internal/work"
)

// fixtures is a district viewer's board with every part filled, for the
// page check (internal/app).
func fixtures() []web.Fixture {
	f := func(v float64) *float64 { return &v }
	today := time.Date(2026, 12, 2, 0, 0, 0, 0, clock.Beijing)
	rows := []targets.Row{
		{Target: targets.Target{ID: 1, Kind: targets.KindValue, Value: 46000}, Indicator: targets.Indicator{Name: "一般公共预算收入", MeasureUnit: "万元"}, UnitName: "XX镇",
			Actual: f(39083), Period: "2026-10", RolledUp: true, Progress: targets.Progress{Completion: f(0.85), ExpectedShare: 10.0 / 12, Gap: f(0.017), YoYGrowth: f(0.08), Light: targets.Green, OverAchieved: true, Forecast: f(46550), PaceNeeded: f(3458)}},
		{Target: targets.Target{ID: 2, Kind: targets.KindGrowth, Value: 6.5}, Indicator: targets.Indicator{Name: "安全生产事故起数", MeasureUnit: "起", Direction: targets.Lower}, UnitName: "XX镇",
			Actual: f(4), Period: "2026-10", Progress: targets.Progress{ExpectedShare: 10.0 / 12, Gap: f(0.2), Light: targets.Red, OverCeiling: true, Allowance: f(-1), CeilingNote: targets.CeilingPassed}},
		{Target: targets.Target{ID: 3, Kind: targets.KindValue, Value: 6}, Indicator: targets.Indicator{Name: "安全生产事故起数", MeasureUnit: "起", Direction: targets.Lower}, UnitName: "临江镇",
			Actual: f(5.4), Period: "2026-10", Progress: targets.Progress{ExpectedShare: 10.0 / 12, Gap: f(0.067), Light: targets.Red, Forecast: f(6.48), ForecastNote: targets.ForecastNoSame,
				Allowance: f(0.6), AllowancePace: f(0.3), CeilingNote: targets.CeilingForecast}},
		{Target: targets.Target{ID: 4, Kind: targets.KindValue, Value: 135}, Indicator: targets.Indicator{Name: "规上企业数", MeasureUnit: "个"}, UnitName: "XX镇",
			Actual: f(135), Period: "2026-10", Progress: targets.Progress{Completion: f(1), ExpectedShare: 1, Gap: f(0), Light: targets.Green, Met: true, Forecast: f(135)}},
	}
	t := func(key string, args ...any) string { return key }
	lines := []targets.Row(rows)
	p := Page{TasksShown: true, Tasks: []work.Tile{{Key: "task.tile.open", Count: 31, Href: "/tasks?open=1"}, {Key: "task.tile.overdue", Count: 6, Href: "/tasks?light=overdue", Class: "red"},
		{Key: "task.tile.red", Count: 2, Href: "/tasks?card=red", Class: "red"}}, Reminders: []targets.Reminder{{ID: 1, TargetID: 1, Period: "2026-11", SentBy: "黄秀英", Indicator: "入库税收", UnitName: "东湖村"}}, Pending: 3, Today: today, Year: 2026, YearEndDays: 30, YearEnd: true, Countdown: Countdown{Phase: Running, Day: 71, Total: 100, Left: 30}, UnitID: 2, UnitName: "XX镇", AsOf: 10, Share: 10.0 / 12,
		Campaign: &org.Campaign{ID: 1, TownshipID: 2, Name: "大干一百天，冲刺四季度", Year: 2026, Start: today.AddDate(0, 0, -70), End: today.AddDate(0, 0, 29)},
		Counts:   targets.Counts{Green: 1, Red: 1},
		Lagging:  []targets.UnitScore{{UnitID: 3, UnitName: "东湖村", Kind: "village", Targets: 4, Counts: targets.Counts{Red: 1, Green: 3}, Score: 92.5, Light: targets.Red, Worst: []string{"入库税收"}}},
	}
	for _, r := range lines {
		p.Lines = append(p.Lines, newLine(r, t))
		p.Mine = append(p.Mine, newLine(r, t))
		p.Led = append(p.Led, newLine(r, t))
		p.Charts = append(p.Charts, chart(r, [12]*targets.Figure{9: {Value: 39083, LastYear: f(36100)}}))
	}
	p.Table = tableRows(p.Lines, tags{"汇总", "完成", "超额", "超上限", "预计超上限", "未报"})
	p.CampaignPart = newCampaignPart(rows, map[int64]*targets.CampaignProgress{1: {StartMonth: 8, StartFigure: f(30000), Task: f(16000), Done: f(9083),
		ShareOfDays: 71.0 / 100, Completion: f(0.57), PacePerWeek: f(1612), DaysLeft: 30}}, t)
	p.ChartJSON = `{"months":["1月"],"labels":{},"charts":[]}`
	kept := &District{Name: "示范区", Townships: []org.Unit{{ID: 2, Name: "XX镇"}, {ID: 5, Name: "临江镇"}},
		League: []Standing{{Rank: 1, UnitScore: targets.UnitScore{UnitID: 2, UnitName: "XX镇", Score: 104.6, Light: targets.Green, Counts: targets.Counts{Green: 12}, Worst: []string{"—"}}, Selected: true},
			{Rank: 2, UnitScore: targets.UnitScore{UnitID: 5, UnitName: "临江镇", Score: 96.1, Light: targets.Yellow, Counts: targets.Counts{Yellow: 2, Green: 9}, Worst: []string{"固定资产投资", "外贸出口"}}}}}
	ranked := []targets.LeaderScore{
		{PersonID: 5, Name: "刘晓明", Title: "党委委员、副镇长", Township: "XX镇", Targets: 6, Counts: targets.Counts{Red: 2, Yellow: 1, Green: 3}, Gap: f(-0.062), Judged: 6},
		{PersonID: 2, Name: "李卫东", Title: "党委副书记、镇长", Township: "XX镇", Targets: 3, Counts: targets.Counts{Green: 3}, Gap: f(0.021), Judged: 3},
		{PersonID: 6, Name: "赵丽华", Targets: 1, Counts: targets.Counts{None: 1}},
	}
	p.LedTotal, p.LedAllURL = 12, "/targets?unit=2&sub=1&leader=2&year=2026"
	p.LedURL, p.LeadersShown, p.Leaders = "/targets?unit=2&sub=1&leader=2&year=2026", true, leaderLines(ranked, 2, 2026, t)
	kept.Leaders, kept.LeadersTotal = leaderLines(ranked, 1, 2026, t), 12
	p.District = kept.choose(2, t)
	return []web.Fixture{{Page: "board", Data: p}}
}
