package work

import (
	"context"
	"sort"
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
// written over the stored deadline text.
func lightWhere(w *db.Where, l Light, now time.Time) {
	today := clock.Today(now)
	t0 := today.Format(clock.DateFormat)
	tw := today.AddDate(0, 0, DueWindow).Format(clock.DateFormat)
	marks, states := stateMarks(unlit)
	switch l {
	case NoLight:
		w.Add("t.state IN ("+marks+")", states...)
		return
	case Red:
		w.Add("t.deadline < ?", t0)
	case Yellow:
		w.Add("t.deadline >= ? AND t.deadline <= ?", t0, tw)
	case Green:
		w.Add("t.deadline > ?", tw)
	default:
		w.Add("1 = 0")
		return
	}
	w.Add("t.state NOT IN ("+marks+")", states...)
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
		lightWhere(&w, *f.Light, s.now())
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
	total, err := s.count(ctx, sc, f, &w)
	if err != nil {
		return nil, err
	}
	p.SetTotal(total)
	q := `SELECT ` + taskColumns + ` FROM tasks t` + w.SQL() + p.OrderBy(sortColumns, "t.deadline", "t.id") + w.Page(p)
	rows, err := s.DB.QueryContext(ctx, q, w.Args...)
	if err != nil {
		return nil, platform.Internalf("tasks: %w", err)
	}
	defer rows.Close()
	var out []Task
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, platform.Internalf("tasks: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("tasks: %w", err)
	}
	if err := coUnits(ctx, s.DB, out); err != nil {
		return nil, err
	}
	if err := openCards(ctx, s.DB, out); err != nil {
		return nil, err
	}
	for i := range out {
		s.dress(sc, &out[i])
	}
	return out, nil
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
