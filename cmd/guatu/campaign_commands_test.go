package main

import (
	"context"
	"strings"
	"testing"
)

func TestCampaignCommands(t *testing.T) {
	isolate(t)
	engines(t, func(t *testing.T, dsn string) {
		mustRun(t, "", "unit", "add", "--db", dsn, "--kind", "district", "--name", "测试区")
		mustRun(t, "", "unit", "add", "--db", dsn, "--parent", "测试区", "--kind", "township", "--name", "甲镇")
		mustRun(t, "", "unit", "add", "--db", dsn, "--parent", "测试区", "--kind", "township", "--name", "乙镇")
		mustRun(t, "", "unit", "add", "--db", dsn, "--parent", "甲镇", "--kind", "village", "--name", "一村")
		out := mustRun(t, "", "campaign", "add", "--db", dsn, "--township", "甲镇", "--name", "大干一百天，冲刺四季度",
			"--start", "2026-09-23", "--end", "2026-12-31", "--goals", "全年目标任务圆满完成")
		if !strings.Contains(out, "created campaign 大干一百天，冲刺四季度") || !strings.Contains(out, "甲镇") {
			t.Errorf("campaign add said %q", out)
		}
		mustRun(t, "", "campaign", "add", "--db", dsn, "--township", "乙镇", "--name", "乙镇冲刺", "--start", "2026-10-01", "--end", "2026-11-30")
		d := openDSN(t, dsn)
		var id string
		if err := d.QueryRowContext(context.Background(), `SELECT CAST(id AS TEXT) FROM campaigns WHERE name = '大干一百天，冲刺四季度'`).Scan(&id); err != nil {
			t.Fatal(err)
		}

		tests := []struct {
			name string
			args []string
			want string // in the error; "" for success
		}{
			{"end before start", []string{"campaign", "add", "--township", "甲镇", "--name", "春季攻坚", "--start", "2026-05-31", "--end", "2026-03-01"}, "end: 结束日期不能早于开始日期"},
			{"across two years", []string{"campaign", "add", "--township", "甲镇", "--name", "冬季攻坚", "--start", "2026-12-01", "--end", "2027-01-31"}, "end: 攻坚行动须在同一年度内"},
			{"a date not YYYY-MM-DD", []string{"campaign", "add", "--township", "甲镇", "--name", "春季攻坚", "--start", "2026/03/01", "--end", "2026-05-31"}, "start: 日期格式应为 年-月-日"},
			{"a village", []string{"campaign", "add", "--township", "一村", "--name", "村级攻坚", "--start", "2026-03-01", "--end", "2026-05-31"}, "township_id: 攻坚行动只能设在镇/街道"},
			{"no such township", []string{"campaign", "add", "--township", "丙镇", "--name", "春季攻坚", "--start", "2026-03-01", "--end", "2026-05-31"}, "找不到单位“丙镇”"},
			{"the same name again", []string{"campaign", "add", "--township", "甲镇", "--name", "大干一百天，冲刺四季度", "--start", "2026-01-01", "--end", "2026-03-31"}, "name: 本年度已有同名行动"},
			{"no name", []string{"campaign", "add", "--township", "甲镇", "--start", "2026-03-01", "--end", "2026-05-31"}, "usage"},
			{"set without an id", []string{"campaign", "set", "--name", "x"}, "usage"},
			{"set a campaign that is not there", []string{"campaign", "set", "--id", "99999", "--name", "x"}, "找不到该页面或数据"},
			{"set across two years", []string{"campaign", "set", "--id", id, "--end", "2027-01-31"}, "end: 攻坚行动须在同一年度内"},
			{"set the period and goals", []string{"campaign", "set", "--id", id, "--start", "2026-09-22", "--goals", "入库税收确保3.6亿元"}, ""},
			{"unknown subcommand", []string{"campaign", "delete", "--id", id}, "usage"},
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
		var name, start, end, goals string
		if err := d.QueryRowContext(context.Background(), `SELECT name, start_date, end_date, goals FROM campaigns WHERE CAST(id AS TEXT) = $1`, id).Scan(&name, &start, &end, &goals); err != nil {
			t.Fatal(err)
		}
		if name != "大干一百天，冲刺四季度" || start != "2026-09-22" || end != "2026-12-31" || goals != "入库税收确保3.6亿元" {
			t.Errorf("after set: %s %s–%s %q; want the name and end kept, the start and goals changed", name, start, end, goals)
		}
		if got := countRows(t, d, "campaigns"); got != 2 {
			t.Errorf("campaigns = %d, want 2 (the refused ones not written)", got)
		}

		list := mustRun(t, "", "campaign", "list", "--db", dsn)
		for _, want := range []string{"大干一百天，冲刺四季度", "乙镇冲刺", "2026-09-22", "2026-12-31"} {
			if !strings.Contains(list, want) {
				t.Errorf("campaign list lacks %q:\n%s", want, list)
			}
		}
		list = mustRun(t, "", "campaign", "list", "--db", dsn, "--township", "乙镇")
		if !strings.Contains(list, "乙镇冲刺") || strings.Contains(list, "大干一百天") {
			t.Errorf("campaign list --township 乙镇:\n%s", list)
		}
	})
}
