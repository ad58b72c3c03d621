package org

import "guatu/internal/platform/i18n"

// auditMessages name the room's objects and their fields on the audit page
// (audit.entity.<kind>, audit.field.<kind>.<field>).
var auditMessages = i18n.Catalog{
	"audit.entity.unit":          {ZH: "单位", EN: "Unit"},
	"audit.field.unit.parent_id": {ZH: "上级单位", EN: "Parent unit"},
	"audit.field.unit.kind":      {ZH: "类型", EN: "Kind"},
	"audit.field.unit.name":      {ZH: "名称", EN: "Name"},
	"audit.field.unit.sort":      {ZH: "排序", EN: "Order"},
	"audit.field.unit.depth":     {ZH: "层级", EN: "Depth"},
	"audit.field.unit.people":    {ZH: "人数", EN: "People"},

	"audit.entity.person":          {ZH: "人员", EN: "Person"},
	"audit.field.person.unit_id":   {ZH: "所在单位", EN: "Unit"},
	"audit.field.person.unit_name": {ZH: "单位名称", EN: "Unit name"},
	"audit.field.person.name":      {ZH: "姓名", EN: "Name"},
	"audit.field.person.title":     {ZH: "职务", EN: "Title"},
	"audit.field.person.phone":     {ZH: "电话", EN: "Phone"},
	"audit.field.person.sort":      {ZH: "排序", EN: "Order"},
	"audit.field.person.has_login": {ZH: "有账号", EN: "Has an account"},

	"audit.entity.team_member":            {ZH: "班子成员", EN: "Leader"},
	"audit.field.team_member.township_id": {ZH: "镇（街道）", EN: "Township"},
	"audit.field.team_member.person_id":   {ZH: "人员", EN: "Person"},
	"audit.field.team_member.person_name": {ZH: "姓名", EN: "Name"},
	"audit.field.team_member.title":       {ZH: "职务", EN: "Title"},
	"audit.field.team_member.body":        {ZH: "班子", EN: "Body"},
	"audit.field.team_member.position":    {ZH: "班子职务", EN: "Position"},
	"audit.field.team_member.sort":        {ZH: "排序", EN: "Order"},

	"audit.entity.user":            {ZH: "账号", EN: "Account"},
	"audit.entity.user.password":   {ZH: "账号密码", EN: "Account password"},
	"audit.field.user.login":       {ZH: "账号", EN: "Login"},
	"audit.field.user.password":    {ZH: "密码", EN: "Password"},
	"audit.field.user.role":        {ZH: "角色", EN: "Role"},
	"audit.field.user.unit_id":     {ZH: "所在单位", EN: "Unit"},
	"audit.field.user.person_id":   {ZH: "人员", EN: "Person"},
	"audit.field.user.disabled":    {ZH: "已停用", EN: "Disabled"},
	"audit.field.user.lang":        {ZH: "语言", EN: "Language"},
	"audit.field.user.chosen":      {ZH: "本人设置的密码", EN: "Password chosen by its owner"},
	"audit.field.user.seed":        {ZH: "演示账号", EN: "Demo account"},
	"audit.field.user.reason":      {ZH: "原因", EN: "Reason"},
	"audit.field.user.must_change": {ZH: "须修改密码", EN: "Must change password"},

	"audit.entity.campaign":            {ZH: "攻坚行动", EN: "Campaign"},
	"audit.field.campaign.township_id": {ZH: "镇（街道）", EN: "Township"},
	"audit.field.campaign.name":        {ZH: "名称", EN: "Name"},
	"audit.field.campaign.year":        {ZH: "年度", EN: "Year"},
	"audit.field.campaign.start":       {ZH: "开始日期", EN: "Start"},
	"audit.field.campaign.end":         {ZH: "结束日期", EN: "End"},
	"audit.field.campaign.goals":       {ZH: "目标", EN: "Goals"},
}
