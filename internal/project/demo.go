package project

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
)

// DemoTown is the township whose register the demo fills, with the ids and
// the office account its projects need.
type DemoTown struct {
	ID     int64
	Units  map[string]int64 // child unit name → id
	People map[string]int64 // person name → id
	Office *auth.User       // registers the projects and records their stages
}

// demoStage is one stage of a demo project: planned and actual dates as
// days from now (actual nil: not reached), and the reason for skipping.
type demoStage struct {
	stage   Stage
	planned int
	actual  *int
	reason  string
}

func ago(n int) *int { v := -n; return &v }

// demoProject is one project of the demo register.
type demoProject struct {
	name, industry, investor, contact, phone string
	kind                                     Kind
	village, park                            string
	total, year                              float64
	level                                    Level
	leader, unit, teamContact                string
	members                                  []string
	notes                                    string
	stages                                   []demoStage
}

// demoProjects are XX镇's major projects in the seed's four industries and
// 双塘工业园, a road, a market and two public works, at several stages.
var demoProjects = []demoProject{
	{"恒达精密装备制造配件项目", "装备制造配件", "江苏恒达精密机械有限公司", "王建明", "13951000101", Industrial, "双塘村", "双塘工业园", 32000, 12000, City,
		"刘晓明", "经发办（招商办）", "胡佳怡", []string{"朱永康", "梁德福"}, "一期厂房主体施工中，需协调专线供电",
		[]demoStage{{Negotiating, -125, ago(120), ""}, {Signed, -95, ago(92), ""}, {Approved, -70, ago(64), ""}, {LandSupplied, -45, ago(41), ""},
			{Started, -25, ago(18), ""}, {Completed, 160, nil, ""}, {InProduction, 200, nil, ""}}},
	{"金熊毛绒玩具扩产项目", "毛绒玩具", "金熊玩具制品有限公司", "陈晓峰", "13951000102", Industrial, "东湖村", "", 8500, 5000, District,
		"李卫东", "东湖村", "许文斌", nil, "新增生产线8条，年新增产值1.2亿元",
		[]demoStage{{Negotiating, -300, ago(298), ""}, {Signed, -270, ago(265), ""}, {Approved, -240, ago(236), ""}, {LandSupplied, -210, ago(204), ""},
			{Started, -180, ago(176), ""}, {Completed, -20, ago(12), ""}, {InProduction, 20, nil, ""}}},
	{"力健健身器具智能生产线项目", "健身器具", "力健体育用品有限公司", "周海涛", "13951000103", Industrial, "", "双塘工业园", 15000, 6000, District,
		"刘晓明", "经发办（招商办）", "朱永康", nil, "租用标准厂房，待办理立项备案",
		[]demoStage{{Negotiating, -70, ago(66), ""}, {Signed, -35, ago(30), ""}, {Approved, 10, nil, ""}, {Started, 45, nil, ""}}},
	{"户外休闲用品产业园项目", "户外休闲用品", "远途户外用品集团", "刘振华", "13951000104", Industrial, "杨庄村", "", 26000, 8000, Province,
		"李卫东", "经发办（招商办）", "胡佳怡", []string{"韩秋菊"}, "客商已两次实地考察，拟12月签约",
		[]demoStage{{Negotiating, -60, ago(52), ""}, {Signed, 20, nil, ""}}},
	{"双塘大道改造工程", "", "XX镇人民政府", "", "", Infrastructure, "双塘村", "", 6800, 4000, District,
		"王红梅", "社会治理局", "罗建平", []string{"梁德福"}, "沥青摊铺完成60%",
		[]demoStage{{Approved, -160, ago(155), "政府投资项目，无洽谈、签约环节"},
			{Started, -110, ago(104), "沿原路改造，不新增用地"}, {Completed, 40, nil, ""}}},
	{"镇区农贸市场提升改造", "", "XX镇人民政府", "", "", Services, "振兴社区", "", 3200, 3200, District,
		"赵丽华", "振兴社区", "邓丽萍", nil, "改造后摊位增至260个",
		[]demoStage{{Approved, -210, ago(205), "政府投资项目，无洽谈、签约环节"},
			{Started, -160, ago(150), "原址改造，无需新增供地"}, {Completed, -40, ago(33), ""}, {InProduction, -10, ago(6), ""}}},
	{"柳河村光伏农业大棚项目", "现代农业", "绿源新能源科技有限公司", "吴立群", "13951000107", OtherKind, "柳河村", "", 4800, 2000, District,
		"王红梅", "柳河村", "冯国栋", nil, "棚顶光伏与蔬菜种植结合",
		[]demoStage{{Negotiating, -90, ago(85), ""}, {Signed, -50, ago(47), ""}, {Approved, -20, ago(14), ""}, {LandSupplied, 15, nil, ""}}},
	{"振兴社区养老服务中心", "", "XX镇人民政府", "", "", Livelihood, "振兴社区", "", 1800, 1500, District,
		"赵丽华", "振兴社区", "邓丽萍", nil, "十件民生实事之一，正在编制可研",
		[]demoStage{{Approved, 15, nil, ""}, {Started, 60, nil, ""}}},
}

// DemoNames are the demo projects' names, for the demo's own test.
func DemoNames() []string {
	out := make([]string, len(demoProjects))
	for i, dp := range demoProjects {
		out[i] = dp.name
	}
	return out
}

// LoadDemo fills the township's register as its office would, each
// project's stages recorded in order. A project whose name the township has
// already is left as it is, so loading twice changes nothing.
func (s *Store) LoadDemo(ctx context.Context, town DemoTown, now time.Time) error {
	office := auth.WithUser(ctx, town.Office)
	today := clock.Today(now)
	day := func(n int) string { return today.AddDate(0, 0, n).Format(clock.DateFormat) }
	for _, dp := range demoProjects {
		var have int64
		err := s.DB.QueryRowContext(ctx, `SELECT id FROM projects WHERE township_id = $1 AND name = $2`, town.ID, dp.name).Scan(&have)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return platform.Internalf("demo project %s: %w", dp.name, err)
		}
		in := Input{Name: dp.name, Kind: dp.kind, Industry: dp.industry, Investor: dp.investor, InvestorContact: dp.contact, InvestorPhone: dp.phone,
			Park: dp.park, Total: dp.total, YearPlanned: dp.year, Level: dp.level, LeaderID: town.People[dp.leader], UnitID: town.Units[dp.unit], Notes: dp.notes}
		if id, ok := town.Units[dp.village]; ok {
			in.VillageID = &id
		}
		if id, ok := town.People[dp.teamContact]; ok {
			in.ContactID = &id
		}
		for _, m := range dp.members {
			in.MemberIDs = append(in.MemberIDs, town.People[m])
		}
		p, err := s.Create(office, in)
		if err != nil {
			return fmt.Errorf("demo project %s: %w", dp.name, err)
		}
		for _, st := range dp.stages {
			sd := StageDates{Stage: st.stage, Planned: day(st.planned), Reason: st.reason}
			if st.actual != nil {
				sd.Actual = day(*st.actual)
			}
			if _, err := s.RecordStage(office, p.ID, 0, sd); err != nil {
				return fmt.Errorf("demo project %s, %s: %w", dp.name, st.stage, err)
			}
		}
	}
	return nil
}
