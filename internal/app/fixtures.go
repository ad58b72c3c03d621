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
	rows := []AuditEntry{
		{Row: audit.Row{ID: 2, At: at, ActorLogin: "tongji", Action: audit.Update, Entity: "figure", EntityID: "7", RemoteAddr: "192.0.2.1"},
			Kind: "月度数据", Name: "入库税收 · 东湖村 · 2026年1-10月", Changes: []Change{{Label: "本年累计", Old: "1,200", New: "1,250.5", HasOld: true, HasNew: true}}},
		{Row: audit.Row{ID: 1, At: at, ActorLogin: "donghu", Action: audit.Denied, Entity: "target", EntityID: "9"},
			Kind: "目标", Name: "9", Changes: []Change{{Label: "原因", New: "超出管辖范围", HasNew: true}}},
		{Row: audit.Row{ID: 0, At: at, ActorLogin: "admin", Action: audit.Delete, Entity: "person", EntityID: "3"},
			Kind: "人员", Name: "王芳", Changes: []Change{{Label: "姓名", Old: "王芳", HasOld: true}}},
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
		{Page: "audit", Data: AuditPage{List: list, Heads: []web.SortHead{{Label: "时间", URL: "/audit?sort=at", Mark: "↑"}}, Rows: rows, Actions: auditActions, Kinds: []string{"figure", "target"}}},
	}
}
