package project

import (
	"slices"
	"testing"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
)

func dates(kv ...string) []StageDates {
	var out []StageDates
	for i := 0; i+1 < len(kv); i += 2 {
		out = append(out, StageDates{Stage: Stage(kv[i]), Actual: kv[i+1]})
	}
	return out
}

func TestCurrent(t *testing.T) {
	cases := []struct {
		name   string
		stages []StageDates
		want   Stage
	}{
		{"none", nil, ""},
		{"planned only", []StageDates{{Stage: Signed, Planned: "2026-05-01"}}, ""},
		{"negotiating", dates("negotiating", "2026-03-01"), Negotiating},
		{"in order", dates("negotiating", "2026-03-01", "signed", "2026-04-01", "approved", "2026-05-01"), Approved},
		{"skipping", dates("signed", "2026-04-01", "started", "2026-06-01"), Started},
		{"out of list order", dates("started", "2026-06-01", "signed", "2026-04-01"), Started},
		{"in production", dates("approved", "2026-01-02", "in_production", "2026-12-01"), InProduction},
		{"unknown stage ignored", dates("dreaming", "2026-01-01"), ""},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := Current(tt.stages); got != tt.want {
				t.Errorf("Current = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestSkipped(t *testing.T) {
	cases := []struct {
		name   string
		stages []StageDates
		to     Stage
		want   []Stage
	}{
		{"the first stage", nil, Negotiating, nil},
		{"signed from nothing", nil, Signed, []Stage{Negotiating}},
		{"next in line", dates("negotiating", "2026-03-01"), Signed, nil},
		{"started after signing", dates("negotiating", "2026-03-01", "signed", "2026-04-01"), Started, []Stage{Approved, LandSupplied}},
		{"only the gap since the last reached", dates("approved", "2026-03-01"), Started, []Stage{LandSupplied}},
		{"a later stage does not count", dates("completed", "2026-09-01"), Signed, []Stage{Negotiating}},
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			if got := Skipped(tt.stages, tt.to); !slices.Equal(got, tt.want) {
				t.Errorf("Skipped = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCheckStages(t *testing.T) {
	const today = "2026-11-25"
	with := func(base []StageDates, sd StageDates) []StageDates { return append(slices.Clone(base), sd) }
	signed := dates("negotiating", "2026-03-01", "signed", "2026-04-01")
	cases := []struct {
		name    string
		stages  []StageDates
		changed Stage
		was     string
		field   string // "" when accepted
		key     string
	}{
		{"the first stage", dates("negotiating", "2026-03-01"), Negotiating, "", "", ""},
		{"the next stage", signed, Signed, "", "", ""},
		{"planned only, skipping", []StageDates{{Stage: Started, Planned: "2027-03-01"}}, Started, "", "", ""},
		{"planned not a date", []StageDates{{Stage: Started, Planned: "2027-02-30"}}, Started, "", "planned_on", "project.error.date"},
		{"actual not a date", dates("negotiating", "2026-13-01"), Negotiating, "", "actual_on", "project.error.date"},
		{"actual in the future", dates("negotiating", "2026-11-26"), Negotiating, "", "actual_on", "project.error.actual_future"},
		{"actual today", dates("negotiating", today), Negotiating, "", "", ""},
		{"started without approval or land, no reason", with(signed, StageDates{Stage: Started, Actual: "2026-06-01"}), Started, "", "reason", "project.error.reason.approved"},
		{"started without approval or land, with a reason", with(signed, StageDates{Stage: Started, Actual: "2026-06-01", Reason: "并联审批"}), Started, "", "", ""},
		{"signed without negotiating", dates("signed", "2026-04-01"), Signed, "", "reason", "project.error.reason.negotiating"},
		{"the same day as the stage before", dates("negotiating", "2026-03-01", "signed", "2026-03-01"), Signed, "", "", ""},
		{"before the stage before", dates("negotiating", "2026-03-01", "signed", "2026-02-28"), Signed, "", "actual_on", "project.error.actual_before.negotiating"},
		{"before a stage two back", with(signed, StageDates{Stage: Started, Actual: "2026-03-15", Reason: "并联"}), Started, "", "actual_on", "project.error.actual_before.signed"},
		{"after a later stage", dates("negotiating", "2026-05-01", "signed", "2026-04-01"), Negotiating, "", "actual_on", "project.error.actual_after.signed"},
		{"clearing while a later one is reached", []StageDates{{Stage: Negotiating}, {Stage: Signed, Actual: "2026-04-01"}}, Negotiating, "2026-03-01", "actual_on", "project.error.clear.signed"},
		{"clearing the latest", []StageDates{{Stage: Negotiating, Actual: "2026-03-01"}, {Stage: Signed}}, Signed, "2026-04-01", "", ""},
		{"an unknown stage", nil, "dreaming", "", "stage", "project.error.stage"},
	}
	long := make([]rune, MaxReason+1)
	for i := range long {
		long[i] = '因'
	}
	cases = append(cases, struct {
		name    string
		stages  []StageDates
		changed Stage
		was     string
		field   string
		key     string
	}{"a reason too long", []StageDates{{Stage: Signed, Actual: "2026-04-01", Reason: string(long)}}, Signed, "", "reason", "project.error.too_long"})
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			es := CheckStages(tt.stages, tt.changed, tt.was, today)
			if tt.field == "" {
				if len(es) > 0 {
					t.Errorf("refused: %v", es)
				}
				return
			}
			if !slices.ContainsFunc(es, func(e *platform.Error) bool { return e.Field == tt.field && e.Key == tt.key }) {
				t.Errorf("got %v, want %s on %s", es, tt.key, tt.field)
			}
		})
	}
}

func TestEditor(t *testing.T) {
	if !editsIn(mustUser("supervisor", "/1/2/"), "/1/2/") || !editsIn(mustUser("leader", "/1/2/"), "/1/2/") || !editsIn(mustUser("admin", "/1/"), "/1/2/") {
		t.Error("the township's office, its leaders and the district's administrator edit its register")
	}
	if editsIn(mustUser("admin", "/1/2/7/"), "/1/2/") || editsIn(mustUser("reporter", "/1/2/"), "/1/2/") || editsIn(mustUser("supervisor", "/1/3/"), "/1/2/") {
		t.Error("a village's administrator, a reporter or another township's office edits the register")
	}
}

func mustUser(role, path string) *auth.User { return &auth.User{Role: auth.Role(role), UnitPath: path} }
