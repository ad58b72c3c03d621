package project

import (
	"embed"
	"io/fs"

	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
)

//go:embed migrations/*.sql
var migrations embed.FS

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

func subFS(f embed.FS, dir string) fs.FS { s, _ := fs.Sub(f, dir); return s }

// Messages are the room's catalogues.
var Messages = []i18n.Catalog{projectMessages, stageMessages, importMessages}

// Room is the room of major projects (重大项目): the register and its stages.
func Room(s *Store) room.Room {
	h := &Handlers{Store: s}
	return room.Room{
		Name:         "project",
		Templates:    subFS(templates, "templates"),
		Static:       subFS(static, "static"),
		Nav:          []web.NavItem{{Key: "nav.projects", Href: "/projects", Order: 32}},
		Routes:       h.Routes,
		Fixtures:     fixtures,
		Messages:     Messages,
		Keys:         []string{"project.", "audit.field.project."},
		Migrations:   subFS(migrations, "migrations"),
		UnitsChanged: s.UnitsChanged,
		AuditNames:   s.auditNames(),
		AuditValues:  map[string]string{"project/kind": "project.kind.", "project/level": "project.level.", "project/stage": "project.stage."},
		// The version moves with every write: the entry's time says as much.
		AuditOmit: []string{"project/version"},
	}
}
