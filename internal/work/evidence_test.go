package work_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/files"
	"guatu/internal/platform/workflow"
	"guatu/internal/work"
)

func upload(name string, data []byte) files.Upload {
	return files.Upload{Name: name, Size: int64(len(data)), Body: bytes.NewReader(data)}
}

var exe = append([]byte("MZ\x90\x00\x03\x00\x00\x00"), make([]byte, 400)...)

// withFiles gives the world's store a file store in a temp folder.
func (w *world) withFiles(t *testing.T, limit int64) {
	t.Helper()
	disk, err := files.NewDisk(filepath.Join(t.TempDir(), "files"))
	if err != nil {
		t.Fatal(err)
	}
	w.s.Files = &files.Files{DB: w.d, Store: disk, Limit: limit}
}

// claimed is a new task of 双塘村 with 东湖村 as co-unit, claimed.
func (w *world) claimed(t *testing.T, title string) work.Task {
	t.Helper()
	task, err := w.s.Create(w.as(t, "duban"), w.input(title))
	if err != nil {
		t.Fatal(err)
	}
	if task, err = w.s.Take(w.as(t, "shuangtang"), task.ID, 0, work.Claim, ""); err != nil {
		t.Fatal(err)
	}
	return task
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReportFiles(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		w.withFiles(t, 1<<20)
		task := w.claimed(t, "村道硬化附件")
		village := w.as(t, "shuangtang")
		photo, pdf := files.SamplePNG(16, 12), files.SamplePDF("acceptance")

		// Refusals change nothing: no step, no report, no file.
		big := append(files.SamplePDF("big"), make([]byte, 1<<20)...)
		many := make([]files.Upload, work.MaxFiles+1)
		for i := range many {
			many[i] = upload("照片"+strconv.Itoa(i)+".png", photo)
		}
		for _, tc := range []struct {
			name string
			in   work.ReportInput
			key  string
		}{
			{"an exe renamed .pdf", work.ReportInput{Percent: 40, Body: "见附件", Files: []files.Upload{upload("现场照片.png", photo), upload("验收单.pdf", exe)}}, "file.error.type"},
			{"over the limit", work.ReportInput{Percent: 40, Body: "见附件", Files: []files.Upload{upload("大.pdf", big)}}, "file.error.too_large"},
			{"an empty file", work.ReportInput{Percent: 40, Body: "见附件", Files: []files.Upload{upload("空.pdf", nil)}}, "file.error.empty"},
			{"too many files", work.ReportInput{Percent: 40, Body: "见附件", Files: many}, "file.error.too_many"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := w.s.Report(village, task.ID, task.Version, tc.in)
				pe := platform.AsError(err)
				if pe.Code != platform.Invalid || pe.Field != files.Field || pe.Key != tc.key {
					t.Fatalf("Report = %v, want %s on files", err, tc.key)
				}
				if n := count(t, d, `SELECT COUNT(*) FROM files`); n != 0 {
					t.Errorf("%d files recorded", n)
				}
				if n := count(t, d, `SELECT COUNT(*) FROM task_reports WHERE task_id = $1`, task.ID); n != 0 {
					t.Errorf("%d reports recorded", n)
				}
			})
		}

		got, atts, err := w.s.Report(village, task.ID, task.Version, work.ReportInput{Percent: 40, Body: "路基完成，见照片",
			Files: []files.Upload{upload("C:\\照片\\现场照片.png", photo), upload("验收单.pdf", pdf)}})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != work.InProgress || got.Progress != 40 || len(atts) != 2 {
			t.Fatalf("after the report: %s %d%%, %d files", got.Status, got.Progress, len(atts))
		}
		if atts[0].Name != "现场照片.png" || atts[0].ContentType != files.PNG || atts[1].ContentType != files.PDF || atts[0].StepID == nil {
			t.Errorf("files kept as %+v", atts)
		}
		steps, err := w.s.Steps(village, task.ID)
		if err != nil {
			t.Fatal(err)
		}
		if last := steps[len(steps)-1]; last.Transition != work.Report || *atts[0].StepID != last.ID {
			t.Errorf("the files hang on step %d, the report is step %d (%s)", *atts[0].StepID, last.ID, last.Transition)
		}

		// Readers of the task (the lead unit, the co-unit, the office) get
		// the file; another village and another township do not.
		for _, login := range []string{"shuangtang", "donghu", "duban"} {
			if f, err := w.s.Attachment(w.as(t, login), task.ID, atts[1].ID); err != nil || f.Name != "验收单.pdf" {
				t.Errorf("%s reading the file: %+v, %v", login, f, err)
			}
		}
		for _, login := range []string{"linjiang", "wangge"} {
			if _, err := w.s.Attachment(w.as(t, login), task.ID, atts[1].ID); !errors.Is(err, platform.ErrNotFound) {
				t.Errorf("%s reading the file: %v, want not found", login, err)
			}
		}
		// Another village (not a unit of the task) gets nothing either.
		in := w.input("双塘村独办")
		in.CoUnitIDs = nil
		own, err := w.s.Create(w.as(t, "duban"), in)
		if err != nil {
			t.Fatal(err)
		}
		w.s.Take(village, own.ID, 0, work.Claim, "")
		_, ownFiles, err := w.s.Report(village, own.ID, 0, work.ReportInput{Percent: 10, Body: "开工", Files: []files.Upload{upload("开工.png", photo)}})
		if err != nil || len(ownFiles) != 1 {
			t.Fatalf("report on the village's own task: %v", err)
		}
		if _, err := w.s.Attachment(w.as(t, "donghu"), own.ID, ownFiles[0].ID); !errors.Is(err, platform.ErrNotFound) {
			t.Errorf("another village reading the file: %v, want not found", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND entity = 'task' AND entity_id = $1`, strconv.FormatInt(own.ID, 10)); n == 0 {
			t.Error("another village's attempt is not audited")
		}
		other := w.claimed(t, "另一事项")
		if _, err := w.s.Attachment(w.as(t, "duban"), other.ID, atts[1].ID); !errors.Is(err, platform.ErrNotFound) {
			t.Errorf("the file read through another task: %v, want not found", err)
		}

		// Evidence goes only with 申请办结, and is kept on its step.
		if _, err := w.s.TakeWith(village, other.ID, 0, work.Stop, "", []files.Upload{upload("a.png", photo)}); platform.AsError(err).Key != "task.error.files_submit_only" {
			t.Errorf("files with another move: %v", err)
		}
		if _, err := w.s.TakeWith(w.as(t, "donghu"), task.ID, 0, work.Submit, "", []files.Upload{upload("a.png", photo)}); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a co-unit applying to close: %v, want forbidden", err)
		}
		got, err = w.s.TakeWith(village, task.ID, 0, work.Submit, "已完工", []files.Upload{upload("竣工验收.pdf", pdf)})
		if err != nil || got.Status != work.Submitted {
			t.Fatalf("submit with evidence: %v, %v", got.Status, err)
		}
		all, err := w.s.Attachments(village, task.ID)
		if err != nil || len(all) != 3 {
			t.Fatalf("attachments: %d, %v", len(all), err)
		}
		steps, _ = w.s.Steps(village, task.ID)
		if last := steps[len(steps)-1]; *all[2].StepID != last.ID || last.Transition != work.Submit {
			t.Errorf("the evidence is on step %d, the application is %d", *all[2].StepID, last.ID)
		}
		// The same content sent twice is stored once, recorded twice.
		if n := count(t, d, `SELECT COUNT(DISTINCT sha256) FROM files`); n != 2 {
			t.Errorf("%d contents stored, want 2", n)
		}
		if _, err := w.s.Attachments(w.as(t, "linjiang"), task.ID); !errors.Is(err, platform.ErrNotFound) {
			t.Errorf("another township listing the files: %v", err)
		}
	})
}

func TestUnitReports(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		w.withFiles(t, 0)
		co := w.as(t, "donghu")
		task, err := w.s.Create(w.as(t, "duban"), w.input("协办进展"))
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := w.s.Report(co, task.ID, 0, work.ReportInput{Percent: 10, Body: "已摸排"}); platform.AsError(err).Key != "task.error.unit_report_state" {
			t.Errorf("a co-unit reporting before the claim: %v", err)
		}
		task, _ = w.s.Take(w.as(t, "shuangtang"), task.ID, 0, work.Claim, "")
		task, err = w.s.Progress(w.as(t, "shuangtang"), task.ID, 0, 60, "牵头单位进展")
		if err != nil {
			t.Fatal(err)
		}
		rows, err := w.s.Progresses(co, task)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || !rows[0].Lead || rows[0].Percent != 60 || rows[1].Reported || !rows[1].Lagging {
			t.Fatalf("before the co-unit reports: %+v", rows)
		}
		audited := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task_unit_report'`)
		after, atts, err := w.s.Report(co, task.ID, 0, work.ReportInput{Percent: 30, Body: "东湖村段完成三成", Files: []files.Upload{upload("东湖.png", files.SamplePNG(8, 8))}})
		if err != nil {
			t.Fatal(err)
		}
		if after.Version != task.Version || after.Progress != 60 || after.Status != work.InProgress || len(atts) != 1 || atts[0].UnitReportID == nil {
			t.Errorf("a co-unit's report moved the task or lost its file: v%d→v%d, %d%%, %s, %+v", task.Version, after.Version, after.Progress, after.Status, atts)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM workflow_steps WHERE item_id = $1`, task.ID); n != 3 {
			t.Errorf("%d steps, want 3 (a co-unit's report is no step)", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'task_unit_report'`) - audited; n != 1 {
			t.Errorf("%d audit entries of the co-unit's report, want 1", n)
		}
		rows, _ = w.s.Progresses(w.as(t, "duban"), task)
		if r := rows[1]; !r.Reported || r.Percent != 30 || r.Body != "东湖村段完成三成" || !r.Lagging || len(r.Files) != 1 {
			t.Errorf("the co-unit's row: %+v", r)
		}
		w.s.Report(co, task.ID, 0, work.ReportInput{Percent: 50, Body: "东湖村段过半"})
		rows, _ = w.s.Progresses(w.as(t, "duban"), task)
		if r := rows[1]; r.Percent != 50 || r.Reports != 2 || r.Lagging || len(r.Files) != 0 {
			t.Errorf("after its second report: %+v", r)
		}
		// Read-only accounts and units that are neither report nothing.
		for _, login := range []string{"guest", "wangge", "linjiang"} {
			if _, _, err := w.s.Report(w.as(t, login), task.ID, 0, work.ReportInput{Percent: 50, Body: "x"}); err == nil {
				t.Errorf("%s reported", login)
			}
		}
		if _, err := w.s.Take(co, task.ID, 0, work.Submit, ""); platform.ErrorCode(err) != platform.Forbidden {
			t.Errorf("a co-unit applying to close: %v", err)
		}
	})
}

func TestLagging(t *testing.T) {
	for _, tc := range []struct {
		name     string
		status   workflow.State
		lead     int
		reported bool
		percent  int
		want     bool
	}{
		{"not reported on a claimed task", work.Accepted, 0, false, 0, true},
		{"not reported while assigned", work.Assigned, 0, false, 0, false},
		{"level with the lead", work.InProgress, 60, true, 60, false},
		{"ahead of the lead", work.InProgress, 40, true, 70, false},
		{"19 points behind", work.InProgress, 60, true, 41, false},
		{"20 points behind", work.InProgress, 60, true, 40, true},
		{"behind on a submitted task", work.Submitted, 100, true, 50, true},
		{"behind on a closed task", work.Closed, 100, true, 50, false},
	} {
		if got := work.Lagging(tc.status, tc.lead, tc.reported, tc.percent); got != tc.want {
			t.Errorf("%s: Lagging = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// multipartBody is a form of fields and files (name → content).
func multipartBody(fields map[string]string, fs map[string][]byte) (string, *bytes.Buffer) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	for name, data := range fs {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="files"; filename="`+name+`"`)
		h.Set("Content-Type", "application/pdf") // what the sender claims counts for nothing
		fw, _ := mw.CreatePart(h)
		fw.Write(data)
	}
	mw.Close()
	return mw.FormDataContentType(), &b
}

// TestFilesOverHTTP uploads with the page's form and the API, and serves
// the file only to the task's readers, with its headers.
func TestFilesOverHTTP(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		a, err := app.New(app.Config{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), DataDir: t.TempDir()}, d)
		if err != nil {
			t.Fatal(err)
		}
		srv := httptest.NewServer(a.Handler)
		t.Cleanup(srv.Close)
		w.s = a.Work
		task := w.claimed(t, "附件上传")
		path := "/tasks/" + strconv.FormatInt(task.ID, 10)
		village := signIn(t, srv.URL, "shuangtang")
		send := func(b *browser, fields map[string]string, fs map[string][]byte) (int, string) {
			fields["csrf"] = b.csrf
			ct, body := multipartBody(fields, fs)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+path+"/progress", body)
			req.Header.Set("Content-Type", ct)
			return b.do(req)
		}
		status, body := send(village, map[string]string{"body": "见附件", "percent": "30", "version": strconv.FormatInt(task.Version, 10)}, map[string][]byte{"setup.pdf": exe})
		if status != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="error-files"`) || !strings.Contains(body, "setup.pdf") {
			t.Fatalf("an exe named .pdf through the form: %d, want 422 naming it next to the files", status)
		}
		pdf := files.SamplePDF("evidence")
		if status, _ := send(village, map[string]string{"body": "见附件", "percent": "30", "version": strconv.FormatInt(task.Version, 10)}, map[string][]byte{"验收单 2026.pdf": pdf}); status != http.StatusSeeOther {
			t.Fatalf("report with a PDF: %d", status)
		}
		_, page := village.get(path)
		link := regexpFind(page, `href="(/tasks/\d+/files/\d+)"`)
		if link == "" {
			t.Fatal("the task page links no file")
		}
		if !strings.Contains(page, `data-testid="task-units"`) {
			t.Error("the task page lacks the units' rows")
		}
		req, _ := http.NewRequest(http.MethodGet, srv.URL+link, nil)
		resp, err := village.c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		h := resp.Header
		if resp.StatusCode != 200 || h.Get("Content-Type") != files.PDF || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Content-Disposition"), "filename*=UTF-8''%E9%AA%8C%E6%94%B6%E5%8D%95%202026.pdf") || !bytes.Equal(got, pdf) {
			t.Errorf("serving the file: %d %v", resp.StatusCode, h)
		}
		for _, login := range []string{"linjiang", "wangge"} {
			if status, _ := signIn(t, srv.URL, login).get(link); status != http.StatusNotFound {
				t.Errorf("%s opening the file: %d, want 404", login, status)
			}
		}
		// The API: multipart with a bearer token, as a co-unit.
		as := &auth.Store{DB: d}
		u, _ := as.UserByLogin(context.Background(), "donghu")
		tok, _ := as.CreateToken(context.Background(), u.ID, "test")
		api := func(fields map[string]string, fs map[string][]byte) (int, []byte) {
			ct, body := multipartBody(fields, fs)
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1"+path+"/reports", body)
			req.Header.Set("Content-Type", ct)
			req.Header.Set("Authorization", "Bearer "+tok)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, b
		}
		if status, b := api(map[string]string{"body": "东湖村段", "percent": "20"}, map[string][]byte{"photo.jpg": exe}); status != http.StatusUnprocessableEntity || !strings.Contains(string(b), `"field":"files"`) {
			t.Errorf("the API with an exe: %d %s", status, b)
		}
		status, b := api(map[string]string{"body": "东湖村段", "percent": "20"}, map[string][]byte{"东湖.png": files.SamplePNG(4, 4)})
		var rep work.ReportJSON
		if status != http.StatusCreated || json.Unmarshal(b, &rep) != nil || rep.Lead || rep.UnitID != w.units["东湖村"] || len(rep.Files) != 1 || rep.Files[0].ContentType != files.PNG {
			t.Fatalf("the API's co-unit report: %d %s", status, b)
		}
		// The lead unit applies to close through the API with evidence.
		lu, _ := as.UserByLogin(context.Background(), "shuangtang")
		leadTok, _ := as.CreateToken(context.Background(), lu.ID, "test")
		ct, sbody := multipartBody(map[string]string{"transition": "submit", "comment": "已完工"}, map[string][]byte{"竣工验收单.pdf": files.SamplePDF("done")})
		sreq, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/v1"+path+"/transitions", sbody)
		sreq.Header.Set("Content-Type", ct)
		sreq.Header.Set("Authorization", "Bearer "+leadTok)
		sresp, err := http.DefaultClient.Do(sreq)
		if err != nil {
			t.Fatal(err)
		}
		var detail work.TaskDetailJSON
		json.NewDecoder(sresp.Body).Decode(&detail)
		sresp.Body.Close()
		if sresp.StatusCode != 200 || detail.Status != work.Submitted {
			t.Errorf("submit with evidence through the API: %d %s", sresp.StatusCode, detail.Status)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM task_files tf JOIN workflow_steps s ON s.id = tf.step_id WHERE tf.task_id = $1 AND s.transition = 'submit'`, task.ID); n != 1 {
			t.Errorf("%d files of the application, want 1", n)
		}
		req, _ = http.NewRequest(http.MethodGet, srv.URL+rep.Files[0].URL, nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 || resp.Header.Get("Content-Type") != files.PNG {
			t.Errorf("the API's file url: %v %v", resp.StatusCode, err)
		}
	})
}

// regexpFind is the first group of pattern in s, or "".
func regexpFind(s, pattern string) string {
	if m := regexp.MustCompile(pattern).FindStringSubmatch(s); m != nil {
		return m[1]
	}
	return ""
}

// TestDemoFiles: the demo's reports and applications carry their photos and
// PDFs, every one in the store, and a second load adds none.
func TestDemoFiles(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		fs, err := app.Files(t.TempDir(), d, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := demo.LoadWithFiles(ctx, d, demoNow, fs); err != nil {
			t.Fatal(err)
		}
		n := count(t, d, `SELECT COUNT(*) FROM task_files`)
		reports := count(t, d, `SELECT COUNT(*) FROM task_unit_reports`)
		if n < 10 || reports < 4 {
			t.Fatalf("the demo has %d task files and %d co-unit reports", n, reports)
		}
		rows, err := d.QueryContext(ctx, `SELECT sha256, size FROM files`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var sum string
			var size int64
			rows.Scan(&sum, &size)
			if info, err := fs.Store.Stat(ctx, sum); err != nil || info.Size != size {
				t.Errorf("content %s: %+v, %v", sum, info, err)
			}
		}
		rows.Close()
		if _, err := demo.LoadWithFiles(ctx, d, demoNow, fs); err != nil {
			t.Fatal(err)
		}
		if again := count(t, d, `SELECT COUNT(*) FROM task_files`); again != n {
			t.Errorf("a second load: %d task files, was %d", again, n)
		}
		if again := count(t, d, `SELECT COUNT(*) FROM task_unit_reports`); again != reports {
			t.Errorf("a second load: %d co-unit reports, was %d", again, reports)
		}
	})
}

// TestReportProblemsAndSupport: a report names the problems met (存在问题)
// and the support needed (需协调解决事项), the lead unit's in its reports and a
// co-unit's on its own row; either too long is refused on its own field and
// nothing is written.
func TestReportProblemsAndSupport(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		w := setup(t, d)
		task := w.claimed(t, "村道硬化协调")
		village, coUnit := w.as(t, "shuangtang"), w.as(t, "donghu")
		lead := work.ReportInput{Percent: 30, Body: "路基完成一半", Problems: " 两户未签协议 ", Support: "请拆迁办协助做工作"}
		if _, _, err := w.s.Report(village, task.ID, 0, lead); err != nil {
			t.Fatal(err)
		}
		part := work.ReportInput{Percent: 10, Body: "排水沟开挖", Support: "需财政所拨付首期资金"}
		if _, _, err := w.s.Report(coUnit, task.ID, 0, part); err != nil {
			t.Fatal(err)
		}
		reports, err := w.s.Reports(village, task.ID)
		if err != nil || len(reports) != 1 {
			t.Fatalf("reports %v %v", reports, err)
		}
		if r := reports[0]; r.Problems != "两户未签协议" || r.Support != "请拆迁办协助做工作" {
			t.Errorf("the lead unit's report: problems %q, support %q", r.Problems, r.Support)
		}
		rows, err := w.s.Progresses(village, task)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string][2]string{}
		for _, r := range rows {
			got[r.UnitName] = [2]string{r.Problems, r.Support}
		}
		if got["双塘村"] != [2]string{"两户未签协议", "请拆迁办协助做工作"} || got["东湖村"] != [2]string{"", "需财政所拨付首期资金"} {
			t.Errorf("the rows by unit: %v", got)
		}

		before := w.snap(t, task.ID)
		long := strings.Repeat("问", work.MaxComment+1)
		for _, c := range []struct {
			field string
			in    work.ReportInput
		}{
			{"problems", work.ReportInput{Percent: 40, Body: "继续推进", Problems: long}},
			{"support", work.ReportInput{Percent: 40, Body: "继续推进", Support: long}},
		} {
			_, _, err := w.s.Report(village, task.ID, 0, c.in)
			w.refused(t, c.field+" too long", err, c.field, "task.error.too_long", before)
		}
	})
}
