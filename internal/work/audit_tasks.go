package work

import (
	"guatu/internal/platform/audit"
	"guatu/internal/platform/i18n"
)

// auditNames names the room's objects on the audit page: a task by its
// title, and its cards, change requests and milestones by the task they
// belong to (卡、申请、节点 of 「title」).
func (s *Store) auditNames() audit.Namers {
	names := s.livelihoodAuditNames()
	names["task"] = audit.ByQuery(s.DB, `SELECT id, title FROM tasks`, "id")
	names["task_card"] = audit.ByQuery(s.DB, `SELECT c.id, t.title FROM task_cards c JOIN tasks t ON t.id = c.task_id`, "c.id")
	names["task_change"] = audit.ByQuery(s.DB, `SELECT c.id, t.title FROM task_changes c JOIN tasks t ON t.id = c.task_id`, "c.id")
	names["task_milestone"] = audit.ByQuery(s.DB, `SELECT m.id, t.title || ' · ' || m.title FROM task_milestones m JOIN tasks t ON t.id = m.task_id`, "m.id")
	names["task_card_settings"] = audit.ByQuery(s.DB, `SELECT id, name FROM units`, "id")
	return names
}

// auditTaskMessages name the task register's objects on the audit page.
var auditTaskMessages = i18n.Catalog{
	"audit.entity.task":               {ZH: "督办事项", EN: "Task"},
	"audit.entity.task_card":          {ZH: "预警亮牌", EN: "Warning card"},
	"audit.entity.task_card_settings": {ZH: "亮牌规则", EN: "Card rule"},
	"audit.entity.task_change":        {ZH: "调整申请", EN: "Change request"},
	"audit.entity.task_milestone":     {ZH: "事项节点", EN: "Milestone"},
}
