package target

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
)

// MaxImportBytes bounds an uploaded figure file.
const MaxImportBytes = 20 << 20

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
	Problems    []Problem
}

// Preview is the result of checking a file: every row and every problem. It
// is Clean when nothing is wrong, and only then may it be committed.
type Preview struct {
	Token     string
	Filename  string
	UnitID    int64
	UnitName  string
	Year      int
	Month     int
	Rows      []ImportRow
	Problems  []Problem // every problem, sheet-level and row-level, in row order
	Committed bool
	Figures   int
}

// Clean reports whether the file can be committed.
func (p *Preview) Clean() bool { return len(p.Problems) == 0 && len(p.Rows) > 0 }

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

// StartImport keeps the file and returns its preview. Nothing is written but
// the kept file: figures are written only by CommitImport.
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
	p, err := s.check(ctx, u, in)
	if err != nil {
		return nil, err
	}
	b := make([]byte, 16)
	rand.Read(b)
	p.Token = hex.EncodeToString(b)
	_, err = s.DB.ExecContext(ctx, `INSERT INTO imports (token, user_id, unit_id, year, month, filename, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		p.Token, u.ID, in.UnitID, in.Year, in.Month, in.Filename, in.Data, s.now().UTC())
	if err != nil {
		return nil, platform.Internalf("keep import: %w", err)
	}
	return p, nil
}

// Import returns the preview of a kept file, checked again against the data
// as it is now.
func (s *Store) Import(ctx context.Context, token string) (*Preview, error) {
	u, err := auth.Require(ctx, auth.EnterFigures)
	if err != nil {
		return nil, err
	}
	in, committed, figures, err := s.kept(ctx, u, token)
	if err != nil {
		return nil, err
	}
	p, err := s.check(ctx, u, in)
	if err != nil {
		return nil, err
	}
	p.Token, p.Committed, p.Figures = token, committed != nil, figures
	return p, nil
}

func (s *Store) kept(ctx context.Context, u *auth.User, token string) (ImportInput, *time.Time, int, error) {
	var in ImportInput
	var committed sql.NullTime
	var figures int
	err := s.DB.QueryRowContext(ctx, `SELECT unit_id, year, month, filename, data, committed_at, figures FROM imports WHERE token = $1 AND user_id = $2`, token, u.ID).
		Scan(&in.UnitID, &in.Year, &in.Month, &in.Filename, &in.Data, &committed, &figures)
	if errors.Is(err, sql.ErrNoRows) {
		return in, nil, 0, platform.ErrNotFound
	}
	if err != nil {
		return in, nil, 0, platform.Internalf("import %s: %w", token, err)
	}
	if committed.Valid {
		return in, &committed.Time, figures, nil
	}
	return in, nil, figures, nil
}

// CommitImport writes every figure of a kept file in one transaction, after
// checking it once more; if anything is wrong nothing is written. A file is
// committed once: a second commit is a Conflict.
func (s *Store) CommitImport(ctx context.Context, token string) (*Preview, error) {
	u, err := auth.Require(ctx, auth.EnterFigures)
	if err != nil {
		return nil, err
	}
	in, committed, _, err := s.kept(ctx, u, token)
	if err != nil {
		return nil, err
	}
	if committed != nil {
		return nil, platform.Errorf(platform.Conflict, "target.err.import_done")
	}
	p, err := s.check(ctx, u, in)
	if err != nil {
		return nil, err
	}
	p.Token = token
	if !p.Clean() {
		return p, platform.Errorf(platform.Invalid, "target.err.import_has_problems", len(p.Problems))
	}
	rows, _, err := s.Targets(ctx, Filter{Year: &in.Year})
	if err != nil {
		return nil, err
	}
	byID := make(map[int64]Row, len(rows))
	for _, r := range rows {
		byID[r.ID] = r
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE imports SET committed_at = $1, figures = $2 WHERE token = $3 AND committed_at IS NULL`, now.UTC(), len(p.Rows), token)
		if err != nil {
			return platform.Internalf("commit import: %w", err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return platform.Errorf(platform.Conflict, "target.err.import_done")
		}
		period := Period(p.Year, p.Month)
		for _, r := range p.Rows {
			fi := FigureInput{Period: period, Value: r.Value, LastYear: r.LastYear, Note: r.Note, Source: "import"}
			if _, err := insertFigure(ctx, tx, byID[r.TargetID], fi, now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Import, Entity: "import", EntityID: token, UnitID: p.UnitID,
			After: map[string]any{"file": p.Filename, "period": period, "figures": len(p.Rows)}, At: now})
	})
	if err != nil {
		return nil, err
	}
	p.Committed, p.Figures = true, len(p.Rows)
	return p, nil
}

// check parses the file and checks every row against the catalogue, the
// targets and the figure rules.
func (s *Store) check(ctx context.Context, u *auth.User, in ImportInput) (*Preview, error) {
	units, err := s.units(ctx, s.DB, u)
	if err != nil {
		return nil, err
	}
	home, ok := units[in.UnitID]
	if !ok || !u.InScope(home.Path) {
		return nil, platform.FieldError("unit_id", "target.err.no_unit")
	}
	sheet, err := ParseSheet(bytes.NewReader(in.Data))
	if err != nil {
		return nil, platform.Internalf("parse import: %w", err)
	}
	p := &Preview{Filename: in.Filename, UnitID: home.ID, UnitName: home.Name, Year: in.Year, Month: in.Month}
	if p.Month == 0 {
		p.Month = sheet.Month
	}
	p.Problems = append(p.Problems, sheet.Problems...)
	if p.Month < 1 || p.Month > 12 {
		p.Problems = append(p.Problems, Problem{Key: "target.err.import_no_month"})
	}
	today := clock.Today(s.now())
	inds, err := s.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	indByName := map[string]Indicator{}
	for _, ind := range inds {
		indByName[compactName(ind.Name)] = ind
	}
	// Org units in the home unit's subtree, by name, for a unit column.
	unitByName := map[string][]unitInfo{}
	for _, x := range units {
		if strings.HasPrefix(x.Path, home.Path) {
			unitByName[compactName(x.Name)] = append(unitByName[compactName(x.Name)], x)
		}
	}
	rows, err := s.loadRows(ctx, u, in.Year)
	if err != nil {
		return nil, err
	}
	type key struct{ ind, unit int64 }
	targets := map[key]Row{}
	for _, r := range rows {
		if r.PersonID == nil {
			targets[key{r.IndicatorID, r.UnitID}] = r
		}
	}
	col := func(role string) string { return sheet.Columns[role] }
	for _, sr := range sheet.Rows {
		ir := ImportRow{SheetRow: sr, UnitName: home.Name, Value: sr.Value, LastYear: sr.LastYear}
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
		ind, ok := indByName[compactName(sr.Indicator)]
		if !ok {
			bad(RoleIndicator, keyUnknownIndicator, sr.Indicator)
		} else {
			ir.IndicatorID = ind.ID
			if t, ok := targets[key{ind.ID, unitID}]; ok {
				ir.TargetID = t.ID
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
					ir.Value, ir.LastYear, ir.Converted = conv(sr.Value), conv(sr.LastYear), true
				} else {
					bad(RoleMeasure, keyMeasureMismatch, sr.MeasureUnit, ind.MeasureUnit)
				}
			}
			if ir.Value == nil && !hasProblem(sheet.Problems, sr.Row) {
				bad(RoleValue, "target.err.import_no_value")
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
		if p.Month >= 1 && p.Month <= 12 && (in.Year > today.Year() || (in.Year == today.Year() && p.Month > int(today.Month()))) {
			bad(RoleValue, keyFutureMonth, p.Month)
		}
		p.Problems = append(p.Problems, ir.Problems...)
		p.Rows = append(p.Rows, ir)
	}
	if len(sheet.Rows) == 0 && len(sheet.Problems) == 0 {
		p.Problems = append(p.Problems, Problem{Key: "target.err.import_empty"})
	}
	sortProblems(p.Problems)
	return p, nil
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
