package setup_test

import (
	"context"
	"maps"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/setup"
	"guatu/internal/targets"
)

// tables are what an install writes.
var tables = []string{"units", "users", "indicators", "audit_log"}

// MustCounts counts the rows of tables.
func MustCounts(tb testing.TB, d *db.DB) map[string]int {
	tb.Helper()
	m := map[string]int{}
	for _, t := range tables {
		var n int
		if err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+t).Scan(&n); err != nil {
			tb.Fatalf("count %s: %v", t, err)
		}
		m[t] = n
	}
	return m
}

// MustNeeded returns setup.Needed or fails the test.
func MustNeeded(tb testing.TB, d *db.DB) bool {
	tb.Helper()
	n, err := setup.Needed(context.Background(), d)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

var good = setup.Input{District: "新城区", Townships: []string{"城关镇", " 临河镇 ", ""}, Login: "admin", Password: "A-long-password"}

func TestInstall(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if !MustNeeded(t, d) {
			t.Fatal("an empty database does not need its install")
		}
		res, err := setup.Install(ctx, d, good)
		if err != nil {
			t.Fatal(err)
		}
		if MustNeeded(t, d) {
			t.Error("still needed after the install")
		}
		if got, want := res.District.Name, "新城区"; got != want {
			t.Errorf("district %q, want %q", got, want)
		}
		var names []string
		for _, tw := range res.Townships {
			names = append(names, tw.Name)
			if tw.ParentID == nil || *tw.ParentID != res.District.ID {
				t.Errorf("township %s is not under the district", tw.Name)
			}
		}
		if got, want := strings.Join(names, ","), "城关镇,临河镇"; got != want {
			t.Errorf("townships %s, want %s", got, want)
		}
		if got, want := res.Indicators, len(targets.DefaultCatalog); got != want {
			t.Errorf("%d indicators, want the default catalogue's %d", got, want)
		}
		u, err := (&auth.Store{DB: d}).Authenticate(ctx, "admin", "A-long-password")
		if err != nil {
			t.Fatalf("sign in as the new administrator: %v", err)
		}
		if u.MustChange {
			t.Error("the first administrator chose the password, yet must change it")
		}
		if u.ID != res.AdminID || u.Role != auth.Admin || u.UnitID != res.District.ID {
			t.Errorf("administrator %+v, want id %d, role admin, unit %d", u, res.AdminID, res.District.ID)
		}
		var others int
		d.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND actor_login <> 'system'`).Scan(&others)
		var bySystem int
		d.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE action = 'create' AND actor_login = 'system'`).Scan(&bySystem)
		if want := 3 + len(targets.DefaultCatalog) + 1; bySystem != want || others != 0 {
			t.Errorf("audit: %d creations by the system and %d by others, want %d and 0", bySystem, others, want)
		}
	})
}

// TestInstallRefusedOnceInstalled shows that a second install, or one on a
// database with any administrator (the demo's), changes nothing.
func TestInstallRefusedOnceInstalled(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		if _, err := setup.Install(ctx, d, good); err != nil {
			t.Fatal(err)
		}
		before := MustCounts(t, d)
		again := setup.Input{District: "另一区", Townships: []string{"某镇"}, Login: "admin2", Password: "Another-long-one"}
		_, err := setup.Install(ctx, d, again)
		if pe := platform.AsError(err); pe.Code != platform.Conflict || pe.Key != "setup.err.installed" {
			t.Errorf("second install: %v, want a conflict setup.err.installed", err)
		}
		if after := MustCounts(t, d); !maps.Equal(before, after) {
			t.Errorf("rows before the refused install %v, after %v", before, after)
		}
	})
	t.Run("demo", func(t *testing.T) {
		d := apptest.SQLite(t)
		if _, err := demo.Load(context.Background(), d, time.Now()); err != nil {
			t.Fatal(err)
		}
		if MustNeeded(t, d) {
			t.Fatal("the demo has an administrator, yet setup is needed")
		}
		before := MustCounts(t, d)
		if _, err := setup.Install(context.Background(), d, good); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("install over the demo: %v, want a conflict", err)
		}
		if after := MustCounts(t, d); !maps.Equal(before, after) {
			t.Errorf("rows before %v, after %v", before, after)
		}
	})
}

// TestInstallInput shows that bad input is refused with the field named,
// by the org store's rules, and that an install stopped after the units
// converges when it is run again with the input fixed.
func TestInstallInput(t *testing.T) {
	long := strings.Repeat("镇", 51)
	tests := []struct {
		name  string
		edit  func(in *setup.Input)
		field string
		key   string
	}{
		{"no district", func(in *setup.Input) { in.District = " " }, "district", "form.err.required"},
		{"district too long", func(in *setup.Input) { in.District = long }, "district", "form.err.too_long"},
		{"no township", func(in *setup.Input) { in.Townships = []string{"", " "} }, "townships", "setup.err.no_township"},
		{"township twice", func(in *setup.Input) { in.Townships = []string{"城关镇", "城关镇 "} }, "townships", "setup.err.township_twice"},
		{"township too long", func(in *setup.Input) { in.Townships = []string{"城关镇", long} }, "townships", "form.err.too_long"},
		{"no login", func(in *setup.Input) { in.Login = "" }, "login", "form.err.required"},
		{"bad login", func(in *setup.Input) { in.Login = "张三" }, "login", "org.err.bad_login"},
		{"short password", func(in *setup.Input) { in.Password = "short" }, "password", "auth.err.password_short"},
		{"two classes", func(in *setup.Input) { in.Password = "guatuguatu2026" }, "password", "auth.err.password_classes"},
		{"common password", func(in *setup.Input) { in.Password = "P@ssw0rd" }, "password", "auth.err.password_common"},
		{"password holds the login", func(in *setup.Input) { in.Password = "Admin-2026" }, "password", "auth.err.password_login"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := apptest.SQLite(t)
			in := good
			in.Townships = append([]string(nil), good.Townships...)
			tt.edit(&in)
			_, err := setup.Install(context.Background(), d, in)
			pe := platform.AsError(err)
			if pe.Code != platform.Invalid || pe.Field != tt.field || pe.Key != tt.key {
				t.Fatalf("err = %v, want invalid %s on %s", err, tt.key, tt.field)
			}
			if !MustNeeded(t, d) {
				t.Error("refused, yet setup is no longer needed")
			}
			if tt.field == "login" || tt.field == "password" {
				// Refused before anything is written.
				var units int
				d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM units`).Scan(&units)
				if units != 0 {
					t.Errorf("a refused %s left %d units behind", tt.field, units)
				}
			}
			// Fixed, the install goes through and makes each unit once.
			if _, err := setup.Install(context.Background(), d, good); err != nil {
				t.Fatalf("install with the input fixed: %v", err)
			}
			var units int
			d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM units`).Scan(&units)
			if units != 3 {
				t.Errorf("%d units after the fixed install, want 3 (the district and two townships)", units)
			}
		})
	}
}

func TestNewCode(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		c := setup.NewCode()
		if len(c) != 14 || c[4] != '-' || c[9] != '-' {
			t.Fatalf("code %q, want XXXX-XXXX-XXXX", c)
		}
		if seen[c] {
			t.Fatalf("code %q came twice", c)
		}
		seen[c] = true
		if got := setup.NormalCode(" " + strings.ToLower(strings.ReplaceAll(c, "-", " ")) + "\t"); got != setup.NormalCode(c) {
			t.Errorf("typed lower case with spaces: %q, want %q", got, setup.NormalCode(c))
		}
	}
}
