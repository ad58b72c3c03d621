package board

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"

	"guatu/internal/platform/web"
)

// The board's script draws its charts (the CSP forbids inline scripts; the
// page carries the data in a JSON block) and its style sheet lays it out for
// the wall and for printing on A3/A4 landscape.
var (
	//go:embed board.js
	boardJS []byte
	//go:embed board.css
	boardCSS []byte

	jsURL  = "/board.js?v=" + version(boardJS)
	cssURL = "/board.css?v=" + version(boardCSS)
)

func version(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])[:12]
}

// serveAsset serves an embedded file. Asked for under its current version it
// may be cached for a year, as the shared static files are; otherwise it must
// be revalidated.
func serveAsset(body []byte, contentType string) web.HandlerFunc {
	v := version(body)
	return func(w http.ResponseWriter, r *http.Request) error {
		w.Header().Set("Content-Type", contentType)
		if r.URL.Query().Get("v") == v {
			w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			w.Header().Set("Cache-Control", "no-cache")
		}
		w.Header().Set("ETag", `"`+v+`"`)
		if r.Header.Get("If-None-Match") == `"`+v+`"` {
			w.WriteHeader(http.StatusNotModified)
			return nil
		}
		_, err := w.Write(body)
		return err
	}
}
