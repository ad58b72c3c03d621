package board

import "guatu/internal/platform/i18n"

// emptyMessages are the texts of a board with nothing to count yet: what it
// will show once targets are set, and what the viewer can do meanwhile.
var emptyMessages = i18n.Catalog{
	"board.empty.title":      {ZH: "%s本年度尚未设定目标", EN: "No targets have been set for %s this year"},
	"board.empty.will_show":  {ZH: "目标下达到%s后，作战板将显示：", EN: "Once targets are set for %s, the board will show:"},
	"board.empty.lights":     {ZH: "每项指标的累计完成、占年计划和较序时进度，以红黄绿灯标出", EN: "each indicator's figure to date and completion against the schedule, lit red, yellow or green"},
	"board.empty.late":       {ZH: "过了报送日仍未报的数据，以及收到的催报提醒", EN: "figures still missing after the reporting day, and the reminders sent for them"},
	"board.empty.units":      {ZH: "有下属单位的，列出其中进度靠后的单位", EN: "where there are units below, those most behind"},
	"board.empty.mine":       {ZH: "落实到您本人的目标", EN: "the targets that are yours"},
	"board.empty.who":        {ZH: "目标由上级单位的统计员或管理员设定和分解。", EN: "Targets are set and split by the statistician or administrator above your unit."},
	"board.empty.do":         {ZH: "现在可以", EN: "Meanwhile"},
	"board.empty.unit":       {ZH: "本单位：%s", EN: "Your unit: %s"},
	"board.empty.people":     {ZH: "本单位人员", EN: "Your unit's people"},
	"board.empty.campaign":   {ZH: "攻坚行动：%s", EN: "The campaign: %s"},
	"board.empty.new_target": {ZH: "设定目标", EN: "Set a target"},
	"board.empty.account":    {ZH: "我的账户", EN: "My account"},
}
