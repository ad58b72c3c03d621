package board

import "guatu/internal/platform/i18n"

// lateMessages are the board's texts of late reports (未报) and reminders.
var lateMessages = i18n.Catalog{
	"board.late":           {ZH: "未报", EN: "Not reported"},
	"board.hint.late":      {ZH: "过了报送日仍缺上月数据", EN: "Last month's figure missing after the reporting day"},
	"board.reminders":      {ZH: "催报提醒", EN: "Report reminders"},
	"board.reminder_entry": {ZH: "%s 催报：%s（应报%s）", EN: "%s asks for %s (due: %s)"},
}
