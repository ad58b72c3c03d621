// Package benchdata seeds a database for the benchmarks and the load runs:
// a district (or a city: one root district) of townships, each with its
// villages, departments and people (its leaders seated on its leadership
// team, each in charge of a share of its targets), a year of targets decomposed to the
// villages and to named people, months of cumulative figures with last
// year's same period (a mix of red, yellow and green lights and a few
// corrections), a campaign per township, accounts and API tokens.
//
// It writes by plain batched SQL inside one transaction, the same text on
// both engines, because the stores would take minutes for a city (every
// write re-evaluates its targets); it then lets targets.Store.Rebuild write
// every target's kept progress, so what it leaves is what the app would have
// written. The values are derived from the positions (no randomness), so two
// seeds of one Spec hold the same numbers.
package benchdata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// Spec says how much to seed.
type Spec struct {
	Name        string // the root district's name; "测试区" when empty
	Townships   int
	Villages    int // per township
	Departments int // per township, at most len(departments); the second is 统计站
	// TargetsPerTownship counts every target of a township: its own, its
	// villages' shares of them and the shares named for people.
	TargetsPerTownship int
	// Own is how many of them the township holds itself (its board's rows);
	// the shared catalogue has this many indicators. The rest are split
	// nine to one between village shares of the first indicators and
	// targets named for people.
	Own    int
	Months int // figures for 1–Months of Year (1–12)
	Year   int
}

// City is issue 6's city: 100 townships × 300 targets (150 of each
// township's own) × 12 months: 30,000 targets and 360,000 figures.
func City(year int) Spec {
	return Spec{Name: "测试市", Townships: 100, Villages: 10, Departments: 3, TargetsPerTownship: 300, Own: 150, Months: 12, Year: year}
}

// Township is 2,000 targets in one township's scope, 300 of them its own
// (the board's), in a district of two such townships so that the scope
// filter has something to leave out.
func Township(year int) Spec {
	return Spec{Name: "测试区", Townships: 2, Villages: 20, Departments: 3, TargetsPerTownship: 2000, Own: 300, Months: 12, Year: year}
}

// Password is every seeded account's password.
const Password = "benchdata-2026"

// Seeded is what a seed holds, for the benchmarks to ask for.
type Seeded struct {
	Spec            Spec
	RootID          int64
	Townships       []int64   // in tree order
	Villages        [][]int64 // per township, in tree order
	Admin           string    // the root's administrator
	AdminID         int64
	AdminToken      string
	Statisticians   []string // one per township, in the township's unit
	StatisticianIDs []int64
	// Leaders are a leader's account per township (role leader, linked to
	// its 镇长), in charge of a quarter of its own targets.
	Leaders []string
	Token   string // an API token of Statisticians[0]
	Targets int
	Figures int
	// Targets of the first township: Parent is its own target decomposed
	// to its villages, Child one of those shares (itself with a person's
	// share), Person a target named for a person, Plain an own target
	// without shares; Village is Child's village.
	Parent, Child, Person, Plain int64
	Village                      int64
	// Insert and Rebuild are how long the writes and the evaluation took
	// (on PostgreSQL, Rebuild includes a VACUUM ANALYZE).
	Insert, Rebuild time.Duration
}

// check refuses a spec that cannot be laid out.
func (s *Spec) check() error {
	if s.Name == "" {
		s.Name = "测试区"
	}
	rest := s.TargetsPerTownship - s.Own
	persons := rest / 10
	shares := rest - persons
	switch {
	case s.Townships < 1 || s.Villages < 1 || s.Own < 1:
		return errors.New("benchdata: a spec needs townships, villages and own targets")
	case s.Departments < 0 || s.Departments > len(departments):
		return fmt.Errorf("benchdata: departments must be 0–%d", len(departments))
	case rest < 0:
		return errors.New("benchdata: Own is more than TargetsPerTownship")
	case shares > s.Own*s.Villages:
		return fmt.Errorf("benchdata: %d village shares do not fit %d indicators × %d villages", shares, s.Own, s.Villages)
	case persons-persons/2 > shares || persons/2 > s.Own*len(leaders):
		return errors.New("benchdata: too many targets named for people")
	case s.Months < 1 || s.Months > 12:
		return errors.New("benchdata: months must be 1–12")
	case s.Year < 2000 || s.Year > 2100:
		return errors.New("benchdata: year must be 2000–2100")
	}
	return nil
}

var (
	departments = []string{"党政办", "统计站", "经发办（招商办）", "财政所", "社会治理局", "拆迁办"}
	leaders     = []string{"党委书记", "党委副书记、镇长", "党委委员、副镇长", "副镇长"}
	categories  = []string{"经济发展", "招商引资", "财政税收", "社会民生", "安全环保"}
	indicators  = []string{"一般公共预算收入", "入库税收", "固定资产投资", "工业投资", "外贸出口", "外资到账", "应税销售",
		"规上工业产值", "社会消费品零售额", "新增市场主体", "新增四上企业", "招商引资到位资金"}
	placeA   = []string{"东", "西", "南", "北", "新", "青", "白", "石", "柳", "杨", "梅", "桃"}
	placeB   = []string{"湖", "河", "山", "桥", "塘", "庄", "林", "港", "坝", "岭", "湾", "圩"}
	surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭"}
	given    = []string{"建国", "卫东", "红梅", "志强", "晓明", "丽华", "立新", "桂兰", "海燕", "国庆", "文静", "振宇"}
)

// place names the i-th township or village: 144 two-character names, then
// numbered ones.
func place(i int, suffix string) string {
	n := len(placeA) * len(placeB)
	name := placeA[i%len(placeA)] + placeB[(i/len(placeA))%len(placeB)]
	if i >= n {
		name += strconv.Itoa(i / n)
	}
	return name + suffix
}

func person(i int) string {
	return surnames[i%len(surnames)] + given[(i/len(surnames)+i)%len(given)]
}

// indicator is the i-th indicator of the catalogue: mostly cumulative
// figures where higher is better, with ceilings (lower is better), month-end
// values and growth targets among them.
type indicator struct {
	id                   int64
	name, unit, cat      string
	lower, point, growth bool
}

func indicatorOf(i int) indicator {
	in := indicator{name: fmt.Sprintf("%s%03d", indicators[i%len(indicators)], i+1), unit: "万元", cat: categories[i%len(categories)]}
	switch {
	case i%10 == 9:
		in.lower, in.unit, in.name, in.cat = true, "吨标准煤", fmt.Sprintf("综合能耗%03d", i+1), "安全环保"
	case i%15 == 7:
		in.point, in.unit, in.name = true, "户", fmt.Sprintf("在册市场主体%03d", i+1)
	case i%12 == 5:
		in.growth = true
	}
	return in
}

// frac is a fraction in [0, 1) fixed by the numbers given: the seed's
// stand-in for chance, the same on every run.
func frac(xs ...int) float64 {
	h := uint64(1469598103934665603)
	for _, x := range xs {
		h ^= uint64(x)
		h *= 1099511628211
		h ^= h >> 29
	}
	return float64(h%1000003) / 1000003
}

// standing picks a target's light at its latest month from f: about one
// in five red, one in four yellow, the rest green (with the default yellow
// band of 0.10), and where within its band it stands (0 … 1).
func standing(f float64) (light int, within float64) {
	switch {
	case f < 0.2:
		return red, f / 0.2
	case f < 0.45:
		return yellow, (f - 0.2) / 0.25
	}
	return green, (f - 0.45) / 0.55
}

const (
	red = iota
	yellow
	green
)

// gapOf is how far ahead of the schedule (in shares of the goal) a target
// of that standing is: red 13–33 points behind, yellow 1–9, green 0–15 ahead.
func gapOf(light int, within float64) float64 {
	switch light {
	case red:
		return -0.13 - 0.2*within
	case yellow:
		return -0.01 - 0.08*within
	}
	return 0.15 * within
}

// growthOf is a growth target's YoY growth against its rate, in points:
// red 11–21 below, yellow 1–9 below (the band is 10 points), green 0–6 above.
func growthOf(light int, within float64) float64 {
	switch light {
	case red:
		return -11 - 10*within
	case yellow:
		return -1 - 8*within
	}
	return 6 * within
}

// target is one target being laid out.
type target struct {
	id, township, unit int64
	person             int64 // 0: the unit's own
	leader             int64 // the leader in charge; 0 for none
	parent             *target
	ind                int
	value              float64
	ly                 *float64 // last year's total
	kind               string
	key                int // for frac
}

// Seed writes s into d, which must hold no units yet, then rebuilds every
// target's kept progress. It returns what it wrote.
func Seed(ctx context.Context, d *db.DB, s Spec) (Seeded, error) {
	if err := s.check(); err != nil {
		return Seeded{}, err
	}
	var n int
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM units`).Scan(&n); err != nil {
		return Seeded{}, fmt.Errorf("benchdata: %w", err)
	}
	if n > 0 {
		return Seeded{}, errors.New("benchdata: the database already has units; seed an empty one")
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return Seeded{}, err
	}
	out := Seeded{Spec: s}
	start := time.Now()
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		w := &writer{ctx: ctx, tx: tx, s: s, now: time.Now().UTC(), hash: hash, out: &out, params: paramsPerStatement(d.Dialect)}
		return w.write()
	})
	if err != nil {
		return Seeded{}, err
	}
	out.Insert = time.Since(start)
	start = time.Now()
	if err := (&targets.Store{DB: d, Org: &org.Store{DB: d}}).Rebuild(ctx); err != nil {
		return Seeded{}, fmt.Errorf("benchdata: rebuild: %w", err)
	}
	if d.Dialect == db.Postgres {
		// What autovacuum does within a minute of a bulk load: without
		// statistics the planner takes every table for a few rows, and
		// without the visibility map no index-only scan skips the heap.
		// (SQLite gathers no statistics unless asked, and guatu never asks.)
		if _, err := d.ExecContext(ctx, `VACUUM ANALYZE`); err != nil {
			return Seeded{}, fmt.Errorf("benchdata: vacuum: %w", err)
		}
	}
	out.Rebuild = time.Since(start)
	if err := finish(ctx, d, &out); err != nil {
		return Seeded{}, err
	}
	return out, nil
}

// Open reads back what an earlier Seed wrote into d and issues new API
// tokens (only their hashes are kept), for a load run on a database seeded
// before.
func Open(ctx context.Context, d *db.DB) (Seeded, error) {
	var out Seeded
	var name string
	if err := d.QueryRowContext(ctx, `SELECT id, name FROM units WHERE parent_id IS NULL ORDER BY id LIMIT 1`).Scan(&out.RootID, &name); err != nil {
		return Seeded{}, fmt.Errorf("benchdata: no root unit: %w", err)
	}
	out.Spec.Name = name
	ids, err := int64s(ctx, d, `SELECT id FROM units WHERE parent_id = $1 AND kind = 'township' ORDER BY sort, id`, out.RootID)
	if err != nil {
		return Seeded{}, err
	}
	out.Townships = ids
	for i, tw := range out.Townships {
		vs, err := int64s(ctx, d, `SELECT id FROM units WHERE parent_id = $1 AND kind = 'village' ORDER BY sort, id`, tw)
		if err != nil {
			return Seeded{}, err
		}
		out.Villages = append(out.Villages, vs)
		out.Statisticians = append(out.Statisticians, statistician(i))
		var id int64
		if err := d.QueryRowContext(ctx, `SELECT id FROM users WHERE login = $1`, statistician(i)).Scan(&id); err != nil {
			return Seeded{}, fmt.Errorf("benchdata: %s: %w", statistician(i), err)
		}
		out.StatisticianIDs = append(out.StatisticianIDs, id)
		out.Leaders = append(out.Leaders, leaderLogin(i))
	}
	out.Admin = adminLogin
	if err := d.QueryRowContext(ctx, `SELECT id FROM users WHERE login = $1`, adminLogin).Scan(&out.AdminID); err != nil {
		return Seeded{}, fmt.Errorf("benchdata: %s: %w", adminLogin, err)
	}
	if err := d.QueryRowContext(ctx, `SELECT COALESCE(MAX(year), 0) FROM targets`).Scan(&out.Spec.Year); err != nil {
		return Seeded{}, fmt.Errorf("benchdata: %w", err)
	}
	out.Spec.Townships = len(out.Townships)
	if err := finish(ctx, d, &out); err != nil {
		return Seeded{}, err
	}
	return out, nil
}

const adminLogin = "admin"

func statistician(i int) string { return fmt.Sprintf("tongji%03d", i+1) }

func leaderLogin(i int) string { return fmt.Sprintf("zhenzhang%03d", i+1) }

// leaderTitles are the team positions of a township's leaders, in turn;
// the second (镇长) has the township's leader account.
var leaderTitles = []string{"党委书记", "镇长", "副镇长", "副镇长"}

// finish counts what the database holds, picks the benchmarks' targets and
// issues the API tokens.
func finish(ctx context.Context, d *db.DB, out *Seeded) error {
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM targets`).Scan(&out.Targets); err != nil {
		return fmt.Errorf("benchdata: %w", err)
	}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM figures`).Scan(&out.Figures); err != nil {
		return fmt.Errorf("benchdata: %w", err)
	}
	tw := out.Townships[0]
	picks := []struct {
		into  *int64
		query string
		arg   func() int64
	}{
		{&out.Parent, `SELECT t.id FROM targets t WHERE t.township_id = $1 AND t.unit_id = $1 AND t.person_id IS NULL
			AND EXISTS (SELECT 1 FROM targets c WHERE c.parent_id = t.id AND c.unit_id <> t.unit_id) ORDER BY t.id LIMIT 1`, func() int64 { return tw }},
		{&out.Child, `SELECT c.id FROM targets c WHERE c.parent_id = $1 AND c.person_id IS NULL ORDER BY c.id LIMIT 1`, func() int64 { return out.Parent }},
		{&out.Person, `SELECT id FROM targets WHERE township_id = $1 AND person_id IS NOT NULL ORDER BY id LIMIT 1`, func() int64 { return tw }},
		{&out.Plain, `SELECT t.id FROM targets t WHERE t.township_id = $1 AND t.unit_id = $1 AND t.person_id IS NULL
			AND NOT EXISTS (SELECT 1 FROM targets c WHERE c.parent_id = t.id) ORDER BY t.id DESC LIMIT 1`, func() int64 { return tw }},
		{&out.Village, `SELECT unit_id FROM targets WHERE id = $1`, func() int64 { return out.Child }},
	}
	for _, p := range picks {
		if err := d.QueryRowContext(ctx, p.query, p.arg()).Scan(p.into); err != nil {
			return fmt.Errorf("benchdata: pick a target: %w", err)
		}
	}
	st := &auth.Store{DB: d}
	var err error
	if out.AdminToken, err = st.CreateToken(ctx, out.AdminID, "benchdata"); err != nil {
		return err
	}
	out.Token, err = st.CreateToken(ctx, out.StatisticianIDs[0], "benchdata")
	return err
}

func int64s(ctx context.Context, q db.Queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("benchdata: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("benchdata: %w", err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// writer writes one seed inside one transaction.
type writer struct {
	ctx  context.Context
	tx   *sql.Tx
	s    Spec
	now  time.Time
	hash string
	out  *Seeded
	// params is how many parameters one statement binds.
	params int

	units   map[string]int64 // "parent/name" → id
	people  map[string]int64 // "unit/name" → id
	leaders [][]int64        // per township, the leaders' person ids
	heads   [][]int64        // per township, each village head's person id
	stats   []int64          // per township, 统计站's head (0 without one)
	inds    []indicator
}

func key(parent int64, name string) string { return strconv.FormatInt(parent, 10) + "/" + name }

func (w *writer) write() error {
	steps := []func() error{w.writeUnits, w.writePeople, w.writeUsers, w.writeIndicators, w.writeTargets, w.writeCampaigns}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// writeUnits writes the root, the townships, then their departments and
// villages, each level in batches, and sets every path from its parent's.
func (w *writer) writeUnits() error {
	w.units = map[string]int64{}
	ret := func(rows *sql.Rows) error {
		var id int64
		var parent sql.NullInt64
		var name string
		if err := rows.Scan(&id, &parent, &name); err != nil {
			return err
		}
		w.units[key(parent.Int64, name)] = id
		return nil
	}
	units := w.batch(`INSERT INTO units (parent_id, kind, name, path, sort, created_at, updated_at) VALUES `, `(?, ?, ?, '', ?, ?, ?)`, ` RETURNING id, parent_id, name`, ret)
	if err := units.add(nil, "district", w.s.Name, 0, w.now, w.now); err != nil {
		return err
	}
	if err := units.flush(); err != nil {
		return err
	}
	root := w.units[key(0, w.s.Name)]
	w.out.RootID = root
	if _, err := w.tx.ExecContext(w.ctx, `UPDATE units SET path = $1 WHERE id = $2`, "/"+strconv.FormatInt(root, 10)+"/", root); err != nil {
		return fmt.Errorf("benchdata: root path: %w", err)
	}
	for t := 0; t < w.s.Townships; t++ {
		if err := units.add(root, "township", place(t, "镇"), t+1, w.now, w.now); err != nil {
			return err
		}
	}
	if err := units.flush(); err != nil {
		return err
	}
	if err := w.paths(); err != nil {
		return err
	}
	for t := 0; t < w.s.Townships; t++ {
		tw := w.units[key(root, place(t, "镇"))]
		w.out.Townships = append(w.out.Townships, tw)
		for i := 0; i < w.s.Departments; i++ {
			if err := units.add(tw, "department", departments[i], i+1, w.now, w.now); err != nil {
				return err
			}
		}
		for v := 0; v < w.s.Villages; v++ {
			if err := units.add(tw, "village", place(v, "村"), 100+v, w.now, w.now); err != nil {
				return err
			}
		}
	}
	if err := units.flush(); err != nil {
		return err
	}
	for _, tw := range w.out.Townships {
		var vs []int64
		for v := 0; v < w.s.Villages; v++ {
			vs = append(vs, w.units[key(tw, place(v, "村"))])
		}
		w.out.Villages = append(w.out.Villages, vs)
	}
	return w.paths()
}

// paths sets the path of every unit still without one from its parent's.
func (w *writer) paths() error {
	_, err := w.tx.ExecContext(w.ctx, `UPDATE units SET path = (SELECT p.path FROM units p WHERE p.id = units.parent_id) || CAST(id AS TEXT) || '/'
		WHERE path = '' AND parent_id IS NOT NULL`)
	if err != nil {
		return fmt.Errorf("benchdata: unit paths: %w", err)
	}
	return nil
}

// writePeople writes each township's leaders, a head for each department
// and each village.
func (w *writer) writePeople() error {
	w.people = map[string]int64{}
	ret := func(rows *sql.Rows) error {
		var id, unit int64
		var name string
		if err := rows.Scan(&id, &unit, &name); err != nil {
			return err
		}
		w.people[key(unit, name)] = id
		return nil
	}
	people := w.batch(`INSERT INTO people (unit_id, name, title, phone, sort, created_at, updated_at) VALUES `, `(?, ?, ?, ?, ?, ?, ?)`, ` RETURNING id, unit_id, name`, ret)
	n := 0
	add := func(unit int64, title string, sort int) (string, error) {
		name := person(n)
		n++
		return name, people.add(unit, name, title, fmt.Sprintf("138%08d", n), sort, w.now, w.now)
	}
	type named struct {
		unit int64
		name string
	}
	var lead, heads [][]named
	var stats []named
	for t, tw := range w.out.Townships {
		var l []named
		for i, title := range leaders {
			name, err := add(tw, title, i+1)
			if err != nil {
				return err
			}
			l = append(l, named{tw, name})
		}
		lead = append(lead, l)
		stats = append(stats, named{})
		for i := 0; i < w.s.Departments; i++ {
			dep := w.units[key(tw, departments[i])]
			name, err := add(dep, departments[i]+"负责人", 1)
			if err != nil {
				return err
			}
			if departments[i] == "统计站" {
				stats[t] = named{dep, name}
			}
		}
		var h []named
		for _, v := range w.out.Villages[t] {
			name, err := add(v, "村党总支书记", 1)
			if err != nil {
				return err
			}
			h = append(h, named{v, name})
		}
		heads = append(heads, h)
	}
	if err := people.flush(); err != nil {
		return err
	}
	ids := func(ns []named) []int64 {
		out := make([]int64, len(ns))
		for i, p := range ns {
			out[i] = w.people[key(p.unit, p.name)]
		}
		return out
	}
	for t := range w.out.Townships {
		w.leaders = append(w.leaders, ids(lead[t]))
		w.heads = append(w.heads, ids(heads[t]))
		w.stats = append(w.stats, w.people[key(stats[t].unit, stats[t].name)])
	}
	// The leaders sit on their township's leadership team, as a target's or
	// a task's leader in charge must: the secretary on the party committee,
	// the others in the government.
	seats := w.batch(`INSERT INTO team_members (township_id, person_id, body, position, sort, created_at) VALUES `, `(?, ?, ?, ?, ?, ?)`, "", nil)
	for t, tw := range w.out.Townships {
		for i, p := range w.leaders[t] {
			body := "government"
			if i == 0 {
				body = "party"
			}
			if err := seats.add(tw, p, body, leaderTitles[i%len(leaderTitles)], i+1, w.now); err != nil {
				return err
			}
		}
	}
	return seats.flush()
}

// writeUsers writes the root's administrator and a statistician for each
// township (in the township's unit, linked to its 统计站's head), all with
// one password hashed once.
func (w *writer) writeUsers() error {
	byLogin := map[string]int64{}
	ret := func(rows *sql.Rows) error {
		var id int64
		var login string
		if err := rows.Scan(&id, &login); err != nil {
			return err
		}
		byLogin[login] = id
		return nil
	}
	users := w.batch(`INSERT INTO users (login, person_id, unit_id, role, password_hash, created_at, updated_at) VALUES `, `(?, ?, ?, ?, ?, ?, ?)`, ` RETURNING id, login`, ret)
	if err := users.add(adminLogin, nil, w.out.RootID, string(auth.Admin), w.hash, w.now, w.now); err != nil {
		return err
	}
	for t, tw := range w.out.Townships {
		var p *int64
		if w.stats[t] != 0 {
			p = &w.stats[t]
		}
		if err := users.add(statistician(t), p, tw, string(auth.Statistician), w.hash, w.now, w.now); err != nil {
			return err
		}
		if err := users.add(leaderLogin(t), w.leaders[t][1], tw, string(auth.Leader), w.hash, w.now, w.now); err != nil {
			return err
		}
	}
	if err := users.flush(); err != nil {
		return err
	}
	w.out.Admin, w.out.AdminID = adminLogin, byLogin[adminLogin]
	for t := range w.out.Townships {
		w.out.Statisticians = append(w.out.Statisticians, statistician(t))
		w.out.StatisticianIDs = append(w.out.StatisticianIDs, byLogin[statistician(t)])
		w.out.Leaders = append(w.out.Leaders, leaderLogin(t))
	}
	return nil
}

// writeIndicators writes the shared catalogue: Own indicators.
func (w *writer) writeIndicators() error {
	byName := map[string]int64{}
	ret := func(rows *sql.Rows) error {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			return err
		}
		byName[name] = id
		return nil
	}
	b := w.batch(`INSERT INTO indicators (name, measure_unit, category, measure, direction, cadence, additive, non_negative, sort, created_at, updated_at) VALUES `,
		`(?, ?, ?, ?, ?, 'monthly', ?, TRUE, ?, ?, ?)`, ` RETURNING id, name`, ret)
	for i := 0; i < w.s.Own; i++ {
		in := indicatorOf(i)
		measure, direction := "cumulative", "higher"
		if in.point {
			measure = "point"
		}
		if in.lower {
			direction = "lower"
		}
		if err := b.add(in.name, in.unit, in.cat, measure, direction, !in.point, i+1, w.now, w.now); err != nil {
			return err
		}
		w.inds = append(w.inds, in)
	}
	if err := b.flush(); err != nil {
		return err
	}
	for i := range w.inds {
		w.inds[i].id = byName[w.inds[i].name]
	}
	return nil
}

// writeTargets lays out each township's targets in three levels (its own,
// the villages' shares of the first indicators, the shares named for
// people), writes each level once its parents have ids, then the figures.
func (w *writer) writeTargets() error {
	var own, shares, persons []*target
	for t, tw := range w.out.Townships {
		scale := 1 + float64(t%7)/10
		mine := make([]*target, w.s.Own)
		for i := range mine {
			in := w.inds[i]
			// The township's four leaders take its own targets in turn.
			tg := &target{township: tw, unit: tw, ind: i, kind: "value", key: t*100000 + i, leader: w.leaders[t][i%len(leaders)]}
			tg.value = math.Round((800 + 37*float64(i%50)) * scale)
			if in.growth {
				ly := tg.value * 0.95
				tg.kind, tg.value, tg.ly = "growth", float64(5+i%6), &ly
			} else {
				ly := math.Round(tg.value * 0.93)
				tg.ly = &ly
			}
			mine[i] = tg
		}
		own = append(own, mine...)
		rest := w.s.TargetsPerTownship - w.s.Own
		np := rest / 10
		ns := rest - np
		var villageShares []*target
		for k := 0; k < ns; k++ {
			i, v := k/w.s.Villages, k%w.s.Villages
			parent := mine[i]
			tg := &target{township: tw, unit: w.out.Villages[t][v], parent: parent, ind: i, kind: parent.kind, key: t*100000 + 10000 + k, leader: parent.leader}
			tg.value = parent.value
			if parent.kind == "value" {
				tg.value = math.Round(parent.value * (1 + float64((v*7+i)%5-2)*0.05) / float64(w.s.Villages))
				ly := math.Round(tg.value * 0.93)
				tg.ly = &ly
			} else {
				ly := *parent.ly / float64(w.s.Villages)
				tg.ly = &ly
			}
			villageShares = append(villageShares, tg)
		}
		shares = append(shares, villageShares...)
		// Half the people's shares are the leaders' of the township's own
		// targets, half the village heads' of their villages' shares.
		for k := 0; k < np/2; k++ {
			i, l := k/len(leaders), k%len(leaders)
			persons = append(persons, w.share(mine[i], tw, w.leaders[t][l], t*100000+20000+k))
		}
		for k := 0; k < np-np/2; k++ {
			vs := villageShares[k]
			v := k % w.s.Villages
			persons = append(persons, w.share(vs, vs.unit, w.heads[t][v], t*100000+30000+k))
		}
	}
	for _, level := range [][]*target{own, shares, persons} {
		if err := w.insertTargets(level); err != nil {
			return err
		}
	}
	all := append(append(own, shares...), persons...)
	return w.writeFigures(all)
}

// share is a person's share of a target: 30% of it, in the same unit or
// the person's own below it.
func (w *writer) share(parent *target, unit, person int64, k int) *target {
	tg := &target{township: parent.township, unit: unit, person: person, parent: parent, ind: parent.ind, kind: parent.kind, key: k, leader: parent.leader}
	tg.value = parent.value
	if parent.kind == "value" {
		tg.value = math.Round(parent.value * 0.3)
	}
	if parent.ly != nil {
		ly := math.Round(*parent.ly * 0.3)
		tg.ly = &ly
	}
	return tg
}

// ownerKey identifies a target as its unique index does.
func ownerKey(ind, unit, person int64) string {
	return strconv.FormatInt(ind, 10) + "/" + strconv.FormatInt(unit, 10) + "/" + strconv.FormatInt(person, 10)
}

func (w *writer) insertTargets(level []*target) error {
	byOwner := map[string]int64{}
	ret := func(rows *sql.Rows) error {
		var id, ind, unit int64
		var person sql.NullInt64
		if err := rows.Scan(&id, &ind, &unit, &person); err != nil {
			return err
		}
		byOwner[ownerKey(ind, unit, person.Int64)] = id
		return nil
	}
	b := w.batch(`INSERT INTO targets (township_id, indicator_id, unit_id, person_id, parent_id, year, kind, target_value, last_year_total, weight, note, created_at, updated_at, leader_id) VALUES `,
		`(?, ?, ?, ?, ?, `+strconv.Itoa(w.s.Year)+`, ?, ?, ?, 1, '', ?, ?, ?)`, ` RETURNING id, indicator_id, unit_id, person_id`, ret)
	for _, tg := range level {
		var person, parent, leader *int64
		if tg.person != 0 {
			person = &tg.person
		}
		if tg.parent != nil {
			parent = &tg.parent.id
		}
		if tg.leader != 0 {
			leader = &tg.leader
		}
		if err := b.add(tg.township, w.inds[tg.ind].id, tg.unit, person, parent, tg.kind, tg.value, tg.ly, w.now, w.now, leader); err != nil {
			return err
		}
	}
	if err := b.flush(); err != nil {
		return err
	}
	for _, tg := range level {
		tg.id = byOwner[ownerKey(w.inds[tg.ind].id, tg.unit, tg.person)]
		if tg.id == 0 {
			return fmt.Errorf("benchdata: target of indicator %d, unit %d not written", tg.ind, tg.unit)
		}
	}
	return nil
}

// writeFigures writes Months cumulative figures of every target, each with
// last year's same period, so that its latest month stands where standing
// says; one target in 53 has its next-to-last month entered wrong first
// and corrected.
func (w *writer) writeFigures(all []*target) error {
	b := w.batch(`INSERT INTO figures (township_id, target_id, year, period, value, last_year_value, source, note, entered_by, entered_by_login, entered_at) VALUES `,
		`(?, ?, `+strconv.Itoa(w.s.Year)+`, ?, ?, ?, 'import', ?, ?, ?, ?)`, "", nil)
	login := map[int64]string{}
	user := map[int64]int64{}
	for t, tw := range w.out.Townships {
		login[tw], user[tw] = w.out.Statisticians[t], w.out.StatisticianIDs[t]
	}
	months := w.s.Months
	for _, tg := range all {
		in := w.inds[tg.ind]
		light, within := standing(frac(tg.key))
		gap := gapOf(light, within)
		yoy := -0.05 + 0.2*frac(tg.key, 7)
		corrected := tg.key%53 == 0
		for m := 1; m <= months; m++ {
			share := float64(m) / 12
			last := float64(months) / 12
			var value, ly float64
			wiggle := 1.0
			if m < months {
				wiggle = 1 + 0.02*float64((m+tg.ind)%3-1)
			}
			switch {
			case tg.kind == "growth":
				lyv := *tg.ly * share * wiggle
				rate := (tg.value + growthOf(light, within)) / 100
				ly, value = lyv, lyv*(1+rate)
			case in.point:
				value = tg.value * (1 + gap) * wiggle
				ly = value / (1 + yoy)
			case in.lower:
				at := tg.value * math.Max(last-gap, 0.01)
				value = at * float64(m) / float64(months) * wiggle
				ly = value / (1 + yoy)
			default:
				at := tg.value * math.Max(last+gap, 0.01)
				value = at * float64(m) / float64(months) * wiggle
				ly = value / (1 + yoy)
			}
			value, ly = math.Round(value*100)/100, math.Round(ly*100)/100
			period := targets.Period(w.s.Year, m)
			at := time.Date(w.s.Year, time.Month(m), 25, 9, 0, 0, 0, clock.Beijing).UTC()
			if at.After(w.now) {
				at = w.now
			}
			note := ""
			if corrected && m == max(1, months-1) {
				if err := b.add(tg.township, tg.id, period, math.Round(value*150)/100, ly, "", user[tg.township], login[tg.township], at); err != nil {
					return err
				}
				note = "更正"
			}
			if err := b.add(tg.township, tg.id, period, value, ly, note, user[tg.township], login[tg.township], at); err != nil {
				return err
			}
		}
	}
	return b.flush()
}

// writeCampaigns writes one campaign per township: the last hundred days
// of the year.
func (w *writer) writeCampaigns() error {
	b := w.batch(`INSERT INTO campaigns (township_id, name, year, start_date, end_date, goals, created_at, updated_at) VALUES `,
		`(?, '大干一百天，冲刺四季度', `+strconv.Itoa(w.s.Year)+`, ?, ?, '', ?, ?)`, "", nil)
	end := time.Date(w.s.Year, 12, 31, 0, 0, 0, 0, clock.Beijing)
	start := end.AddDate(0, 0, -99)
	for _, tw := range w.out.Townships {
		if err := b.add(tw, start.Format(clock.DateFormat), end.Format(clock.DateFormat), w.now, w.now); err != nil {
			return err
		}
	}
	return b.flush()
}

// paramsPerStatement is how many parameters one INSERT binds. PostgreSQL
// takes big statements best (fewer round trips), well under its limit of
// 65,535; modernc's SQLite looks every $N parameter up by name through a
// list as long as the statement's, so binding costs the square of the
// statement's parameters there (30,000 parameters a statement took the city
// 66 s to write, 200 take 3 s).
func paramsPerStatement(d db.Dialect) int {
	if d == db.Postgres {
		return 3000
	}
	return 200
}

// maxRows is the most rows one statement inserts: more saves little.
const maxRows = 1000

// batch inserts rows many at a time. row is one row's VALUES tuple with ?
// for each parameter (constants may be written in it); a full statement is
// prepared once and reused; with returning, each returned row is scanned.
type batch struct {
	w         *writer
	head, row string
	returning string
	scan      func(*sql.Rows) error
	cols      int
	rows      int
	args      []any
	full      *sql.Stmt
}

func (w *writer) batch(head, row, returning string, scan func(*sql.Rows) error) *batch {
	cols := strings.Count(row, "?")
	return &batch{w: w, head: head, row: row, returning: returning, scan: scan, cols: cols, rows: max(1, min(maxRows, w.params/cols))}
}

func (b *batch) add(vals ...any) error {
	if len(vals) != b.cols {
		return fmt.Errorf("benchdata: %d values for %d columns of %s", len(vals), b.cols, b.head)
	}
	b.args = append(b.args, vals...)
	if len(b.args) >= b.rows*b.cols {
		return b.flush()
	}
	return nil
}

// text is the statement for n rows, numbering the placeholders.
func (b *batch) text(n int) string {
	var q strings.Builder
	q.WriteString(b.head)
	p := 0
	for r := 0; r < n; r++ {
		if r > 0 {
			q.WriteString(", ")
		}
		for _, c := range b.row {
			if c == '?' {
				p++
				q.WriteString("$" + strconv.Itoa(p))
				continue
			}
			q.WriteRune(c)
		}
	}
	q.WriteString(b.returning)
	return q.String()
}

func (b *batch) flush() error {
	n := len(b.args) / b.cols
	if n == 0 {
		return nil
	}
	ctx, tx := b.w.ctx, b.w.tx
	var stmt *sql.Stmt
	if n == b.rows {
		if b.full == nil {
			s, err := tx.PrepareContext(ctx, b.text(n))
			if err != nil {
				return fmt.Errorf("benchdata: prepare %s: %w", b.head, err)
			}
			b.full = s
		}
		stmt = b.full
	} else {
		s, err := tx.PrepareContext(ctx, b.text(n))
		if err != nil {
			return fmt.Errorf("benchdata: prepare %s: %w", b.head, err)
		}
		defer s.Close()
		stmt = s
	}
	if b.scan == nil {
		if _, err := stmt.ExecContext(ctx, b.args...); err != nil {
			return fmt.Errorf("benchdata: %s: %w", b.head, err)
		}
	} else {
		rows, err := stmt.QueryContext(ctx, b.args...)
		if err != nil {
			return fmt.Errorf("benchdata: %s: %w", b.head, err)
		}
		for rows.Next() {
			if err := b.scan(rows); err != nil {
				rows.Close()
				return fmt.Errorf("benchdata: %s: %w", b.head, err)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("benchdata: %s: %w", b.head, err)
		}
	}
	b.args = b.args[:0]
	return nil
}
