package targets

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
)

var (
	//go:embed templates/*.html
	templates embed.FS
	//go:embed static
	static embed.FS
	//go:embed migrations/*.sql
	migrations embed.FS
)

func subFS(f embed.FS, dir string) fs.FS { s, _ := fs.Sub(f, dir); return s }

// Messages is the room's catalogue.
func Messages() []i18n.Catalog {
	return []i18n.Catalog{sheetMessages, coreMessages, pageMessages, importMessages, lateMessages, numbersMessages, entryMessages, auditMessages, auditSources, campaignMessages, reconcileMessages, catalogueMessages, reviewMessages, reviewAuditMessages, reviewQueueMessages, decimalsMessages, leaderMessages, importTargetMessages}
}

// Room is the targets room: the indicator catalogue, targets and their
// decomposition, figures and the schedule rules, the import, their pages
// and API.
func Room(s *Store) room.Room {
	h := &Handlers{Store: s}
	return room.Room{
		Name:      "targets",
		Templates: subFS(templates, "templates"),
		Static:    subFS(static, "static"),
		Messages:  Messages(),
		Keys: []string{"target.", "import.", "audit.field.target.", "audit.field.figure.", "audit.field.indicator.",
			"audit.field.target_settings.", "audit.field.report_reminder.", "audit.field.import.", "audit.field.indicator_aliases."},
		Migrations:   subFS(migrations, "migrations"),
		Nav:          []web.NavItem{{Key: "nav.targets", Href: "/targets", Order: 20}, {Key: "target.review.nav", Href: "/targets/review", Perm: auth.ReviewFigures, Order: 21}},
		Routes:       h.Routes,
		Fixtures:     fixtures,
		UnitsChanged: s.UnitsChanged,
		Migrated:     s.migrated,
		AuditNames:   s.auditNames(),
		AuditValues: map[string]string{
			"target/kind": "target.kind.", "indicator/measure": "target.measure.", "indicator/direction": "target.direction.",
			"indicator/cadence": "target.cadence.", "figure/source": "audit.field.figure.source.", "figure/status": "target.review.status.",
		},
		AuditOmit: []string{"figure/target_id", "figure/period"},
	}
}

// Handlers serves the target pages, the import and the API.
type Handlers struct {
	Store *Store
	Pages *web.Renderer
	views views
}

// views are the room's pages, looked up once at start-up.
type views struct {
	targets    *web.Page[TargetsPage]
	target     *web.Page[TargetPage]
	newtarget  *web.Page[NewTargetPage]
	indicators *web.Page[IndicatorsPage]
	settings   *web.Page[SettingsPage]
	upload     *web.Page[ImportPage]
	preview    *web.Page[PreviewPage]
	review     *web.Page[ReviewPage]
}

// Routes registers the room's routes.
func (h *Handlers) Routes(rt *web.Router, pages *web.Renderer) {
	h.Pages = pages
	h.views = views{
		targets:    web.NewPage[TargetsPage](pages, "targets/targets"),
		target:     web.NewPage[TargetPage](pages, "targets/target"),
		newtarget:  web.NewPage[NewTargetPage](pages, "targets/newtarget"),
		indicators: web.NewPage[IndicatorsPage](pages, "targets/indicators"),
		settings:   web.NewPage[SettingsPage](pages, "targets/settings"),
		upload:     web.NewPage[ImportPage](pages, "targets/import"),
		preview:    web.NewPage[PreviewPage](pages, "targets/import_preview"),
		review:     web.NewPage[ReviewPage](pages, "targets/review"),
	}
	h.pageRoutes(rt)
	h.importRoutes(rt)
	h.catalogueRoutes(rt)
	h.apiRoutes(rt)
	h.reviewAPIRoutes(rt)
}

func (h *Handlers) now() time.Time { return h.Store.now() }

func pathID(r *http.Request) (int64, error) { return web.PathID(r) }
