package targets

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

var importMessages = i18n.Catalog{
	"import.title":          {ZH: "导入月度数据", EN: "Import monthly figures"},
	"import.intro":          {ZH: "上传统计站的“主要经济指标完成情况表”（.xlsx）。系统先逐行检查并预览，确认无误后才写入；有任何问题，整份文件都不会写入。", EN: "Upload the statistics station's indicator sheet (.xlsx). Every row is checked and previewed first; nothing is written until you commit, and nothing at all while any problem remains."},
	"import.upload":         {ZH: "上传文件", EN: "Upload a file"},
	"import.file":           {ZH: "Excel 文件（.xlsx，不超过20MB）", EN: "Excel file (.xlsx, at most 20 MB)"},
	"import.unit":           {ZH: "数据所属单位", EN: "Unit the figures belong to"},
	"import.unit_hint":      {ZH: "表中有“责任单位”列时，按该列匹配下属单位", EN: "A sheet with a unit column is matched by that column"},
	"import.year":           {ZH: "年度", EN: "Year"},
	"import.month":          {ZH: "数据月份", EN: "Month"},
	"import.month_header":   {ZH: "按表头（如“1-10月累计”）", EN: "As the header says (1-N月)"},
	"import.month_n":        {ZH: "%s", EN: "%s"},
	"import.submit":         {ZH: "上传并预览", EN: "Upload and preview"},
	"import.template":       {ZH: "下载模板与导出", EN: "Template and export"},
	"import.template_intro": {ZH: "模板按所选单位本年度的目标列出指标及其年度任务数，填入数字后即可导入；导出为同一格式，已填入当期数据，可修改后重新导入。表中年度任务数与已设定的年度目标不同时，须在预览中确认后才会修改；尚无目标的指标按年度任务数新建目标。", EN: "The template lists the unit's targets of the year with their 年度任务数, ready to fill in and import; the export has the same layout filled with the month's figures, to correct and import again. A 年度任务数 that differs from the target set changes it only once confirmed on the preview; an indicator with no target yet gets one from it."},
	"import.download":       {ZH: "下载空白模板", EN: "Download the template"},
	"import.export":         {ZH: "导出当期数据", EN: "Export the month's figures"},
	"import.sheet_title":    {ZH: "%s主要经济指标完成情况表", EN: "%s: main indicators"},
	"import.sheet_file":     {ZH: "%s-%d年1-%d月", EN: "%s-%d-1-%d"},

	"import.preview":         {ZH: "导入预览", EN: "Import preview"},
	"import.sheets.read":     {ZH: "本次读取的工作表：“%s”。工作簿中的其他工作表：", EN: "Worksheet read: “%s”. The workbook's other worksheets:"},
	"import.summary.file":    {ZH: "文件", EN: "File"},
	"import.summary.unit":    {ZH: "单位", EN: "Unit"},
	"import.summary.period":  {ZH: "数据期", EN: "Period"},
	"import.summary.rows":    {ZH: "数据行", EN: "Rows"},
	"import.summary.problem": {ZH: "问题", EN: "Problems"},
	"import.period":          {ZH: "%s", EN: "%s"},
	"import.period_unknown":  {ZH: "未确定", EN: "Unknown"},
	"import.clean":           {ZH: "检查通过：%d条数据可以导入（共%d行，未填的行跳过）。", EN: "All checks passed: %d figures can be imported (%d rows read; blank rows are skipped)."},
	"import.has_problems":    {ZH: "发现%d处问题，整份文件不能导入。请按下表修改后重新上传。", EN: "%d problems found: the file cannot be imported. Correct them as listed and upload it again."},
	"import.problems":        {ZH: "问题清单", EN: "Problems"},
	"import.col.row":         {ZH: "行", EN: "Row"},
	"import.col.column":      {ZH: "列", EN: "Column"},
	"import.col.header":      {ZH: "表头", EN: "Header"},
	"import.col.problem":     {ZH: "问题", EN: "Problem"},
	"import.rows":            {ZH: "数据行", EN: "Rows"},
	"import.col.indicator":   {ZH: "指标", EN: "Indicator"},
	"import.col.measure":     {ZH: "计量单位", EN: "Measure"},
	"import.col.value":       {ZH: "本年累计", EN: "Cumulative"},
	"import.col.last_year":   {ZH: "去年同期", EN: "Last year"},
	"import.col.unit":        {ZH: "单位", EN: "Unit"},
	"import.col.status":      {ZH: "状态", EN: "Status"},
	"import.converted":       {ZH: "已换算", EN: "converted"},
	"import.status.ok":       {ZH: "正常", EN: "OK"},
	"import.status.problem":  {ZH: "有问题", EN: "Problem"},
	"import.status.skipped":  {ZH: "未填，跳过", EN: "Blank, skipped"},
	"import.commit":          {ZH: "确认导入", EN: "Commit the import"},
	"import.committed":       {ZH: "已导入%d条数据", EN: "%d figures imported"},
	"import.flash.committed": {ZH: "导入成功", EN: "Imported"},
	"import.flash.read":      {ZH: "文件已读取，请核对下面的预览后确认导入", EN: "The file is read: check the preview below, then commit"},
	"import.err.unreadable":  {ZH: "上传的文件未能完整接收，请重新上传", EN: "The upload did not arrive whole; upload it again"},
	"import.again":           {ZH: "重新上传", EN: "Upload another file"},
	"import.err.gone":        {ZH: "这份导入已不在：每人最多保留%d份未确认的导入，且只保留%d小时，这份已被新的上传替换或已过期。请重新上传", EN: "This import is gone: each account keeps at most %d unconfirmed imports, for %d hours, and this one was replaced by a newer upload or expired. Upload the file again"},
}

func (h *Handlers) importRoutes(rt *web.Router) {
	rt.Handle("GET /targets/import", h.importForm)
	rt.Handle("POST /targets/import", h.importUpload)
	rt.Handle("GET /targets/import/template.xlsx", h.importTemplate)
	rt.Handle("GET /targets/import/{token}", h.importPreview)
	rt.Handle("POST /targets/import/{token}/commit", h.importCommit)
	rt.Handle("GET /targets/export.xlsx", h.exportSheet)
}

// ImportPage is the upload form and the template download.
type ImportPage struct {
	web.Base
	Units  []ImportUnit
	Unit   int64 // the unit chosen
	Year   int
	Month  int // 0: as the header says
	Years  []int
	Months []int
	// Period is the month the template and the export are for by default:
	// the last month that has ended.
	PeriodYear, PeriodMonth int
	Form                    web.FormView
}

// lastMonth is the latest month whose figures can be out: the month before
// today's, December of last year in January.
func lastMonth(today time.Time) (year, month int) {
	year, month = today.Year(), int(today.Month())-1
	if month < 1 {
		return year - 1, 12
	}
	return year, month
}

func (h *Handlers) importPage(r *http.Request, fv web.FormView) (ImportPage, error) {
	p := ImportPage{Base: h.Pages.Base(r, "import.title"), Form: fv}
	if !p.Can(string(auth.EnterFigures)) {
		return p, platform.ErrForbidden
	}
	units, def, err := h.Store.ImportUnits(r.Context())
	if err != nil {
		return p, err
	}
	today := clock.Today(h.now())
	p.Units, p.Unit, p.Year = units, def, today.Year()
	p.PeriodYear, p.PeriodMonth = lastMonth(today)
	if v, err := strconv.ParseInt(fv.Get("unit_id"), 10, 64); err == nil {
		p.Unit = v
	}
	if v, err := strconv.Atoi(fv.Get("year")); err == nil {
		p.Year = v
	}
	if v, err := strconv.Atoi(fv.Get("month")); err == nil {
		p.Month = v
	}
	for y := today.Year(); y >= today.Year()-2; y-- {
		p.Years = append(p.Years, y)
	}
	for m := 1; m <= 12; m++ {
		p.Months = append(p.Months, m)
	}
	return p, nil
}

func (h *Handlers) importForm(w http.ResponseWriter, r *http.Request) error {
	p, err := h.importPage(r, web.FormView{})
	if err != nil {
		return err
	}
	return h.views.upload.Render(w, r, http.StatusOK, p)
}

func (h *Handlers) importUpload(w http.ResponseWriter, r *http.Request) error {
	var in ImportInput
	var token string
	tooLarge := false
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = ImportInput{
				UnitID: f.Int64("unit_id", true),
				Year:   int(f.Int64("year", false)),
				Month:  int(f.Int64("month", false)),
			}
			if in.Year != 0 && (in.Year < 2000 || in.Year > 2100) {
				f.Add(platform.FieldError("year", "target.err.bad_year"))
			}
			if in.Month < 0 || in.Month > 12 {
				f.Add(platform.FieldError("month", "target.err.bad_choice"))
			}
			file, hdr, err := r.FormFile("file")
			switch {
			case err != nil:
				f.Add(platform.FieldError("file", "form.err.required"))
			case hdr.Size > MaxImportBytes:
				file.Close()
				tooLarge = true
				f.Add(platform.FieldError("file", keyTooLarge, MaxImportBytes>>20))
			default:
				in.Data, err = io.ReadAll(io.LimitReader(file, MaxImportBytes+1))
				file.Close()
				if err != nil {
					f.Add(platform.FieldError("file", "import.err.unreadable"))
				}
				in.Filename = uploadName(hdr.Filename)
			}
		},
		Do: func(ctx context.Context) (string, error) {
			p, err := h.Store.StartImport(ctx, in)
			if p != nil {
				token = p.Token
			}
			return "/targets/import/" + token, err
		},
		Again: func(status int, fv web.FormView) error {
			if tooLarge {
				status = http.StatusRequestEntityTooLarge
			}
			return h.renderImportForm(w, r, status, fv)
		},
		Flash: "import.flash.read",
	})
}

func (h *Handlers) renderImportForm(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	p, err := h.importPage(r, fv)
	if err != nil {
		return err
	}
	return h.views.upload.Render(w, r, status, p)
}

// uploadName keeps the base name of an uploaded file, as some browsers send
// a full Windows path, bounded in length.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if r := []rune(name); len(r) > 120 {
		name = string(r[len(r)-120:])
	}
	return name
}

// PreviewPage is an import's preview: what was read, every problem, and the
// commit button when the file is clean.
type PreviewPage struct {
	web.Base
	Preview *Preview
	Error   string // why a commit was refused
	// Unknown are the names the catalogue lacks, each offered to be added.
	Unknown []UnknownIndicator
}

// Message renders a problem's text with its arguments.
func (p PreviewPage) Message(pr Problem) string { return p.T(pr.Key, pr.Args...) }

// Ignored is the text saying why a worksheet was not read.
func (p PreviewPage) Ignored(s IgnoredSheet) string { return p.T(s.Key, s.Args...) }

// Rows is the number of data rows read.
func (p PreviewPage) Rows() int { return len(p.Preview.Rows) }

func (h *Handlers) importPreview(w http.ResponseWriter, r *http.Request) error {
	pv, err := h.Store.Import(r.Context(), r.PathValue("token"))
	if err != nil {
		return err
	}
	return h.renderPreview(w, r, http.StatusOK, pv, "")
}

func (h *Handlers) renderPreview(w http.ResponseWriter, r *http.Request, status int, pv *Preview, msg string) error {
	p := PreviewPage{Base: h.Pages.Base(r, "import.preview"), Preview: pv, Error: msg, Unknown: h.unknownIndicators(r.Context(), pv)}
	return h.views.preview.Render(w, r, status, p)
}

func (h *Handlers) importCommit(w http.ResponseWriter, r *http.Request) error {
	token := r.PathValue("token")
	// A file with rows suspect of a unit mistake, or changing the year's
	// targets, is written only with the preview's confirmation ticked.
	f := web.NewForm(r)
	c := Confirm{Figures: f.String("confirm", false, 10) != "", Targets: f.String("confirm_targets", false, 10) != ""}
	pv, err := h.Store.CommitImport(r.Context(), token, c)
	if err == nil {
		web.SetFlash(w, "import.flash.committed")
		http.Redirect(w, r, "/targets/import/"+token, http.StatusSeeOther)
		return nil
	}
	pe := platform.AsError(err)
	msg := h.Pages.Bundle.T(web.LangOf(r), pe.Key, pe.Args...)
	switch {
	case pe.Code == platform.Invalid && pv != nil:
		// The file has problems: nothing was written; show them again.
		return h.renderPreview(w, r, web.Status(pe.Code), pv, msg)
	case pe.Code == platform.Conflict:
		pv, err := h.Store.Import(r.Context(), token)
		if err != nil {
			return err
		}
		return h.renderPreview(w, r, web.Status(pe.Code), pv, msg)
	}
	return err
}

// sheetQuery reads ?unit=&year=&month= for the template and the export: the
// unit defaults to the caller's township and must be in scope; an absent
// month is the last month that has ended.
func (h *Handlers) sheetQuery(r *http.Request) (unit ImportUnit, year, month int, err error) {
	units, def, err := h.Store.ImportUnits(r.Context())
	if err != nil {
		return unit, 0, 0, err
	}
	year, month = lastMonth(clock.Today(h.now()))
	q := r.URL.Query()
	id := def
	if v, err := strconv.ParseInt(q.Get("unit"), 10, 64); err == nil {
		id = v
	}
	if v, err := strconv.Atoi(q.Get("year")); err == nil {
		year = v
	}
	if v, err := strconv.Atoi(q.Get("month")); err == nil {
		month = v
	}
	if year < 2000 || year > 2100 {
		return unit, 0, 0, platform.FieldError("year", "target.err.bad_year")
	}
	if month < 1 || month > 12 {
		return unit, 0, 0, platform.FieldError("month", "target.err.bad_choice")
	}
	for _, u := range units {
		if u.ID == id {
			return u, year, month, nil
		}
	}
	return unit, 0, 0, h.Store.denyUnit(r.Context(), id)
}

// ownTargets returns the targets a unit owns itself in a year, in the
// catalogue's order, leaving out quarterly indicators off the quarter's end
// (their figure is not due, and an empty value would be refused on import).
func (h *Handlers) ownTargets(r *http.Request, unit int64, year, month int) ([]Row, error) {
	rows, err := h.Store.Targets(r.Context(), Filter{Year: &year, UnitID: &unit}, db.All(exportMax))
	if err != nil {
		return nil, err
	}
	out := rows[:0]
	for _, t := range rows {
		if t.PersonID != nil || (t.Indicator.Cadence == Quarterly && month%3 != 0) {
			continue
		}
		out = append(out, t)
	}
	return out, nil
}

func (h *Handlers) importTemplate(w http.ResponseWriter, r *http.Request) error {
	if u := auth.FromContext(r.Context()); !u.Can(auth.EnterFigures) {
		return platform.ErrForbidden
	}
	unit, year, month, err := h.sheetQuery(r)
	if err != nil {
		return err
	}
	targets, err := h.ownTargets(r, unit.ID, year, month)
	if err != nil {
		return err
	}
	rows := make([]SheetRow, len(targets))
	for i, t := range targets {
		rows[i] = SheetRow{Indicator: t.Indicator.Name, MeasureUnit: t.Indicator.MeasureUnit, Target: sheetTarget(t)}
	}
	return h.writeSheet(w, r, unit.Name, year, month, rows)
}

// sheetTarget is a target's 年度任务数 cell in the template and the export:
// its value, which imports back unchanged; none for a growth rate, which
// the column does not hold.
func sheetTarget(t Row) *float64 {
	if t.Kind != KindValue {
		return nil
	}
	v := t.Value
	return &v
}

func (h *Handlers) exportSheet(w http.ResponseWriter, r *http.Request) error {
	unit, year, month, err := h.sheetQuery(r)
	if err != nil {
		return err
	}
	targets, err := h.ownTargets(r, unit.ID, year, month)
	if err != nil {
		return err
	}
	series, err := h.Store.BoardSeries(r.Context(), unit.ID, year)
	if err != nil {
		return err
	}
	rows := make([]SheetRow, len(targets))
	for i, t := range targets {
		rows[i] = SheetRow{Indicator: t.Indicator.Name, MeasureUnit: t.Indicator.MeasureUnit, Target: sheetTarget(t)}
		if f := series[t.ID][month-1]; f != nil {
			v := f.Value
			rows[i].Value, rows[i].LastYear, rows[i].Note = &v, f.LastYear, f.Note
		}
	}
	return h.writeSheet(w, r, unit.Name, year, month, rows)
}

func (h *Handlers) writeSheet(w http.ResponseWriter, r *http.Request, unit string, year, month int, rows []SheetRow) error {
	lang := web.LangOf(r)
	t := func(key string, args ...any) string { return h.Pages.Bundle.T(lang, key, args...) }
	title := t("import.sheet_title", unit) + "（" + t("import.period", i18n.Span{Year: year, Month: month}) + "）"
	var buf bytes.Buffer
	// The template and the export both carry the 年度任务数 column, so that
	// the year's targets can be set or corrected with the figures.
	if err := writeSheetTo(&buf, title, month, rows, true); err != nil {
		return platform.Internalf("write sheet: %w", err)
	}
	name := fmt.Sprintf("%s.xlsx", t("import.sheet_file", unit, year, month))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	w.Header().Set("Cache-Control", "no-store")
	_, err := buf.WriteTo(w)
	return err
}

// Label is the unit's name indented by its depth, for a select.
func (u ImportUnit) Label() string { return strings.Repeat("\u3000", u.Depth) + u.Name }
