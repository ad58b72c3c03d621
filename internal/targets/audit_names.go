package targets

import (
	"context"
	"database/sql"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// auditNames names the room's objects on the audit page: an indicator by its
// name, a target as its indicator, unit (and person) and year, a figure as
// its target and period. Like the org room's, they read without the reader's
// scope, since the entries are scoped already.
func (s *Store) auditNames() audit.Namers {
	return audit.Namers{
		"indicator": audit.ByQuery(s.DB, `SELECT id, name FROM indicators`, "id"),
		// An indicator's aliases are named as the indicator.
		"indicator_aliases": audit.ByQuery(s.DB, `SELECT id, name FROM indicators`, "id"),
		"target":            s.targetNames,
		"figure":            s.figureNames,
		// The settings are a township's: named as the township.
		"target_settings": func(ctx context.Context, _ i18n.Lang, ids []string) (map[string]string, error) {
			names, err := s.org().UnitNames(ctx, audit.IDs(ids))
			out := map[string]string{}
			for id, n := range names {
				out[audit.ID(id)] = n
			}
			return out, err
		},
	}
}

func (s *Store) targetNames(ctx context.Context, _ i18n.Lang, ids []string) (map[string]string, error) {
	names, err := s.namesOfTargets(ctx, audit.IDs(ids))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for id, n := range names {
		out[audit.ID(id)] = n.owner + " · " + strconv.Itoa(n.year)
	}
	return out, nil
}

// targetName is a target's indicator and owner ("入库税收 · 东湖村") and year.
type targetName struct {
	owner string
	year  int
}

// namesOfTargets reads the targets with ids and their indicators in one
// query, then their units' and people's names from the org room.
func (s *Store) namesOfTargets(ctx context.Context, ids []int64) (map[int64]targetName, error) {
	out := map[int64]targetName{}
	if len(ids) == 0 {
		return out, nil
	}
	var w db.Where
	w.In("t.id", ids)
	rows, err := s.DB.QueryContext(ctx, `SELECT t.id, i.name, t.unit_id, t.person_id, t.year
		FROM targets t JOIN indicators i ON i.id = t.indicator_id`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("target names: %w", err)
	}
	type named struct {
		id, unitID int64
		indicator  string
		personID   sql.NullInt64
		year       int
	}
	var ts []named
	var unitIDs, personIDs []int64
	for rows.Next() {
		var t named
		if err := rows.Scan(&t.id, &t.indicator, &t.unitID, &t.personID, &t.year); err != nil {
			rows.Close()
			return nil, platform.Internalf("target names: %w", err)
		}
		ts = append(ts, t)
		unitIDs = append(unitIDs, t.unitID)
		if t.personID.Valid {
			personIDs = append(personIDs, t.personID.Int64)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("target names: %w", err)
	}
	units, err := s.org().UnitNames(ctx, unitIDs)
	if err != nil {
		return nil, err
	}
	people, err := s.org().PersonNames(ctx, personIDs)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		name := t.indicator + " · " + units[t.unitID]
		if t.personID.Valid {
			name += " · " + people[t.personID.Int64]
		}
		out[t.id] = targetName{owner: name, year: t.year}
	}
	return out, nil
}

// figureNames names a figure as its target and its period: "入库税收 · 东湖村
// · 2026年1-10月".
func (s *Store) figureNames(ctx context.Context, lang i18n.Lang, ids []string) (map[string]string, error) {
	var w db.Where
	w.In("f.id", audit.IDs(ids))
	rows, err := s.DB.QueryContext(ctx, `SELECT f.id, f.target_id, f.period FROM figures f`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("figure names: %w", err)
	}
	type named struct {
		id, target int64
		period     string
	}
	var fs []named
	var targetIDs []int64
	for rows.Next() {
		var f named
		if err := rows.Scan(&f.id, &f.target, &f.period); err != nil {
			rows.Close()
			return nil, platform.Internalf("figure names: %w", err)
		}
		fs = append(fs, f)
		targetIDs = append(targetIDs, f.target)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("figure names: %w", err)
	}
	targets, err := s.namesOfTargets(ctx, targetIDs)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, f := range fs {
		t, ok := targets[f.target]
		if !ok {
			continue
		}
		out[audit.ID(f.id)] = t.owner + " · " + PeriodText(lang, f.period)
	}
	return out, nil
}

// PeriodText renders a period YYYY-MM as its cumulative span in lang
// (2026年1-10月, January–October 2026), or as it is when it is not one.
func PeriodText(lang i18n.Lang, period string) string {
	m := periodMonth(period)
	y, err := strconv.Atoi(period[:min(4, len(period))])
	if m == 0 || err != nil {
		return period
	}
	return i18n.Span{Year: y, Month: m}.Text(lang)
}
