package work

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/workflow"
)

// Item is one of a township's ten livelihood projects of a year
// (十件民生实事): a public commitment numbered 一…十, with a target where it
// has a number (新增就业岗位 500 个), a lead unit, and the tasks that carry
// it out.
type Item struct {
	ID           int64    `json:"id"`
	TownshipID   int64    `json:"township_id"`
	Year         int      `json:"year"`
	Number       int      `json:"number"`
	Title        string   `json:"title"`
	Content      string   `json:"content"`
	Target       *float64 `json:"target"`  // nil: an item without a number
	Measure      string   `json:"measure"` // 计量单位 of the target: 个, 公里, 户
	Actual       *float64 `json:"actual"`  // recorded by the office; nil until then
	LeadUnitID   int64    `json:"lead_unit_id"`
	LeadUnitName string   `json:"lead_unit_name"`
	Version      int64    `json:"version"`

	TaskIDs  []int64    `json:"task_ids"`
	Progress *float64   `json:"progress"` // a share (1 = done); nil when nothing measures it yet
	Status   ItemStatus `json:"status"`

	townPath string
}

// itemRecord is what the audit log keeps of an item: its stored fields,
// not what is worked out from its tasks.
type itemRecord struct {
	Year       int      `json:"year"`
	Number     int      `json:"number"`
	Title      string   `json:"title"`
	Content    string   `json:"content"`
	Target     *float64 `json:"target"`
	Measure    string   `json:"measure"`
	Actual     *float64 `json:"actual"`
	LeadUnitID int64    `json:"unit_id"` // the lead unit: named as a unit on the audit page
}

func (it Item) record() itemRecord {
	return itemRecord{Year: it.Year, Number: it.Number, Title: it.Title, Content: it.Content, Target: it.Target,
		Measure: it.Measure, Actual: it.Actual, LeadUnitID: it.LeadUnitID}
}

// MaxItems is how many items a township's year holds: 十件.
const MaxItems = 10

// Bounds of an item's texts.
const (
	MaxItemTitle   = 60
	MaxItemContent = 500
	MaxMeasure     = 10
)

// ItemStatus is where an item stands.
type ItemStatus string

const (
	NotStarted ItemStatus = "not_started" // 未启动: nothing done yet
	OnTrack    ItemStatus = "on_track"    // 推进中: at or ahead of the year's pace
	Behind     ItemStatus = "behind"      // 滞后: below the year's pace, or a task of it overdue
	Done       ItemStatus = "done"        // 已完成
)

// ItemStatuses lists the statuses in display order.
var ItemStatuses = []ItemStatus{NotStarted, OnTrack, Behind, Done}

// Numeral is n in Chinese (一…十), as the items are numbered in print.
func Numeral(n int) string {
	digits := []string{"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"}
	if n >= 0 && n <= 10 {
		return digits[n]
	}
	if n > 10 && n < 20 {
		return "十" + digits[n-10]
	}
	return ""
}

// taskShare is what an item reads of one of its tasks.
type taskShare struct {
	status   string
	progress int
	overdue  bool
}

// ItemProgress is an item's progress: its actual against its target when
// it has a number (0 until an actual is recorded), else the average
// progress of its tasks, those struck off left out and those stopped while
// they are stopped (as the completion rate does); nil when an item without
// a number has no task to measure it.
func ItemProgress(target, actual *float64, tasks []taskShare) *float64 {
	if target != nil && *target > 0 {
		p := 0.0
		if actual != nil {
			p = *actual / *target
		}
		return &p
	}
	sum, n := 0, 0
	for _, t := range tasks {
		if t.status == string(Stopped) || t.status == string(StruckOff) {
			continue
		}
		sum += t.progress
		n++
	}
	if n == 0 {
		return nil
	}
	p := float64(sum) / float64(n) / 100
	return &p
}

// ExpectedShare is the share of year elapsed at now in Beijing (序时进度):
// 0 before the year, 1 after it, days elapsed ÷ days in the year within it.
func ExpectedShare(year int, now time.Time) float64 {
	today := clock.Today(now)
	switch {
	case today.Year() < year:
		return 0
	case today.Year() > year:
		return 1
	}
	start := time.Date(year, 1, 1, 0, 0, 0, 0, clock.Beijing)
	end := time.Date(year+1, 1, 1, 0, 0, 0, 0, clock.Beijing)
	days := float64(daysBetween(start, end))
	return float64(daysBetween(start, today)+1) / days
}

// ItemMargin is how far under the year's expected share an item may be
// and still be on track: the house's default yellow band for targets
// (target_settings.margin), so that 滞后 means what it means on the board.
const ItemMargin = 0.10

// StatusOf is an item's status at now: done when its actual reaches its
// target (an item without a number: when every task of it, those stopped
// or struck off aside, is closed); not started while its progress is nil or 0; behind
// when a task of it is overdue or its progress is more than ItemMargin
// under the year's expected share (序时进度); else on track.
func StatusOf(year int, target, actual *float64, tasks []taskShare, now time.Time) ItemStatus {
	p := ItemProgress(target, actual, tasks)
	if target != nil {
		if actual != nil && *actual >= *target {
			return Done
		}
	} else {
		open, closed := 0, 0
		for _, t := range tasks {
			switch t.status {
			case string(Closed):
				closed++
			case string(Stopped), string(StruckOff):
			default:
				open++
			}
		}
		if closed > 0 && open == 0 {
			return Done
		}
	}
	if p == nil || *p == 0 {
		return NotStarted
	}
	for _, t := range tasks {
		if t.overdue {
			return Behind
		}
	}
	if *p < ExpectedShare(year, now)-ItemMargin-1e-9 {
		return Behind
	}
	return OnTrack
}

// ItemInput is an item as the office's form or the API gives it. The
// township is the lead unit's.
type ItemInput struct {
	Year       int      `json:"year"`
	Number     int      `json:"number"`
	Title      string   `json:"title"`
	Content    string   `json:"content"`
	Target     *float64 `json:"target"`
	Measure    string   `json:"measure"`
	LeadUnitID int64    `json:"lead_unit_id"`
}

// check validates what needs no database, naming each field at fault.
func (in *ItemInput) check() platform.Errors {
	var es platform.Errors
	in.Title = strings.TrimSpace(in.Title)
	in.Content = strings.TrimSpace(in.Content)
	in.Measure = strings.TrimSpace(in.Measure)
	if in.Year < 2000 || in.Year > 2100 {
		es = append(es, platform.FieldError("year", "livelihood.error.year"))
	}
	if in.Number < 1 || in.Number > MaxItems {
		es = append(es, platform.FieldError("number", "livelihood.error.number", MaxItems))
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		es = append(es, platform.FieldError("title", "livelihood.error.title_required"))
	case n > MaxItemTitle:
		es = append(es, platform.FieldError("title", "task.error.too_long", MaxItemTitle))
	}
	if utf8.RuneCountInString(in.Content) > MaxItemContent {
		es = append(es, platform.FieldError("content", "task.error.too_long", MaxItemContent))
	}
	if in.Target != nil && (math.IsNaN(*in.Target) || math.IsInf(*in.Target, 0) || *in.Target <= 0) {
		es = append(es, platform.FieldError("target", "livelihood.error.target"))
	}
	switch {
	case in.Target != nil && in.Measure == "":
		es = append(es, platform.FieldError("measure", "livelihood.error.measure_required"))
	case utf8.RuneCountInString(in.Measure) > MaxMeasure:
		es = append(es, platform.FieldError("measure", "task.error.too_long", MaxMeasure))
	}
	if in.Target == nil {
		in.Measure = ""
	}
	if in.LeadUnitID == 0 {
		es = append(es, platform.FieldError("lead_unit_id", "task.error.lead_unit"))
	}
	return es
}

// itemLead checks the lead unit against the caller's scope and returns it
// and its township; the office must stand over that township.
func itemLead(sc *org.Scope, id int64, es *platform.Errors) (lead, township org.Unit, err error) {
	if id == 0 {
		return
	}
	var ok bool
	if lead, ok = sc.Unit(id); !ok {
		*es = append(*es, platform.FieldError("lead_unit_id", "task.error.lead_unit"))
		return
	}
	if township, ok = sc.TownshipOf(lead.ID); !ok {
		*es = append(*es, platform.FieldError("lead_unit_id", "task.error.lead_unit"))
		return
	}
	if !officeOver(sc.User, township.Path) {
		err = platform.ErrForbidden
	}
	return
}

// CreateItem adds an item for the office of the lead unit's township:
// Forbidden for anyone else, Invalid with the fields at fault (a number
// the year has already among them). Audited.
func (s *Store) CreateItem(ctx context.Context, in ItemInput) (Item, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Item{}, err
	}
	if !Office(sc.User) {
		return Item{}, platform.ErrForbidden
	}
	es := in.check()
	lead, township, err := itemLead(sc, in.LeadUnitID, &es)
	if err != nil {
		return Item{}, err
	}
	if err := es.Err(); err != nil {
		return Item{}, err
	}
	now := s.now()
	it := Item{TownshipID: township.ID, Year: in.Year, Number: in.Number, Title: in.Title, Content: in.Content,
		Target: in.Target, Measure: in.Measure, LeadUnitID: lead.ID, LeadUnitName: lead.Name, Version: 1, TaskIDs: []int64{}}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO livelihood_items
			(township_id, year, number, title, content, target, measure, lead_unit_id, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9) RETURNING id`,
			it.TownshipID, it.Year, it.Number, it.Title, it.Content, it.Target, it.Measure, it.LeadUnitID, now.UTC()).Scan(&it.ID)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("number", "livelihood.error.number_taken", Numeral(in.Number), in.Year)
		}
		if err != nil {
			return platform.Internalf("create livelihood item: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "livelihood", EntityID: audit.ID(it.ID),
			UnitID: township.ID, UnitPath: township.Path, After: it.record(), At: now})
	})
	if err != nil {
		return Item{}, err
	}
	it.Status = StatusOf(it.Year, it.Target, it.Actual, nil, now)
	it.Progress = ItemProgress(it.Target, it.Actual, nil)
	return it, nil
}

// UpdateItem changes an item read at version: errors as CreateItem, and
// Conflict when it changed meanwhile. A target taken away clears the
// actual recorded against it.
func (s *Store) UpdateItem(ctx context.Context, id, version int64, in ItemInput) (Item, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Item{}, err
	}
	before, err := s.Item(ctx, id)
	if err != nil {
		return Item{}, err
	}
	if !Office(sc.User) || !officeOver(sc.User, before.townPath) {
		return Item{}, platform.ErrForbidden
	}
	es := in.check()
	lead, township, err := itemLead(sc, in.LeadUnitID, &es)
	if err != nil {
		return Item{}, err
	}
	if township.ID != 0 && township.ID != before.TownshipID {
		es = append(es, platform.FieldError("lead_unit_id", "livelihood.error.lead_township"))
	}
	if err := es.Err(); err != nil {
		return Item{}, err
	}
	after := before
	after.Year, after.Number, after.Title, after.Content = in.Year, in.Number, in.Title, in.Content
	after.Target, after.Measure, after.LeadUnitID, after.LeadUnitName = in.Target, in.Measure, lead.ID, lead.Name
	if after.Target == nil {
		after.Actual = nil
	}
	after.Version = before.Version + 1
	return s.writeItem(ctx, before, after, version)
}

// SetActual records an item's actual figure (the office's), read at
// version: Invalid for a negative or missing figure or an item without a
// number, Conflict when the item changed meanwhile. Audited.
func (s *Store) SetActual(ctx context.Context, id, version int64, actual *float64) (Item, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Item{}, err
	}
	before, err := s.Item(ctx, id)
	if err != nil {
		return Item{}, err
	}
	if !Office(sc.User) || !officeOver(sc.User, before.townPath) {
		return Item{}, platform.ErrForbidden
	}
	switch {
	case before.Target == nil:
		return Item{}, platform.FieldError("actual", "livelihood.error.no_target")
	case actual == nil:
		return Item{}, platform.FieldError("actual", "livelihood.error.actual_required")
	case math.IsNaN(*actual) || math.IsInf(*actual, 0) || *actual < 0:
		return Item{}, platform.FieldError("actual", "livelihood.error.actual")
	}
	after := before
	after.Actual, after.Version = actual, before.Version+1
	return s.writeItem(ctx, before, after, version)
}

// writeItem stores after over before if the item is still at version (0:
// whatever it is now), with its audit entry.
func (s *Store) writeItem(ctx context.Context, before, after Item, version int64) (Item, error) {
	if version == 0 {
		version = before.Version
	}
	now := s.now()
	err := s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE livelihood_items SET year = $1, number = $2, title = $3, content = $4,
			target = $5, measure = $6, actual = $7, lead_unit_id = $8, version = version + 1, updated_at = $9
			WHERE id = $10 AND version = $11`,
			after.Year, after.Number, after.Title, after.Content, after.Target, after.Measure, after.Actual,
			after.LeadUnitID, now.UTC(), after.ID, version)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("number", "livelihood.error.number_taken", Numeral(after.Number), after.Year)
		}
		if err != nil {
			return platform.Internalf("livelihood item %d: %w", after.ID, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.Errorf(platform.Conflict, "livelihood.error.conflict")
		}
		town := before.townPath
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "livelihood", EntityID: audit.ID(after.ID),
			UnitID: after.TownshipID, UnitPath: town, Before: before.record(), After: after.record(), At: now})
	})
	if err != nil {
		return Item{}, err
	}
	return s.Item(ctx, after.ID)
}

const itemColumns = `i.id, i.township_id, i.year, i.number, i.title, i.content, i.target, i.measure, i.actual, i.lead_unit_id, i.version`

func scanItem(sc interface{ Scan(...any) error }) (Item, error) {
	var it Item
	err := sc.Scan(&it.ID, &it.TownshipID, &it.Year, &it.Number, &it.Title, &it.Content, &it.Target, &it.Measure,
		&it.Actual, &it.LeadUnitID, &it.Version)
	return it, err
}

// itemVisible reports whether the caller reads the items of township: its
// own township, or one in their scope.
func itemVisible(sc *org.Scope, township int64) bool {
	for _, tw := range sc.Townships() {
		if tw.ID == township {
			return true
		}
	}
	return false
}

// Item returns one item of a township the caller reads, with its tasks'
// ids, progress and status; NotFound (audited) otherwise.
func (s *Store) Item(ctx context.Context, id int64) (Item, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Item{}, err
	}
	it, err := scanItem(s.DB.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM livelihood_items i WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Item{}, platform.ErrNotFound
	}
	if err != nil {
		return Item{}, platform.Internalf("livelihood item %d: %w", id, err)
	}
	if !itemVisible(sc, it.TownshipID) {
		return Item{}, sc.Deny(ctx, "livelihood", id, it.TownshipID)
	}
	items := []Item{it}
	if err := s.dressItems(ctx, sc, items); err != nil {
		return Item{}, err
	}
	return items[0], nil
}

// Items returns the items of a township's year, by number: NotFound for a
// township the caller does not read.
func (s *Store) Items(ctx context.Context, township int64, year int) ([]Item, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	if !itemVisible(sc, township) {
		return nil, sc.DenyUnit(ctx, township)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+itemColumns+` FROM livelihood_items i
		WHERE i.township_id = $1 AND i.year = $2 ORDER BY i.number`, township, year)
	if err != nil {
		return nil, platform.Internalf("livelihood items: %w", err)
	}
	defer rows.Close()
	items := []Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, platform.Internalf("livelihood items: %w", err)
		}
		items = append(items, it)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("livelihood items: %w", err)
	}
	rows.Close()
	if err := s.dressItems(ctx, sc, items); err != nil {
		return nil, err
	}
	return items, nil
}

// dressItems fills each item's lead unit, task ids, progress and status,
// one query for the tasks of them all. Progress and status count every task
// of the item, whoever reads it: an item's standing is the township's.
func (s *Store) dressItems(ctx context.Context, sc *org.Scope, items []Item) error {
	if len(items) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(items))
	for i, it := range items {
		at[it.ID], ids[i] = i, it.ID
		items[i].TaskIDs = []int64{}
		if u, ok := sc.Tree.Unit(it.LeadUnitID); ok {
			items[i].LeadUnitName = u.Name
		}
		if tw, ok := sc.Tree.Unit(it.TownshipID); ok {
			items[i].townPath = tw.Path
		}
	}
	var w db.Where
	w.In("l.item_id", ids)
	rows, err := s.DB.QueryContext(ctx, `SELECT l.item_id, t.id, t.state, t.progress, t.deadline
		FROM livelihood_tasks l JOIN tasks t ON t.id = l.task_id`+w.SQL()+` ORDER BY l.item_id, t.deadline, t.id`, w.Args...)
	if err != nil {
		return platform.Internalf("livelihood tasks: %w", err)
	}
	defer rows.Close()
	now := s.now()
	shares := make([][]taskShare, len(items))
	for rows.Next() {
		var item, id int64
		var ts taskShare
		var deadline string
		if err := rows.Scan(&item, &id, &ts.status, &ts.progress, &deadline); err != nil {
			return platform.Internalf("livelihood tasks: %w", err)
		}
		if d, err := clock.ParseDate(deadline); err == nil {
			ts.overdue = LightOf(workflow.State(ts.status), d, now, DefaultDueWindow) == Red
		}
		i := at[item]
		items[i].TaskIDs = append(items[i].TaskIDs, id)
		shares[i] = append(shares[i], ts)
	}
	if err := rows.Err(); err != nil {
		return platform.Internalf("livelihood tasks: %w", err)
	}
	for i := range items {
		it := &items[i]
		it.Progress = ItemProgress(it.Target, it.Actual, shares[i])
		it.Status = StatusOf(it.Year, it.Target, it.Actual, shares[i], now)
	}
	return nil
}

// ItemTasks returns the tasks of an item the caller sees, by deadline.
func (s *Store) ItemTasks(ctx context.Context, it Item) ([]Task, error) {
	var out []Task
	for _, id := range it.TaskIDs {
		t, err := s.Task(ctx, id)
		if platform.ErrorCode(err) == platform.NotFound {
			continue // another unit's task: counted in the progress, not shown
		}
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// linkItem ties a new livelihood task to its item inside the task's
// transaction: the item must be of the task's township, and a task of
// another source serves none (refused, so that a forgotten source does not
// drop the link unseen).
func (s *Store) linkItem(ctx context.Context, tx *sql.Tx, t Task, item *int64) error {
	if item == nil || *item == 0 {
		return nil
	}
	if t.Source != FromLivelihood {
		return platform.FieldError("livelihood_id", "livelihood.error.source")
	}
	var township int64
	err := tx.QueryRowContext(ctx, `SELECT township_id FROM livelihood_items WHERE id = $1`, *item).Scan(&township)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && township != t.TownshipID) {
		return platform.FieldError("livelihood_id", "livelihood.error.item")
	}
	if err != nil {
		return platform.Internalf("livelihood item %d: %w", *item, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO livelihood_tasks (task_id, item_id) VALUES ($1, $2)`, t.ID, *item); err != nil {
		return platform.Internalf("link task %d: %w", t.ID, err)
	}
	return nil
}

// Link puts an open livelihood task under an item of its township, or
// takes it from its item (item 0), for the office: NotFound outside scope,
// Forbidden for others, Invalid for a task of another source, a closed,
// stopped or struck-off task, or an item of another township. Audited.
func (s *Store) Link(ctx context.Context, taskID, item int64) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	t, err := s.read(ctx, s.DB, sc, taskID)
	if err != nil {
		return err
	}
	if !Office(sc.User) || !officeOver(sc.User, t.townPath) {
		return platform.ErrForbidden
	}
	switch {
	case t.Source != FromLivelihood:
		return platform.FieldError("livelihood_id", "livelihood.error.source")
	case isUnlit(t.Status):
		return platform.FieldError("livelihood_id", "livelihood.error.ended")
	}
	before, err := s.TaskItem(ctx, taskID)
	if err != nil {
		return err
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM livelihood_tasks WHERE task_id = $1`, taskID); err != nil {
			return platform.Internalf("unlink task %d: %w", taskID, err)
		}
		if err := s.linkItem(ctx, tx, t, &item); err != nil {
			return err
		}
		type link struct {
			Item int64 `json:"livelihood_id"`
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task", EntityID: audit.ID(taskID),
			UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, Before: link{before}, After: link{item}, At: now})
	})
}

// TaskItem is the id of the item a task serves, 0 for none (the task is
// read by the caller first).
func (s *Store) TaskItem(ctx context.Context, taskID int64) (int64, error) {
	var id int64
	err := s.DB.QueryRowContext(ctx, `SELECT item_id FROM livelihood_tasks WHERE task_id = $1`, taskID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, platform.Internalf("task item %d: %w", taskID, err)
	}
	return id, nil
}
