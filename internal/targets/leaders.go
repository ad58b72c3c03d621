package targets

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strconv"
	"strings"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// The leader in charge (分管领导) of a target: a member of its township's
// leadership team, who answers for the target beside its unit and person.
// The rule, the change of it, the boards' ranking of the leaders by their
// targets and a leader's own targets on the board live here.

// checkLeader says whether person may be the leader in charge of a target of
// township: a member of its leadership team. Invalid on leader_id otherwise,
// naming the township and, when the caller may name them, the person.
func (s *Store) checkLeader(ctx context.Context, sc *org.Scope, township, person int64) error {
	tw, ok := sc.Tree.Unit(township)
	if !ok || tw.Kind != org.Township {
		return platform.FieldError("leader_id", "target.err.leader_no_team", tw.Name)
	}
	team, err := s.org().Team(ctx, township)
	if err != nil {
		return err
	}
	for _, m := range team {
		if m.PersonID == person {
			return nil
		}
	}
	names, err := sc.Names(ctx, []int64{person})
	if err != nil {
		return err
	}
	if p, ok := names[person]; ok {
		return platform.FieldError("leader_id", "target.err.leader_not_on_team", tw.Name, p.Name)
	}
	return platform.FieldError("leader_id", "target.err.no_leader", tw.Name)
}

// SetLeader names the leader in charge of a target (nil: none) and returns
// the target as it is then. The shares below it that carried its leader
// follow (those that carried none, when it had none), so a decomposition
// keeps one leader unless a share was given its own. Only those who keep
// targets may; a leader off the township's team is Invalid on leader_id; a
// target out of scope is not found.
func (s *Store) SetLeader(ctx context.Context, id int64, leader *int64) (Row, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Row{}, err
	}
	t, err := s.target(ctx, sc, id) // scope first: another's target is not found
	if err != nil {
		return Row{}, err
	}
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return Row{}, s.forbidden(ctx, sc, "target", id, t.UnitID, err)
	}
	if leader != nil {
		if err := s.checkLeader(ctx, sc, t.TownshipID, *leader); err != nil {
			return Row{}, err
		}
	}
	if sameID(t.LeaderID, leader) {
		return t, nil
	}
	tree, inds, err := s.keptReference(ctx)
	if err != nil {
		return Row{}, err
	}
	now := s.now().UTC()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		q := s.DB.Stmts(tx)
		ids, err := followers(ctx, q, t.ID, t.LeaderID)
		if err != nil {
			return err
		}
		var w db.Where
		w.In("t.id", ids)
		rows, err := loadTargets(ctx, q, &w)
		if err != nil {
			return err
		}
		for _, chunk := range chunks(ids, 500) {
			var in db.Where
			set := `UPDATE targets SET leader_id = ` + in.Next(leader) + `, updated_at = ` + in.Next(now)
			in.In("id", chunk)
			if _, err := q.ExecContext(ctx, set+in.SQL(), in.Args...); err != nil {
				return platform.Internalf("set leader: %w", err)
			}
		}
		if err := s.writeProgress(ctx, q, ids, tree, inds); err != nil {
			return err
		}
		for _, r := range rows {
			path := ""
			if u, ok := tree.Unit(r.UnitID); ok {
				path = u.Path
			}
			if err := audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "target", EntityID: audit.ID(r.ID), UnitID: r.UnitID, UnitPath: path,
				Before: map[string]any{"leader_id": r.LeaderID}, After: map[string]any{"leader_id": leader}, At: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return Row{}, err
	}
	return s.target(ctx, sc, id)
}

// followers is the target id and the shares below it, level by level, that
// carry the leader it has now (old, nil for none): those a change of its
// leader carries along. A share with a leader of its own stops the descent.
func followers(ctx context.Context, q db.Queryer, id int64, old *int64) ([]int64, error) {
	out := []int64{id}
	next := []int64{id}
	for len(next) > 0 {
		var found []int64
		for _, chunk := range chunks(next, 500) {
			var w db.Where
			w.In("parent_id", chunk)
			if old == nil {
				w.Add("leader_id IS NULL")
			} else {
				w.Add("leader_id = ?", *old)
			}
			ids, err := int64sOf(ctx, q, `SELECT id FROM targets`+w.SQL()+` ORDER BY id`, w.Args...)
			if err != nil {
				return nil, err
			}
			found = append(found, ids...)
		}
		out = append(out, found...)
		next = found
	}
	return out, nil
}

func sameID(a, b *int64) bool {
	return (a == nil && b == nil) || (a != nil && b != nil && *a == *b)
}

// LeaderScore is a leader in charge's standing from the targets they are in
// charge of on a board: how many, of which light, and how far behind the
// schedule they are on average.
type LeaderScore struct {
	PersonID int64  `json:"person_id"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	// Township names the leader's township on a district's board, where
	// names may repeat; "" on a township's.
	Township string `json:"township,omitempty"`
	Targets  int    `json:"targets"`
	Counts   Counts `json:"counts"`
	// Gap is the mean of their judged targets' gaps to the schedule
	// (completion − expected share, a fraction; a ceiling's is turned round,
	// so below 0 is behind for every target), nil when none has a figure.
	Gap *float64 `json:"gap"`
	// Judged is how many targets the mean is over.
	Judged int `json:"judged"`
}

// leaderScores ranks the leaders in charge of the top-level targets (a
// township's own: no parent) of home's subtree in year, most behind first:
// by the mean gap, then the reds, then the name; leaders without a judged
// target last. The rows are what the list filtered by the leader, the
// subtree and top=1 holds (LeaderURL), so a count and its list agree.
func (s *Store) leaderScores(ctx context.Context, sc *org.Scope, home org.Unit, year int) ([]LeaderScore, error) {
	var w db.Where
	sc.Where(&w, "p.township_id", "p.unit_id", home.ID)
	w.Add("p.year = ?", year)
	w.Add("p.top = ?", true)
	w.Add("p.leader_id IS NOT NULL")
	gap, err := s.behindGap(ctx)
	if err != nil {
		return nil, err
	}
	// Grouped by township, leader and light, as the index orders them, so
	// the groups stream off it without a sort or a test of each row's
	// light; a leader whose targets lie in two townships (a unit moved) is
	// added up below.
	rows, err := s.DB.QueryContext(ctx, `SELECT p.township_id, p.leader_id, p.light, COUNT(*), COUNT(p.gap), SUM(`+gap+`)
		FROM target_progress p`+w.SQL()+` GROUP BY p.township_id, p.leader_id, p.light`, w.Args...)
	if err != nil {
		return nil, platform.Internalf("leader scores: %w", err)
	}
	defer rows.Close()
	var out []LeaderScore
	var ids []int64
	at := map[int64]int{}
	sums := map[int64]float64{}
	townships := map[int64]int64{}
	for rows.Next() {
		var township, leader int64
		var light string
		var n, judged int
		var sum sql.NullFloat64
		if err := rows.Scan(&township, &leader, &light, &n, &judged, &sum); err != nil {
			return nil, platform.Internalf("leader scores: %w", err)
		}
		i, seen := at[leader]
		if !seen {
			i = len(out)
			at[leader] = i
			out = append(out, LeaderScore{PersonID: leader})
			ids = append(ids, leader)
			townships[leader] = township
		}
		o := &out[i]
		o.Targets += n
		o.Judged += judged
		switch Light(light) {
		case Green:
			o.Counts.Green += n
		case Yellow:
			o.Counts.Yellow += n
		case Red:
			o.Counts.Red += n
		default:
			o.Counts.None += n
		}
		sums[leader] += sum.Float64
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("leader scores: %w", err)
	}
	for i := range out {
		o := &out[i]
		if g := sums[o.PersonID] / float64(max(o.Judged, 1)); o.Judged > 0 && !math.IsNaN(g) && !math.IsInf(g, 0) {
			o.Gap = &g
		}
	}
	names, err := sc.Names(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		ls := &out[i]
		p := names[ls.PersonID]
		ls.Name, ls.Title = p.Name, p.Title
		if home.Kind != org.Township {
			if tw, ok := sc.Tree.Unit(townships[ls.PersonID]); ok {
				ls.Township = tw.Name
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, c := out[i], out[j]
		if (a.Gap == nil) != (c.Gap == nil) {
			return a.Gap != nil
		}
		if a.Gap != nil && math.Abs(*a.Gap-*c.Gap) > 1e-12 {
			return *a.Gap < *c.Gap
		}
		if a.Counts.Red != c.Counts.Red {
			return a.Counts.Red > c.Counts.Red
		}
		if a.Name != c.Name {
			return a.Name < c.Name
		}
		return a.PersonID < c.PersonID
	})
	return out, nil
}

// LeaderURL is the targets list of the leader's top-level targets in unit's
// subtree in year, with light ("" for all): the rows a LeaderScore counts.
func LeaderURL(unit, leader int64, year int, light string) string {
	u := "/targets?unit=" + strconv.FormatInt(unit, 10) + "&sub=1&top=1&leader=" + strconv.FormatInt(leader, 10) + "&year=" + strconv.Itoa(year)
	if light != "" {
		u += "&light=" + light
	}
	return u
}

// behindGap is the SQL of a kept row's gap (target_progress p) turned so
// that below 0 is behind for every target: a ceiling's is turned round,
// since above its schedule is behind. The catalogue is the kept one; the
// ids are ours, written into the SQL as numbers.
func (s *Store) behindGap(ctx context.Context) (string, error) {
	_, ordered, err := s.indicators(ctx)
	if err != nil {
		return "", err
	}
	var lower []string
	for _, in := range ordered {
		if in.Direction == Lower {
			lower = append(lower, strconv.FormatInt(in.ID, 10))
		}
	}
	if len(lower) == 0 {
		return "p.gap", nil
	}
	return "CASE WHEN p.indicator_id IN (" + strings.Join(lower, ", ") + ") THEN -p.gap ELSE p.gap END", nil
}

// Led returns the targets the caller is the leader in charge of within the
// board of a unit in scope, the top-level ones (a township's own): the
// first limit of them, the most urgent light first and the most behind
// within it, and how many there are. Nothing for a caller who is not a
// leader with a person.
func (s *Store) Led(ctx context.Context, unitID int64, year, limit int) ([]Row, int, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, 0, err
	}
	home, ok := sc.Unit(unitID)
	if !ok {
		return nil, 0, platform.ErrNotFound
	}
	u := sc.User
	if u.Role != auth.Leader || u.PersonID == nil {
		return nil, 0, nil
	}
	var w db.Where
	w.Add("p.leader_id = ?", *u.PersonID)
	w.Add("p.year = ?", year)
	w.Add("p.top = ?", true)
	sc.Where(&w, "p.township_id", "p.unit_id", home.ID)
	gap, err := s.behindGap(ctx)
	if err != nil {
		return nil, 0, err
	}
	var total int
	rows, err := s.rowsCounted(ctx, sc, &total, `SELECT (SELECT COUNT(*) FROM target_progress p`+w.SQL()+`), `+progressColumns+` FROM target_progress p`+w.SQL()+
		` ORDER BY p.light_rank, (p.gap IS NULL), `+gap+`, `+naturalOrder+`, p.target_id LIMIT `+strconv.Itoa(max(limit, 1)), w.Args...)
	return rows, total, err
}

// LeaderChoices are the leaders in charge a target of the caller's may
// name, as select options: the members of every team the caller reads, each
// once, "李卫东（党委副书记、镇长）", with the township named when there are
// several.
func (s *Store) LeaderChoices(ctx context.Context) ([]org.Choice, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	team, err := sc.Team(ctx)
	if err != nil {
		return nil, err
	}
	return org.LeaderChoices(sc.Tree, team), nil
}

// TeamChoices are the members of one township's team as select options.
func (s *Store) TeamChoices(ctx context.Context, township int64) ([]org.Choice, error) {
	tree, err := s.org().Tree(ctx)
	if err != nil {
		return nil, err
	}
	tw, ok := tree.Unit(township)
	if !ok || tw.Kind != org.Township {
		return nil, nil
	}
	team, err := s.org().Team(ctx, township)
	if err != nil {
		return nil, err
	}
	return org.LeaderChoices(tree, team), nil
}
