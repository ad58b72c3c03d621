package targets

import (
	"context"
	"database/sql"
	"slices"
	"strings"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// Alias is another name of an indicator (别名), as a sheet writes it: shared
// (TownshipID nil), kept by district administrators, or a township's own.
// An import matches a row's name by the township's own alias first, then the
// exact name, then a shared alias (see matcher).
type Alias struct {
	IndicatorID int64  `json:"indicator_id"`
	TownshipID  *int64 `json:"township_id"`
	Alias       string `json:"alias"`
}

// MaxAliases bounds the aliases one indicator has in one township (or in
// the shared catalogue).
const MaxAliases = 20

// ParseAliases splits the 别名 field: aliases separated by 、，, ; or new
// lines, each compacted (half-width, no spaces) as names are compared, in
// order, without repeats.
func ParseAliases(text string) []string {
	parts := strings.FieldsFunc(foldWidth(text), func(r rune) bool {
		return strings.ContainsRune("、,;\n\r", r)
	})
	var out []string
	for _, p := range parts {
		if a := compactName(p); a != "" && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}

// aliasRows reads every alias through q.
func aliasRows(ctx context.Context, q db.Queryer) ([]Alias, error) {
	rows, err := q.QueryContext(ctx, `SELECT indicator_id, township_id, alias FROM indicator_aliases ORDER BY id`)
	if err != nil {
		return nil, platform.Internalf("aliases: %w", err)
	}
	defer rows.Close()
	var out []Alias
	for rows.Next() {
		var a Alias
		var tw sql.NullInt64
		if err := rows.Scan(&a.IndicatorID, &tw, &a.Alias); err != nil {
			return nil, platform.Internalf("aliases scan: %w", err)
		}
		if tw.Valid {
			a.TownshipID = &tw.Int64
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("aliases: %w", err)
	}
	return out, nil
}

// Aliases returns the aliases the caller sees, by indicator: the shared
// ones and those of the townships the caller sees, of indicators the
// caller sees.
func (s *Store) Aliases(ctx context.Context) (map[int64][]Alias, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	byID, _, err := s.indicators(ctx)
	if err != nil {
		return nil, err
	}
	all, err := aliasRows(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	out := map[int64][]Alias{}
	for _, a := range all {
		in, ok := byID[a.IndicatorID]
		if !ok || !visible(sc, in) || (a.TownshipID != nil && !visible(sc, Indicator{TownshipID: a.TownshipID})) {
			continue
		}
		out[a.IndicatorID] = append(out[a.IndicatorID], a)
	}
	return out, nil
}

// aliasLayer is the township whose aliases of in the caller keeps (nil: the
// shared ones): a township's own indicator has only its township's; a
// shared one has the shared aliases for the district's administrators and
// the caller's township's own for a township's statisticians.
func aliasLayer(sc *org.Scope, in Indicator) (*int64, error) {
	if in.TownshipID != nil {
		return in.TownshipID, nil
	}
	if aboveTownships(sc) {
		if sc.User.Role != auth.Admin {
			return nil, platform.Errorf(platform.Forbidden, "target.err.shared_catalogue")
		}
		return nil, nil
	}
	tw, ok := sc.TownshipOf(sc.User.UnitID)
	if !ok {
		return nil, platform.FieldError("aliases", "target.err.no_unit")
	}
	return &tw.ID, nil
}

// AliasLayer reports whose aliases of the indicator the caller keeps: nil
// for the shared ones, else the township's. It answers like SetAliases
// would refuse.
func (s *Store) AliasLayer(ctx context.Context, indicatorID int64) (*int64, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	in, err := s.Indicator(ctx, indicatorID)
	if err != nil {
		return nil, err
	}
	return aliasLayer(sc, in)
}

// SetAliases replaces the aliases of an indicator that the caller keeps (see
// aliasLayer) with aliases, audited. An alias equal to the indicator's own
// name is dropped; one that names another indicator in the same layer (its
// name, or its alias there) is a Conflict naming both. Those who manage
// targets may set them.
func (s *Store) SetAliases(ctx context.Context, indicatorID int64, aliases []string) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	in, err := s.Indicator(ctx, indicatorID)
	if err != nil {
		return err
	}
	layer, err := aliasLayer(sc, in)
	if platform.ErrorCode(err) == platform.Forbidden {
		return s.forbidden(ctx, sc, "indicator", in.ID, sc.User.UnitID, err)
	}
	if err != nil {
		return err
	}
	owner := int64(0)
	if layer != nil {
		owner = *layer
	}
	// The role first: a reporter's village does not hold the township, and
	// is refused for the role, not told the township is out of sight.
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return s.forbidden(ctx, sc, "indicator", in.ID, owner, err)
	}
	if layer != nil {
		if err := sc.Check(ctx, "indicator", in.ID, owner); err != nil {
			return err
		}
	}
	var want []string
	for _, a := range aliases {
		a = compactName(a)
		switch {
		case a == "" || a == compactName(in.Name) || slices.Contains(want, a):
			continue
		case len([]rune(a)) > MaxName:
			return platform.FieldError("aliases", "form.err.too_long", MaxName)
		}
		want = append(want, a)
	}
	if len(want) > MaxAliases {
		return platform.FieldError("aliases", "target.err.too_many_aliases", MaxAliases)
	}
	now := s.now().UTC()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		all, err := indicatorsByID(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := aliasRows(ctx, tx)
		if err != nil {
			return err
		}
		var before []string
		for _, a := range rows {
			if a.IndicatorID == in.ID && sameLayer(a.TownshipID, owner) {
				before = append(before, a.Alias)
			}
		}
		for _, a := range want {
			if other, ok := namedInLayer(a, owner, in.ID, all, rows); ok {
				return &platform.Error{Code: platform.Conflict, Key: "target.err.alias_clash", Args: []any{a, other}, Field: "aliases"}
			}
		}
		if slices.Equal(before, want) {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM indicator_aliases WHERE indicator_id = $1 AND COALESCE(township_id, 0) = $2`, in.ID, owner); err != nil {
			return platform.Internalf("aliases: %w", err)
		}
		for _, a := range want {
			_, err := tx.ExecContext(ctx, `INSERT INTO indicator_aliases (indicator_id, township_id, alias, created_at) VALUES ($1, $2, $3, $4)`, in.ID, layer, a, now)
			if db.IsUniqueViolation(err) {
				return &platform.Error{Code: platform.Conflict, Key: "target.err.alias_taken", Args: []any{a}, Field: "aliases"}
			}
			if err != nil {
				return platform.Internalf("aliases: %w", err)
			}
		}
		// Bump the catalogue's version: an alias changes what an import matches.
		if _, err := tx.ExecContext(ctx, `UPDATE target_versions SET version = version + 1 WHERE township_id = 0`); err != nil {
			return platform.Internalf("aliases: %w", err)
		}
		e := audit.Entry{Action: audit.Update, Entity: "indicator_aliases", EntityID: audit.ID(in.ID),
			Before: map[string]any{"township_id": layer, "aliases": before}, After: map[string]any{"township_id": layer, "aliases": want}, At: now}
		if u, ok := sc.Tree.Unit(owner); ok {
			e.UnitID, e.UnitPath = u.ID, u.Path
		} else if u, ok := sc.Tree.Unit(sc.User.UnitID); ok {
			e.UnitID, e.UnitPath = u.ID, u.Path
		}
		return audit.Record(ctx, tx, e)
	})
}

func sameLayer(tw *int64, owner int64) bool {
	if tw == nil {
		return owner == 0
	}
	return *tw == owner
}

// namedInLayer reports the indicator other than self that compact name a
// already names in the layer owner (0: the shared catalogue): by its name
// or by an alias there. Across layers a name is not ambiguous, as the
// import's order settles it: a township's own alias, the name, a shared
// alias.
func namedInLayer(a string, owner, self int64, all map[int64]Indicator, aliases []Alias) (string, bool) {
	for _, in := range all {
		if in.ID != self && sameLayer(in.TownshipID, owner) && compactName(in.Name) == a {
			return in.Name, true
		}
	}
	for _, al := range aliases {
		if al.IndicatorID != self && sameLayer(al.TownshipID, owner) && al.Alias == a {
			return all[al.IndicatorID].Name, true
		}
	}
	return "", false
}

// nameClashesAlias refuses an indicator's name that an alias of another
// indicator in the same layer already carries.
func nameClashesAlias(ctx context.Context, tx *sql.Tx, in Indicator, all map[int64]Indicator) error {
	owner := int64(0)
	if in.TownshipID != nil {
		owner = *in.TownshipID
	}
	var other int64
	err := tx.QueryRowContext(ctx, `SELECT indicator_id FROM indicator_aliases WHERE alias = $1 AND COALESCE(township_id, 0) = $2 AND indicator_id <> $3`,
		compactName(in.Name), owner, in.ID).Scan(&other)
	switch {
	case err == nil:
		return &platform.Error{Code: platform.Conflict, Key: "target.err.name_is_alias", Args: []any{in.Name, all[other].Name}, Field: "name"}
	case err == sql.ErrNoRows:
		return nil
	default:
		return platform.Internalf("indicator name: %w", err)
	}
}

// matcher finds a sheet row's indicator by name, for a township: its own
// alias, then the exact name, then a shared alias, all compared compact.
type matcher struct {
	names  map[string][]Indicator
	own    map[int64]map[string]int64
	shared map[string]int64
	byID   map[int64]Indicator
}

func newMatcher(inds []Indicator, aliases map[int64][]Alias) *matcher {
	m := &matcher{names: map[string][]Indicator{}, own: map[int64]map[string]int64{}, shared: map[string]int64{}, byID: map[int64]Indicator{}}
	for _, in := range inds {
		m.byID[in.ID] = in
		c := compactName(in.Name)
		m.names[c] = append(m.names[c], in)
	}
	for _, as := range aliases {
		for _, a := range as {
			if a.TownshipID == nil {
				m.shared[a.Alias] = a.IndicatorID
				continue
			}
			if m.own[*a.TownshipID] == nil {
				m.own[*a.TownshipID] = map[string]int64{}
			}
			m.own[*a.TownshipID][a.Alias] = a.IndicatorID
		}
	}
	return m
}

// match returns the indicator name means in township, and the alias it was
// found by ("" for the name itself).
func (m *matcher) match(township int64, name string) (Indicator, string, bool) {
	c := compactName(name)
	if id, ok := m.own[township][c]; ok {
		if in, ok := m.byID[id]; ok {
			return in, name, true
		}
	}
	if found := m.names[c]; len(found) > 0 {
		// One name per township's view; the caller above several townships
		// may see their own indicators of one name, and takes the row's
		// township's, else the shared one, else the only one.
		var only *Indicator
		for i, in := range found {
			if in.TownshipID == nil || *in.TownshipID == township {
				return in, "", true
			}
			only = &found[i]
		}
		if len(found) == 1 {
			return *only, "", true
		}
	}
	if id, ok := m.shared[c]; ok {
		if in, ok := m.byID[id]; ok {
			return in, name, true
		}
	}
	return Indicator{}, "", false
}
