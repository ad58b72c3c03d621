package org

import (
	"embed"
	"io/fs"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed migrations/*.sql
var migrations embed.FS

func subFS(f embed.FS, dir string) fs.FS { s, _ := fs.Sub(f, dir); return s }

// Room is the org room: the tree, people, the leadership team, accounts
// and campaigns, with their pages, API and tables.
func Room(s *Store) room.Room {
	h := &Handlers{Store: s}
	return room.Room{
		Name:      "org",
		Templates: subFS(templates, "templates"),
		Messages:  []i18n.Catalog{Messages, auditMessages},
		Keys: []string{"org.", "audit.field.unit.", "audit.field.person.", "audit.field.team_member.",
			"audit.field.user.", "audit.field.campaign."},
		Migrations: subFS(migrations, "migrations"),
		Nav: []web.NavItem{
			{Key: "nav.units", Href: "/units", Order: 80},
			{Key: "nav.people", Href: "/people", Order: 81},
			{Key: "nav.team", Href: "/team", Order: 82},
			{Key: "nav.campaigns", Href: "/campaigns", Order: 83},
			{Key: "nav.users", Href: "/users", Perm: auth.ManageUsers, Order: 90},
		},
		Routes:     h.Routes,
		Fixtures:   fixtures,
		AuditNames: s.auditNames(),
		AuditValues: map[string]string{
			"unit/kind": "org.kind.", "user/role": "role.", "team_member/body": "org.body.",
		},
		AuditOmit: []string{"person/unit_name", "team_member/person_name"},
	}
}

// views are the room's pages, looked up once at start-up.
type views struct {
	units  *web.Page[UnitsPage]
	unit   *web.Page[UnitPage]
	people *web.Page[PeoplePage]
	person *web.Page[PersonPage]
	team   *web.Page[TeamPage]
	users  *web.Page[UsersPage]
	user   *web.Page[UserPage]

	campaigns *web.Page[CampaignsPage]
	campaign  *web.Page[CampaignPage]
}

func newViews(pages *web.Renderer) views {
	return views{
		units:  web.NewPage[UnitsPage](pages, "org/units"),
		unit:   web.NewPage[UnitPage](pages, "org/unit"),
		people: web.NewPage[PeoplePage](pages, "org/people"),
		person: web.NewPage[PersonPage](pages, "org/person"),
		team:   web.NewPage[TeamPage](pages, "org/team"),
		users:  web.NewPage[UsersPage](pages, "org/users"),
		user:   web.NewPage[UserPage](pages, "org/user"),

		campaigns: web.NewPage[CampaignsPage](pages, "org/campaigns"),
		campaign:  web.NewPage[CampaignPage](pages, "org/campaign"),
	}
}
