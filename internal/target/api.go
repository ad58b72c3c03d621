package target

import "guatu/internal/platform/web"

func (h *Handlers) apiRoutes(rt *web.Router) {}
