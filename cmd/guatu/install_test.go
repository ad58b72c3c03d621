package main

import (
	"bytes"
	"io"
	"maps"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
)

// readmeSection returns the code lines (indented four spaces or more) of
// the README section headed title, up to the next heading.
func readmeSection(t *testing.T, title string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	in := false
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "#") {
			if in {
				break
			}
			in = strings.TrimSpace(strings.TrimLeft(l, "#")) == title
			continue
		}
		if in && strings.HasPrefix(l, "    ") && strings.TrimSpace(l) != "" {
			lines = append(lines, strings.TrimSpace(l))
		}
	}
	if len(lines) == 0 {
		t.Fatalf("README.md has no commands under %q", title)
	}
	return lines
}

// syncBuffer collects a process's output while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// process is a guatu started by a test, stopped with SIGTERM at cleanup.
type process struct {
	cmd            *exec.Cmd
	stdout, stderr *syncBuffer
	done           chan error
}

// start runs cmd in the background.
func start(t *testing.T, cmd *exec.Cmd) *process {
	t.Helper()
	p := &process{cmd: cmd, stdout: &syncBuffer{}, stderr: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stdout, cmd.Stderr = p.stdout, p.stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.done <- cmd.Wait() }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop ends the process as a service manager would and waits for it.
func (p *process) stop(t *testing.T) {
	if p.cmd.ProcessState != nil {
		return
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(20 * time.Second):
		p.cmd.Process.Kill()
		t.Errorf("guatu did not stop within 20s of SIGTERM")
	}
}

// waitHealthy waits until the server at base answers /healthz.
func (p *process) waitHealthy(t *testing.T, base string) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		select {
		case err := <-p.done:
			p.done <- err
			t.Fatalf("guatu ended before answering /healthz: %v\nstdout:\n%s\nstderr:\n%s", err, p.stdout, p.stderr)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/healthz never answered: %v\nstderr:\n%s", base, err, p.stderr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// mustBuild builds the guatu binary into a temporary folder.
func mustBuild(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "guatu")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// visitor signs in and reads pages over HTTP as a browser does.
type visitor struct {
	t    *testing.T
	base string
	c    *http.Client
}

var csrfField = regexp.MustCompile(`name="csrf" value="([0-9a-z]+)"`)

func newVisitor(t *testing.T, base string) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, base: base, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

func (v *visitor) get(path string) (int, string) {
	v.t.Helper()
	resp, err := v.c.Get(v.base + path)
	if err != nil {
		v.t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends form to path with the CSRF token of the page at from (its
// cookie set by the GET), and returns the status and the redirect.
func (v *visitor) post(from, path string, form url.Values) (int, string) {
	v.t.Helper()
	status, page := v.get(from)
	m := csrfField.FindStringSubmatch(page)
	if status != http.StatusOK || m == nil {
		v.t.Fatalf("GET %s = %d, no CSRF field", from, status)
	}
	form.Set("csrf", m[1])
	resp, err := v.c.PostForm(v.base+path, form)
	if err != nil {
		v.t.Fatalf("POST %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusSeeOther {
		v.t.Logf("POST %s = %d:\n%s", path, resp.StatusCode, b)
	}
	return resp.StatusCode, resp.Header.Get("Location")
}

// signIn posts the login form as login.
func (v *visitor) signIn(login, password string) {
	v.t.Helper()
	if status, loc := v.post("/login", "/login", url.Values{"login": {login}, "password": {password}}); status != http.StatusSeeOther || loc != "/" {
		v.t.Fatalf("sign in as %s: %d → %q, want 303 → /", login, status, loc)
	}
}

// firstSignIn signs in to an account an administrator made, which is sent
// to its account page, and chooses its own password there.
func (v *visitor) firstSignIn(login, given, own string) {
	v.t.Helper()
	if status, loc := v.post("/login", "/login", url.Values{"login": {login}, "password": {given}}); status != http.StatusSeeOther || loc != "/account" {
		v.t.Fatalf("first sign-in as %s: %d → %q, want 303 → /account", login, status, loc)
	}
	if status, loc := v.post("/account", "/account/password", url.Values{"old_password": {given}, "password": {own}, "password2": {own}}); status != http.StatusSeeOther || loc != "/" {
		v.t.Fatalf("%s chooses a password: %d → %q, want 303 → /", login, status, loc)
	}
}

// mustAnswer fails unless each path answers 200 with its text.
func (v *visitor) mustAnswer(pages map[string]string) {
	v.t.Helper()
	for path, want := range pages {
		status, body := v.get(path)
		if status != http.StatusOK || !strings.Contains(body, want) {
			v.t.Errorf("GET %s = %d, want 200 with %q", path, status, want)
		}
	}
}

var (
	echoed   = regexp.MustCompile(`^echo '([^']+)' \|`)
	loginArg = regexp.MustCompile(`--(?:admin-)?login (\S+)`)
)

// TestReadmeInstall follows "Running it for real" from an empty data folder,
// running the README's own lines with the folder, the address and the
// binary's path swapped for the test's: build, guatu init, serve, sign in
// as the new administrator, add a unit, a person and an account from the
// command line while serving, and sign in as that account, which first
// chooses its own password.
func TestReadmeInstall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	isolate(t)
	const readmeData, readmeAddr = "/var/lib/guatu", "0.0.0.0:8080"
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "guatu")
	data := filepath.Join(dir, "data")
	addr := freeAddr(t)
	base := "http://" + addr
	swap := strings.NewReplacer("-o guatu ", "-o "+bin+" ", "./guatu ", bin+" ", readmeData, data, readmeAddr, addr)

	accounts := map[string]string{} // login → password, from the README's lines
	var srv *process
	var inits int
	for _, line := range readmeSection(t, "Running it for real") {
		if strings.Contains(line, "guatu ") && !strings.HasPrefix(line, "go build") && !strings.Contains(line, readmeData) {
			t.Fatalf("README line %q does not name the data folder %s, so the test cannot move it to a temporary one", line, readmeData)
		}
		if m := echoed.FindStringSubmatch(line); m != nil {
			if l := loginArg.FindStringSubmatch(line); l != nil {
				accounts[l[1]] = m[1]
			}
		}
		sh := swap.Replace(line)
		t.Logf("$ %s", sh)
		cmd := exec.Command("sh", "-c", "exec "+sh)
		if strings.HasPrefix(line, "echo ") {
			cmd = exec.Command("sh", "-c", sh)
		}
		cmd.Dir = root
		if strings.Contains(line, " serve ") {
			srv = start(t, cmd)
			srv.waitHealthy(t, base)
			continue
		}
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", line, err, out)
		}
		if strings.Contains(line, " init ") {
			inits++
			for _, want := range []string{"下一步", "Next:", "guatu serve", "/targets/import"} {
				if !strings.Contains(string(out), want) {
					t.Errorf("guatu init did not print %q:\n%s", want, out)
				}
			}
		}
	}
	if inits != 1 || srv == nil {
		t.Fatalf("the README ran guatu init %d times and serve %v times; want one each", inits, srv != nil)
	}
	if strings.Contains(srv.stdout.String(), "/setup") {
		t.Errorf("serve printed a setup code after guatu init:\n%s", srv.stdout)
	}
	admin := "admin"
	if _, ok := accounts[admin]; !ok {
		t.Fatalf("no password for %s in the README's lines (found %v)", admin, accounts)
	}
	v := newVisitor(t, base)
	if status, _ := v.get("/setup"); status != http.StatusNotFound {
		t.Errorf("GET /setup after guatu init = %d, want 404", status)
	}
	v.signIn(admin, accounts[admin])
	v.mustAnswer(map[string]string{"/": "新城区", "/units": "临河镇", "/people": "王芳", "/users": "wangfang", "/indicators": "地区生产总值"})
	for login, pw := range accounts {
		if login == admin {
			continue
		}
		s := newVisitor(t, base)
		s.firstSignIn(login, pw, "My-own-Choice-7")
		s.mustAnswer(map[string]string{"/": "城关镇", "/targets": "城关镇", "/targets/new": "地区生产总值", "/targets/import": "template.xlsx"})
	}
}

// TestFirstRunPageFromTheConsole is the README's other way through step 2:
// serve on an empty folder, read the setup code off the console, install on
// /setup, and find the page gone.
func TestFirstRunPageFromTheConsole(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	isolate(t)
	bin := mustBuild(t)
	addr := freeAddr(t)
	base := "http://" + addr
	srv := start(t, exec.Command(bin, "serve", "--addr", addr, "--data", filepath.Join(t.TempDir(), "data")))
	srv.waitHealthy(t, base)
	code := regexp.MustCompile(`setup code ([A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4})`).FindStringSubmatch(srv.stdout.String())
	if code == nil || !strings.Contains(srv.stdout.String(), base+"/setup") || !strings.Contains(srv.stdout.String(), "安装码") {
		t.Fatalf("serve on an empty folder printed no setup code and page:\n%s", srv.stdout)
	}
	v := newVisitor(t, base)
	if status, loc := v.get("/login"); status != http.StatusSeeOther {
		t.Errorf("GET /login before the install = %d (%s), want a redirect to /setup", status, loc)
	}
	form := url.Values{"code": {code[1]}, "district": {"新城区"}, "townships": {"城关镇\n临河镇"}, "login": {"chief"}, "password": {"A-long-password"}, "password2": {"A-long-password"}}
	if status, loc := v.post("/setup", "/setup", form); status != http.StatusSeeOther || loc != "/units" {
		t.Fatalf("POST /setup with the printed code = %d → %q, want 303 → /units", status, loc)
	}
	v.mustAnswer(map[string]string{"/": "新城区", "/units": "临河镇"})
	if status, _ := v.get("/setup"); status != http.StatusNotFound {
		t.Errorf("GET /setup after the install = %d, want 404", status)
	}
	fresh := newVisitor(t, base)
	fresh.signIn("chief", "A-long-password")
}

// TestInitRefusesOnceInstalled runs guatu init on a database that has an
// administrator — one init made, or the demo's — and finds the refusal
// and every row as it was.
func TestInitRefusesOnceInstalled(t *testing.T) {
	isolate(t)
	tables := []string{"units", "users", "indicators", "audit_log"}
	rows := func(d *db.DB) map[string]int {
		m := map[string]int{}
		for _, tb := range tables {
			m[tb] = countRows(t, d, tb)
		}
		return m
	}
	initArgs := func(dsn, login string) []string {
		return []string{"init", "--db", dsn, "--district", "新城区", "--township", "城关镇", "--admin-login", login, "--password-stdin"}
	}
	engines(t, func(t *testing.T, dsn string) {
		out := mustRun(t, "A-long-password\n", initArgs(dsn, "admin")...)
		if !strings.Contains(out, "新城区") || !strings.Contains(out, "admin") {
			t.Errorf("init printed:\n%s", out)
		}
		d := openDSN(t, dsn)
		before := rows(d)
		r := runCmd(t, "Another-long-one\n", initArgs(dsn, "admin2")...)
		if r.err == nil || !strings.Contains(r.err.Error(), "已有管理员") {
			t.Errorf("second init: err = %v, want a refusal saying there is an administrator", r.err)
		}
		if after := rows(d); !maps.Equal(before, after) {
			t.Errorf("rows before the second init %v, after %v", before, after)
		}
	})
	t.Run("demo", func(t *testing.T) {
		dsn := apptest.DSN(t, db.SQLite)
		withDemo(t, dsn)
		d := openDSN(t, dsn)
		before := rows(d)
		if r := runCmd(t, "A-long-password\n", initArgs(dsn, "chief")...); r.err == nil {
			t.Error("init over the demo succeeded")
		}
		if after := rows(d); !maps.Equal(before, after) {
			t.Errorf("rows before %v, after %v", before, after)
		}
	})
	t.Run("usage", func(t *testing.T) {
		for _, args := range [][]string{
			{"init", "--district", "新城区", "--admin-login", "a", "--password-stdin"},  // no township
			{"init", "--district", "新城区", "--township", "城关镇", "--admin-login", "a"}, // no --password-stdin
		} {
			if r := runCmd(t, "", args...); r.err != errUsage {
				t.Errorf("guatu %q: err = %v, want errUsage", args, r.err)
			}
		}
		if r := runCmd(t, "", "init", "--help"); r.err != nil || !strings.Contains(r.stderr, "Usage: guatu init") || !strings.Contains(r.stderr, "-township") {
			t.Errorf("init --help: %v\n%s", r.err, r.stderr)
		}
		if out := mustRun(t, "", "help"); !strings.Contains(out, "guatu init") {
			t.Errorf("help does not list init:\n%s", out)
		}
	})
}
