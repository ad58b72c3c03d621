package org

import "guatu/internal/platform/web"

// peopleRoutes registers the people, leadership-team and account pages.
func (h *Handlers) peopleRoutes(rt *web.Router) {}
