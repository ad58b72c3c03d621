package work

import (
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// ImportPage is 导入督办事项: the upload form (/tasks/import), or a sheet's
// preview (/task-imports/{token}: a path of its own, beside the tasks' ids).
type ImportPage struct {
	web.Base
	Preview *ImportPreview // nil on the upload form
	Columns []string       // the sheet's columns, for the form's help
	Form    web.FormView
}

// Problem is a problem in the reader's language: 第5行「牵头单位」：….
func (p ImportPage) Problem(pr ImportProblem) string {
	msg := p.T(pr.Key, pr.Args...)
	switch {
	case pr.Row > 0 && pr.Column != "":
		return p.T("task.import.at_cell", pr.Row, pr.Column, msg)
	case pr.Row > 0:
		return p.T("task.import.at_row", pr.Row, msg)
	}
	return msg
}

func importHeaders() []string {
	out := make([]string, len(importColumns))
	for i, c := range importColumns {
		out[i] = c.header
	}
	return out
}

func (h *Handlers) importRoutes(rt *web.Router) {
	rt.Handle("GET /tasks/import", h.importForm)
	rt.Handle("GET /tasks/import/template.xlsx", h.importTemplate)
	rt.Handle("POST /tasks/import", h.importUpload)
	rt.Handle("GET /task-imports/{token}", h.importPreview)
	rt.Handle("POST /task-imports/{token}", h.importCommit)
}

func (h *Handlers) importForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderImport(w, r, http.StatusOK, nil, web.FormView{})
}

func (h *Handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, p *ImportPreview, fv web.FormView) error {
	page := ImportPage{Base: h.Pages.Base(r, "task.import.title"), Preview: p, Columns: importHeaders(), Form: fv}
	if !Office(page.User) {
		return platform.ErrForbidden
	}
	return h.views.imports.Render(w, r, status, page)
}

// importTemplate is a sheet with the columns and one example row.
func (h *Handlers) importTemplate(w http.ResponseWriter, r *http.Request) error {
	b := h.Pages.Base(r, "task.import.title")
	if !Office(b.User) {
		return platform.ErrForbidden
	}
	return xlsx.Serve(w, "tasks-template.xlsx", b.T("task.import.template_name"), xlsx.Table{
		Title:   b.T("task.import.template_title"),
		Sheet:   b.T("task.import.title"),
		Headers: importHeaders(),
		Rows: [][]any{{"双塘村河道清淤", "12月底前完成清淤2公里", "会议", "环境整治", "双塘村", "东湖村", "赵丽华",
			"2026-12-01", "2026-12-31", "2026-12-03", "每周", "重点", ""}},
	})
}

func (h *Handlers) importUpload(w http.ResponseWriter, r *http.Request) error {
	var data []byte
	var name string
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			file, hdr, err := r.FormFile("file")
			switch {
			case err != nil:
				f.Add(platform.FieldError("file", "form.err.required"))
			case hdr.Size > MaxImportBytes:
				file.Close()
				f.Add(platform.FieldError("file", "task.import.error.large", MaxImportBytes>>20))
			default:
				data, err = io.ReadAll(io.LimitReader(file, MaxImportBytes+1))
				file.Close()
				if err != nil {
					f.Add(platform.FieldError("file", "task.import.error.not_xlsx"))
				}
				name = filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
				if rs := []rune(name); len(rs) > 120 {
					name = string(rs[len(rs)-120:])
				}
			}
		},
		Do: func(ctx context.Context) (string, error) {
			token, err := h.Store.StartImport(ctx, name, data)
			return "/task-imports/" + token, err
		},
		Again: func(status int, fv web.FormView) error { return h.renderImport(w, r, status, nil, fv) },
	})
}

func (h *Handlers) importPreview(w http.ResponseWriter, r *http.Request) error {
	p, err := h.Store.Import(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return h.renderImport(w, r, http.StatusOK, p, web.FormView{})
}

func (h *Handlers) importCommit(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	var p *ImportPreview
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {},
		Do: func(ctx context.Context) (string, error) {
			var err error
			if p, err = h.Store.CommitImport(ctx, token); err != nil {
				return "", err
			}
			if !p.Clean() {
				return "", platform.FieldError("_", "task.import.error.problems", len(p.Problems))
			}
			return "/tasks?status=assigned", nil
		},
		Again: func(status int, fv web.FormView) error { return h.renderImport(w, r, status, p, fv) },
		Flash: "task.import.flash.done",
	})
}
