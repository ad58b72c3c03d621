// Package web holds the shared layout templates and the static assets,
// vendored and pinned, embedded into the binary so guatu runs air-gapped.
package web

import (
	"embed"
	"io/fs"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

// Layout is the shared layout: every page is wrapped by "layout".
func Layout() fs.FS { sub, _ := fs.Sub(templates, "templates"); return sub }

// Static is the tree served under /static/.
func Static() fs.FS { sub, _ := fs.Sub(static, "static"); return sub }
