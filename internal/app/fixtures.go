package app

import (
	"time"

	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/web"
)

// shellFixtures are sample data for the shell's pages, for the page check.
func shellFixtures() []web.Fixture {
	at := time.Date(2026, 11, 20, 9, 30, 0, 0, time.UTC)
	rows := []audit.Row{
		{ID: 2, At: at, ActorLogin: "tongji", Action: audit.Create, Entity: "figure", EntityID: "7", After: `{"value":1}`, RemoteAddr: "192.0.2.1"},
		{ID: 1, At: at, ActorLogin: "donghu", Action: audit.Denied, Entity: "target", EntityID: "9"},
	}
	list := auditList.Fixture(len(rows))
	return []web.Fixture{
		{Page: "login", Data: LoginPage{Login: "tongji", Next: "/targets", Error: "账号或密码错误。"}},
		{Page: "setup", Data: SetupPage{MinPassword: 8, Form: web.FormView{
			Values: map[string]string{"code": "KXQ4-7MNA-HT3C", "district": "新城区", "townships": "城关镇\n临河镇", "login": "admin"},
			Errors: map[string]string{"_": "系统已有管理员", "code": "安装码不正确", "district": "必填", "townships": "至少填写一个镇（街道）", "login": "账号已存在", "password": "密码至少8位", "password2": "两次输入的密码不一致"},
		}}},
		{Page: "account", Data: AccountPage{
			Last:        auth.LastLogin{At: &at, Addr: "192.0.2.1", Failed: 3},
			LastAddr:    "192.0.2.1",
			Tokens:      []auth.Token{{ID: 4, UserID: 1, Name: "报表脚本", Created: at, Expires: at.AddDate(0, 0, 90), LastUsed: &at}},
			Password:    web.FormView{Errors: map[string]string{"_": "系统繁忙", "old_password": "原密码不正确", "password": "这个密码太常见", "password2": "两次输入的密码不一致"}},
			MinPassword: 8,
		}},
		{Page: "audit", Data: AuditPage{List: list, Heads: []web.SortHead{{Label: "时间", URL: "/audit?sort=at", Mark: "↑"}}, Rows: rows, Actions: auditActions}},
	}
}
