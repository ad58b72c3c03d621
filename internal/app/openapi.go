package app

import (
	_ "embed"
	"net/http"
)

// openAPIDoc describes the whole /api/v1 surface. openapi_test.go checks that
// every API route the server registers is in it and that responses match it.
//
//go:embed openapi.json
var openAPIDoc []byte

func (a *App) openAPI(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, err := w.Write(openAPIDoc)
	return err
}
