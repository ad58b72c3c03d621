package targets_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/targets"
)

// personID finds a demo person by name.
func personID(t *testing.T, d *db.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatalf("person %s: %v", name, err)
	}
	return id
}

// leaderOf reads a target's leader in charge as kept, and its kept
// progress's; 0 for none.
func leaderOf(t *testing.T, d *db.DB, id int64) (target, kept int64) {
	t.Helper()
	if err := d.QueryRowContext(context.Background(), `SELECT COALESCE(t.leader_id, 0), COALESCE(p.leader_id, 0)
		FROM targets t JOIN target_progress p ON p.target_id = t.id WHERE t.id = $1`, id).Scan(&target, &kept); err != nil {
		t.Fatal(err)
	}
	return target, kept
}

// zh translates an error as a person reading Chinese sees it.
func zh(err error) string {
	pe := platform.AsError(err)
	return i18n.New(targets.Messages()...).T(i18n.ZH, pe.Key, pe.Args...)
}

// TestLeaderRule: a target's leader in charge (分管领导) must sit on its
// township's leadership team, and a share given none takes its parent's.
func TestLeaderRule(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		s := store(d)
		id := func(n int64) *int64 { return &n }
		liu, zhao, li := personID(t, d, "刘晓明"), personID(t, d, "赵丽华"), personID(t, d, "李卫东")
		huang, peng := personID(t, d, "黄秀英"), personID(t, d, "彭晓燕")
		budget := targetID(t, d, "一般公共预算收入", "XX镇") // 李卫东's, not split
		industry := targetID(t, d, "工业投资", "XX镇")   // 刘晓明's, not split
		tests := []struct {
			name   string
			login  string
			in     targets.TargetInput
			leader int64  // the leader the new target has, when accepted
			field  string // the field refused; "" when accepted
			words  []string
		}{
			{name: "a member of the team", login: "tongji", leader: liu,
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: unitIDByName(t, d, "杨庄村"), Value: ptr(2), LeaderID: &liu}},
			{name: "none named", login: "tongji",
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: unitIDByName(t, d, "柳河村"), Value: ptr(2)}},
			{name: "the statistician is not on the team", login: "tongji", field: "leader_id", words: []string{"分管领导", "XX镇", "黄秀英"},
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: unitIDByName(t, d, "双塘村"), Value: ptr(2), LeaderID: &huang}},
			{name: "another township's person, not named", login: "tongji", field: "leader_id", words: []string{"分管领导", "XX镇领导班子", "请从班子成员中选择"},
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: unitIDByName(t, d, "双塘村"), Value: ptr(2), LeaderID: &peng}},
			{name: "nobody", login: "tongji", field: "leader_id", words: []string{"分管领导"},
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: unitIDByName(t, d, "双塘村"), Value: ptr(2), LeaderID: id(999999)}},
			{name: "another township's team", login: "linjiang", field: "leader_id", words: []string{"分管领导", "临江镇"},
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: res.Neighbours[0], Value: ptr(2), LeaderID: &liu}},
			{name: "a share inherits its parent's", login: "tongji", leader: li,
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "一般公共预算收入"), UnitID: unitIDByName(t, d, "双塘村"), ParentID: &budget, Value: ptr(9000)}},
			{name: "a share keeps its own", login: "tongji", leader: zhao,
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: unitIDByName(t, d, "东湖村"), ParentID: &industry, Value: ptr(3), LeaderID: &zhao}},
			{name: "a share's own must be on the team", login: "tongji", field: "leader_id", words: []string{"黄秀英"},
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: unitIDByName(t, d, "振兴社区"), ParentID: &industry, Value: ptr(3), LeaderID: &huang}},
			{name: "a district has no team", login: "admin", field: "leader_id", words: []string{"示范区", "没有领导班子"},
				in: targets.TargetInput{IndicatorID: indicatorID(t, d, "工业投资"), UnitID: districtID(t, d), Value: ptr(60), LeaderID: &liu}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				tt.in.Year = 2026
				before := countRows(t, d, `SELECT COUNT(*) FROM targets`)
				row, err := s.CreateTarget(as(t, d, tt.login), tt.in)
				if tt.field != "" {
					pe := platform.AsError(err)
					if pe.Code != platform.Invalid || pe.Field != tt.field {
						t.Fatalf("err = %v, want invalid on %s", err, tt.field)
					}
					msg := zh(err)
					for _, w := range tt.words {
						if !strings.Contains(msg, w) {
							t.Errorf("message %q lacks %q", msg, w)
						}
					}
					if after := countRows(t, d, `SELECT COUNT(*) FROM targets`); after != before {
						t.Errorf("targets %d → %d after a refusal", before, after)
					}
					return
				}
				if err != nil {
					t.Fatalf("CreateTarget: %v", err)
				}
				var got int64
				if row.LeaderID != nil {
					got = *row.LeaderID
				}
				if got != tt.leader {
					t.Errorf("leader = %d, want %d", got, tt.leader)
				}
				if target, kept := leaderOf(t, d, row.ID); target != tt.leader || kept != tt.leader {
					t.Errorf("kept leader = %d (progress %d), want %d", target, kept, tt.leader)
				}
				if tt.leader != 0 && row.LeaderName == "" {
					t.Errorf("the new target's leader is not named")
				}
			})
		}
		if diffs, err := s.CheckProgress(as(t, d, "admin")); err != nil || len(diffs) > 0 {
			t.Errorf("kept progress: %v %v", diffs, err)
		}
	})
}

func districtID(t *testing.T, d *db.DB) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM units WHERE parent_id IS NULL`).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// TestSetLeader: changing a target's leader carries along the shares that
// carried the old one, and no other; it is audited per target, kept in the
// progress, refused off the team, to those who do not keep targets and out
// of scope.
func TestSetLeader(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		loadDemo(t, d)
		s := store(d)
		ctx := as(t, d, "tongji")
		liu, zhao, li := personID(t, d, "刘晓明"), personID(t, d, "赵丽华"), personID(t, d, "李卫东")
		tax := targetID(t, d, "入库税收", "XX镇")
		shares := map[string]int64{}
		for _, v := range []string{"双塘村", "东湖村", "杨庄村", "柳河村", "振兴社区", "新华社区"} {
			shares[v] = targetID(t, d, "入库税收", v)
			if got, _ := leaderOf(t, d, shares[v]); got != li {
				t.Fatalf("the demo's share of %s has leader %d, want the parent's %d", v, got, li)
			}
		}
		if _, err := s.SetLeader(ctx, shares["东湖村"], &zhao); err != nil {
			t.Fatal(err)
		}
		audits := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'target' AND action = 'update'`)
		row, err := s.SetLeader(ctx, tax, &liu)
		if err != nil {
			t.Fatal(err)
		}
		if row.LeaderID == nil || *row.LeaderID != liu || row.LeaderName != "刘晓明" {
			t.Errorf("SetLeader returned leader %v %q, want 刘晓明", row.LeaderID, row.LeaderName)
		}
		for v, id := range shares {
			want := liu
			if v == "东湖村" {
				want = zhao // given its own, it keeps it
			}
			if got, kept := leaderOf(t, d, id); got != want || kept != want {
				t.Errorf("%s's share: leader %d (kept %d), want %d", v, got, kept, want)
			}
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'target' AND action = 'update'`) - audits; n != 6 {
			t.Errorf("audit entries = %d, want 6 (the target and the five shares that followed)", n)
		}
		if _, err := s.SetLeader(ctx, tax, &liu); err != nil {
			t.Fatal(err)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'target' AND action = 'update'`) - audits; n != 6 {
			t.Errorf("naming the same leader again wrote %d more entries", n-6)
		}
		if _, err := s.SetLeader(ctx, tax, nil); err != nil {
			t.Fatal(err)
		}
		if got, _ := leaderOf(t, d, shares["双塘村"]); got != 0 {
			t.Errorf("after clearing, 双塘村's share has leader %d", got)
		}
		if got, _ := leaderOf(t, d, shares["东湖村"]); got != zhao {
			t.Errorf("after clearing, 东湖村's own leader became %d", got)
		}
		huang := personID(t, d, "黄秀英")
		if _, err := s.SetLeader(ctx, tax, &huang); platform.ErrorCode(err) != platform.Invalid || platform.AsError(err).Field != "leader_id" {
			t.Errorf("a leader off the team: %v, want invalid on leader_id", err)
		}
		if _, err := s.SetLeader(as(t, d, "guest"), tax, &liu); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a viewer: %v, want forbidden", err)
		}
		if _, err := s.SetLeader(as(t, d, "linjiang"), tax, nil); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another township's statistician: %v, want not found", err)
		}
		if diffs, err := s.CheckProgress(ctx); err != nil || len(diffs) > 0 {
			t.Errorf("kept progress: %v %v", diffs, err)
		}
	})
}

// TestLeaderAPI: the API names the leader, filters by it, creates with it
// and changes it with PATCH.
func TestLeaderAPI(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		base, token := apiServer(t, d)
		stat := token("tongji")
		liu := personID(t, d, "刘晓明")
		var list struct {
			Targets []targets.TargetJSON `json:"targets"`
			Total   int                  `json:"total"`
		}
		q := base + "/api/v1/targets?limit=1000&leader=" + strconv.FormatInt(liu, 10)
		if code := call(t, "GET", q, stat, "", &list); code != 200 {
			t.Fatalf("GET %s: %d", q, code)
		}
		want := countRows(t, d, `SELECT COUNT(*) FROM targets WHERE leader_id = $1`, liu)
		if list.Total != want || len(list.Targets) != want || want == 0 {
			t.Errorf("leader filter: total %d, %d rows, want %d", list.Total, len(list.Targets), want)
		}
		for _, x := range list.Targets {
			if x.LeaderID == nil || *x.LeaderID != liu || x.Leader == nil || *x.Leader != "刘晓明" {
				t.Errorf("%s of %s: leader %v %v, want 刘晓明", x.Indicator, x.Unit, x.LeaderID, x.Leader)
			}
		}
		// The person's name, not an id, for a share named for someone.
		call(t, "GET", base+"/api/v1/targets?limit=1000", stat, "", &list)
		named := false
		for _, x := range list.Targets {
			if x.PersonID != nil {
				named = true
				if x.Person == nil || *x.Person == "" {
					t.Errorf("%s of %s: person %d unnamed", x.Indicator, x.Unit, *x.PersonID)
				}
			}
		}
		if !named {
			t.Error("the demo has no target named for a person")
		}

		tax := targetID(t, d, "入库税收", "XX镇")
		path := base + "/api/v1/targets/" + strconv.FormatInt(tax, 10)
		var got targets.TargetJSON
		if code := call(t, "PATCH", path, stat, `{"leader_id": `+strconv.FormatInt(liu, 10)+`}`, &got); code != 200 {
			t.Fatalf("PATCH leader: %d", code)
		}
		if got.LeaderID == nil || *got.LeaderID != liu || got.Leader == nil || *got.Leader != "刘晓明" {
			t.Errorf("PATCH answered leader %v %v, want 刘晓明", got.LeaderID, got.Leader)
		}
		if code := call(t, "PATCH", path, stat, `{}`, &got); code != 200 || got.LeaderID == nil {
			t.Errorf("PATCH {}: %d, leader %v: want 200 and the leader kept", code, got.LeaderID)
		}
		var e struct {
			Field   string `json:"field"`
			Message string `json:"message"`
		}
		huang := strconv.FormatInt(personID(t, d, "黄秀英"), 10)
		if code := call(t, "PATCH", path, stat, `{"leader_id": `+huang+`}`, &e); code != http.StatusUnprocessableEntity {
			t.Errorf("PATCH a leader off the team: %d, want 422", code)
		}
		if code := call(t, "PATCH", path, stat, `{"target_value": 1}`, nil); code != http.StatusBadRequest && code != http.StatusUnprocessableEntity {
			t.Errorf("PATCH another field: %d, want it refused", code)
		}
		if code := call(t, "PATCH", path, token("guest"), `{"leader_id": null}`, nil); code != http.StatusForbidden {
			t.Errorf("PATCH as a viewer: %d, want 403", code)
		}
		if code := call(t, "PATCH", path, stat, `{"leader_id": null}`, &got); code != 200 || got.LeaderID != nil || got.Leader != nil {
			t.Errorf("PATCH null: %d, leader %v %v, want none", code, got.LeaderID, got.Leader)
		}
		body := `{"indicator_id": ` + strconv.FormatInt(indicatorID(t, d, "工业投资"), 10) + `, "unit_id": ` + strconv.FormatInt(unitIDByName(t, d, "拆迁办"), 10) +
			`, "year": 2026, "target_value": 1, "leader_id": ` + huang + `}`
		if code := call(t, "POST", base+"/api/v1/targets", stat, body, &e); code != http.StatusUnprocessableEntity || e.Field != "leader_id" || !strings.Contains(e.Message, "黄秀英") {
			t.Errorf("POST with a leader off the team: %d, field %q, %q: want 422 on leader_id naming her", code, e.Field, e.Message)
		}
	})
}

// TestLeaderPages: the list shows the leader and the responsible person by
// name and filters by the leader; the target's page names the leader and
// changes it; the history names who entered a figure, not their login.
func TestLeaderPages(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		liu := personID(t, d, "刘晓明")
		status, body, _ := c.get("/targets?leader=" + strconv.FormatInt(liu, 10) + "&top=1")
		if status != http.StatusOK {
			t.Fatalf("list: %d", status)
		}
		rows := strings.Count(body, `data-testid="target-row"`)
		if want := countRows(t, d, `SELECT COUNT(*) FROM targets WHERE leader_id = $1 AND parent_id IS NULL`, liu); rows != want || want != 8 {
			t.Errorf("rows = %d, want %d (刘晓明's eight own targets of XX镇)", rows, want)
		}
		if n := strings.Count(body, `data-testid="row-leader">刘晓明</td>`); n != rows {
			t.Errorf("rows naming 刘晓明 = %d of %d", n, rows)
		}
		for _, want := range []string{`data-testid="leader-shown">分管领导：刘晓明`, `<option value="` + strconv.FormatInt(liu, 10) + `" selected>刘晓明（党委委员、副镇长）</option>`} {
			if !strings.Contains(body, want) {
				t.Errorf("list lacks %s", want)
			}
		}
		// The responsible person by name (外资's shares are 朱永康's and 胡佳怡's).
		_, body, _ = c.get("/targets?indicator=" + strconv.FormatInt(indicatorID(t, d, "实际到账外资"), 10))
		for _, want := range []string{`<span class="sub">朱永康</span>`, `data-testid="row-leader">刘晓明</td>`} {
			if !strings.Contains(body, want) {
				t.Errorf("the 外资 list lacks %s", want)
			}
		}

		tax := targetID(t, d, "入库税收", "XX镇")
		page := "/targets/" + strconv.FormatInt(tax, 10)
		_, body, _ = c.get(page)
		for _, want := range []string{`data-testid="target-leader">李卫东</dd>`, `data-testid="leader-form"`, `<td>黄秀英</td>`} {
			if !strings.Contains(body, want) {
				t.Errorf("target page lacks %s", want)
			}
		}
		if strings.Contains(body, `<td>tongji</td>`) {
			t.Error("the history shows the login tongji, not the person's name")
		}
		status, _, h := c.post(page+"/leader", url.Values{"leader_id": {strconv.FormatInt(liu, 10)}})
		if status != http.StatusSeeOther || h.Get("Location") != page {
			t.Fatalf("set leader: %d → %q", status, h.Get("Location"))
		}
		if got, _ := leaderOf(t, d, tax); got != liu {
			t.Errorf("after the form, leader %d, want 刘晓明", got)
		}
		huang := strconv.FormatInt(personID(t, d, "黄秀英"), 10)
		status, body, _ = c.post(page+"/leader", url.Values{"leader_id": {huang}})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-leader_id">分管领导须为XX镇领导班子成员，黄秀英不在班子中`) {
			t.Errorf("a leader off the team: %d, want 422 with the message beside the field", status)
		}
		// The viewer sees the leader and no form.
		_, body, _ = login("guest").get(page)
		if !strings.Contains(body, `data-testid="target-leader">刘晓明</dd>`) || strings.Contains(body, `data-testid="leader-form"`) {
			t.Error("a viewer's page: want the leader named and no form")
		}
		// The new target's form offers the team.
		_, body, _ = c.get("/targets/new")
		_, sel, ok := strings.Cut(body, `name="leader_id"`)
		sel, _, _ = strings.Cut(sel, `</select>`)
		if !ok || strings.Count(sel, "<option") != 11 || !strings.Contains(sel, `刘晓明（党委委员、副镇长）`) || strings.Contains(sel, `黄秀英`) {
			t.Errorf("the new target's leader choices: want the ten of the team and none, got\n%s", sel)
		}
	})
}

// TestDemoLeaders: the demo's targets of XX镇 have the leaders their
// domains give, the shares their parents', the neighbours none; a demo
// loaded before leaders were named gets them at its next load, and a load
// after that changes nothing.
func TestDemoLeaders(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res := loadDemo(t, d)
		for _, c := range []struct{ indicator, leader string }{
			{"招商引资到位资金", "刘晓明"}, {"工业投资", "刘晓明"}, {"入库税收", "李卫东"}, {"一般公共预算收入", "李卫东"}, {"城镇新增就业", "赵丽华"}, {"安全生产事故起数", "王红梅"},
		} {
			if got, _ := leaderOf(t, d, targetID(t, d, c.indicator, "XX镇")); got != personID(t, d, c.leader) {
				t.Errorf("%s: leader %d, want %s", c.indicator, got, c.leader)
			}
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM targets c JOIN targets p ON p.id = c.parent_id WHERE COALESCE(c.leader_id, 0) <> COALESCE(p.leader_id, 0)`); n != 0 {
			t.Errorf("%d shares with a leader other than their parent's", n)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM targets WHERE township_id <> $1 AND leader_id IS NOT NULL`, res.TownshipID); n != 0 {
			t.Errorf("%d neighbours' targets with a leader: their towns seat no team", n)
		}
		if n := countRows(t, d, `SELECT COUNT(*) FROM targets WHERE township_id = $1 AND leader_id IS NULL`, res.TownshipID); n != 0 {
			t.Errorf("%d targets of XX镇 without a leader", n)
		}
		snapshot := func() [3]int {
			return [3]int{countRows(t, d, `SELECT COUNT(*) FROM targets`), countRows(t, d, `SELECT COUNT(*) FROM audit_log`),
				countRows(t, d, `SELECT COALESCE(SUM(leader_id), 0) FROM targets`)}
		}
		before := snapshot()
		loadDemo(t, d)
		if after := snapshot(); after != before {
			t.Errorf("a second load: targets, audit entries, leaders %v → %v", before, after)
		}
		// A demo from before: no leaders kept.
		for _, stmt := range []string{`UPDATE targets SET leader_id = NULL`, `UPDATE target_progress SET leader_id = NULL`} {
			if _, err := d.ExecContext(context.Background(), stmt); err != nil {
				t.Fatal(err)
			}
		}
		loadDemo(t, d)
		if got := snapshot(); got[0] != before[0] || got[2] != before[2] {
			t.Errorf("loading over a demo without leaders: targets, leaders %v, want %v", got, before)
		}
		if diffs, err := store(d).CheckProgress(as(t, d, "admin")); err != nil || len(diffs) > 0 {
			t.Errorf("kept progress: %v %v", diffs, err)
		}
		again := snapshot()
		loadDemo(t, d)
		if after := snapshot(); after != again {
			t.Errorf("a load after that: %v → %v", again, after)
		}
	})
}
