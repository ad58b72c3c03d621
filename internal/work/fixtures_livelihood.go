package work

import (
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/web"
)

// fixtureItems are two livelihood projects, one with a number and one
// without, for the page check.
func fixtureItems() []Item {
	target, actual, progress, avg := 500.0, 462.0, 0.924, 0.55
	return []Item{
		{ID: 1, TownshipID: 2, Year: 2026, Number: 1, Title: "新增城镇就业岗位", Content: "开发公益性岗位，帮扶就业困难人员", Target: &target, Measure: "个",
			Actual: &actual, LeadUnitID: 4, LeadUnitName: "经发办（招商办）", Version: 3, TaskIDs: []int64{2}, Progress: &progress, Status: OnTrack},
		{ID: 2, TownshipID: 2, Year: 2026, Number: 3, Title: "中心小学食堂改造", LeadUnitID: 3, LeadUnitName: "党政办", Version: 1,
			TaskIDs: []int64{2}, Progress: &avg, Status: Behind},
	}
}

// fixtureClosing is a task page's livelihood project and evaluation.
func fixtureClosing() TaskClosing {
	items := fixtureItems()
	return TaskClosing{Item: &items[0], Items: items, CanLink: true, CanEvaluate: true, Qualities: Qualities,
		Evaluation: &Evaluation{TaskID: 2, ClosedOn: "2026-11-18", Deadline: "2026-11-20", Timeliness: OnTime, Quality: Good,
			Comment: "按期完成，资料齐全", Evaluator: "duban", At: time.Date(2026, 11, 19, 2, 0, 0, 0, time.UTC)}}
}

func livelihoodFixtures(rows []Row, form func(map[string]string, ...string) web.FormView) []web.Fixture {
	units := []org.Choice{{ID: 2, Label: "XX镇", Kind: org.Township, Path: "/1/2/"}, {ID: 3, Label: "党政办", Indent: "\u3000", Kind: org.Department, Path: "/1/2/3/"}}
	town := org.Unit{ID: 2, Name: "XX镇", Kind: org.Township, Path: "/1/2/"}
	items := fixtureItems()
	tasks := []Task{rows[0].Task}
	rate := 0.8
	return []web.Fixture{
		{Page: "livelihood", Data: LivelihoodPage{Townships: []org.Unit{town, {ID: 5, Name: "临江镇", Kind: org.Township, Path: "/1/5/"}}, Township: town, Year: 2026,
			Rows: []ItemRow{{Item: items[0], Tasks: tasks}, {Item: items[1], Tasks: tasks}}, Done: 0, Behind: 1, Office: true, Printed: "2026-11-25",
			Form: form(map[string]string{"actual": "-3"}, "_", "actual"), FormItem: 1}},
		{Page: "livelihood_item", Data: ItemFormPage{Item: &items[0], Units: units,
			Form: form(map[string]string{"year": "2026", "number": "1", "lead_unit_id": "3", "version": "3"}, "_", "year", "number", "title", "content", "target", "measure", "lead_unit_id")}},
		{Page: "completion", Data: CompletionPage{List: completionList.Fixture(3), Units: units,
			Heads: []web.SortHead{{Label: "牵头单位", URL: "/tasks/completion?sort=unit", Aria: "none"}},
			Rows:  []Completion{{UnitID: 3, UnitName: "双塘村", All: 6, Closed: 4, Stopped: 1, OnTime: 3, Rate: &rate}, {UnitID: 4, UnitName: "柳河村", All: 2, Stopped: 1, StruckOff: 1}}}},
	}
}
