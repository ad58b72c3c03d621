package work

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/files"
	"guatu/internal/platform/workflow"
)

// MaxFiles bounds the files sent with one report or application.
const MaxFiles = 10

// Attachment is a file of a task (附件): a photo or document sent with a
// progress report — the lead unit's (a workflow step) or a co-unit's — or
// as evidence with 申请办结 (the submit step).
type Attachment struct {
	files.File
	TaskID       int64  `json:"task_id"`
	StepID       *int64 `json:"step_id,omitempty"`
	UnitReportID *int64 `json:"unit_report_id,omitempty"`
}

// URL is where the attachment is served to the task's readers.
func (a Attachment) URL() string {
	return "/tasks/" + strconv.FormatInt(a.TaskID, 10) + "/files/" + strconv.FormatInt(a.ID, 10)
}

// ReportInput is a progress report as the form or the API sends it.
type ReportInput struct {
	Percent int
	Body    string
	// Problems are the problems met (存在问题), Support what the unit needs
	// from others (需协调解决事项); either may be "".
	Problems, Support string
	Files             []files.Upload
}

// check validates the report's text, percentage and number of files.
func (in *ReportInput) check() error {
	in.Body = strings.TrimSpace(in.Body)
	in.Problems, in.Support = strings.TrimSpace(in.Problems), strings.TrimSpace(in.Support)
	var es platform.Errors
	for _, f := range []struct{ field, v string }{{"problems", in.Problems}, {"support", in.Support}} {
		if utf8.RuneCountInString(f.v) > MaxComment {
			es = append(es, platform.FieldError(f.field, "task.error.too_long", MaxComment))
		}
	}
	if in.Percent < 0 || in.Percent > 100 {
		es = append(es, platform.FieldError("percent", "task.error.percent"))
	}
	switch n := utf8.RuneCountInString(in.Body); {
	case n == 0:
		es = append(es, platform.FieldError("body", "task.error.report_required"))
	case n > MaxComment:
		es = append(es, platform.FieldError("body", "task.error.too_long", MaxComment))
	}
	if len(in.Files) > MaxFiles {
		es = append(es, platform.FieldError(files.Field, "file.error.too_many", MaxFiles))
	}
	return es.Err()
}

// attacher records a step's extras inside its transaction.
type attacher func(ctx context.Context, tx *sql.Tx, u *auth.User, st workflow.Step, now time.Time) error

// attachTo links kept files to the step of task id.
func attachTo(id int64, kept []files.File) attacher {
	if len(kept) == 0 {
		return nil
	}
	return func(ctx context.Context, tx *sql.Tx, u *auth.User, st workflow.Step, now time.Time) error {
		for _, k := range kept {
			rec, err := files.Insert(ctx, tx, k, actorID(u), now)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_files (task_id, file_id, step_id) VALUES ($1, $2, $3)`, id, rec.ID, st.ID); err != nil {
				return platform.Internalf("task file: %w", err)
			}
		}
		return nil
	}
}

// actorID is u's account id, nil for the system (which has none).
func actorID(u *auth.User) *int64 {
	if u == nil || u.ID == 0 {
		return nil
	}
	return &u.ID
}

// keep stores uploads' content (nothing to store: nil).
func (s *Store) keep(ctx context.Context, ups []files.Upload) ([]files.File, error) {
	if len(ups) == 0 {
		return nil, nil
	}
	if s.Files == nil {
		return nil, platform.Internalf("work: no file store")
	}
	return s.Files.Keep(ctx, ups)
}

// can reports whether u may move t along name now.
func can(t Task, name string, u *auth.User) bool {
	for _, tr := range Machine.Allowed(t.item(), u) {
		if tr.Name == name {
			return true
		}
	}
	return false
}

// coUnitOf reports whether u acts for one of t's co-units (not the lead).
func coUnitOf(u *auth.User, t Task) bool {
	if u == nil || u.UnitID == t.LeadUnitID {
		return false
	}
	for _, id := range t.CoUnitIDs {
		if id == u.UnitID {
			return true
		}
	}
	return false
}

// UnitReportStates are the states in which a co-unit reports its part.
var UnitReportStates = []workflow.State{Accepted, InProgress}

// CanUnitReport reports whether u may report a co-unit's part of t now:
// someone of the co-unit itself, not read-only, once the task is claimed
// and until the lead unit applies for closing.
func CanUnitReport(u *auth.User, t Task) bool {
	if !coUnitOf(u, t) || u.Role == auth.Viewer {
		return false
	}
	for _, st := range UnitReportStates {
		if t.Status == st {
			return true
		}
	}
	return false
}

// Report records a progress report with its files: the lead unit's moves
// the task into 办理中 (a workflow step, the task's progress set to the
// percentage); a co-unit's records its own part only, moving nothing. It
// returns the task and the files kept. NotFound outside scope; Invalid for
// bad text, percentage or files (named on "body", "percent", "files");
// Forbidden for anyone else; Conflict as Take.
func (s *Store) Report(ctx context.Context, id, version int64, in ReportInput) (Task, []Attachment, error) {
	if err := in.check(); err != nil {
		return Task{}, nil, err
	}
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Task{}, nil, err
	}
	t, err := s.read(ctx, s.DB, sc, id)
	if err != nil {
		return Task{}, nil, err
	}
	if coUnitOf(sc.User, t) {
		return s.unitReport(ctx, sc, t, in)
	}
	var kept []files.File
	if len(in.Files) > 0 && can(t, Report, sc.User) {
		if kept, err = s.keep(ctx, in.Files); err != nil {
			return Task{}, nil, err
		}
	}
	out, err := s.take(ctx, id, version, Report, in.Body, &reported{in.Percent, in.Problems, in.Support}, attachTo(id, kept))
	if err != nil {
		return Task{}, nil, err
	}
	atts, err := s.stepFiles(ctx, id, kept)
	return out, atts, err
}

// TakeWith is Take with files: the evidence of 申请办结. Files with any
// other move are refused (Invalid on "files").
func (s *Store) TakeWith(ctx context.Context, id, version int64, name, comment string, ups []files.Upload) (Task, error) {
	if len(ups) == 0 {
		return s.Take(ctx, id, version, name, comment)
	}
	if name != Submit {
		return Task{}, platform.FieldError(files.Field, "task.error.files_submit_only")
	}
	if len(ups) > MaxFiles {
		return Task{}, platform.FieldError(files.Field, "file.error.too_many", MaxFiles)
	}
	t, err := s.Task(ctx, id)
	if err != nil {
		return Task{}, err
	}
	var kept []files.File
	if can(t, Submit, auth.FromContext(ctx)) {
		if kept, err = s.keep(ctx, ups); err != nil {
			return Task{}, err
		}
	}
	return s.take(ctx, id, version, Submit, comment, nil, attachTo(id, kept))
}

// stepFiles reads back the files just linked to task id (by their hashes).
func (s *Store) stepFiles(ctx context.Context, id int64, kept []files.File) ([]Attachment, error) {
	if len(kept) == 0 {
		return []Attachment{}, nil
	}
	all, err := s.attachments(ctx, id)
	if err != nil {
		return nil, err
	}
	// The newest len(kept) are this step's: attachments are oldest first.
	return all[len(all)-len(kept):], nil
}

// unitReport records a co-unit's report of its part, with its files, and
// audits it.
func (s *Store) unitReport(ctx context.Context, sc *org.Scope, t Task, in ReportInput) (Task, []Attachment, error) {
	u := sc.User
	if u.Role == auth.Viewer {
		return Task{}, nil, platform.ErrForbidden
	}
	if !CanUnitReport(u, t) {
		return Task{}, nil, platform.FieldError("_", "task.error.unit_report_state")
	}
	kept, err := s.keep(ctx, in.Files)
	if err != nil {
		return Task{}, nil, err
	}
	now := s.now()
	unit, _ := sc.Tree.Unit(u.UnitID)
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		var rid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO task_unit_reports (task_id, unit_id, percent, body, problems, support, user_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, t.ID, u.UnitID, in.Percent, in.Body, in.Problems, in.Support, actorID(u), now.UTC()).Scan(&rid); err != nil {
			return platform.Internalf("unit report: %w", err)
		}
		names := make([]string, 0, len(kept))
		for _, k := range kept {
			rec, err := files.Insert(ctx, tx, k, actorID(u), now)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO task_files (task_id, file_id, unit_report_id) VALUES ($1, $2, $3)`, t.ID, rec.ID, rid); err != nil {
				return platform.Internalf("task file: %w", err)
			}
			names = append(names, rec.Name)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "task_unit_report", EntityID: audit.ID(rid),
			UnitID: u.UnitID, UnitPath: unit.Path,
			After: struct {
				TaskID   int64    `json:"task_id"`
				UnitID   int64    `json:"unit_id"`
				Percent  int      `json:"percent"`
				Body     string   `json:"body"`
				Problems string   `json:"problems,omitempty"`
				Support  string   `json:"support,omitempty"`
				Files    []string `json:"files,omitempty"`
			}{t.ID, u.UnitID, in.Percent, in.Body, in.Problems, in.Support, names}, At: now})
	})
	if err != nil {
		return Task{}, nil, err
	}
	atts, err := s.stepFiles(ctx, t.ID, kept)
	return t, atts, err
}

// Attachments returns a task's files, oldest first; NotFound outside scope.
func (s *Store) Attachments(ctx context.Context, id int64) ([]Attachment, error) {
	if _, err := s.Task(ctx, id); err != nil {
		return nil, err
	}
	return s.attachments(ctx, id)
}

func (s *Store) attachments(ctx context.Context, id int64) ([]Attachment, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT f.id, f.sha256, f.size, f.content_type, f.name, f.uploaded_by, f.at, tf.step_id, tf.unit_report_id
		FROM task_files tf JOIN files f ON f.id = tf.file_id WHERE tf.task_id = $1 ORDER BY f.id`, id)
	if err != nil {
		return nil, platform.Internalf("task files: %w", err)
	}
	defer rows.Close()
	out := []Attachment{}
	for rows.Next() {
		a := Attachment{TaskID: id}
		if a.File, err = files.Scan(rows, &a.StepID, &a.UnitReportID); err != nil {
			return nil, platform.Internalf("task files: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// Attachment returns one file of a task for serving: NotFound (audited)
// when the task is outside the caller's scope, NotFound when the file is
// not the task's.
func (s *Store) Attachment(ctx context.Context, id, fileID int64) (files.File, error) {
	if _, err := s.Task(ctx, id); err != nil {
		return files.File{}, err
	}
	f, err := files.Scan(s.DB.QueryRowContext(ctx, `SELECT f.id, f.sha256, f.size, f.content_type, f.name, f.uploaded_by, f.at
		FROM task_files tf JOIN files f ON f.id = tf.file_id WHERE tf.task_id = $1 AND tf.file_id = $2`, id, fileID))
	if errors.Is(err, sql.ErrNoRows) {
		return files.File{}, platform.ErrNotFound
	}
	if err != nil {
		return files.File{}, platform.Internalf("task file: %w", err)
	}
	return f, nil
}

// UnitProgress is one unit's row of a task's progress: the lead unit's
// (the task's progress and its last report) or a co-unit's (its own last
// report).
type UnitProgress struct {
	UnitID   int64        `json:"unit_id"`
	UnitName string       `json:"unit_name"`
	Lead     bool         `json:"lead"`
	Reported bool         `json:"reported"`
	Percent  int          `json:"percent"`
	Body     string       `json:"last_report"`
	Problems string       `json:"problems"` // the last report's
	Support  string       `json:"support"`
	At       *time.Time   `json:"last_report_at"`
	Reports  int          `json:"reports"`
	Lagging  bool         `json:"lagging"`
	Files    []Attachment `json:"files"` // those of the last report
}

// LagPoints is how far a co-unit's percentage may trail the lead unit's
// before its row is marked lagging.
const LagPoints = 20

// Lagging reports whether a co-unit's row trails: the task under way (claimed
// or in progress) and the co-unit has not reported, or its percentage is
// LagPoints or more below the lead unit's.
func Lagging(status workflow.State, lead int, reported bool, percent int) bool {
	if status != Accepted && status != InProgress && status != Submitted {
		return false
	}
	if !reported {
		return true
	}
	return lead-percent >= LagPoints
}

// Progresses returns the task's rows of progress, the lead unit first then
// its co-units in order, with their last reports and their files.
// NotFound outside scope.
func (s *Store) Progresses(ctx context.Context, t Task) ([]UnitProgress, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return nil, err
	}
	t, err = s.read(ctx, s.DB, sc, t.ID)
	if err != nil {
		return nil, err
	}
	atts, err := s.attachments(ctx, t.ID)
	if err != nil {
		return nil, err
	}
	name := func(id int64) string {
		if u, ok := sc.Tree.Unit(id); ok {
			return u.Name
		}
		return ""
	}
	lead := UnitProgress{UnitID: t.LeadUnitID, UnitName: name(t.LeadUnitID), Lead: true, Percent: t.Progress, Files: []Attachment{}}
	var stepID int64
	var at time.Time
	err = s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM task_reports WHERE task_id = $1`, t.ID).Scan(&lead.Reports)
	if err != nil {
		return nil, platform.Internalf("task reports: %w", err)
	}
	if lead.Reports > 0 {
		if err := s.DB.QueryRowContext(ctx, `SELECT step_id, body, problems, support, at FROM task_reports WHERE task_id = $1 ORDER BY id DESC LIMIT 1`, t.ID).Scan(&stepID, &lead.Body, &lead.Problems, &lead.Support, &at); err != nil {
			return nil, platform.Internalf("task reports: %w", err)
		}
		lead.Reported, lead.At = true, &at
		for _, a := range atts {
			if a.StepID != nil && *a.StepID == stepID {
				lead.Files = append(lead.Files, a)
			}
		}
	}
	out := []UnitProgress{lead}
	at2 := map[int64]int{}
	for _, id := range t.CoUnitIDs {
		at2[id] = len(out)
		out = append(out, UnitProgress{UnitID: id, UnitName: name(id), Files: []Attachment{}})
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, unit_id, percent, body, problems, support, at FROM task_unit_reports WHERE task_id = $1 ORDER BY id`, t.ID)
	if err != nil {
		return nil, platform.Internalf("unit reports: %w", err)
	}
	defer rows.Close()
	last := map[int64]int64{}
	for rows.Next() {
		var rid, uid int64
		var p UnitProgress
		var when time.Time
		if err := rows.Scan(&rid, &uid, &p.Percent, &p.Body, &p.Problems, &p.Support, &when); err != nil {
			return nil, platform.Internalf("unit reports: %w", err)
		}
		i, ok := at2[uid]
		if !ok {
			continue // a unit no longer among the co-units
		}
		r := &out[i]
		r.Percent, r.Body, r.Problems, r.Support, r.At, r.Reported = p.Percent, p.Body, p.Problems, p.Support, &when, true
		r.Reports++
		last[uid] = rid
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("unit reports: %w", err)
	}
	for i := 1; i < len(out); i++ {
		r := &out[i]
		r.Lagging = Lagging(t.Status, lead.Percent, r.Reported, r.Percent)
		for _, a := range atts {
			if a.UnitReportID != nil && *a.UnitReportID == last[r.UnitID] {
				r.Files = append(r.Files, a)
			}
		}
	}
	return out, nil
}

// Width is the row's percentage as a bar's CSS width.
func (p UnitProgress) Width() string { return strconv.Itoa(p.Percent) + "%" }

// SizeKB is the file's size in kilobytes, at least 1, for the page.
func (a Attachment) SizeKB() int64 { return (a.Size + 1023) / 1024 }
