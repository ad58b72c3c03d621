package workflow

import "guatu/internal/platform/i18n"

// Messages are the workflow's refusals; the room that mounts a machine lists
// this catalogue among its own.
var Messages = i18n.Catalog{
	"workflow.unknown":         {ZH: "没有“%s”这一操作", EN: "there is no move %q"},
	"workflow.wrong_state":     {ZH: "当前状态（%[2]s）下不能“%[1]s”", EN: "cannot %[1]s from %[2]s"},
	"workflow.reason_required": {ZH: "请填写理由", EN: "give a reason"},
	"workflow.conflict":        {ZH: "该事项刚被他人办理过，请刷新后再操作", EN: "someone else moved this item meanwhile; reload and try again"},
	"workflow.no_prior_state":  {ZH: "办理记录中找不到此前的状态，无法退回或恢复", EN: "the history holds no earlier state to go back to"},
}
