package work

import (
	"context"
	"database/sql"
	"errors"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/files"
	"guatu/internal/platform/workflow"
)

// Store keeps the task register. Every method reads the caller from ctx:
// a task none of whose units (lead or co-unit) lies in the caller's scope
// does not exist for them, and the attempt is audited.
type Store struct {
	DB  *db.DB
	Now func() time.Time
	Org *org.Store
	// Files keeps the attachments of reports and the evidence of 申请办结.
	Files *files.Files

	counts  countCache     // the register's totals (counts.go)
	windows windowCache    // the townships' 临期 windows (rules.go)
	digests digestSchedule // the digests enqueued today (digest.go)
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) org() *org.Store {
	if s.Org == nil {
		s.Org = &org.Store{DB: s.DB, Now: s.Now}
	}
	return s.Org
}

// Bounds of a task's texts.
const (
	MaxTitle       = 80
	MaxRequirement = 2000
	MaxCategory    = 30
	MaxComment     = 500
)

// Input is a new task as the office's form or the API gives it. Dates are
// YYYY-MM-DD; AssignedOn defaults to today in Beijing.
type Input struct {
	Title          string  `json:"title"`
	Requirement    string  `json:"requirement"`
	Source         Source  `json:"source"`
	SourceLeaderID *int64  `json:"source_leader_id"`
	DocNumber      string  `json:"doc_number"`
	DocDate        string  `json:"doc_date"`
	Category       string  `json:"category"`
	LeadUnitID     int64   `json:"lead_unit_id"`
	ResponsibleID  *int64  `json:"responsible_id"`
	CoUnitIDs      []int64 `json:"co_unit_ids"`
	LeaderID       int64   `json:"leader_id"`
	AssignedOn     string  `json:"assigned_on"`
	Deadline       string  `json:"deadline"`
	Level          Level   `json:"level"`
	ListingLeader  *int64  `json:"listing_leader_id"`
	// ClaimBy is the day the lead unit must claim the task by (签收时限):
	// DefaultClaimDays after assignment when "".
	ClaimBy string `json:"claim_by"`
	// Rhythm is how often the lead unit reports (once when ""), every
	// RhythmWeeks weeks for EveryNWeeks.
	Rhythm       Rhythm `json:"rhythm"`
	RhythmWeeks  int    `json:"rhythm_weeks"`
	LivelihoodID *int64 `json:"livelihood_id"` // the 十件民生实事 item a livelihood task serves
	// Milestones are its dated steps (节点), between assignment and deadline.
	Milestones []MilestoneInput `json:"milestones"`
}

// docNumber is a document number as offices write it: 〔2026〕12号.
var docNumber = regexp.MustCompile(`^〔\d{4}〕\d{1,4}号$`)

func validSource(s Source) bool {
	for _, x := range Sources {
		if x == s {
			return true
		}
	}
	return false
}

func validLevel(l Level) bool {
	for _, x := range Levels {
		if x == l {
			return true
		}
	}
	return false
}

// check validates what needs no database, naming each field at fault.
func (in *Input) check(today time.Time) platform.Errors {
	var es platform.Errors
	in.Title = strings.TrimSpace(in.Title)
	in.Requirement = strings.TrimSpace(in.Requirement)
	in.Category = strings.TrimSpace(in.Category)
	in.DocNumber = strings.TrimSpace(in.DocNumber)
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		es = append(es, platform.FieldError("title", "task.error.title_required"))
	case n > MaxTitle:
		es = append(es, platform.FieldError("title", "task.error.too_long", MaxTitle))
	}
	if utf8.RuneCountInString(in.Requirement) > MaxRequirement {
		es = append(es, platform.FieldError("requirement", "task.error.too_long", MaxRequirement))
	}
	if utf8.RuneCountInString(in.Category) > MaxCategory {
		es = append(es, platform.FieldError("category", "task.error.too_long", MaxCategory))
	}
	if !validSource(in.Source) {
		es = append(es, platform.FieldError("source", "task.error.source"))
	}
	if in.Source == FromInstruction {
		if in.SourceLeaderID == nil {
			es = append(es, platform.FieldError("source_leader_id", "task.error.source_leader"))
		}
		if !docNumber.MatchString(in.DocNumber) {
			es = append(es, platform.FieldError("doc_number", "task.error.doc_number"))
		}
		if _, err := clock.ParseDate(in.DocDate); err != nil {
			es = append(es, platform.FieldError("doc_date", "task.error.date"))
		}
	} else {
		in.SourceLeaderID, in.DocNumber, in.DocDate = nil, "", ""
	}
	if in.LeadUnitID == 0 {
		es = append(es, platform.FieldError("lead_unit_id", "task.error.lead_unit"))
	}
	if in.LeaderID == 0 {
		es = append(es, platform.FieldError("leader_id", "task.error.leader"))
	}
	if in.AssignedOn == "" {
		in.AssignedOn = today.Format(clock.DateFormat)
	}
	assigned, errA := clock.ParseDate(in.AssignedOn)
	if errA != nil {
		es = append(es, platform.FieldError("assigned_on", "task.error.date"))
	}
	deadline, errD := clock.ParseDate(in.Deadline)
	switch {
	case errD != nil:
		es = append(es, platform.FieldError("deadline", "task.error.date"))
	case errA == nil && !deadline.After(assigned):
		es = append(es, platform.FieldError("deadline", "task.error.deadline_order"))
	}
	if in.Rhythm == "" {
		in.Rhythm = Once
	}
	switch {
	case !validRhythm(in.Rhythm):
		es = append(es, platform.FieldError("rhythm", "task.error.rhythm"))
	case in.Rhythm == EveryNWeeks && (in.RhythmWeeks < MinRhythmWeeks || in.RhythmWeeks > MaxRhythmWeeks):
		es = append(es, platform.FieldError("rhythm_weeks", "task.error.rhythm_weeks", MinRhythmWeeks, MaxRhythmWeeks))
	case in.Rhythm != EveryNWeeks:
		in.RhythmWeeks = 0
	}
	if errA == nil && errD == nil {
		if in.ClaimBy == "" {
			claim := assigned.AddDate(0, 0, DefaultClaimDays)
			if claim.After(deadline) {
				claim = deadline
			}
			in.ClaimBy = claim.Format(clock.DateFormat)
		}
		switch claim, err := clock.ParseDate(in.ClaimBy); {
		case err != nil:
			es = append(es, platform.FieldError("claim_by", "task.error.date"))
		case claim.Before(assigned) || claim.After(deadline):
			es = append(es, platform.FieldError("claim_by", "task.error.claim_by"))
		}
	}
	if errA == nil && errD == nil {
		var mes platform.Errors
		in.Milestones, mes = checkMilestones(in.Milestones, assigned, deadline)
		es = append(es, mes...)
	}
	if !validLevel(in.Level) {
		es = append(es, platform.FieldError("level", "task.error.level"))
	}
	if in.Level == Listed && in.ListingLeader == nil {
		es = append(es, platform.FieldError("listing_leader_id", "task.error.listing_leader"))
	}
	if in.Level != Listed {
		in.ListingLeader = nil
	}
	return es
}

// Create registers a task for the office: Forbidden for anyone else,
// Invalid with the fields at fault, NotFound for a lead unit outside the
// caller's scope. The task starts 交办, its first step and audit entry
// written with it.
func (s *Store) Create(ctx context.Context, in Input) (Task, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Task{}, err
	}
	if !Office(sc.User) {
		return Task{}, platform.ErrForbidden
	}
	now := s.now()
	t, err := s.prepare(ctx, sc, &in, now)
	if err != nil {
		return Task{}, err
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.insert(ctx, tx, sc, &t, in, now) })
	if err != nil {
		return Task{}, err
	}
	win, err := s.dueWindows(ctx)
	if err != nil {
		return Task{}, err
	}
	t.lit(now, win)
	return t, nil
}

// prepare checks a new task against the caller's scope, the township's
// units and team, and builds it: Invalid with the fields at fault,
// Forbidden for an office below the lead unit's township.
func (s *Store) prepare(ctx context.Context, sc *org.Scope, in *Input, now time.Time) (Task, error) {
	es := in.check(clock.Today(now))
	var lead org.Unit
	var township org.Unit
	if in.LeadUnitID != 0 {
		var ok bool
		if lead, ok = sc.Unit(in.LeadUnitID); !ok {
			es = append(es, platform.FieldError("lead_unit_id", "task.error.lead_unit"))
		} else if township, ok = sc.TownshipOf(lead.ID); !ok {
			es = append(es, platform.FieldError("lead_unit_id", "task.error.lead_unit"))
		}
	}
	co := uniqueIDs(in.CoUnitIDs)
	for _, id := range co {
		u, ok := sc.Unit(id)
		if !ok || id == in.LeadUnitID || (township.ID != 0 && sc.Tree.TownshipOf(u.ID) != township.ID) {
			es = append(es, platform.FieldError("co_unit_ids", "task.error.co_unit"))
			break
		}
	}
	in.CoUnitIDs = co
	if in.ResponsibleID != nil && lead.ID != 0 {
		p, err := sc.Person(ctx, *in.ResponsibleID)
		if err != nil || !strings.HasPrefix(unitPath(sc, p.UnitID), lead.Path) {
			es = append(es, platform.FieldError("responsible_id", "task.error.responsible"))
		}
	}
	if township.ID != 0 {
		team, err := s.org().Team(ctx, township.ID)
		if err != nil {
			return Task{}, err
		}
		onTeam := func(id *int64) bool {
			if id == nil {
				return true
			}
			for _, m := range team {
				if m.PersonID == *id {
					return true
				}
			}
			return false
		}
		if in.LeaderID != 0 && !onTeam(&in.LeaderID) {
			es = append(es, platform.FieldError("leader_id", "task.error.leader"))
		}
		if !onTeam(in.SourceLeaderID) {
			es = append(es, platform.FieldError("source_leader_id", "task.error.source_leader"))
		}
		if !onTeam(in.ListingLeader) {
			es = append(es, platform.FieldError("listing_leader_id", "task.error.listing_leader"))
		}
	}
	if township.ID != 0 && !officeOver(sc.User, township.Path) {
		return Task{}, platform.ErrForbidden // a village's administrator assigns nothing to the township
	}
	if err := es.Err(); err != nil {
		return Task{}, err
	}
	t := Task{TownshipID: township.ID, Title: in.Title, Requirement: in.Requirement, Source: in.Source,
		SourceLeaderID: in.SourceLeaderID, DocNumber: in.DocNumber, DocDate: in.DocDate, Category: in.Category,
		LeadUnitID: lead.ID, LeadUnitName: lead.Name, ResponsibleID: in.ResponsibleID, CoUnitIDs: co,
		LeaderID: in.LeaderID, AssignedOn: in.AssignedOn, Deadline: in.Deadline, Level: in.Level,
		ListingLeader: in.ListingLeader, Status: Assigned, Version: 1, leadUnitPath: lead.Path, townPath: township.Path,
		ClaimBy: in.ClaimBy, Rhythm: in.Rhythm, RhythmWeeks: in.RhythmWeeks}
	if assigned, err := clock.ParseDate(t.AssignedOn); err == nil {
		if deadline, err := clock.ParseDate(t.Deadline); err == nil {
			t.NextReport = NextReport(t.Rhythm, t.RhythmWeeks, assigned, deadline, "", time.Time{})
		}
	}
	return t, nil
}

// insert writes a prepared task in tx: its row, co-units, milestones, its
// livelihood item, the 交办 step and the audit entry.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, sc *org.Scope, t *Task, in Input, now time.Time) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO tasks
		(township_id, title, requirement, source, source_leader_id, doc_number, doc_date, category,
		 lead_unit_id, responsible_id, leader_id, assigned_on, deadline, level, listing_leader_id,
		 state, progress, version, created_at, updated_at, claim_by, rhythm, rhythm_weeks, next_report)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 0, 1, $17, $17, $18, $19, $20, $21) RETURNING id`,
		t.TownshipID, t.Title, t.Requirement, string(t.Source), t.SourceLeaderID, t.DocNumber, t.DocDate, t.Category,
		t.LeadUnitID, t.ResponsibleID, t.LeaderID, t.AssignedOn, t.Deadline, string(t.Level), t.ListingLeader,
		string(t.Status), now.UTC(), t.ClaimBy, string(t.Rhythm), t.RhythmWeeks, t.NextReport).Scan(&t.ID)
	if db.IsUniqueViolation(err) {
		return platform.FieldError("title", "task.error.title_taken")
	}
	if err != nil {
		return platform.Internalf("create task: %w", err)
	}
	for _, id := range t.CoUnitIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO task_units (task_id, unit_id) VALUES ($1, $2)`, t.ID, id); err != nil {
			return platform.Internalf("task co-unit: %w", err)
		}
	}
	if err := insertMilestones(ctx, tx, t.ID, in.Milestones); err != nil {
		return err
	}
	if err := s.linkItem(ctx, tx, *t, in.LivelihoodID); err != nil {
		return err
	}
	if _, err := Machine.Start(ctx, tx, Machine.Kind, t.ID, Assigned, "assign", sc.User, "", now); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "task", EntityID: audit.ID(t.ID),
		UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, After: *t, At: now})
}

func unitPath(sc *org.Scope, id int64) string {
	if u, ok := sc.Tree.Unit(id); ok {
		return u.Path
	}
	return ""
}

func uniqueIDs(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

const taskColumns = `t.id, t.township_id, t.title, t.requirement, t.source, t.source_leader_id, t.doc_number, t.doc_date,
	t.category, t.lead_unit_id, t.responsible_id, t.leader_id, t.assigned_on, t.deadline, t.level, t.listing_leader_id,
	t.state, t.progress, t.version, t.claim_by, t.rhythm, t.rhythm_weeks, t.next_report`

// scanTask reads a row of taskColumns, then any extra columns into extra.
func scanTask(sc interface{ Scan(...any) error }, extra ...any) (Task, error) {
	return newTaskScanner(extra...).scan(sc)
}

// taskScanner reads rows of taskColumns (and extra columns) into one
// scratch task through one list of destinations made once, not per row: a
// page of fifty rows would otherwise allocate a task and a list for each.
type taskScanner struct {
	t                            Task
	source, level, state, rhythm string
	dest                         []any
}

func newTaskScanner(extra ...any) *taskScanner {
	r := &taskScanner{}
	t := &r.t
	r.dest = append([]any{&t.ID, &t.TownshipID, &t.Title, &t.Requirement, &r.source, &t.SourceLeaderID, &t.DocNumber, &t.DocDate,
		&t.Category, &t.LeadUnitID, &t.ResponsibleID, &t.LeaderID, &t.AssignedOn, &t.Deadline, &r.level, &t.ListingLeader,
		&r.state, &t.Progress, &t.Version, &t.ClaimBy, &r.rhythm, &t.RhythmWeeks, &t.NextReport}, extra...)
	return r
}

// scan reads the next row; the task it returns is a copy of its own.
func (r *taskScanner) scan(sc interface{ Scan(...any) error }) (Task, error) {
	r.t = Task{}
	err := sc.Scan(r.dest...)
	r.t.Source, r.t.Level, r.t.Status, r.t.Rhythm = Source(r.source), Level(r.level), workflow.State(r.state), Rhythm(r.rhythm)
	return r.t, err
}

// coUnits fills the co-units of tasks, one query for them all.
func coUnits(ctx context.Context, q db.Queryer, tasks []Task) error {
	if len(tasks) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(tasks))
	for i, t := range tasks {
		at[t.ID], ids[i] = i, t.ID
		tasks[i].CoUnitIDs = []int64{}
	}
	var w db.Where
	w.In("task_id", ids)
	rows, err := q.QueryContext(ctx, `SELECT task_id, unit_id FROM task_units`+w.SQL()+` ORDER BY task_id, unit_id`, w.Args...)
	if err != nil {
		return platform.Internalf("task co-units: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tid, uid int64
		if err := rows.Scan(&tid, &uid); err != nil {
			return platform.Internalf("task co-units: %w", err)
		}
		i := at[tid]
		tasks[i].CoUnitIDs = append(tasks[i].CoUnitIDs, uid)
	}
	return rows.Err()
}

// visible reports whether the caller's scope holds the task's lead unit or
// one of its co-units.
func visible(sc *org.Scope, t Task) bool {
	if sc.Has(t.LeadUnitID) {
		return true
	}
	for _, id := range t.CoUnitIDs {
		if sc.Has(id) {
			return true
		}
	}
	return false
}

// read loads one task through q, scoped: NotFound (audited) outside scope.
func (s *Store) read(ctx context.Context, q db.Queryer, sc *org.Scope, id int64) (Task, error) {
	t, err := s.load(ctx, q, id)
	if err != nil {
		return Task{}, err
	}
	if !visible(sc, t) {
		return Task{}, sc.Deny(ctx, "task", id, t.LeadUnitID)
	}
	return t, s.dress(ctx, sc, &t)
}

// readIn is read inside a transaction that has checked the scope already
// (read): a task gone out of scope meanwhile is just not found.
func (s *Store) readIn(ctx context.Context, tx db.Queryer, sc *org.Scope, id int64) (Task, error) {
	t, err := s.load(ctx, tx, id)
	if err != nil {
		return Task{}, err
	}
	if !visible(sc, t) {
		return Task{}, platform.ErrNotFound
	}
	return t, s.dress(ctx, sc, &t)
}

// load reads one task and its co-units, unscoped.
func (s *Store) load(ctx context.Context, q db.Queryer, id int64) (Task, error) {
	t, err := scanTask(q.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM tasks t WHERE t.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Task{}, platform.ErrNotFound
	}
	if err != nil {
		return Task{}, platform.Internalf("task %d: %w", id, err)
	}
	ts := []Task{t}
	if err := coUnits(ctx, q, ts); err != nil {
		return Task{}, err
	}
	if err := openCards(ctx, q, ts); err != nil {
		return Task{}, err
	}
	return ts[0], nil
}

// dress fills what a task shows beyond its row: the lead unit's name and
// path, and its light by its township's 临期 window.
func (s *Store) dress(ctx context.Context, sc *org.Scope, t *Task) error {
	if u, ok := sc.Tree.Unit(t.LeadUnitID); ok {
		t.LeadUnitName, t.leadUnitPath = u.Name, u.Path
	}
	if tw, ok := sc.Tree.Unit(t.TownshipID); ok {
		t.townPath = tw.Path
	}
	win, err := s.dueWindows(ctx)
	if err != nil {
		return err
	}
	t.lit(s.now(), win)
	return nil
}

// Task returns one task in the caller's scope, or NotFound.
func (s *Store) Task(ctx context.Context, id int64) (Task, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Task{}, err
	}
	return s.read(ctx, s.DB, sc, id)
}

// Steps returns a task's history, oldest first; NotFound outside scope.
func (s *Store) Steps(ctx context.Context, id int64) ([]workflow.Step, error) {
	if _, err := s.Task(ctx, id); err != nil {
		return nil, err
	}
	return workflow.Steps(ctx, s.DB, Machine.Kind, id)
}

// ProgressReport is one progress report of the lead unit.
type ProgressReport struct {
	ID       int64     `json:"id"`
	StepID   int64     `json:"step_id"`
	Percent  int       `json:"percent"`
	Body     string    `json:"body"`
	Problems string    `json:"problems"` // 存在问题
	Support  string    `json:"support"`  // 需协调解决事项
	At       time.Time `json:"at"`
}

// reported is what a lead unit's progress report records beside its step's
// comment (the report's text).
type reported struct {
	percent           int
	problems, support string
}

// Reports returns a task's progress reports, newest first; NotFound
// outside scope.
func (s *Store) Reports(ctx context.Context, id int64) ([]ProgressReport, error) {
	if _, err := s.Task(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, step_id, percent, body, problems, support, at FROM task_reports WHERE task_id = $1 ORDER BY id DESC`, id)
	if err != nil {
		return nil, platform.Internalf("task reports: %w", err)
	}
	defer rows.Close()
	var out []ProgressReport
	for rows.Next() {
		var r ProgressReport
		if err := rows.Scan(&r.ID, &r.StepID, &r.Percent, &r.Body, &r.Problems, &r.Support, &r.At); err != nil {
			return nil, platform.Internalf("task reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// Allowed lists the moves the caller may make on t now.
func (s *Store) Allowed(ctx context.Context, t Task) []string {
	u := auth.FromContext(ctx)
	var out []string
	for _, tr := range Machine.Allowed(t.item(), u) {
		out = append(out, tr.Name)
	}
	return out
}

// Take moves the task id, read by the caller at version, along the
// transition name with comment. NotFound outside scope, Forbidden or
// Invalid as the machine rules (a move the state does not allow named on
// "transition", a missing reason on "comment"), Conflict when the task
// moved meanwhile. A report goes through Progress, which carries its
// percentage.
func (s *Store) Take(ctx context.Context, id, version int64, name, comment string) (Task, error) {
	if name == Report {
		return Task{}, platform.FieldError("transition", "task.error.report_form")
	}
	return s.take(ctx, id, version, name, comment, nil, nil)
}

// Progress records a progress report (text and a percentage 0–100) by the
// lead unit, moving a claimed task into 办理中, or a co-unit's report of its
// own part; errors as Take. (Report also takes files.)
func (s *Store) Progress(ctx context.Context, id, version int64, percent int, body string) (Task, error) {
	t, _, err := s.Report(ctx, id, version, ReportInput{Percent: percent, Body: body})
	return t, err
}

// moveError says why a move is refused in the task's current state in the
// register's own words (task.error.state.<move>), which the workflow's
// generic refusal cannot: it knows the states only by their codes.
func moveError(err error, name string) error {
	if e := platform.AsError(err); e.Key == "workflow.wrong_state" {
		if _, ok := taskMessages["task.error.state."+name]; ok {
			return platform.FieldError("transition", "task.error.state."+name)
		}
	}
	return err
}

// take makes the move; attach, when set, records what else belongs to the
// step (its files) in the same transaction.
func (s *Store) take(ctx context.Context, id, version int64, name, comment string, rep *reported, attach attacher) (Task, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Task{}, err
	}
	if utf8.RuneCountInString(strings.TrimSpace(comment)) > MaxComment {
		return Task{}, platform.FieldError("comment", "task.error.too_long", MaxComment)
	}
	// Scope first, outside the transaction: a refusal is audited through the
	// database, which on SQLite waits for the write turn a transaction holds.
	if _, err := s.read(ctx, s.DB, sc, id); err != nil {
		return Task{}, err
	}
	now := s.now()
	var out Task
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if s.DB.Dialect == db.Postgres {
			// Wait for a move of the task under way and read what it left:
			// a caller without a version ("whatever it is now") then never
			// meets a conflict, one with a version meets it only if the
			// task moved since they read it. (A SQLite transaction holds
			// the write turn from its start.)
			if _, err := tx.ExecContext(ctx, `SELECT id FROM tasks WHERE id = $1 FOR UPDATE`, id); err != nil {
				return platform.Internalf("task %d: %w", id, err)
			}
		}
		t, err := s.readIn(ctx, tx, sc, id)
		if err != nil {
			return err
		}
		before := t
		if version != 0 {
			t.Version = version // the version the caller saw: a move since is a conflict
		}
		st, err := Machine.Take(ctx, tx, t.item(), name, sc.User, comment, now)
		if err != nil {
			return moveError(err, name)
		}
		t.Status, t.Version = st.To, t.Version+1
		if rep != nil {
			t.Progress = rep.percent
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_reports (task_id, step_id, percent, body, problems, support, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				id, st.ID, rep.percent, st.Comment, rep.problems, rep.support, now.UTC()); err != nil {
				return platform.Internalf("task report: %w", err)
			}
		}
		if attach != nil {
			if err := attach(ctx, tx, sc.User, st, now); err != nil {
				return err
			}
		}
		if name == Close {
			t.Progress = 100
		}
		if isUnlit(t.Status) {
			if err := clearOnEnd(ctx, tx, t, now); err != nil {
				return err
			}
			t.Card = ""
		}
		if rep != nil {
			// The report answers its period: the next one is owed a period on.
			assigned, errA := clock.ParseDate(t.AssignedOn)
			deadline, errD := clock.ParseDate(t.Deadline)
			if errA == nil && errD == nil {
				t.NextReport = NextReport(t.Rhythm, t.RhythmWeeks, assigned, deadline, t.NextReport, now)
			}
		}
		if name == Resume {
			// What fell due while the task was stopped is not owed.
			assigned, errA := clock.ParseDate(t.AssignedOn)
			deadline, errD := clock.ParseDate(t.Deadline)
			if errA == nil && errD == nil {
				t.NextReport = ResumedReport(t.Rhythm, t.RhythmWeeks, assigned, deadline, t.NextReport, now)
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE tasks SET progress = $1, next_report = $2, updated_at = $3 WHERE id = $4`,
			t.Progress, t.NextReport, now.UTC(), id); err != nil {
			return platform.Internalf("task %d: %w", id, err)
		}
		if err := audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "task", EntityID: audit.ID(id),
			UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, Before: before, After: t, At: now}); err != nil {
			return err
		}
		out = t
		return nil
	})
	if err != nil {
		return Task{}, err
	}
	win, err := s.dueWindows(ctx)
	if err != nil {
		return Task{}, err
	}
	out.lit(now, win)
	return out, nil
}
