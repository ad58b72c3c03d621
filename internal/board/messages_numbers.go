package board

import "guatu/internal/platform/i18n"

// numbersMessages are the board's words for how a target's numbers read.
var numbersMessages = i18n.Catalog{
	"board.met":              {ZH: "完成", EN: "met"},
	"board.allowance":        {ZH: "剩余额度 %s", EN: "%s left"},
	"board.ceiling_forecast": {ZH: "预计超上限", EN: "set to pass"},
}
