package assess

import "guatu/internal/platform/i18n"

// Messages are the scheme's refusals and the arithmetic a score shows.
var Messages = i18n.Catalog{
	"assess.err.total":          {ZH: "方案总分须大于0", EN: "the scheme's total must be above 0"},
	"assess.err.categories_sum": {ZH: "各类别权重合计%v分，与总分%v分不符", EN: "the categories' weights add up to %v, not the total %v"},
	"assess.err.items_sum":      {ZH: "“%s”下各项权重合计%v分，与该类别%v分不符", EN: "the items of %s add up to %v, not its %v"},
	"assess.err.no_category":    {ZH: "第%d项“%s”未归入方案中的类别", EN: "item %d (%s) is in no category of the scheme"},
	"assess.err.weight":         {ZH: "第%d项“%s”的权重须大于0", EN: "item %d (%s) needs a weight above 0"},
	"assess.err.ceiling":        {ZH: "第%d项“%s”是加分项，须设加分上限", EN: "item %d (%s) is a bonus and needs its ceiling"},
	"assess.err.cap":            {ZH: "第%d项“%s”的得分上限不能低于100%%", EN: "item %d (%s): the cap cannot be below 100%%"},
	"assess.err.count":          {ZH: "第%d项“%s”须设达标数量和少一个扣的分数", EN: "item %d (%s) needs the number asked and the points one short costs"},
	"assess.err.deduction":      {ZH: "第%d项“%s”须设扣分事项（超期督办、黄牌、红牌、未报月份）和每次扣分", EN: "item %d (%s) needs what it counts (overdue task, yellow card, red card, unreported month) and the points each costs"},
	"assess.err.kind":           {ZH: "第%d项“%s”的计分规则无法识别", EN: "item %d (%s) has a rule guatu does not know"},
	"assess.err.tie_break":      {ZH: "同分排序依据的第%d项不在方案中", EN: "tie-break item %d is not in the scheme"},
	"assess.err.manual_range":   {ZH: "评分须在0至%v分之间", EN: "the score must be between 0 and %v"},
	"assess.err.manual_reason":  {ZH: "人工评分须写明理由", EN: "a score given by hand needs its reason"},

	"assess.calc.completion":             {ZH: "权重%v × min(完成率%v%% ÷ 序时进度%v%%, %v%%) = %v分", EN: "weight %v × min(completion %v%% ÷ schedule %v%%, %v%%) = %v"},
	"assess.calc.no_figure":              {ZH: "尚无数据，暂不计分（权重%v）", EN: "no figure yet: not scored (weight %v)"},
	"assess.calc.count":                  {ZH: "权重%v，应达%v个，实际%v个，少%v个 × %v分 = 得%v分", EN: "weight %v, %v asked, %v reached, %v short × %v = %v"},
	"assess.calc.deduction.overdue_task": {ZH: "权重%v − 超期督办事项%v件 × %v分 = %v分", EN: "weight %v − %v overdue tasks × %v = %v"},
	"assess.calc.deduction.yellow_card":  {ZH: "权重%v − 黄牌%v张 × %v分 = %v分", EN: "weight %v − %v yellow cards × %v = %v"},
	"assess.calc.deduction.red_card":     {ZH: "权重%v − 红牌%v张 × %v分 = %v分", EN: "weight %v − %v red cards × %v = %v"},
	"assess.calc.deduction.late_month":   {ZH: "权重%v − 未报%v个月 × %v分 = %v分", EN: "weight %v − %v unreported months × %v = %v"},
	"assess.calc.manual":                 {ZH: "人工评分%v分（满分%v）：%s", EN: "scored %v of %v by hand: %s"},
	"assess.calc.no_manual":              {ZH: "尚未评分（满分%v）", EN: "not scored yet (of %v)"},
	"assess.calc.bonus":                  {ZH: "申报加分%v，上限%v，计%v分", EN: "bonus claimed %v, ceiling %v: %v"},
	"assess.calc.unknown":                {ZH: "计分规则无法识别，不计分", EN: "a rule guatu does not know: not scored"},
}
