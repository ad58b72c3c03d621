// Package work is the room of supervised work (督查督办): the task register,
// its workflow from 交办 to 办结 (or 销号), deadlines and their lights.
package work

import (
	"slices"
	"strings"
	"time"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/workflow"
)

// Task (督办事项) is a piece of work assigned to a lead unit and followed
// until it is closed.
type Task struct {
	ID             int64          `json:"id"`
	TownshipID     int64          `json:"township_id"`
	Title          string         `json:"title"`
	Requirement    string         `json:"requirement"`
	Source         Source         `json:"source"`
	SourceLeaderID *int64         `json:"source_leader_id,omitempty"`
	DocNumber      string         `json:"doc_number,omitempty"`
	DocDate        string         `json:"doc_date,omitempty"`
	Category       string         `json:"category"`
	LeadUnitID     int64          `json:"lead_unit_id"`
	LeadUnitName   string         `json:"lead_unit_name"`
	ResponsibleID  *int64         `json:"responsible_id,omitempty"`
	CoUnitIDs      []int64        `json:"co_unit_ids"`
	LeaderID       int64          `json:"leader_id"`
	AssignedOn     string         `json:"assigned_on"`
	Deadline       string         `json:"deadline"`
	Level          Level          `json:"level"`
	ListingLeader  *int64         `json:"listing_leader_id,omitempty"`
	Status         workflow.State `json:"status"`
	Progress       int            `json:"progress"`
	Version        int64          `json:"version"`
	Overdue        bool           `json:"overdue"`
	Light          Light          `json:"light"`
	Card           Color          `json:"card,omitempty"` // the standing warning card, if any
	ClaimBy        string         `json:"claim_by"`       // 签收时限; "" none
	Rhythm         Rhythm         `json:"rhythm"`
	RhythmWeeks    int            `json:"rhythm_weeks,omitempty"`
	NextReport     string         `json:"next_report"`   // the next periodic report's day; "" none
	ClaimLate      bool           `json:"claim_late"`    // 签收超期: still unclaimed after ClaimBy
	FeedbackLate   bool           `json:"feedback_late"` // 反馈超期: the periodic report of NextReport missed

	leadUnitPath string
	townPath     string // the township's path: the office acts from it or above
}

// Source is where a task came from.
type Source string

const (
	FromMeeting     Source = "meeting"     // 会议
	FromInstruction Source = "instruction" // 领导批示: with the leader, document number and date
	FromCampaign    Source = "campaign"    // 攻坚行动
	FromLivelihood  Source = "livelihood"  // 十件民生实事
	FromSuperior    Source = "superior"    // 上级交办
)

// Sources lists the sources in display order.
var Sources = []Source{FromMeeting, FromInstruction, FromCampaign, FromLivelihood, FromSuperior}

// Level is how closely a task is supervised.
type Level string

const (
	Normal Level = "normal" // 一般
	Key    Level = "key"    // 重点
	Listed Level = "listed" // 挂牌督办: a named leader lists the task and closes it
)

// Levels lists the levels in display order.
var Levels = []Level{Normal, Key, Listed}

// Task states.
const (
	Assigned   workflow.State = "assigned"    // 交办
	Accepted   workflow.State = "accepted"    // 签收
	InProgress workflow.State = "in_progress" // 办理中
	Submitted  workflow.State = "submitted"   // 申请办结
	Closed     workflow.State = "closed"      // 办结
	Stopped    workflow.State = "stopped"     // 中止: paused by the office until it is resumed
	StruckOff  workflow.State = "struck_off"  // 已销号: taken off the register for good, not done
)

// States lists the task states in their order.
var States = []workflow.State{Assigned, Accepted, InProgress, Submitted, Closed, Stopped, StruckOff}

// Transition names, the words of the API and the buttons.
const (
	Claim  = "claim"  // 签收
	Report = "report" // 报送进展
	Submit = "submit" // 申请办结
	Return = "return" // 退回
	Close  = "close"  // 办结
	Stop   = "stop"   // 中止
	Resume = "resume" // 恢复
	Strike = "strike" // 销号
)

// open is every state a task is worked in.
var open = []workflow.State{Assigned, Accepted, InProgress, Submitted}

// unlit are the states a task is not worked in: closed and struck off for
// good, stopped until it is resumed. A task in one has no light and is
// never late, carded, urged or reported on.
var unlit = []workflow.State{Closed, Stopped, StruckOff}

// isUnlit reports whether s is one of unlit.
func isUnlit(s workflow.State) bool { return slices.Contains(unlit, s) }

// stateMarks is "?, ?, …" for states with their arguments, for a state
// condition written with db.Where.Add.
func stateMarks(states []workflow.State) (string, []any) {
	marks := make([]string, len(states))
	args := make([]any, len(states))
	for i, s := range states {
		marks[i], args[i] = "?", string(s)
	}
	return strings.Join(marks, ", "), args
}

// Machine is the task workflow. The office (督查 or an administrator of the
// task's township) assigns, reviews and closes; the lead unit's people
// claim, report and apply for closing; a 挂牌督办 task is closed by its
// listing leader alone. Co-units only read. Scope is checked before a
// machine is asked, so the rules here say who, not where.
//
// 中止 and 销号 are deliberate steps, each with its reason. The office stops
// an open task to pause it and resumes it (恢复) into exactly the state it
// was stopped from, read from the stored steps; 销号, from an open or a
// stopped task, takes it off the register for good, by whoever would close
// it (the office, or a listed task's listing leader).
var Machine = workflow.Machine{
	Kind: "task", Table: "tasks", StateColumn: "state",
	States: States,
	Transitions: []workflow.Transition{
		{Name: Claim, From: []workflow.State{Assigned}, To: Accepted, Allow: lead},
		{Name: Report, From: []workflow.State{Accepted, InProgress}, To: InProgress, Allow: lead},
		{Name: Submit, From: []workflow.State{Accepted, InProgress}, To: Submitted, Allow: lead},
		{Name: Return, From: []workflow.State{Submitted}, To: workflow.Back, Allow: office, Reason: true},
		{Name: Close, From: []workflow.State{Submitted}, To: Closed, Allow: closer},
		{Name: Stop, From: open, To: Stopped, Allow: office, Reason: true},
		{Name: Resume, From: []workflow.State{Stopped}, To: workflow.Back, Allow: office, Reason: true},
		{Name: Strike, From: append(append([]workflow.State(nil), open...), Stopped), To: StruckOff, Allow: closer, Reason: true},
	},
}

// Office reports whether u works for a supervision office: a supervisor or
// an administrator. Which tasks they review is office's question.
func Office(u *auth.User) bool { return u.Role == auth.Supervisor || u.Role == auth.Admin }

// office admits the office of the task's township or above it, so that an
// administrator of a village cannot review the village's own task.
func office(u *auth.User, it workflow.Item) bool {
	t := it.Data.(*Task)
	return Office(u) && officeOver(u, t.townPath)
}

// officeOver reports whether u's unit is the township at townPath or above it.
func officeOver(u *auth.User, townPath string) bool {
	return townPath != "" && u.UnitPath != "" && strings.HasPrefix(townPath, u.UnitPath)
}

// lead admits the people of the lead unit itself who may act: everyone but
// read-only accounts. A unit below it (a village's grid) does not answer for
// the task, and its scope does not reach the task either.
func lead(u *auth.User, it workflow.Item) bool {
	t := it.Data.(*Task)
	return u.Role != auth.Viewer && u.UnitID == t.LeadUnitID
}

// closer is the office, or for a listed task its listing leader only: who
// may close a task may also strike it off (销号).
func closer(u *auth.User, it workflow.Item) bool {
	t := it.Data.(*Task)
	if t.Level == Listed {
		return t.ListingLeader != nil && u.PersonID != nil && *u.PersonID == *t.ListingLeader
	}
	return office(u, it)
}

// item is t as the machine sees it.
func (t *Task) item() workflow.Item {
	return workflow.Item{Kind: Machine.Kind, ID: t.ID, State: t.Status, Version: t.Version, Data: t}
}

// Light is a task's deadline light.
type Light string

const (
	NoLight Light = ""        // closed, stopped or struck off: nothing to watch
	Green   Light = "normal"  // 正常
	Yellow  Light = "due"     // 临期: the deadline is within the window
	Red     Light = "overdue" // 逾期: the deadline day has ended in Beijing
)

// Class is the light's colour in the style sheet.
func (l Light) Class() string {
	switch l {
	case Red:
		return "red"
	case Yellow:
		return "yellow"
	case Green:
		return "green"
	}
	return "none"
}

// LightOf is the light of a task in status with deadline (a Beijing
// calendar date) at now: overdue only once the deadline day has ended in
// Beijing, 临期 when at most window days are left, else normal; a closed,
// stopped or struck-off task has none.
func LightOf(status workflow.State, deadline time.Time, now time.Time, window int) Light {
	if isUnlit(status) {
		return NoLight
	}
	left := daysBetween(clock.Today(now), deadline)
	switch {
	case left < 0:
		return Red
	case left <= window:
		return Yellow
	}
	return Green
}

// daysBetween counts calendar days from a to b (both dates in Beijing).
func daysBetween(a, b time.Time) int {
	ay, am, ad := a.In(clock.Beijing).Date()
	by, bm, bd := b.In(clock.Beijing).Date()
	ua := time.Date(ay, am, ad, 0, 0, 0, 0, time.UTC)
	ub := time.Date(by, bm, bd, 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

// lit fills a task's light and overdue flag at now, with the townships'
// 临期 windows win.
func (t *Task) lit(now time.Time, win Windows) {
	d, err := clock.ParseDate(t.Deadline)
	if err != nil {
		return
	}
	t.Light = LightOf(t.Status, d, now, win.Of(t.TownshipID))
	t.Overdue = t.Light == Red
	today := clock.Today(now).Format(clock.DateFormat)
	t.ClaimLate = t.Status == Assigned && t.ClaimBy != "" && t.ClaimBy < today
	t.FeedbackLate = (t.Status == Accepted || t.Status == InProgress) && t.NextReport != "" && t.NextReport < today
}
