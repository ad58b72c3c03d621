package work

import (
	"context"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/files"
	"guatu/internal/platform/web"
	"guatu/internal/platform/workflow"
)

// evidenceRoutes serves a task's files to its readers, and the API's
// reports with files. There is no route that deletes a file: a task's files
// are history.
func (h *Handlers) evidenceRoutes(rt *web.Router) {
	rt.Handle("GET /tasks/{id}/files/{file}", h.file)
	rt.Handle("GET /api/v1/tasks/{id}/files", h.apiFiles)
	rt.Handle("GET /api/v1/tasks/{id}/units", h.apiUnits)
	rt.Handle("POST /api/v1/tasks/{id}/reports", h.apiReport)
}

// Evidence is what the task page shows of files and of each unit's
// progress, and what its forms take.
type Evidence struct {
	Units      []UnitProgress
	Steps      map[int64][]Attachment // the files sent with each step
	UnitReport bool                   // the user reports a co-unit's part
	Submit     bool                   // the user may apply to close, with evidence
	LimitMB    int64
	Max        int
	Accept     string
}

// evidence gathers the task page's files and progress rows.
func (h *Handlers) evidence(ctx context.Context, t Task, u *auth.User, moves []workflow.Transition) (Evidence, error) {
	ev := Evidence{Steps: map[int64][]Attachment{}, UnitReport: CanUnitReport(u, t), Max: MaxFiles, Accept: files.Accept,
		LimitMB: files.DefaultLimit >> 20}
	if h.Store.Files != nil {
		ev.LimitMB = h.Store.Files.MaxSize() >> 20
	}
	for _, m := range moves {
		if m.Name == Submit {
			ev.Submit = true
		}
	}
	var err error
	if ev.Units, err = h.Store.Progresses(ctx, t); err != nil {
		return Evidence{}, err
	}
	atts, err := h.Store.Attachments(ctx, t.ID)
	if err != nil {
		return Evidence{}, err
	}
	for _, a := range atts {
		if a.StepID != nil {
			ev.Steps[*a.StepID] = append(ev.Steps[*a.StepID], a)
		}
	}
	return ev, nil
}

// uploads are the files of a multipart form's "files" field (a file input
// left empty sends an empty part, skipped); done closes them.
func uploads(r *http.Request) (ups []files.Upload, done func()) {
	if r.MultipartForm == nil {
		return nil, func() {}
	}
	var open []interface{ Close() error }
	for _, fh := range r.MultipartForm.File[files.Field] {
		if fh.Filename == "" && fh.Size == 0 {
			continue
		}
		f, err := fh.Open()
		if err != nil {
			continue
		}
		open = append(open, f)
		ups = append(ups, files.Upload{Name: fh.Filename, Size: fh.Size, Body: f})
	}
	return ups, func() {
		for _, f := range open {
			f.Close()
		}
	}
}

// file serves one of a task's files to a reader of the task: out of scope
// or not the task's, not found.
func (h *Handlers) file(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	fid, err := strconv.ParseInt(r.PathValue("file"), 10, 64)
	if err != nil || fid <= 0 {
		return platform.ErrNotFound
	}
	f, err := h.Store.Attachment(r.Context(), id, fid)
	if err != nil {
		return err
	}
	if h.Store.Files == nil {
		return platform.Internalf("work: no file store")
	}
	return h.Store.Files.Serve(w, r, f)
}

// FileJSON is a task's file as the API shows it.
type FileJSON struct {
	ID           int64     `json:"id"`
	Name         string    `json:"name"`
	ContentType  string    `json:"content_type"`
	Size         int64     `json:"size"`
	SHA256       string    `json:"sha256"`
	At           time.Time `json:"at"`
	URL          string    `json:"url"`
	StepID       *int64    `json:"step_id"`
	UnitReportID *int64    `json:"unit_report_id"`
}

func filesJSON(atts []Attachment) []FileJSON {
	out := make([]FileJSON, len(atts))
	for i, a := range atts {
		out[i] = FileJSON{ID: a.ID, Name: a.Name, ContentType: a.ContentType, Size: a.Size, SHA256: a.SHA256, At: a.At,
			URL: a.URL(), StepID: a.StepID, UnitReportID: a.UnitReportID}
	}
	return out
}

func (h *Handlers) apiFiles(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	atts, err := h.Store.Attachments(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, struct {
		Files []FileJSON `json:"files"`
	}{filesJSON(atts)})
}

// UnitJSON is one unit's progress row in the API.
type UnitJSON struct {
	UnitID       int64      `json:"unit_id"`
	UnitName     string     `json:"unit_name"`
	Lead         bool       `json:"lead"`
	Percent      int        `json:"percent"`
	Reports      int        `json:"reports"`
	LastReport   string     `json:"last_report"`
	Problems     string     `json:"problems"` // the last report's 存在问题
	Support      string     `json:"support"`  // and 需协调解决事项
	LastReportAt *time.Time `json:"last_report_at"`
	Lagging      bool       `json:"lagging"`
	Files        []FileJSON `json:"files"`
}

func (h *Handlers) apiUnits(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	t, err := h.Store.Task(r.Context(), id)
	if err != nil {
		return err
	}
	rows, err := h.Store.Progresses(r.Context(), t)
	if err != nil {
		return err
	}
	out := make([]UnitJSON, len(rows))
	for i, u := range rows {
		out[i] = UnitJSON{UnitID: u.UnitID, UnitName: u.UnitName, Lead: u.Lead, Percent: u.Percent, Reports: u.Reports,
			LastReport: u.Body, Problems: u.Problems, Support: u.Support, LastReportAt: u.At, Lagging: u.Lagging, Files: filesJSON(u.Files)}
	}
	return web.WriteJSON(w, http.StatusOK, struct {
		Units []UnitJSON `json:"units"`
	}{out})
}

// ReportRequest is the JSON body of POST /api/v1/tasks/{id}/reports (a
// multipart form carries the same fields, and its files as "files").
type ReportRequest struct {
	Version  int64  `json:"version"`
	Percent  *int   `json:"percent"`
	Body     string `json:"body"`
	Problems string `json:"problems"` // 存在问题
	Support  string `json:"support"`  // 需协调解决事项
}

// ReportJSON answers a report: the task as it now stands, whose part was
// reported, and the files kept with it.
type ReportJSON struct {
	Task     TaskJSON   `json:"task"`
	UnitID   int64      `json:"unit_id"`
	Lead     bool       `json:"lead"`
	Percent  int        `json:"percent"`
	Body     string     `json:"body"`
	Problems string     `json:"problems"`
	Support  string     `json:"support"`
	Files    []FileJSON `json:"files"`
}

// transitionRequest reads POST /api/v1/tasks/{id}/transitions: JSON, or a
// multipart form of the same fields carrying the evidence of 申请办结 as
// files; done closes the files.
func transitionRequest(r *http.Request, req *TransitionRequest) (ups []files.Upload, done func(), err error) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		return nil, func() {}, web.DecodeJSON(r, req)
	}
	f := web.NewForm(r)
	req.Transition = f.String("transition", true, 20)
	req.Comment = f.String("comment", false, 0)
	req.Version = f.Int64("version", false)
	if v := strings.TrimSpace(r.FormValue("percent")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return nil, func() {}, platform.FieldError("percent", "task.error.percent")
		}
		req.Percent = &n
	}
	if err := f.Err(); err != nil {
		return nil, func() {}, err
	}
	ups, done = uploads(r)
	return ups, done, nil
}

func (h *Handlers) apiReport(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var req ReportRequest
	var ups []files.Upload
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		f := web.NewForm(r)
		req.Body = f.String("body", false, 0)
		req.Problems, req.Support = f.String("problems", false, 0), f.String("support", false, 0)
		req.Version = f.Int64("version", false)
		if v := strings.TrimSpace(r.FormValue("percent")); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return platform.FieldError("percent", "task.error.percent")
			}
			req.Percent = &n
		}
		if err := f.Err(); err != nil {
			return err
		}
		var done func()
		ups, done = uploads(r)
		defer done()
	} else if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	percent := -1
	if req.Percent != nil {
		percent = *req.Percent
	}
	in := ReportInput{Percent: percent, Body: req.Body, Problems: req.Problems, Support: req.Support, Files: ups}
	t, atts, err := h.Store.Report(r.Context(), id, req.Version, in)
	if err != nil {
		return err
	}
	u := auth.FromContext(r.Context())
	out := ReportJSON{Task: t.JSON(), UnitID: u.UnitID, Lead: u.UnitID == t.LeadUnitID, Percent: percent,
		Body: strings.TrimSpace(req.Body), Problems: strings.TrimSpace(req.Problems), Support: strings.TrimSpace(req.Support), Files: filesJSON(atts)}
	return web.WriteJSON(w, http.StatusCreated, out)
}
