// Package app assembles guatu: it opens the database, builds each room's
// store and handlers, registers their routes and wraps them in the shared
// middleware. cmd/guatu and the end-to-end tests start it the same way.
package app

import (
	"context"
	"embed"
	"errors"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"time"

	"guatu/internal/board"
	"guatu/internal/org"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	pweb "guatu/internal/platform/web"
	"guatu/internal/targets"
	"guatu/web"
)

// Version is set at build time with -ldflags "-X guatu/internal/app.Version=…".
var Version = "dev"

// Config is everything the server needs, from flags or the environment.
type Config struct {
	Addr          string // host:port to listen on
	DSN           string // sqlite:PATH or postgres://…
	DataDir       string // where the default SQLite file and backups live
	SecureCookies bool   // force the Secure flag (behind a TLS-terminating proxy)
	Log           *slog.Logger
	Clock         clock.Clock
}

// App is a running guatu: database, stores and HTTP handler.
type App struct {
	Config  Config
	DB      *db.DB
	Auth    *auth.Store
	Org     *org.Store
	Audit   *audit.Store
	Targets *targets.Store
	Bundle  *i18n.Bundle
	Pages   *pweb.Renderer
	Router  *pweb.Router
	Handler http.Handler

	sessions *pweb.Sessions
	errs     *pweb.Errors
}

//go:embed templates/*.html
var templates embed.FS

// Catalogs lists every room's messages; the i18n test checks them all.
func Catalogs() []i18n.Catalog {
	cats := []i18n.Catalog{pweb.Messages, appMessages, org.Messages, board.Messages}
	return append(cats, targets.Messages()...)
}

// Open opens and migrates the database and builds the app.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	d, err := db.Open(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	applied, err := d.Migrate(ctx)
	if err != nil {
		d.Close()
		return nil, err
	}
	if len(applied) > 0 {
		cfg.Log.Info("migrated", "applied", applied)
	}
	a, err := New(cfg, d)
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

// New builds the app on an open, migrated database.
func New(cfg Config, d *db.DB) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	a := &App{Config: cfg, DB: d}
	a.Bundle = i18n.New(Catalogs()...)
	assets, err := pweb.NewAssets(web.Static())
	if err != nil {
		return nil, err
	}
	a.Pages, err = pweb.NewRenderer(web.Layout(), assets, a.Bundle, cfg.Log)
	if err != nil {
		return nil, err
	}
	a.Pages.Version = Version
	a.Pages.Nav = []pweb.NavItem{
		{Key: "nav.board", Href: "/"},
		{Key: "nav.targets", Href: "/targets"},
		{Key: "nav.units", Href: "/units"},
		{Key: "nav.people", Href: "/people"},
		{Key: "nav.team", Href: "/team"},
		{Key: "nav.users", Href: "/users", Perm: auth.ManageUsers},
		{Key: "nav.audit", Href: "/audit", Perm: auth.ViewAudit},
	}
	for room, fsys := range map[string]fs.FS{"web": web.Layout(), "app": sub(templates), "org": org.Templates(), "target": targets.Templates(), "board": board.Templates()} {
		if err := a.Pages.AddPages(room, fsys); err != nil {
			return nil, err
		}
	}
	now := cfg.Clock.Now
	a.Auth = &auth.Store{DB: d, Now: now}
	a.Org = &org.Store{DB: d, Now: now}
	a.Audit = &audit.Store{DB: d}
	a.Targets = &targets.Store{DB: d, Now: now}
	a.errs = &pweb.Errors{Pages: a.Pages, Log: cfg.Log}
	a.sessions = &pweb.Sessions{Store: a.Auth, Errors: a.errs, SecureCookies: cfg.SecureCookies}
	a.Router = pweb.NewRouter(a.errs)
	a.routes()
	a.Handler = pweb.Logging(cfg.Log, http.MaxBytesHandler(a.sessions.Wrap(a.Router), 32<<20))
	return a, nil
}

func sub(f embed.FS) fs.FS { s, _ := fs.Sub(f, "templates"); return s }

func (a *App) routes() {
	rt := a.Router
	rt.Mount("GET /static/", a.Pages.Assets())
	rt.Public("GET /healthz", a.healthz)
	rt.Public("GET /readyz", a.readyz)
	rt.Public("GET /login", a.loginPage)
	rt.Public("POST /login", a.login)
	rt.Public("POST /logout", a.logout)
	rt.Public("POST /lang", a.setLang)
	rt.Handle("GET /audit", a.auditPage)
	rt.Handle("GET /audit.xlsx", a.auditExport)
	rt.Handle("GET /api/v1/me", a.apiMe)
	rt.Public("GET /api/v1/openapi.json", a.openAPI)
	(&org.Handlers{Store: a.Org, Pages: a.Pages, Clock: a.Config.Clock}).Routes(rt)
	(&targets.Handlers{Store: a.Targets, Pages: a.Pages, Clock: a.Config.Clock}).Routes(rt)
	(&board.Handlers{Targets: a.Targets, Org: a.Org, Pages: a.Pages, Clock: a.Config.Clock}).Routes(rt)
}

// Close releases the database.
func (a *App) Close() error { return a.DB.Close() }

// Serve listens on l until ctx is cancelled, then shuts down gracefully.
func (a *App) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.Config.Log.Handler(), slog.LevelWarn),
	}
	go a.purgeSessions(ctx)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		err := srv.Shutdown(shutCtx)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		return err
	}
}

// purgeSessions deletes expired sessions hourly. Running it on several
// instances at once is harmless: the delete is idempotent.
func (a *App) purgeSessions(ctx context.Context) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if err := a.Auth.PurgeSessions(ctx); err != nil && ctx.Err() == nil {
			a.Config.Log.Warn("purge sessions", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Messages returns the merged catalogue (for the command line's messages).
func Messages() *i18n.Bundle { return i18n.New(Catalogs()...) }
