package web

import "guatu/internal/platform/i18n"

// MessageKeys are the key prefixes of the shell's messages; each room
// declares its own.
var MessageKeys = []string{"app.", "a11y.", "nav.", "role.", "error.", "form.", "common.", "auth.", "list.", "api."}

// Messages are the texts of the shell: app name, navigation, roles, the
// common error and form messages, the list kit, and sign-in.
var Messages = i18n.Catalog{
	"app.name":    {ZH: "挂图作战", EN: "guatu"},
	"app.tagline": {ZH: "目标·项目·督办 作战指挥板", EN: "campaign command board"},

	"nav.menu":   {ZH: "菜单", EN: "Menu"},
	"nav.logout": {ZH: "退出", EN: "Sign out"},
	"nav.inbox":  {ZH: "消息", EN: "Inbox"},
	"nav.login":  {ZH: "登录", EN: "Sign in"},

	"role.admin":        {ZH: "管理员", EN: "Administrator"},
	"role.leader":       {ZH: "班子成员", EN: "Leader"},
	"role.supervisor":   {ZH: "督查", EN: "Supervisor"},
	"role.statistician": {ZH: "统计员", EN: "Statistician"},
	"role.reporter":     {ZH: "填报员", EN: "Reporter"},
	"role.grid_worker":  {ZH: "网格员", EN: "Grid worker"},
	"role.viewer":       {ZH: "查看", EN: "Viewer"},

	"error.title":         {ZH: "出错了", EN: "Something went wrong"},
	"error.home":          {ZH: "返回首页", EN: "Back to the board"},
	"error.not_found":     {ZH: "找不到该页面或数据，或您无权查看。", EN: "Not found, or not yours to see."},
	"error.forbidden":     {ZH: "您的角色无权执行此操作。", EN: "Your role may not do this."},
	"error.unauthorized":  {ZH: "请先登录。", EN: "Please sign in."},
	"error.internal":      {ZH: "系统内部错误，已记录，请稍后再试或联系管理员。", EN: "Internal error; it has been logged. Try again later or contact the administrator."},
	"error.csrf":          {ZH: "页面已过期或来源不明，请刷新页面后重新提交。", EN: "The form has expired or did not come from this site; reload the page and submit again."},
	"error.too_large":     {ZH: "提交的内容超过上限（表单和接口数据1MB，上传文件32MB），没有保存任何内容。", EN: "The request is larger than allowed (1 MB for a form or API data, 32 MB for an upload); nothing was saved."},
	"error.bad_text":      {ZH: "“%s”中含有无法识别的字符（不是有效的UTF-8文字，或含有空字符），没有保存任何内容。请删除这些字符后重新提交。", EN: "“%s” holds characters that are not text (invalid UTF-8 or a NUL character); nothing was saved. Remove them and submit again."},
	"error.bad_text_body": {ZH: "提交的数据中含有无法识别的字符（不是有效的UTF-8文字，或含有空字符），没有保存任何内容。", EN: "The data sent holds characters that are not text (invalid UTF-8 or a NUL character); nothing was saved."},
	"error.bad_form":      {ZH: "提交的表单格式不正确，没有保存任何内容。请刷新页面后重新提交。", EN: "The form could not be read; nothing was saved. Reload the page and submit again."},
	"error.busy":          {ZH: "系统正忙，请稍等几秒后再试。", EN: "The system is busy; try again in a few seconds."},
	"error.bad_query":     {ZH: "网址中的参数格式不正确。", EN: "The address's parameters could not be read."},

	"list.err.bad_sort":    {ZH: "参数 sort 的值“%s”无效：列表不能按它排序", EN: "sort: the list cannot be sorted by “%s”"},
	"list.err.bad_value":   {ZH: "参数 %s 的值“%s”无效", EN: "%s: “%s” is not a valid value"},
	"list.err.bad_page":    {ZH: "参数 page 应为1到%d之间的整数", EN: "page: a whole number from 1 to %d"},
	"list.err.bad_offset":  {ZH: "参数 offset 应为不小于0的整数", EN: "offset: a whole number, 0 or more"},
	"list.err.bad_limit":   {ZH: "参数 limit 应为1到%d之间的整数", EN: "limit: a whole number from 1 to %d"},
	"api.err.bad_json":     {ZH: "请求内容不是有效的JSON：%s", EN: "The request body is not valid JSON: %s"},
	"api.err.content_type": {ZH: "请求内容须为JSON（Content-Type: application/json），收到的是%s", EN: "The request body must be JSON (Content-Type: application/json), not %s"},

	"form.err.required":    {ZH: "必填", EN: "Required"},
	"form.err.too_long":    {ZH: "不能超过%d个字", EN: "At most %d characters"},
	"form.err.not_integer": {ZH: "请输入整数", EN: "Enter a whole number"},
	"form.err.not_number":  {ZH: "请输入数字", EN: "Enter a number"},
	"form.err.invalid":     {ZH: "请检查标红的栏目", EN: "Check the fields marked in red"},
	"form.err.bad_date":    {ZH: "日期格式应为 年-月-日", EN: "Dates are written YYYY-MM-DD"},

	"common.save":           {ZH: "保存", EN: "Save"},
	"common.add":            {ZH: "新增", EN: "Add"},
	"common.edit":           {ZH: "编辑", EN: "Edit"},
	"common.delete":         {ZH: "删除", EN: "Delete"},
	"common.cancel":         {ZH: "取消", EN: "Cancel"},
	"common.search":         {ZH: "查询", EN: "Search"},
	"common.filter":         {ZH: "筛选", EN: "Filter"},
	"common.all":            {ZH: "全部", EN: "All"},
	"common.none":           {ZH: "暂无数据", EN: "Nothing here yet"},
	"common.yes":            {ZH: "是", EN: "Yes"},
	"common.no":             {ZH: "否", EN: "No"},
	"common.actions":        {ZH: "操作", EN: "Actions"},
	"common.export":         {ZH: "导出Excel", EN: "Export to Excel"},
	"common.prev":           {ZH: "上一页", EN: "Previous"},
	"common.next":           {ZH: "下一页", EN: "Next"},
	"common.total":          {ZH: "共%d条", EN: "%d in all"},
	"common.confirm_delete": {ZH: "确定删除吗？此操作会记入审计日志。", EN: "Delete? This is recorded in the audit log."},
	"common.saved":          {ZH: "已保存", EN: "Saved"},
	"common.deleted":        {ZH: "已删除", EN: "Deleted"},
	"common.print":          {ZH: "打印", EN: "Print"},

	"auth.login.title":         {ZH: "登录", EN: "Sign in"},
	"auth.login.login":         {ZH: "账号", EN: "Login"},
	"auth.login.password":      {ZH: "密码", EN: "Password"},
	"auth.login.submit":        {ZH: "登录", EN: "Sign in"},
	"auth.login.intro":         {ZH: "乡镇（街道）目标任务、重大项目、督办事项一张图作战指挥。", EN: "Targets, major projects and assigned work of a township on one board."},
	"auth.err.bad_credentials": {ZH: "账号或密码错误。", EN: "Wrong login or password."},
	"auth.err.locked":          {ZH: "密码连续输错次数过多，账号已锁定15分钟，请稍后再试或联系管理员重置密码。", EN: "Too many wrong passwords: the account is locked for 15 minutes. Try later or ask an administrator to reset the password."},
	"auth.err.disabled":        {ZH: "该账号已停用，请联系管理员。", EN: "This account is disabled; contact an administrator."},
	"auth.flash.expired":       {ZH: "登录已过期，请重新登录。", EN: "Your session has expired; please sign in again."},
	"auth.flash.logged_out":    {ZH: "您已安全退出。", EN: "You have signed out."},
}
