// Package room is the contract every capability (org, targets, the board, and
// every later one) signs to join the app: a room declares its routes, pages,
// static files, messages, navigation, migrations and page fixtures once, in
// a Room value, and internal/app mounts the list of rooms. Nothing about a
// room is registered anywhere else.
package room

import (
	"context"
	"database/sql"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"time"

	"guatu/internal/platform/audit"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

// Env is what the app hands every room: the database, the clock and the log.
type Env struct {
	DB    *db.DB
	Clock clock.Clock
	Log   *slog.Logger
}

// Now is the env's clock reading (the system clock when none is set).
func (e Env) Now() time.Time {
	if e.Clock == nil {
		return clock.System{}.Now()
	}
	return e.Clock.Now()
}

// Room is one capability as the app mounts it.
type Room struct {
	// Name is the room's folder name: pages are Name/file, static files are
	// served as Name/file, migrations are recorded as Name/NNN_name.
	Name string
	// Templates holds the room's pages (*.html, each defining "content" and
	// optionally "head" and "scripts") and partials (_*.html, shared by the
	// room's pages). Nil for a room without pages.
	Templates fs.FS
	// Static holds the room's scripts and style sheets, served content-hashed
	// like the layout's: {{asset "board/board.js"}}.
	Static fs.FS
	// Messages is the room's catalogue; Keys are the key prefixes it owns
	// ("target.", "import."), so the catalogue test checks every key of the
	// room's templates and Go code.
	Messages []i18n.Catalog
	Keys     []string
	// Nav is the room's entries in the main navigation, each with the
	// permission it needs.
	Nav []web.NavItem
	// Migrations holds the room's schema files (see db.Migrations).
	Migrations fs.FS
	// Routes registers the room's handlers. It runs once at start-up, after
	// every room's templates are parsed, so looking up a page that does not
	// exist (web.NewPage) stops the start.
	Routes func(rt *web.Router, pages *web.Renderer)
	// Fixtures gives page data for each of the room's pages, with every list
	// non-empty, so one test can render every page of every room.
	Fixtures func() []web.Fixture
	// UnitsChanged, when set, runs inside the transaction of every change to
	// the org tree, so the room can carry its rows along: every capability
	// row names its township, and a unit moved to another township takes its
	// rows with it (org.ReadTree reads the tree as the transaction sees it).
	UnitsChanged func(ctx context.Context, tx *sql.Tx) error
	// AuditNames names the room's objects on the audit page, by entity kind
	// (the room owns their tables; see audit.Namer). AuditValues gives, for a
	// field written "entity/field", the key prefix its coded values are
	// translated with ("user/role" → "role.").
	AuditNames  audit.Namers
	AuditValues map[string]string
	// AuditOmit are the fields ("figure/period") the page leaves out because
	// the object's name says them already.
	AuditOmit []string
	// Migrated, when set, runs once the schema is up to date, under the
	// start-up lock, with the names of the room's migrations just applied
	// (never empty): a migration that adds a kept column leaves the rows
	// kept before it to be evaluated again by the rule that fills it.
	Migrated func(ctx context.Context, applied []string) error
}

// AuditNamers returns every room's namers, by entity kind.
func AuditNamers(rooms []Room) audit.Namers {
	out := audit.Namers{}
	for _, r := range rooms {
		for k, n := range r.AuditNames {
			out[k] = n
		}
	}
	return out
}

// AuditOmit returns every room's omitted fields, as a set.
func AuditOmit(rooms []Room) map[string]bool {
	out := map[string]bool{}
	for _, r := range rooms {
		for _, f := range r.AuditOmit {
			out[f] = true
		}
	}
	return out
}

// AuditValues returns every room's value prefixes, by "entity/field".
func AuditValues(rooms []Room) map[string]string {
	out := map[string]string{}
	for _, r := range rooms {
		for k, p := range r.AuditValues {
			out[k] = p
		}
	}
	return out
}

// AfterMigrate runs every room's Migrated hook with the room's own names
// among applied (what db.Migrate returned), in the rooms' order.
func AfterMigrate(ctx context.Context, rooms []Room, applied []string) error {
	for _, r := range rooms {
		if r.Migrated == nil {
			continue
		}
		var mine []string
		for _, name := range applied {
			if strings.HasPrefix(name, r.Name+"/") {
				mine = append(mine, name)
			}
		}
		if len(mine) == 0 {
			continue
		}
		if err := r.Migrated(ctx, mine); err != nil {
			return fmt.Errorf("room %s: after migrating %v: %w", r.Name, mine, err)
		}
	}
	return nil
}

// Migrations returns the schema files of rooms, for db.Migrate.
func Migrations(rooms []Room) []db.Migrations {
	var out []db.Migrations
	for _, r := range rooms {
		if r.Migrations != nil {
			out = append(out, db.Migrations{Room: r.Name, FS: r.Migrations})
		}
	}
	return out
}

// Catalogs returns the catalogues of rooms.
func Catalogs(rooms []Room) []i18n.Catalog {
	var out []i18n.Catalog
	for _, r := range rooms {
		out = append(out, r.Messages...)
	}
	return out
}

// Check finds what would make rooms fail together: two rooms of one name, a
// name that cannot be a path segment, and two rooms claiming one key prefix.
func Check(rooms []Room) error {
	names := map[string]bool{}
	prefixes := map[string]string{}
	for _, r := range rooms {
		if r.Name == "" || strings.ContainsAny(r.Name, "/. ") {
			return fmt.Errorf("room: bad room name %q", r.Name)
		}
		if names[r.Name] {
			return fmt.Errorf("room: two rooms are named %s", r.Name)
		}
		names[r.Name] = true
		for _, p := range r.Keys {
			if !strings.HasSuffix(p, ".") {
				return fmt.Errorf("room %s: key prefix %q must end with a dot", r.Name, p)
			}
			if other, ok := prefixes[p]; ok {
				return fmt.Errorf("room %s: key prefix %q is %s's", r.Name, p, other)
			}
			prefixes[p] = r.Name
		}
	}
	return nil
}
