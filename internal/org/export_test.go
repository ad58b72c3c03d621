package org_test

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

func TestExports(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		srv := MustServer(t, d)
		thisYear := strconv.Itoa(time.Now().In(clock.Beijing).Year())
		tests := []struct {
			login, path string
			want        []string // cells that must appear
			notWant     string
		}{
			{"admin", "/units.xlsx", []string{"XX镇", "双塘村", "临江镇"}, ""},
			{"shuangtang", "/units.xlsx", []string{"双塘村"}, "东湖村"},
			{"admin", "/people.xlsx?q=书记", []string{"张建国", "党委书记"}, "黄秀英"},
			{"admin", "/people.xlsx?q=书记&sort=-name", []string{"编号|姓名|职务|所在单位|电话|企业微信账号|督办职责|有登录账号", "张建国", "20|梁德福|村党总支书记|双塘村|13805150020|LiangDeFu|"}, "黄秀英"},
			{"admin", "/units.xlsx?kind=village", []string{"双塘村", "村"}, "统计站"},
			{"admin", "/users.xlsx", []string{"账号|角色|所属单位|对应人员|状态|最近登录", "shuangtang|填报员|双塘村|宋小芳|正常", "linjiang"}, ""},
			{"admin", "/users.xlsx?role=leader", []string{"zhenzhang", "shuji", "班子成员"}, "shuangtang"},
			{"shuangtang", "/users.xlsx", nil, ""}, // refused below
			{"admin", "/campaigns.xlsx?year=" + thisYear, []string{"大干一百天，冲刺四季度|XX镇", "临江镇"}, ""},
			{"zhenzhang", "/campaigns.xlsx", []string{"大干一百天，冲刺四季度|XX镇"}, "临江镇"},
		}
		for _, tt := range tests {
			t.Run(tt.login+tt.path, func(t *testing.T) {
				b := SignIn(t, srv.URL, tt.login)
				req, _ := http.NewRequest(http.MethodGet, srv.URL+tt.path, nil)
				resp, err := b.c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if tt.want == nil {
					if resp.StatusCode != http.StatusForbidden {
						t.Errorf("status %d, want 403", resp.StatusCode)
					}
					return
				}
				if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "filename*=UTF-8''") {
					t.Fatalf("status %d, disposition %q", resp.StatusCode, resp.Header.Get("Content-Disposition"))
				}
				f, err := excelize.OpenReader(bytes.NewReader(body))
				if err != nil {
					t.Fatalf("not an xlsx: %v", err)
				}
				rows, _ := f.GetRows(f.GetSheetName(0))
				var all strings.Builder
				for _, r := range rows {
					all.WriteString(strings.Join(r, "|") + "\n")
				}
				for _, w := range tt.want {
					if !strings.Contains(all.String(), w) {
						t.Errorf("%s lacks %q:\n%s", tt.path, w, all.String())
					}
				}
				if tt.notWant != "" && strings.Contains(all.String(), tt.notWant) {
					t.Errorf("%s shows %q outside the scope", tt.path, tt.notWant)
				}
			})
		}
	})
}
