package work

import (
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/files"
	"guatu/internal/platform/web"
	"guatu/internal/platform/workflow"
)

// fixtures are sample data for every page of the room, every list filled
// and every form showing errors, for the page check (internal/app).
func fixtures() []web.Fixture {
	leader := int64(5)
	doc := Task{ID: 1, TownshipID: 2, Title: "秋季招商签约项目落地", Requirement: "11月底前完成签约", Source: FromInstruction, SourceLeaderID: &leader,
		DocNumber: "〔2026〕12号", DocDate: "2026-10-08", Category: "招商", LeadUnitID: 4, LeadUnitName: "经发办（招商办）", CoUnitIDs: []int64{3},
		LeaderID: 5, AssignedOn: "2026-10-10", Deadline: "2026-11-20", Level: Listed, ListingLeader: &leader, Status: Submitted, Progress: 80, Version: 4, Light: Red, Overdue: true, Card: RedCard,
		ClaimBy: "2026-10-12", Rhythm: EveryNWeeks, RhythmWeeks: 2, NextReport: "2026-11-07", FeedbackLate: true}
	road := Task{ID: 2, TownshipID: 2, Title: "双塘村道路硬化", Source: FromLivelihood, LeadUnitID: 3, LeadUnitName: "双塘村", CoUnitIDs: []int64{},
		LeaderID: 6, AssignedOn: "2026-09-01", Deadline: "2026-12-31", Level: Normal, Status: Closed, Progress: 100, Version: 6,
		ClaimBy: "2026-09-03", Rhythm: Weekly, ClaimLate: true}
	rows := []Row{{Task: doc, LeaderName: "刘晓明"}, {Task: road, LeaderName: "赵丽华"}}
	list := func(kv ...string) *web.List {
		l := tasksList.Fixture(120)
		for i := 0; i+1 < len(kv); i += 2 {
			l.Set(kv[i], kv[i+1])
		}
		return l
	}
	heads := []web.SortHead{{Label: "事项名称", URL: "/tasks?sort=title", Mark: "↑", Aria: "ascending"}, {Label: "牵头单位", Aria: "none"}}
	units := []org.Choice{{ID: 2, Label: "XX镇", Kind: org.Township, Path: "/1/2/"}, {ID: 3, Label: "双塘村", Indent: "\u3000", Kind: org.Village, Path: "/1/2/3/"}}
	people := []org.Person{{ID: 9, UnitID: 3, UnitName: "双塘村", Name: "梁德福", Title: "村党总支书记"}}
	team := []org.TeamMember{{ID: 1, TownshipID: 2, PersonID: 5, PersonName: "刘晓明", Body: org.Government, Position: "副镇长"}}
	form := func(values map[string]string, errs ...string) web.FormView {
		fv := web.FormView{Values: values, Errors: map[string]string{}}
		for _, e := range errs {
			fv.Errors[e] = "请检查"
		}
		return fv
	}
	move := func(name string) workflow.Transition { t, _ := Machine.Transition(name); return t }
	at := time.Date(2026, 10, 10, 1, 0, 0, 0, time.UTC)
	steps := []workflow.Step{
		{ID: 1, To: Assigned, Transition: "assign", ActorLogin: "duban", At: at},
		{ID: 2, From: Assigned, To: Accepted, Transition: Claim, ActorLogin: "zhaoshang", At: at.Add(time.Hour)},
		{ID: 3, From: Submitted, To: InProgress, Transition: Return, ActorLogin: "duban", Comment: "缺签约合同", At: at.Add(48 * time.Hour)},
		{ID: 4, From: InProgress, To: Stopped, Transition: Stop, ActorLogin: "duban", Comment: "因规划调整暂缓实施", At: at.Add(72 * time.Hour)},
		{ID: 5, From: Stopped, To: InProgress, Transition: Resume, ActorLogin: "duban", Comment: "规划已批复，恢复办理", At: at.Add(96 * time.Hour)},
	}
	halted := &steps[3]
	return append([]web.Fixture{
		{Page: "tasks", Data: TasksPage{List: list("status", "submitted", "level", "listed", "unit", "3", "light", "overdue", "q", "招商"), Heads: heads, Rows: rows, Units: units,
			Leaders: []org.Choice{{ID: 5, Label: "刘晓明（副镇长）"}}, States: States, Levels: Levels, Lights: []Light{Red, Yellow, Green}, Sources: Sources, Colors: Colors, Lates: []string{LateClaim, LateFeedback}, Office: true}},
		{Page: "todo", Data: TodoPage{Rows: rows}},
		{Page: "task_new", Data: NewTaskPage{Units: units, People: people, Team: team, Sources: Sources, Levels: Levels, Rhythms: Rhythms,
			Milestones: []MilestoneInput{{Due: "2026-11-30", Title: "完成签约"}, {}, {}}, CoUnits: map[int64]bool{3: true}, Items: fixtureItems(),
			Done: []Milestone{{ID: 1, Due: "2026-10-31", Title: "完成选址", DoneOn: "2026-10-30"}}, // shown on an edit
			Form: form(map[string]string{"source": "instruction", "level": "listed", "lead_unit_id": "3", "leader_id": "5"},
				"_", "title", "requirement", "source", "source_leader_id", "doc_number", "doc_date", "category", "lead_unit_id", "responsible_id", "co_unit_ids", "leader_id", "assigned_on", "deadline", "level", "listing_leader_id", "claim_by", "rhythm", "rhythm_weeks", "milestones")}},
		{Page: "task", Data: TaskPage{Task: rows[0], CoUnits: []string{"双塘村"}, Steps: steps, Halt: halted, Listing: "刘晓明",
			Reports: []ProgressReport{{ID: 1, StepID: 2, Percent: 80, Body: "已签约3个", At: at}},
			Moves:   []workflow.Transition{move(Return), move(Close)}, CanReport: true, Remind: remindFixture(at), Closing: fixtureClosing(), CanEdit: true, CanDelete: true,
			Cards: TaskCards{RedAfter: DefaultRedAfter, Repeat: RepeatYellows, CanExempt: true, List: []Card{
				{ID: 2, TaskID: 1, Color: RedCard, Cause: LateCause, Deadline: "2026-11-20", RaisedOn: "2026-11-28", RaisedAt: at},
				{ID: 1, TaskID: 1, Color: YellowCard, Cause: LateCause, Deadline: "2026-11-20", RaisedOn: "2026-11-21", RaisedAt: at, ClearedAt: &at, ClearedWhy: ClearedUpgraded},
				{ID: 3, TaskID: 1, Color: YellowCard, Cause: LateCause, Deadline: "2026-10-31", RaisedOn: "2026-11-01", RaisedAt: at, ClearedAt: &at, ClearedWhy: ClearedExempt, ExemptReason: "上级政策调整", ExemptBy: "duban"},
			}},
			Milestones: TaskMilestones{CanMark: true, List: []Milestone{{ID: 1, Due: "2026-10-31", Title: "完成选址", DoneOn: "2026-10-30"},
				{ID: 2, Due: "2026-11-15", Title: "签订协议", Late: true}}},
			Changes: TaskChanges{CanRequest: true, CanDecide: true, CanApprove: true, Units: []org.Choice{{ID: 3, Label: "双塘村"}}, List: []Change{
				{ID: 2, TaskID: 1, Kind: ChangeLeadUnit, Old: "4", New: "3", OldName: "经发办（招商办）", NewName: "双塘村", Reason: "项目落在双塘村", State: ChangePending, RequestedBy: "zhaoshang", RequestedAt: at},
				{ID: 1, TaskID: 1, Kind: ChangeDeadline, Old: "2026-11-20", New: "2026-12-10", Reason: "企业签约推迟", State: ChangeApproved, RequestedBy: "zhaoshang", RequestedAt: at,
					DecidedBy: "duban", DecidedAt: &at, Comment: "同意", Counted: CountedOriginal},
			}},
			Form:     form(map[string]string{"percent": "80"}, "_", "transition", "comment", "body", "percent", "reason", "files", "note", "deadline", "lead_unit_id", "milestone"),
			Evidence: evidenceFixture(at)}},
		{Page: "cards", Data: CardsPage{Repeat: RepeatYellows, Townships: []TownshipCards{
			{Township: org.Unit{ID: 2, Name: "XX镇"}, Yellow: 3, Red: 2, Rules: Rules{RedAfter: 7, DueWindow: 5, DigestAt: "08:30"}, CanSet: true},
			{Township: org.Unit{ID: 7, Name: "临江镇"}, Yellow: 0, Red: 1, Rules: Rules{RedAfter: 10, DueWindow: 3}},
		}, Form: form(nil, "_", "red_after")}},
		{Page: "print", Data: PrintPage{Task: rows[0], Number: "督办〔2026〕1号", Township: "XX镇", CoUnits: []string{"双塘村"}, Responsible: "梁德福", Listing: "刘晓明",
			Milestones: []Milestone{{ID: 1, Due: "2026-10-31", Title: "完成选址", DoneOn: "2026-10-30"}, {ID: 2, Due: "2026-11-15", Title: "签订协议"}},
			Reports:    []ProgressReport{{ID: 1, StepID: 2, Percent: 80, Body: "已签约3个", At: at}}, Blank: []int{1, 2, 3}, Halt: halted}},
		{Page: "import", Data: ImportPage{Columns: importHeaders(), Form: form(nil, "_", "file"), Preview: &ImportPreview{Token: "ab12", Name: "11月25日调度会交办事项.xlsx",
			Rows:     []ImportRow{{Row: 3, Title: "双塘村河道清淤", LeadUnit: "双塘村", Leader: "赵丽华", Deadline: "2026-12-31", Level: Key, Source: FromMeeting}},
			Problems: []ImportProblem{{Row: 4, Column: "牵头单位", Key: "task.import.error.unit", Args: []any{"东湖"}}, {Key: "task.import.error.no_header"}}}}},
	}, livelihoodFixtures(rows, form)...)
}

// evidenceFixture is a task page's files and units' rows, a lagging
// co-unit among them.
func evidenceFixture(at time.Time) Evidence {
	step := int64(2)
	photo := Attachment{File: files.File{ID: 1, SHA256: strings.Repeat("ab", 32), Size: 20480, ContentType: files.JPEG, Name: "签约现场.jpg", At: at}, TaskID: 1, StepID: &step}
	return Evidence{
		Units: []UnitProgress{
			{UnitID: 4, UnitName: "经发办（招商办）", Lead: true, Reported: true, Percent: 80, Body: "已签约3个", At: &at, Reports: 2, Files: []Attachment{photo}},
			{UnitID: 3, UnitName: "双塘村", Percent: 0, Lagging: true, Files: []Attachment{}},
		},
		Steps:      map[int64][]Attachment{2: {photo}},
		UnitReport: true, Submit: true, LimitMB: 20, Max: MaxFiles, Accept: files.Accept,
	}
}
