package work

import "guatu/internal/platform/i18n"

// remindMessages are the texts of reminders (催办).
var remindMessages = i18n.Catalog{
	"task.move.remind":             {ZH: "催办", EN: "Reminder"},
	"task.remind.title":            {ZH: "催办记录", EN: "Reminders"},
	"task.remind.hint":             {ZH: "催办会发到牵头单位账号和责任人的消息中，单位接入了群机器人的同时推送到群里。牵头单位此后报送进展即视为已响应。", EN: "A reminder reaches the inbox of the lead unit's accounts and its responsible person, and the unit's group robots when it has any. A progress report from the lead unit after it answers it."},
	"task.remind.note":             {ZH: "催办说明", EN: "Note"},
	"task.remind.send":             {ZH: "催办", EN: "Send reminder"},
	"task.remind.none":             {ZH: "还没有催办", EN: "No reminders yet"},
	"task.remind.at":               {ZH: "催办时间", EN: "When"},
	"task.remind.by":               {ZH: "催办人", EN: "By"},
	"task.remind.to":               {ZH: "催办对象", EN: "To"},
	"task.remind.channels":         {ZH: "渠道", EN: "Channels"},
	"task.remind.answered":         {ZH: "是否响应", EN: "Answered"},
	"task.remind.answered_at":      {ZH: "已响应（%s）", EN: "answered (%s)"},
	"task.remind.unanswered":       {ZH: "未响应", EN: "not answered"},
	"task.remind.channel.inbox":    {ZH: "站内消息", EN: "inbox"},
	"task.remind.channel.dingtalk": {ZH: "钉钉群", EN: "DingTalk group"},
	"task.remind.channel.wecom":    {ZH: "企业微信群", EN: "WeCom group"},
	"task.remind.flash":            {ZH: "已催办", EN: "Reminder sent"},
	"task.remind.msg_title":        {ZH: "催办：%s", EN: "Reminder: %s"},
	"task.remind.msg_body":         {ZH: "%s催办：%s\n办理期限：%s。请尽快报送进展。", EN: "%s urges: %s\nDeadline: %s. Please report progress soon."},
	"task.rung.unit":               {ZH: "牵头单位", EN: "Lead unit"},
	"task.rung.head":               {ZH: "单位负责人", EN: "Unit head"},
	"task.rung.leader":             {ZH: "分管领导", EN: "Leader in charge"},
	"task.rung.principal":          {ZH: "主要领导", EN: "Principal leader"},
	"task.rung.escalated":          {ZH: "逐级升级：%s", EN: "Escalated to: %s"},
	"task.rung.note":               {ZH: "%s收到催办%d天未响应，升级提醒%s", EN: "%s has not answered a reminder for %d days: escalated to the %s"},
	"task.rung.msg_title":          {ZH: "催办升级：%s", EN: "Escalated reminder: %s"},
	"task.rung.msg_body":           {ZH: "牵头单位%s收到催办%d天未响应。原催办：%s\n办理期限：%s。请督促落实。", EN: "The lead unit %s has not answered a reminder for %d days. The reminder: %s\nDeadline: %s. Please see that it is acted on."},
	"task.error.remind_closed":     {ZH: "已办结、中止或销号的事项不能催办", EN: "A closed, stopped or struck-off task cannot be urged"},
	"task.error.remind_note":       {ZH: "请填写催办说明", EN: "Write what the reminder is about"},
	"task.error.remind_nobody":     {ZH: "牵头单位没有可接收消息的账号，也没有接入群机器人，催办无法送达", EN: "The lead unit has no account and no group robot to reach"},
}
