package app

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/web"
)

// AccountPage is the signed-in person's own account (我的账户): the sign-in
// before this one, the password change, and their API tokens (never the
// secrets).
type AccountPage struct {
	web.Base
	Last        auth.LastLogin
	LastAddr    string // Last.Addr, or a dash when unknown
	Tokens      []auth.Token
	Password    web.FormView
	MinPassword int
	now         time.Time
}

// Expired reports whether a token has run out (it answers 401 until
// revoked).
func (p AccountPage) Expired(t auth.Token) bool { return !t.Expires.After(p.now) }

func (a *App) accountPage(w http.ResponseWriter, r *http.Request) error {
	return a.renderAccount(w, r, http.StatusOK, web.FormView{})
}

func (a *App) renderAccount(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	u := auth.FromContext(r.Context())
	p := AccountPage{Base: a.Pages.Base(r, "account.title"), Password: fv, MinPassword: auth.MinPasswordLen, now: a.Config.Clock.Now()}
	var err error
	if p.Last, err = a.Auth.PreviousLogin(r.Context(), u.ID); err != nil {
		return err
	}
	p.LastAddr = p.Last.Addr
	if p.LastAddr == "" {
		p.LastAddr = "—"
	}
	if p.Tokens, err = a.Auth.Tokens(r.Context(), u.ID); err != nil {
		return err
	}
	return a.accountView.Render(w, r, status, p)
}

// changePassword is the person's own change: the old password, the new one
// twice. Every other session and every token end; this one stays.
func (a *App) changePassword(w http.ResponseWriter, r *http.Request) error {
	var old, pw string
	keep := ""
	if c, err := r.Cookie(web.SessionCookie); err == nil {
		keep = c.Value
	}
	err := web.Submit(w, r, a.Pages, web.Submission{
		Read: func(f *web.Form) {
			old = r.FormValue("old_password") // not trimmed: spaces may be part of it
			pw = r.FormValue("password")
			switch {
			case old == "":
				f.Add(platform.FieldError("old_password", "form.err.required"))
			case pw == "":
				f.Add(platform.FieldError("password", "form.err.required"))
			case pw != r.FormValue("password2"):
				f.Add(platform.FieldError("password2", "org.err.password_mismatch"))
			}
		},
		Do: func(ctx context.Context) (string, error) {
			return "/", a.Org.ChangeOwnPassword(ctx, old, pw, keep)
		},
		Again: func(status int, fv web.FormView) error { return a.renderAccount(w, r, status, fv) },
		Flash: "account.flash.password_changed",
	})
	var re *auth.RetryError
	if errors.As(err, &re) {
		b := a.Pages.Base(r, "")
		secs := retryAfter(w, re)
		return a.renderAccount(w, r, retryStatus(re), web.FormView{Errors: map[string]string{"_": b.T(re.Key(), secs)}})
	}
	return err
}

// revokeToken deletes one of the person's own tokens.
func (a *App) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	u := auth.FromContext(r.Context())
	if err := a.Auth.RevokeToken(r.Context(), u.ID, id); err != nil {
		return err
	}
	if err := audit.Record(r.Context(), a.DB, audit.Entry{Action: audit.Delete, Entity: "api_token", EntityID: audit.ID(id), UnitID: u.UnitID, UnitPath: u.UnitPath}); err != nil {
		return err
	}
	web.SetFlash(w, "account.flash.token_revoked")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

// retryAfter sets Retry-After for a turned-away sign-in and returns it in
// whole seconds (one at least).
func retryAfter(w http.ResponseWriter, re *auth.RetryError) int {
	secs := max(1, int(math.Ceil(re.After.Seconds())))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}

// retryStatus is 503 when the server was busy, 429 when the address tried
// too often.
func retryStatus(re *auth.RetryError) int {
	if re.Busy {
		return http.StatusServiceUnavailable
	}
	return http.StatusTooManyRequests
}

// mustChange keeps a person whose password must change (an administrator
// set it, or it expired) on their account page until they have changed
// it: pages redirect there and the API answers 403. Signing out, the
// language switch and static files stay open.
func (a *App) mustChange(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u := auth.FromContext(r.Context())
		if u == nil || !u.MustChange || openWhileMustChange(r) {
			h.ServeHTTP(w, r)
			return
		}
		if web.IsAPI(r) {
			a.errs.Render(w, r, platform.Errorf(platform.Forbidden, "account.err.must_change"))
			return
		}
		http.Redirect(w, r, "/account", http.StatusSeeOther)
	})
}

func openWhileMustChange(r *http.Request) bool {
	switch r.Method + " " + r.URL.Path {
	case "GET /account", "POST /account/password", "POST /logout", "POST /lang", "GET /healthz", "GET /readyz":
		return true
	}
	return r.Method == http.MethodGet && strings.HasPrefix(r.URL.Path, "/static/")
}
