package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
)

// result is what one command run left behind.
type result struct {
	err            error
	stdout, stderr string
}

// runCmd runs the command line as main does, with stdin as standard input.
func runCmd(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, strings.NewReader(stdin), &out, &errOut)
	return result{err, out.String(), errOut.String()}
}

// mustRun runs the command and fails the test unless it succeeds.
func mustRun(t *testing.T, stdin string, args ...string) string {
	t.Helper()
	r := runCmd(t, stdin, args...)
	if r.err != nil {
		t.Fatalf("guatu %s: %v\nstderr: %s", strings.Join(args, " "), r.err, r.stderr)
	}
	return r.stdout
}

// isolate keeps the developer's environment out of the commands' defaults.
func isolate(t *testing.T) {
	for _, k := range []string{"GUATU_DB", "GUATU_DATA", "GUATU_ADDR", "GUATU_DEMO", "GUATU_SECURE_COOKIES"} {
		t.Setenv(k, "")
	}
}

// engines runs fn per database engine with a fresh DSN.
func engines(t *testing.T, fn func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { fn(t, apptest.DSN(t, db.SQLite)) })
	if dbtest.PostgresURL() != "" {
		t.Run("postgres", func(t *testing.T) { fn(t, apptest.DSN(t, db.Postgres)) })
	}
}

// withDemo migrates the database at dsn and loads the demo township.
func withDemo(t *testing.T, dsn string) {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Migrate(ctx, app.Schema()); err != nil {
		t.Fatal(err)
	}
	if _, err := demo.Load(ctx, d, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func openDSN(t *testing.T, dsn string) *db.DB {
	t.Helper()
	d, err := db.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

func TestHelp(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{"serve"}, {"migrate"}, {"backup"},
		{"user", "add"}, {"user", "passwd"}, {"user", "list"},
		{"token", "create"}, {"token", "list"}, {"token", "revoke"},
	} {
		name := strings.Join(args, " ")
		r := runCmd(t, "", append(args, "--help")...)
		if r.err != nil {
			t.Errorf("%s --help: %v", name, r.err)
		}
		if !strings.Contains(r.stderr, "Usage: guatu "+name) || !strings.Contains(r.stderr, "-db") {
			t.Errorf("%s --help printed:\n%s", name, r.stderr)
		}
	}
	for _, h := range []string{"help", "--help", "-h"} {
		out := mustRun(t, "", h)
		for _, want := range []string{"guatu serve", "guatu backup", "token create --login L [--name N] [--expires", "token list", "token revoke --id N", "--password-max-age", "three of upper case"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s does not say %q:\n%s", h, want, out)
			}
		}
	}
	if r := runCmd(t, "", "user", "add", "--help"); !strings.Contains(r.stderr, "not a common one") {
		t.Errorf("user add --help does not state the password rules:\n%s", r.stderr)
	}
}

func TestUsageErrors(t *testing.T) {
	isolate(t)
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"user"},
		{"user", "frobnicate"},
		{"token"},
		{"token", "frobnicate"},
		{"token", "create", "--login", "x", "--expires", "soon"},
		{"token", "create", "--login", "x", "--expires", "0"},
		{"token", "list"},
		{"token", "revoke"},
		{"token", "revoke", "--id", "3", "--login", "x", "--name", "y"},
		{"serve", "--idle-timeout", "later"},
		{"migrate", "--no-such-flag"},
		{"migrate", "extra"},
		{"user", "add", "--login", "x"}, // missing flags
	} {
		r := runCmd(t, "", args...)
		if !errors.Is(r.err, errUsage) {
			t.Errorf("guatu %q: err = %v, want errUsage", args, r.err)
		}
		if r.stderr == "" {
			t.Errorf("guatu %q printed no usage", args)
		}
	}
}

func TestVersion(t *testing.T) {
	if got, want := mustRun(t, "", "version"), "guatu "+app.Version+"\n"; got != want {
		t.Errorf("version printed %q, want %q", got, want)
	}
}

func TestMigrate(t *testing.T) {
	isolate(t)
	engines(t, func(t *testing.T, dsn string) {
		if out := mustRun(t, "", "migrate", "--db", dsn); !strings.Contains(out, "applied") {
			t.Errorf("first migrate printed %q, want the applied migrations", out)
		}
		if out := mustRun(t, "", "migrate", "--db", dsn); !strings.Contains(out, "up to date") {
			t.Errorf("second migrate printed %q, want up to date", out)
		}
	})
	t.Run("default sqlite under --data", func(t *testing.T) {
		data := t.TempDir()
		mustRun(t, "", "migrate", "--data", data)
		if _, err := os.Stat(filepath.Join(data, "guatu.db")); err != nil {
			t.Error(err)
		}
	})
}

func TestUserAndToken(t *testing.T) {
	isolate(t)
	engines(t, func(t *testing.T, dsn string) {
		withDemo(t, dsn)
		add := []string{"user", "add", "--db", dsn, "--login", "li", "--role", "reporter", "--unit", "双塘村", "--password-stdin"}

		out := mustRun(t, "first-pass-1\n", add...)
		if !strings.Contains(out, "created user li") || !strings.Contains(out, "双塘村") {
			t.Errorf("user add printed %q", out)
		}
		if r := runCmd(t, "first-pass-1\n", add...); r.err == nil || !strings.Contains(r.err.Error(), "已存在") {
			t.Errorf("second add: err = %v, want one saying 已存在", r.err)
		}
		noUnit := append([]string{}, add...)
		noUnit[5], noUnit[9] = "wang", "不存在村"
		if r := runCmd(t, "first-pass-1\n", noUnit...); r.err == nil || !strings.Contains(r.err.Error(), "不存在村") {
			t.Errorf("add in an unknown unit: err = %v, want one naming the unit", r.err)
		}
		if r := runCmd(t, "", append(add[:5:5], "zhao", "--role", "reporter", "--unit", "双塘村", "--password-stdin")...); r.err == nil {
			t.Error("add with nothing on stdin succeeded")
		}

		if out := mustRun(t, "second-pass-2\n", "user", "passwd", "--db", dsn, "--login", "li", "--password-stdin"); !strings.Contains(out, "password changed") {
			t.Errorf("user passwd printed %q", out)
		}
		if r := runCmd(t, "second-pass-2\n", "user", "passwd", "--db", dsn, "--login", "nobody", "--password-stdin"); r.err == nil {
			t.Error("passwd for an unknown login succeeded")
		}
		d := openDSN(t, dsn)
		st := &auth.Store{DB: d}
		ctx := context.Background()
		if _, err := st.Authenticate(ctx, "li", "second-pass-2"); err != nil {
			t.Errorf("new password: %v", err)
		}
		if _, err := st.Authenticate(ctx, "li", "first-pass-1"); err == nil {
			t.Error("the old password still works")
		}

		list := mustRun(t, "", "user", "list", "--db", dsn)
		var row string
		for _, l := range strings.Split(list, "\n") {
			if f := strings.Fields(l); len(f) > 1 && f[1] == "li" {
				row = l
			}
		}
		if !strings.Contains(row, "reporter") || !strings.Contains(row, "双塘村") || !strings.Contains(row, "active") {
			t.Errorf("user list has no proper row for li:\n%s", list)
		}
		if !strings.Contains(list, "admin") {
			t.Errorf("user list lacks the demo admin:\n%s", list)
		}

		out = mustRun(t, "", "token", "create", "--db", dsn, "--login", "li")
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if len(lines) != 1 || !strings.HasSuffix(out, "\n") {
			t.Fatalf("token create printed %q, want one line", out)
		}
		tok := lines[0]
		if strings.TrimSpace(tok) != tok || !strings.HasPrefix(tok, auth.TokenPrefix) {
			t.Errorf("token %q: want the token alone", tok)
		}
		u, err := st.UserByToken(ctx, tok)
		if err != nil || u.Login != "li" {
			t.Errorf("the token authenticates %v, %v; want li", u, err)
		}
		if r := runCmd(t, "", "token", "create", "--db", dsn, "--login", "nobody"); r.err == nil || r.stdout != "" {
			t.Errorf("token for an unknown login: err %v, stdout %q", r.err, r.stdout)
		}

		// Named tokens with an expiry, listed without their secrets,
		// revoked by id and by name.
		month := strings.TrimSpace(mustRun(t, "", "token", "create", "--db", dsn, "--login", "li", "--name", "report", "--expires", "30d"))
		hours := strings.TrimSpace(mustRun(t, "", "token", "create", "--db", dsn, "--login", "li", "--name", "nightly", "--expires", "720h"))
		list = mustRun(t, "", "token", "list", "--db", dsn, "--login", "li")
		for _, want := range []string{"report", "nightly", "cli", "EXPIRES", "never"} {
			if !strings.Contains(list, want) {
				t.Errorf("token list lacks %q:\n%s", want, list)
			}
		}
		for _, secret := range []string{tok, month, hours} {
			if strings.Contains(list, secret) {
				t.Errorf("token list shows a secret:\n%s", list)
			}
		}
		tokens, _ := st.Tokens(ctx, u.ID)
		for _, tk := range tokens {
			want := map[string]time.Duration{"report": 30 * 24 * time.Hour, "nightly": 720 * time.Hour, "cli": auth.DefaultTokenTTL}[tk.Name]
			if got := tk.Expires.Sub(tk.Created); got != want {
				t.Errorf("token %s lasts %v, want %v", tk.Name, got, want)
			}
		}
		var reportID int64
		for _, tk := range tokens {
			if tk.Name == "report" {
				reportID = tk.ID
			}
		}
		if out := mustRun(t, "", "token", "revoke", "--db", dsn, "--id", strconv.FormatInt(reportID, 10)); !strings.Contains(out, "revoked 1") {
			t.Errorf("revoke by id printed %q", out)
		}
		if _, err := st.UserByToken(ctx, month); err == nil {
			t.Error("a token revoked by id still works")
		}
		if out := mustRun(t, "", "token", "revoke", "--db", dsn, "--login", "li", "--name", "nightly"); !strings.Contains(out, "revoked 1") {
			t.Errorf("revoke by name printed %q", out)
		}
		if _, err := st.UserByToken(ctx, hours); err == nil {
			t.Error("a token revoked by name still works")
		}
		if r := runCmd(t, "", "token", "revoke", "--db", dsn, "--id", "99999"); r.err == nil {
			t.Error("revoking an unknown token succeeded")
		}
		// A reset revokes the rest.
		mustRun(t, "Third-pass-3\n", "user", "passwd", "--db", dsn, "--login", "li", "--password-stdin")
		if _, err := st.UserByToken(ctx, tok); err == nil {
			t.Error("a token survived user passwd")
		}
		if u, _ := st.UserByLogin(ctx, "li"); !u.MustChange {
			t.Error("after user passwd the owner need not change the password")
		}
		if r := runCmd(t, "12345678\n", "user", "passwd", "--db", dsn, "--login", "li", "--password-stdin"); r.err == nil || !strings.Contains(r.err.Error(), "太常见") {
			t.Errorf("user passwd with 12345678: err = %v, want the policy's refusal", r.err)
		}
	})
}

func countRows(t *testing.T, d *db.DB, table string) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatalf("count %s: %v", table, err)
	}
	return n
}

// TestBackupAndRestore follows the README: backup while serving, then
// restore by putting the copy in place of the database file.
func TestBackupAndRestore(t *testing.T) {
	isolate(t)
	dsn := apptest.DSN(t, db.SQLite)
	withDemo(t, dsn)
	want := countRows(t, openDSN(t, dsn), "units")

	file := filepath.Join(t.TempDir(), "copies", "guatu-copy.db")
	if out := mustRun(t, "", "backup", "--db", dsn, "--out", file); strings.TrimSpace(out) != file {
		t.Errorf("backup printed %q, want the file's path", out)
	}
	if r := runCmd(t, "", "backup", "--db", dsn, "--out", file); r.err == nil || !strings.Contains(r.err.Error(), "exists") {
		t.Errorf("backup over an existing file: err = %v, want a refusal", r.err)
	}
	if got := countRows(t, openDSN(t, "sqlite:"+file), "units"); got != want {
		t.Errorf("backup holds %d units, want %d", got, want)
	}

	// Restore: a fresh data folder with the copy as its guatu.db.
	data := t.TempDir()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(data, "guatu.db"), b, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	a, err := app.Open(ctx, app.Config{DSN: db.DefaultDSN(data), Log: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatalf("open the restored copy: %v", err)
	}
	defer a.Close()
	if got := countRows(t, a.DB, "units"); got != want {
		t.Errorf("restored copy holds %d units, want %d", got, want)
	}
	if _, err := a.Auth.Authenticate(ctx, "admin", demo.Password); err != nil {
		t.Errorf("sign in on the restored copy: %v", err)
	}
	if out := mustRun(t, "", "user", "list", "--data", data); !strings.Contains(out, "shuangtang") {
		t.Errorf("user list on the restored copy:\n%s", out)
	}

	t.Run("default name under --data", func(t *testing.T) {
		out := strings.TrimSpace(mustRun(t, "", "backup", "--data", data))
		if filepath.Dir(out) != filepath.Join(data, "backups") {
			t.Errorf("backup wrote %q, want a file in %s/backups", out, data)
		}
		if _, err := os.Stat(out); err != nil {
			t.Error(err)
		}
	})
}

func TestBackupRefusesPostgres(t *testing.T) {
	isolate(t)
	dsn := apptest.DSN(t, db.Postgres) // skips without GUATU_TEST_POSTGRES
	mustRun(t, "", "migrate", "--db", dsn)
	r := runCmd(t, "", "backup", "--db", dsn, "--out", filepath.Join(t.TempDir(), "x.db"))
	if r.err == nil || !strings.Contains(r.err.Error(), "pg_dump") {
		t.Errorf("backup of PostgreSQL: err = %v, want one naming pg_dump", r.err)
	}
}

// freeAddr returns a loopback address that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	return addr
}

// serve runs "guatu serve --demo" until it answers /healthz, checks that /
// leads to the sign-in page, then stops it as SIGTERM would and returns what
// it printed.
func serve(t *testing.T, args ...string) string {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr bytes.Buffer
	done := make(chan error, 1)
	go func() {
		done <- cmdServe(ctx, append([]string{"--addr", addr, "--demo"}, args...), &stdout, &stderr)
	}()
	base := "http://" + addr
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended early: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			<-done
			t.Fatalf("/healthz never answered: %v\n%s", err, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	resp, err := http.Get(base + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "登录") || resp.Request.URL.Path != "/login" {
		t.Errorf("GET / ended at %s with %d, want the sign-in page", resp.Request.URL, resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v after cancel, want nil", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of cancel")
	}
	return stdout.String()
}

// demoTables are the tables the demo fills.
var demoTables = []string{"units", "people", "users", "campaigns", "team_members"}

func counts(t *testing.T, d *db.DB) map[string]int {
	t.Helper()
	m := map[string]int{}
	for _, tb := range demoTables {
		m[tb] = countRows(t, d, tb)
	}
	return m
}

func TestServe(t *testing.T) {
	isolate(t)
	engines(t, func(t *testing.T, dsn string) {
		var args []string
		if strings.HasPrefix(dsn, "sqlite:") {
			// The default database under --data, as a first run does it.
			data := t.TempDir()
			args = []string{"--data", data}
			dsn = db.DefaultDSN(data)
		} else {
			args = []string{"--db", dsn}
		}
		out := serve(t, args...)
		for _, want := range []string{"admin", "shuangtang", demo.Password} {
			if !strings.Contains(out, want) {
				t.Errorf("serve --demo did not print %s:\n%s", want, out)
			}
		}
		d := openDSN(t, dsn)
		first := counts(t, d)
		for _, tb := range demoTables {
			if first[tb] == 0 {
				t.Errorf("the demo left %s empty", tb)
			}
		}

		// Serving with --demo again, and loading it once more, adds nothing.
		serve(t, args...)
		if _, err := demo.Load(context.Background(), d, time.Now()); err != nil {
			t.Fatal(err)
		}
		if again := counts(t, d); !maps.Equal(again, first) {
			t.Errorf("rows after the demo's first load %v, after loading it twice more %v", first, again)
		}
	})
}
