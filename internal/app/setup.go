package app

import (
	"context"
	"crypto/subtle"
	"net/http"
	"strings"
	"sync"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/web"
	"guatu/internal/setup"
)

// maxCodeTries is how many wrong setup codes the first-run page takes
// before it refuses every code until the server restarts (with a new code).
const maxCodeTries = 10

// SetupPage is the first-run page: the one-time setup code, the district,
// its townships and the first administrator.
type SetupPage struct {
	web.Base
	Form        web.FormView
	MinPassword int
}

// firstRun serves /setup while the database has no administrator, to
// whoever types the code the server printed on its console at start.
type firstRun struct {
	app  *App
	view *web.Page[SetupPage]
	code string // normalised; "" when none was printed, and then no code opens the page

	mu     sync.Mutex
	wrong  int
	locked bool
}

func newFirstRun(a *App, view *web.Page[SetupPage]) *firstRun {
	return &firstRun{app: a, view: view, code: setup.NormalCode(a.Config.SetupCode)}
}

// open answers not found once any administrator exists, on every instance
// (it asks the database each time, not a flag of this process), and
// forbidden after too many wrong codes.
func (f *firstRun) open(ctx context.Context) error {
	needed, err := setup.Needed(ctx, f.app.DB)
	if err != nil {
		return err
	}
	if !needed {
		return platform.ErrNotFound
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.locked {
		return platform.Errorf(platform.Forbidden, "setup.err.locked")
	}
	return nil
}

// try compares a typed code with the printed one in constant time and
// counts the misses.
func (f *firstRun) try(typed string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.locked {
		return platform.Errorf(platform.Forbidden, "setup.err.locked")
	}
	if f.code != "" && subtle.ConstantTimeCompare([]byte(setup.NormalCode(typed)), []byte(f.code)) == 1 {
		return nil
	}
	f.wrong++
	if f.wrong >= maxCodeTries {
		f.locked = true
		return platform.Errorf(platform.Forbidden, "setup.err.locked")
	}
	return &platform.Error{Code: platform.Forbidden, Key: "setup.err.bad_code", Args: []any{maxCodeTries - f.wrong}, Field: "code"}
}

func (f *firstRun) page(w http.ResponseWriter, r *http.Request) error {
	if err := f.open(r.Context()); err != nil {
		return err
	}
	return f.render(w, r, http.StatusOK, web.FormView{})
}

func (f *firstRun) render(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	p := SetupPage{Base: f.app.Pages.Base(r, "setup.title"), Form: fv, MinPassword: auth.MinPasswordLen}
	return f.view.Render(w, r, status, p)
}

// readSetup takes the page's fields. Passwords are not trimmed (spaces may
// be part of one) and not sent back.
func readSetup(r *http.Request, f *web.Form) setup.Input {
	f.String("code", true, 40)
	in := setup.Input{
		District:  f.String("district", true, 0),
		Townships: strings.Split(f.String("townships", true, 0), "\n"),
		Login:     f.String("login", true, 0),
		Password:  r.FormValue("password"),
	}
	switch {
	case in.Password == "":
		f.Add(platform.FieldError("password", "form.err.required"))
	case in.Password != r.FormValue("password2"):
		f.Add(platform.FieldError("password2", "org.err.password_mismatch"))
	}
	return in
}

// install checks the code first (a wrong one is all the answer says), then
// installs through the one form path, signs the new administrator in and
// sends them to the units page with a flash.
func (f *firstRun) install(w http.ResponseWriter, r *http.Request) error {
	if err := f.open(r.Context()); err != nil {
		return err
	}
	if err := f.try(r.FormValue("code")); err != nil {
		pe := platform.AsError(err)
		f.app.Config.Log.Warn("first install: wrong setup code", "remote", auth.RemoteAddr(r.Context()), "err", pe.Key)
		if pe.Field == "" {
			return err
		}
		form := web.NewForm(r)
		readSetup(r, form)
		b := f.app.Pages.Base(r, "")
		fv := web.FormView{Values: form.Values, Errors: map[string]string{"code": b.T(pe.Key, pe.Args...)}}
		return f.render(w, r, http.StatusForbidden, fv)
	}
	var in setup.Input
	return web.Submit(w, r, f.app.Pages, web.Submission{
		Read: func(form *web.Form) { in = readSetup(r, form) },
		Do: func(ctx context.Context) (string, error) {
			res, err := setup.Install(ctx, f.app.DB, in)
			if err != nil {
				return "", err
			}
			f.app.Config.Log.Info("first install", "district", res.District.Name, "townships", len(res.Townships), "admin", in.Login)
			return "/units", f.signIn(w, r, res.AdminID)
		},
		Again: func(status int, fv web.FormView) error { return f.render(w, r, status, fv) },
		Flash: "setup.flash.done",
	})
}

// signIn starts the new administrator's session, as POST /login would.
func (f *firstRun) signIn(w http.ResponseWriter, r *http.Request, id int64) error {
	a := f.app
	u, err := a.Auth.UserByID(r.Context(), id)
	if err != nil {
		return err
	}
	sess, err := a.Auth.NewSession(r.Context(), u)
	if err != nil {
		return err
	}
	ctx := auth.WithUser(r.Context(), u)
	audit.Record(ctx, a.DB, audit.Entry{Action: audit.Login, Entity: "user", EntityID: audit.ID(u.ID), UnitID: u.UnitID, UnitPath: u.UnitPath})
	a.sessions.SetCookie(w, r, sess)
	return nil
}
