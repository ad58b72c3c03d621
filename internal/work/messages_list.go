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
	"task.tile.title":   {ZH: "督查督办", EN: "Supervised tasks"},
	"task.tile.open":    {ZH: "在办事项", EN: "Open"},
	"task.tile.overdue": {ZH: "逾期", EN: "Overdue"},
	"task.tile.due":     {ZH: "临期", EN: "Due soon"},
	"task.tile.listed":  {ZH: "挂牌督办在办", EN: "Listed, open"},
	"task.tile.yellow":  {ZH: "黄牌", EN: "Yellow cards"},
	"task.tile.red":     {ZH: "红牌", EN: "Red cards"},
}
