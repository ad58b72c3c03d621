package targets

import "guatu/internal/platform/i18n"

// auditMessages name the room's objects and their fields on the audit page
// (audit.entity.<kind>, audit.field.<kind>.<field>).
var auditMessages = i18n.Catalog{
	"audit.entity.target":                {ZH: "目标", EN: "Target"},
	"audit.field.target.indicator_id":    {ZH: "指标", EN: "Indicator"},
	"audit.field.target.unit_id":         {ZH: "责任单位", EN: "Unit"},
	"audit.field.target.person_id":       {ZH: "责任人", EN: "Responsible person"},
	"audit.field.target.parent_id":       {ZH: "上级目标", EN: "Parent target"},
	"audit.field.target.year":            {ZH: "年度", EN: "Year"},
	"audit.field.target.kind":            {ZH: "目标类型", EN: "Kind"},
	"audit.field.target.value":           {ZH: "目标值（确保）", EN: "Target (must reach)"},
	"audit.field.target.share":           {ZH: "分解比例（%）", EN: "Share (%)"},
	"audit.field.target.strive":          {ZH: "力争值", EN: "Strive-for"},
	"audit.field.target.last_year_total": {ZH: "上年全年", EN: "Last year's total"},
	"audit.field.target.weight":          {ZH: "权重", EN: "Weight"},
	"audit.field.target.note":            {ZH: "备注", EN: "Note"},

	"audit.entity.figure":                {ZH: "月度数据", EN: "Figure"},
	"audit.field.figure.target_id":       {ZH: "目标", EN: "Target"},
	"audit.field.figure.period":          {ZH: "期间", EN: "Period"},
	"audit.field.figure.value":           {ZH: "本年累计", EN: "Year to date"},
	"audit.field.figure.last_year_value": {ZH: "去年同期", EN: "Last year's same period"},
	"audit.field.figure.source":          {ZH: "来源", EN: "Source"},
	"audit.field.figure.note":            {ZH: "备注", EN: "Note"},
	"audit.field.figure.reason":          {ZH: "更正原因", EN: "Reason for the correction"},
	"audit.field.figure.entered_by":      {ZH: "填报人", EN: "Entered by"},
	"audit.field.figure.entered_at":      {ZH: "填报时间", EN: "Entered at"},

	"audit.entity.indicator":             {ZH: "指标", EN: "Indicator"},
	"audit.field.indicator.township_id":  {ZH: "所属镇（街道）", EN: "Township"},
	"audit.field.indicator.name":         {ZH: "指标名称", EN: "Name"},
	"audit.field.indicator.measure_unit": {ZH: "计量单位", EN: "Measurement unit"},
	"audit.field.indicator.category":     {ZH: "类别", EN: "Category"},
	"audit.field.indicator.measure":      {ZH: "统计口径", EN: "Measure"},
	"audit.field.indicator.direction":    {ZH: "方向", EN: "Direction"},
	"audit.field.indicator.cadence":      {ZH: "填报频率", EN: "Cadence"},
	"audit.field.indicator.additive":     {ZH: "可加总", EN: "Additive"},
	"audit.field.indicator.non_negative": {ZH: "不能为负", EN: "Never negative"},
	"audit.field.indicator.sort":         {ZH: "排序", EN: "Order"},

	"audit.entity.target_settings":              {ZH: "目标设置", EN: "Target settings"},
	"audit.field.target_settings.margin":        {ZH: "黄灯区间", EN: "Yellow band"},
	"audit.field.target_settings.reporting_day": {ZH: "每月报送日", EN: "Reporting day"},
	"audit.entity.report_reminder":              {ZH: "催报", EN: "Report reminder"},
	"audit.field.report_reminder.target_id":     {ZH: "目标", EN: "Target"},
	"audit.field.report_reminder.indicator":     {ZH: "指标", EN: "Indicator"},
	"audit.field.report_reminder.unit":          {ZH: "单位", EN: "Unit"},
	"audit.field.report_reminder.period":        {ZH: "期间", EN: "Period"},
	"audit.field.report_reminder.recipients":    {ZH: "接收人数", EN: "Recipients"},
	"audit.entity.import":                       {ZH: "导入", EN: "Import"},
	"audit.field.import.file":                   {ZH: "文件", EN: "File"},
	"audit.field.import.period":                 {ZH: "期间", EN: "Period"},
	"audit.field.import.figures":                {ZH: "数据条数", EN: "Figures"},
}

// auditSources translate a figure's source on the audit page.
var auditSources = i18n.Catalog{
	"audit.field.figure.source.form":   {ZH: "页面填报", EN: "form"},
	"audit.field.figure.source.import": {ZH: "Excel导入", EN: "import"},
	"audit.field.figure.source.api":    {ZH: "接口", EN: "API"},
	"audit.field.figure.source.demo":   {ZH: "演示数据", EN: "demo"},
}
