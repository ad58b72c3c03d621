package work

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/xlsx"
)

// A meeting's assignments come to the office as a sheet: one task a row,
// units and leaders by name. The import reads the sheet, names every
// problem by its row and column, shows what it will assign, and writes all
// the tasks in one transaction or none. Every imported task starts 交办: a
// status column is refused, since claiming and reporting are the units'
// own steps.

// Bounds of a task import.
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 500
	// importKept is how long an uploaded sheet waits for its commit.
	importKept = 24 * time.Hour
)

var importLimits = xlsx.Limits{Entries: 200, Unpacked: 32 << 20, Part: 8 << 20, Rows: MaxImportRows + 50, Strings: 100_000}

// importColumns are the sheet's columns by header, and the Input field
// each fills (the field also names a problem's column).
var importColumns = []struct{ header, field string }{
	{"事项名称", "title"},
	{"工作要求", "requirement"},
	{"事项来源", "source"},
	{"类别", "category"},
	{"牵头单位", "lead_unit_id"},
	{"协办单位", "co_unit_ids"},
	{"分管领导", "leader_id"},
	{"交办日期", "assigned_on"},
	{"办结时限", "deadline"},
	{"签收时限", "claim_by"},
	{"报送频次", "rhythm"},
	{"督办级别", "level"},
	{"挂牌领导", "listing_leader_id"},
}

// requiredColumns must be in every sheet.
var requiredColumns = []string{"事项名称", "牵头单位", "分管领导", "办结时限"}

// refusedColumns would carry a state the units have not reached.
var refusedColumns = []string{"状态", "办理状态", "进度", "完成进度"}

// ImportProblem is one thing wrong with the sheet: Row 0 for the sheet as a
// whole; Column the header it concerns ("" when none).
type ImportProblem struct {
	Row    int
	Column string
	Key    string // the message, in the reader's language on the page
	Args   []any
}

// ImportRow is one task as the preview shows it.
type ImportRow struct {
	Row      int
	Title    string
	LeadUnit string
	Leader   string
	Deadline string
	Level    Level
	Source   Source
}

// ImportPreview is what an upload would assign, or why it cannot.
type ImportPreview struct {
	Token    string
	Name     string
	Rows     []ImportRow
	Problems []ImportProblem
	Created  int // after a commit
}

// Clean reports whether the sheet can be committed.
func (p *ImportPreview) Clean() bool { return len(p.Problems) == 0 && len(p.Rows) > 0 }

// StartImport keeps an uploaded sheet for its preview and commit, and
// returns its token: the office only. What is wrong with the sheet is the
// preview's to say (Import).
func (s *Store) StartImport(ctx context.Context, name string, data []byte) (string, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return "", err
	}
	if !Office(sc.User) {
		return "", platform.ErrForbidden
	}
	if len(data) > MaxImportBytes {
		return "", platform.FieldError("file", "task.import.error.large", MaxImportBytes>>20)
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", platform.Internalf("import token: %w", err)
	}
	token := hex.EncodeToString(raw)
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO task_imports (token, user_id, filename, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		token, sc.User.ID, name, data, s.now().UTC()); err != nil {
		return "", platform.Internalf("keep import: %w", err)
	}
	return token, nil
}

// Import checks a kept sheet against the register as it is now: the rows
// it would assign and every problem by row and column. NotFound for a
// token of someone else, committed or a day old.
func (s *Store) Import(ctx context.Context, token string) (*ImportPreview, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	data, name, err := s.keptImport(ctx, sc, token)
	if err != nil {
		return nil, err
	}
	p, _ := s.checkImport(ctx, sc, data)
	p.Name, p.Token = name, token
	return p, nil
}

func (s *Store) keptImport(ctx context.Context, sc *org.Scope, token string) ([]byte, string, error) {
	if !Office(sc.User) {
		return nil, "", platform.ErrForbidden
	}
	var data []byte
	var name string
	err := s.DB.QueryRowContext(ctx, `SELECT data, filename FROM task_imports WHERE token = $1 AND user_id = $2 AND created_at > $3`,
		token, sc.User.ID, s.now().Add(-importKept).UTC()).Scan(&data, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", platform.ErrNotFound
	}
	if err != nil {
		return nil, "", platform.Internalf("kept import: %w", err)
	}
	return data, name, nil
}

// CommitImport assigns every task of a kept sheet in one transaction, as
// its uploader only, or nothing when the preview has a problem; the sheet is checked again against the register as it
// is now (a title taken meanwhile is a problem, and nothing is written).
func (s *Store) CommitImport(ctx context.Context, token string) (*ImportPreview, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	data, name, err := s.keptImport(ctx, sc, token)
	if err != nil {
		return nil, err
	}
	p, inputs := s.checkImport(ctx, sc, data)
	p.Name, p.Token = name, token
	if !p.Clean() {
		return p, nil
	}
	now := s.now()
	tasks := make([]Task, len(inputs))
	for i := range inputs {
		if tasks[i], err = s.prepare(ctx, sc, &inputs[i], now); err != nil {
			return nil, err // checked above: only a change meanwhile
		}
	}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for i := range tasks {
			if err := s.insert(ctx, tx, sc, &tasks[i], inputs[i], now); err != nil {
				return err // a title taken meanwhile: nothing is written
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM task_imports WHERE token = $1`, token); err != nil {
			return platform.Internalf("drop import: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Import, Entity: "task_import", EntityID: token,
			After: map[string]any{"file": name, "tasks": len(tasks)}, At: now})
	})
	if err != nil {
		return nil, err
	}
	p.Created = len(tasks)
	return p, nil
}

// DropStaleImports deletes sheets left uncommitted for a day.
func (s *Store) DropStaleImports(ctx context.Context) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM task_imports WHERE created_at < $1`, s.now().Add(-importKept).UTC())
	if err != nil {
		return 0, platform.Internalf("drop task imports: %w", err)
	}
	return res.RowsAffected()
}

// checkImport reads the sheet and checks each row as the office's form
// would be checked, resolving units and leaders by name in the township of
// the caller (an office above several townships names the township of each
// row's lead unit by its unit).
func (s *Store) checkImport(ctx context.Context, sc *org.Scope, data []byte) (*ImportPreview, []Input) {
	p := &ImportPreview{}
	sheet := func(key string, args ...any) (*ImportPreview, []Input) {
		p.Problems = append(p.Problems, ImportProblem{Key: key, Args: args})
		return p, nil
	}
	if _, err := xlsx.Check(bytes.NewReader(data), int64(len(data)), importLimits); err != nil {
		if errors.Is(err, xlsx.ErrLegacy) {
			return sheet("task.import.error.legacy")
		}
		return sheet("task.import.error.not_xlsx")
	}
	rows, err := readRows(data)
	if err != nil {
		return sheet("task.import.error.not_xlsx")
	}
	head, cols := -1, map[string]int{}
	for i, r := range rows {
		if i > 10 {
			break
		}
		for _, c := range r {
			if strings.TrimSpace(c) == "事项名称" {
				head = i
			}
		}
		if head == i {
			for j, c := range r {
				cols[strings.TrimSpace(c)] = j
			}
			break
		}
	}
	if head < 0 {
		return sheet("task.import.error.no_header")
	}
	for _, c := range requiredColumns {
		if _, ok := cols[c]; !ok {
			p.Problems = append(p.Problems, ImportProblem{Column: c, Key: "task.import.error.no_column", Args: []any{c}})
		}
	}
	for _, c := range refusedColumns {
		if _, ok := cols[c]; ok {
			p.Problems = append(p.Problems, ImportProblem{Column: c, Key: "task.import.error.status_column", Args: []any{c}})
		}
	}
	if len(p.Problems) > 0 {
		return p, nil
	}
	header := map[string]string{} // field → header, to name a problem's column
	for _, c := range importColumns {
		header[c.field] = c.header
	}
	townships := sc.Townships()
	byName := func(township int64, name string) (int64, bool) {
		var found int64
		for _, u := range sc.Tree.Units() {
			if u.Name == name && sc.Tree.TownshipOf(u.ID) == township && sc.Has(u.ID) {
				if found != 0 {
					return 0, false // two of that name: ambiguous
				}
				found = u.ID
			}
		}
		return found, found != 0
	}
	teams := map[int64][]org.TeamMember{}
	leader := func(township int64, name string) (int64, bool) {
		if _, ok := teams[township]; !ok {
			team, err := s.org().Team(ctx, township)
			if err != nil {
				return 0, false
			}
			teams[township] = team
		}
		for _, m := range teams[township] {
			if m.PersonName == name {
				return m.PersonID, true
			}
		}
		return 0, false
	}
	var inputs []Input
	titles := map[string]int{}
	now := s.now()
	for i := head + 1; i < len(rows); i++ {
		r, row := rows[i], i+1
		cell := func(h string) string {
			if j, ok := cols[h]; ok && j < len(r) {
				return strings.TrimSpace(r[j])
			}
			return ""
		}
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		if len(inputs) >= MaxImportRows {
			return sheet("task.import.error.rows", MaxImportRows)
		}
		bad := func(col, key string, args ...any) {
			p.Problems = append(p.Problems, ImportProblem{Row: row, Column: col, Key: key, Args: args})
		}
		in := Input{Title: cell("事项名称"), Requirement: cell("工作要求"), Category: cell("类别"),
			AssignedOn: cellDate(cell("交办日期")), Deadline: cellDate(cell("办结时限")), ClaimBy: cellDate(cell("签收时限"))}
		in.Source = FromMeeting
		if v := cell("事项来源"); v != "" {
			if in.Source = sourceNamed(v); in.Source == "" {
				bad("事项来源", "task.import.error.choice", v, "会议、攻坚行动、十件民生实事、上级交办")
				in.Source = FromMeeting
			}
		}
		if in.Source == FromInstruction {
			bad("事项来源", "task.import.error.instruction")
		}
		in.Level = Normal
		if v := cell("督办级别"); v != "" {
			if in.Level = levelNamed(v); in.Level == "" {
				bad("督办级别", "task.import.error.choice", v, "一般、重点、挂牌督办")
				in.Level = Normal
			}
		}
		if v := cell("报送频次"); v != "" {
			var ok bool
			if in.Rhythm, in.RhythmWeeks, ok = rhythmNamed(v); !ok {
				bad("报送频次", "task.import.error.choice", v, "办结时报送、每周、每月、每2周")
			}
		}
		var town int64
		if v := cell("牵头单位"); v == "" {
			bad("牵头单位", "task.import.error.required")
		} else {
			for _, tw := range townships {
				if id, ok := byName(tw.ID, v); ok {
					in.LeadUnitID, town = id, tw.ID
					break
				}
			}
			if in.LeadUnitID == 0 {
				bad("牵头单位", "task.import.error.unit", v)
			}
		}
		if v := cell("协办单位"); v != "" && town != 0 {
			for _, n := range splitNames(v) {
				if id, ok := byName(town, n); ok {
					in.CoUnitIDs = append(in.CoUnitIDs, id)
				} else {
					bad("协办单位", "task.import.error.unit", n)
				}
			}
		}
		if v := cell("分管领导"); v == "" {
			bad("分管领导", "task.import.error.required")
		} else if town != 0 {
			if id, ok := leader(town, v); ok {
				in.LeaderID = id
			} else {
				bad("分管领导", "task.import.error.leader", v)
			}
		}
		if v := cell("挂牌领导"); v != "" && town != 0 {
			if id, ok := leader(town, v); ok {
				in.ListingLeader = &id
			} else {
				bad("挂牌领导", "task.import.error.leader", v)
			}
		}
		if first, ok := titles[in.Title]; ok && in.Title != "" {
			bad("事项名称", "task.import.error.twice", first)
		}
		titles[in.Title] = row
		if in.LeadUnitID != 0 && in.LeaderID != 0 {
			probe := in
			if _, err := s.prepare(ctx, sc, &probe, now); err != nil {
				var es platform.Errors
				if !errors.As(err, &es) {
					es = platform.Errors{platform.AsError(err)}
				}
				for _, e := range es {
					bad(header[e.Field], e.Key, e.Args...)
				}
			} else {
				var taken int
				if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks WHERE township_id = $1 AND title = $2`, town, probe.Title).Scan(&taken); err == nil && taken > 0 {
					bad("事项名称", "task.error.title_taken")
				}
			}
		}
		inputs = append(inputs, in)
		ir := ImportRow{Row: row, Title: in.Title, LeadUnit: cell("牵头单位"), Leader: cell("分管领导"), Deadline: in.Deadline, Level: in.Level, Source: in.Source}
		p.Rows = append(p.Rows, ir)
	}
	if len(p.Rows) == 0 && len(p.Problems) == 0 {
		return sheet("task.import.error.empty")
	}
	return p, inputs
}

// readRows reads the first worksheet's rows as text, formatted as shown
// (a date cell as its date).
func readRows(data []byte) (rows [][]string, err error) {
	defer func() {
		if recover() != nil { // excelize is not hardened against every malformed file
			err = fmt.Errorf("unreadable workbook")
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: importLimits.Unpacked})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return f.GetRows(f.GetSheetName(0))
}

// cellDate reads a date as offices type it — 2026-12-20, 2026/12/20,
// 2026.12.20, 2026年12月20日, or Excel's 12-20-26 — as YYYY-MM-DD, and
// leaves anything else as typed for the form's check to refuse.
func cellDate(v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return ""
	}
	for _, layout := range []string{"2006-01-02", "2006/1/2", "2006.1.2", "2006年1月2日", "01-02-06", "1/2/06", "2006-1-2"} {
		if d, err := time.ParseInLocation(layout, v, clock.Beijing); err == nil {
			return d.Format(clock.DateFormat)
		}
	}
	return v
}

// splitNames splits a cell of names on the separators offices use.
func splitNames(v string) []string {
	f := func(r rune) bool { return strings.ContainsRune("、，,；; \n", r) }
	return strings.FieldsFunc(v, f)
}

func sourceNamed(v string) Source {
	switch v {
	case "会议", "会议交办", "会议部署":
		return FromMeeting
	case "领导批示":
		return FromInstruction
	case "攻坚行动", "百日攻坚":
		return FromCampaign
	case "十件民生实事", "民生实事":
		return FromLivelihood
	case "上级交办":
		return FromSuperior
	}
	return ""
}

func levelNamed(v string) Level {
	switch v {
	case "一般":
		return Normal
	case "重点":
		return Key
	case "挂牌督办", "挂牌":
		return Listed
	}
	return ""
}

func rhythmNamed(v string) (Rhythm, int, bool) {
	switch v {
	case "办结时报送", "一次性", "办结报送":
		return Once, 0, true
	case "每周", "每周报送", "一周一报":
		return Weekly, 0, true
	case "每月", "每月报送", "一月一报":
		return Monthly, 0, true
	}
	if n, ok := strings.CutPrefix(v, "每"); ok {
		n = strings.TrimSuffix(strings.TrimSuffix(n, "报送"), "周")
		if w, err := strconv.Atoi(n); err == nil && w >= MinRhythmWeeks && w <= MaxRhythmWeeks {
			return EveryNWeeks, w, true
		}
	}
	return "", 0, false
}
