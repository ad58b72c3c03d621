// Package auth knows who is asking: accounts and roles, password hashing,
// server-side sessions, API tokens, lock-out, and the data scope every read
// and write is checked against.
package auth

import (
	"context"
	"strconv"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/i18n"
)

// Role is what an account may do. Scope (where) comes from the account's unit.
type Role string

const (
	Admin        Role = "admin"        // manages the org tree, people and accounts in scope
	Leader       Role = "leader"       // 班子成员: reads everything in scope, owns targets and projects
	Supervisor   Role = "supervisor"   // 督查: follows assigned work, reads the audit log
	Statistician Role = "statistician" // 统计站: keeps indicators, targets and figures
	Reporter     Role = "reporter"     // a department or village reporting its own figures and tasks
	GridWorker   Role = "grid_worker"  // 网格员: reports grid events
	Viewer       Role = "viewer"       // reads only
)

// Roles lists every role in display order.
var Roles = []Role{Admin, Leader, Supervisor, Statistician, Reporter, GridWorker, Viewer}

// ValidRole reports whether r is a known role.
func ValidRole(r string) bool {
	for _, x := range Roles {
		if string(x) == r {
			return true
		}
	}
	return false
}

// Permission is an action a role may take.
type Permission string

const (
	ManageOrg     Permission = "manage_org"     // edit units, people, leadership team
	ManageUsers   Permission = "manage_users"   // create accounts, reset passwords
	ViewAudit     Permission = "view_audit"     // read the audit log
	ManageTargets Permission = "manage_targets" // indicators, targets, decomposition, settings
	EnterFigures  Permission = "enter_figures"  // enter or import monthly figures
	// ManageCampaigns is creating and editing a township's campaigns (攻坚行动).
	ManageCampaigns Permission = "manage_campaigns"
	// ReviewFigures is approving or returning the figures reporters enter
	// in a township that reviews them (审核).
	ReviewFigures Permission = "review_figures"
)

// Permissions lists every permission, for the start-up check of the
// templates' {{.Can "…"}}.
var Permissions = []Permission{ManageOrg, ManageUsers, ViewAudit, ManageTargets, EnterFigures, ManageCampaigns, ReviewFigures}

var grants = map[Role][]Permission{
	Admin:        {ManageOrg, ManageUsers, ViewAudit, ManageTargets, EnterFigures, ManageCampaigns, ReviewFigures},
	Leader:       {ManageTargets, ManageCampaigns},
	Supervisor:   {ViewAudit},
	Statistician: {ManageTargets, EnterFigures, ReviewFigures},
	Reporter:     {EnterFigures},
}

// User is the signed-in account as every request sees it.
type User struct {
	ID         int64
	Login      string
	Role       Role
	UnitID     int64
	UnitPath   string // "/1/4/": the scope is this unit's subtree
	UnitName   string
	PersonID   *int64
	PersonName string
	Lang       i18n.Lang
	// MustChange: the owner must choose a new password before anything
	// else, because an administrator set it or (PasswordExpired) it is
	// older than the store's PasswordMaxAge.
	MustChange      bool
	PasswordExpired bool
	// Probe is the store's Probe as read with this request's session or
	// token, for a request that changes nothing (GET, HEAD); nil otherwise.
	Probe *int64 `json:"-"`
}

// Can reports whether the user's role grants p.
func (u *User) Can(p Permission) bool {
	if u == nil {
		return false
	}
	for _, g := range grants[u.Role] {
		if g == p {
			return true
		}
	}
	return false
}

// InScope reports whether a unit with the given path is in the user's subtree.
func (u *User) InScope(unitPath string) bool {
	return u != nil && u.UnitPath != "" && strings.HasPrefix(unitPath, u.UnitPath)
}

// DisplayName is the person's name when the account has one, else the login.
func (u *User) DisplayName() string {
	if u.PersonName != "" {
		return u.PersonName
	}
	return u.Login
}

// UnitPath builds the path of a unit from its parent's path and its id.
func UnitPath(parentPath string, id int64) string {
	if parentPath == "" {
		parentPath = "/"
	}
	return parentPath + strconv.FormatInt(id, 10) + "/"
}

type ctxKey int

const (
	userKey ctxKey = iota
	remoteKey
)

// WithUser returns ctx carrying u.
func WithUser(ctx context.Context, u *User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// FromContext returns the signed-in user, or nil.
func FromContext(ctx context.Context) *User {
	u, _ := ctx.Value(userKey).(*User)
	return u
}

// WithRemoteAddr records the client address for the audit log.
func WithRemoteAddr(ctx context.Context, addr string) context.Context {
	return context.WithValue(ctx, remoteKey, addr)
}

// RemoteAddr returns the client address recorded by WithRemoteAddr.
func RemoteAddr(ctx context.Context) string {
	s, _ := ctx.Value(remoteKey).(string)
	return s
}

// System is the actor for the command line and the demo loader: an admin
// whose scope is the whole tree.
func System() *User {
	return &User{Login: "system", Role: Admin, UnitPath: "/", Lang: i18n.Default}
}

// Caller returns the signed-in user of ctx, or ErrUnauthorized.
func Caller(ctx context.Context) (*User, error) {
	u := FromContext(ctx)
	if u == nil {
		return nil, platform.ErrUnauthorized
	}
	return u, nil
}

// Require returns the signed-in user when their role grants p, else
// ErrUnauthorized or ErrForbidden. Stores call it so no handler can forget.
func Require(ctx context.Context, p Permission) (*User, error) {
	u, err := Caller(ctx)
	if err != nil {
		return nil, err
	}
	if !u.Can(p) {
		return nil, platform.ErrForbidden
	}
	return u, nil
}
