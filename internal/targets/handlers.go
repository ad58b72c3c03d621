package targets

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Templates returns the room's page templates.
func Templates() fs.FS { s, _ := fs.Sub(templates, "templates"); return s }

// Messages is the room's catalogue.
func Messages() []i18n.Catalog {
	return []i18n.Catalog{sheetMessages, coreMessages, pageMessages, importMessages}
}

// Handlers serves the target pages, the import and the API.
type Handlers struct {
	Store *Store
	Pages *web.Renderer
	Clock clock.Clock
}

// Routes registers the room's routes.
func (h *Handlers) Routes(rt *web.Router) {
	h.pageRoutes(rt)
	h.importRoutes(rt)
	h.apiRoutes(rt)
}

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		return 0, platform.ErrNotFound
	}
	return id, nil
}
