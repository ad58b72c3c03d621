package targets

import "guatu/internal/platform/i18n"

// leaderMessages are the texts of a target's leader in charge (分管领导).
var leaderMessages = i18n.Catalog{
	"target.err.leader_not_on_team": {ZH: "分管领导须为%s领导班子成员，%s不在班子中", EN: "The leader in charge must sit on %s's leadership team; %s does not"},
	"target.err.no_leader":          {ZH: "分管领导须为%s领导班子成员，请从班子成员中选择", EN: "The leader in charge must sit on %s's leadership team: choose one of its members"},
	"target.err.leader_no_team":     {ZH: "%s没有领导班子，不能设定分管领导", EN: "%s has no leadership team to name a leader in charge from"},

	"target.page.leader":        {ZH: "分管领导", EN: "Leader in charge"},
	"target.page.leader_hint":   {ZH: "选填，须为本镇班子成员；分解目标不填时沿用上级目标的分管领导", EN: "optional; a member of the township's leadership team. A share left without one takes its parent's"},
	"target.page.no_leader":     {ZH: "未设定", EN: "None"},
	"target.page.set_leader":    {ZH: "保存分管领导", EN: "Save the leader in charge"},
	"target.page.leader_follow": {ZH: "沿用原分管领导的分解目标一并更改", EN: "The shares that carried the previous leader change with it"},
	"target.page.leader_of":     {ZH: "分管领导：%s", EN: "Leader in charge: %s"},
	"target.col.leader":         {ZH: "分管领导", EN: "Leader in charge"},

	"audit.field.target.leader_id": {ZH: "分管领导", EN: "Leader in charge"},
}
