// Package project is the room of major projects (重大项目): the register of a
// township's investment projects, each with its owner leader and team
// (一个项目、一套班子), and the stages it passes from 洽谈 to 投产.
package project

import (
	"slices"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
)

// Project (重大项目) is one investment project on a township's register.
// Amounts are 万元.
type Project struct {
	ID              int64   `json:"id"`
	TownshipID      int64   `json:"township_id"`
	Name            string  `json:"name"`
	Kind            Kind    `json:"kind"`
	Industry        string  `json:"industry"`
	Investor        string  `json:"investor"`
	InvestorContact string  `json:"investor_contact"`
	InvestorPhone   string  `json:"investor_phone"`
	VillageID       *int64  `json:"village_id"`
	Park            string  `json:"park"`
	Total           float64 `json:"total_investment"`
	YearPlanned     float64 `json:"year_planned_investment"`
	Level           Level   `json:"level"`
	LeaderID        int64   `json:"owner_leader_id"`
	UnitID          int64   `json:"unit_id"`
	ContactID       *int64  `json:"contact_person_id"`
	MemberIDs       []int64 `json:"member_ids"`
	Notes           string  `json:"notes"`
	Stage           Stage   `json:"stage"` // the current stage; "" before any
	Version         int64   `json:"version"`
	// Stages are the dates of every stage, in pipeline order (read with
	// one project, not with a list).
	Stages []StageDates `json:"stages,omitempty"`

	townPath string // the township's path: its office and leaders edit from it or above
}

// Kind is what a project builds.
type Kind string

const (
	Industrial     Kind = "industrial"     // 工业
	Infrastructure Kind = "infrastructure" // 基础设施
	Services       Kind = "services"       // 服务业
	Livelihood     Kind = "livelihood"     // 民生
	OtherKind      Kind = "other"          // 其他
)

// Kinds lists the kinds in display order.
var Kinds = []Kind{Industrial, Infrastructure, Services, Livelihood, OtherKind}

// Level is whose key project it is.
type Level string

const (
	District Level = "district" // 区级重点
	City     Level = "city"     // 市级重点
	Province Level = "province" // 省级重点
)

// Levels lists the levels in display order.
var Levels = []Level{District, City, Province}

// Stage is a step of the project pipeline.
type Stage string

const (
	Negotiating  Stage = "negotiating"   // 洽谈
	Signed       Stage = "signed"        // 签约
	Approved     Stage = "approved"      // 立项
	LandSupplied Stage = "land_supplied" // 供地
	Started      Stage = "started"       // 开工
	Completed    Stage = "completed"     // 竣工
	InProduction Stage = "in_production" // 投产
)

// Stages lists the stages in pipeline order.
var Stages = []Stage{Negotiating, Signed, Approved, LandSupplied, Started, Completed, InProduction}

// Rank is the stage's place in the pipeline, 1 for 洽谈; 0 for none or an
// unknown stage.
func (s Stage) Rank() int { return slices.Index(Stages, s) + 1 }

// IndustrySuggestions are the seed's industries, offered on every
// township's form beside the ones its register already uses.
var IndustrySuggestions = []string{"装备制造配件", "毛绒玩具", "健身器具", "户外休闲用品"}

// StageDates are one stage's planned and actual dates (YYYY-MM-DD, "" for
// none) and, when it was reached while an earlier stage had no actual
// date, the reason given.
type StageDates struct {
	Stage   Stage  `json:"stage"`
	Planned string `json:"planned_on"`
	Actual  string `json:"actual_on"`
	Reason  string `json:"reason"`
}

// MaxReason bounds a skipped stage's reason.
const MaxReason = 200

// Current is the latest stage with an actual date in stages, "" when none
// has one.
func Current(stages []StageDates) Stage {
	cur := Stage("")
	for _, sd := range stages {
		if sd.Actual != "" && sd.Stage.Rank() > cur.Rank() {
			cur = sd.Stage
		}
	}
	return cur
}

// Complete returns the dates of every stage in pipeline order, those
// absent from stages blank.
func Complete(stages []StageDates) []StageDates {
	out := make([]StageDates, len(Stages))
	for i, s := range Stages {
		out[i].Stage = s
	}
	for _, sd := range stages {
		if r := sd.Stage.Rank(); r > 0 {
			out[r-1] = sd
		}
	}
	return out
}

// Skipped returns the stages passed over on the way to s: those with no
// actual date between the latest stage before s that has one (or the start
// of the pipeline) and s, in pipeline order. Reaching s past them needs a
// reason; stages skipped before an earlier reached stage were explained
// when that one was reached.
func Skipped(stages []StageDates, s Stage) []Stage {
	var out []Stage
	for _, sd := range Complete(stages) {
		if sd.Stage.Rank() >= s.Rank() {
			break
		}
		if sd.Actual != "" {
			out = out[:0]
			continue
		}
		out = append(out, sd.Stage)
	}
	return out
}

// CheckStages checks a project's stage dates after one stage has changed
// (wasActual is its actual date before), naming the fields of that stage's
// form: dates must be real dates, an actual date no later than today, never
// before an earlier stage's actual date nor after a later one's (the stage
// is named), a stage reached past earlier ones without an actual date
// needs its reason, and an actual date is not cleared while a later stage
// has one (that stage's own reason would no longer explain the gap).
func CheckStages(stages []StageDates, changed Stage, wasActual, today string) platform.Errors {
	var es platform.Errors
	all := Complete(stages)
	r := changed.Rank()
	if r == 0 {
		return platform.Errors{platform.FieldError("stage", "project.error.stage")}
	}
	sd := all[r-1]
	if sd.Planned != "" {
		if _, err := clock.ParseDate(sd.Planned); err != nil {
			es = append(es, platform.FieldError("planned_on", "project.error.date"))
		}
	}
	if sd.Actual == "" {
		if wasActual != "" {
			for _, after := range all[r:] {
				if after.Actual != "" {
					es = append(es, platform.FieldError("actual_on", "project.error.clear."+string(after.Stage)))
					break
				}
			}
		}
		return es
	}
	if _, err := clock.ParseDate(sd.Actual); err != nil {
		return append(es, platform.FieldError("actual_on", "project.error.date"))
	}
	if sd.Actual > today {
		es = append(es, platform.FieldError("actual_on", "project.error.actual_future"))
	}
	for _, before := range all[:r-1] {
		if before.Actual != "" && sd.Actual < before.Actual {
			es = append(es, platform.FieldError("actual_on", "project.error.actual_before."+string(before.Stage), before.Actual))
			break
		}
	}
	for _, after := range all[r:] {
		if after.Actual != "" && after.Actual < sd.Actual {
			es = append(es, platform.FieldError("actual_on", "project.error.actual_after."+string(after.Stage), after.Actual))
			break
		}
	}
	if skipped := Skipped(all, changed); len(skipped) > 0 && strings.TrimSpace(sd.Reason) == "" {
		es = append(es, platform.FieldError("reason", "project.error.reason."+string(skipped[0])))
	}
	if len([]rune(sd.Reason)) > MaxReason {
		es = append(es, platform.FieldError("reason", "project.error.too_long", MaxReason))
	}
	return es
}

// Office reports whether u works for a township's office (a supervisor or
// an administrator); which townships is editor's question.
func Office(u *auth.User) bool { return u.Role == auth.Supervisor || u.Role == auth.Admin }

// Editor reports whether u may create and edit projects at all: the office,
// or a leader (班子成员), who owns projects.
func Editor(u *auth.User) bool { return u != nil && (Office(u) || u.Role == auth.Leader) }

// editsIn reports whether u edits the projects of the township at
// townPath: an editor whose unit is the township or above it, so that a
// village's administrator does not edit the township's register.
func editsIn(u *auth.User, townPath string) bool {
	return Editor(u) && townPath != "" && u.UnitPath != "" && strings.HasPrefix(townPath, u.UnitPath)
}
