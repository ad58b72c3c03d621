// Package org is the org tree (district → township → department, village,
// community → grid), the people in it, the township's leadership team
// (三套班子), user accounts and campaigns. Every other room hangs its data on
// a unit from here and reads scope from it.
package org

import (
	"math"
	"time"

	"guatu/internal/platform/auth"
)

// Kind is a level of the org tree.
type Kind string

const (
	District   Kind = "district"   // 区
	Township   Kind = "township"   // 镇/街道
	Department Kind = "department" // 部门 (党政办, 统计站, …)
	Village    Kind = "village"    // 村
	Community  Kind = "community"  // 社区
	Grid       Kind = "grid"       // 网格
)

// Kinds lists every kind from the top of the tree down.
var Kinds = []Kind{District, Township, Department, Village, Community, Grid}

// childKinds says what may hang under what.
var childKinds = map[Kind][]Kind{
	"":         {District, Township},
	District:   {Township},
	Township:   {Department, Village, Community},
	Department: {Department},
	Village:    {Grid},
	Community:  {Grid},
}

// CanHold reports whether a unit of kind parent may have a child of kind child.
// parent "" is the root.
func CanHold(parent, child Kind) bool {
	for _, k := range childKinds[parent] {
		if k == child {
			return true
		}
	}
	return false
}

// ValidKind reports whether k is a known kind.
func ValidKind(k string) bool {
	for _, x := range Kinds {
		if string(x) == k {
			return true
		}
	}
	return false
}

// Unit (单位) is a node of the org tree.
type Unit struct {
	ID        int64     `json:"id"`
	ParentID  *int64    `json:"parent_id"`
	Kind      Kind      `json:"kind"`
	Name      string    `json:"name"`
	Path      string    `json:"-"`
	Sort      int       `json:"sort"`
	Depth     int       `json:"depth"`
	People    int       `json:"people"`
	UpdatedAt time.Time `json:"-"`
}

// Person (人头/责任人) is a named person who can own targets and tasks.
type Person struct {
	ID       int64  `json:"id"`
	UnitID   int64  `json:"unit_id"`
	UnitName string `json:"unit_name"`
	Name     string `json:"name"`
	Title    string `json:"title"`
	Phone    string `json:"phone"`
	// WeComID is their WeCom (企业微信) user id, "" when unknown: a WeCom
	// robot's markdown @-mentions a person only by it.
	WeComID  string `json:"wecom_id"`
	Duty     Duty   `json:"duty"`
	Sort     int    `json:"sort"`
	HasLogin bool   `json:"has_login"`
}

// Duty is a person's standing part in their unit's supervised work.
type Duty string

const (
	NoDuty  Duty = ""
	Head    Duty = "head"    // 负责人: the unit's head
	Liaison Duty = "liaison" // 联络员: whom the office reaches first
)

// Duties lists the duties in display order.
var Duties = []Duty{NoDuty, Head, Liaison}

// Body is one of the three bodies of a township's leadership team.
type Body string

const (
	Party      Body = "party"      // 党委
	Government Body = "government" // 政府
	Congress   Body = "congress"   // 人大
)

// Bodies lists the three bodies in their customary order.
var Bodies = []Body{Party, Government, Congress}

// TeamMember is a person's seat on the leadership team (班子成员).
type TeamMember struct {
	ID         int64  `json:"id"`
	TownshipID int64  `json:"township_id"`
	PersonID   int64  `json:"person_id"`
	PersonName string `json:"person_name"`
	Title      string `json:"title"`
	Body       Body   `json:"body"`
	Position   string `json:"position"`
	Sort       int    `json:"sort"`
}

// Account is a user account as the admin pages show it.
type Account struct {
	ID         int64      `json:"id"`
	Login      string     `json:"login"`
	Role       auth.Role  `json:"role"`
	UnitID     int64      `json:"unit_id"`
	UnitName   string     `json:"unit_name"`
	PersonID   *int64     `json:"person_id"`
	PersonName string     `json:"person_name"`
	Disabled   bool       `json:"disabled"`
	Locked     bool       `json:"locked"`
	LastLogin  *time.Time `json:"last_login"`
}

// Campaign is a named push with a period, such as 大干一百天，冲刺四季度.
type Campaign struct {
	ID         int64     `json:"id"`
	TownshipID int64     `json:"township_id"`
	Name       string    `json:"name"`
	Year       int       `json:"year"`
	Start      time.Time `json:"start"`
	End        time.Time `json:"end"`
}

// DaysLeft counts the days from today to the campaign's last day, that day
// included; 0 once it is over.
func (c Campaign) DaysLeft(today time.Time) int {
	d := int(math.Round(c.End.Sub(today).Hours()/24)) + 1
	if d < 0 {
		return 0
	}
	return d
}

// Limits on field lengths, shared by forms and the command line.
const (
	MaxName  = 50
	MaxTitle = 50
	MaxPhone = 20
	MaxLogin = 32
)
