package app

import (
	"context"
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
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

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
	p := LoginPage{Base: a.Pages.Base(r, "auth.login.title"), Next: r.URL.Query().Get("next")}
	return a.Pages.Render(w, r, http.StatusOK, "app/login", p)
}

func (a *App) login(w http.ResponseWriter, r *http.Request) error {
	login := strings.TrimSpace(r.FormValue("login"))
	next := safeNext(r.FormValue("next"))
	u, err := a.Auth.Authenticate(r.Context(), login, r.FormValue("password"))
	if err != nil {
		pe := platform.AsError(err)
		if pe.Code != platform.Unauthorized {
			return err
		}
		audit.RecordAs(r.Context(), a.DB, nil, login, audit.Entry{Action: audit.Failed, Entity: "user", EntityID: login, After: map[string]string{"reason": pe.Key}})
		p := LoginPage{Base: a.Pages.Base(r, "auth.login.title"), Login: login, Next: next}
		p.Error = p.T(pe.Key)
		return a.Pages.Render(w, r, http.StatusUnauthorized, "app/login", p)
	}
	sess, err := a.Auth.NewSession(r.Context(), u)
	if err != nil {
		return err
	}
	ctx := auth.WithUser(r.Context(), u)
	audit.Record(ctx, a.DB, audit.Entry{Action: audit.Login, Entity: "user", EntityID: audit.ID(u.ID), UnitID: u.UnitID, UnitPath: u.UnitPath})
	a.sessions.SetCookie(w, r, sess)
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") {
		return "/"
	}
	return next
}

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
	http.SetCookie(w, &http.Cookie{Name: "lang", Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode})
	http.Redirect(w, r, safeNext(r.FormValue("next")), http.StatusSeeOther)
	return nil
}

// AuditPage lists the audit log with filters.
type AuditPage struct {
	web.Base
	Rows    []audit.Row
	Total   int
	Filter  audit.Filter
	From    string
	To      string
	Page    int
	Pages   int
	Actions []string
}

// auditFilter reads the audit list's filters from the query.
func auditFilter(q url.Values) audit.Filter {
	f := audit.Filter{Actor: strings.TrimSpace(q.Get("actor")), Action: q.Get("action"), Entity: q.Get("entity"), Limit: 50}
	if t, err := clock.ParseDate(q.Get("from")); err == nil {
		f.From = &t
	}
	if t, err := clock.ParseDate(q.Get("to")); err == nil {
		end := t.AddDate(0, 0, 1)
		f.To = &end
	}
	return f
}

// auditExport downloads the filtered audit log (up to 10,000 entries).
func (a *App) auditExport(w http.ResponseWriter, r *http.Request) error {
	f := auditFilter(r.URL.Query())
	b := a.Pages.Base(r, "nav.audit")
	t := xlsx.Table{Title: b.T("nav.audit"), Sheet: b.T("nav.audit"),
		Headers: []string{b.T("audit.when"), b.T("audit.actor"), b.T("audit.action"), b.T("audit.entity"), "ID", b.T("audit.before"), b.T("audit.after"), b.T("audit.addr")}}
	f.Limit = 500
	for len(t.Rows) < 10000 {
		rows, total, err := a.Audit.List(r.Context(), f)
		if err != nil {
			return err
		}
		for _, e := range rows {
			t.Rows = append(t.Rows, []any{e.At, e.ActorLogin, b.T("audit.action." + e.Action), e.Entity, e.EntityID, e.Before, e.After, e.RemoteAddr})
		}
		f.Offset += len(rows)
		if len(rows) == 0 || f.Offset >= total {
			break
		}
	}
	return xlsx.Serve(w, "audit.xlsx", b.T("nav.audit")+".xlsx", t)
}

func (a *App) auditPage(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := auditFilter(q)
	p := AuditPage{Base: a.Pages.Base(r, "nav.audit"), From: q.Get("from"), To: q.Get("to"),
		Actions: []string{audit.Create, audit.Update, audit.Delete, audit.Denied, audit.Login, audit.Logout, audit.Failed, audit.Import}}
	p.Page, _ = strconv.Atoi(q.Get("page"))
	if p.Page < 1 {
		p.Page = 1
	}
	f.Offset = (p.Page - 1) * f.Limit
	rows, total, err := a.Audit.List(r.Context(), f)
	if err != nil {
		return err
	}
	p.Rows, p.Total, p.Filter = rows, total, f
	p.Pages = (total + f.Limit - 1) / f.Limit
	return a.Pages.Render(w, r, http.StatusOK, "app/audit", p)
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
