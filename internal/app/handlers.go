package app

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
	"guatu/internal/setup"
)

// shell is the app's own room: sign-in, the language switch, the audit log,
// health checks and the API's description.
func (a *App) shell() room.Room {
	return room.Room{
		Name:      "app",
		Templates: sub(templates),
		Static:    subStatic(static),
		Messages:  []i18n.Catalog{appMessages, auditViewMessages},
		Keys:      append([]string{"audit.", "setup.", "account."}, web.MessageKeys...),
		Nav: []web.NavItem{
			{Key: "nav.audit", Href: "/audit", Perm: auth.ViewAudit, Order: 95},
			{Key: "nav.account", Href: "/account", Order: 99},
		},
		Routes:   a.routes,
		Fixtures: shellFixtures,
	}
}

func (a *App) routes(rt *web.Router, pages *web.Renderer) {
	a.loginView = web.NewPage[LoginPage](pages, "app/login")
	a.auditView = web.NewPage[AuditPage](pages, "app/audit")
	a.accountView = web.NewPage[AccountPage](pages, "app/account")
	rt.Public("GET /healthz", a.healthz)
	rt.Public("GET /readyz", a.readyz)
	rt.Public("GET /login", a.loginPage)
	rt.Public("POST /login", a.login)
	rt.Public("POST /logout", a.logout)
	rt.Public("POST /lang", a.setLang)
	firstRun := newFirstRun(a, web.NewPage[SetupPage](pages, "app/setup"))
	rt.Public("GET /setup", firstRun.page)
	rt.Public("POST /setup", firstRun.install)
	rt.Handle("GET /account", a.accountPage)
	rt.Handle("POST /account/password", a.changePassword)
	rt.Handle("POST /account/tokens/{id}/revoke", a.revokeToken)
	rt.Handle("GET /audit", a.auditPage)
	rt.Handle("GET /audit.xlsx", a.auditExport)
	rt.Handle("GET /api/v1/me", a.apiMe)
	rt.Public("GET /api/v1/openapi.json", a.openAPI)
}

func (a *App) healthz(w http.ResponseWriter, r *http.Request) error {
	return web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok", "version": Version})
}

// readyz answers 200 only while the database answers.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := a.DB.PingContext(ctx); err != nil {
		return web.WriteJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "database unavailable"})
	}
	return web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "database": string(a.DB.Dialect)})
}

// LoginPage is the sign-in form.
type LoginPage struct {
	web.Base
	Login string
	Next  string
	Error string
}

func (a *App) loginPage(w http.ResponseWriter, r *http.Request) error {
	if auth.FromContext(r.Context()) != nil {
		http.Redirect(w, r, safeNext(r.URL.Query().Get("next")), http.StatusSeeOther)
		return nil
	}
	// Until the first administrator exists there is nobody to sign in as:
	// "/" comes here, and goes on to the first-run page.
	needed, err := setup.Needed(r.Context(), a.DB)
	if err != nil {
		return err
	}
	if needed {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return nil
	}
	p := LoginPage{Base: a.Pages.Base(r, "auth.login.title"), Next: r.URL.Query().Get("next")}
	return a.loginView.Render(w, r, http.StatusOK, p)
}

func (a *App) login(w http.ResponseWriter, r *http.Request) error {
	login := strings.TrimSpace(r.FormValue("login"))
	next := safeNext(r.FormValue("next"))
	u, err := a.Auth.Authenticate(r.Context(), login, r.FormValue("password"))
	if err != nil {
		p := LoginPage{Base: a.Pages.Base(r, "auth.login.title"), Login: login, Next: next}
		var re *auth.RetryError
		if errors.As(err, &re) {
			// Turned away before any check: not audited, or a flood would
			// write the audit log full.
			p.Error = p.T(re.Key(), retryAfter(w, re))
			return a.loginView.Render(w, r, retryStatus(re), p)
		}
		pe := platform.AsError(err)
		if pe.Code != platform.Unauthorized {
			return err
		}
		// The page says only 账号或密码错误; the log says why.
		reason := pe.Key
		var why *auth.Refused
		if errors.As(err, &why) {
			reason = why.Reason
		}
		audit.RecordAs(r.Context(), a.DB, nil, login, audit.Entry{Action: audit.Failed, Entity: "user", EntityID: login, After: map[string]string{"reason": reason}})
		p.Error = p.T(pe.Key)
		return a.loginView.Render(w, r, http.StatusUnauthorized, p)
	}
	// A new sign-in ends the session this browser carried, whoever's it was.
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		if err := a.Auth.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	sess, err := a.Auth.NewSession(r.Context(), u)
	if err != nil {
		return err
	}
	ctx := auth.WithUser(r.Context(), u)
	audit.Record(ctx, a.DB, audit.Entry{Action: audit.Login, Entity: "user", EntityID: audit.ID(u.ID), UnitID: u.UnitID, UnitPath: u.UnitPath})
	a.sessions.SetCookie(w, r, sess)
	last, err := a.Auth.PreviousLogin(ctx, u.ID)
	if err != nil {
		return err
	}
	// The first page says when and where the account last signed in, and
	// how often a wrong password was typed since.
	switch {
	case u.MustChange:
		next = "/account"
	case last.At != nil:
		at, addr := last.At.In(clock.Beijing).Format("2006-01-02 15:04"), last.Addr
		if addr == "" {
			addr = "—"
		}
		if last.Failed > 0 {
			web.SetFlash(w, "account.flash.failed_since", at, addr, strconv.Itoa(last.Failed))
		} else {
			web.SetFlash(w, "account.flash.welcome_back", at, addr)
		}
	case last.Failed > 0:
		web.SetFlash(w, "account.flash.failed_first", strconv.Itoa(last.Failed))
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// safeNext keeps a post-login redirect on this site: only a path of this
// origin ("/units?x=1") passes; anything a browser could read as another
// host ("//host", "/\host", a scheme, a backslash or control character
// anywhere, or such a path once decoded: "/%2F%2Fhost") becomes "/".
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || next[0] != '/' || (len(next) > 1 && next[1] == '/') {
		return "/"
	}
	if strings.ContainsFunc(next, unsafeInPath) {
		return "/"
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.Opaque != "" || u.User != nil ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.ContainsFunc(u.Path, unsafeInPath) {
		return "/"
	}
	return next
}

// unsafeInPath: a backslash (browsers read it as a slash) or a control
// character (browsers drop tabs and newlines, joining what they split).
func unsafeInPath(c rune) bool { return c == '\\' || c < 0x20 || c == 0x7f }

func (a *App) logout(w http.ResponseWriter, r *http.Request) error {
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		if u := auth.FromContext(r.Context()); u != nil {
			audit.Record(r.Context(), a.DB, audit.Entry{Action: audit.Logout, Entity: "user", EntityID: audit.ID(u.ID), UnitID: u.UnitID, UnitPath: u.UnitPath})
		}
		if err := a.Auth.EndSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	a.sessions.ClearCookie(w, r)
	web.SetFlash(w, "auth.flash.logged_out")
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

// setLang switches the language: stored on the account when signed in, in a
// cookie otherwise.
func (a *App) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := i18n.Parse(r.FormValue("lang"))
	if u := auth.FromContext(r.Context()); u != nil {
		if err := a.Auth.SetLang(r.Context(), u.ID, lang); err != nil {
			return err
		}
	}
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, Secure: a.sessions.Secure(r), SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
	return nil
}

// auditList is the audit log's list: who, what, which entity, when.
var auditList = &web.ListSpec{
	Path: "/audit",
	Filters: []web.ListFilter{
		{Name: "actor", Kind: web.FilterText},
		{Name: "action", Kind: web.FilterChoice, Choices: auditActions},
		{Name: "entity", Kind: web.FilterText},
		{Name: "from", Kind: web.FilterDate},
		{Name: "to", Kind: web.FilterDate},
	},
	Sorts: audit.Sorts,
}

var auditActions = []string{audit.Create, audit.Update, audit.Delete, audit.Denied, audit.Login, audit.Logout, audit.Failed, audit.Import}

// auditColumns are the audit list's columns, on the page and in the export:
// the object by kind and name, the changes as "字段：旧 → 新" lines.
var auditColumns = []web.Column[AuditEntry]{
	{Key: "audit.when", Sort: "at", Page: true, Value: func(e AuditEntry) any { return e.At }},
	{Key: "audit.actor", Sort: "actor", Page: true, Value: func(e AuditEntry) any { return e.ActorLogin }},
	{Key: "audit.action", Sort: "action", Page: true, Value: func(e AuditEntry) any { return e.Action }},
	{Key: "audit.entity", Sort: "entity", Page: true, Value: func(e AuditEntry) any { return e.Kind }},
	{Key: "audit.object", Value: func(e AuditEntry) any { return e.Name }},
	{Key: "audit.entity_id", Value: func(e AuditEntry) any { return e.EntityID }},
	{Key: "audit.changes", Page: true, Value: func(e AuditEntry) any { return e.lines }},
	{Key: "audit.addr", Page: true, Value: func(e AuditEntry) any { return e.RemoteAddr }},
}

// AuditPage lists the audit log with filters.
type AuditPage struct {
	web.Base
	List    *web.List
	Heads   []web.SortHead
	Rows    []AuditEntry
	Actions []string
	Kinds   []string // the entity kinds to filter by
}

// auditFilter reads the audit list's filters.
func auditFilter(l *web.List) audit.Filter {
	f := audit.Filter{Actor: l.Get("actor"), Action: l.Get("action"), Entity: l.Get("entity")}
	if t, err := clock.ParseDate(l.Get("from")); err == nil {
		f.From = &t
	}
	if t, err := clock.ParseDate(l.Get("to")); err == nil {
		end := t.AddDate(0, 0, 1)
		f.To = &end
	}
	return f
}

// auditExportMax bounds the audit download.
const auditExportMax = 10000

// auditExport downloads the filtered audit log (up to 10,000 entries).
func (a *App) auditExport(w http.ResponseWriter, r *http.Request) error {
	l, err := auditList.Parse(r)
	if err != nil {
		return err
	}
	rows, err := a.Audit.List(r.Context(), auditFilter(l), l.All(auditExportMax))
	if err != nil {
		return err
	}
	b := a.Pages.Base(r, "nav.audit")
	entries, err := a.auditReader.entries(r.Context(), b.Lang, rows)
	if err != nil {
		return err
	}
	for i, e := range entries {
		entries[i].Action = b.T("audit.action." + e.Action)
		lines := make([]string, len(e.Changes))
		for j, c := range e.Changes {
			lines[j] = c.Line(b.T)
		}
		entries[i].lines = strings.Join(lines, "\n")
	}
	return xlsx.ServeList(w, b, "audit.xlsx", b.T("nav.audit"), b.T("nav.audit"), auditColumns, entries)
}

func (a *App) auditPage(w http.ResponseWriter, r *http.Request) error {
	l, err := auditList.Parse(r)
	if err != nil {
		return err
	}
	rows, err := a.Audit.List(r.Context(), auditFilter(l), l)
	if err != nil {
		return err
	}
	p := AuditPage{Base: a.Pages.Base(r, "nav.audit"), List: l, Actions: auditActions, Kinds: a.auditReader.kinds()}
	if p.Rows, err = a.auditReader.entries(r.Context(), p.Lang, rows); err != nil {
		return err
	}
	p.Heads = web.Heads(l, p.Base, auditColumns)
	return a.auditView.Render(w, r, http.StatusOK, p)
}

// Me is the signed-in account as the API shows it.
type Me struct {
	ID       int64     `json:"id"`
	Login    string    `json:"login"`
	Name     string    `json:"name"`
	Role     auth.Role `json:"role"`
	UnitID   int64     `json:"unit_id"`
	UnitName string    `json:"unit_name"`
	Lang     string    `json:"lang"`
}

func (a *App) apiMe(w http.ResponseWriter, r *http.Request) error {
	u := auth.FromContext(r.Context())
	return web.WriteJSON(w, http.StatusOK, Me{ID: u.ID, Login: u.Login, Name: u.DisplayName(), Role: u.Role, UnitID: u.UnitID, UnitName: u.UnitName, Lang: string(u.Lang)})
}
