package web

import "guatu/internal/platform/i18n"

// a11yMessages are the shell's words for people who use a keyboard or a
// screen reader: the skip link, the navigation's name, and the error
// summary every failed form shows at the top of the page (app.js builds it
// from these, read off the layout's <main>).
var a11yMessages = i18n.Catalog{
	"a11y.skip":        {ZH: "跳到正文", EN: "Skip to content"},
	"a11y.nav":         {ZH: "主导航", EN: "Main navigation"},
	"a11y.errors":      {ZH: "提交未成功，请修改以下内容：", EN: "Not saved. Please correct the following:"},
	"a11y.errors_hint": {ZH: "点击各项可跳到对应的填写处。", EN: "Each item leads to its field."},
}

// Catalogs are the shell's catalogues, to which each room adds its own.
func Catalogs() []i18n.Catalog { return []i18n.Catalog{Messages, a11yMessages} }
