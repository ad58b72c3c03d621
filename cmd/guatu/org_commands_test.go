package main

import (
	"context"
	"strings"
	"testing"

	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

func TestUnitAndPersonCommands(t *testing.T) {
	isolate(t)
	engines(t, func(t *testing.T, dsn string) {
		mustRun(t, "", "unit", "add", "--db", dsn, "--kind", "district", "--name", "测试区")
		mustRun(t, "", "unit", "add", "--db", dsn, "--parent", "测试区", "--kind", "township", "--name", "甲镇")
		mustRun(t, "", "unit", "add", "--db", dsn, "--parent", "甲镇", "--kind", "village", "--name", "一村")
		mustRun(t, "", "unit", "add", "--db", dsn, "--parent", "甲镇", "--kind", "village", "--name", "二村")
		mustRun(t, "", "person", "add", "--db", dsn, "--unit", "一村", "--name", "张三", "--title", "村书记")
		tests := []struct {
			name string
			args []string
			want string // in the error; "" for success
		}{
			{"move under its own village", []string{"unit", "move", "--unit", "甲镇", "--parent", "一村"}, "不能把单位移到它自己或它的下级单位之下"},
			{"wrong kind under a village", []string{"unit", "add", "--parent", "一村", "--kind", "township", "--name", "乙镇"}, "该类型的单位不能设在所选上级之下"},
			{"duplicate sibling", []string{"unit", "add", "--parent", "甲镇", "--kind", "village", "--name", "一村"}, "已有名为“一村”的单位"},
			{"delete a unit with people", []string{"unit", "delete", "--unit", "一村"}, "该单位还有1名人员"},
			{"unknown unit", []string{"unit", "rename", "--unit", "三村", "--name", "x"}, "找不到单位“三村”"},
			{"rename", []string{"unit", "rename", "--unit", "二村", "--name", "新二村"}, ""},
			{"delete an empty unit", []string{"unit", "delete", "--unit", "新二村"}, ""},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := runCmd(t, "", append(tt.args, "--db", dsn)...)
				switch {
				case tt.want == "" && r.err != nil:
					t.Errorf("err = %v", r.err)
				case tt.want != "" && (r.err == nil || !strings.Contains(r.err.Error(), tt.want)):
					t.Errorf("err = %v, want it to say %q", r.err, tt.want)
				}
			})
		}
		list := mustRun(t, "", "unit", "list", "--db", dsn)
		if !strings.Contains(list, "甲镇") || !strings.Contains(list, "一村") || strings.Contains(list, "二村") {
			t.Errorf("unit list:\n%s", list)
		}
		people := mustRun(t, "", "person", "list", "--db", dsn, "--unit", "甲镇")
		if !strings.Contains(people, "张三") || !strings.Contains(people, "村书记") {
			t.Errorf("person list:\n%s", people)
		}
	})
}

func TestUserSet(t *testing.T) {
	isolate(t)
	engines(t, func(t *testing.T, dsn string) {
		withDemo(t, dsn)
		mustRun(t, "", "user", "set", "--db", dsn, "--login", "donghu", "--role", "viewer", "--unit", "杨庄村")
		mustRun(t, "", "user", "set", "--db", dsn, "--login", "guest", "--disable")
		list := mustRun(t, "", "user", "list", "--db", dsn)
		for _, want := range []string{"donghu", "viewer", "杨庄村", "disabled"} {
			if !strings.Contains(list, want) {
				t.Errorf("user list lacks %q:\n%s", want, list)
			}
		}
		if r := runCmd(t, "", "user", "set", "--db", dsn, "--login", "donghu", "--role", "boss"); r.err == nil || !strings.Contains(r.err.Error(), "角色无效") {
			t.Errorf("bad role: %v", r.err)
		}
		if r := runCmd(t, "", "user", "set", "--db", dsn, "--login", "nobody", "--role", "viewer"); r.err == nil {
			t.Error("unknown login accepted")
		}
	})
}

// TestUnitMoveCarriesTheRooms: a village moved to another township from the
// command line takes its targets along, as from the pages.
func TestUnitMoveCarriesTheRooms(t *testing.T) {
	isolate(t)
	engines(t, func(t *testing.T, dsn string) {
		withDemo(t, dsn)
		mustRun(t, "", "unit", "move", "--db", dsn, "--unit", "杨庄村", "--parent", "临江镇")
		ctx := context.Background()
		d, err := db.Open(ctx, dsn)
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		var wrong, all int
		err = d.QueryRowContext(ctx, `SELECT COUNT(*), SUM(CASE WHEN t.township_id = u.parent_id THEN 0 ELSE 1 END)
			FROM targets t JOIN units u ON u.id = t.unit_id WHERE u.name = '杨庄村'`).Scan(&all, &wrong)
		if err != nil {
			t.Fatal(err)
		}
		if all == 0 || wrong != 0 {
			t.Errorf("杨庄村 has %d targets, %d of them not with its new township", all, wrong)
		}
		diffs, err := (&targets.Store{DB: d}).CheckProgress(system(ctx))
		if err != nil {
			t.Fatal(err)
		}
		if len(diffs) > 0 {
			t.Errorf("kept progress after the move: %v", diffs[:min(len(diffs), 5)])
		}
	})
}
