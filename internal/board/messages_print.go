package board

import "guatu/internal/platform/i18n"

// printMessages are the board's texts of its header's countdown (第N天/共N天)
// and of printing it.
var printMessages = i18n.Catalog{
	"board.countdown.running":  {ZH: "“%s”进行到", EN: "“%s” has reached"},
	"board.countdown.day_pre":  {ZH: "第", EN: "day "},
	"board.countdown.day_post": {ZH: "天", EN: "of"},
	"board.countdown.of_left":  {ZH: "共%d天 · 还剩%d天", EN: "%d · %d days left"},
	"board.countdown.before":   {ZH: "距“%s”开始还有", EN: "Days until “%s” starts"},
	"board.countdown.over_k":   {ZH: "“%s”", EN: "“%s”"},
	"board.countdown.over":     {ZH: "已结束", EN: "is over"},
	"board.countdown.span":     {ZH: "%s至%s，共%d天", EN: "%s to %s, %d days"},
	"board.printed":            {ZH: "打印日期", EN: "Printed"},
	"board.print_a3":           {ZH: "打印(A3)", EN: "Print (A3)"},
	"board.print_a4":           {ZH: "打印(A4)", EN: "Print (A4)"},
}
