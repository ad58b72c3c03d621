package org

import (
	"context"
	"database/sql"
	"errors"
	"html"
	"html/template"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// The read side every room uses: the org tree as one instance keeps it in
// memory, and the caller's view of it for one request. Rooms do not read the
// units table themselves.

// Tree is the whole org tree, in tree order (parents before children,
// siblings by sort then id), as of one org_version.
type Tree struct {
	Version  int64
	units    []Unit
	index    map[int64]int   // unit id → position in units, which is its tree rank
	township map[int64]int64 // unit id → its tenant: see TownshipOf
}

// Unit returns a unit of the tree by id, whatever the caller's scope.
func (t *Tree) Unit(id int64) (Unit, bool) {
	i, ok := t.index[id]
	if !ok {
		return Unit{}, false
	}
	return t.units[i], true
}

// Rank is the unit's position in tree order, for sorting other rooms' rows
// the way the tree reads; -1 for an unknown unit.
func (t *Tree) Rank(id int64) int {
	if i, ok := t.index[id]; ok {
		return i
	}
	return -1
}

// TownshipOf returns the id of the township a unit lies in (the unit itself
// when it is one). A unit above the townships (a district) is its own: every
// room's row carries this id as its township_id, the key its table can be
// distributed by. 0 for an unknown unit.
func (t *Tree) TownshipOf(id int64) int64 { return t.township[id] }

// Units returns every unit in tree order; the slice is shared, do not change it.
func (t *Tree) Units() []Unit { return t.units }

func newTree(version int64, units []Unit) *Tree {
	units = TreeOrder(units)
	t := &Tree{Version: version, units: units, index: make(map[int64]int, len(units)), township: make(map[int64]int64, len(units))}
	for i, u := range units {
		t.index[u.ID] = i
	}
	for _, u := range units {
		t.township[u.ID] = u.ID // above the townships, a unit is its own
		for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
			id, _ := strconv.ParseInt(seg, 10, 64)
			if j, ok := t.index[id]; ok && t.units[j].Kind == Township {
				t.township[u.ID] = id
				break
			}
		}
	}
	return t
}

// ReadTree reads the whole tree through q (a transaction sees its own
// changes): for a room that must act on the tree inside a write.
func ReadTree(ctx context.Context, q db.Queryer) (*Tree, error) {
	var version int64
	if err := q.QueryRowContext(ctx, `SELECT version FROM org_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, platform.Internalf("org version: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT id, parent_id, kind, name, path, sort, updated_at FROM units`)
	if err != nil {
		return nil, platform.Internalf("tree: %w", err)
	}
	defer rows.Close()
	var units []Unit
	for rows.Next() {
		var u Unit
		var parent sql.NullInt64
		var kind string
		if err := rows.Scan(&u.ID, &parent, &kind, &u.Name, &u.Path, &u.Sort, &u.UpdatedAt); err != nil {
			return nil, platform.Internalf("tree scan: %w", err)
		}
		if parent.Valid {
			p := parent.Int64
			u.ParentID = &p
		}
		u.Kind = Kind(kind)
		u.Depth = strings.Count(u.Path, "/") - 2
		units = append(units, u)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("tree: %w", err)
	}
	return newTree(version, units), nil
}

// VersionProbe is the tree's version as an SQL scalar, for the session
// lookup to read along (auth.Store.Probe): a read-only request then knows
// whether the kept tree is current without a query of its own.
const VersionProbe = `(SELECT version FROM org_version WHERE id = 1)`

// treeCache keeps the tree between requests; org_version says when to read
// it again, so every instance on one database sees a change at once.
type treeCache struct {
	mu   sync.Mutex
	tree *Tree
}

// Tree returns the current tree: the kept one while org_version has not
// moved (one small read), else a fresh reading.
func (s *Store) Tree(ctx context.Context) (*Tree, error) {
	var version int64
	if u := auth.FromContext(ctx); u != nil && u.Probe != nil {
		version = *u.Probe // read with the request's session (VersionProbe)
	} else if err := s.DB.QueryRowContext(ctx, `SELECT version FROM org_version WHERE id = 1`).Scan(&version); err != nil {
		return nil, platform.Internalf("org version: %w", err)
	}
	s.cache.mu.Lock()
	t := s.cache.tree
	s.cache.mu.Unlock()
	if t != nil && t.Version == version {
		return t, nil
	}
	t, err := ReadTree(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	s.cache.mu.Lock()
	if s.cache.tree == nil || s.cache.tree.Version < t.Version {
		s.cache.tree = t
	}
	s.cache.mu.Unlock()
	return t, nil
}

// Scope is the caller's view of the tree for one request: the units in
// their scope (their unit's subtree) and the few above it that name where
// they are. Get it with Store.Scope; it is read once per request.
type Scope struct {
	User *auth.User
	Tree *Tree
	s    *Store
	ids  map[int64]bool
}

type scopeKey struct{}

type scopeMemo struct {
	mu    sync.Mutex
	user  *auth.User
	scope *Scope
}

// WithScopeMemo prepares ctx to keep the caller's Scope for the rest of the
// request, so every room's reads share one reading of the tree.
func WithScopeMemo(ctx context.Context) context.Context {
	return context.WithValue(ctx, scopeKey{}, &scopeMemo{})
}

// Scope returns the caller's scope: ErrUnauthorized without a caller.
func (s *Store) Scope(ctx context.Context) (*Scope, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, err
	}
	memo, _ := ctx.Value(scopeKey{}).(*scopeMemo)
	if memo != nil {
		memo.mu.Lock()
		defer memo.mu.Unlock()
		if memo.scope != nil && memo.user == u {
			return memo.scope, nil
		}
	}
	t, err := s.Tree(ctx)
	if err != nil {
		return nil, err
	}
	sc := &Scope{User: u, Tree: t, s: s, ids: map[int64]bool{}}
	for _, un := range t.units {
		if u.InScope(un.Path) {
			sc.ids[un.ID] = true
		}
	}
	if memo != nil {
		memo.user, memo.scope = u, sc
	}
	return sc, nil
}

// Has reports whether a unit is in the caller's scope.
func (sc *Scope) Has(unitID int64) bool { return sc.ids[unitID] }

// Unit returns a unit in scope.
func (sc *Scope) Unit(id int64) (Unit, bool) {
	if !sc.ids[id] {
		return Unit{}, false
	}
	return sc.Tree.Unit(id)
}

// Units returns the units in scope, in tree order.
func (sc *Scope) Units() []Unit {
	out := make([]Unit, 0, len(sc.ids))
	for _, u := range sc.Tree.units {
		if sc.ids[u.ID] {
			out = append(out, u)
		}
	}
	return out
}

// Check says whether a unit is in the caller's scope. When it is not, the
// attempt to reach entity id is written to the audit log as denied and the
// not-found error the caller sees is returned (or the audit's own error, if
// it could not be written).
func (sc *Scope) Check(ctx context.Context, entity string, id, unitID int64) error {
	if sc.ids[unitID] {
		return nil
	}
	return sc.Deny(ctx, entity, id, unitID)
}

// Deny records an attempt to reach something outside the caller's scope and
// returns the not-found error the caller sees. unitID is the unit the thing
// belongs to, so the administrators of that unit see the entry.
func (sc *Scope) Deny(ctx context.Context, entity string, id, unitID int64) error {
	path := ""
	if u, ok := sc.Tree.Unit(unitID); ok {
		path = u.Path
	}
	var uid int64
	if path != "" {
		uid = unitID
	}
	if err := audit.Deny(ctx, sc.s.DB, audit.ReasonScope, entity, audit.ID(id), uid, path); err != nil {
		return err
	}
	return platform.ErrNotFound
}

// DenyUnit answers a unit asked for that is not in the caller's scope: an
// attempt at a unit that exists is recorded (Deny); an id that names no
// unit is nobody's. Either way the answer is not found, unless the audit
// itself failed.
func (sc *Scope) DenyUnit(ctx context.Context, id int64) error {
	if _, exists := sc.Tree.Unit(id); exists && !sc.ids[id] {
		return sc.Deny(ctx, "unit", id, id)
	}
	return platform.ErrNotFound
}

// TownshipOf returns the township a unit lies in, whatever the caller's
// scope (a village reporter's township), and whether there is one.
func (sc *Scope) TownshipOf(unitID int64) (Unit, bool) {
	return sc.Tree.Unit(sc.Tree.TownshipOf(unitID))
}

// Townships returns the townships in scope, in tree order, or, for a
// caller inside one township, that township (whose team and campaign a
// village reporter reads).
func (sc *Scope) Townships() []Unit {
	var out []Unit
	for _, u := range sc.Tree.units {
		if u.Kind == Township && (sc.ids[u.ID] || strings.HasPrefix(sc.User.UnitPath, u.Path)) {
			out = append(out, u)
		}
	}
	return out
}

// Subtree returns the ids of a unit and every unit below it, in tree order.
func (sc *Scope) Subtree(unitID int64) []int64 {
	root, ok := sc.Tree.Unit(unitID)
	if !ok {
		return nil
	}
	var out []int64
	for _, u := range sc.Tree.units[sc.Tree.index[unitID]:] {
		if !strings.HasPrefix(u.Path, root.Path) {
			break // tree order keeps a subtree together
		}
		out = append(out, u.ID)
	}
	return out
}

// Where narrows a query of another room's table to the caller's scope, or
// to the subtree of within (a unit in scope) when within is not 0. Every
// capability table carries township_id and unit_id: a scope of whole
// townships (a district's) is filtered by the township column alone, a scope
// inside one township by its township and its units, and the whole tree not
// at all.
func (sc *Scope) Where(w *db.Where, townshipCol, unitCol string, within int64) {
	root := within
	if root == 0 {
		if sc.User.UnitPath == "/" {
			return // the system
		}
		root = sc.User.UnitID
	}
	u, ok := sc.Tree.Unit(root)
	if !ok {
		w.Add("1 = 0")
		return
	}
	tenant := sc.Tree.TownshipOf(root)
	if tenant == root && u.Kind != Township {
		// Above the townships: the unit and the townships below it.
		if u.ParentID == nil && within == 0 {
			return // the root of the tree: everything
		}
		var tenants []int64
		for _, id := range sc.Subtree(root) {
			if sc.Tree.TownshipOf(id) == id {
				tenants = append(tenants, id)
			}
		}
		w.In(townshipCol, tenants)
		return
	}
	w.Add(townshipCol+" = ?", tenant)
	if root != tenant {
		w.In(unitCol, sc.Subtree(root))
	}
}

// WholeTownships reports whether the caller's scope, or the subtree of
// within (a unit in scope) when within is not 0, is made of whole townships,
// so that Where filters it by township alone and what is kept per township
// serves it.
func (sc *Scope) WholeTownships(within int64) bool {
	root := within
	if root == 0 {
		if sc.User.UnitPath == "/" {
			return true
		}
		root = sc.User.UnitID
	}
	return sc.Tree.TownshipOf(root) == root
}

// Choice is a unit as a select option: its label names the township and
// the parent where a name repeats (党政办 is in every town, 第一网格 in every
// village), and it is indented by its depth below the caller's scope.
type Choice struct {
	ID     int64
	Label  string
	Indent string
	Kind   Kind
	Path   string
}

// Choices returns the units in scope as select options, in tree order.
func (sc *Scope) Choices() []Choice {
	units := sc.Units()
	count := map[string]int{}
	for _, u := range units {
		count[u.Name]++
	}
	top := -1
	for _, u := range units {
		if top < 0 || u.Depth < top {
			top = u.Depth
		}
	}
	labels := make([]string, len(units))
	seen := map[string]int{}
	for i, u := range units {
		labels[i] = u.Name
		if count[u.Name] > 1 {
			labels[i] = u.Name + "（" + sc.context(u) + "）"
		}
		seen[labels[i]]++
	}
	out := make([]Choice, len(units))
	for i, u := range units {
		l := labels[i]
		if seen[l] > 1 { // the parent repeats too: name the township as well
			if tw, ok := sc.TownshipOf(u.ID); ok && tw.ID != u.ID {
				l = u.Name + "（" + tw.Name + "·" + sc.context(u) + "）"
			}
		}
		out[i] = Choice{ID: u.ID, Label: l, Indent: strings.Repeat("\u3000", max(0, u.Depth-top)), Kind: u.Kind, Path: u.Path}
	}
	return out
}

// context names where a unit is: its parent, or for a unit right under a
// township, the township.
func (sc *Scope) context(u Unit) string {
	if u.ParentID == nil {
		return ""
	}
	p, _ := sc.Tree.Unit(*u.ParentID)
	return p.Name
}

// PersonNames returns the names of people by id, for rows another room shows
// (a target's responsible person); ids outside the caller's scope are left
// out.
func (sc *Scope) PersonNames(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	if len(ids) == 0 {
		return out, nil
	}
	list := sortedUnique(ids)
	var w db.Where
	w.In("id", list)
	rows, err := sc.s.DB.QueryContext(ctx, `SELECT id, unit_id, name FROM people`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("people names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, unit int64
		var name string
		if err := rows.Scan(&id, &unit, &name); err != nil {
			return nil, platform.Internalf("people names: %w", err)
		}
		if sc.ids[unit] {
			out[id] = name
		}
	}
	return out, rows.Err()
}

// sortedUnique is ids once each, in order.
func sortedUnique(ids []int64) []int64 {
	list := slices.Clone(ids)
	slices.Sort(list)
	return slices.Compact(list)
}

// readsTeam reports whether the caller may read a township's leadership
// team: one in scope, or the one their unit lies in (see Townships).
func (sc *Scope) readsTeam(townshipID int64) bool {
	if sc.ids[townshipID] {
		return true
	}
	tw, ok := sc.Tree.Unit(townshipID)
	return ok && tw.Kind == Township && strings.HasPrefix(sc.User.UnitPath, tw.Path)
}

// Names returns the people with ids the caller may name, by id (ID, UnitID,
// Name and Title set): those of units in scope, and those seated on the
// leadership team of a township whose team the caller reads, since a
// township's team is known to all of it (a village's reporter reads who is in
// charge of the village's target). Others are left out.
func (sc *Scope) Names(ctx context.Context, ids []int64) (map[int64]Person, error) {
	out := map[int64]Person{}
	if len(ids) == 0 {
		return out, nil
	}
	list := sortedUnique(ids)
	var w db.Where
	w.In("p.id", list)
	rows, err := sc.s.DB.QueryContext(ctx, `SELECT p.id, p.unit_id, p.name, p.title, COALESCE(t.township_id, 0)
		FROM people p LEFT JOIN team_members t ON t.person_id = p.id`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("people names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var p Person
		var township int64
		if err := rows.Scan(&p.ID, &p.UnitID, &p.Name, &p.Title, &township); err != nil {
			return nil, platform.Internalf("people names: %w", err)
		}
		if sc.ids[p.UnitID] || (township != 0 && sc.readsTeam(township)) {
			out[p.ID] = p
		}
	}
	return out, rows.Err()
}

// Team returns the seats of every leadership team the caller reads (the
// townships of Townships), in tree order of the townships, then by body and
// sort as Store.Team orders one team: the choices of a leader in charge (分管
// 领导) in another room's forms and filters, in one query.
func (sc *Scope) Team(ctx context.Context) ([]TeamMember, error) {
	townships := sc.Townships()
	if len(townships) == 0 {
		return nil, nil
	}
	ids := make([]int64, len(townships))
	for i, t := range townships {
		ids[i] = t.ID
	}
	var w db.Where
	w.In("t.township_id", ids)
	rows, err := sc.s.DB.QueryContext(ctx, `SELECT t.id, t.township_id, t.person_id, p.name, p.title, t.body, t.position, t.sort
		FROM team_members t JOIN people p ON p.id = t.person_id`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("teams: %w", err)
	}
	defer rows.Close()
	var out []TeamMember
	for rows.Next() {
		var m TeamMember
		var body string
		if err := rows.Scan(&m.ID, &m.TownshipID, &m.PersonID, &m.PersonName, &m.Title, &body, &m.Position, &m.Sort); err != nil {
			return nil, platform.Internalf("teams: %w", err)
		}
		m.Body = Body(body)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("teams: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if ra, rb := sc.Tree.Rank(a.TownshipID), sc.Tree.Rank(b.TownshipID); ra != rb {
			return ra < rb
		}
		if ba, bb := bodyRank(a.Body), bodyRank(b.Body); ba != bb {
			return ba < bb
		}
		if a.Sort != b.Sort {
			return a.Sort < b.Sort
		}
		return a.ID < b.ID
	})
	return out, nil
}

// bodyRank orders the three bodies of a team as the team page lists them.
func bodyRank(b Body) int {
	switch b {
	case Party:
		return 0
	case Government:
		return 1
	}
	return 2
}

// People returns the people of a unit's subtree (the caller's whole scope
// when unitID is 0) in tree order, for the choices of another room's forms.
// A unit outside the scope has nobody.
func (sc *Scope) People(ctx context.Context, unitID int64) ([]Person, error) {
	root := unitID
	if root == 0 {
		root = sc.User.UnitID
	}
	if !sc.Has(root) && sc.User.UnitPath != "/" {
		return nil, nil
	}
	var w db.Where
	if sc.User.UnitPath == "/" && unitID == 0 {
		w.Add("1 = 1")
	} else {
		w.In("p.unit_id", sc.Subtree(root))
	}
	rows, err := sc.s.DB.QueryContext(ctx, `SELECT p.id, p.unit_id, p.name, p.title, p.phone, p.sort FROM people p`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("people in scope: %w", err)
	}
	defer rows.Close()
	var out []Person
	for rows.Next() {
		var p Person
		if err := rows.Scan(&p.ID, &p.UnitID, &p.Name, &p.Title, &p.Phone, &p.Sort); err != nil {
			return nil, platform.Internalf("people in scope: %w", err)
		}
		if u, ok := sc.Tree.Unit(p.UnitID); ok {
			p.UnitName = u.Name
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("people in scope: %w", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := sc.Tree.Rank(out[i].UnitID), sc.Tree.Rank(out[j].UnitID)
		if a != b {
			return a < b
		}
		if out[i].Sort != out[j].Sort {
			return out[i].Sort < out[j].Sort
		}
		return out[i].ID < out[j].ID
	})
	return out, nil
}

// Person returns a person in scope by id.
func (sc *Scope) Person(ctx context.Context, id int64) (Person, error) {
	var p Person
	err := sc.s.DB.QueryRowContext(ctx, `SELECT id, unit_id, name, title, phone, sort FROM people WHERE id = $1`, id).
		Scan(&p.ID, &p.UnitID, &p.Name, &p.Title, &p.Phone, &p.Sort)
	if errors.Is(err, sql.ErrNoRows) {
		return Person{}, platform.ErrNotFound
	}
	if err != nil {
		return Person{}, platform.Internalf("person %d: %w", id, err)
	}
	if err := sc.Check(ctx, "person", id, p.UnitID); err != nil {
		return Person{}, err
	}
	if u, ok := sc.Tree.Unit(p.UnitID); ok {
		p.UnitName = u.Name
	}
	return p, nil
}

// Options writes choices as the <option> elements of a unit select, the
// selected one marked. A city's select has a thousand or more units, and
// html/template's escaping, called by reflection for each of their values,
// was most of a list page's time: they are escaped here explicitly.
func Options(choices []Choice, selected int64) template.HTML {
	var b strings.Builder
	b.Grow(len(choices) * 64)
	for _, c := range choices {
		b.WriteString(`<option value="`)
		b.WriteString(strconv.FormatInt(c.ID, 10))
		b.WriteByte('"')
		if c.ID == selected {
			b.WriteString(" selected")
		}
		b.WriteByte('>')
		b.WriteString(html.EscapeString(c.Indent + c.Label))
		b.WriteString("</option>")
	}
	return template.HTML(b.String())
}

// LeaderChoices are the members of team as select options, each person
// once, "李卫东（党委副书记、镇长）", with the township named when team holds
// several townships' seats: the choices of a leader in charge (分管领导) in
// every room's forms and filters.
func LeaderChoices(tree *Tree, team []TeamMember) []Choice {
	several := false
	for _, m := range team {
		several = several || m.TownshipID != team[0].TownshipID
	}
	seen := map[int64]bool{}
	var out []Choice
	for _, m := range team {
		if seen[m.PersonID] {
			continue
		}
		seen[m.PersonID] = true
		about := m.Title
		if about == "" {
			about = m.Position
		}
		if several {
			if tw, ok := tree.Unit(m.TownshipID); ok {
				about = strings.TrimSuffix(tw.Name+" · "+about, " · ")
			}
		}
		label := m.PersonName
		if about != "" {
			label += "（" + about + "）"
		}
		out = append(out, Choice{ID: m.PersonID, Label: label})
	}
	return out
}
