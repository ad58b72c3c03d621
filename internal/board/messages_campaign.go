package board

import "guatu/internal/platform/i18n"

// campaignMessages are the texts of the campaign's own progress (攻坚).
var campaignMessages = i18n.Catalog{
	"board.campaign.on_pace_k":    {ZH: "攻坚进度达标", EN: "On the campaign's pace"},
	"board.campaign.on_pace_f":    {ZH: "共%d项有攻坚任务 · 时间进度%s", EN: "of %d with a campaign share · %s of its days gone"},
	"board.campaign.title":        {ZH: "攻坚以来完成情况", EN: "Done in the campaign"},
	"board.campaign.hint":         {ZH: "自%s起算；完成攻坚任务比例不低于攻坚时间进度为达标", EN: "Counted from %s; on pace when the share done is at least the share of the campaign's days gone"},
	"board.campaign.unknown":      {ZH: "%d项缺少攻坚起点数据，未计入", EN: "%d without the figure the campaign starts from, not counted"},
	"board.campaign.col.target":   {ZH: "全年目标", EN: "Target"},
	"board.campaign.col.start":    {ZH: "攻坚起点", EN: "At the start"},
	"board.campaign.col.done_pct": {ZH: "完成攻坚任务", EN: "Share done"},
	"board.campaign.col.status":   {ZH: "进度", EN: "Pace"},
	"board.campaign.on_pace":      {ZH: "达标", EN: "on pace"},
	"board.campaign.behind":       {ZH: "落后", EN: "behind"},
	"board.campaign.met":          {ZH: "已完成", EN: "reached"},
	"board.campaign.no_start":     {ZH: "缺起点数据", EN: "no start figure"},
	"board.campaign.from_zero":    {ZH: "年初", EN: "1 January"},
}
