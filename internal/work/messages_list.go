package work

import "guatu/internal/platform/i18n"

// listMessages are the register's further filters.
var listMessages = i18n.Catalog{
	"task.filter.due_after":  {ZH: "时限自", EN: "Due from"},
	"task.filter.due_before": {ZH: "时限至", EN: "Due until"},
	"task.filter.open":       {ZH: "只看未办结", EN: "Open only"},
}

// tileMessages are the board's counts of the register.
var tileMessages = i18n.Catalog{
	"task.tile.title":    {ZH: "督查督办", EN: "Supervised tasks"},
	"task.tile.open":     {ZH: "在办事项", EN: "Open"},
	"task.tile.overdue":  {ZH: "逾期", EN: "Overdue"},
	"task.tile.due":      {ZH: "临期", EN: "Due soon"},
	"task.tile.listed":   {ZH: "挂牌督办在办", EN: "Listed, open"},
	"task.tile.claim":    {ZH: "签收超期", EN: "Claim overdue"},
	"task.tile.feedback": {ZH: "反馈超期", EN: "Report overdue"},
	"task.tile.yellow":   {ZH: "黄牌", EN: "Yellow cards"},
	"task.tile.red":      {ZH: "红牌", EN: "Red cards"},
}

// rhythmMessages are the claim deadline's and the reporting rhythm's words.
var rhythmMessages = i18n.Catalog{
	"task.claim_by":            {ZH: "签收时限", EN: "Claim by"},
	"task.claim_by_hint":       {ZH: "默认交办后2天", EN: "2 days after assignment unless set"},
	"task.rhythm":              {ZH: "报送频次", EN: "Reporting rhythm"},
	"task.rhythm.once":         {ZH: "办结时报送", EN: "At closing only"},
	"task.rhythm.weekly":       {ZH: "每周报送", EN: "Weekly"},
	"task.rhythm.weeks":        {ZH: "每N周报送", EN: "Every N weeks"},
	"task.rhythm.monthly":      {ZH: "每月报送", EN: "Monthly"},
	"task.rhythm.every":        {ZH: "每%d周报送", EN: "Every %d weeks"},
	"task.rhythm_weeks":        {ZH: "N =", EN: "N ="},
	"task.next_report":         {ZH: "下次报送", EN: "next report due"},
	"task.late":                {ZH: "超期类型", EN: "Late"},
	"task.late.claim":          {ZH: "签收超期", EN: "Claim overdue"},
	"task.late.feedback":       {ZH: "反馈超期", EN: "Report overdue"},
	"task.error.rhythm":        {ZH: "请选择报送频次", EN: "choose a reporting rhythm"},
	"task.error.rhythm_weeks":  {ZH: "每N周的N须在%d到%d之间", EN: "N must be from %d to %d weeks"},
	"task.error.claim_by":      {ZH: "签收时限须在交办日期和办结时限之间", EN: "the claim date must fall between the assignment day and the deadline"},
	"task.card.cause.feedback": {ZH: "反馈超期", EN: "Report overdue"},
}

// printMessages are the 督办单's words.
var printMessages = i18n.Catalog{
	"task.print.title":       {ZH: "督办单", EN: "Supervision order"},
	"task.print.heading":     {ZH: "督查督办单", EN: " supervision order"},
	"task.print.number":      {ZH: "督办〔%s〕%d号", EN: "Order %s/%d"},
	"task.print.button":      {ZH: "打印督办单（A4）", EN: "Print the order (A4)"},
	"task.print.link":        {ZH: "督办单", EN: "Order"},
	"task.print.back":        {ZH: "返回事项", EN: "Back to the task"},
	"task.print.responsible": {ZH: "责任人", EN: "Responsible"},
	"task.print.none":        {ZH: "无", EN: "None"},
	"task.print.feedback":    {ZH: "办理情况反馈", EN: "Progress reports"},
	"task.print.date":        {ZH: "反馈日期", EN: "Date"},
	"task.print.content":     {ZH: "办理情况", EN: "What was done"},
	"task.print.signed":      {ZH: "经办人", EN: "By"},
	"task.print.claim_line":  {ZH: "签收人：____________　签收时间：____年__月__日", EN: "Claimed by: ____________   on: ____-__-__"},
	"task.print.office":      {ZH: "督查督办办公室（盖章）", EN: "Supervision office (seal)"},
	"task.print.stamp_date":  {ZH: "　　年　　月　　日", EN: "Date:"},
	"task.print.note":        {ZH: "请牵头单位按报送频次在系统中反馈办理情况，办结时附佐证材料；逾期未办结的按规定亮牌。", EN: "The lead unit reports in the system at the rhythm set and attaches evidence when applying to close; a task late past its deadline is carded."},
}

// changeMessages are the change requests' words.
var changeMessages = i18n.Catalog{
	"task.change.title":            {ZH: "调整申请", EN: "Change requests"},
	"task.change.rule":             {ZH: "办理中调整办结时限或牵头单位须经督查办批准；时限已过后才批准的延期只作记录，亮灯、亮牌和考核仍按原时限计。", EN: "A new deadline or lead unit applies once the office approves it; an extension approved after the deadline has passed is recorded, and lights, cards and scores stay on the old deadline."},
	"task.change.col.kind":         {ZH: "调整事项", EN: "What"},
	"task.change.col.change":       {ZH: "原 → 新", EN: "Old → new"},
	"task.change.col.reason":       {ZH: "申请理由", EN: "Reason"},
	"task.change.col.state":        {ZH: "审批", EN: "Decision"},
	"task.change.kind.deadline":    {ZH: "办结时限", EN: "Deadline"},
	"task.change.kind.lead_unit":   {ZH: "牵头单位", EN: "Lead unit"},
	"task.change.state.pending":    {ZH: "待审批", EN: "Pending"},
	"task.change.state.approved":   {ZH: "已批准", EN: "Approved"},
	"task.change.state.rejected":   {ZH: "未批准", EN: "Rejected"},
	"task.change.counted.new":      {ZH: "按新时限计", EN: "Counted against the new deadline"},
	"task.change.counted.original": {ZH: "逾期后批准，仍按原时限计", EN: "Approved late: still counted against the old deadline"},
	"task.change.decided_by":       {ZH: "审批时间", EN: "Decided"},
	"task.change.comment":          {ZH: "审批意见（不批准须填写）", EN: "Comment (needed to reject)"},
	"task.change.approve":          {ZH: "批准", EN: "Approve"},
	"task.change.reject":           {ZH: "不批准", EN: "Reject"},
	"task.change.new_deadline":     {ZH: "申请新时限", EN: "New deadline"},
	"task.change.new_lead":         {ZH: "申请改由牵头", EN: "New lead unit"},
	"task.change.keep":             {ZH: "不变", EN: "Keep"},
	"task.change.reason":           {ZH: "申请理由", EN: "Reason"},
	"task.change.send":             {ZH: "提交调整申请", EN: "Request the change"},
	"task.change.error.nothing":    {ZH: "请填写新时限或选择新的牵头单位", EN: "give a new deadline or choose another lead unit"},
	"task.change.error.same":       {ZH: "与现在相同", EN: "that is what it is now"},
	"task.change.error.past":       {ZH: "新时限不能早于今天", EN: "the new deadline cannot be before today"},
	"task.change.error.reason":     {ZH: "请写明申请理由", EN: "give the reason"},
	"task.change.error.pending":    {ZH: "已有一项同类申请待审批", EN: "a request of this kind is already waiting"},
	"task.change.error.comment":    {ZH: "不批准须写明意见", EN: "give the reason for rejecting"},
	"task.change.error.decided":    {ZH: "这项申请已由他人审批，请刷新页面", EN: "someone has decided this request meanwhile: reload the page"},
	"task.change.error.decision":   {ZH: "请选择批准或不批准", EN: "approve or reject"},
	"task.change.error.struck_off": {ZH: "事项已销号，调整申请只能不批准", EN: "the task is struck off: its requests can only be rejected"},
}

// milestoneMessages are the milestones' words.
var milestoneMessages = i18n.Catalog{
	"task.milestone.title":       {ZH: "节点安排", EN: "Milestones"},
	"task.milestone.hint":        {ZH: "可选，最多10个，须在交办日期与办结时限之间", EN: "optional, up to 10, between assignment and deadline"},
	"task.milestone.due":         {ZH: "节点日期", EN: "By"},
	"task.milestone.what":        {ZH: "节点目标", EN: "What"},
	"task.milestone.state":       {ZH: "完成情况", EN: "Done"},
	"task.milestone.done_on":     {ZH: "%s完成", EN: "done %s"},
	"task.milestone.mark":        {ZH: "标记完成", EN: "Mark done"},
	"task.milestone.error.date":  {ZH: "节点“%s”的日期不是有效日期", EN: "the milestone %q has no valid date"},
	"task.milestone.error.range": {ZH: "节点日期%s须在交办日期与办结时限之间", EN: "the milestone day %s must fall between assignment and deadline"},
	"task.milestone.error.title": {ZH: "%s的节点请写明目标", EN: "say what the milestone of %s is"},
	"task.milestone.error.many":  {ZH: "节点最多%d个", EN: "at most %d milestones"},
	"task.milestone.error.done":  {ZH: "这个节点已于%s标记完成", EN: "this milestone was marked done on %s"},
}

// importMessages are the task import's words.
var importMessages = i18n.Catalog{
	"task.import.title":               {ZH: "导入督办事项", EN: "Import tasks"},
	"task.import.link":                {ZH: "导入", EN: "Import"},
	"task.import.help":                {ZH: "把会议交办的事项整理成Excel表（每行一项），上传后先预览，确认无误再一次性导入；有任何问题，一项也不导入。导入的事项一律从“交办”开始。", EN: "Put a meeting's assignments in an Excel sheet, one task a row; upload it, check the preview, then import them all at once. With any problem nothing is imported. Every imported task starts Assigned."},
	"task.import.columns":             {ZH: "表头：", EN: "Columns: "},
	"task.import.template":            {ZH: "下载导入模板（.xlsx）", EN: "Download the template (.xlsx)"},
	"task.import.template_name":       {ZH: "督办事项导入模板.xlsx", EN: "task-import-template.xlsx"},
	"task.import.template_title":      {ZH: "督办事项导入模板（事项名称、牵头单位、分管领导、办结时限必填；单位、领导按名称填写）", EN: "Task import template (title, lead unit, leader and deadline required; units and leaders by name)"},
	"task.import.file":                {ZH: "Excel文件（.xlsx）", EN: "Excel file (.xlsx)"},
	"task.import.upload":              {ZH: "上传并预览", EN: "Upload and preview"},
	"task.import.problems":            {ZH: "发现%d个问题，改正后重新上传", EN: "%d problems: correct the sheet and upload it again"},
	"task.import.again":               {ZH: "重新上传", EN: "Upload again"},
	"task.import.rows":                {ZH: "共%d项，将以“交办”状态导入", EN: "%d tasks, to be imported as Assigned"},
	"task.import.row":                 {ZH: "行", EN: "Row"},
	"task.import.commit":              {ZH: "确认导入%d项", EN: "Import %d tasks"},
	"task.import.at_cell":             {ZH: "第%d行「%s」：%s", EN: "row %d, %s: %s"},
	"task.import.at_row":              {ZH: "第%d行：%s", EN: "row %d: %s"},
	"task.import.flash.done":          {ZH: "已导入，全部为交办状态", EN: "Imported, all Assigned"},
	"task.import.error.large":         {ZH: "文件不能超过%dMB", EN: "the file may be at most %d MB"},
	"task.import.error.not_xlsx":      {ZH: "不是有效的.xlsx文件", EN: "not a readable .xlsx file"},
	"task.import.error.legacy":        {ZH: "这是旧版.xls文件，请在Excel或WPS中另存为.xlsx后上传", EN: "an old .xls file: save it as .xlsx in Excel or WPS first"},
	"task.import.error.no_header":     {ZH: "前10行里找不到表头“事项名称”", EN: "no header row with 事项名称 in the first 10 rows"},
	"task.import.error.no_column":     {ZH: "缺少必填列“%s”", EN: "the required column %s is missing"},
	"task.import.error.status_column": {ZH: "表中有“%s”列：导入的事项一律从交办开始，签收和报送由承办单位自己办理，请删去此列", EN: "the sheet has a %s column: imported tasks all start Assigned, the units claim and report themselves; remove it"},
	"task.import.error.rows":          {ZH: "一次最多导入%d项", EN: "at most %d tasks at once"},
	"task.import.error.empty":         {ZH: "表头下没有事项", EN: "no task below the header"},
	"task.import.error.required":      {ZH: "必填", EN: "required"},
	"task.import.error.choice":        {ZH: "“%s”不是可选项（可填：%s）", EN: "%q is not one of: %s"},
	"task.import.error.instruction":   {ZH: "领导批示须写明批示领导、文号和日期，请在页面上逐项交办", EN: "a leader's instruction needs its leader, number and date: assign it on the form"},
	"task.import.error.unit":          {ZH: "本镇找不到单位“%s”（或有重名）", EN: "no unit %q in the township (or more than one)"},
	"task.import.error.leader":        {ZH: "“%s”不是本镇班子成员", EN: "%q is not on the township's leadership team"},
	"task.import.error.twice":         {ZH: "与第%d行事项名称重复", EN: "the same title as row %d"},
	"task.import.error.problems":      {ZH: "表中有%d个问题，未导入任何事项", EN: "%d problems in the sheet: nothing was imported"},
}
