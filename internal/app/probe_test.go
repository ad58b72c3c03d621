package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	pweb "guatu/internal/platform/web"
)

// TestTreeVersionReadWithTheSession: a read-only request trusts its kept org
// tree by the version its session lookup read along; a unit added on another
// instance is seen by the next request, and a unit added by a request is
// found by that same request, which reads the tree fresh.
func TestTreeVersionReadWithTheSession(t *testing.T) {
	for _, engine := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			if engine == db.Postgres && dbtest.PostgresURL() == "" {
				t.Skip("GUATU_TEST_POSTGRES is not set")
			}
			ctx := context.Background()
			dsn := dbtest.DSN(t, engine)
			var apps []*App
			var township int64
			for i := range 2 {
				cfg := Config{DSN: dsn, DataDir: t.TempDir(), Log: slog.New(slog.DiscardHandler)}
				if i == 0 {
					cfg.Setup = func(ctx context.Context, d *db.DB) error {
						res, err := demo.Load(ctx, d, time.Now())
						township = res.TownshipID
						return err
					}
				}
				a, err := Open(ctx, cfg)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { a.Close() })
				apps = append(apps, a)
			}
			admin, err := apps[1].Auth.UserByLogin(ctx, "admin")
			if err != nil {
				t.Fatal(err)
			}
			sess, err := apps[1].Auth.NewSession(ctx, admin)
			if err != nil {
				t.Fatal(err)
			}
			do := func(method, path string, form url.Values) (int, string) {
				t.Helper()
				var body *strings.Reader
				if form != nil {
					form.Set("csrf", sess.CSRF)
					body = strings.NewReader(form.Encode())
				} else {
					body = strings.NewReader("")
				}
				req := httptest.NewRequest(method, path, body)
				if form != nil {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				req.AddCookie(&http.Cookie{Name: pweb.SessionCookie, Value: sess.Token})
				rec := httptest.NewRecorder()
				apps[1].Handler.ServeHTTP(rec, req)
				return rec.Code, rec.Body.String()
			}
			if code, body := do("GET", "/units", nil); code != http.StatusOK || strings.Contains(body, "新建村") {
				t.Fatalf("/units: %d", code)
			}
			// Another instance adds a village; the next page here lists it.
			sys := auth.WithUser(ctx, auth.System())
			if _, err := apps[0].Org.CreateUnit(sys, org.UnitInput{ParentID: &township, Kind: org.Village, Name: "新建村"}); err != nil {
				t.Fatal(err)
			}
			if code, body := do("GET", "/units", nil); code != http.StatusOK || !strings.Contains(body, "新建村") {
				t.Errorf("/units after another instance added a village: %d, the village missing", code)
			}
			// A request that adds a unit here, and is sent on to it.
			code, _ := do("POST", "/units", url.Values{"name": {"又一村"}, "kind": {"village"}, "parent_id": {itoa(township)}})
			if code != http.StatusSeeOther {
				t.Fatalf("POST /units: %d, want 303", code)
			}
			if code, body := do("GET", "/units", nil); code != http.StatusOK || !strings.Contains(body, "又一村") {
				t.Errorf("/units after adding a village: %d, the village missing", code)
			}
		})
	}
}
