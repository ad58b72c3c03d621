package target

import (
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

var importMessages = i18n.Catalog{}

func (h *Handlers) importRoutes(rt *web.Router) {}
