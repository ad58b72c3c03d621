package project

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
	"guatu/internal/platform/xlsx"
)

// A township's register of major projects comes as a sheet: one project a
// row, units, villages, leaders and people by name. The import reads it,
// names every problem by row and column, shows what it will register, and
// writes every project in one transaction or none. Stages are recorded on
// each project's page, where their order and reasons are checked.

// Bounds of a register import.
const (
	MaxImportBytes = 5 << 20
	MaxImportRows  = 500
	importKept     = 24 * time.Hour
)

var importLimits = xlsx.Limits{Entries: 200, Unpacked: 32 << 20, Part: 8 << 20, Rows: MaxImportRows + 50, Strings: 100_000}

// importColumns are the sheet's columns: the heading townships write (the
// sheet's own words, so kept here as its format, not as the reader's
// language), the other headings they are known by, and the Input field
// each fills (the field also names a problem's column).
var importColumns = []struct {
	header string
	alias  []string
	field  string
}{
	{"项目名称", nil, "name"},
	{"项目类别", []string{"类别", "建设内容/类别"}, "kind"},
	{"所属行业", []string{"行业"}, "industry"},
	{"投资方", []string{"投资主体", "建设单位"}, "investor"},
	{"投资方联系人", nil, "investor_contact"},
	{"联系电话", []string{"投资方电话"}, "investor_phone"},
	{"所在村（社区）", []string{"所在村", "所在村社区", "项目地点"}, "village_id"},
	{"所在园区", []string{"园区"}, "park"},
	{"总投资（万元）", []string{"总投资"}, "total_investment"},
	{"年度计划投资（万元）", []string{"年度计划投资", "年计划投资"}, "year_planned_investment"},
	{"重点级别", []string{"项目级别", "级别"}, "level"},
	{"责任领导", []string{"挂包领导", "包挂领导"}, "owner_leader_id"},
	{"责任单位", nil, "unit_id"},
	{"联系人", []string{"项目联系人"}, "contact_person_id"},
	{"班子成员", []string{"其他成员", "专班成员"}, "member_ids"},
	{"备注", nil, "notes"},
}

// requiredColumns must be in every sheet, by field.
var requiredColumns = []string{"name", "kind", "total_investment", "year_planned_investment", "level", "owner_leader_id", "unit_id"}

var kindNames = map[string]Kind{"工业": Industrial, "工业项目": Industrial, "基础设施": Infrastructure, "基础设施项目": Infrastructure,
	"服务业": Services, "服务业项目": Services, "民生": Livelihood, "民生项目": Livelihood, "社会民生": Livelihood, "其他": OtherKind}

var levelNames = map[string]Level{"区级": District, "区级重点": District, "市级": City, "市级重点": City, "省级": Province, "省级重点": Province}

// ImportProblem is one thing wrong with the sheet: Row 0 for the sheet as a
// whole; Column the heading it concerns ("" when none).
type ImportProblem struct {
	Row    int
	Column string
	Key    string
	Args   []any
}

// ImportRow is one project as the preview shows it.
type ImportRow struct {
	Row    int
	Name   string
	Kind   Kind
	Level  Level
	Total  float64
	Leader string
	Unit   string
}

// ImportPreview is what an upload would register, or why it cannot.
type ImportPreview struct {
	Token    string
	Name     string
	Rows     []ImportRow
	Problems []ImportProblem
	Created  int // after a commit
}

// Clean reports whether the sheet can be committed.
func (p *ImportPreview) Clean() bool { return len(p.Problems) == 0 && len(p.Rows) > 0 }

// StartImport keeps an uploaded sheet for its preview and commit and
// returns its token: the office and leaders only.
func (s *Store) StartImport(ctx context.Context, name string, data []byte) (string, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return "", err
	}
	if !Editor(sc.User) {
		return "", platform.ErrForbidden
	}
	if len(data) > MaxImportBytes {
		return "", platform.FieldError("file", "project.import.error.large", MaxImportBytes>>20)
	}
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return "", platform.Internalf("import token: %w", err)
	}
	token := hex.EncodeToString(raw)
	if _, err := s.DB.ExecContext(ctx, `INSERT INTO project_imports (token, user_id, filename, data, created_at) VALUES ($1, $2, $3, $4, $5)`,
		token, sc.User.ID, name, data, s.now().UTC()); err != nil {
		return "", platform.Internalf("keep import: %w", err)
	}
	return token, nil
}

// Import checks a kept sheet against the register as it is now. NotFound
// for a token of someone else, committed or a day old.
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
	if !Editor(sc.User) {
		return nil, "", platform.ErrForbidden
	}
	var data []byte
	var name string
	err := s.DB.QueryRowContext(ctx, `SELECT data, filename FROM project_imports WHERE token = $1 AND user_id = $2 AND created_at > $3`,
		token, sc.User.ID, s.now().Add(-importKept).UTC()).Scan(&data, &name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, "", platform.ErrNotFound
	}
	if err != nil {
		return nil, "", platform.Internalf("kept import: %w", err)
	}
	return data, name, nil
}

// CommitImport registers every project of a kept sheet in one transaction,
// or nothing when the sheet, checked again now, has a problem.
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
	ps := make([]Project, len(inputs))
	for i := range inputs {
		if ps[i], err = s.prepare(ctx, sc, &inputs[i]); err != nil {
			return nil, err // checked above: only a change meanwhile
		}
	}
	now := s.now()
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for i := range ps {
			if err := s.insert(ctx, tx, sc, &ps[i], now); err != nil {
				return err // a name taken meanwhile: nothing is written
			}
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM project_imports WHERE token = $1`, token); err != nil {
			return platform.Internalf("drop import: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Import, Entity: "project_import", EntityID: token,
			After: map[string]any{"file": name, "projects": len(ps)}, At: now})
	})
	if err != nil {
		return nil, err
	}
	p.Created = len(ps)
	return p, nil
}

// DropStaleImports deletes sheets left uncommitted for a day.
func (s *Store) DropStaleImports(ctx context.Context) (int64, error) {
	res, err := s.DB.ExecContext(ctx, `DELETE FROM project_imports WHERE created_at < $1`, s.now().Add(-importKept).UTC())
	if err != nil {
		return 0, platform.Internalf("drop project imports: %w", err)
	}
	return res.RowsAffected()
}

// normalHeader is a heading as compared: without spaces or a required
// mark, and with half-width brackets as full-width ones (总投资(万元)).
func normalHeader(h string) string {
	return strings.NewReplacer(" ", "", "\u3000", "", "*", "", "(", "（", ")", "）").Replace(strings.TrimSpace(h))
}

// checkImport reads the sheet and checks each row as the form would be
// checked, resolving units, leaders and people by name in the caller's
// townships (each row's township is its responsible unit's).
func (s *Store) checkImport(ctx context.Context, sc *org.Scope, data []byte) (*ImportPreview, []Input) {
	p := &ImportPreview{}
	sheet := func(key string, args ...any) (*ImportPreview, []Input) {
		p.Problems = append(p.Problems, ImportProblem{Key: key, Args: args})
		return p, nil
	}
	if _, err := xlsx.Check(bytes.NewReader(data), int64(len(data)), importLimits); err != nil {
		if errors.Is(err, xlsx.ErrLegacy) {
			return sheet("project.import.error.legacy")
		}
		return sheet("project.import.error.not_xlsx")
	}
	rows, err := readRows(data)
	if err != nil {
		return sheet("project.import.error.not_xlsx")
	}
	known := map[string]string{}  // normalised heading → field
	header := map[string]string{} // field → the heading as the template writes it
	for _, c := range importColumns {
		header[c.field] = c.header
		known[normalHeader(c.header)] = c.field
		for _, a := range c.alias {
			known[normalHeader(a)] = c.field
		}
	}
	head, cols, shown := -1, map[string]int{}, map[string]string{}
	for i, r := range rows {
		if i > 10 {
			break
		}
		for _, c := range r {
			if known[normalHeader(c)] == "name" {
				head = i
			}
		}
		if head == i {
			for j, c := range r {
				if f, ok := known[normalHeader(c)]; ok {
					if _, dup := cols[f]; !dup {
						cols[f], shown[f] = j, strings.TrimSpace(c)
					}
				}
			}
			break
		}
	}
	if head < 0 {
		return sheet("project.import.error.no_header")
	}
	for _, f := range requiredColumns {
		if _, ok := cols[f]; !ok {
			p.Problems = append(p.Problems, ImportProblem{Column: header[f], Key: "project.import.error.no_column", Args: []any{header[f]}})
		}
	}
	if len(p.Problems) > 0 {
		return p, nil
	}
	column := func(field string) string { return shown[field] }
	townships := sc.Townships()
	byName := func(township int64, name string) (org.Unit, bool) {
		var found org.Unit
		for _, u := range sc.Tree.Units() {
			if u.Name == name && sc.Tree.TownshipOf(u.ID) == township && sc.Has(u.ID) {
				if found.ID != 0 {
					return org.Unit{}, false // two of that name: ambiguous
				}
				found = u
			}
		}
		return found, found.ID != 0
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
	people := map[int64][]org.Person{}
	person := func(township int64, name string) (int64, bool) {
		if _, ok := people[township]; !ok {
			ps, err := sc.People(ctx, township)
			if err != nil {
				return 0, false
			}
			people[township] = ps
		}
		var found int64
		for _, pp := range people[township] {
			if pp.Name == name {
				if found != 0 {
					return 0, false
				}
				found = pp.ID
			}
		}
		return found, found != 0
	}
	var inputs []Input
	seen := map[string]int{}
	for i := head + 1; i < len(rows); i++ {
		r, row := rows[i], i+1
		if strings.TrimSpace(strings.Join(r, "")) == "" {
			continue
		}
		if len(inputs) >= MaxImportRows {
			return sheet("project.import.error.rows", MaxImportRows)
		}
		cell := func(field string) string {
			if j, ok := cols[field]; ok && j < len(r) {
				return strings.TrimSpace(r[j])
			}
			return ""
		}
		bad := func(field, key string, args ...any) {
			p.Problems = append(p.Problems, ImportProblem{Row: row, Column: column(field), Key: key, Args: args})
		}
		required := func(field string) string {
			v := cell(field)
			if v == "" {
				bad(field, "project.import.error.required")
			}
			return v
		}
		in := Input{Name: required("name"), Industry: cell("industry"), Investor: cell("investor"), InvestorContact: cell("investor_contact"),
			InvestorPhone: cell("investor_phone"), Park: cell("park"), Notes: cell("notes")}
		if v := required("kind"); v != "" {
			if in.Kind = kindNames[v]; in.Kind == "" {
				bad("kind", "project.import.error.kind", v)
				in.Kind = OtherKind
			}
		}
		if v := required("level"); v != "" {
			if in.Level = levelNames[v]; in.Level == "" {
				bad("level", "project.import.error.level", v)
				in.Level = District
			}
		}
		for _, f := range []struct {
			field string
			to    *float64
		}{{"total_investment", &in.Total}, {"year_planned_investment", &in.YearPlanned}} {
			v := required(f.field)
			if v == "" {
				continue
			}
			n, err := strconv.ParseFloat(strings.ReplaceAll(v, ",", ""), 64)
			if err != nil {
				bad(f.field, "project.import.error.number", v)
				continue
			}
			*f.to = n
		}
		var town int64
		if v := required("unit_id"); v != "" {
			// A district's office names units of every township: a name
			// found in two (党政办) says nothing about which is meant.
			found := 0
			for _, tw := range townships {
				if u, ok := byName(tw.ID, v); ok {
					in.UnitID, town = u.ID, tw.ID
					found++
				}
			}
			switch {
			case found == 0:
				bad("unit_id", "project.import.error.unit", v)
			case found > 1:
				bad("unit_id", "project.import.error.ambiguous", v)
				in.UnitID, town = 0, 0
			}
		}
		if v := cell("village_id"); v != "" && town != 0 {
			if u, ok := byName(town, v); ok {
				id := u.ID
				in.VillageID = &id
			} else {
				bad("village_id", "project.import.error.unit", v)
			}
		}
		if v := required("owner_leader_id"); v != "" && town != 0 {
			if id, ok := leader(town, v); ok {
				in.LeaderID = id
			} else {
				bad("owner_leader_id", "project.import.error.leader", v)
			}
		}
		if v := cell("contact_person_id"); v != "" && town != 0 {
			if id, ok := person(town, v); ok {
				in.ContactID = &id
			} else {
				bad("contact_person_id", "project.import.error.person", v)
			}
		}
		if v := cell("member_ids"); v != "" && town != 0 {
			for _, n := range splitNames(v) {
				if id, ok := person(town, n); ok {
					in.MemberIDs = append(in.MemberIDs, id)
				} else {
					bad("member_ids", "project.import.error.person", n)
				}
			}
		}
		if first, ok := seen[in.Name]; ok && in.Name != "" {
			bad("name", "project.import.error.twice", first)
		}
		seen[in.Name] = row
		if in.UnitID != 0 && in.LeaderID != 0 {
			probe := in
			if _, err := s.prepare(ctx, sc, &probe); err != nil {
				var es platform.Errors
				if !errors.As(err, &es) {
					es = platform.Errors{platform.AsError(err)}
				}
				for _, e := range es {
					if f := e.Field; f != "" {
						bad(f, e.Key, e.Args...)
					} else {
						p.Problems = append(p.Problems, ImportProblem{Row: row, Key: e.Key, Args: e.Args})
					}
				}
			} else {
				var taken int
				if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM projects WHERE township_id = $1 AND name = $2`, town, probe.Name).Scan(&taken); err == nil && taken > 0 {
					bad("name", "project.error.name_taken")
				}
			}
		}
		inputs = append(inputs, in)
		p.Rows = append(p.Rows, ImportRow{Row: row, Name: in.Name, Kind: in.Kind, Level: in.Level, Total: in.Total, Leader: cell("owner_leader_id"), Unit: cell("unit_id")})
	}
	if len(p.Rows) == 0 && len(p.Problems) == 0 {
		return sheet("project.import.error.empty")
	}
	return p, inputs
}

// readRows reads the first worksheet's rows as text, formatted as shown.
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

// splitNames splits a cell of names on the separators offices use.
func splitNames(v string) []string {
	return strings.FieldsFunc(v, func(r rune) bool { return strings.ContainsRune("、，,；; \n", r) })
}

// importHeaders are the template's headings.
func importHeaders() []string {
	out := make([]string, len(importColumns))
	for i, c := range importColumns {
		out[i] = c.header
	}
	return out
}
