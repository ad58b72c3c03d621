package targets

import "guatu/internal/platform/i18n"

// campaignMessages are the texts of the campaign's own clock (攻坚).
var campaignMessages = i18n.Catalog{
	"target.campaign.col.task":          {ZH: "攻坚任务", EN: "Campaign share"},
	"target.campaign.col.done":          {ZH: "攻坚以来完成", EN: "Done in the campaign"},
	"target.campaign.col.completion":    {ZH: "完成攻坚任务", EN: "Campaign share done"},
	"target.campaign.col.share_of_days": {ZH: "攻坚时间进度", EN: "Campaign days gone"},
	"target.campaign.col.pace":          {ZH: "尚需每周", EN: "Still needed a week"},
	"target.campaign.legend":            {ZH: "攻坚任务 = 确保目标 − 攻坚开始前最后一个完整月的累计；尚需每周按攻坚剩余天数折算", EN: "Campaign share = target − the cumulative figure of the last full month before the campaign; still needed a week spreads the rest over the campaign's days left"},
}
