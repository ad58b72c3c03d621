package targets

import "guatu/internal/platform/i18n"

// campaignMessages are the texts of the campaign's own clock (攻坚).
var campaignMessages = i18n.Catalog{
	"target.campaign.col.task":          {ZH: "攻坚任务", EN: "Campaign share"},
	"target.campaign.col.done":          {ZH: "攻坚以来完成", EN: "Done in the campaign"},
	"target.campaign.col.completion":    {ZH: "完成攻坚任务", EN: "Campaign share done"},
	"target.campaign.col.share_of_days": {ZH: "攻坚时间进度", EN: "Campaign days gone"},
	"target.campaign.col.pace":          {ZH: "尚需每周", EN: "Still needed a week"},
}
