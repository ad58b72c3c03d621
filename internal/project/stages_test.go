package project_test

import (
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	paudit "guatu/internal/platform/audit"
	"guatu/internal/platform/db"
	"guatu/internal/project"
)

// TestRecordStage: the office records 签约 after 洽谈, then 开工 past 立项
// and 供地, which needs a reason; an actual date before 签约's is refused
// naming 签约; a stale version is a conflict; a village reads the stages but
// records none; every record is audited with the project.
func TestRecordStage(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		p, err := w.s.Create(office, w.input("恒达精密装备制造配件项目"))
		if err != nil {
			t.Fatal(err)
		}
		record := func(version int64, sd project.StageDates) (project.Project, error) {
			t.Helper()
			return w.s.RecordStage(office, p.ID, version, sd)
		}
		got, err := record(p.Version, project.StageDates{Stage: project.Negotiating, Planned: "2026-03-01", Actual: "2026-03-02"})
		if err != nil || got.Stage != project.Negotiating || got.Version != p.Version+1 {
			t.Fatalf("洽谈: %+v %v", got, err)
		}
		if _, err := record(p.Version, project.StageDates{Stage: project.Signed, Actual: "2026-05-20"}); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("a stale version: %v, want conflict", err)
		}
		if got, err = record(0, project.StageDates{Stage: project.Signed, Planned: "2026-05-01", Actual: "2026-05-20", Reason: "不需要的说明"}); err != nil || got.Stage != project.Signed {
			t.Fatalf("签约: %+v %v", got, err)
		}
		if got.Stages[1].Reason != "" {
			t.Errorf("a reason with nothing skipped is kept: %q", got.Stages[1].Reason)
		}
		_, err = record(0, project.StageDates{Stage: project.Started, Actual: "2026-09-18"})
		if !hasField(err, "reason") || platform.AsError(err).Key != "project.error.reason.approved" {
			t.Errorf("开工 past 立项 and 供地 without a reason: %v", err)
		}
		_, err = record(0, project.StageDates{Stage: project.Started, Actual: "2026-05-19", Reason: "并联审批"})
		if !hasField(err, "actual_on") || platform.AsError(err).Key != "project.error.actual_before.signed" {
			t.Errorf("开工 before 签约: %v", err)
		}
		if _, err := record(0, project.StageDates{Stage: project.Completed, Actual: "2026-12-01", Reason: "x"}); !hasField(err, "actual_on") {
			t.Errorf("an actual date after today: %v", err)
		}
		if got, err = record(0, project.StageDates{Stage: project.Started, Planned: "2026-09-01", Actual: "2026-09-18", Reason: "立项、供地手续与开工并联办理"}); err != nil || got.Stage != project.Started {
			t.Fatalf("开工 with a reason: %+v %v", got, err)
		}
		if _, err := record(0, project.StageDates{Stage: project.Signed}); !hasField(err, "actual_on") {
			t.Errorf("clearing 签约 while 开工 is reached: %v", err)
		}
		if got, err = record(0, project.StageDates{Stage: project.Completed, Planned: "2027-06-30"}); err != nil || got.Stage != project.Started {
			t.Errorf("a planned date only keeps the stage: %+v %v", got, err)
		}

		village := w.as(t, "shuangtang")
		read, err := w.s.Project(village, p.ID)
		if err != nil || read.Stage != project.Started || read.Stages[4].Reason != "立项、供地手续与开工并联办理" || read.Stages[5].Planned != "2027-06-30" {
			t.Fatalf("the village reads the project at its village: %+v %v", read, err)
		}
		if _, err := w.s.RecordStage(village, p.ID, 0, project.StageDates{Stage: project.Completed, Actual: "2026-11-01"}); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village recording a stage: %v, want forbidden", err)
		}
		if _, err := w.s.RecordStage(w.as(t, "linjiang"), p.ID, 0, project.StageDates{Stage: project.Completed, Actual: "2026-11-01"}); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("another township recording a stage: %v, want not found", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'project' AND action = 'update' AND entity_id = $1`, paudit.ID(p.ID)); n != 4 {
			t.Errorf("%d audited stage records, want 4", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM projects WHERE id = $1 AND stage = 'started' AND stage_rank = 5`, p.ID); n != 1 {
			t.Error("the kept stage is not 开工")
		}
	})
}

// TestUpdate: the office corrects a project at the version it read; a
// stale version is a conflict, another project's name is refused, a
// village may not, and the stages stay.
func TestUpdate(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		office := w.as(t, "duban")
		p, err := w.s.Create(office, w.input("健身器具生产线"))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.Create(office, w.input("毛绒玩具扩产")); err != nil {
			t.Fatal(err)
		}
		if p, err = w.s.RecordStage(office, p.ID, 0, project.StageDates{Stage: project.Negotiating, Actual: "2026-10-01"}); err != nil {
			t.Fatal(err)
		}
		in := w.input("健身器具智能生产线")
		in.Total, in.MemberIDs, in.ContactID = 15000, nil, nil
		got, err := w.s.Update(office, p.ID, p.Version, in)
		if err != nil || got.Name != "健身器具智能生产线" || got.Stage != project.Negotiating {
			t.Fatalf("update: %+v %v", got, err)
		}
		read, err := w.s.Project(office, p.ID)
		if err != nil || read.Total != 15000 || len(read.MemberIDs) != 0 || read.ContactID != nil || read.Stages[0].Actual != "2026-10-01" {
			t.Errorf("after the update: %+v %v", read, err)
		}
		if _, err := w.s.Update(office, p.ID, p.Version, in); platform.ErrorCode(err) != platform.Conflict {
			t.Errorf("a stale version: %v, want conflict", err)
		}
		in.Name = "毛绒玩具扩产"
		if _, err := w.s.Update(office, p.ID, 0, in); !hasField(err, "name") {
			t.Errorf("another project's name: %v", err)
		}
		if _, err := w.s.Update(w.as(t, "shuangtang"), p.ID, 0, w.input("改名")); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a village correcting: %v, want forbidden", err)
		}
	})
}
