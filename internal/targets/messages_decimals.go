package targets

import "guatu/internal/platform/i18n"

// decimalsMessages name an indicator's own display precision in the
// catalogue and on the audit page.
var decimalsMessages = i18n.Catalog{
	"target.page.ind.decimals":         {ZH: "显示小数位", EN: "Decimals shown"},
	"target.page.ind.decimals_hint":    {ZH: "只影响页面和下载的显示，数值按原样保存", EN: "how pages and downloads show figures; values are kept as entered"},
	"target.page.ind.decimals_by_unit": {ZH: "按计量单位（默认）", EN: "By the measurement unit (default)"},
	"target.page.ind.decimals_n":       {ZH: "%d位小数", EN: "%d decimals"},
	"target.page.ind.by_unit":          {ZH: "（按单位）", EN: "(by unit)"},
	"target.err.bad_decimals":          {ZH: "显示小数位须为0到%d之间的整数", EN: "Decimals shown must be a whole number from 0 to %d"},
	"audit.field.indicator.decimals":   {ZH: "显示小数位", EN: "Decimals shown"},
}
