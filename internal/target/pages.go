package target

import (
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

var pageMessages = i18n.Catalog{}

func (h *Handlers) pageRoutes(rt *web.Router) {}
