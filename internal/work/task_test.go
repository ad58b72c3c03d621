package work

import (
	"slices"
	"testing"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/workflow"
)

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := clock.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestLightOf(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name     string
		status   workflow.State
		deadline string
		now      time.Time
		want     Light
	}{
		{"deadline day, last second in Beijing", InProgress, "2026-12-03", utc("2026-12-03T23:59:59+08:00"), Yellow},
		{"first second after the deadline day", InProgress, "2026-12-03", utc("2026-12-04T00:00:00+08:00"), Red},
		{"UTC evening is already the next Beijing day", InProgress, "2026-12-03", utc("2026-12-03T16:30:00Z"), Red},
		{"UTC afternoon is still the deadline day", InProgress, "2026-12-03", utc("2026-12-03T15:59:59Z"), Yellow},
		{"three days left", Assigned, "2026-12-06", utc("2026-12-03T09:00:00+08:00"), Yellow},
		{"four days left", Assigned, "2026-12-07", utc("2026-12-03T09:00:00+08:00"), Green},
		{"four days left by UTC, three in Beijing", Assigned, "2026-12-07", utc("2026-12-03T17:00:00Z"), Yellow},
		{"leap day deadline, day before", Submitted, "2028-02-29", utc("2028-02-28T12:00:00+08:00"), Yellow},
		{"leap day deadline, on the day", Submitted, "2028-02-29", utc("2028-02-29T20:00:00+08:00"), Yellow},
		{"leap day deadline, 1 March", Submitted, "2028-02-29", utc("2028-03-01T00:00:01+08:00"), Red},
		{"across the year end", Accepted, "2027-01-02", utc("2026-12-30T10:00:00+08:00"), Yellow},
		{"long overdue", Accepted, "2026-01-02", utc("2026-12-30T10:00:00+08:00"), Red},
		{"closed has no light", Closed, "2026-01-02", utc("2026-12-30T10:00:00+08:00"), NoLight},
		{"stopped has no light", Stopped, "2026-01-02", utc("2026-12-30T10:00:00+08:00"), NoLight},
		{"struck off has no light", StruckOff, "2026-01-02", utc("2026-12-30T10:00:00+08:00"), NoLight},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := LightOf(c.status, mustDate(t, c.deadline), c.now, DefaultDueWindow); got != c.want {
				t.Errorf("got %q, want %q", got, c.want)
			}
		})
	}
}

func TestMachine(t *testing.T) {
	if err := Machine.Validate(); err != nil {
		t.Fatal(err)
	}
	leaderID, otherLeader := int64(50), int64(51)
	duban := &auth.User{ID: 1, Login: "duban", Role: auth.Supervisor, UnitPath: "/1/2/"}
	district := &auth.User{ID: 9, Login: "qu", Role: auth.Admin, UnitPath: "/1/"}
	villageAdmin := &auth.User{ID: 10, Login: "cunguan", Role: auth.Admin, UnitID: 9, UnitPath: "/1/2/9/"}
	admin := &auth.User{ID: 2, Login: "admin", Role: auth.Admin, UnitPath: "/1/2/"}
	village := &auth.User{ID: 3, Login: "shuangtang", Role: auth.Reporter, UnitID: 9, UnitPath: "/1/2/9/"}
	grid := &auth.User{ID: 4, Login: "grid", Role: auth.GridWorker, UnitID: 30, UnitPath: "/1/2/9/30/"}
	viewer := &auth.User{ID: 5, Login: "look", Role: auth.Viewer, UnitID: 9, UnitPath: "/1/2/9/"}
	neighbour := &auth.User{ID: 6, Login: "other", Role: auth.Reporter, UnitID: 10, UnitPath: "/1/2/10/"}
	listing := &auth.User{ID: 7, Login: "shuji", Role: auth.Leader, UnitPath: "/1/2/", PersonID: &leaderID}
	notListing := &auth.User{ID: 8, Login: "zhen", Role: auth.Leader, UnitPath: "/1/2/", PersonID: &otherLeader}

	cases := []struct {
		name    string
		state   workflow.State
		level   Level
		move    string
		actor   *auth.User
		comment string
		want    platform.Code
	}{
		{"village claims", Assigned, Normal, Claim, village, "", ""},
		{"a grid of the village does not answer for it", Assigned, Normal, Claim, grid, "", platform.Forbidden},
		{"a viewer may not claim", Assigned, Normal, Claim, viewer, "", platform.Forbidden},
		{"another village may not claim", Assigned, Normal, Claim, neighbour, "", platform.Forbidden},
		{"the office does not claim", Assigned, Normal, Claim, duban, "", platform.Forbidden},
		{"report before claiming", Assigned, Normal, Report, village, "", platform.Invalid},
		{"report after claiming", Accepted, Normal, Report, village, "", ""},
		{"report again", InProgress, Normal, Report, village, "", ""},
		{"apply straight after claiming", Accepted, Normal, Submit, village, "", ""},
		{"apply in progress", InProgress, Normal, Submit, village, "", ""},
		{"the office returns with a reason", Submitted, Normal, Return, duban, "照片不全", ""},
		{"no return without reason", Submitted, Normal, Return, duban, "", platform.Invalid},
		{"the village may not return", Submitted, Normal, Return, village, "x", platform.Forbidden},
		{"the office closes", Submitted, Key, Close, duban, "", ""},
		{"an admin closes", Submitted, Normal, Close, admin, "", ""},
		{"the district's admin closes", Submitted, Normal, Close, district, "", ""},
		{"the village's own admin may not close", Submitted, Normal, Close, villageAdmin, "", platform.Forbidden},
		{"the village's own admin may not return", Submitted, Normal, Return, villageAdmin, "x", platform.Forbidden},
		{"the village may not close", Submitted, Normal, Close, village, "", platform.Forbidden},
		{"close before applying", InProgress, Normal, Close, duban, "", platform.Invalid},
		{"a listed task: the office may not close", Submitted, Listed, Close, duban, "", platform.Forbidden},
		{"a listed task: another leader may not close", Submitted, Listed, Close, notListing, "", platform.Forbidden},
		{"a listed task: its listing leader closes", Submitted, Listed, Close, listing, "", ""},
		{"the office stops with a reason", InProgress, Normal, Stop, duban, "上级撤销", ""},
		{"no stop without reason", Assigned, Normal, Stop, duban, "", platform.Invalid},
		{"no stop with a blank reason", Assigned, Normal, Stop, duban, " \n ", platform.Invalid},
		{"nothing moves a closed task", Closed, Normal, Stop, duban, "x", platform.Invalid},
		{"nothing moves a stopped task", Stopped, Normal, Claim, village, "", platform.Invalid},

		// 中止: the office pauses any open task, a listed one too.
		{"stop an assigned task", Assigned, Normal, Stop, duban, "暂缓", ""},
		{"stop a claimed task", Accepted, Normal, Stop, duban, "暂缓", ""},
		{"stop a task applying to close", Submitted, Normal, Stop, duban, "暂缓", ""},
		{"the district's admin stops", InProgress, Normal, Stop, district, "暂缓", ""},
		{"stop a listed task: the office", InProgress, Listed, Stop, duban, "暂缓", ""},
		{"stop a listed task: not its listing leader", InProgress, Listed, Stop, listing, "暂缓", platform.Forbidden},
		{"the village may not stop", InProgress, Normal, Stop, village, "暂缓", platform.Forbidden},
		{"the village's own admin may not stop", InProgress, Normal, Stop, villageAdmin, "暂缓", platform.Forbidden},
		{"stop twice", Stopped, Normal, Stop, duban, "暂缓", platform.Invalid},
		{"stop a struck-off task", StruckOff, Normal, Stop, duban, "暂缓", platform.Invalid},
		{"a stopped task is not reported on", Stopped, Normal, Report, village, "x", platform.Invalid},
		{"a stopped task does not apply to close", Stopped, Normal, Submit, village, "", platform.Invalid},
		{"a stopped task is not closed", Stopped, Normal, Close, duban, "", platform.Invalid},
		{"a stopped task is not returned", Stopped, Normal, Return, duban, "x", platform.Invalid},

		// 恢复: the office, with a reason, from 中止 only.
		{"the office resumes with a reason", Stopped, Normal, Resume, duban, "规划已批复", ""},
		{"the district's admin resumes", Stopped, Normal, Resume, district, "规划已批复", ""},
		{"no resume without reason", Stopped, Normal, Resume, duban, "", platform.Invalid},
		{"the village may not resume", Stopped, Normal, Resume, village, "x", platform.Forbidden},
		{"the village's own admin may not resume", Stopped, Normal, Resume, villageAdmin, "x", platform.Forbidden},
		{"resume a listed task: the office", Stopped, Listed, Resume, duban, "x", ""},
		{"resume a listed task: not its listing leader", Stopped, Listed, Resume, listing, "x", platform.Forbidden},
		{"resume an open task", InProgress, Normal, Resume, duban, "x", platform.Invalid},
		{"resume a closed task", Closed, Normal, Resume, duban, "x", platform.Invalid},
		{"resume a struck-off task", StruckOff, Normal, Resume, duban, "x", platform.Invalid},

		// 销号: who would close it, with a reason, from an open or a stopped task.
		{"strike off an assigned task", Assigned, Normal, Strike, duban, "上级已撤销该项工作", ""},
		{"strike off a claimed task", Accepted, Key, Strike, duban, "上级已撤销该项工作", ""},
		{"strike off a task in progress", InProgress, Normal, Strike, admin, "上级已撤销该项工作", ""},
		{"strike off a task applying to close", Submitted, Normal, Strike, district, "上级已撤销该项工作", ""},
		{"strike off a stopped task", Stopped, Normal, Strike, duban, "上级已撤销该项工作", ""},
		{"no strike without reason", InProgress, Normal, Strike, duban, "", platform.Invalid},
		{"no strike of a stopped task without reason", Stopped, Normal, Strike, duban, "  ", platform.Invalid},
		{"the village may not strike off", InProgress, Normal, Strike, village, "x", platform.Forbidden},
		{"a viewer may not strike off", InProgress, Normal, Strike, viewer, "x", platform.Forbidden},
		{"the village's own admin may not strike off", InProgress, Normal, Strike, villageAdmin, "x", platform.Forbidden},
		{"a leader may not strike off a task not listed", InProgress, Normal, Strike, listing, "x", platform.Forbidden},
		{"a listed task: the office may not strike off", InProgress, Listed, Strike, duban, "x", platform.Forbidden},
		{"a listed task: another leader may not strike off", InProgress, Listed, Strike, notListing, "x", platform.Forbidden},
		{"a listed task: its listing leader strikes off", InProgress, Listed, Strike, listing, "上级已撤销该项工作", ""},
		{"a listed task stopped: its listing leader strikes off", Stopped, Listed, Strike, listing, "上级已撤销该项工作", ""},
		{"a listed task stopped: the office may not strike off", Stopped, Listed, Strike, duban, "x", platform.Forbidden},
		{"strike off a closed task", Closed, Normal, Strike, duban, "x", platform.Invalid},
		{"strike off twice", StruckOff, Normal, Strike, duban, "x", platform.Invalid},
		{"nothing moves a struck-off task", StruckOff, Normal, Claim, village, "", platform.Invalid},
		{"a struck-off task is not reported on", StruckOff, Normal, Report, village, "x", platform.Invalid},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			task := &Task{ID: 1, Status: c.state, Level: c.level, LeadUnitID: 9, townPath: "/1/2/"}
			if c.level == Listed {
				task.ListingLeader = &leaderID
			}
			err := Machine.Check(task.item(), c.move, c.actor, c.comment)
			if c.want == "" && err != nil {
				t.Fatalf("got %v, want allowed", err)
			}
			if c.want != "" && platform.ErrorCode(err) != c.want {
				t.Fatalf("got %v, want %s", err, c.want)
			}
		})
	}
}

// The moves each state offers: a stopped task only resumes or is struck
// off, a closed or struck-off one offers nothing to anyone.
func TestMachineAllowed(t *testing.T) {
	leaderID := int64(50)
	duban := &auth.User{ID: 1, Login: "duban", Role: auth.Supervisor, UnitPath: "/1/2/"}
	village := &auth.User{ID: 3, Login: "shuangtang", Role: auth.Reporter, UnitID: 9, UnitPath: "/1/2/9/"}
	listing := &auth.User{ID: 7, Login: "shuji", Role: auth.Leader, UnitPath: "/1/2/", PersonID: &leaderID}
	cases := []struct {
		name  string
		state workflow.State
		level Level
		actor *auth.User
		want  []string
	}{
		{"office on an assigned task", Assigned, Normal, duban, []string{Stop, Strike}},
		{"office on a task applying to close", Submitted, Normal, duban, []string{Return, Close, Stop, Strike}},
		{"office on a stopped task", Stopped, Normal, duban, []string{Resume, Strike}},
		{"office on a stopped listed task", Stopped, Listed, duban, []string{Resume}},
		{"listing leader on a stopped listed task", Stopped, Listed, listing, []string{Strike}},
		{"listing leader on a listed task in progress", InProgress, Listed, listing, []string{Strike}},
		{"village on a stopped task", Stopped, Normal, village, nil},
		{"village on a task in progress", InProgress, Normal, village, []string{Report, Submit}},
		{"office on a closed task", Closed, Normal, duban, nil},
		{"office on a struck-off task", StruckOff, Normal, duban, nil},
		{"listing leader on a struck-off task", StruckOff, Listed, listing, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			task := &Task{ID: 1, Status: c.state, Level: c.level, LeadUnitID: 9, townPath: "/1/2/"}
			if c.level == Listed {
				task.ListingLeader = &leaderID
			}
			var got []string
			for _, tr := range Machine.Allowed(task.item(), c.actor) {
				got = append(got, tr.Name)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("got %v, want %v", got, c.want)
			}
		})
	}
}

// Every move refused for the state has the register's own words for it,
// and the generic refusal for an unknown move stays the workflow's.
func TestMoveError(t *testing.T) {
	for _, tr := range Machine.Transitions {
		wrong := &platform.Error{Code: platform.Invalid, Key: "workflow.wrong_state", Field: "transition"}
		e := platform.AsError(moveError(wrong, tr.Name))
		if e.Key != "task.error.state."+tr.Name || e.Field != "transition" || e.Code != platform.Invalid {
			t.Errorf("%s: got %+v", tr.Name, e)
		}
	}
	other := platform.FieldError("comment", "workflow.reason_required")
	if got := moveError(other, Stop); got != error(other) {
		t.Errorf("a missing reason: got %v, want it unchanged", got)
	}
}
