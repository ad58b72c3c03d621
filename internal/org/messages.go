package org

import "guatu/internal/platform/i18n"

// Messages is the org room's catalogue.
var Messages = i18n.Catalog{
	"org.kind.district":   {ZH: "区", EN: "District"},
	"org.kind.township":   {ZH: "镇/街道", EN: "Township"},
	"org.kind.department": {ZH: "部门", EN: "Department"},
	"org.kind.village":    {ZH: "村", EN: "Village"},
	"org.kind.community":  {ZH: "社区", EN: "Community"},
	"org.kind.grid":       {ZH: "网格", EN: "Grid"},

	"org.body.party":      {ZH: "党委", EN: "Party committee"},
	"org.body.government": {ZH: "政府", EN: "Government"},
	"org.body.congress":   {ZH: "人大", EN: "People's congress"},

	"org.unit.name":      {ZH: "单位名称", EN: "Name"},
	"org.unit.kind":      {ZH: "类型", EN: "Kind"},
	"org.unit.people":    {ZH: "人数", EN: "People"},
	"org.unit.parent":    {ZH: "上级单位", EN: "Parent unit"},
	"org.unit.sort":      {ZH: "排序", EN: "Order"},
	"org.unit.add":       {ZH: "新增单位", EN: "Add a unit"},
	"org.unit.children":  {ZH: "下级单位", EN: "Units under it"},
	"org.unit.move_hint": {ZH: "改为其他上级即可整体迁移（含下级）", EN: "choose another parent to move it with everything under it"},
	"org.people.subtree": {ZH: "查看本单位及下级全部人员", EN: "Everyone in this unit and below"},

	"org.err.bad_kind":           {ZH: "单位类型无效", EN: "Unknown kind of unit"},
	"org.err.kind_not_allowed":   {ZH: "该类型的单位不能设在所选上级之下（区→镇/街道→部门、村、社区→网格）", EN: "That kind of unit cannot sit under the chosen parent (district → township → department, village, community → grid)"},
	"org.err.duplicate_unit":     {ZH: "同一上级下已有名为“%s”的单位", EN: "There is already a unit called “%s” under this parent"},
	"org.err.move_under_self":    {ZH: "不能把单位移到它自己或它的下级单位之下", EN: "A unit cannot be moved under itself or one of its own units"},
	"org.err.unit_has_children":  {ZH: "该单位下还有%d个下级单位，请先迁移或删除下级单位", EN: "This unit still has %d units under it; move or delete them first"},
	"org.err.unit_has_people":    {ZH: "该单位还有%d名人员，请先调整人员所在单位", EN: "This unit still has %d people; move them to another unit first"},
	"org.err.unit_has_users":     {ZH: "该单位还有%d个登录账号，请先调整账号所属单位", EN: "This unit still has %d accounts; move them first"},
	"org.err.unit_in_use":        {ZH: "该单位仍被目标、项目等数据引用，不能删除", EN: "Targets, projects or other records still refer to this unit"},
	"org.err.no_such_unit":       {ZH: "找不到单位“%v”", EN: "No unit “%v”"},
	"org.err.ambiguous_unit":     {ZH: "有%[2]d个单位都叫“%[1]s”，请改用单位编号", EN: "%[2]d units are called “%[1]s”; use the unit's id"},
	"org.err.no_such_person":     {ZH: "找不到该人员", EN: "No such person"},
	"org.err.bad_phone":          {ZH: "电话只能包含数字、空格、+ 和 -", EN: "A phone number holds digits, spaces, + and - only"},
	"org.err.person_has_login":   {ZH: "该人员有登录账号，请先停用或改绑账号", EN: "This person has an account; disable or reassign it first"},
	"org.err.person_in_use":      {ZH: "该人员仍是目标、任务等的责任人，不能删除", EN: "This person still owns targets or tasks"},
	"org.err.not_township":       {ZH: "三套班子只能设在镇/街道", EN: "A leadership team belongs to a township"},
	"org.err.bad_body":           {ZH: "请选择党委、政府或人大", EN: "Choose party committee, government or people's congress"},
	"org.err.duplicate_seat":     {ZH: "此人已在该班子中", EN: "This person already sits on that body"},
	"org.err.end_before_start":   {ZH: "结束日期不能早于开始日期", EN: "The end cannot come before the start"},
	"org.err.campaign_one_year":  {ZH: "攻坚行动须在同一年度内", EN: "A campaign lies within one calendar year"},
	"org.err.duplicate_campaign": {ZH: "本年度已有同名行动", EN: "There is already a campaign of that name this year"},
	"org.err.bad_login":          {ZH: "账号只能用字母、数字、点、下划线和连字符，且以字母或数字开头", EN: "A login uses letters, digits, dot, underscore and hyphen, starting with a letter or digit"},
	"org.err.duplicate_login":    {ZH: "账号“%s”已存在", EN: "The login “%s” is taken"},
	"org.err.password_short":     {ZH: "密码至少%d位", EN: "A password has at least %d characters"},
	"org.err.bad_role":           {ZH: "角色无效或超出您的权限", EN: "Unknown role, or beyond what you may grant"},
	"org.err.not_yourself":       {ZH: "不能停用自己的账号或修改自己的角色", EN: "You cannot disable your own account or change your own role"},
}
