package project

import (
	"context"
	"database/sql"
	"errors"
	"math"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Store keeps the register of major projects. Every method reads the caller
// from ctx: a project whose responsible unit and village both lie outside
// the caller's scope does not exist for them, and the attempt is audited.
type Store struct {
	DB  *db.DB
	Now func() time.Time
	Org *org.Store
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

// Bounds of a project's texts and amounts.
const (
	MaxName     = 80
	MaxText     = 60 // industry, investor, contact, park
	MaxPhone    = 20
	MaxNotes    = 1000
	MaxMembers  = 20
	MaxInvestWY = 1e8 // 万元: a trillion yuan is a typing error
)

// Input is a project as the office's form, the API or a register row gives
// it. Amounts are 万元.
type Input struct {
	Name            string  `json:"name"`
	Kind            Kind    `json:"kind"`
	Industry        string  `json:"industry"`
	Investor        string  `json:"investor"`
	InvestorContact string  `json:"investor_contact"`
	InvestorPhone   string  `json:"investor_phone"`
	VillageID       *int64  `json:"village_id"`
	Park            string  `json:"park"`
	Total           float64 `json:"total_investment"`
	YearPlanned     float64 `json:"year_planned_investment"`
	Level           Level   `json:"level"`
	LeaderID        int64   `json:"owner_leader_id"`
	UnitID          int64   `json:"unit_id"`
	ContactID       *int64  `json:"contact_person_id"`
	MemberIDs       []int64 `json:"member_ids"`
	Notes           string  `json:"notes"`
}

// check validates what needs no database, naming each field at fault.
func (in *Input) check() platform.Errors {
	var es platform.Errors
	trim := func(p *string, field string, max int) {
		*p = strings.TrimSpace(*p)
		if utf8.RuneCountInString(*p) > max {
			es = append(es, platform.FieldError(field, "project.error.too_long", max))
		}
	}
	in.Name = strings.TrimSpace(in.Name)
	switch n := utf8.RuneCountInString(in.Name); {
	case n == 0:
		es = append(es, platform.FieldError("name", "project.error.name_required"))
	case n > MaxName:
		es = append(es, platform.FieldError("name", "project.error.too_long", MaxName))
	}
	trim(&in.Industry, "industry", MaxText)
	trim(&in.Investor, "investor", MaxText)
	trim(&in.InvestorContact, "investor_contact", MaxText)
	trim(&in.InvestorPhone, "investor_phone", MaxPhone)
	trim(&in.Park, "park", MaxText)
	trim(&in.Notes, "notes", MaxNotes)
	if !slices.Contains(Kinds, in.Kind) {
		es = append(es, platform.FieldError("kind", "project.error.kind"))
	}
	if !slices.Contains(Levels, in.Level) {
		es = append(es, platform.FieldError("level", "project.error.level"))
	}
	amount := func(v float64, field string) {
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0) || v < 0:
			es = append(es, platform.FieldError(field, "project.error.negative"))
		case v > MaxInvestWY:
			es = append(es, platform.FieldError(field, "project.error.too_large"))
		}
	}
	amount(in.Total, "total_investment")
	amount(in.YearPlanned, "year_planned_investment")
	if in.YearPlanned > in.Total && in.Total >= 0 {
		es = append(es, platform.FieldError("year_planned_investment", "project.error.year_over_total"))
	}
	if in.UnitID == 0 {
		es = append(es, platform.FieldError("unit_id", "project.error.unit"))
	}
	if in.LeaderID == 0 {
		es = append(es, platform.FieldError("owner_leader_id", "project.error.leader"))
	}
	if len(in.MemberIDs) > MaxMembers {
		es = append(es, platform.FieldError("member_ids", "project.error.members", MaxMembers))
	}
	return es
}

// prepare checks in against the caller's scope, the township's units,
// people and team, and builds the project: Invalid with the fields at
// fault, Forbidden for a caller who does not edit the township's register.
func (s *Store) prepare(ctx context.Context, sc *org.Scope, in *Input) (Project, error) {
	es := in.check()
	var unit, township org.Unit
	if in.UnitID != 0 {
		var ok bool
		if unit, ok = sc.Unit(in.UnitID); !ok {
			es = append(es, platform.FieldError("unit_id", "project.error.unit"))
		} else if township, ok = sc.TownshipOf(unit.ID); !ok || unit.Kind == org.District {
			es = append(es, platform.FieldError("unit_id", "project.error.unit"))
			township = org.Unit{}
		}
	}
	if in.VillageID != nil && *in.VillageID == 0 {
		in.VillageID = nil
	}
	if in.VillageID != nil {
		v, ok := sc.Unit(*in.VillageID)
		if !ok || (v.Kind != org.Village && v.Kind != org.Community) || (township.ID != 0 && sc.Tree.TownshipOf(v.ID) != township.ID) {
			es = append(es, platform.FieldError("village_id", "project.error.village"))
		}
	}
	if in.ContactID != nil && *in.ContactID == 0 {
		in.ContactID = nil
	}
	members := uniqueIDs(in.MemberIDs)
	if in.ContactID != nil {
		members = slices.DeleteFunc(members, func(id int64) bool { return id == *in.ContactID })
	}
	in.MemberIDs = members
	if township.ID != 0 {
		inTown := func(id int64) bool {
			p, err := sc.Person(ctx, id)
			return err == nil && sc.Tree.TownshipOf(p.UnitID) == township.ID
		}
		if in.ContactID != nil && !inTown(*in.ContactID) {
			es = append(es, platform.FieldError("contact_person_id", "project.error.person"))
		}
		for _, id := range members {
			if !inTown(id) {
				es = append(es, platform.FieldError("member_ids", "project.error.person"))
				break
			}
		}
		team, err := s.org().Team(ctx, township.ID)
		if err != nil {
			return Project{}, err
		}
		if in.LeaderID != 0 && !slices.ContainsFunc(team, func(m org.TeamMember) bool { return m.PersonID == in.LeaderID }) {
			es = append(es, platform.FieldError("owner_leader_id", "project.error.leader"))
		}
		if !editsIn(sc.User, township.Path) {
			return Project{}, platform.ErrForbidden // a village's administrator keeps no register of the township
		}
	}
	if err := es.Err(); err != nil {
		return Project{}, err
	}
	return Project{TownshipID: township.ID, Name: in.Name, Kind: in.Kind, Industry: in.Industry, Investor: in.Investor,
		InvestorContact: in.InvestorContact, InvestorPhone: in.InvestorPhone, VillageID: in.VillageID, Park: in.Park,
		Total: in.Total, YearPlanned: in.YearPlanned, Level: in.Level, LeaderID: in.LeaderID, UnitID: unit.ID,
		ContactID: in.ContactID, MemberIDs: members, Notes: in.Notes, Version: 1, townPath: township.Path}, nil
}

func uniqueIDs(ids []int64) []int64 {
	out := slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return id == 0 })
	slices.Sort(out)
	return slices.Compact(out)
}

// Create registers a project: Forbidden for anyone but the township's
// office and leaders, Invalid with the fields at fault (a name the township
// has already on "name"). The audit entry is written with it.
func (s *Store) Create(ctx context.Context, in Input) (Project, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Project{}, err
	}
	if !Editor(sc.User) {
		return Project{}, platform.ErrForbidden
	}
	p, err := s.prepare(ctx, sc, &in)
	if err != nil {
		return Project{}, err
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error { return s.insert(ctx, tx, sc, &p, now) })
	if err != nil {
		return Project{}, err
	}
	p.Stages = Complete(nil)
	return p, nil
}

// insert writes a prepared project, its team and its audit entry in tx.
func (s *Store) insert(ctx context.Context, tx *sql.Tx, sc *org.Scope, p *Project, now time.Time) error {
	err := tx.QueryRowContext(ctx, `INSERT INTO projects
		(township_id, name, kind, industry, investor, investor_contact, investor_phone, village_id, park,
		 total_investment, year_planned_investment, level, owner_leader_id, unit_id, notes, stage, stage_rank, version, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, '', 0, 1, $16, $16) RETURNING id`,
		p.TownshipID, p.Name, string(p.Kind), p.Industry, p.Investor, p.InvestorContact, p.InvestorPhone, p.VillageID, p.Park,
		p.Total, p.YearPlanned, string(p.Level), p.LeaderID, p.UnitID, p.Notes, now.UTC()).Scan(&p.ID)
	if db.IsUniqueViolation(err) {
		return platform.FieldError("name", "project.error.name_taken")
	}
	if err != nil {
		return platform.Internalf("create project: %w", err)
	}
	if err := writeTeam(ctx, tx, p); err != nil {
		return err
	}
	return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "project", EntityID: audit.ID(p.ID),
		UnitID: p.UnitID, UnitPath: unitPath(sc, p.UnitID), After: *p, At: now})
}

// writeTeam replaces the project's contact person and members.
func writeTeam(ctx context.Context, tx *sql.Tx, p *Project) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM project_people WHERE project_id = $1`, p.ID); err != nil {
		return platform.Internalf("project team: %w", err)
	}
	if p.ContactID != nil {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_people (project_id, person_id, role) VALUES ($1, $2, 'contact')`, p.ID, *p.ContactID); err != nil {
			return platform.Internalf("project contact: %w", err)
		}
	}
	for _, id := range p.MemberIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO project_people (project_id, person_id, role) VALUES ($1, $2, 'member')`, p.ID, id); err != nil {
			return platform.Internalf("project member: %w", err)
		}
	}
	return nil
}

func unitPath(sc *org.Scope, id int64) string {
	if u, ok := sc.Tree.Unit(id); ok {
		return u.Path
	}
	return ""
}

// Update corrects the project id, read by the caller at version (0:
// whatever it is now): errors as Create, NotFound outside scope, Conflict
// when it changed since the caller read it. Stages change only through
// RecordStage.
func (s *Store) Update(ctx context.Context, id, version int64, in Input) (Project, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Project{}, err
	}
	before, err := s.read(ctx, s.DB, sc, id)
	if err != nil {
		return Project{}, err
	}
	if !editsIn(sc.User, before.townPath) {
		return Project{}, platform.ErrForbidden
	}
	p, err := s.prepare(ctx, sc, &in)
	if err != nil {
		return Project{}, err
	}
	if version == 0 {
		version = before.Version
	}
	now := s.now()
	p.ID, p.Stage, p.Stages, p.Version = id, before.Stage, before.Stages, version+1
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE projects SET township_id = $1, name = $2, kind = $3, industry = $4, investor = $5,
			investor_contact = $6, investor_phone = $7, village_id = $8, park = $9, total_investment = $10, year_planned_investment = $11,
			level = $12, owner_leader_id = $13, unit_id = $14, notes = $15, version = version + 1, updated_at = $16
			WHERE id = $17 AND version = $18`,
			p.TownshipID, p.Name, string(p.Kind), p.Industry, p.Investor, p.InvestorContact, p.InvestorPhone, p.VillageID, p.Park,
			p.Total, p.YearPlanned, string(p.Level), p.LeaderID, p.UnitID, p.Notes, now.UTC(), id, version)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("name", "project.error.name_taken")
		}
		if err != nil {
			return platform.Internalf("update project %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.Errorf(platform.Conflict, "project.error.conflict")
		}
		if err := writeTeam(ctx, tx, &p); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "project", EntityID: audit.ID(id),
			UnitID: p.UnitID, UnitPath: unitPath(sc, p.UnitID), Before: before, After: p, At: now})
	})
	if err != nil {
		return Project{}, err
	}
	return p, nil
}

// RecordStage sets one stage's planned and actual dates (and the reason
// for a stage reached past an earlier one without an actual date) on the
// project id read at version (0: whatever it is now): NotFound outside
// scope, Forbidden for anyone but the township's office and leaders,
// Invalid as CheckStages rules, Conflict when the project changed since.
// The current stage follows the dates.
func (s *Store) RecordStage(ctx context.Context, id, version int64, in StageDates) (Project, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Project{}, err
	}
	before, err := s.read(ctx, s.DB, sc, id)
	if err != nil {
		return Project{}, err
	}
	if !editsIn(sc.User, before.townPath) {
		return Project{}, platform.ErrForbidden
	}
	if in.Stage.Rank() == 0 {
		return Project{}, platform.FieldError("stage", "project.error.stage")
	}
	in.Planned, in.Actual, in.Reason = strings.TrimSpace(in.Planned), strings.TrimSpace(in.Actual), strings.TrimSpace(in.Reason)
	now := s.now()
	var out Project
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		p, err := s.load(ctx, tx, id)
		if err != nil {
			return err
		}
		p.townPath = before.townPath
		if version == 0 {
			version = p.Version
		}
		if version != p.Version {
			return platform.Errorf(platform.Conflict, "project.error.conflict")
		}
		old := p
		stages := Complete(p.Stages)
		r := in.Stage.Rank()
		if in.Actual == "" || len(Skipped(stages, in.Stage)) == 0 {
			in.Reason = "" // kept only with the date it explains
		}
		was := stages[r-1].Actual
		stages[r-1] = in
		if es := CheckStages(stages, in.Stage, was, clock.Today(now).Format(clock.DateFormat)); len(es) > 0 {
			return es.Err()
		}
		if in.Planned == "" && in.Actual == "" {
			_, err = tx.ExecContext(ctx, `DELETE FROM project_stages WHERE project_id = $1 AND stage = $2`, id, string(in.Stage))
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO project_stages (project_id, stage, planned_on, actual_on, reason) VALUES ($1, $2, $3, $4, $5)
				ON CONFLICT (project_id, stage) DO UPDATE SET planned_on = excluded.planned_on, actual_on = excluded.actual_on, reason = excluded.reason`,
				id, string(in.Stage), in.Planned, in.Actual, in.Reason)
		}
		if err != nil {
			return platform.Internalf("project stage: %w", err)
		}
		p.Stages, p.Stage = stages, Current(stages)
		res, err := tx.ExecContext(ctx, `UPDATE projects SET stage = $1, stage_rank = $2, version = version + 1, updated_at = $3 WHERE id = $4 AND version = $5`,
			string(p.Stage), p.Stage.Rank(), now.UTC(), id, version)
		if err != nil {
			return platform.Internalf("project %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return platform.Errorf(platform.Conflict, "project.error.conflict")
		}
		p.Version = version + 1
		if err := audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "project", EntityID: audit.ID(id),
			UnitID: p.UnitID, UnitPath: unitPath(sc, p.UnitID), Before: old, After: p, At: now}); err != nil {
			return err
		}
		out = p
		return nil
	})
	if err != nil {
		return Project{}, err
	}
	return out, nil
}

const projectColumns = `p.id, p.township_id, p.name, p.kind, p.industry, p.investor, p.investor_contact, p.investor_phone,
	p.village_id, p.park, p.total_investment, p.year_planned_investment, p.level, p.owner_leader_id, p.unit_id, p.notes, p.stage, p.version`

func scanProject(sc interface{ Scan(...any) error }) (Project, error) {
	var p Project
	var kind, level, stage string
	err := sc.Scan(&p.ID, &p.TownshipID, &p.Name, &kind, &p.Industry, &p.Investor, &p.InvestorContact, &p.InvestorPhone,
		&p.VillageID, &p.Park, &p.Total, &p.YearPlanned, &level, &p.LeaderID, &p.UnitID, &p.Notes, &stage, &p.Version)
	p.Kind, p.Level, p.Stage = Kind(kind), Level(level), Stage(stage)
	p.MemberIDs = []int64{}
	return p, err
}

// load reads one project with its team and stages, unscoped.
func (s *Store) load(ctx context.Context, q db.Queryer, id int64) (Project, error) {
	p, err := scanProject(q.QueryRowContext(ctx, `SELECT `+projectColumns+` FROM projects p WHERE p.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Project{}, platform.ErrNotFound
	}
	if err != nil {
		return Project{}, platform.Internalf("project %d: %w", id, err)
	}
	ps := []Project{p}
	if err := teams(ctx, q, ps); err != nil {
		return Project{}, err
	}
	p = ps[0]
	rows, err := q.QueryContext(ctx, `SELECT stage, planned_on, actual_on, reason FROM project_stages WHERE project_id = $1`, id)
	if err != nil {
		return Project{}, platform.Internalf("project stages: %w", err)
	}
	defer rows.Close()
	var stages []StageDates
	for rows.Next() {
		var sd StageDates
		var st string
		if err := rows.Scan(&st, &sd.Planned, &sd.Actual, &sd.Reason); err != nil {
			return Project{}, platform.Internalf("project stages: %w", err)
		}
		sd.Stage = Stage(st)
		stages = append(stages, sd)
	}
	if err := rows.Err(); err != nil {
		return Project{}, platform.Internalf("project stages: %w", err)
	}
	p.Stages = Complete(stages)
	return p, nil
}

// teams fills the contact person and members of projects, one query.
func teams(ctx context.Context, q db.Queryer, ps []Project) error {
	if len(ps) == 0 {
		return nil
	}
	at := map[int64]int{}
	ids := make([]int64, len(ps))
	for i, p := range ps {
		at[p.ID], ids[i] = i, p.ID
	}
	var w db.Where
	w.In("project_id", ids)
	rows, err := q.QueryContext(ctx, `SELECT project_id, person_id, role FROM project_people`+w.SQL()+` ORDER BY project_id, person_id`, w.Args...)
	if err != nil {
		return platform.Internalf("project teams: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var pid, person int64
		var role string
		if err := rows.Scan(&pid, &person, &role); err != nil {
			return platform.Internalf("project teams: %w", err)
		}
		p := &ps[at[pid]]
		if role == "contact" {
			c := person
			p.ContactID = &c
		} else {
			p.MemberIDs = append(p.MemberIDs, person)
		}
	}
	return rows.Err()
}

// visible reports whether the caller's scope holds the project's
// responsible unit or its village.
func visible(sc *org.Scope, p Project) bool {
	return sc.Has(p.UnitID) || (p.VillageID != nil && sc.Has(*p.VillageID))
}

// read loads one project through q, scoped: NotFound (audited) outside
// scope.
func (s *Store) read(ctx context.Context, q db.Queryer, sc *org.Scope, id int64) (Project, error) {
	p, err := s.load(ctx, q, id)
	if err != nil {
		return Project{}, err
	}
	if !visible(sc, p) {
		return Project{}, sc.Deny(ctx, "project", id, p.UnitID)
	}
	if tw, ok := sc.Tree.Unit(p.TownshipID); ok {
		p.townPath = tw.Path
	}
	return p, nil
}

// Project returns one project in the caller's scope with its team and
// stages, or NotFound.
func (s *Store) Project(ctx context.Context, id int64) (Project, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Project{}, err
	}
	return s.read(ctx, s.DB, sc, id)
}

// CanEdit reports whether the caller may edit p (the office and leaders of
// its township, or above it).
func (s *Store) CanEdit(ctx context.Context, p Project) bool {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return false
	}
	tw, ok := sc.Tree.Unit(p.TownshipID)
	return ok && editsIn(sc.User, tw.Path)
}

// Filter narrows the register; nil or empty fields are unset.
type Filter struct {
	Stage    *Stage
	LeaderID *int64
	Kind     *Kind
	Level    *Level
	UnitID   *int64 // the responsible unit or the village, or a unit below it
	Search   string
}

// Sorts are the register's sort keys.
var Sorts = []string{"name", "total", "year_planned", "stage", "level"}

var sortColumns = map[string]string{
	"name":         db.NotNull("p.name"),
	"total":        db.NotNull("p.total_investment"),
	"year_planned": db.NotNull("p.year_planned_investment"),
	"stage":        db.NotNull("p.stage_rank"),
	"level":        "CASE p.level WHEN 'district' THEN 1 WHEN 'city' THEN 2 ELSE 3 END",
}

// scopeWhere narrows w to the projects the caller sees: whole townships by
// township, a scope inside a township by the responsible unit or the
// village.
func scopeWhere(sc *org.Scope, w *db.Where) {
	if sc.WholeTownships(0) {
		sc.Where(w, "p.township_id", "p.unit_id", 0)
		return
	}
	tw, ok := sc.TownshipOf(sc.User.UnitID)
	ids := sc.Subtree(sc.User.UnitID)
	if !ok || len(ids) == 0 {
		w.Add("1 = 0")
		return
	}
	w.Add("p.township_id = ?", tw.ID)
	within(w, ids)
}

// within adds "the responsible unit or the village is one of ids".
func within(w *db.Where, ids []int64) {
	marks := make([]string, len(ids))
	for i, id := range ids {
		marks[i] = w.Next(id)
	}
	in := strings.Join(marks, ", ")
	w.Add("(p.unit_id IN (" + in + ") OR p.village_id IN (" + in + "))")
}

// where is the register's condition for the caller's scope and f.
func (s *Store) where(ctx context.Context, sc *org.Scope, f Filter) (db.Where, error) {
	var w db.Where
	scopeWhere(sc, &w)
	if f.Stage != nil {
		w.Add("p.stage = ?", string(*f.Stage))
	}
	if f.LeaderID != nil {
		w.Add("p.owner_leader_id = ?", *f.LeaderID)
	}
	if f.Kind != nil {
		w.Add("p.kind = ?", string(*f.Kind))
	}
	if f.Level != nil {
		w.Add("p.level = ?", string(*f.Level))
	}
	if f.UnitID != nil {
		if !sc.Has(*f.UnitID) {
			return w, sc.DenyUnit(ctx, *f.UnitID)
		}
		within(&w, sc.Subtree(*f.UnitID))
	}
	if f.Search != "" {
		w.Search(f.Search, "p.name", "p.industry", "p.investor", "p.park")
	}
	return w, nil
}

// Projects returns a page of the register in the caller's scope, newest
// first unless sorted otherwise; p learns the total (a separate count).
func (s *Store) Projects(ctx context.Context, f Filter, pg db.Pager) ([]Project, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	w, err := s.where(ctx, sc, f)
	if err != nil {
		return nil, err
	}
	var total int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects p`+w.SQL(), w.Args...).Scan(&total); err != nil {
		return nil, platform.Internalf("count projects: %w", err)
	}
	pg.SetTotal(total)
	q := `SELECT ` + projectColumns + ` FROM projects p` + w.SQL() + pg.OrderBy(sortColumns, "p.id DESC", "p.id") + w.Page(pg)
	rows, err := s.DB.QueryContext(ctx, q, w.Args...)
	if err != nil {
		return nil, platform.Internalf("projects: %w", err)
	}
	defer rows.Close()
	out := []Project{}
	for rows.Next() {
		p, err := scanProject(rows)
		if err != nil {
			return nil, platform.Internalf("projects: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("projects: %w", err)
	}
	rows.Close()
	return out, teams(ctx, s.DB, out)
}

// Industries are the industry suggestions for the caller's townships: the
// seed's, then the others their registers use, each once.
func (s *Store) Industries(ctx context.Context) ([]string, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(IndustrySuggestions)
	var ids []int64
	for _, tw := range sc.Townships() {
		ids = append(ids, tw.ID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	var w db.Where
	w.In("township_id", ids)
	w.Add("industry <> ''")
	rows, err := s.DB.QueryContext(ctx, `SELECT DISTINCT industry FROM projects`+w.SQL()+` ORDER BY industry`, w.Args...)
	if err != nil {
		return nil, platform.Internalf("industries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, platform.Internalf("industries: %w", err)
		}
		if !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	return out, rows.Err()
}

// UnitsChanged keeps each project's township that of its responsible unit
// when the tree changes under it.
func (s *Store) UnitsChanged(ctx context.Context, tx *sql.Tx) error {
	tree, err := org.ReadTree(ctx, tx)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT unit_id, township_id FROM projects`)
	if err != nil {
		return platform.Internalf("project units: %w", err)
	}
	type pair struct{ unit, township int64 }
	var moved []pair
	for rows.Next() {
		var p pair
		if err := rows.Scan(&p.unit, &p.township); err != nil {
			rows.Close()
			return platform.Internalf("project units: %w", err)
		}
		if t := tree.TownshipOf(p.unit); t != 0 && t != p.township {
			moved = append(moved, pair{p.unit, t})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Internalf("project units: %w", err)
	}
	for _, p := range moved {
		if _, err := tx.ExecContext(ctx, `UPDATE projects SET township_id = $1 WHERE unit_id = $2`, p.township, p.unit); err != nil {
			return platform.Internalf("project township: %w", err)
		}
	}
	return nil
}

// auditNames names the room's objects on the audit page: a project by its
// name.
func (s *Store) auditNames() audit.Namers {
	return audit.Namers{"project": audit.ByQuery(s.DB, `SELECT id, name FROM projects`, "id")}
}
