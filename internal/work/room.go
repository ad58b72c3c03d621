package work

import (
	"context"
	"database/sql"
	"embed"
	"io/fs"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/files"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
	"guatu/internal/platform/workflow"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

func subFS(f embed.FS, dir string) fs.FS { s, _ := fs.Sub(f, dir); return s }

// Messages are the room's catalogues; the workflow's refusals are shown by
// this room, the first to mount a machine.
var Messages = []i18n.Catalog{taskMessages, pageMessages, listMessages, cardMessages, tileMessages, rhythmMessages, printMessages, changeMessages, milestoneMessages, auditTaskMessages, importMessages, workflow.Messages, evidenceMessages, files.Messages, remindMessages, livelihoodMessages, digestMessages}

// Room is the supervised-work room (督查督办): the task register and its
// workflow.
func Room(s *Store) room.Room {
	h := &Handlers{Store: s}
	return room.Room{
		Name:         "work",
		Templates:    subFS(templates, "templates"),
		Static:       subFS(static, "static"),
		Nav:          []web.NavItem{{Key: "nav.tasks", Href: "/tasks", Order: 30}, {Key: "nav.livelihood", Href: "/livelihood", Order: 31}},
		Routes:       h.Routes,
		Fixtures:     fixtures,
		Messages:     Messages,
		Keys:         []string{"task.", "workflow.", "file.", "livelihood.", "audit.field.livelihood.", "audit.field.task_evaluation."},
		Migrations:   subFS(migrations, "migrations"),
		UnitsChanged: s.UnitsChanged,
		AuditNames:   s.auditNames(),
		AuditValues:  map[string]string{"task_evaluation/timeliness": "task.eval.", "task_evaluation/quality": "task.eval."},
	}
}

// UnitsChanged keeps each task's township that of its lead unit when the
// tree changes under it.
func (s *Store) UnitsChanged(ctx context.Context, tx *sql.Tx) error {
	tree, err := org.ReadTree(ctx, tx)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT lead_unit_id, township_id FROM tasks`)
	if err != nil {
		return platform.Internalf("task units: %w", err)
	}
	type pair struct{ unit, township int64 }
	var moved []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.unit, &p.township); err != nil {
			rows.Close()
			return platform.Internalf("task units: %w", err)
		}
		if t := tree.TownshipOf(p.unit); t != 0 && t != p.township {
			moved = append(moved, pair{p.unit, t})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Internalf("task units: %w", err)
	}
	for _, p := range moved {
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET township_id = $1 WHERE lead_unit_id = $2`, p.township, p.unit); err != nil {
			return platform.Internalf("task township: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE task_cards SET township_id = $1 WHERE task_id IN (SELECT id FROM tasks WHERE lead_unit_id = $2)`,
			p.township, p.unit); err != nil {
			return platform.Internalf("card township: %w", err)
		}
	}
	return nil
}
