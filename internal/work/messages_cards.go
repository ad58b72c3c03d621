package work

import "guatu/internal/platform/i18n"

// cardMessages are the warning cards' words.
var cardMessages = i18n.Catalog{
	"task.card.yellow":          {ZH: "黄牌", EN: "Yellow card"},
	"task.card.red":             {ZH: "红牌", EN: "Red card"},
	"task.card.cause.overdue":   {ZH: "逾期", EN: "Overdue"},
	"task.card.cause.repeat":    {ZH: "屡次黄牌", EN: "Repeated yellow cards"},
	"task.card.why.done":        {ZH: "已办结或不再逾期", EN: "Closed or no longer late"},
	"task.card.why.upgraded":    {ZH: "升级为红牌", EN: "Became a red card"},
	"task.card.why.exempt":      {ZH: "客观原因免责", EN: "Exempted for an objective reason"},
	"task.card.title":           {ZH: "预警亮牌", EN: "Warning cards"},
	"task.card.none":            {ZH: "未亮过牌", EN: "No cards so far"},
	"task.card.col.card":        {ZH: "亮牌", EN: "Card"},
	"task.card.col.cause":       {ZH: "原因", EN: "Cause"},
	"task.card.col.deadline":    {ZH: "对应时限", EN: "Against deadline"},
	"task.card.col.raised":      {ZH: "亮牌日期", EN: "Raised on"},
	"task.card.col.cleared":     {ZH: "摘牌", EN: "Taken down"},
	"task.card.standing":        {ZH: "在牌", EN: "Standing"},
	"task.card.exempt":          {ZH: "免责摘牌", EN: "Exempt"},
	"task.card.exempt_reason":   {ZH: "免责理由", EN: "Reason for the exemption"},
	"task.card.exempt_hint":     {ZH: "如不可抗力、上级政策调整等客观原因；记入审计", EN: "an objective reason such as force majeure or a change of policy above; audited"},
	"task.card.rule":            {ZH: "逾期1至%d天亮黄牌，逾期超过%d天或此前已有%d张黄牌亮红牌；办结、中止或销号即摘牌。", EN: "A yellow card from 1 to %d days late; a red card beyond %d days late or after %d yellow cards before; taken down when closed, stopped or struck off."},
	"task.card.settings":        {ZH: "亮牌规则", EN: "Card rule"},
	"task.card.red_after":       {ZH: "逾期超过几天亮红牌", EN: "Red card after how many days late"},
	"task.card.save":            {ZH: "保存", EN: "Save"},
	"task.card.board":           {ZH: "预警亮牌", EN: "Warning cards"},
	"task.card.count_yellow":    {ZH: "在牌黄牌", EN: "Standing yellow cards"},
	"task.card.count_red":       {ZH: "在牌红牌", EN: "Standing red cards"},
	"task.card.township":        {ZH: "镇街", EN: "Township"},
	"task.card.filter":          {ZH: "亮牌", EN: "Card"},
	"task.card.error.reason":    {ZH: "请写明免责理由", EN: "give the reason for the exemption"},
	"task.card.error.down":      {ZH: "这张牌已经摘下", EN: "this card is down already"},
	"task.card.error.red_after": {ZH: "请填写1至%d之间的天数", EN: "give a number of days from 1 to %d"},
}
