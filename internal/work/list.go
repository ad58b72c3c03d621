package work

import (
	"context"
	"database/sql"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/workflow"
)

// Filter narrows the register; nil or empty fields are unset.
type Filter struct {
	Status   *workflow.State
	Level    *Level
	UnitID   *int64 // lead unit, or a unit below it
	Light    *Light
	Search   string
	OpenOnly bool // the tasks being worked: not closed, stopped or struck off
	// NotOverdue leaves out the overdue tasks (the API's overdue=false).
	NotOverdue bool
	Source     *Source
	LeaderID   *int64 // the leader in charge (分管领导)
	// DueAfter and DueBefore bound the deadline, both days included
	// (YYYY-MM-DD; "" unset).
	DueAfter, DueBefore string
	// ProgressBelow keeps the tasks whose reported progress is under this
	// percentage: the ones lagging.
	ProgressBelow *int
	// Card keeps the tasks with a standing card of this colour.
	Card *Color
	// Late keeps the tasks late in one of the two ways besides the
	// deadline: LateClaim (签收超期) or LateFeedback (反馈超期).
	Late string
}

// The register's late kinds besides the deadline (the late= filter).
const (
	LateClaim    = "claim"    // 签收超期
	LateFeedback = "feedback" // 反馈超期
)

// lateWhere selects the tasks late in kind at now, the rules of Task.lit.
func lateWhere(w *db.Where, kind string, now time.Time) {
	today := clock.Today(now).Format(clock.DateFormat)
	switch kind {
	case LateClaim:
		w.Add("t.state = ? AND t.claim_by <> '' AND t.claim_by < ?", string(Assigned), today)
	case LateFeedback:
		w.Add("t.state IN (?, ?) AND t.next_report <> '' AND t.next_report < ?", string(Accepted), string(InProgress), today)
	default:
		w.Add("1 = 0")
	}
}

// Sorts are the register's sort keys.
var Sorts = []string{"deadline", "title", "status", "level", "progress"}

// Every one is a NOT NULL column: sorted by deadline a page is the natural
// order, read off the township's deadline index.
var sortColumns = map[string]string{
	"deadline": db.NotNull("t.deadline"),
	"title":    db.NotNull("t.title"),
	"status":   db.NotNull("t.state"),
	"level":    db.NotNull("t.level"),
	"progress": db.NotNull("t.progress"),
}

// scopeWhere narrows w to the tasks the caller sees: whole townships by
// township, a scope inside a township by the lead unit or a co-unit.
func scopeWhere(sc *org.Scope, w *db.Where) {
	if sc.WholeTownships(0) {
		sc.Where(w, "t.township_id", "t.lead_unit_id", 0)
		return
	}
	tw, ok := sc.TownshipOf(sc.User.UnitID)
	if !ok {
		w.Add("1 = 0")
		return
	}
	w.Add("t.township_id = ?", tw.ID)
	ids := sc.Subtree(sc.User.UnitID)
	if len(ids) == 0 {
		w.Add("1 = 0")
		return
	}
	in := ""
	for i, id := range ids {
		if i > 0 {
			in += ", "
		}
		in += w.Next(id)
	}
	w.Add("(t.lead_unit_id IN (" + in + ") OR EXISTS (SELECT 1 FROM task_units cu WHERE cu.task_id = t.id AND cu.unit_id IN (" + in + ")))")
}

// lightWhere selects the tasks of one light at now, the same rule as LightOf
// written over the stored deadline text, each township by its own window.
func lightWhere(w *db.Where, l Light, now time.Time, win Windows) {
	today := clock.Today(now)
	t0 := today.Format(clock.DateFormat)
	marks, states := stateMarks(unlit)
	switch l {
	case NoLight:
		w.Add("t.state IN ("+marks+")", states...)
		return
	case Red:
		w.Add("t.deadline < ?", t0)
	case Yellow:
		w.Add("t.deadline >= ?", t0)
		windowWhere(w, "t.deadline <= ?", today, win)
	case Green:
		windowWhere(w, "t.deadline > ?", today, win)
	default:
		w.Add("1 = 0")
		return
	}
	w.Add("t.state NOT IN ("+marks+")", states...)
}

// windowWhere adds cond (on the date a window's days after today) for every
// township by its own window: one branch for the townships at the default
// and one per other window, so a district-wide list stays one query.
func windowWhere(w *db.Where, cond string, today time.Time, win Windows) {
	end := func(days int) string { return today.AddDate(0, 0, days).Format(clock.DateFormat) }
	if len(win) == 0 {
		w.Add(cond, end(DefaultDueWindow))
		return
	}
	byDays := map[int][]int64{}
	var custom []int64
	for id, d := range win {
		byDays[d] = append(byDays[d], id)
		custom = append(custom, id)
	}
	days := make([]int, 0, len(byDays))
	for d := range byDays {
		days = append(days, d)
	}
	sort.Ints(days)
	list := func(ids []int64) string {
		slices.Sort(ids)
		out := ""
		for i, id := range ids {
			if i > 0 {
				out += ", "
			}
			out += strconv.FormatInt(id, 10)
		}
		return out
	}
	branches := []string{"(t.township_id NOT IN (" + list(custom) + ") AND " + cond + ")"}
	args := []any{end(DefaultDueWindow)}
	for _, d := range days {
		branches = append(branches, "(t.township_id IN ("+list(byDays[d])+") AND "+cond+")")
		args = append(args, end(d))
	}
	w.Add("("+strings.Join(branches, " OR ")+")", args...)
}

// Count is how many tasks of the caller's scope the filter selects: the
// total of the pages Tasks shows.
func (s *Store) Count(ctx context.Context, f Filter) (int, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return 0, err
	}
	w, err := s.where(ctx, sc, f)
	if err != nil {
		return 0, err
	}
	return s.count(ctx, sc, f, &w)
}

// where is the register's condition for the caller's scope and f.
func (s *Store) where(ctx context.Context, sc *org.Scope, f Filter) (db.Where, error) {
	var w db.Where
	scopeWhere(sc, &w)
	if f.Status != nil {
		w.Add("t.state = ?", string(*f.Status))
	}
	if f.OpenOnly {
		marks, states := stateMarks(unlit)
		w.Add("t.state NOT IN ("+marks+")", states...)
	}
	if f.Level != nil {
		w.Add("t.level = ?", string(*f.Level))
	}
	if f.UnitID != nil {
		if !sc.Has(*f.UnitID) {
			return w, sc.DenyUnit(ctx, *f.UnitID)
		}
		w.In("t.lead_unit_id", sc.Subtree(*f.UnitID))
	}
	if f.Light != nil {
		win, err := s.dueWindows(ctx)
		if err != nil {
			return w, err
		}
		lightWhere(&w, *f.Light, s.now(), win)
	}
	if f.NotOverdue {
		marks, states := stateMarks(unlit)
		w.Add("(t.deadline >= ? OR t.state IN ("+marks+"))", append([]any{clock.Today(s.now()).Format(clock.DateFormat)}, states...)...)
	}
	if f.Search != "" {
		w.Search(f.Search, "t.title", "t.requirement", "t.category", "t.doc_number")
	}
	if f.Source != nil {
		w.Add("t.source = ?", string(*f.Source))
	}
	if f.LeaderID != nil {
		w.Add("t.leader_id = ?", *f.LeaderID)
	}
	if f.DueAfter != "" {
		w.Add("t.deadline >= ?", f.DueAfter)
	}
	if f.DueBefore != "" {
		w.Add("t.deadline <= ?", f.DueBefore)
	}
	if f.ProgressBelow != nil {
		w.Add("t.progress < ?", *f.ProgressBelow)
	}
	if f.Card != nil {
		cardWhere(&w, *f.Card)
	}
	if f.Late != "" {
		lateWhere(&w, f.Late, s.now())
	}
	return w, nil
}

// Tasks returns a page of the register in the caller's scope, by deadline
// unless sorted otherwise; p learns the total.
func (s *Store) Tasks(ctx context.Context, f Filter, p db.Pager) ([]Task, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.where(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	// The page is read before its total, with the register's version in the
	// same query, so a kept total costs no round trip of its own: the page
	// at the offset asked for (the API's window; a register page past the
	// last is read again once the total has clamped it).
	k, keep, err := s.countKeyBase(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	version := "NULL"
	if keep {
		version = versionSQL(sc)
	}
	offset := p.Offset()
	out, at, err := s.page(ctx, &w, p, version)
	if err != nil {
		return nil, err
	}
	total, hit := 0, false
	if at != nil {
		k.version = *at
		total, hit = s.counts.get(k)
	}
	if !hit {
		if total, err = s.count(ctx, sc, f, &w); err != nil {
			return nil, err
		}
	}
	p.SetTotal(total)
	if p.Offset() != offset {
		if out, _, err = s.page(ctx, &w, p, "NULL"); err != nil {
			return nil, err
		}
	}
	for i := range out {
		if err := s.dress(ctx, sc, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// page reads the page of w at p's offset, with version (an SQL scalar, or
// NULL) read in the same query; at is nil for an empty page or a NULL.
func (s *Store) page(ctx context.Context, w *db.Where, p db.Pager, version string) (out []Task, at *int64, err error) {
	// The page's ids first, off the township's deadline index where the
	// filter allows (it covers id, progress, state and level), then those
	// fifty rows by id with their co-units and standing card, in the same
	// query: one round trip, and no table row read for those an OFFSET skips.
	// The window's LIMIT and OFFSET go on a copy: w stays the filter alone,
	// for the count after.
	pw := *w
	pw.Args = slices.Clone(w.Args)
	order := p.OrderBy(sortColumns, "t.deadline", "t.id")
	ids := `SELECT t.id FROM tasks t` + pw.SQL() + order + pw.Page(p)
	// PostgreSQL joins a derived table of fifty ids by hashing the whole
	// register (a sequential scan, the page's cost doubled at 4,000 tasks);
	// an array of them is fifty primary-key lookups. SQLite loops on the
	// key either way.
	from := ` FROM (` + ids + `) page JOIN tasks t ON t.id = page.id`
	if s.DB.Dialect == db.Postgres {
		from = ` FROM tasks t WHERE t.id = ANY(ARRAY(` + ids + `))`
	}
	q := `SELECT ` + taskColumns + `, ` + coUnitsColumn(s.DB.Dialect) + `, ` + standingCardColumn + `, ` + version + from + order
	rows, err := s.DB.QueryContext(ctx, q, pw.Args...)
	if err != nil {
		return nil, nil, platform.Internalf("tasks: %w", err)
	}
	defer rows.Close()
	var co, card sql.NullString
	var v sql.NullInt64
	scan := newTaskScanner(&co, &card, &v)
	out = make([]Task, 0, min(p.PerPage(), 1000))
	for rows.Next() {
		t, err := scan.scan(rows)
		if err != nil {
			return nil, nil, platform.Internalf("tasks: %w", err)
		}
		listed(&t, co, card)
		if v.Valid {
			at = &v.Int64
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, platform.Internalf("tasks: %w", err)
	}
	return out, at, nil
}

// coUnitsColumn is a task's co-units in one column, "4,9" in id order.
func coUnitsColumn(d db.Dialect) string {
	if d == db.Postgres {
		return `(SELECT string_agg(cu.unit_id::text, ',' ORDER BY cu.unit_id) FROM task_units cu WHERE cu.task_id = t.id)`
	}
	return `(SELECT group_concat(unit_id, ',') FROM (SELECT cu.unit_id FROM task_units cu WHERE cu.task_id = t.id ORDER BY cu.unit_id))`
}

// standingCardColumn is a task's standing card's colour, or NULL.
const standingCardColumn = `(SELECT c.color FROM task_cards c WHERE c.task_id = t.id AND c.cleared_at IS NULL ORDER BY c.id DESC LIMIT 1)`

// listed fills a task's co-units and standing card from their columns.
func listed(t *Task, co, card sql.NullString) {
	t.CoUnitIDs = []int64{}
	if co.String != "" { // most tasks have none: no split, no failed parse
		for _, id := range strings.Split(co.String, ",") {
			if n, err := strconv.ParseInt(id, 10, 64); err == nil {
				t.CoUnitIDs = append(t.CoUnitIDs, n)
			}
		}
	}
	t.Card = Color(card.String)
}

// count is how many tasks w selects, kept for the scope and filter while
// the register does not change (counts.go).
func (s *Store) count(ctx context.Context, sc *org.Scope, f Filter, w *db.Where) (int, error) {
	k, keep, err := s.countKeyOf(ctx, sc, f)
	if err != nil {
		return 0, err
	}
	if keep {
		if n, ok := s.counts.get(k); ok {
			return n, nil
		}
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks t`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return 0, platform.Internalf("count tasks: %w", err)
	}
	if keep {
		s.counts.put(k, n)
	}
	return n, nil
}

// MaxTodo bounds 我的待办: more than this many waiting is a list to filter.
const MaxTodo = 200

// Todo returns the open tasks the caller must act on now (a move the
// machine lets them make), overdue first, then by deadline.
func (s *Store) Todo(ctx context.Context) ([]Task, error) {
	tasks, err := s.Tasks(ctx, Filter{OpenOnly: true}, db.All(1000))
	if err != nil {
		return nil, err
	}
	var out []Task
	for _, t := range tasks {
		for _, m := range s.Allowed(ctx, t) {
			// The office may stop or strike off any open task, and a
			// listing leader strike off their listed ones, but nobody is
			// waited on to.
			if m != Stop && m != Strike {
				out = append(out, t)
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Overdue != out[j].Overdue {
			return out[i].Overdue
		}
		return out[i].Deadline < out[j].Deadline
	})
	if len(out) > MaxTodo {
		out = out[:MaxTodo]
	}
	return out, nil
}
