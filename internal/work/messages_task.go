package work

import "guatu/internal/platform/i18n"

// taskMessages are the task register's words: states, moves, sources,
// levels, lights and the form's refusals.
var taskMessages = i18n.Catalog{
	"task.state.assigned":    {ZH: "交办", EN: "Assigned"},
	"task.state.accepted":    {ZH: "签收", EN: "Claimed"},
	"task.state.in_progress": {ZH: "办理中", EN: "In progress"},
	"task.state.submitted":   {ZH: "申请办结", EN: "Submitted"},
	"task.state.closed":      {ZH: "办结", EN: "Closed"},
	"task.state.stopped":     {ZH: "中止", EN: "Stopped"},

	"task.move.assign": {ZH: "交办", EN: "Assign"},
	"task.move.claim":  {ZH: "签收", EN: "Claim"},
	"task.move.report": {ZH: "报送进展", EN: "Report progress"},
	"task.move.submit": {ZH: "申请办结", EN: "Apply to close"},
	"task.move.return": {ZH: "退回", EN: "Return"},
	"task.move.close":  {ZH: "审核办结", EN: "Close"},
	"task.move.stop":   {ZH: "中止", EN: "Stop"},

	"task.source.meeting":     {ZH: "会议", EN: "Meeting"},
	"task.source.instruction": {ZH: "领导批示", EN: "Leader's instruction"},
	"task.source.campaign":    {ZH: "攻坚行动", EN: "Campaign"},
	"task.source.livelihood":  {ZH: "十件民生实事", EN: "Livelihood projects"},
	"task.source.superior":    {ZH: "上级交办", EN: "From above"},

	"task.level.normal": {ZH: "一般", EN: "Normal"},
	"task.level.key":    {ZH: "重点", EN: "Key"},
	"task.level.listed": {ZH: "挂牌督办", EN: "Listed supervision"},

	"task.light.overdue": {ZH: "逾期", EN: "Overdue"},
	"task.light.due":     {ZH: "临期", EN: "Due soon"},
	"task.light.normal":  {ZH: "正常", EN: "On time"},

	"task.error.title_required":  {ZH: "请填写事项名称", EN: "give the task a title"},
	"task.error.title_taken":     {ZH: "本镇已有同名督办事项", EN: "the township already has a task of this title"},
	"task.error.too_long":        {ZH: "不能超过%d个字", EN: "at most %d characters"},
	"task.error.source":          {ZH: "请选择事项来源", EN: "choose where the task comes from"},
	"task.error.source_leader":   {ZH: "请选择作出批示的班子成员", EN: "choose the leader who gave the instruction"},
	"task.error.doc_number":      {ZH: "文号格式如〔2026〕12号", EN: "a document number reads like 〔2026〕12号"},
	"task.error.date":            {ZH: "日期格式为YYYY-MM-DD", EN: "a date reads YYYY-MM-DD"},
	"task.error.deadline_order":  {ZH: "办结时限须晚于交办日期", EN: "the deadline must come after the assignment date"},
	"task.error.lead_unit":       {ZH: "请选择本镇的牵头单位", EN: "choose a lead unit of the township"},
	"task.error.co_unit":         {ZH: "协办单位须为本镇其他单位", EN: "co-units must be other units of the township"},
	"task.error.responsible":     {ZH: "责任人须为牵头单位的人员", EN: "the responsible person must belong to the lead unit"},
	"task.error.leader":          {ZH: "分管领导须为本镇班子成员", EN: "the leader in charge must sit on the township's leadership team"},
	"task.error.level":           {ZH: "请选择督办级别", EN: "choose a supervision level"},
	"task.error.listing_leader":  {ZH: "挂牌督办须选择挂牌领导（本镇班子成员）", EN: "a listed task needs its listing leader from the leadership team"},
	"task.error.percent":         {ZH: "完成进度为0到100之间的整数", EN: "progress is a whole number from 0 to 100"},
	"task.error.report_required": {ZH: "请填写进展情况", EN: "say what has been done"},
	"task.error.report_form":     {ZH: "报送进展请使用进展表单", EN: "report progress with the progress form"},
}
