package work

import (
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
		{"nothing moves a closed task", Closed, Normal, Stop, duban, "x", platform.Invalid},
		{"nothing moves a stopped task", Stopped, Normal, Claim, village, "", platform.Invalid},
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
