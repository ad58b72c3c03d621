package work

import (
	"context"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// auditNames names the room's objects on the audit page: a task by its
// title, and its cards, change requests and milestones by the task they
// belong to (卡、申请、节点 of 「title」).
func (s *Store) auditNames() audit.Namers {
	names := s.livelihoodAuditNames()
	names["task"] = s.titles(`SELECT id, title FROM tasks`, "id")
	names["task_card"] = s.titles(`SELECT c.id, t.title FROM task_cards c JOIN tasks t ON t.id = c.task_id`, "c.id")
	names["task_change"] = s.titles(`SELECT c.id, t.title FROM task_changes c JOIN tasks t ON t.id = c.task_id`, "c.id")
	names["task_milestone"] = s.titles(`SELECT m.id, t.title || ' · ' || m.title FROM task_milestones m JOIN tasks t ON t.id = m.task_id`, "m.id")
	names["task_card_settings"] = s.titles(`SELECT id, name FROM units`, "id")
	return names
}

// titles is a namer reading (id, name) pairs of query for the ids asked,
// col being the id's column.
func (s *Store) titles(query, col string) audit.Namer {
	return func(ctx context.Context, _ i18n.Lang, ids []string) (map[string]string, error) {
		var w db.Where
		w.In(col, audit.IDs(ids))
		rows, err := s.DB.QueryContext(ctx, query+w.SQL(), w.Args...)
		if err != nil {
			return nil, platform.Internalf("audit names: %w", err)
		}
		defer rows.Close()
		out := map[string]string{}
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return nil, platform.Internalf("audit names: %w", err)
			}
			out[audit.ID(id)] = name
		}
		return out, rows.Err()
	}
}

// auditTaskMessages name the task register's objects on the audit page.
var auditTaskMessages = i18n.Catalog{
	"audit.entity.task":               {ZH: "督办事项", EN: "Task"},
	"audit.entity.task_card":          {ZH: "预警亮牌", EN: "Warning card"},
	"audit.entity.task_card_settings": {ZH: "亮牌规则", EN: "Card rule"},
	"audit.entity.task_change":        {ZH: "调整申请", EN: "Change request"},
	"audit.entity.task_milestone":     {ZH: "事项节点", EN: "Milestone"},
}
