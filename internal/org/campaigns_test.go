package org_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
)

// mustAccount creates an account as the system, with the demo password.
func mustAccount(tb testing.TB, s *org.Store, login string, role auth.Role, unit int64) {
	tb.Helper()
	if _, err := s.CreateAccount(asSystem(), org.AccountInput{Login: login, Password: demo.Password, Role: role, UnitID: unit, Seed: true}); err != nil {
		tb.Fatalf("account %s: %v", login, err)
	}
}

func TestCampaignStore(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		s := &org.Store{DB: d}
		tr := mustTree(t, s)
		mustAccount(t, s, "jialeader", auth.Leader, tr.A.ID)
		mustAccount(t, s, "jiatongji", auth.Statistician, tr.A.ID)
		mustAccount(t, s, "yiadmin", auth.Admin, tr.B.ID)
		mustAccount(t, s, "yicun", auth.Reporter, tr.V1.ID)
		leader := MustAs(t, d, "jialeader")

		push, err := s.AddCampaign(leader, org.CampaignInput{TownshipID: tr.A.ID, Name: " 大干一百天，冲刺四季度 ", Start: "2026-09-23", End: "2026-12-31", Goals: "全年目标任务圆满完成"})
		if err != nil {
			t.Fatal(err)
		}
		if push.Name != "大干一百天，冲刺四季度" || push.Year != 2026 || push.TownshipName != "甲镇" || push.Goals != "全年目标任务圆满完成" ||
			push.Start.Format(clock.DateFormat) != "2026-09-23" || push.End.Format(clock.DateFormat) != "2026-12-31" {
			t.Errorf("campaign = %+v", push)
		}
		var after string
		d.QueryRowContext(context.Background(), `SELECT after_json FROM audit_log WHERE action = 'create' AND entity = 'campaign' AND entity_id = $1`, audit.ID(push.ID)).Scan(&after)
		if !strings.Contains(after, "全年目标任务圆满完成") || !strings.Contains(after, "2026-09-23") {
			t.Errorf("audit of the create = %q, want the campaign's goals and period", after)
		}

		t.Run("input refused", func(t *testing.T) {
			long := strings.Repeat("长", org.MaxCampaignName+1)
			goals := strings.Repeat("标", org.MaxGoals+1)
			ok := func(in org.CampaignInput) org.CampaignInput {
				if in.TownshipID == 0 {
					in.TownshipID = tr.A.ID
				}
				return in
			}
			tests := []struct {
				name  string
				in    org.CampaignInput
				field string
				key   string
			}{
				{"no name", ok(org.CampaignInput{Name: " ", Start: "2026-03-01", End: "2026-05-31"}), "name", "form.err.required"},
				{"a long name", ok(org.CampaignInput{Name: long, Start: "2026-03-01", End: "2026-05-31"}), "name", "form.err.too_long"},
				{"long goals", ok(org.CampaignInput{Name: "春季攻坚", Start: "2026-03-01", End: "2026-05-31", Goals: goals}), "goals", "form.err.too_long"},
				{"a date not YYYY-MM-DD", ok(org.CampaignInput{Name: "春季攻坚", Start: "2026/03/01", End: "2026-05-31"}), "start", "form.err.bad_date"},
				{"no such day", ok(org.CampaignInput{Name: "春季攻坚", Start: "2026-02-30", End: "2026-05-31"}), "start", "form.err.bad_date"},
				{"no end", ok(org.CampaignInput{Name: "春季攻坚", Start: "2026-03-01"}), "end", "form.err.required"},
				{"end before start", ok(org.CampaignInput{Name: "春季攻坚", Start: "2026-05-31", End: "2026-03-01"}), "end", "org.err.end_before_start"},
				{"across two years", ok(org.CampaignInput{Name: "冬季攻坚", Start: "2026-12-01", End: "2027-01-31"}), "end", "org.err.campaign_one_year"},
				{"the same name in the same year", ok(org.CampaignInput{Name: "大干一百天，冲刺四季度", Start: "2026-01-01", End: "2026-03-31"}), "name", "org.err.duplicate_campaign"},
				{"a village, not a township", org.CampaignInput{TownshipID: tr.V1.ID, Name: "村级攻坚", Start: "2026-03-01", End: "2026-05-31"}, "township_id", "org.err.campaign_not_township"},
				{"no township", org.CampaignInput{Name: "春季攻坚", Start: "2026-03-01", End: "2026-05-31"}, "township_id", "form.err.required"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rows, audits := count(t, d, "campaigns"), count(t, d, "audit_log")
					_, err := s.AddCampaign(leader, tt.in)
					wantCode(t, err, platform.Invalid, "", "")
					if got := fieldErrors(err)[tt.field]; got != tt.key {
						t.Errorf("error on %s = %q, want %q (all: %v)", tt.field, got, tt.key, fieldErrors(err))
					}
					if count(t, d, "campaigns") != rows || count(t, d, "audit_log") != audits {
						t.Error("a refused campaign left a row or an audit entry")
					}
				})
			}
			// A campaign may last a single day; one of another year may share a name.
			if _, err := s.AddCampaign(leader, org.CampaignInput{TownshipID: tr.A.ID, Name: "现场会", Start: "2026-06-01", End: "2026-06-01"}); err != nil {
				t.Errorf("a one-day campaign: %v", err)
			}
			if _, err := s.AddCampaign(leader, org.CampaignInput{TownshipID: tr.A.ID, Name: "大干一百天，冲刺四季度", Start: "2027-09-23", End: "2027-12-31"}); err != nil {
				t.Errorf("the same name next year: %v", err)
			}
		})

		t.Run("update", func(t *testing.T) {
			in := org.CampaignInput{Name: "大干一百天，冲刺四季度", Start: "2026-09-22", End: "2026-12-31", Goals: "入库税收确保3.6亿元"}
			if err := s.UpdateCampaign(leader, push.ID, in); err != nil {
				t.Fatal(err)
			}
			got, err := s.Campaign(leader, push.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Goals != in.Goals || got.Start.Format(clock.DateFormat) != "2026-09-22" {
				t.Errorf("after the update: %+v", got)
			}
			var before, after string
			d.QueryRowContext(context.Background(), `SELECT before_json, after_json FROM audit_log WHERE action = 'update' AND entity = 'campaign' AND entity_id = $1`, audit.ID(push.ID)).Scan(&before, &after)
			if !strings.Contains(before, "全年目标任务圆满完成") || !strings.Contains(before, "2026-09-23") || !strings.Contains(after, "入库税收确保3.6亿元") || !strings.Contains(after, "2026-09-22") {
				t.Errorf("audit of the update: before %s, after %s", before, after)
			}
			err = s.UpdateCampaign(leader, push.ID, org.CampaignInput{Name: "大干一百天，冲刺四季度", Start: "2026-09-22", End: "2027-01-10"})
			wantCode(t, err, platform.Invalid, "org.err.campaign_one_year", "end")
			if got, _ := s.Campaign(leader, push.ID); got.End.Format(clock.DateFormat) != "2026-12-31" {
				t.Errorf("end after a refused update = %s", got.End.Format(clock.DateFormat))
			}
		})

		t.Run("permission after scope", func(t *testing.T) {
			stat := MustAs(t, d, "jiatongji")
			_, err := s.AddCampaign(stat, org.CampaignInput{TownshipID: tr.A.ID, Name: "统计攻坚", Start: "2026-03-01", End: "2026-05-31"})
			wantCode(t, err, platform.Forbidden, "", "")
			wantCode(t, s.UpdateCampaign(stat, push.ID, org.CampaignInput{Name: "改", Start: "2026-03-01", End: "2026-05-31"}), platform.Forbidden, "", "")
			if _, err := s.Campaign(stat, push.ID); err != nil {
				t.Errorf("a statistician reads the campaign: %v", err)
			}
		})

		t.Run("outside the scope", func(t *testing.T) {
			yi := MustAs(t, d, "yiadmin") // an admin of 乙镇
			campaigns := auditCount(t, d, audit.Denied, "campaign", audit.ID(push.ID))
			units := auditCount(t, d, audit.Denied, "unit", audit.ID(tr.A.ID))
			if _, err := s.Campaign(yi, push.ID); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("read: err = %v, want not found", err)
			}
			wantCode(t, s.UpdateCampaign(yi, push.ID, org.CampaignInput{Name: "乙镇改", Start: "2026-03-01", End: "2026-05-31"}), platform.NotFound, "", "")
			_, err := s.AddCampaign(yi, org.CampaignInput{TownshipID: tr.A.ID, Name: "乙镇插手", Start: "2026-03-01", End: "2026-05-31"})
			wantCode(t, err, platform.NotFound, "", "")
			if _, _, err := s.FindCampaigns(yi, org.CampaignFilter{TownshipID: &tr.A.ID}); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("list 甲镇's: err = %v, want not found", err)
			}
			if got := auditCount(t, d, audit.Denied, "campaign", audit.ID(push.ID)); got != campaigns+2 {
				t.Errorf("denied rows for the campaign = %d, want %d", got, campaigns+2)
			}
			if got := auditCount(t, d, audit.Denied, "unit", audit.ID(tr.A.ID)); got != units+2 {
				t.Errorf("denied rows for 甲镇 = %d, want %d", got, units+2)
			}
			if rows, total, err := s.FindCampaigns(yi, org.CampaignFilter{}); err != nil || total != 0 || len(rows) != 0 {
				t.Errorf("乙镇's admin lists %d campaigns (total %d, %v), want none", len(rows), total, err)
			}
			if got, _ := s.Campaign(leader, push.ID); got.Name != "大干一百天，冲刺四季度" {
				t.Errorf("name after refused writes = %q", got.Name)
			}
		})

		t.Run("a village reads its township's, and cannot change them", func(t *testing.T) {
			v := MustAs(t, d, "yicun")
			if _, err := s.Campaign(v, push.ID); err != nil {
				t.Errorf("read from 一村: %v", err)
			}
			if _, total, err := s.FindCampaigns(v, org.CampaignFilter{TownshipID: &tr.A.ID}); err != nil || total != 3 {
				t.Errorf("list from 一村: total %d, %v; want 3", total, err)
			}
			denied := auditCount(t, d, audit.Denied, "campaign", audit.ID(push.ID))
			wantCode(t, s.UpdateCampaign(v, push.ID, org.CampaignInput{Name: "村改", Start: "2026-03-01", End: "2026-05-31"}), platform.NotFound, "", "")
			if got := auditCount(t, d, audit.Denied, "campaign", audit.ID(push.ID)); got != denied+1 {
				t.Errorf("denied rows = %d, want %d", got, denied+1)
			}
		})

		t.Run("list", func(t *testing.T) {
			if _, err := s.AddCampaign(asSystem(), org.CampaignInput{TownshipID: tr.B.ID, Name: "乙镇冲刺", Start: "2026-10-01", End: "2026-11-30"}); err != nil {
				t.Fatal(err)
			}
			y2026, y2027 := 2026, 2027
			spec := &web.ListSpec{Sorts: org.CampaignSorts, PerPage: 2}
			tests := []struct {
				name  string
				f     org.CampaignFilter
				want  string
				total int
			}{
				{"all, latest end first", org.CampaignFilter{}, "大干一百天，冲刺四季度,大干一百天，冲刺四季度,乙镇冲刺,现场会", 4},
				{"a township", org.CampaignFilter{TownshipID: &tr.B.ID}, "乙镇冲刺", 1},
				{"a year", org.CampaignFilter{Year: &y2027}, "大干一百天，冲刺四季度", 1},
				{"a township's year", org.CampaignFilter{TownshipID: &tr.A.ID, Year: &y2026}, "大干一百天，冲刺四季度,现场会", 2},
				{"by start, first page", org.CampaignFilter{Page: mustList(t, spec, "sort=start")}, "现场会,大干一百天，冲刺四季度", 4},
				{"by start, second page", org.CampaignFilter{Page: mustList(t, spec, "sort=start&page=2")}, "乙镇冲刺,大干一百天，冲刺四季度", 4},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rows, total, err := s.FindCampaigns(asSystem(), tt.f)
					if err != nil {
						t.Fatal(err)
					}
					var names []string
					for _, c := range rows {
						names = append(names, c.Name)
					}
					if got := strings.Join(names, ","); got != tt.want || total != tt.total {
						t.Errorf("campaigns = %s (total %d), want %s (%d)", got, total, tt.want, tt.total)
					}
				})
			}
			// The board's read: every campaign the caller may read, latest end first.
			cs, err := s.Campaigns(MustAs(t, d, "yicun"))
			if err != nil || len(cs) != 3 || cs[0].End.Year() != 2027 {
				t.Errorf("Campaigns from 一村 = %+v, %v", cs, err)
			}
		})

		t.Run("the demo's way in", func(t *testing.T) {
			start := time.Date(2028, 9, 23, 0, 0, 0, 0, clock.Beijing)
			c, err := s.CreateCampaign(asSystem(), org.Campaign{TownshipID: tr.B.ID, Name: "大干一百天，冲刺四季度", Start: start, End: start.AddDate(0, 0, 99)})
			if err != nil {
				t.Fatal(err)
			}
			if c.ID == 0 || c.Year != 2028 || !c.Start.Equal(start) {
				t.Errorf("created %+v", c)
			}
		})
	})
}

// TestCampaignPages drives the campaign pages as the township head
// (zhenzhang, a leader of XX镇), a viewer, and an admin of 临江镇.
func TestCampaignPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		srv := MustServer(t, d)
		s := &org.Store{DB: d}
		linjiang := MustUnitID(t, d, "示范区", "临江镇")
		mustAccount(t, s, "ljadmin", auth.Admin, linjiang)
		var xx int64
		d.QueryRowContext(context.Background(), `SELECT id FROM campaigns WHERE township_id = $1`, ids.township).Scan(&xx)
		year := time.Now().In(clock.Beijing).Year()
		y := func(md string) string { return audit.ID(int64(year)) + "-" + md }

		b := SignIn(t, srv.URL, "zhenzhang")
		status, body := b.Get("/campaigns")
		if status != 200 || !strings.Contains(body, demo.CampaignName) || !strings.Contains(body, `data-testid="campaign-new"`) {
			t.Fatalf("GET /campaigns as zhenzhang = %d, want the demo campaign and the new button", status)
		}
		if status, body := b.Get("/campaigns/new"); status != 200 || !strings.Contains(body, `data-testid="campaign-form"`) {
			t.Fatalf("GET /campaigns/new = %d", status)
		}

		t.Run("bad input", func(t *testing.T) {
			tests := []struct {
				name, path string
				form       url.Values
				status     int
				field      string
				text       string
			}{
				{"end before start", "/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "name": {"春季攻坚"}, "start": {y("05-31")}, "end": {y("03-01")}}, 422, "end", "结束日期不能早于开始日期"},
				{"across two years", "/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "name": {"跨年攻坚"}, "start": {y("12-01")}, "end": {audit.ID(int64(year+1)) + "-01-31"}}, 422, "end", "攻坚行动须在同一年度内"},
				{"no name", "/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "start": {y("03-01")}, "end": {y("05-31")}}, 422, "name", "必填"},
				{"a date not YYYY-MM-DD", "/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "name": {"春季攻坚"}, "start": {"3月1日"}, "end": {y("05-31")}}, 422, "start", "日期格式应为 年-月-日"},
				{"long goals", "/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "name": {"春季攻坚"}, "start": {y("03-01")}, "end": {y("05-31")}, "goals": {strings.Repeat("标", org.MaxGoals+1)}}, 422, "goals", "不能超过2000个字"},
				{"the demo's name again", "/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "name": {demo.CampaignName}, "start": {y("03-01")}, "end": {y("05-31")}}, 422, "name", "本年度已有同名行动"},
				{"edit across two years", "/campaigns/" + audit.ID(xx), url.Values{"name": {demo.CampaignName}, "start": {y("12-01")}, "end": {audit.ID(int64(year+1)) + "-01-31"}}, 422, "end", "攻坚行动须在同一年度内"},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					rows, audits := count(t, d, "campaigns"), count(t, d, "audit_log")
					status, body := b.Post(tt.path, tt.form)
					if status != tt.status {
						t.Fatalf("POST %s = %d, want %d", tt.path, status, tt.status)
					}
					near := regexp.MustCompile(`data-testid="error-` + tt.field + `">[^<]*` + regexp.QuoteMeta(tt.text))
					if !near.MatchString(body) {
						t.Errorf("POST %s: no %q next to %s", tt.path, tt.text, tt.field)
					}
					if count(t, d, "campaigns") != rows || count(t, d, "audit_log") != audits {
						t.Error("a refused form changed something")
					}
				})
			}
		})

		t.Run("add and edit", func(t *testing.T) {
			to := mustPost(t, b, "/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "name": {"项目建设攻坚月"}, "start": {y("06-01")}, "end": {y("06-30")}, "goals": {"开工项目5个"}})
			if !strings.HasPrefix(to, "/campaigns/") {
				t.Fatalf("after adding: redirect to %s", to)
			}
			_, body := b.Get(to)
			if !strings.Contains(body, "已保存") || !strings.Contains(body, "开工项目5个") || !strings.Contains(body, `value="`+y("06-30")+`"`) {
				t.Errorf("GET %s after adding: no flash, goals or end", to)
			}
			if got := mustPost(t, b, to, url.Values{"name": {"项目建设攻坚月"}, "start": {y("06-01")}, "end": {y("07-15")}, "goals": {"开工项目6个"}}); got != to {
				t.Errorf("after editing: redirect to %s", got)
			}
			if _, body := b.Get("/campaigns?year=" + audit.ID(int64(year)) + "&township=" + audit.ID(ids.township)); !strings.Contains(body, "项目建设攻坚月") || !strings.Contains(body, y("07-15")) {
				t.Error("the list does not show the edited campaign")
			}
			id := strings.TrimPrefix(to, "/campaigns/")
			if auditCount(t, d, audit.Create, "campaign", id) != 1 || auditCount(t, d, audit.Update, "campaign", id) != 1 {
				t.Error("the create and the update are not both audited")
			}
		})

		t.Run("a viewer reads only", func(t *testing.T) {
			g := SignIn(t, srv.URL, "guest")
			status, body := g.Get("/campaigns/" + audit.ID(xx))
			if status != 200 || strings.Contains(body, `data-testid="campaign-form"`) || !strings.Contains(body, `data-testid="campaign-details"`) {
				t.Errorf("guest GET the campaign = %d, want its details without the form", status)
			}
			if _, body := g.Get("/campaigns"); strings.Contains(body, `data-testid="campaign-new"`) {
				t.Error("guest sees the new campaign button")
			}
			if status, _ := g.Get("/campaigns/new"); status != http.StatusForbidden {
				t.Errorf("guest GET /campaigns/new = %d, want 403", status)
			}
			if status, _ := g.Post("/campaigns/"+audit.ID(xx), url.Values{"name": {"改"}, "start": {y("03-01")}, "end": {y("05-31")}}); status != http.StatusForbidden {
				t.Errorf("guest POST the campaign = %d, want 403", status)
			}
		})

		t.Run("an admin of 临江镇 neither sees nor edits XX镇's", func(t *testing.T) {
			lj := SignIn(t, srv.URL, "ljadmin")
			denied := auditCount(t, d, audit.Denied, "campaign", audit.ID(xx))
			if status, body := lj.Get("/campaigns/" + audit.ID(xx)); status != http.StatusNotFound || strings.Contains(body, "XX镇") {
				t.Errorf("GET XX镇's campaign = %d, want 404 without its township", status)
			}
			if status, _ := lj.Post("/campaigns/"+audit.ID(xx), url.Values{"name": {"临江镇改"}, "start": {y("03-01")}, "end": {y("05-31")}}); status != http.StatusNotFound {
				t.Errorf("POST XX镇's campaign = %d, want 404", status)
			}
			if got := auditCount(t, d, audit.Denied, "campaign", audit.ID(xx)); got != denied+2 {
				t.Errorf("denied rows = %d, want %d", got, denied+2)
			}
			status, body := lj.Get("/campaigns")
			if status != 200 || strings.Contains(body, `data-testid="campaign-`+audit.ID(xx)+`"`) || !strings.Contains(body, "临江镇") {
				t.Errorf("临江镇's list = %d, want 临江镇's campaign and not XX镇's", status)
			}
			if status, _ := lj.Get("/campaigns?township=" + audit.ID(ids.township)); status != http.StatusNotFound {
				t.Errorf("GET /campaigns filtered by XX镇 = %d, want 404", status)
			}
			if status, _ := lj.Post("/campaigns", url.Values{"township_id": {audit.ID(ids.township)}, "name": {"插手"}, "start": {y("03-01")}, "end": {y("05-31")}}); status != http.StatusNotFound {
				t.Errorf("POST a campaign in XX镇 = %d, want 404", status)
			}
			if _, body := b.Get("/campaigns/" + audit.ID(xx)); !strings.Contains(body, demo.CampaignName) {
				t.Error("XX镇's campaign changed")
			}
		})
	})
}
