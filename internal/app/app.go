// Package app assembles guatu: it opens the database, builds the list of
// rooms, applies their migrations, parses their pages and registers their
// routes behind the shared middleware. cmd/guatu and the end-to-end tests
// start it the same way.
package app

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"runtime"
	"sort"
	"sync"
	"time"

	"guatu/internal/board"
	"guatu/internal/org"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/files"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/jobs"
	"guatu/internal/platform/notify"
	"guatu/internal/platform/room"
	pweb "guatu/internal/platform/web"
	"guatu/internal/project"
	"guatu/internal/targets"
	"guatu/internal/work"
	"guatu/web"
)

// Version is set at build time with -ldflags "-X guatu/internal/app.Version=…".
var Version = "dev"

// Config is everything the server needs, from flags or the environment.
type Config struct {
	Addr          string // host:port to listen on
	DSN           string // sqlite:PATH or postgres://…
	DataDir       string // where the default SQLite file, backups and uploaded files (files/) live
	SecureCookies bool   // force the Secure flag and HSTS (behind a TLS-terminating proxy)
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client (see web.Sessions).
	TrustedProxies []netip.Prefix
	// IdleTimeout and MaxSessionAge end a browser's session after so long
	// unused and so long after sign-in (zero: 30 min and 12 h);
	// PasswordMaxAge is how long a password lasts (zero: 90 days;
	// negative: forever).
	IdleTimeout    time.Duration
	MaxSessionAge  time.Duration
	PasswordMaxAge time.Duration
	Log            *slog.Logger
	Clock          clock.Clock
	// Setup runs once the schema is migrated, under the same start-up lock
	// (the demo load, the first install), so that several instances starting
	// at once on one PostgreSQL take turns.
	Setup func(ctx context.Context, d *db.DB) error
	// SetupCode is the one-time code that opens the first-run page
	// (/setup) while no administrator exists; serve prints it on its
	// console and it lives only in memory. Empty: no code opens the page.
	SetupCode string
	// FileLimit is the largest file an upload may bring, in bytes (zero:
	// files.DefaultLimit, 20 MiB).
	FileLimit int64
}

// App is a running guatu: database, stores, rooms and HTTP handler.
type App struct {
	Config  Config
	DB      *db.DB
	Auth    *auth.Store
	Org     *org.Store
	Audit   *audit.Store
	Targets *targets.Store
	Work    *work.Store
	Project *project.Store
	Files   *files.Files
	Notify  *notify.Store
	// Sender delivers the outbox to the group robots; Serve runs it
	// every notify.SendEvery.
	Sender  *notify.Sender
	Rooms   []room.Room
	Bundle  *i18n.Bundle
	Pages   *pweb.Renderer
	Router  *pweb.Router
	Handler http.Handler

	sessions    *pweb.Sessions
	errs        *pweb.Errors
	jobs        jobs.Runner
	workers     sync.WaitGroup
	loginView   *pweb.Page[LoginPage]
	auditView   *pweb.Page[AuditPage]
	accountView *pweb.Page[AccountPage]
	auditReader auditReader
	tempFiles   string // the file store's folder when there is no data folder
}

// stores builds the stores every room shares, on d (nil for a schema-only
// reading of the rooms).
func (a *App) stores(env room.Env) {
	a.Auth = &auth.Store{DB: env.DB, Now: env.Now}
	a.Org = &org.Store{DB: env.DB, Now: env.Now}
	a.Audit = &audit.Store{DB: env.DB}
	a.Targets = &targets.Store{DB: env.DB, Now: env.Now, Org: a.Org}
	a.Work = &work.Store{DB: env.DB, Now: env.Now, Org: a.Org}
	a.Project = &project.Store{DB: env.DB, Now: env.Now, Org: a.Org}
	a.Notify = &notify.Store{DB: env.DB, Now: env.Now}
}

// rooms is the list of rooms, in navigation order's spirit: adding a room is
// one line here.
func (a *App) rooms(env room.Env) []room.Room {
	return []room.Room{
		a.shell(),
		org.Room(a.Org),
		targets.Room(a.Targets),
		board.Room(a.Targets, a.Org, a.Work),
		work.Room(a.Work),
		project.Room(a.Project),
		notify.Room(a.Notify),
		jobs.Room(env.DB),
	}
}

// carry has the org store run every room's hook on a change to the tree.
func (a *App) carry() {
	for _, rm := range a.Rooms {
		if rm.UnitsChanged != nil {
			a.Org.UnitsChanged = append(a.Org.UnitsChanged, rm.UnitsChanged)
		}
	}
}

// OrgStore returns an org store on d that carries every room's rows along a
// change to the tree, as the server's does: for the command line.
func OrgStore(d *db.DB) *org.Store {
	a := &App{}
	env := room.Env{DB: d}
	a.stores(env)
	a.Rooms = a.rooms(env)
	a.carry()
	return a.Org
}

// Schema returns the migrations of the platform and every room, in no
// particular order (their numbers order them).
func Schema() []db.Migrations {
	a := &App{}
	a.stores(room.Env{})
	return append([]db.Migrations{db.PlatformMigrations()}, room.Migrations(a.rooms(room.Env{}))...)
}

// Migrate applies the schema's migrations not yet applied to d, then lets
// each room whose migrations were among them bring its kept rows up to date
// (room.Room.Migrated), and gives an installed system the indicators added
// to the default catalogue since its installation (with their sub-items and
// aliases), which need no migration of their own. Call it inside d.Locked;
// it returns the names applied.
func Migrate(ctx context.Context, d *db.DB) ([]string, error) {
	applied, err := d.Migrate(ctx, Schema())
	if err != nil {
		return applied, err
	}
	if len(applied) > 0 {
		a := &App{}
		env := room.Env{DB: d}
		a.stores(env)
		if err := room.AfterMigrate(ctx, a.rooms(env), applied); err != nil {
			return applied, err
		}
	}
	return applied, (&targets.Store{DB: d}).UpgradeCatalog(ctx)
}

// Open opens and migrates the database, runs cfg.Setup, and builds the app.
func Open(ctx context.Context, cfg Config) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	d, err := db.Open(ctx, cfg.DSN)
	if err != nil {
		return nil, err
	}
	err = d.Locked(ctx, func() error {
		applied, err := Migrate(ctx, d)
		if err != nil {
			return err
		}
		if len(applied) > 0 {
			cfg.Log.Info("migrated", "applied", applied)
		}
		if cfg.Setup != nil {
			return cfg.Setup(ctx, d)
		}
		return nil
	})
	if err != nil {
		d.Close()
		return nil, err
	}
	a, err := New(cfg, d)
	if err != nil {
		d.Close()
		return nil, err
	}
	return a, nil
}

// New builds the app on an open, migrated database. A room whose pages,
// routes or static files cannot be registered stops it with the room's name.
func New(cfg Config, d *db.DB) (*App, error) {
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	if cfg.Clock == nil {
		cfg.Clock = clock.System{}
	}
	a := &App{Config: cfg, DB: d}
	env := room.Env{DB: d, Clock: cfg.Clock, Log: cfg.Log}
	a.stores(env)
	a.Auth.IdleTimeout, a.Auth.MaxSessionAge, a.Auth.PasswordMaxAge = cfg.IdleTimeout, cfg.MaxSessionAge, cfg.PasswordMaxAge
	// Every signed-in request reads the org tree's version with its session,
	// so a read-only one needs no query of its own to trust the kept tree.
	a.Auth.Probe = org.VersionProbe
	if err := a.openFiles(); err != nil {
		return nil, err
	}
	a.Rooms = a.rooms(env)
	if err := room.Check(a.Rooms); err != nil {
		return nil, err
	}
	a.carry()
	a.Bundle = i18n.New(append(pweb.Catalogs(), room.Catalogs(a.Rooms)...)...)
	a.auditReader = auditReader{bundle: a.Bundle, namers: room.AuditNamers(a.Rooms), values: room.AuditValues(a.Rooms), omit: room.AuditOmit(a.Rooms)}
	assets, err := pweb.NewAssets(web.Static())
	if err != nil {
		return nil, err
	}
	a.Pages, err = pweb.NewRenderer(web.Layout(), assets, a.Bundle, cfg.Log, auth.Permissions)
	if err != nil {
		return nil, err
	}
	a.Pages.Version = Version
	a.Pages.Unread = a.Notify.Unread
	if err := a.Pages.AddPages("web", web.Layout()); err != nil {
		return nil, err
	}
	for _, rm := range a.Rooms {
		if rm.Templates != nil {
			if err := a.Pages.AddPages(rm.Name, rm.Templates); err != nil {
				return nil, fmt.Errorf("room %s: %w", rm.Name, err)
			}
		}
		if rm.Static != nil {
			if err := assets.Add(rm.Name, rm.Static); err != nil {
				return nil, fmt.Errorf("room %s: %w", rm.Name, err)
			}
		}
		a.Pages.Nav = append(a.Pages.Nav, rm.Nav...)
	}
	sort.SliceStable(a.Pages.Nav, func(i, j int) bool { return a.Pages.Nav[i].Order < a.Pages.Nav[j].Order })
	a.errs = &pweb.Errors{Pages: a.Pages, Log: cfg.Log, Audit: a.DB}
	a.sessions = &pweb.Sessions{Store: a.Auth, Errors: a.errs, SecureCookies: cfg.SecureCookies, TrustedProxies: cfg.TrustedProxies}
	a.Router = pweb.NewRouter(a.errs)
	a.Router.ForRoom("web").Mount("GET /static/", a.Pages.Assets())
	for _, rm := range a.Rooms {
		if rm.Routes == nil {
			continue
		}
		if err := mount(rm, a.Router.ForRoom(rm.Name), a.Pages); err != nil {
			return nil, err
		}
	}
	if err := a.Router.Err(); err != nil {
		return nil, err
	}
	// Outside in: the request log (which counts the bytes sent and turns a
	// panic into a logged 500), the turns to compute (see web.Turns),
	// compression, the guard (body limits, one parse of the form, text that
	// is UTF-8 without NUL), the session and CSRF check, the forced password
	// change, then one reading of the caller's scope per request.
	a.Handler = pweb.Logging(cfg.Log, pweb.Turns(readTurns(d), writeTurns(d), a.errs, pweb.Compress(pweb.Guard(a.errs, a.sessions.Wrap(a.mustChange(scopeMemo(a.Router)))))))
	// Background jobs, run by Serve.
	// Each periodic job runs once per slot across instances (platform/jobs);
	// the sender claims its own outbox rows, so every instance runs it.
	a.jobs.DB, a.jobs.Now, a.jobs.Log = d, env.Now, cfg.Log
	a.jobs.Every("purge expired sessions", time.Hour, a.Auth.PurgeSessions)
	a.jobs.Every("drop stale imports", time.Hour, func(ctx context.Context) error {
		_, err := a.Targets.DropStaleImports(ctx)
		return err
	})
	a.jobs.Every("drop stale task imports", time.Hour, func(ctx context.Context) error {
		_, err := a.Work.DropStaleImports(ctx)
		return err
	})
	a.jobs.Every("drop stale project imports", time.Hour, func(ctx context.Context) error {
		_, err := a.Project.DropStaleImports(ctx)
		return err
	})
	// Cards go up soon after a deadline day ends in Beijing, and come down
	// with the task closed by whatever means.
	a.jobs.Every("raise and take down warning cards", 10*time.Minute, func(ctx context.Context) error {
		_, err := a.Work.Sweep(ctx)
		return err
	})
	// An unanswered reminder climbs the ladder after the township's days.
	a.jobs.Every("climb unanswered reminders", 10*time.Minute, func(ctx context.Context) error {
		_, err := a.Work.Escalate(ctx)
		return err
	})
	// Each township's daily digest is queued once its time has passed, and
	// sent once whichever instance runs it (work/digest.go).
	a.jobs.Every("schedule daily digests", time.Minute, a.Work.ScheduleDigests)
	a.jobs.Handle(work.DigestJob, a.Work.SendDigest)
	a.Sender = notify.NewSender(d, env.Now, cfg.Log)
	a.jobs.EveryInstance("send notifications", notify.SendEvery, a.Sender.Run)
	return a, nil
}

// readTurns is how many reads compute at once: on SQLite a core's worth,
// so that the one writer holding the write lock is not starved of CPU by a
// crowd of readers; on PostgreSQL, where a read spends much of its time
// waiting for the server, four times as many keep the cores busy.
func readTurns(d *db.DB) int {
	if d.Dialect == db.SQLite {
		return runtime.GOMAXPROCS(0)
	}
	return 4 * runtime.GOMAXPROCS(0)
}

// writeTurns is how many writing requests compute at once: as many as the
// database takes writes at once (db.WriteTurns), and a few more to read
// what they need before their turn comes.
func writeTurns(d *db.DB) int { return d.WriteTurns() + 2 }

// scopeMemo lets every room's reads in one request share one reading of the
// caller's scope (org.Store.Scope).
func scopeMemo(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(org.WithScopeMemo(r.Context())))
	})
}

// mount runs a room's Routes, turning a page looked up that does not exist
// (web.NewPage panics) into an error naming the room.
func mount(rm room.Room, rt *pweb.Router, pages *pweb.Renderer) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("room %s: %v", rm.Name, p)
		}
	}()
	rm.Routes(rt, pages)
	return nil
}

//go:embed templates/*.html
var templates embed.FS

func sub(f embed.FS) fs.FS { s, _ := fs.Sub(f, "templates"); return s }

//go:embed static/*.css
var static embed.FS

func subStatic(f embed.FS) fs.FS { s, _ := fs.Sub(f, "static"); return s }

// Close releases the database.
func (a *App) Close() error { a.dropTempFiles(); return a.DB.Close() }

// Serve listens on l until ctx is cancelled, then shuts down gracefully: the
// server stops taking requests and finishes the ones under way, then the
// background workers are stopped and awaited.
func (a *App) Serve(ctx context.Context, l net.Listener) error {
	srv := &http.Server{
		Handler:           a.Handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(a.Config.Log.Handler(), slog.LevelWarn),
	}
	workCtx, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer a.workers.Wait()
	defer stopWork()
	a.worker(workCtx, a.jobs.Run)
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

// RunDueJobs does once what the background jobs have due now (see
// jobs.Runner.RunDue), without serving.
func (a *App) RunDueJobs(ctx context.Context) { a.jobs.RunDue(ctx) }

// worker runs fn in the background until ctx ends; Serve awaits it.
func (a *App) worker(ctx context.Context, fn func(context.Context)) {
	a.workers.Add(1)
	go func() {
		defer a.workers.Done()
		fn(ctx)
	}()
}

// Messages returns the merged catalogue (for the command line's messages).
func Messages() *i18n.Bundle {
	a := &App{}
	a.stores(room.Env{})
	return i18n.New(append(pweb.Catalogs(), room.Catalogs(a.rooms(room.Env{}))...)...)
}
