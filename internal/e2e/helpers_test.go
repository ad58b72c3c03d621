package e2e

import (
	"context"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
)

// timeout bounds each browser test, from the browser's start to its last step.
const timeout = 60 * time.Second

// engines runs fn as a subtest per database engine: SQLite always,
// PostgreSQL when GUATU_TEST_POSTGRES is set.
func engines(t *testing.T, fn func(t *testing.T, engine db.Dialect)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, db.SQLite) })
	if dbtest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, db.Postgres) })
	}
}

// onSQLite runs fn on SQLite only, for checks of what a page looks like,
// which cannot depend on the engine behind it.
func onSQLite(t *testing.T, fn func(t *testing.T, engine db.Dialect)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, db.SQLite) })
}

// startServer serves the whole app, as cmd/guatu does, on a fresh database of
// the engine with the demo township loaded, until the test ends. It returns
// the base URL ("http://127.0.0.1:PORT") and the app, for looking into the
// database.
func startServer(t *testing.T, engine db.Dialect) (base string, a *app.App) {
	t.Helper()
	return serve(t, engine, "")
}

// startEmpty serves the whole app on a fresh, empty database of the engine,
// as a first install meets it: the first-run page /setup asks for setupCode.
func startEmpty(t *testing.T, engine db.Dialect, setupCode string) (base string, a *app.App) {
	t.Helper()
	return serve(t, engine, setupCode)
}

// serve starts the app on a fresh database; without a setup code it loads
// the demo township first.
func serve(t *testing.T, engine db.Dialect, setupCode string) (base string, a *app.App) {
	t.Helper()
	dsn := apptest.DSN(t, engine)
	ctx, cancel := context.WithCancel(context.Background())
	a, err := app.Open(ctx, app.Config{DSN: dsn, Log: slog.New(slog.DiscardHandler), SetupCode: setupCode})
	if err != nil {
		cancel()
		t.Fatalf("open app: %v", err)
	}
	if setupCode == "" {
		if _, err := demo.Load(ctx, a.DB, time.Now()); err != nil {
			cancel()
			a.Close()
			t.Fatalf("load demo: %v", err)
		}
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cancel()
		a.Close()
		t.Fatalf("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- a.Serve(ctx, l) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve: %v", err)
		}
		a.Close()
	})
	return "http://" + l.Addr().String(), a
}

// chromePath is $GUATU_CHROME, else the first browser found, else "".
func chromePath() string {
	if p := os.Getenv("GUATU_CHROME"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// newBrowser starts a headless Chromium with a fresh profile for this test
// and returns its context, limited to timeout. Without a browser the test is
// skipped, or fails when GUATU_E2E=1. When the test fails, a screenshot of
// the page is saved (see screenshot).
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	path := chromePath()
	if path == "" {
		if os.Getenv("GUATU_E2E") == "1" {
			t.Fatal("GUATU_E2E=1 but no Chromium found: install chromium")
		}
		t.Skip("no Chromium found (set GUATU_CHROME); GUATU_E2E=1 makes this a failure")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.NoSandbox, // CI runs as root, where the sandbox refuses to start
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	bctx, cancelBrowser := chromedp.NewContext(allocCtx)
	stop := func() { cancelBrowser(); cancelAlloc() }
	// The first Do starts the browser, which lives as long as bctx: it must
	// have no deadline, or the deadline would kill the browser mid-test.
	if err := chromedp.Do(bctx); err != nil {
		stop()
		t.Fatalf("start %s: %v", path, err)
	}
	t.Cleanup(stop)
	ctx, cancel := context.WithTimeout(bctx, timeout)
	t.Cleanup(cancel)
	t.Cleanup(func() { // runs first, while the browser still lives
		if t.Failed() {
			screenshot(t, ctx)
		}
	})
	return ctx
}

// screenshot saves the page as PNG in $GUATU_E2E_SHOTS, or else in a new
// folder under the system's temp folder that outlives the test, and logs its
// path, address and visible text.
func screenshot(t *testing.T, ctx context.Context) {
	t.Helper()
	// The test's context may have timed out; the browser is still there.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	dir := os.Getenv("GUATU_E2E_SHOTS")
	var err error
	if dir == "" {
		dir, err = os.MkdirTemp("", "guatu-e2e-")
	} else {
		err = os.MkdirAll(dir, 0o755)
	}
	if err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	url, _ := chromedp.Run(ctx, chromedp.Location())
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Logf("screenshot of %s: %v", url, err)
		return
	}
	file := filepath.Join(dir, strings.NewReplacer("/", "_", " ", "_").Replace(t.Name())+".png")
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("screenshot: %v", err)
		return
	}
	body, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body ? document.body.innerText : ""`))
	if r := []rune(body); len(r) > 1000 {
		body = string(r[:1000]) + "…"
	}
	t.Logf("screenshot of %s: %s\npage text:\n%s", url, file, body)
}

// do runs browser steps and fails the test, naming the step, when one fails.
func do(t *testing.T, ctx context.Context, step string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("%s: %v", step, err)
	}
}

// get runs one browser action that returns a value, failing the test on error.
func get[T any](t *testing.T, ctx context.Context, step string, a chromedp.Action[T]) T {
	t.Helper()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		t.Fatalf("%s: %v", step, err)
	}
	return v
}

// text returns the visible text of the first element matching the CSS
// selector, waiting for it to appear.
func text(t *testing.T, ctx context.Context, css string) string {
	t.Helper()
	do(t, ctx, "wait for "+css, chromedp.WaitVisible(chromedp.CSS(css)))
	return get(t, ctx, "read "+css, chromedp.Text(chromedp.CSS(css)))
}

// pagePath returns the path of the page the browser shows ("/units").
func pagePath(t *testing.T, ctx context.Context, base string) string {
	t.Helper()
	// A page that is still navigating answers "inspected target navigated or
	// closed": ask again until it has arrived.
	deadline := time.Now().Add(10 * time.Second)
	for {
		loc, err := chromedp.Run(ctx, chromedp.Location())
		if err == nil {
			return strings.TrimPrefix(loc, base)
		}
		if time.Now().After(deadline) {
			t.Fatalf("location: %v", err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// submitLogin fills in and sends the sign-in form, as a person types it.
func submitLogin(base, user, pass string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("login")),
		chromedp.SendKeys(chromedp.ID("login"), user),
		chromedp.SendKeys(chromedp.ID("password"), pass),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button[type=submit]`)),
	)
}

// login signs in through the form and waits for a signed-in page.
func login(t *testing.T, ctx context.Context, base, user, pass string) {
	t.Helper()
	do(t, ctx, "sign in as "+user, submitLogin(base, user, pass), chromedp.WaitVisible(chromedp.CSS(`[data-testid=who]`)))
}

// unitID looks up a demo unit by its name, which must be unique.
func unitID(t *testing.T, a *app.App, name string) int64 {
	t.Helper()
	var id int64
	if err := a.DB.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatalf("unit %s: %v", name, err)
	}
	return id
}
