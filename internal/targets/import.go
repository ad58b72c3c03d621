package targets

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// MaxImportBytes bounds an uploaded figure file.
const MaxImportBytes = 20 << 20

// Pending imports: each account keeps at most maxPending uncommitted ones (a
// new upload drops the oldest), and none for longer than PendingFor.
const (
	maxPending = 3
	PendingFor = 24 * time.Hour
)

// ImportRow is one sheet row as the preview shows it: what was read, what it
// will become, and what is wrong with it.
type ImportRow struct {
	SheetRow
	IndicatorID int64
	TargetID    int64
	UnitName    string   // the org unit the figure is for
	Value       *float64 // converted to the indicator's measurement unit
	LastYear    *float64
	Converted   bool // the sheet's measurement unit differed and was converted
	// Skipped rows have no figure this month (a blank cell, as a sheet has
	// for a figure not out yet): they are shown and written nowhere.
	Skipped  bool
	Problems []Problem
	// Suspect is the row's figure about 10 or 10,000 times off the previous
	// month, last year or the target: written only when the file's
	// confirmation is given. nil when nothing looks wrong.
	Suspect *Problem
	// KeptLastYear says the sheet left 去年同期 blank for a month reported
	// before, and the kept one stays; DerivedLastYear that it gave none but
	// a growth rate, and 去年同期 is worked back from it.
	KeptLastYear    bool
	DerivedLastYear bool
	// Mismatches are the sheet's own 同比增长 and 占年计划 where they differ
	// from the arithmetic on its figures by more than rounding: flagged for
	// the statistician to look at, not refused.
	Mismatches []Problem
	// Alias is the name the row was matched by when it is an alias (别名)
	// of the indicator, whose catalogue name is then Matched; both "" when
	// the row gives the name itself.
	Alias, Matched string
	// TargetValue is the sheet's 年度任务数 converted to the indicator's
	// measurement unit, as Value is; TargetAction is what it does to the
	// year's target (import_targets.go), and TargetWas the value it
	// changes. A row may set a target and carry no figure (Skipped).
	TargetValue  *float64
	TargetAction TargetAction
	TargetWas    *float64

	kept       *Figure // the period's figure this one replaces, for the audit log
	unitID     int64   // the target's unit, for the audit log
	unitPath   string
	townshipID int64
	create     *newTarget // the target the row creates (TargetCreate), checked
}

// Preview is the result of checking a file: every row and every problem. It
// is Clean when nothing is wrong, and only then may it be committed.
type Preview struct {
	Token    string
	Filename string
	UnitID   int64
	UnitName string
	Year     int
	Month    int
	Rows     []ImportRow
	Problems []Problem      // every problem, sheet-level and row-level, in row order
	Sheet    string         // the worksheet read
	Ignored  []IgnoredSheet // the workbook's other worksheets, each with why it was not read
	// Suspects are the rows' suspicions of a unit mistake, in row order: the
	// commit needs them confirmed (确认数值无误), as a whole file.
	Suspects []Problem
	// Mismatches are every row's, in row order (ImportRow.Mismatches).
	Mismatches []Problem
	// TargetChanges are the rows whose 年度任务数 differs from the year's
	// target they have ("年度目标 X → Y"), in row order: the commit changes
	// them only when confirmed (确认修改年度目标).
	TargetChanges []Problem
	// HasTargets says the sheet has a 年度任务数 column.
	HasTargets bool
	Committed  bool
	Figures    int
	// TargetsCreated and TargetsChanged are what a committed import did
	// to the year's targets.
	TargetsCreated, TargetsChanged int

	unitPath   string // the unit's, for the audit log
	townshipID int64
}

// Clean reports whether the file can be committed: nothing is wrong, and it
// writes a figure or sets a target.
func (p *Preview) Clean() bool {
	return len(p.Problems) == 0 && (p.ToWrite() > 0 || p.TargetsToCreate() > 0 || len(p.TargetChanges) > 0)
}

// ToWrite counts the rows that will become figures.
func (p *Preview) ToWrite() int {
	n := 0
	for _, r := range p.Rows {
		if !r.Skipped {
			n++
		}
	}
	return n
}

// ImportInput is an upload: the file and where its figures belong. UnitID is
// the unit for rows without a unit column; Month 0 takes the month stated in
// the sheet's header.
type ImportInput struct {
	Filename string
	Data     []byte
	UnitID   int64
	Year     int
	Month    int
}

// StartImport reads the file, keeps the sheet as read and returns its
// preview. The file is parsed here once and not kept: the preview and the
// commit check the kept rows. Nothing is written but the kept sheet, and
// the caller's oldest pending import beyond the newest maxPending is dropped.
func (s *Store) StartImport(ctx context.Context, in ImportInput) (*Preview, error) {
	u, err := auth.Require(ctx, auth.EnterFigures)
	if err != nil {
		return nil, err
	}
	if len(in.Data) > MaxImportBytes {
		return nil, platform.FieldError("file", keyTooLarge, MaxImportBytes>>20)
	}
	if len(in.Data) == 0 {
		return nil, platform.FieldError("file", "form.err.required")
	}
	if in.Year == 0 {
		in.Year = s.currentYear()
	}
	sheet, err := ParseSheet(bytes.NewReader(in.Data))
	if err != nil {
		return nil, platform.Internalf("parse import: %w", err)
	}
	p, err := s.check(ctx, in, sheet)
	if err != nil {
		return nil, err
	}
	kept, err := json.Marshal(sheet)
	if err != nil {
		return nil, platform.Internalf("keep import: %w", err)
	}
	b := make([]byte, 16)
	rand.Read(b)
	p.Token = hex.EncodeToString(b)
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO imports (token, township_id, user_id, unit_id, year, month, filename, sheet, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			p.Token, p.townshipID, u.ID, in.UnitID, in.Year, in.Month, in.Filename, string(kept), s.now().UTC()); err != nil {
			return platform.Internalf("keep import: %w", err)
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM imports WHERE user_id = $1 AND committed_at IS NULL AND token NOT IN
			(SELECT token FROM imports WHERE user_id = $1 AND committed_at IS NULL ORDER BY created_at DESC, token DESC LIMIT $2)`, u.ID, maxPending)
		if err != nil {
			return platform.Internalf("drop older imports: %w", err)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// errImportGone is a preview that is not (or no longer) there: dropped for
// a newer upload, expired, or someone else's.
var errImportGone = platform.Errorf(platform.NotFound, "import.err.gone", maxPending, int(PendingFor/time.Hour))

// Import returns the preview of a kept import, its rows checked again
// against the data as it is now.
func (s *Store) Import(ctx context.Context, token string) (*Preview, error) {
	if _, err := auth.Require(ctx, auth.EnterFigures); err != nil {
		return nil, err
	}
	k, err := s.kept(ctx, token)
	if err != nil {
		return nil, err
	}
	p, err := s.check(ctx, k.in, k.sheet)
	if err != nil {
		return nil, err
	}
	if k.committed && len(k.sheet.Rows) == 0 {
		p.Problems = nil // its rows were let go a day after the commit
	}
	p.Token, p.Committed, p.Figures = token, k.committed, k.figures
	p.TargetsCreated, p.TargetsChanged = k.targetsCreated, k.targetsChanged
	return p, nil
}

// keptImport is an import as the imports table keeps it.
type keptImport struct {
	in        ImportInput
	sheet     *Sheet
	committed bool
	figures   int
	// what the commit did to the year's targets
	targetsCreated, targetsChanged int
}

// kept reads the caller's import; another account's answers like a missing one.
func (s *Store) kept(ctx context.Context, token string) (keptImport, error) {
	var k keptImport
	var committed sql.NullTime
	var sheet string
	u := auth.FromContext(ctx)
	err := s.DB.QueryRowContext(ctx, `SELECT unit_id, year, month, filename, sheet, committed_at, figures, targets_created, targets_changed FROM imports WHERE token = $1 AND user_id = $2`, token, u.ID).
		Scan(&k.in.UnitID, &k.in.Year, &k.in.Month, &k.in.Filename, &sheet, &committed, &k.figures, &k.targetsCreated, &k.targetsChanged)
	if errors.Is(err, sql.ErrNoRows) {
		return k, errImportGone
	}
	if err != nil {
		return k, platform.Internalf("import %s: %w", token, err)
	}
	k.committed = committed.Valid
	if k.sheet, err = readKept(sheet); err != nil {
		return k, platform.Internalf("import %s: %w", token, err)
	}
	return k, nil
}

// readKept reads a kept sheet back ("" is a sheet whose rows were let go).
// Whole numbers among a problem's Args come back as int, as the messages'
// %d verbs need.
func readKept(kept string) (*Sheet, error) {
	sh := &Sheet{Columns: map[string]string{}, Headers: map[string]string{}}
	if kept == "" {
		return sh, nil
	}
	dec := json.NewDecoder(strings.NewReader(kept))
	dec.UseNumber()
	if err := dec.Decode(sh); err != nil {
		return nil, err
	}
	for _, pr := range sh.Problems {
		for i, a := range pr.Args {
			n, ok := a.(json.Number)
			if !ok {
				continue
			}
			if v, err := n.Int64(); err == nil {
				pr.Args[i] = int(v)
			} else if f, err := n.Float64(); err == nil {
				pr.Args[i] = f
			}
		}
	}
	return sh, nil
}

// Confirm is what the person ticked on an import's preview.
type Confirm struct {
	// Figures: the rows suspect of a unit mistake are right (确认数值无误).
	Figures bool
	// Targets: the year's targets the sheet changes are to change
	// (确认修改年度目标).
	Targets bool
}

// CommitImport writes every figure of a kept import, and the year's targets
// its 年度任务数 column creates or changes, in one transaction, after
// checking its rows once more against the data as it is now; if anything is
// wrong nothing is written, and nothing either while rows are suspect of a
// unit mistake and c.Figures is false (Invalid, Detail unit_suspect), or
// targets would change and c.Targets is false (Invalid, Detail
// target_change). An import is committed once: a second commit is a Conflict.
func (s *Store) CommitImport(ctx context.Context, token string, c Confirm) (*Preview, error) {
	if _, err := auth.Require(ctx, auth.EnterFigures); err != nil {
		return nil, err
	}
	k, err := s.kept(ctx, token)
	if err != nil {
		return nil, err
	}
	if k.committed {
		return nil, platform.Errorf(platform.Conflict, "target.err.import_done")
	}
	p, err := s.check(ctx, k.in, k.sheet)
	if err != nil {
		return nil, err
	}
	p.Token = token
	if !p.Clean() {
		return p, platform.Errorf(platform.Invalid, "target.err.import_has_problems", len(p.Problems))
	}
	if len(p.Suspects) > 0 && !c.Figures {
		e := platform.Errorf(platform.Invalid, "target.err.import_unconfirmed", len(p.Suspects))
		e.Field, e.Detail = "confirm", DetailUnitSuspect
		return p, e
	}
	if len(p.TargetChanges) > 0 && !c.Targets {
		e := platform.Errorf(platform.Invalid, "target.err.import_targets_unconfirmed", len(p.TargetChanges))
		e.Field, e.Detail = "confirm_targets", DetailTargetChange
		return p, e
	}
	created, changed := p.TargetsToCreate(), len(p.TargetChanges)
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE imports SET committed_at = $1, figures = $2, month = $3, targets_created = $4, targets_changed = $5 WHERE token = $6 AND committed_at IS NULL`,
			now.UTC(), p.ToWrite(), p.Month, created, changed, token)
		if err != nil {
			return platform.Internalf("commit import: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return platform.Errorf(platform.Conflict, "target.err.import_done")
		}
		// The targets first: a row that creates one and carries a figure
		// puts the figure on the new target.
		set, err := writeImportedTargets(ctx, tx, p, now.UTC())
		if err != nil {
			return err
		}
		period := Period(p.Year, p.Month)
		if err := insertImported(ctx, tx, p, period, now); err != nil {
			return err
		}
		ids := set
		for _, r := range p.Rows {
			if !r.Skipped {
				ids = append(ids, r.TargetID)
			}
		}
		if err := s.refresh(ctx, tx, ids); err != nil {
			return err
		}
		after := map[string]any{"file": p.Filename, "period": period, "figures": p.ToWrite()}
		if created+changed > 0 {
			after["targets_created"], after["targets_changed"] = created, changed
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Import, Entity: "import", EntityID: token, UnitID: p.UnitID, UnitPath: p.unitPath, After: after, At: now})
	})
	if err != nil {
		return nil, err
	}
	p.Committed, p.Figures = true, p.ToWrite()
	p.TargetsCreated, p.TargetsChanged = created, changed
	return p, nil
}

// DropStaleImports deletes the imports left pending for PendingFor and lets
// go of the rows of those committed as long ago (the figures, the audit log
// and the import's record remain). It is the background cleanup's work, and
// harmless on several instances at once.
func (s *Store) DropStaleImports(ctx context.Context) (dropped int64, err error) {
	cut := s.now().Add(-PendingFor).UTC()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM imports WHERE committed_at IS NULL AND created_at < $1`, cut)
		if err != nil {
			return err
		}
		dropped, _ = res.RowsAffected()
		_, err = tx.ExecContext(ctx, `UPDATE imports SET sheet = '' WHERE committed_at < $1 AND sheet <> ''`, cut)
		return err
	})
	if err != nil {
		return 0, platform.Internalf("drop stale imports: %w", err)
	}
	return dropped, nil
}

// check checks every row of a sheet against the catalogue, the targets and
// the figure rules, as they are now.
func (s *Store) check(ctx context.Context, in ImportInput, sheet *Sheet) (*Preview, error) {
	// The rows that create a target check it as the form does, which
	// reads the caller's scope each time: read it once.
	ctx = org.WithScopeMemo(ctx)
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	home, ok := sc.Unit(in.UnitID)
	if !ok {
		if err := sc.DenyUnit(ctx, in.UnitID); platform.ErrorCode(err) != platform.NotFound {
			return nil, err
		}
		return nil, platform.FieldError("unit_id", "target.err.no_unit")
	}
	p := &Preview{Filename: in.Filename, UnitID: home.ID, UnitName: home.Name, Year: in.Year, Month: in.Month, unitPath: home.Path, townshipID: sc.Tree.TownshipOf(home.ID)}
	if p.Month == 0 {
		p.Month = sheet.Month
	}
	p.Sheet, p.Ignored, p.HasTargets = sheet.SheetName, sheet.Ignored, sheet.Columns[RoleTarget] != ""
	p.Problems = append(p.Problems, sheet.Problems...)
	if p.Month < 1 || p.Month > 12 {
		p.Problems = append(p.Problems, Problem{Key: "target.err.import_no_month"})
	}
	if sheet.Year != 0 && sheet.Year != in.Year {
		p.Problems = append(p.Problems, Problem{Column: sheet.Columns[RoleValue], Header: sheet.Headers[RoleValue], Key: keyYearMismatch, Args: []any{sheet.Year, in.Year}})
	}
	today := clock.Today(s.now())
	inds, err := s.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	aliases, err := s.Aliases(ctx)
	if err != nil {
		return nil, err
	}
	match := newMatcher(inds, aliases)
	// Org units in the home unit's subtree, by name, for a unit column.
	unitByName := map[string][]org.Unit{}
	for _, id := range sc.Subtree(home.ID) {
		x, _ := sc.Tree.Unit(id)
		unitByName[compactName(x.Name)] = append(unitByName[compactName(x.Name)], x)
	}
	// The units' own targets of the year (their people's take no import).
	var w db.Where
	sc.Where(&w, "t.township_id", "t.unit_id", home.ID)
	w.Add("t.year = ?", in.Year)
	w.Add("t.person_id IS NULL")
	rows, err := loadTargets(ctx, s.DB, &w)
	if err != nil {
		return nil, err
	}
	type key struct{ ind, unit int64 }
	targets := map[key]Row{}
	for _, r := range rows {
		if un, ok := sc.Tree.Unit(r.UnitID); ok {
			r.UnitPath = un.Path
		}
		targets[key{r.IndicatorID, r.UnitID}] = r
	}
	// Rows that pass the checks of their own are then checked against
	// their targets' current figures, as a figure entered in the form is
	// (entry.go): read once, for those targets only.
	type against struct {
		row    int // index in p.Rows
		target Row
		ind    Indicator
	}
	var later []against
	period := ""
	if p.Month >= 1 && p.Month <= 12 {
		period = Period(in.Year, p.Month)
	}
	col := func(role string) string { return sheet.Columns[role] }
	// Only those who keep targets set them; anyone else's sheet has its
	// 年度任务数 compared, never written.
	mayTarget := sc.User.Can(auth.ManageTargets)
	for _, sr := range sheet.Rows {
		ir := ImportRow{SheetRow: sr, UnitName: home.Name, Value: sr.Value, LastYear: sr.LastYear, TargetValue: sr.Target}
		bad := func(role, key string, args ...any) {
			ir.Problems = append(ir.Problems, Problem{Row: sr.Row, Column: col(role), Header: sheet.Headers[role], Key: key, Args: args})
		}
		unitID := home.ID
		if sr.Unit != "" {
			switch found := unitByName[compactName(sr.Unit)]; len(found) {
			case 1:
				unitID, ir.UnitName = found[0].ID, found[0].Name
			default:
				bad(RoleUnit, keyUnknownUnit, sr.Unit)
			}
		}
		township := p.townshipID
		if unitID != home.ID {
			township = sc.Tree.TownshipOf(unitID)
		}
		ind, alias, ok := match.match(township, sr.Indicator)
		var target *Row
		if !ok {
			bad(RoleIndicator, keyUnknownIndicator, sr.Indicator)
		} else {
			ir.IndicatorID = ind.ID
			if alias != "" {
				ir.Alias, ir.Matched = alias, ind.Name
			}
			if t, ok := targets[key{ind.ID, unitID}]; ok {
				ir.TargetID, ir.unitID, ir.unitPath, ir.townshipID = t.ID, t.UnitID, t.UnitPath, t.TownshipID
				target = &t
			} else if sr.Target != nil && mayTarget && len(ir.Problems) == 0 {
				// The row brings the year's target: created on commit,
				// before the figures, which then land on it.
				un, _ := sc.Tree.Unit(unitID)
				ir.TargetAction, ir.unitID, ir.unitPath, ir.townshipID = TargetCreate, unitID, un.Path, township
			} else if len(ir.Problems) == 0 {
				bad(RoleIndicator, "target.err.import_no_target", sr.Indicator, ir.UnitName, in.Year)
			}
			if sr.MeasureUnit != "" && NormalizeMeasure(ind.MeasureUnit) != sr.MeasureUnit {
				conv := func(v *float64) *float64 {
					if v == nil {
						return nil
					}
					c, _ := ConvertMeasure(*v, sr.MeasureUnit, ind.MeasureUnit)
					return &c
				}
				if _, ok := ConvertMeasure(1, sr.MeasureUnit, ind.MeasureUnit); ok {
					ir.Value, ir.LastYear, ir.TargetValue, ir.Converted = conv(sr.Value), conv(sr.LastYear), conv(sr.Target), true
				} else {
					bad(RoleMeasure, keyMeasureMismatch, sr.MeasureUnit, ind.MeasureUnit)
				}
			}
			if ir.Value == nil && !hasProblem(sheet.Problems, sr.Row) {
				ir.Skipped = true
			}
			if ir.Value != nil && ind.Cadence == Quarterly && p.Month%3 != 0 {
				bad(RoleValue, "target.err.quarter_month", i18n.Month(p.Month))
			}
			if ind.NonNegative {
				if ir.Value != nil && *ir.Value < 0 {
					bad(RoleValue, keyNegative)
				}
				if ir.LastYear != nil && *ir.LastYear < 0 {
					bad(RoleLastYear, keyNegative)
				}
			}
		}
		// A month not over holds up its figures, not a row that only
		// sets the year's target.
		if p.Month >= 1 && p.Month <= 12 && !periodEnded(in.Year, p.Month, today) && (ir.Value != nil || ir.TargetValue == nil) {
			bad(RoleValue, keyFutureMonth, notEndedArgs(in.Year, p.Month)...)
		}
		if ok && ir.TargetValue != nil && len(ir.Problems) == 0 && (target != nil || ir.TargetAction == TargetCreate) && !hasProblem(sheet.Problems, sr.Row) {
			at := Problem{Row: sr.Row, Column: col(RoleTarget), Header: sheet.Headers[RoleTarget]}
			note, change, err := s.decideTarget(ctx, sc, &ir, target, ind, in.Year, mayTarget, at)
			if err != nil {
				return nil, err
			}
			if note != nil {
				ir.Mismatches = append(ir.Mismatches, *note)
				p.Mismatches = append(p.Mismatches, *note)
			}
			if change != nil {
				p.TargetChanges = append(p.TargetChanges, *change)
			}
		}
		if ir.TargetAction == TargetCreate && ir.create == nil {
			ir.TargetAction = TargetNone // refused: the row's problems say why
		}
		// The row's figure is checked against the target it will have: the
		// sheet's when the row sets one, as the sheet's 占年计划 is its own.
		if cmp := target; (cmp != nil || ir.TargetAction == TargetCreate) && period != "" && ir.Value != nil && len(ir.Problems) == 0 {
			if ir.TargetAction == TargetCreate || ir.TargetAction == TargetChange {
				t := Row{Target: Target{IndicatorID: ind.ID, UnitID: ir.unitID, Year: in.Year, Kind: KindValue}}
				if target != nil {
					t = *target
				}
				t.Value = *ir.TargetValue
				cmp = &t
			}
			later = append(later, against{len(p.Rows), *cmp, ind})
		}
		p.Problems = append(p.Problems, ir.Problems...)
		p.Rows = append(p.Rows, ir)
	}
	if len(later) > 0 {
		ids := make([]int64, 0, len(later))
		for _, a := range later {
			if a.target.ID != 0 { // a target the row creates has no figures yet
				ids = append(ids, a.target.ID)
			}
		}
		current, err := currentFiguresOf(ctx, s.DB, ids)
		if err != nil {
			return nil, err
		}
		for _, a := range later {
			ir := &p.Rows[a.row]
			n := neighboursOf(current[a.target.ID], period)
			ir.kept = n.Kept
			// A blank 去年同期 in a sheet sent again keeps the one reported,
			// and with it the YoY growth and the seasonal forecast.
			if ir.LastYear == nil && n.Kept != nil && n.Kept.LastYear != nil {
				ir.LastYear, ir.KeptLastYear = n.Kept.LastYear, true
			}
			mis := crossCheck(ir, a.target.Target, Problem{Row: ir.Row}, sheet)
			ir.Mismatches = append(ir.Mismatches, mis...)
			p.Mismatches = append(p.Mismatches, mis...)
			if ir.LastYear == nil && ir.Growth != nil && *ir.Growth > -100 {
				ly := *ir.Value / (1 + *ir.Growth/100)
				ir.LastYear, ir.DerivedLastYear = &ly, true
			}
			at := Problem{Row: ir.Row, Column: col(RoleValue), Header: sheet.Headers[RoleValue]}
			if key, args := orderProblem(a.ind, *ir.Value, n, false); key != "" {
				at.Key, at.Args = key, args
				ir.Problems = append(ir.Problems, at)
				p.Problems = append(p.Problems, at)
			} else if sus := suspectOf(a.ind, a.target.Target, *ir.Value, ir.LastYear, period, n); sus != nil {
				at.Key, at.Args = sus.Key(ir.Converted), sus.Args(*ir.Value, a.ind.MeasureUnit, ir.MeasureUnit)
				ir.Suspect = &at
				p.Suspects = append(p.Suspects, at)
			}
		}
	}
	p.Problems = append(p.Problems, subItemsExceeding(p.Rows, match.byID, Problem{Column: col(RoleValue), Header: sheet.Headers[RoleValue]})...)
	if len(sheet.Rows) == 0 && len(sheet.Problems) == 0 {
		p.Problems = append(p.Problems, Problem{Key: "target.err.import_empty"})
	}
	sortProblems(p.Problems)
	sortProblems(p.Mismatches) // the targets' notes came first
	return p, nil
}

// crossCheck compares the sheet's 同比增长 with the growth from its value
// and 去年同期 (as given or kept, not worked back), and its 占年计划 with the
// value's share of a value target, each beyond what the figures' own
// rounding allows (at least 0.1 个百分点).
func crossCheck(ir *ImportRow, t Target, at Problem, sheet *Sheet) []Problem {
	var out []Problem
	v := *ir.Value
	half := func(x float64) float64 { return 0.5 * math.Pow(10, -float64(decimalsIn(x))) }
	pct := func(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64) }
	if g := ir.Growth; g != nil && ir.LastYear != nil && *ir.LastYear > 0 {
		l := *ir.LastYear
		got := (v/l - 1) * 100
		tol := max(0.1, 100*(half(v)+half(l)*math.Abs(v)/l)/l+half(*g))
		if math.Abs(got-*g) > tol {
			at.Column, at.Header, at.Key, at.Args = sheet.Columns[RoleGrowth], sheet.Headers[RoleGrowth], "import.mismatch.growth", []any{pct(*g), pct(got)}
			out = append(out, at)
		}
	}
	if sh := ir.Share; sh != nil && t.Kind == KindValue && t.Value > 0 {
		got := v / t.Value * 100
		tol := max(0.1, 100*half(v)/t.Value+half(*sh))
		if math.Abs(got-*sh) > tol {
			at.Column, at.Header, at.Key, at.Args = sheet.Columns[RoleShare], sheet.Headers[RoleShare], "import.mismatch.share", []any{pct(*sh), pct(got)}
			out = append(out, at)
		}
	}
	return out
}

func hasProblem(ps []Problem, row int) bool {
	for _, p := range ps {
		if p.Row == row {
			return true
		}
	}
	return false
}

func sortProblems(ps []Problem) {
	// Insertion sort keeps the order of problems within a row stable.
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Row < ps[j-1].Row; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// ImportUnit is a unit an import may be for, as the upload form lists it.
type ImportUnit struct {
	ID    int64
	Name  string
	Kind  string
	Depth int // below the caller's own unit, for indenting
}

// ImportUnits lists the units in the caller's scope, in tree order, and the
// one an upload is for unless chosen: the caller's township when it is in
// scope, else the caller's own unit.
func (s *Store) ImportUnits(ctx context.Context) ([]ImportUnit, int64, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, 0, err
	}
	units := sc.Units()
	top := -1
	for _, u := range units {
		if top < 0 || u.Depth < top {
			top = u.Depth
		}
	}
	out := make([]ImportUnit, len(units))
	def := sc.User.UnitID
	if tw, ok := sc.TownshipOf(sc.User.UnitID); ok && sc.Has(tw.ID) {
		def = tw.ID
	}
	for i, u := range units {
		out[i] = ImportUnit{ID: u.ID, Name: u.Name, Kind: string(u.Kind), Depth: u.Depth - top}
	}
	return out, def, nil
}

// insertImported writes the figures of a clean preview, each with its audit
// entry, in the caller's transaction. The two inserts are prepared once: a
// file of 10,000 figures runs each 10,000 times, and parsing the statement
// again every time took as long as running it.
func insertImported(ctx context.Context, tx *sql.Tx, p *Preview, period string, now time.Time) error {
	u := auth.FromContext(ctx)
	var by *int64
	if u.ID != 0 {
		by = &u.ID
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO figures (township_id, target_id, year, period, value, last_year_value, source, note, entered_by, entered_by_login, entered_at, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`)
	if err != nil {
		return platform.Internalf("import: prepare: %w", err)
	}
	defer ins.Close()
	q := &preparedTx{tx: tx, stmts: map[string]*sql.Stmt{}}
	defer q.close()
	statuses := map[int64]Status{} // by township: whether it reviews the caller's figures
	for _, r := range p.Rows {
		if r.Skipped {
			continue
		}
		status, ok := statuses[r.townshipID]
		if !ok {
			if status, err = statusFor(ctx, q, u, r.townshipID); err != nil {
				return err
			}
			statuses[r.townshipID] = status
		}
		if err := replacePending(ctx, q, r.TargetID, r.unitID, r.unitPath, period, now.UTC()); err != nil {
			return err
		}
		f := Figure{TargetID: r.TargetID, Period: period, Value: *r.Value, LastYear: r.LastYear, Source: "import", Note: r.Note, EnteredBy: u.Login, EnteredAt: now.UTC(), Status: status}
		if err := ins.QueryRowContext(ctx, r.townshipID, f.TargetID, p.Year, f.Period, f.Value, f.LastYear, f.Source, f.Note, by, f.EnteredBy, f.EnteredAt, string(f.Status)).Scan(&f.ID); err != nil {
			return platform.Internalf("import: add figure: %w", err)
		}
		e := audit.Entry{Action: audit.Create, Entity: "figure", EntityID: audit.ID(f.ID), UnitID: r.unitID, UnitPath: r.unitPath, After: f, At: now}
		if r.kept != nil { // a correction, recorded as the form's are
			e.Action, e.Before = audit.Update, *r.kept
		}
		if err := audit.Record(ctx, q, e); err != nil {
			return err
		}
	}
	return nil
}

// preparedTx is a db.Queryer over a transaction that prepares each distinct
// statement once, for helpers such as audit.Record called many times over.
type preparedTx struct {
	tx    *sql.Tx
	stmts map[string]*sql.Stmt
}

func (q *preparedTx) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if st, ok := q.stmts[query]; ok {
		return st, nil
	}
	st, err := q.tx.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	q.stmts[query] = st
	return st, nil
}

func (q *preparedTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (q *preparedTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

// QueryRowContext falls back to the transaction itself when the statement
// cannot be prepared, so that the error surfaces on Scan as usual.
func (q *preparedTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	st, err := q.stmt(ctx, query)
	if err != nil {
		return q.tx.QueryRowContext(ctx, query, args...)
	}
	return st.QueryRowContext(ctx, args...)
}

func (q *preparedTx) close() {
	for _, st := range q.stmts {
		st.Close()
	}
}
