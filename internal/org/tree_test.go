package org_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
)

// TestScopeChoicesNameRepeatedUnits: 党政办 is in every town and 第一网格 in
// every village, so the district's choices name the township or the parent
// where a name repeats, and a name that does not repeat stays plain.
func TestScopeChoicesNameRepeatedUnits(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		s := &org.Store{DB: d}
		sc, err := s.Scope(MustAs(t, d, "admin"))
		if err != nil {
			t.Fatal(err)
		}
		labels := map[string]int{}
		for _, c := range sc.Choices() {
			labels[c.Label]++
		}
		for label, n := range labels {
			if n > 1 {
				t.Errorf("%d choices read %q", n, label)
			}
		}
		for _, want := range []string{"党政办（XX镇）", "党政办（临江镇）", "统计站（青山镇）", "第一网格（双塘村）", "双塘村"} {
			if labels[want] != 1 {
				t.Errorf("no choice reads %q", want)
			}
		}
		// Inside one town the township's 党政办 is the only one: plain.
		sc, err = s.Scope(MustAs(t, d, "tongji"))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range sc.Choices() {
			found = found || c.Label == "党政办"
		}
		if !found {
			t.Error("inside XX镇 the 党政办 choice is not plain")
		}
	})
}

// TestScopeCheckAuditsTheRefusal: a unit outside the caller's scope is not
// found, and the attempt is in the audit log under that unit, where its
// administrators see it.
func TestScopeCheckAuditsTheRefusal(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		ctx := MustAs(t, d, "shuangtang")
		sc, err := (&org.Store{DB: d}).Scope(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if err := sc.Check(ctx, "target", 7, ids.shuangtang); err != nil {
			t.Errorf("own village: %v", err)
		}
		before := auditCount(t, d, "denied", "target", "7")
		if err := sc.Check(ctx, "target", 7, ids.donghu); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another village: err = %v, want not found", err)
		}
		if got := auditCount(t, d, "denied", "target", "7"); got != before+1 {
			t.Errorf("%d denied entries, want %d", got, before+1)
		}
		var path string
		if err := d.QueryRowContext(context.Background(), `SELECT unit_path FROM audit_log WHERE action = 'denied' AND entity = 'target' ORDER BY id DESC LIMIT 1`).Scan(&path); err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(path, "/"+strconv.FormatInt(ids.donghu, 10)+"/") {
			t.Errorf("the entry's unit path is %q, want 东湖村's", path)
		}
	})
}

// TestScopeWhere: the SQL filter of a scope is by township for whole
// townships and by township and units inside one.
func TestScopeWhere(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		s := &org.Store{DB: d}
		for _, tc := range []struct {
			login, want string
		}{
			{"admin", ""}, // the root of the tree: everything
			{"tongji", "township_id = $1"},
			{"shuangtang", "township_id = $1 AND unit_id IN ("},
		} {
			sc, err := s.Scope(MustAs(t, d, tc.login))
			if err != nil {
				t.Fatal(err)
			}
			var w db.Where
			sc.Where(&w, "township_id", "unit_id", 0)
			if got := w.SQL(); (tc.want == "" && got != "") || !strings.Contains(got, tc.want) {
				t.Errorf("%s: %q, want %q", tc.login, got, tc.want)
			}
		}
		sc, _ := s.Scope(MustAs(t, d, "tongji"))
		var w db.Where
		sc.Where(&w, "township_id", "unit_id", ids.shuangtang)
		if got := w.SQL(); !strings.Contains(got, "unit_id IN (") || len(w.Args) < 3 {
			t.Errorf("within 双塘村: %q %v, want its township and its units", got, w.Args)
		}
	})
}

// TestOptionsEscape: a unit's name is text, whatever it holds.
func TestOptionsEscape(t *testing.T) {
	got := string(org.Options([]org.Choice{{ID: 7, Label: `<script>"x"</script>`, Indent: "\u3000"}, {ID: 8, Label: "双塘村"}}, 8))
	want := `<option value="7">` + "\u3000" + `&lt;script&gt;&#34;x&#34;&lt;/script&gt;</option><option value="8" selected>双塘村</option>`
	if got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}
