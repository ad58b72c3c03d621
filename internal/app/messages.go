package app

import "guatu/internal/platform/i18n"

var appMessages = i18n.Catalog{
	"nav.audit":                 {ZH: "审计日志", EN: "Audit log"},
	"audit.entity_id":           {ZH: "对象编号", EN: "Entity ID"},
	"audit.when":                {ZH: "时间", EN: "When"},
	"audit.actor":               {ZH: "操作人", EN: "Who"},
	"audit.action":              {ZH: "动作", EN: "Action"},
	"audit.entity":              {ZH: "对象", EN: "Entity"},
	"audit.before":              {ZH: "修改前", EN: "Before"},
	"audit.after":               {ZH: "修改后", EN: "After"},
	"audit.from":                {ZH: "起始日期", EN: "From"},
	"audit.to":                  {ZH: "截止日期", EN: "To"},
	"audit.addr":                {ZH: "来源地址", EN: "Address"},
	"audit.action.create":       {ZH: "新增", EN: "create"},
	"audit.action.update":       {ZH: "修改", EN: "update"},
	"audit.action.delete":       {ZH: "删除", EN: "delete"},
	"audit.action.denied":       {ZH: "越权访问", EN: "denied"},
	"audit.action.login":        {ZH: "登录", EN: "login"},
	"audit.action.logout":       {ZH: "退出", EN: "logout"},
	"audit.action.login_failed": {ZH: "登录失败", EN: "failed login"},
	"audit.action.import":       {ZH: "导入", EN: "import"},
}
