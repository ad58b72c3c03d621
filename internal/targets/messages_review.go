package targets

import "guatu/internal/platform/i18n"

// reviewMessages are the texts of review (审核): the setting, the queue, a
// figure's status on the target's page, and the refusals.
var reviewMessages = i18n.Catalog{
	"target.review.nav":              {ZH: "数据审核", EN: "Review"},
	"target.review.title":            {ZH: "数据审核", EN: "Review of figures"},
	"target.review.setting":          {ZH: "填报员录入的数据须经审核", EN: "Figures entered by reporters need review"},
	"target.review.setting_hint":     {ZH: "开启后，填报员录入的数据为“待审核”，经统计员或管理员审核通过后才计入进度和亮灯；统计员、管理员录入的数据直接计入。", EN: "When on, a reporter's figure is pending and counts in progress and lights only once the statistician or an administrator approves it; their own figures count at once."},
	"target.review.on":               {ZH: "已开启数据审核：填报员录入的数据经审核后计入。", EN: "Review is on: reporters' figures count once approved."},
	"target.review.off":              {ZH: "未开启数据审核：录入的数据直接计入。", EN: "Review is off: figures count as entered."},
	"target.review.pending_count":    {ZH: "待审核%d条", EN: "%d pending review"},
	"target.review.empty":            {ZH: "没有待审核的数据。", EN: "Nothing waits for review."},
	"target.review.unit":             {ZH: "单位", EN: "Unit"},
	"target.review.month":            {ZH: "月份", EN: "Month"},
	"target.review.all":              {ZH: "全部", EN: "All"},
	"target.review.target":           {ZH: "指标", EN: "Indicator"},
	"target.review.value":            {ZH: "本年累计", EN: "Cumulative"},
	"target.review.last_year":        {ZH: "去年同期", EN: "Last year same period"},
	"target.review.entered":          {ZH: "录入", EN: "Entered"},
	"target.review.counted":          {ZH: "现计入", EN: "Counted now"},
	"target.review.none_counted":     {ZH: "尚无", EN: "None"},
	"target.review.approve_all":      {ZH: "通过所选", EN: "Approve selected"},
	"target.review.return":           {ZH: "退回", EN: "Return"},
	"target.review.reason":           {ZH: "退回原因", EN: "Reason for return"},
	"target.review.approved":         {ZH: "已审核通过，计入进度。", EN: "Approved: the figures now count."},
	"target.review.submitted":        {ZH: "已提交，待统计员审核通过后计入。", EN: "Submitted: it counts once the statistician approves it."},
	"target.review.returned":         {ZH: "已退回，填报员可在目标页看到退回原因。", EN: "Returned: the reporter sees the reason on the target's page."},
	"target.review.status.pending":   {ZH: "待审核", EN: "Pending review"},
	"target.review.row_pending_hint": {ZH: "有填报数待统计员审核，审核通过前不计入完成情况", EN: "a figure waits for the statistician's review and does not count until approved"},
	"target.review.status.returned":  {ZH: "已退回", EN: "Returned"},
	"target.review.pending_note":     {ZH: "%s于%s录入1-%d月%s%s，待审核；审核通过前仍按已审核数据计算。", EN: "%[1]s entered %[4]s %[5]s for months 1–%[3]d on %[2]s, pending review; until approved the approved figure counts."},
	"target.review.returned_note":    {ZH: "1-%d月的%s%s已被%s于%s退回：%s。请核实后重新录入。", EN: "%[2]s %[3]s for months 1–%[1]d was returned by %[4]s on %[5]s: %[6]s. Check it and enter it again."},

	"target.err.review_forbidden": {ZH: "只有统计员或管理员可以审核数据", EN: "Only the statistician or an administrator reviews figures"},
	"target.err.review_none":      {ZH: "请选择要审核的数据", EN: "Choose the figures to review"},
	"target.err.review_reason":    {ZH: "退回须填写原因", EN: "A return needs a reason"},
	"target.err.review_replaced":  {ZH: "%s（%s）1-%d月的数据已被重新录入，原数据不能再审核；请审核新录入的数据", EN: "%s (%s), months 1–%d, has been entered again since: review the new entry instead"},
	"target.err.review_decided":   {ZH: "%s（%s）1-%d月的数据已审核过了", EN: "%s (%s), months 1–%d, has been reviewed already"},
}
