package targets

import "guatu/internal/platform/i18n"

// numbersMessages are the words that say how a target's numbers read: why
// a forecast is the run-rate, a target met apart from one exceeded.
var numbersMessages = i18n.Catalog{
	"target.page.met":                       {ZH: "完成", EN: "met"},
	"target.forecast_note.no_same":          {ZH: "去年同期缺失或不为正，按序时预计", EN: "last year's same period missing or not positive: run rate"},
	"target.forecast_note.no_total":         {ZH: "缺上年全年数，按序时预计", EN: "last year's total missing: run rate"},
	"target.forecast_note.total_below_same": {ZH: "上年全年数低于去年同期，不按上年节奏，按序时预计", EN: "last year's total is below its same period: run rate, not last year's shape"},
}
