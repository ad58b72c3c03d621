package app

import "guatu/internal/platform/i18n"

// auditViewMessages are the audit page's words for what an entry changed:
// the columns, the fields every kind of entry may carry, and the codes of
// refusals.
var auditViewMessages = i18n.Catalog{
	"audit.object":  {ZH: "对象名称", EN: "Object"},
	"audit.changes": {ZH: "变更内容", EN: "Changes"},
	// A changed field's label before its values: "本年累计：", "Year to date: ".
	"audit.label": {ZH: "%s：", EN: "%s: "},

	"audit.entity.api_token": {ZH: "API令牌", EN: "API token"},
	"audit.entity.route":     {ZH: "页面或接口", EN: "Page or API"},

	"audit.field.value":  {ZH: "内容", EN: "Value"},
	"audit.field.route":  {ZH: "访问地址", EN: "Route"},
	"audit.field.reason": {ZH: "原因", EN: "Reason"},

	"audit.value.reason.scope":          {ZH: "超出管辖范围", EN: "outside the caller's scope"},
	"audit.value.reason.role":           {ZH: "角色无此权限", EN: "not permitted to the role"},
	"audit.value.reason.malformed":      {ZH: "账号或密码格式不对", EN: "malformed login or password"},
	"audit.value.reason.unknown_login":  {ZH: "账号不存在", EN: "no such account"},
	"audit.value.reason.locked":         {ZH: "账号已锁定", EN: "account locked"},
	"audit.value.reason.wrong_password": {ZH: "密码错误", EN: "wrong password"},
	"audit.value.reason.disabled":       {ZH: "账号已停用", EN: "account disabled"},
}
