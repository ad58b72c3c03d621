// Package demo loads the demo district: the seed's XX镇 with its offices,
// villages, communities and grids, two neighbour towns, a leadership team,
// people, an account for each role, the campaign "大干一百天，冲刺四季度",
// XX镇's register of supervised tasks and its major projects.
// Loading is idempotent: everything is found by its natural key first and
// only created when missing, so serving with --demo twice changes nothing.
package demo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/files"
	"guatu/internal/project"
	"guatu/internal/targets"
	"guatu/internal/work"
)

// Password is every demo account's password, printed on the console and in the README.
const Password = "guatu2026"

// Account is a demo account as printed on the console.
type Account struct {
	Login string
	Role  auth.Role
	Unit  string
}

// Result says what the demo holds.
type Result struct {
	Accounts   []Account
	TownshipID int64   // XX镇
	Neighbours []int64 // the two neighbour towns
}

type unitSpec struct {
	kind     org.Kind
	name     string
	children []unitSpec
}

func grids(n int) []unitSpec {
	names := []string{"第一网格", "第二网格", "第三网格"}
	var out []unitSpec
	for i := 0; i < n; i++ {
		out = append(out, unitSpec{kind: org.Grid, name: names[i]})
	}
	return out
}

// Names of the demo's townships, used by other rooms' demo data too.
const (
	DistrictName = "示范区"
	TownshipName = "XX镇"
	NeighbourA   = "临江镇"
	NeighbourB   = "青山镇"
)

var tree = unitSpec{kind: org.District, name: DistrictName, children: []unitSpec{
	{kind: org.Township, name: TownshipName, children: []unitSpec{
		{kind: org.Department, name: "党政办"},
		{kind: org.Department, name: "统计站"},
		{kind: org.Department, name: "财政所"},
		{kind: org.Department, name: "经发办（招商办）"},
		{kind: org.Department, name: "拆迁办"},
		{kind: org.Department, name: "社会治理局"},
		{kind: org.Village, name: "双塘村", children: grids(3)},
		{kind: org.Village, name: "东湖村", children: grids(2)},
		{kind: org.Village, name: "杨庄村", children: grids(2)},
		{kind: org.Village, name: "柳河村", children: grids(2)},
		{kind: org.Community, name: "振兴社区", children: grids(3)},
		{kind: org.Community, name: "新华社区", children: grids(2)},
	}},
	{kind: org.Township, name: NeighbourA, children: []unitSpec{
		{kind: org.Department, name: "党政办"},
		{kind: org.Department, name: "统计站"},
		{kind: org.Village, name: "江口村", children: grids(2)},
		{kind: org.Community, name: "滨江社区", children: grids(2)},
	}},
	{kind: org.Township, name: NeighbourB, children: []unitSpec{
		{kind: org.Department, name: "党政办"},
		{kind: org.Department, name: "统计站"},
		{kind: org.Village, name: "青山村", children: grids(2)},
		{kind: org.Village, name: "石桥村", children: grids(2)},
	}},
}}

type personSpec struct {
	unit  string // path of names below the district, "XX镇/党政办"
	name  string
	title string
	phone string
	team  []seat
}

type seat struct {
	body     org.Body
	position string
}

var people = []personSpec{
	{"XX镇", "张建国", "党委书记", "13805150001", []seat{{org.Party, "党委书记"}}},
	{"XX镇", "李卫东", "党委副书记、镇长", "13805150002", []seat{{org.Party, "党委副书记"}, {org.Government, "镇长"}}},
	{"XX镇", "王红梅", "党委副书记", "13805150003", []seat{{org.Party, "党委副书记"}}},
	{"XX镇", "陈志强", "人大主席", "13805150004", []seat{{org.Congress, "人大主席"}}},
	{"XX镇", "刘晓明", "党委委员、副镇长", "13805150005", []seat{{org.Party, "党委委员"}, {org.Government, "副镇长（分管工业经济、招商）"}}},
	{"XX镇", "赵丽华", "副镇长", "13805150006", []seat{{org.Government, "副镇长（分管社会事业、民生）"}}},
	{"XX镇", "孙立新", "党委委员、纪委书记", "13805150007", []seat{{org.Party, "纪委书记"}}},
	{"XX镇", "周桂兰", "人大副主席", "13805150008", []seat{{org.Congress, "人大副主席"}}},
	{"XX镇", "吴海燕", "党委委员、组织委员", "13805150009", []seat{{org.Party, "组织委员"}}},
	{"XX镇", "郑国庆", "党委委员、武装部长", "13805150010", []seat{{org.Party, "武装部长"}}},
	{"XX镇/党政办", "钱文静", "党政办主任", "13805150011", nil},
	{"XX镇/党政办", "何晓东", "督查专员", "13805150012", nil},
	{"XX镇/统计站", "黄秀英", "统计站站长", "13805150013", nil},
	{"XX镇/统计站", "林志伟", "统计员", "13805150014", nil},
	{"XX镇/财政所", "马建华", "财政所所长", "13805150015", nil},
	{"XX镇/经发办（招商办）", "朱永康", "经发办主任", "13805150016", nil},
	{"XX镇/经发办（招商办）", "胡佳怡", "招商专员", "13805150017", nil},
	{"XX镇/拆迁办", "高振宇", "拆迁办主任", "13805150018", nil},
	{"XX镇/社会治理局", "罗建平", "社会治理局局长", "13805150019", nil},
	{"XX镇/双塘村", "梁德福", "村党总支书记", "13805150020", nil},
	{"XX镇/双塘村", "宋小芳", "村会计", "13805150021", nil},
	{"XX镇/双塘村/第一网格", "唐明亮", "专职网格员", "13805150022", nil},
	{"XX镇/东湖村", "许文斌", "村党总支书记", "13805150023", nil},
	{"XX镇/杨庄村", "韩秋菊", "村党总支书记", "13805150024", nil},
	{"XX镇/柳河村", "冯国栋", "村党总支书记", "13805150025", nil},
	{"XX镇/振兴社区", "邓丽萍", "社区书记", "13805150026", nil},
	{"XX镇/新华社区", "曹海军", "社区书记", "13805150027", nil},
	{"临江镇/统计站", "彭晓燕", "统计站站长", "13905150031", nil},
	{"青山镇/统计站", "蒋文华", "统计站站长", "13905150041", nil},
}

// demoDuties are the heads and liaisons of XX镇's units, the rungs of a
// reminder's ladder.
var demoDuties = map[string]org.Duty{
	"钱文静": org.Head, "黄秀英": org.Head, "林志伟": org.Liaison, "马建华": org.Head, "朱永康": org.Head, "胡佳怡": org.Liaison,
	"高振宇": org.Head, "罗建平": org.Head, "梁德福": org.Head, "宋小芳": org.Liaison, "许文斌": org.Head, "韩秋菊": org.Head,
	"冯国栋": org.Head, "邓丽萍": org.Head, "曹海军": org.Head,
}

// demoWeCom are the WeCom user ids (企业微信账号) of 双塘村's and 东湖村's
// heads and liaisons, whom a WeCom robot's merged message @-mentions.
var demoWeCom = map[string]string{"梁德福": "LiangDeFu", "宋小芳": "SongXiaoFang", "许文斌": "XuWenBin"}

type accountSpec struct {
	login  string
	role   auth.Role
	unit   string
	person string
}

var accounts = []accountSpec{
	{"admin", auth.Admin, "", ""},
	{"shuji", auth.Leader, "XX镇", "张建国"},
	{"zhenzhang", auth.Leader, "XX镇", "李卫东"},
	{"duban", auth.Supervisor, "XX镇", "何晓东"},
	{"tongji", auth.Statistician, "XX镇", "黄秀英"},
	{"shuangtang", auth.Reporter, "XX镇/双塘村", "宋小芳"},
	{"donghu", auth.Reporter, "XX镇/东湖村", "许文斌"},
	{"wangge", auth.GridWorker, "XX镇/双塘村/第一网格", "唐明亮"},
	{"guest", auth.Viewer, "XX镇", ""},
	{"linjiang", auth.Statistician, "临江镇", "彭晓燕"},
}

// CampaignName is the seed's campaign.
const CampaignName = "大干一百天，冲刺四季度"

// Load makes sure the demo exists; now fixes the campaign's year.
func Load(ctx context.Context, d *db.DB, now time.Time) (Result, error) {
	return LoadWithFiles(ctx, d, now, nil)
}

// LoadWithFiles is Load whose tasks' reports and applications carry a few
// generated photos and PDFs, kept in fs (none when fs is nil).
func LoadWithFiles(ctx context.Context, d *db.DB, now time.Time, fs *files.Files) (Result, error) {
	ctx = auth.WithUser(ctx, auth.System())
	s := &org.Store{DB: d}
	// A unit added to a demo already loaded moves the others' places in the
	// tree: the targets room carries its rows along, as in the app.
	s.UnitsChanged = append(s.UnitsChanged, (&targets.Store{DB: d, Org: s}).UnitsChanged)
	ids := map[string]int64{} // "XX镇/党政办" → id; "" → district
	var walk func(parent *int64, prefix string, u unitSpec, sort int) error
	walk = func(parent *int64, prefix string, u unitSpec, sort int) error {
		id, err := ensureUnit(ctx, s, d, parent, u, sort)
		if err != nil {
			return fmt.Errorf("unit %s: %w", u.name, err)
		}
		key := prefix + u.name
		if u.kind == org.District {
			key = ""
		}
		ids[key] = id
		childPrefix := key + "/"
		if key == "" {
			childPrefix = ""
		}
		for i, c := range u.children {
			if err := walk(&id, childPrefix, c, i+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(nil, "", tree, 0); err != nil {
		return Result{}, err
	}
	personIDs := map[string]int64{}
	for i, p := range people {
		id, err := ensurePerson(ctx, s, d, ids[p.unit], p, i+1)
		if err != nil {
			return Result{}, fmt.Errorf("person %s: %w", p.name, err)
		}
		personIDs[p.name] = id
		for j, st := range p.team {
			township := ids[firstSegment(p.unit)]
			if err := ensureSeat(ctx, s, d, township, id, st, i*10+j); err != nil {
				return Result{}, fmt.Errorf("seat %s: %w", p.name, err)
			}
		}
	}
	res := Result{TownshipID: ids[TownshipName], Neighbours: []int64{ids[NeighbourA], ids[NeighbourB]}}
	for _, a := range accounts {
		unitName := DistrictName
		if a.unit != "" {
			unitName = a.unit
		}
		if err := ensureAccount(ctx, s, d, a, ids[a.unit], personIDs[a.person]); err != nil {
			return Result{}, fmt.Errorf("account %s: %w", a.login, err)
		}
		res.Accounts = append(res.Accounts, Account{Login: a.login, Role: a.role, Unit: unitName})
	}
	year := now.In(clock.Beijing).Year()
	end := time.Date(year, 12, 31, 0, 0, 0, 0, clock.Beijing)
	for _, tw := range []int64{ids[TownshipName], ids[NeighbourA], ids[NeighbourB]} {
		if err := ensureCampaign(ctx, s, d, tw, end); err != nil {
			return Result{}, fmt.Errorf("campaign: %w", err)
		}
	}
	if err := loadTargets(ctx, d, ids, personIDs, now); err != nil {
		return Result{}, fmt.Errorf("targets: %w", err)
	}
	if err := loadTasks(ctx, d, ids, personIDs, now, fs); err != nil {
		return Result{}, fmt.Errorf("tasks: %w", err)
	}
	if err := loadProjects(ctx, d, ids, personIDs, now); err != nil {
		return Result{}, fmt.Errorf("projects: %w", err)
	}
	return res, nil
}

// loadTasks fills XX镇's register of supervised tasks (督办事项): the
// office (duban) assigns them, 双塘村's and 东湖村's reporters and, for the
// units without an account, the system act for the lead units, and the
// listing leaders (shuji, zhenzhang) close their listed tasks.
func loadTasks(ctx context.Context, d *db.DB, ids map[string]int64, people map[string]int64, now time.Time, fs *files.Files) error {
	as := &auth.Store{DB: d}
	user := func(login string) (*auth.User, error) { return as.UserByLogin(ctx, login) }
	town := work.DemoTown{ID: ids[TownshipName], Units: map[string]int64{}, People: people,
		Accounts: map[string]*auth.User{}, Leaders: map[string]*auth.User{}}
	for k, id := range ids {
		if len(k) > len(TownshipName)+1 && k[:len(TownshipName)+1] == TownshipName+"/" {
			town.Units[k[len(TownshipName)+1:]] = id
		}
	}
	var err error
	if town.Office, err = user("duban"); err != nil {
		return err
	}
	for unit, login := range map[string]string{"双塘村": "shuangtang", "东湖村": "donghu"} {
		if town.Accounts[unit], err = user(login); err != nil {
			return err
		}
	}
	for name, login := range map[string]string{"张建国": "shuji", "李卫东": "zhenzhang"} {
		if town.Leaders[name], err = user(login); err != nil {
			return err
		}
	}
	ws := &work.Store{DB: d, Now: func() time.Time { return now }, Files: fs}
	return ws.LoadDemo(ctx, town, now)
}

// loadProjects fills XX镇's register of major projects (重大项目), registered
// and carried through their stages by the office (duban).
func loadProjects(ctx context.Context, d *db.DB, ids map[string]int64, people map[string]int64, now time.Time) error {
	office, err := (&auth.Store{DB: d}).UserByLogin(ctx, "duban")
	if err != nil {
		return err
	}
	town := project.DemoTown{ID: ids[TownshipName], Units: map[string]int64{}, People: people, Office: office}
	for k, id := range ids {
		if len(k) > len(TownshipName)+1 && k[:len(TownshipName)+1] == TownshipName+"/" {
			town.Units[k[len(TownshipName)+1:]] = id
		}
	}
	ps := &project.Store{DB: d, Now: func() time.Time { return now }}
	return ps.LoadDemo(ctx, town, now)
}

// loadTargets enters each town's targets and figures as its statistician
// would (the audit log and the figure history name them); 青山镇 has no
// account in the demo, so the system enters its figures.
func loadTargets(ctx context.Context, d *db.DB, ids map[string]int64, people map[string]int64, now time.Time) error {
	as := &auth.Store{DB: d}
	ts := &targets.Store{DB: d, Now: func() time.Time { return now }}
	children := func(town string) map[string]int64 {
		out := map[string]int64{}
		for k, id := range ids {
			if len(k) > len(town)+1 && k[:len(town)+1] == town+"/" {
				out[k[len(town)+1:]] = id
			}
		}
		return out
	}
	towns := []struct {
		name, login string
		pace        float64
		detailed    bool
	}{
		{TownshipName, "tongji", 1, true},
		{NeighbourA, "linjiang", 1.08, false},
		{NeighbourB, "", 0.93, false},
	}
	for _, tw := range towns {
		tctx := ctx
		if tw.login != "" {
			u, err := as.UserByLogin(ctx, tw.login)
			if err != nil {
				return err
			}
			tctx = auth.WithUser(ctx, u)
		}
		town := targets.DemoTown{ID: ids[tw.name], Name: tw.name, Units: children(tw.name), People: people, Pace: tw.pace, Detailed: tw.detailed}
		if err := ts.LoadDemo(tctx, town, now); err != nil {
			return err
		}
	}
	return nil
}

func firstSegment(p string) string {
	for i, r := range p {
		if r == '/' {
			return p[:i]
		}
	}
	return p
}

func ensureUnit(ctx context.Context, s *org.Store, d *db.DB, parent *int64, u unitSpec, sort int) (int64, error) {
	var id int64
	var err error
	if parent == nil {
		err = d.QueryRowContext(ctx, `SELECT id FROM units WHERE parent_id IS NULL AND name = $1`, u.name).Scan(&id)
	} else {
		err = d.QueryRowContext(ctx, `SELECT id FROM units WHERE parent_id = $1 AND name = $2`, *parent, u.name).Scan(&id)
	}
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	created, err := s.CreateUnit(ctx, org.UnitInput{ParentID: parent, Kind: u.kind, Name: u.name, Sort: sort})
	return created.ID, err
}

func ensurePerson(ctx context.Context, s *org.Store, d *db.DB, unitID int64, p personSpec, sort int) (int64, error) {
	var id int64
	err := d.QueryRowContext(ctx, `SELECT id FROM people WHERE unit_id = $1 AND name = $2`, unitID, p.name).Scan(&id)
	if err == nil {
		return id, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, err
	}
	created, err := s.CreatePerson(ctx, org.PersonInput{UnitID: unitID, Name: p.name, Title: p.title, Phone: p.phone, WeComID: demoWeCom[p.name], Duty: demoDuties[p.name], Sort: sort})
	return created.ID, err
}

func ensureSeat(ctx context.Context, s *org.Store, d *db.DB, township, person int64, st seat, sort int) error {
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM team_members WHERE person_id = $1 AND body = $2`, person, string(st.body)).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	return s.AddTeamMember(ctx, org.TeamInput{TownshipID: township, PersonID: person, Body: st.body, Position: st.position, Sort: sort})
}

func ensureAccount(ctx context.Context, s *org.Store, d *db.DB, a accountSpec, unitID, personID int64) error {
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE login = $1`, a.login).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	in := org.AccountInput{Login: a.login, Password: Password, Role: a.role, UnitID: unitID, Seed: true}
	if personID != 0 {
		in.PersonID = &personID
	}
	_, err := s.CreateAccount(ctx, in)
	return err
}

func ensureCampaign(ctx context.Context, s *org.Store, d *db.DB, township int64, end time.Time) error {
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns WHERE township_id = $1 AND name = $2 AND year = $3`, township, CampaignName, end.Year()).Scan(&n); err != nil {
		return err
	}
	if n > 0 {
		return nil
	}
	_, err := s.CreateCampaign(ctx, org.Campaign{TownshipID: township, Name: CampaignName, Start: end.AddDate(0, 0, -100), End: end})
	return err
}
