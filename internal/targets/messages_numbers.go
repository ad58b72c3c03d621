package targets

import "guatu/internal/platform/i18n"

// numbersMessages are the words that say how a target's numbers read: why
// a forecast is the run-rate, a target met apart from one exceeded, a
// ceiling's allowance and notes.
var numbersMessages = i18n.Catalog{
	"target.page.met":   {ZH: "完成", EN: "met"},
	"target.gap_pp":     {ZH: "%s个百分点", EN: "%s pp"},
	"target.col.gap_pp": {ZH: "较序时（个百分点）", EN: "vs schedule (pp)"},

	"target.forecast_note.no_same":          {ZH: "去年同期缺失或不为正，按序时预计", EN: "last year's same period missing or not positive: run rate"},
	"target.forecast_note.no_total":         {ZH: "缺上年全年数，按序时预计", EN: "last year's total missing: run rate"},
	"target.forecast_note.total_below_same": {ZH: "上年全年数低于去年同期，不按上年节奏，按序时预计", EN: "last year's total is below its same period: run rate, not last year's shape"},

	"target.page.allowance":             {ZH: "剩余额度", EN: "Allowance left"},
	"target.page.allowance_pace":        {ZH: "剩余月均额度", EN: "Allowance a month"},
	"target.page.allowance_over":        {ZH: "已超出%s", EN: "over by %s"},
	"target.page.gap_ceiling_hint":      {ZH: "上限指标：低于序时为好", EN: "a ceiling: under the schedule is good"},
	"target.page.ceiling_forecast":      {ZH: "预计超上限", EN: "set to pass the ceiling"},
	"target.col.allowance":              {ZH: "剩余额度", EN: "Allowance left"},
	"target.ceiling_note.over_schedule": {ZH: "已超出序时额度（上限×（序时进度+黄灯区间）），亮红灯", EN: "past the scheduled allowance (ceiling × (schedule + band)): red"},
	"target.ceiling_note.passed":        {ZH: "已超过全年上限", EN: "already past the full-year ceiling"},
	"target.ceiling_note.forecast":      {ZH: "按预计全年将超过全年上限，亮红灯", EN: "the year-end forecast passes the ceiling: red"},
}
