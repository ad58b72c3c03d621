package targets

import "guatu/internal/platform/i18n"

// coreMessages are the texts of the store's rules and the schedule terms.
var coreMessages = i18n.Catalog{
	"target.err.shared_catalogue":     {ZH: "共用指标库只能由区级管理员修改；乡镇可新增本镇自有指标", EN: "Only district administrators change the shared catalogue; a township may add its own indicators"},
	"target.err.bad_choice":           {ZH: "选项无效", EN: "Not one of the choices"},
	"target.err.duplicate_indicator":  {ZH: "已有名为“%s”的指标", EN: "There is already an indicator called “%s”"},
	"target.err.bad_margin":           {ZH: "黄灯区间应在0到50个百分点之间", EN: "The yellow band lies between 0 and 50 percentage points"},
	"target.err.no_indicator":         {ZH: "请选择指标", EN: "Choose an indicator"},
	"target.err.no_unit":              {ZH: "请选择您权限范围内的单位", EN: "Choose a unit within your scope"},
	"target.err.bad_year":             {ZH: "年度无效", EN: "Not a valid year"},
	"target.err.no_parent":            {ZH: "找不到上级目标", EN: "No such parent target"},
	"target.err.parent_mismatch":      {ZH: "分解目标须与上级目标的指标、年度和类型一致", EN: "A share must have the parent's indicator, year and kind"},
	"target.err.child_outside_parent": {ZH: "只能分解给上级目标所属单位的下级单位或人员", EN: "A target can only be split among the parent's own units and people"},
	"target.err.child_same_owner":     {ZH: "分解对象不能与上级目标相同", EN: "A share cannot go to the parent's own owner"},
	"target.err.share_needs_parent":   {ZH: "按比例分解须选择上级目标（仅限数值型目标）", EN: "A share in percent needs a parent value target"},
	"target.err.bad_share":            {ZH: "比例应在0到100之间", EN: "A share lies between 0 and 100"},
	"target.err.negative":             {ZH: "该指标不能为负数", EN: "This indicator cannot be negative"},
	"target.err.strive_below_must":    {ZH: "力争值应比确保值更进一步", EN: "The strive-for value must go beyond the must-reach value"},
	"target.err.person_outside_unit":  {ZH: "责任人须属于该单位", EN: "The responsible person must belong to the unit"},
	"target.err.duplicate_target":     {ZH: "该单位（人员）本年度已有此指标的目标", EN: "This unit (or person) already has a target for this indicator this year"},
	"target.err.bad_period":           {ZH: "月份格式应为 年-月，如 2026-10", EN: "Write the month as YYYY-MM, e.g. 2026-10"},
	"target.err.period_other_year":    {ZH: "月份须在目标年度%d年内", EN: "The month must lie in the target's year %d"},
	"target.err.future_period":        {ZH: "%d年%d月尚未结束，该月数据自%d年%d月%d日起可填报", EN: "Month %[2]d of %[1]d has not ended: its figures can be entered from %[3]d-%02[4]d-%02[5]d"},
	"target.err.import_done":          {ZH: "该文件已导入，不能重复导入", EN: "This file has already been imported"},
	"target.err.import_has_problems":  {ZH: "文件中有%d处问题，已全部拒收，未写入任何数据。请修改后重新上传", EN: "The file has %d problems: nothing was written. Correct them and upload it again"},
	"target.err.import_no_month":      {ZH: "无法确定数据月份：表头未写明“1-N月”，请在上传时选择月份", EN: "The month is not stated in the header (1-N月); choose it when uploading"},
	"target.err.import_no_target":     {ZH: "“%s”在%s尚无%d年目标，请先设定目标", EN: "“%s” has no %[3]d target for %[2]s yet; set one first"},
	"target.err.quarter_month":        {ZH: "该指标按季统计，只接受3、6、9、12月的数据（不是%s月）", EN: "This indicator is reported quarterly: figures for March, June, September and December only (not %s)"},
	"target.err.import_empty":         {ZH: "文件中没有数据行", EN: "The file has no data rows"},

	"target.light.green":        {ZH: "绿灯", EN: "Green"},
	"target.light.yellow":       {ZH: "黄灯", EN: "Yellow"},
	"target.light.red":          {ZH: "红灯", EN: "Red"},
	"target.light.":             {ZH: "暂无数据", EN: "No data yet"}, // a late target also carries the 未报 tag
	"target.kind.value":         {ZH: "数值", EN: "Value"},
	"target.kind.growth":        {ZH: "增速", EN: "Growth rate"},
	"target.measure.cumulative": {ZH: "累计值", EN: "Cumulative"},
	"target.measure.point":      {ZH: "时点值", EN: "Point in time"},
	"target.direction.higher":   {ZH: "越大越好", EN: "Higher is better"},
	"target.direction.lower":    {ZH: "越小越好（上限）", EN: "Lower is better (ceiling)"},
	"target.cadence.monthly":    {ZH: "按月", EN: "Monthly"},
	"target.cadence.quarterly":  {ZH: "按季", EN: "Quarterly"},
}
