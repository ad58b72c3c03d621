package main

import (
	"context"
	"errors"
	"maps"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// TestTwoServersAtOnce starts two "guatu serve --demo" processes at the same
// moment on one empty PostgreSQL database: both come up and serve, and the
// migrations and the demo happen once (the start-up lock makes them take
// turns), leaving exactly what one load leaves.
func TestTwoServersAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	isolate(t)
	dsn := apptest.DSN(t, db.Postgres) // skips without GUATU_TEST_POSTGRES
	bin := mustBuild(t)
	addrs := []string{freeAddr(t), freeAddr(t)}
	cmds := make([]*exec.Cmd, len(addrs))
	for i, addr := range addrs {
		cmds[i] = exec.Command(bin, "serve", "--demo", "--addr", addr, "--db", dsn)
	}
	procs := make([]*process, len(cmds))
	for i, c := range cmds { // back to back, so both race for the empty schema
		procs[i] = start(t, c)
	}
	for i, p := range procs {
		p.waitHealthy(t, "http://"+addrs[i])
		v := newVisitor(t, "http://"+addrs[i])
		v.signIn("admin", demo.Password)
		v.mustAnswer(map[string]string{"/": demo.TownshipName})
	}

	d := openDSN(t, dsn)
	var districts, campaigns int
	d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM units WHERE name = $1`, demo.DistrictName).Scan(&districts)
	d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM campaigns WHERE name = $1 AND township_id = (SELECT id FROM units WHERE name = $2)`, demo.CampaignName, demo.TownshipName).Scan(&campaigns)
	if districts != 1 || campaigns != 1 {
		t.Errorf("%d units named %s and %d campaigns in %s, want one of each", districts, demo.DistrictName, campaigns, demo.TownshipName)
	}
	once := apptest.DSN(t, db.Postgres)
	withDemo(t, once)
	want := counts(t, openDSN(t, once))
	want["targets"] = countRows(t, openDSN(t, once), "targets")
	got := counts(t, d)
	got["targets"] = countRows(t, d, "targets")
	if !maps.Equal(got, want) {
		t.Errorf("two servers at once left %v, one demo load leaves %v", got, want)
	}
}

// TestTwoInitsAtOnce runs two "guatu init" processes at the same moment on
// one empty PostgreSQL database: exactly one installs, the other waits its
// turn at the start-up lock and refuses cleanly, and the database holds one
// install.
func TestTwoInitsAtOnce(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	isolate(t)
	dsn := apptest.DSN(t, db.Postgres) // skips without GUATU_TEST_POSTGRES
	bin := mustBuild(t)
	logins := []string{"first", "second"}
	type outcome struct {
		err    error
		output string
	}
	results := make([]outcome, len(logins))
	var ready, wg sync.WaitGroup
	gate := make(chan struct{})
	for i, login := range logins {
		cmd := exec.Command(bin, "init", "--db", dsn, "--district", "新城区", "--township", "城关镇", "--township", "临河镇", "--admin-login", login, "--password-stdin")
		cmd.Stdin = strings.NewReader("A-long-password\n")
		ready.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ready.Done()
			<-gate
			out, err := cmd.CombinedOutput()
			results[i] = outcome{err, string(out)}
		}()
	}
	ready.Wait()
	close(gate)
	wg.Wait()

	var ok, refused int
	for i, r := range results {
		var exit *exec.ExitError
		switch {
		case r.err == nil:
			ok++
		case errors.As(r.err, &exit) && exit.ExitCode() == 1 && strings.Contains(r.output, "已有管理员"):
			refused++
		default:
			t.Errorf("init as %s: %v\n%s", logins[i], r.err, r.output)
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("%d inits succeeded and %d refused, want one each:\n%v", ok, refused, results)
	}
	d := openDSN(t, dsn)
	if got := countRows(t, d, "users"); got != 1 {
		t.Errorf("%d accounts, want the one administrator", got)
	}
	if got := countRows(t, d, "units"); got != 3 {
		t.Errorf("%d units, want the district and its two townships", got)
	}
}
