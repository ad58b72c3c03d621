package work

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// livelihood serves the ten livelihood projects, the closing evaluation
// and the completion record.
type livelihood struct {
	*Handlers
	page       *web.Page[LivelihoodPage]
	form       *web.Page[ItemFormPage]
	completion *web.Page[CompletionPage]
}

// livelihoodRoutes registers the pages and API of livelihood.go,
// evaluation.go and completion.go.
func (h *Handlers) livelihoodRoutes(rt *web.Router, pages *web.Renderer) {
	l := &livelihood{Handlers: h,
		page:       web.NewPage[LivelihoodPage](pages, "work/livelihood"),
		form:       web.NewPage[ItemFormPage](pages, "work/livelihood_item"),
		completion: web.NewPage[CompletionPage](pages, "work/completion"),
	}
	rt.Handle("GET /livelihood", l.items)
	rt.Handle("GET /livelihood/new", l.newItem)
	rt.Handle("POST /livelihood", l.createItem)
	rt.Handle("GET /livelihood/{id}/edit", l.editItem)
	rt.Handle("POST /livelihood/{id}", l.updateItem)
	rt.Handle("POST /livelihood/{id}/actual", l.setActual)
	rt.Handle("GET /api/v1/livelihood", l.apiItems)
	rt.Handle("POST /tasks/{id}/livelihood", l.link)
	rt.Handle("POST /tasks/{id}/evaluation", l.evaluate)
	rt.Handle("GET /tasks/completion", l.completionPage)
	rt.Handle("GET /tasks/completion.xlsx", l.exportCompletion)
}

// Numeral is the item's number in Chinese: 一 … 十.
func (it Item) Numeral() string { return Numeral(it.Number) }

// Class is the status's colour in the style sheet.
func (s ItemStatus) Class() string {
	switch s {
	case Done, OnTrack:
		return "green"
	case Behind:
		return "red"
	}
	return "none"
}

// ItemRow is an item as the page shows it, with the tasks the reader sees.
type ItemRow struct {
	Item
	Tasks []Task
}

// LivelihoodPage is /livelihood: a township's ten projects of a year, on
// one A4 sheet in print.
type LivelihoodPage struct {
	web.Base
	Townships []org.Unit // the choice, for a reader over several
	Township  org.Unit
	Year      int
	Rows      []ItemRow
	Done      int
	Behind    int
	Office    bool   // may add, edit and record
	Printed   string // today, for the printed sheet
	Form      web.FormView
	FormItem  int64 // the item whose figure form Form is
}

// where reads ?township= and ?year=: the township defaults to the reader's
// first, the year to this one in Beijing.
func (l *livelihood) where(r *http.Request) (org.Unit, []org.Unit, int, error) {
	ctx := r.Context()
	sc, err := l.Store.org().Scope(ctx)
	if err != nil {
		return org.Unit{}, nil, 0, err
	}
	q := r.URL.Query()
	id, err := web.QueryID(q, "township")
	if err != nil {
		return org.Unit{}, nil, 0, err
	}
	year := clock.Today(l.Store.now()).Year()
	if v := q.Get("year"); v != "" {
		if year, err = strconv.Atoi(v); err != nil || year < 2000 || year > 2100 {
			return org.Unit{}, nil, 0, platform.FieldError("year", "livelihood.error.year")
		}
	}
	towns := sc.Townships()
	if id == 0 {
		if len(towns) == 0 {
			return org.Unit{}, towns, year, nil
		}
		return towns[0], towns, year, nil
	}
	for _, tw := range towns {
		if tw.ID == id {
			return tw, towns, year, nil
		}
	}
	return org.Unit{}, nil, 0, sc.DenyUnit(ctx, id)
}

func (l *livelihood) items(w http.ResponseWriter, r *http.Request) error {
	return l.renderItems(w, r, http.StatusOK, web.FormView{}, 0)
}

func (l *livelihood) renderItems(w http.ResponseWriter, r *http.Request, status int, fv web.FormView, formItem int64) error {
	ctx := r.Context()
	town, towns, year, err := l.where(r)
	if err != nil {
		return err
	}
	p := LivelihoodPage{Base: l.Pages.Base(r, "nav.livelihood"), Townships: towns, Township: town, Year: year,
		Printed: clock.Today(l.Store.now()).Format(clock.DateFormat), Form: fv, FormItem: formItem}
	p.Office = Office(p.User) && town.ID != 0 && officeOver(p.User, town.Path)
	if town.ID != 0 {
		p.Heading = p.T("livelihood.title", town.Name, year)
		items, err := l.Store.Items(ctx, town.ID, year)
		if err != nil {
			return err
		}
		for _, it := range items {
			tasks, err := l.Store.ItemTasks(ctx, it)
			if err != nil {
				return err
			}
			p.Rows = append(p.Rows, ItemRow{Item: it, Tasks: tasks})
			switch it.Status {
			case Done:
				p.Done++
			case Behind:
				p.Behind++
			}
		}
	}
	return l.page.Render(w, r, status, p)
}

// back is the list an item belongs to.
func itemsURL(township int64, year int) string {
	return "/livelihood?township=" + strconv.FormatInt(township, 10) + "&year=" + strconv.Itoa(year)
}

// ItemFormPage adds or edits an item.
type ItemFormPage struct {
	web.Base
	Item  *Item // nil for a new one
	Units []org.Choice
	Form  web.FormView
}

func (l *livelihood) newItem(w http.ResponseWriter, r *http.Request) error {
	year := clock.Today(l.Store.now()).Year()
	fv := web.FormView{Values: map[string]string{"year": strconv.Itoa(year), "number": "1"}}
	return l.renderForm(w, r, http.StatusOK, nil, fv)
}

func (l *livelihood) editItem(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	it, err := l.Store.Item(r.Context(), id)
	if err != nil {
		return err
	}
	fv := web.FormView{Values: map[string]string{"year": strconv.Itoa(it.Year), "number": strconv.Itoa(it.Number),
		"title": it.Title, "content": it.Content, "measure": it.Measure, "lead_unit_id": strconv.FormatInt(it.LeadUnitID, 10),
		"version": strconv.FormatInt(it.Version, 10)}}
	if it.Target != nil {
		fv.Values["target"] = strconv.FormatFloat(*it.Target, 'f', -1, 64)
	}
	return l.renderForm(w, r, http.StatusOK, &it, fv)
}

func (l *livelihood) renderForm(w http.ResponseWriter, r *http.Request, status int, it *Item, fv web.FormView) error {
	p := ItemFormPage{Base: l.Pages.Base(r, "livelihood.new"), Item: it, Form: fv}
	if it != nil {
		p.Title = "livelihood.edit"
	}
	if !Office(p.User) {
		return platform.ErrForbidden
	}
	sc, err := l.Store.org().Scope(r.Context())
	if err != nil {
		return err
	}
	p.Units = sc.Choices()
	return l.form.Render(w, r, status, p)
}

// readItem reads the item form's fields.
func readItem(f *web.Form) ItemInput {
	return ItemInput{
		Year:       int(f.Int64("year", true)),
		Number:     int(f.Int64("number", true)),
		Title:      f.String("title", false, MaxItemTitle),
		Content:    f.String("content", false, MaxItemContent),
		Target:     f.Float("target", false),
		Measure:    f.String("measure", false, MaxMeasure),
		LeadUnitID: f.Int64("lead_unit_id", true),
	}
}

func (l *livelihood) createItem(w http.ResponseWriter, r *http.Request) error {
	var in ItemInput
	return web.Submit(w, r, l.Pages, web.Submission{
		Read: func(f *web.Form) { in = readItem(f) },
		Do: func(ctx context.Context) (string, error) {
			it, err := l.Store.CreateItem(ctx, in)
			return itemsURL(it.TownshipID, it.Year), err
		},
		Again: func(status int, fv web.FormView) error { return l.renderForm(w, r, status, nil, fv) },
	})
}

func (l *livelihood) updateItem(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	before, err := l.Store.Item(r.Context(), id)
	if err != nil {
		return err
	}
	var in ItemInput
	var version int64
	return web.Submit(w, r, l.Pages, web.Submission{
		Read: func(f *web.Form) { in, version = readItem(f), f.Int64("version", true) },
		Do: func(ctx context.Context) (string, error) {
			it, err := l.Store.UpdateItem(ctx, id, version, in)
			return itemsURL(it.TownshipID, it.Year), err
		},
		Again: func(status int, fv web.FormView) error { return l.renderForm(w, r, status, &before, fv) },
	})
}

func (l *livelihood) setActual(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var actual *float64
	var version int64
	return web.Submit(w, r, l.Pages, web.Submission{
		Read: func(f *web.Form) { actual, version = f.Float("actual", true), f.Int64("version", true) },
		Do: func(ctx context.Context) (string, error) {
			it, err := l.Store.SetActual(ctx, id, version, actual)
			return itemsURL(it.TownshipID, it.Year), err
		},
		Again: func(status int, fv web.FormView) error {
			it, err := l.Store.Item(r.Context(), id)
			if err != nil {
				return err
			}
			q := r.URL.Query()
			q.Set("township", strconv.FormatInt(it.TownshipID, 10))
			q.Set("year", strconv.Itoa(it.Year))
			r.URL.RawQuery = q.Encode()
			return l.renderItems(w, r, status, fv, id)
		},
	})
}

// ItemJSON is an item as GET /api/v1/livelihood shows it.
type ItemJSON struct {
	ID         int64      `json:"id"`
	Year       int        `json:"year"`
	Number     int        `json:"number"`
	Title      string     `json:"title"`
	Content    string     `json:"content"`
	Target     *float64   `json:"target"`
	Measure    string     `json:"measure"`
	Actual     *float64   `json:"actual"`
	LeadUnitID int64      `json:"lead_unit_id"`
	Progress   *float64   `json:"progress"`
	Status     ItemStatus `json:"status"`
	TaskIDs    []int64    `json:"task_ids"`
}

// ItemsJSON is GET /api/v1/livelihood: a township's items of a year.
type ItemsJSON struct {
	TownshipID int64      `json:"township_id"`
	Year       int        `json:"year"`
	Items      []ItemJSON `json:"items"`
}

func (l *livelihood) apiItems(w http.ResponseWriter, r *http.Request) error {
	town, _, year, err := l.where(r)
	if err != nil {
		return err
	}
	out := ItemsJSON{TownshipID: town.ID, Year: year, Items: []ItemJSON{}}
	if town.ID != 0 {
		items, err := l.Store.Items(r.Context(), town.ID, year)
		if err != nil {
			return err
		}
		for _, it := range items {
			out.Items = append(out.Items, ItemJSON{ID: it.ID, Year: it.Year, Number: it.Number, Title: it.Title, Content: it.Content,
				Target: it.Target, Measure: it.Measure, Actual: it.Actual, LeadUnitID: it.LeadUnitID, Progress: it.Progress,
				Status: it.Status, TaskIDs: it.TaskIDs})
		}
	}
	return web.WriteJSON(w, http.StatusOK, out)
}

// TaskClosing is what the task page shows of this file's work: the item a
// livelihood task serves, and a closed task's evaluation.
type TaskClosing struct {
	Item        *Item
	Items       []Item // the township's items a task may move to
	CanLink     bool
	Evaluation  *Evaluation
	CanEvaluate bool
	Qualities   []Quality
}

// closing reads the task page's TaskClosing for t.
func (h *Handlers) closing(ctx context.Context, t Task) (TaskClosing, error) {
	var c TaskClosing
	sc, err := h.Store.org().Scope(ctx)
	if err != nil {
		return c, err
	}
	if t.Source == FromLivelihood {
		id, err := h.Store.TaskItem(ctx, t.ID)
		if err != nil {
			return c, err
		}
		if id != 0 {
			it, err := h.Store.Item(ctx, id)
			if err != nil {
				return c, err
			}
			c.Item = &it
		}
		c.CanLink = Office(sc.User) && officeOver(sc.User, t.townPath) && !isUnlit(t.Status)
		if c.CanLink {
			if c.Items, err = h.Store.itemChoices(ctx, t.TownshipID, t.AssignedOn); err != nil {
				return c, err
			}
		}
	}
	if t.Status == Closed {
		ev, err := h.Store.Evaluation(ctx, t.ID)
		if err == nil {
			c.Evaluation = &ev
		} else if platform.ErrorCode(err) != platform.NotFound {
			return c, err
		}
		c.CanEvaluate = mayEvaluate(sc.User, t)
		c.Qualities = Qualities
	}
	return c, nil
}

// itemChoices are the items of a township a task assigned on a date may
// serve: those of its year, of this year and of the next (which a township
// settles in December).
func (s *Store) itemChoices(ctx context.Context, township int64, assignedOn string) ([]Item, error) {
	this := clock.Today(s.now()).Year()
	years := []int{this, this + 1}
	if d, err := clock.ParseDate(assignedOn); err == nil && d.Year() < this {
		years = append([]int{d.Year()}, years...)
	}
	var out []Item
	for _, y := range years {
		items, err := s.Items(ctx, township, y)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

// newTaskItems are the items the office's new-task form offers: this
// year's and the next's, of every township the office stands over.
func (h *Handlers) newTaskItems(ctx context.Context, sc *org.Scope) ([]Item, error) {
	var out []Item
	today := clock.Today(h.Store.now()).Format(clock.DateFormat)
	for _, tw := range sc.Townships() {
		if !officeOver(sc.User, tw.Path) {
			continue
		}
		items, err := h.Store.itemChoices(ctx, tw.ID, today)
		if err != nil {
			return nil, err
		}
		out = append(out, items...)
	}
	return out, nil
}

func (l *livelihood) link(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var item int64
	return web.Submit(w, r, l.Pages, web.Submission{
		Read: func(f *web.Form) { item = f.Int64("livelihood_id", false) },
		Do: func(ctx context.Context) (string, error) {
			return "/tasks/" + strconv.FormatInt(id, 10), l.Store.Link(ctx, id, item)
		},
		Again: func(status int, fv web.FormView) error { return l.renderTask(w, r, status, fv) },
	})
}

func (l *livelihood) evaluate(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r)
	if err != nil {
		return err
	}
	var quality, comment string
	return web.Submit(w, r, l.Pages, web.Submission{
		Read: func(f *web.Form) {
			quality = f.String("quality", true, 20)
			comment = f.String("eval_comment", false, MaxComment)
		},
		Do: func(ctx context.Context) (string, error) {
			_, err := l.Store.Evaluate(ctx, id, Quality(quality), comment)
			return "/tasks/" + strconv.FormatInt(id, 10), err
		},
		Again: func(status int, fv web.FormView) error { return l.renderTask(w, r, status, fv) },
	})
}

// completionList is the completion record: by lead unit, filtered by the
// year assigned and a unit, sorted by its numbers.
var completionList = &web.ListSpec{
	Path: "/tasks/completion",
	Filters: []web.ListFilter{
		{Name: "year", Kind: web.FilterInt, Min: 2000, Max: 2100},
		{Name: "unit", Kind: web.FilterID},
	},
	Sorts:   []string{"unit", "all", "closed", "rate", "on_time"},
	PerPage: 200,
}

// completionColumns are the record's columns on the page and in the
// download.
func completionColumns() []web.Column[Completion] {
	return []web.Column[Completion]{
		{Key: "task.completion.col.unit", Sort: "unit", Page: true, Value: func(c Completion) any { return c.UnitName }},
		{Key: "task.completion.col.all", Sort: "all", Page: true, Value: func(c Completion) any { return c.All }},
		{Key: "task.completion.col.closed", Sort: "closed", Page: true, Value: func(c Completion) any { return c.Closed }},
		{Key: "task.completion.col.stopped", Page: true, Value: func(c Completion) any { return c.Stopped }},
		{Key: "task.completion.col.struck", Page: true, Value: func(c Completion) any { return c.StruckOff }},
		{Key: "task.completion.col.rate", Sort: "rate", Page: true, Format: "0.0%", Value: func(c Completion) any {
			if c.Rate == nil {
				return ""
			}
			return *c.Rate
		}},
		{Key: "task.completion.col.on_time", Sort: "on_time", Page: true, Value: func(c Completion) any { return c.OnTime }},
	}
}

var completionSorts = map[string]func(a, b Completion) int{
	"unit":    nil, // tree order
	"all":     func(a, b Completion) int { return a.All - b.All },
	"closed":  func(a, b Completion) int { return a.Closed - b.Closed },
	"on_time": func(a, b Completion) int { return a.OnTime - b.OnTime },
	"rate": func(a, b Completion) int {
		ra, rb := -1.0, -1.0
		if a.Rate != nil {
			ra = *a.Rate
		}
		if b.Rate != nil {
			rb = *b.Rate
		}
		switch {
		case ra < rb:
			return -1
		case ra > rb:
			return 1
		}
		return 0
	},
}

// CompletionPage is /tasks/completion.
type CompletionPage struct {
	web.Base
	List  *web.List
	Heads []web.SortHead
	Rows  []Completion
	Units []org.Choice
}

// completionRows reads the record for the list's filters, sorted.
func (l *livelihood) completionRows(r *http.Request, list *web.List) ([]Completion, error) {
	rows, err := l.Store.Completion(r.Context(), CompletionFilter{Year: list.Int("year", 0), UnitID: list.ID("unit")})
	if err != nil {
		return nil, err
	}
	return web.Window(list, rows, completionSorts), nil
}

func (l *livelihood) completionPage(w http.ResponseWriter, r *http.Request) error {
	list, err := completionList.Parse(r)
	if err != nil {
		return err
	}
	p := CompletionPage{Base: l.Pages.Base(r, "task.completion.title"), List: list}
	if p.Rows, err = l.completionRows(r, list); err != nil {
		return err
	}
	sc, err := l.Store.org().Scope(r.Context())
	if err != nil {
		return err
	}
	p.Units = sc.Choices()
	p.Heads = web.Heads(list, p.Base, completionColumns())
	return l.completion.Render(w, r, http.StatusOK, p)
}

func (l *livelihood) exportCompletion(w http.ResponseWriter, r *http.Request) error {
	list, err := completionList.Parse(r)
	if err != nil {
		return err
	}
	rows, err := l.completionRows(r, list.All(exportMax))
	if err != nil {
		return err
	}
	b := l.Pages.Base(r, "task.completion.title")
	return xlsx.ServeList(w, b, "completion.xlsx", b.T("task.completion.export"), b.T("task.completion.title"), completionColumns(), rows)
}
