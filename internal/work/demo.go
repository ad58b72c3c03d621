package work

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/workflow"
)

// DemoTown is the township whose register the demo fills, with the ids and
// accounts its tasks need.
type DemoTown struct {
	ID     int64
	Units  map[string]int64 // child unit name → id
	People map[string]int64 // person name → id
	// Office assigns and reviews; Accounts act for the units that have one
	// (双塘村's reporter), the system for the others; Leaders close their
	// listed tasks, by the leader's person name.
	Office   *auth.User
	Accounts map[string]*auth.User // unit name → account
	Leaders  map[string]*auth.User // person name → account
}

// demoTask is one task of the demo and how far it has gone: ago is how
// many days before now it was assigned, due how many days after now its
// deadline falls (negative: overdue), state where it stands.
type demoTask struct {
	title, category string
	source          Source
	doc             string // document number, for an instruction
	lead            string
	co              []string
	leader          string
	level           Level
	listing         string
	ago, due        int
	state           string // assigned, accepted, in_progress, returned, submitted, closed, stopped, struck_off
	progress        int
	report          string
}

// demoIssues are the problems met (存在问题) and the support needed
// (需协调解决事项) some demo tasks' last reports name.
var demoIssues = map[string][2]string{
	"双塘村拆迁清零":      {"剩余3户对补偿标准有异议", "请拆迁办会同司法所上门释法，分管领导约谈"},
	"长三角招商推介会客商对接": {"2家客商用地需求超出园区现有指标", "请自然资源所协调用地指标"},
	"秋季招商签约项目落地开工": {"", "请供电所加快双塘工业园专线接入"},
}

// demoResponsible is the responsible person (责任人) of each lead unit's
// tasks: its head, or for 双塘村 the village's accountant, who has an account
// (shuangtang) and so sees the daily digest in the demo.
var demoResponsible = map[string]string{
	"党政办": "钱文静", "统计站": "黄秀英", "财政所": "马建华", "经发办（招商办）": "朱永康", "拆迁办": "高振宇",
	"社会治理局": "罗建平", "双塘村": "宋小芳", "东湖村": "许文斌", "杨庄村": "韩秋菊", "柳河村": "冯国栋",
	"振兴社区": "邓丽萍", "新华社区": "曹海军",
}

var demoTasks = []demoTask{
	// 秋季招商
	{"秋季招商签约项目落地开工", "招商引资", FromCampaign, "", "经发办（招商办）", nil, "刘晓明", Listed, "张建国", 60, 20, "in_progress", 60, "已签约项目5个，2个已开工"},
	{"长三角招商推介会客商对接", "招商引资", FromMeeting, "", "经发办（招商办）", nil, "刘晓明", Key, "", 45, -3, "in_progress", 70, "已对接客商18家，待落实3家"},
	{"乡贤回归招商线索梳理", "招商引资", FromInstruction, "〔2026〕12号", "经发办（招商办）", []string{"党政办"}, "刘晓明", Normal, "", 50, 10, "submitted", 100, "梳理线索23条，已建台账"},
	{"新能源电池配套项目洽谈", "招商引资", FromCampaign, "", "经发办（招商办）", nil, "李卫东", Key, "", 40, 2, "accepted", 0, ""},
	{"招商项目在谈库更新", "招商引资", FromMeeting, "", "经发办（招商办）", nil, "刘晓明", Normal, "", 70, -20, "closed", 100, "在谈库已更新至10月"},
	{"标准厂房招租", "招商引资", FromMeeting, "", "经发办（招商办）", []string{"财政所"}, "刘晓明", Normal, "", 30, 25, "assigned", 0, ""},
	// 拆迁
	{"双塘村拆迁清零", "征地拆迁", FromInstruction, "〔2026〕15号", "双塘村", []string{"拆迁办"}, "李卫东", Listed, "李卫东", 80, -5, "in_progress", 85, "剩余3户，正在逐户做工作"},
	{"东湖村安置房交付", "征地拆迁", FromCampaign, "", "东湖村", []string{"拆迁办"}, "李卫东", Key, "", 90, 15, "in_progress", 75, "主体完工，配套进场"},
	{"拆迁档案整理归档", "征地拆迁", FromMeeting, "", "拆迁办", nil, "孙立新", Normal, "", 60, -10, "returned", 80, "已归档412户"},
	{"杨庄村征地补偿款发放", "征地拆迁", FromSuperior, "", "杨庄村", []string{"财政所"}, "李卫东", Key, "", 35, 3, "submitted", 100, "补偿款已全部发放到户"},
	{"柳河村违建拆除", "征地拆迁", FromMeeting, "", "柳河村", []string{"社会治理局"}, "孙立新", Normal, "", 55, -2, "accepted", 0, ""},
	{"回迁户入住摸排", "征地拆迁", FromMeeting, "", "拆迁办", []string{"双塘村", "东湖村"}, "李卫东", Normal, "", 20, 30, "assigned", 0, ""},
	// 十件民生实事
	{"双塘村道路提档升级", "民生实事", FromLivelihood, "", "双塘村", nil, "赵丽华", Key, "", 100, 25, "in_progress", 55, "已完成路基3公里"},
	{"振兴社区养老服务站建设", "民生实事", FromLivelihood, "", "振兴社区", nil, "赵丽华", Listed, "张建国", 120, 20, "submitted", 100, "已建成并试运营"},
	{"新华社区老旧小区改造", "民生实事", FromLivelihood, "", "新华社区", []string{"财政所"}, "赵丽华", Key, "", 110, -8, "in_progress", 65, "屋面防水完成，管网改造中"},
	{"农村饮水安全巩固提升", "民生实事", FromLivelihood, "", "社会治理局", []string{"东湖村", "杨庄村"}, "赵丽华", Normal, "", 150, 10, "closed", 100, "管网改造全部完成"},
	{"中心小学食堂改造", "民生实事", FromLivelihood, "", "党政办", nil, "赵丽华", Normal, "", 130, -1, "in_progress", 90, "设备安装调试中"},
	{"村级便民服务中心提升", "民生实事", FromLivelihood, "", "柳河村", nil, "赵丽华", Normal, "", 90, 35, "accepted", 0, ""},
	{"社区卫生服务站标准化", "民生实事", FromLivelihood, "", "振兴社区", nil, "赵丽华", Normal, "", 100, 40, "closed", 100, "已通过区卫健委验收"},
	{"公共厕所新改建", "民生实事", FromLivelihood, "", "社会治理局", []string{"双塘村"}, "赵丽华", Normal, "", 75, 2, "in_progress", 80, "已完成8座，剩余2座"},
	// 重大项目
	{"智能装备产业园二期供地", "重大项目", FromInstruction, "〔2026〕9号", "经发办（招商办）", []string{"财政所"}, "李卫东", Listed, "张建国", 95, -12, "in_progress", 70, "土地报批材料已上报"},
	{"镇区污水管网工程", "重大项目", FromSuperior, "", "社会治理局", nil, "王红梅", Key, "", 140, 30, "in_progress", 45, "主管网铺设过半"},
	{"现代农业示范园建设", "重大项目", FromCampaign, "", "杨庄村", []string{"经发办（招商办）"}, "王红梅", Key, "", 120, 3, "submitted", 100, "一期大棚全部建成"},
	{"重点项目推进表月报", "重大项目", FromMeeting, "", "统计站", nil, "李卫东", Normal, "", 30, 5, "closed", 100, "10月推进表已报送"},
	{"物流园道路配套", "重大项目", FromMeeting, "", "财政所", []string{"经发办（招商办）"}, "李卫东", Normal, "", 25, -4, "assigned", 0, ""},
	{"光伏屋顶项目并网", "重大项目", FromCampaign, "", "经发办（招商办）", nil, "刘晓明", Normal, "", 60, 12, "stopped", 30, "已完成12处屋顶荷载评估"},
	// 税源排查
	{"重点企业税源排查", "税源管理", FromInstruction, "〔2026〕18号", "财政所", []string{"经发办（招商办）"}, "刘晓明", Key, "", 40, -6, "in_progress", 60, "已排查企业46家"},
	{"个体工商户税源清理", "税源管理", FromMeeting, "", "财政所", nil, "刘晓明", Normal, "", 35, 8, "accepted", 0, ""},
	{"楼宇税源登记", "税源管理", FromMeeting, "", "新华社区", []string{"财政所"}, "刘晓明", Normal, "", 28, 20, "assigned", 0, ""},
	{"外地注册本地经营企业回迁", "税源管理", FromCampaign, "", "经发办（招商办）", []string{"财政所"}, "李卫东", Key, "", 50, 1, "in_progress", 40, "已动员回迁企业4家"},
	{"四季度入库税收预测", "税源管理", FromMeeting, "", "财政所", []string{"统计站"}, "刘晓明", Normal, "", 20, -15, "closed", 100, "预测报告已报送"},
	// 安全生产
	{"冬季安全生产大检查", "安全生产", FromSuperior, "", "社会治理局", []string{"双塘村", "东湖村", "杨庄村", "柳河村"}, "郑国庆", Listed, "李卫东", 15, 15, "in_progress", 35, "已检查企业32家，整改隐患17处"},
	{"燃气安全专项整治", "安全生产", FromSuperior, "", "社会治理局", []string{"振兴社区", "新华社区"}, "郑国庆", Key, "", 45, -9, "returned", 70, "已排查餐饮场所58家"},
	{"小微企业消防隐患整改", "安全生产", FromMeeting, "", "东湖村", nil, "郑国庆", Normal, "", 30, 2, "submitted", 100, "隐患已全部整改"},
	{"电动自行车充电设施建设", "安全生产", FromMeeting, "", "振兴社区", nil, "郑国庆", Normal, "", 60, 18, "in_progress", 50, "已建成充电棚6处"},
	{"危化品企业风险评估", "安全生产", FromInstruction, "〔2026〕21号", "社会治理局", nil, "郑国庆", Key, "", 50, -25, "closed", 100, "评估报告已备案"},
	{"双塘村鱼塘安全围栏", "安全生产", FromMeeting, "", "双塘村", nil, "郑国庆", Normal, "", 20, 6, "accepted", 0, ""},
	{"汛后水利设施排查", "安全生产", FromSuperior, "", "柳河村", nil, "王红梅", Normal, "", 70, -30, "struck_off", 20, "已排查塘坝5座、泵站2座"},
	{"安全生产月报统计", "安全生产", FromMeeting, "", "统计站", nil, "郑国庆", Normal, "", 10, 20, "assigned", 0, ""},
	{"东湖村人居环境整治", "民生实事", FromMeeting, "", "东湖村", nil, "赵丽华", Normal, "", 40, -2, "submitted", 100, "垃圾点已全部清理"},
}

// demoRequirement is what the office asks of every demo task.
const demoRequirement = "按时限办结，每周报送进展，办结时附佐证材料"

// demoMoves are the moves that bring a new task to each demo state.
var demoMoves = map[string][]string{
	"assigned":    nil,
	"accepted":    {Claim},
	"in_progress": {Claim, Report},
	"submitted":   {Claim, Report, Submit},
	"returned":    {Claim, Report, Submit, Return},
	"closed":      {Claim, Report, Submit, Close},
	"stopped":     {Claim, Report, Stop},
	"struck_off":  {Claim, Report, Strike},
}

// demoReasons are the office's reasons for the demo's stopped and
// struck-off tasks, by title.
var demoReasons = map[string]string{
	"光伏屋顶项目并网": "因规划调整暂缓实施，待区供电公司接入方案批复后恢复",
	"汛后水利设施排查": "上级已撤销该项工作，改由区水利局统一组织排查",
}

// LoadDemo fills the township's register, each task taken as far as the
// demo says by the people who would take it. A task whose title the
// township has already is left as it is, so loading twice changes nothing.
func (s *Store) LoadDemo(ctx context.Context, town DemoTown, now time.Time) error {
	today := clock.Today(now)
	items, err := s.loadLivelihoodDemo(ctx, town, now)
	if err != nil {
		return err
	}
	for _, dt := range demoTasks {
		var have int64
		err := s.DB.QueryRowContext(ctx, `SELECT id FROM tasks WHERE township_id = $1 AND title = $2`, town.ID, dt.title).Scan(&have)
		if err == nil {
			continue
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return platform.Internalf("demo task %s: %w", dt.title, err)
		}
		if err := s.demoTask(ctx, town, dt, today, items); err != nil {
			return fmt.Errorf("demo task %s: %w", dt.title, err)
		}
	}
	if err := s.evaluateDemo(ctx, town); err != nil {
		return err
	}
	// The late tasks carry their cards from the first page on.
	_, err = s.Sweep(ctx)
	return err
}

func (s *Store) demoTask(ctx context.Context, town DemoTown, dt demoTask, today time.Time, items map[string]int64) error {
	person := func(name string) *int64 {
		if id, ok := town.People[name]; ok {
			return &id
		}
		return nil
	}
	in := Input{Title: dt.title, Requirement: demoRequirement, Source: dt.source, Category: dt.category,
		LeadUnitID: town.Units[dt.lead], LeaderID: town.People[dt.leader],
		AssignedOn: today.AddDate(0, 0, -dt.ago).Format(clock.DateFormat),
		Deadline:   today.AddDate(0, 0, dt.due).Format(clock.DateFormat), Level: dt.level}
	// Key and listed tasks report every week, the others every month, as
	// township offices usually ask.
	in.Rhythm = Monthly
	if dt.level != Normal {
		in.Rhythm = Weekly
	}
	if dt.doc != "" {
		in.DocNumber, in.DocDate, in.SourceLeaderID = dt.doc, today.AddDate(0, 0, -dt.ago-2).Format(clock.DateFormat), person("张建国")
	}
	if dt.listing != "" {
		in.ListingLeader = person(dt.listing)
	}
	in.ResponsibleID = person(demoResponsible[dt.lead])
	if id, ok := items[dt.title]; ok {
		in.LivelihoodID = &id
	}
	for _, c := range dt.co {
		in.CoUnitIDs = append(in.CoUnitIDs, town.Units[c])
	}
	office := auth.WithUser(ctx, town.Office)
	t, err := s.Create(office, in)
	if err != nil {
		return err
	}
	lead := town.Accounts[dt.lead]
	if lead == nil {
		// A unit without an account: the system acts for it, and the
		// history says so.
		sys := auth.System()
		sys.Role, sys.UnitID = auth.Reporter, t.LeadUnitID
		sys.UnitPath = t.leadUnitPath
		lead = sys
	}
	leadCtx := auth.WithUser(ctx, lead)
	for _, m := range demoMoves[dt.state] {
		var err error
		switch m {
		case Report:
			issues := demoIssues[dt.title]
			_, _, err = s.Report(leadCtx, t.ID, 0, ReportInput{Percent: dt.progress, Body: dt.report,
				Problems: issues[0], Support: issues[1], Files: s.demoUploads(dt.title, m)})
			if err == nil {
				err = s.demoUnitReports(ctx, town, t, dt.title)
			}
		case Claim, Submit:
			_, err = s.TakeWith(leadCtx, t.ID, 0, m, "", s.demoUploads(dt.title, m))
		case Return:
			_, err = s.Take(office, t.ID, 0, m, "佐证材料不全，请补充现场照片")
		case Stop:
			_, err = s.Take(office, t.ID, 0, m, demoReasons[dt.title])
		case Close, Strike:
			closer := office
			if dt.level == Listed {
				closer = auth.WithUser(ctx, town.Leaders[dt.listing])
			}
			_, err = s.Take(closer, t.ID, 0, m, demoReasons[dt.title])
		}
		if err != nil {
			return fmt.Errorf("%s: %w", m, err)
		}
	}
	return nil
}

// DemoStates counts the demo's tasks by the state they are left in, for
// the demo's own test.
func DemoStates() map[workflow.State]int {
	out := map[workflow.State]int{}
	for _, dt := range demoTasks {
		st := workflow.State(dt.state)
		if dt.state == "returned" {
			st = InProgress
		}
		out[st]++
	}
	return out
}
