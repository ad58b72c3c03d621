package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"guatu/internal/app"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
)

// Every refusal, out of scope (404) or not the caller's role (403), writes
// one denied entry naming the actor, the route and the object asked for,
// under the unit whose administrators should see it.
func TestEveryRefusalIsAudited(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		base, a := startServer(t, engine)
		id := func(name string) string { return strconv.FormatInt(unitID(t, a, name), 10) }
		pathOf := func(name string) string {
			var p string
			if err := a.DB.QueryRowContext(context.Background(), `SELECT path FROM units WHERE name = $1`, name).Scan(&p); err != nil {
				t.Fatal(err)
			}
			return p
		}
		linjiang, donghu := id("临江镇"), id("东湖村")
		clients := map[string]*http.Client{}
		client := func(login string) *http.Client {
			if c, ok := clients[login]; ok {
				return c
			}
			c := newClient(t)
			httpLogin(t, c, base, login)
			clients[login] = c
			return c
		}
		for _, tt := range []struct {
			name, login, method, path string
			form                      url.Values
			upload                    bool
			status                    int
			entity, entityID          string
			reason                    string
			unitPath                  string // of the entry: whose administrators see it
		}{
			{name: "another village's unit", login: "shuangtang", method: "GET", path: "/units/" + donghu,
				status: 404, entity: "unit", entityID: donghu, reason: audit.ReasonScope, unitPath: pathOf("东湖村")},
			{name: "targets of a sibling township", login: "tongji", method: "GET", path: "/targets?unit=" + linjiang,
				status: 404, entity: "unit", entityID: linjiang, reason: audit.ReasonScope, unitPath: pathOf("临江镇")},
			{name: "the API's targets of a sibling township", login: "tongji", method: "GET", path: "/api/v1/targets?unit=" + linjiang,
				status: 404, entity: "unit", entityID: linjiang, reason: audit.ReasonScope, unitPath: pathOf("临江镇")},
			{name: "the targets export of a sibling township", login: "tongji", method: "GET", path: "/targets.xlsx?unit=" + linjiang,
				status: 404, entity: "unit", entityID: linjiang, reason: audit.ReasonScope, unitPath: pathOf("临江镇")},
			{name: "the import template of a sibling township", login: "tongji", method: "GET", path: "/targets/import/template.xlsx?unit=" + linjiang,
				status: 404, entity: "unit", entityID: linjiang, reason: audit.ReasonScope, unitPath: pathOf("临江镇")},
			{name: "another township's light settings", login: "tongji", method: "GET", path: "/settings/targets?township=" + linjiang,
				status: 404, entity: "target_settings", entityID: linjiang, reason: audit.ReasonScope, unitPath: pathOf("临江镇")},
			// The import's form says the unit is not one to import to (422,
			// the form shown again) and audits the attempt.
			{name: "an import for a sibling township", login: "tongji", method: "POST", path: "/targets/import", upload: true,
				form:   url.Values{"unit_id": {linjiang}, "year": {"2026"}, "month": {"0"}},
				status: 404, entity: "unit", entityID: linjiang, reason: audit.ReasonScope, unitPath: pathOf("临江镇")},
			{name: "a viewer adds a unit", login: "guest", method: "POST", path: "/units",
				form:   url.Values{"name": {"新村"}, "kind": {"village"}, "parent_id": {id("XX镇")}},
				status: 403, entity: "route", entityID: "POST /units", reason: audit.ReasonRole, unitPath: pathOf("XX镇")},
			{name: "a reporter opens the accounts", login: "shuangtang", method: "GET", path: "/users",
				status: 403, entity: "route", entityID: "GET /users", reason: audit.ReasonRole, unitPath: pathOf("双塘村")},
		} {
			t.Run(tt.name, func(t *testing.T) {
				c := client(tt.login)
				before := lastAuditID(t, a)
				var resp *http.Response
				switch {
				case tt.upload:
					var body bytes.Buffer
					mw := multipart.NewWriter(&body)
					mw.WriteField("csrf", csrfOf(t, c, base+"/targets/import"))
					for k, vs := range tt.form {
						mw.WriteField(k, vs[0])
					}
					fw, _ := mw.CreateFormFile("file", "figures.xlsx")
					fw.Write([]byte("PK\x03\x04 not read: the unit is refused first"))
					mw.Close()
					resp, _ = send(t, c, "POST", base+tt.path, mw.FormDataContentType(), body.String())
				case tt.method == "POST":
					form := url.Values{"csrf": {csrfOf(t, c, base+"/")}}
					for k, vs := range tt.form {
						form[k] = vs
					}
					resp, _ = send(t, c, "POST", base+tt.path, "application/x-www-form-urlencoded", form.Encode())
				default:
					resp, _ = send(t, c, tt.method, base+tt.path, "", "")
				}
				if resp.StatusCode != tt.status && !(tt.upload && resp.StatusCode == http.StatusUnprocessableEntity) {
					t.Fatalf("status %d, want %d", resp.StatusCode, tt.status)
				}
				entries := deniedSince(t, a, before)
				if len(entries) != 1 {
					t.Fatalf("%d denied entries, want 1: %+v", len(entries), entries)
				}
				e := entries[0]
				var why audit.Refusal
				json.Unmarshal([]byte(e.after), &why)
				wantRoute := tt.method + " " + tt.path
				if e.actor != tt.login || e.entity != tt.entity || e.entityID != tt.entityID || e.unitPath != tt.unitPath ||
					why.Route != wantRoute || why.Reason != tt.reason {
					t.Errorf("entry %+v (%+v), want actor %s, %s %s under %s, route %q, reason %s",
						e, why, tt.login, tt.entity, tt.entityID, tt.unitPath, wantRoute, tt.reason)
				}
			})
		}
	})
}

type deniedEntry struct {
	actor, entity, entityID, unitPath, after string
}

func lastAuditID(t *testing.T, a *app.App) int64 {
	t.Helper()
	var id int64
	if err := a.DB.QueryRowContext(context.Background(), `SELECT COALESCE(MAX(id), 0) FROM audit_log`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

func deniedSince(t *testing.T, a *app.App, after int64) []deniedEntry {
	t.Helper()
	rows, err := a.DB.QueryContext(context.Background(), `SELECT actor_login, entity, entity_id, unit_path, after_json FROM audit_log
		WHERE id > $1 AND action = 'denied' ORDER BY id`, after)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []deniedEntry
	for rows.Next() {
		var e deniedEntry
		if err := rows.Scan(&e.actor, &e.entity, &e.entityID, &e.unitPath, &e.after); err != nil {
			t.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}
