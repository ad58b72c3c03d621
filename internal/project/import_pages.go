package project

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

// ImportPage is 导入重大项目: the upload form (/projects/import), or a
// sheet's preview (/project-imports/{token}).
type ImportPage struct {
	web.Base
	Preview *ImportPreview // nil on the upload form
	Columns []string       // the sheet's headings, for the form's help
	Form    web.FormView
}

// Problem is a problem in the reader's language: 第5行「责任单位」：….
func (p ImportPage) Problem(pr ImportProblem) string {
	msg := p.T(pr.Key, pr.Args...)
	switch {
	case pr.Row > 0 && pr.Column != "":
		return p.T("project.import.at_cell", pr.Row, pr.Column, msg)
	case pr.Row > 0:
		return p.T("project.import.at_row", pr.Row, msg)
	}
	return msg
}

func (h *Handlers) importRoutes(rt *web.Router) {
	rt.Handle("GET /projects/import", h.importForm)
	rt.Handle("GET /projects/import/template.xlsx", h.importTemplate)
	rt.Handle("POST /projects/import", h.importUpload)
	rt.Handle("GET /project-imports/{token}", h.importPreview)
	rt.Handle("POST /project-imports/{token}", h.importCommit)
}

func (h *Handlers) importForm(w http.ResponseWriter, r *http.Request) error {
	return h.renderImport(w, r, http.StatusOK, nil, web.FormView{})
}

func (h *Handlers) renderImport(w http.ResponseWriter, r *http.Request, status int, p *ImportPreview, fv web.FormView) error {
	page := ImportPage{Base: h.Pages.Base(r, "project.import.title"), Preview: p, Columns: importHeaders(), Form: fv}
	if !Editor(page.User) {
		return platform.ErrForbidden
	}
	return h.views.imports.Render(w, r, status, page)
}

// importTemplate is a sheet with the headings and one example row, its
// words from the catalogue.
func (h *Handlers) importTemplate(w http.ResponseWriter, r *http.Request) error {
	b := h.Pages.Base(r, "project.import.title")
	if !Editor(b.User) {
		return platform.ErrForbidden
	}
	example := make([]any, 0, len(importColumns))
	for _, c := range importColumns {
		example = append(example, b.T("project.import.example."+c.field))
	}
	return xlsx.Serve(w, "projects-template.xlsx", b.T("project.import.template_name"), xlsx.Table{
		Title:   b.T("project.import.template_title"),
		Sheet:   b.T("project.import.title"),
		Headers: importHeaders(),
		Rows:    [][]any{example},
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
				f.Add(platform.FieldError("file", "project.import.error.large", MaxImportBytes>>20))
			default:
				data, err = io.ReadAll(io.LimitReader(file, MaxImportBytes+1))
				file.Close()
				if err != nil {
					f.Add(platform.FieldError("file", "project.import.error.not_xlsx"))
				}
				name = filepath.Base(strings.ReplaceAll(hdr.Filename, `\`, "/"))
				if rs := []rune(name); len(rs) > 120 {
					name = string(rs[len(rs)-120:])
				}
			}
		},
		Do: func(ctx context.Context) (string, error) {
			token, err := h.Store.StartImport(ctx, name, data)
			return "/project-imports/" + token, err
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
				return "", platform.FieldError("_", "project.import.error.problems", len(p.Problems))
			}
			return "/projects", nil
		},
		Again: func(status int, fv web.FormView) error { return h.renderImport(w, r, status, p, fv) },
		Flash: "project.import.flash.done",
	})
}
