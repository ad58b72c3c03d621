package org

import (
	"context"
	"net/http"
	"strings"

	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// Handlers serves the org pages and API.
type Handlers struct {
	Store *Store
	Pages *web.Renderer
	views views
}

// Routes registers the room's routes.
func (h *Handlers) Routes(rt *web.Router, pages *web.Renderer) {
	h.Pages, h.views = pages, newViews(pages)
	rt.Handle("GET /units", h.units)
	rt.Handle("POST /units", h.createUnit)
	rt.Handle("GET /units/{id}", h.unit)
	rt.Handle("POST /units/{id}", h.updateUnit)
	rt.Handle("POST /units/{id}/delete", h.deleteUnit)
	h.peopleRoutes(rt)
	rt.Handle("GET /units.xlsx", h.exportUnits)
	h.campaignRoutes(rt)
	rt.Handle("GET /api/v1/units", h.apiUnits)
	rt.Handle("GET /api/v1/units/{id}", h.apiUnit)
}

func pathID(r *http.Request) (int64, error) { return web.PathID(r) }

// unitsList is the org tree as a list: filtered by kind and a search on the
// name, in tree order (it does not sort), 50 to a page.
var unitsList = &web.ListSpec{
	Path: "/units",
	Filters: []web.ListFilter{
		{Name: "kind", Kind: web.FilterChoice, Choices: kindNames()},
		{Name: "q", Kind: web.FilterText},
	},
}

func kindNames() []string {
	out := make([]string, len(Kinds))
	for i, k := range Kinds {
		out[i] = string(k)
	}
	return out
}

// unitListColumns are the units list's columns, on the page and in the export;
// parents names each unit's parent for the export.
func unitListColumns(b web.Base, parents map[int64]string) []web.Column[Unit] {
	return []web.Column[Unit]{
		{Key: "org.export.id", Value: func(u Unit) any { return u.ID }},
		{Key: "org.unit.name", Page: true, Value: func(u Unit) any { return strings.Repeat("\u3000", max(u.Depth, 0)) + u.Name }},
		{Key: "org.unit.kind", Page: true, Value: func(u Unit) any { return b.T("org.kind." + string(u.Kind)) }},
		{Key: "org.unit.parent", Value: func(u Unit) any {
			if u.ParentID == nil {
				return ""
			}
			return parents[*u.ParentID]
		}},
		{Key: "org.unit.people", Page: true, Value: func(u Unit) any { return u.People }},
	}
}

// filterUnits keeps the units of the list's kind whose name holds its
// search, in any case, keeping the tree order. The tree is reference data
// read whole for the scope (see Units), so it is filtered and paged here.
func filterUnits(units []Unit, l *web.List) []Unit {
	kind, q := l.Get("kind"), strings.ToLower(l.Get("q"))
	out := make([]Unit, 0, len(units))
	for _, u := range units {
		if (kind == "" || string(u.Kind) == kind) && strings.Contains(strings.ToLower(u.Name), q) {
			out = append(out, u)
		}
	}
	return out
}

// UnitsPage is the org tree, filtered and paged, with a form to add a unit.
type UnitsPage struct {
	web.Base
	List    *web.List
	Heads   []web.SortHead
	Units   []Unit   // the page
	Parents []Choice // where a new unit may go: every unit in scope but the grids
	Kinds   []Kind
	Form    web.FormView
}

func (h *Handlers) units(w http.ResponseWriter, r *http.Request) error {
	return h.renderUnits(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderUnits(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	l, err := unitsList.Parse(r)
	if err != nil {
		return err
	}
	all, err := h.Store.Units(r.Context())
	if err != nil {
		return err
	}
	p := UnitsPage{Base: h.Pages.Base(r, "nav.units"), List: l, Units: web.Window(l, filterUnits(all, l), nil), Kinds: Kinds, Form: fv}
	p.Heads = web.Heads(l, p.Base, unitListColumns(p.Base, nil))
	choices, err := h.unitChoices(r.Context())
	if err != nil {
		return err
	}
	for _, c := range choices {
		if c.Kind != Grid {
			p.Parents = append(p.Parents, c)
		}
	}
	return h.views.units.Render(w, r, status, p)
}

// unitsExportMax bounds the units download.
const unitsExportMax = 10000

// exportUnits downloads the units list with its filters, every page.
func (h *Handlers) exportUnits(w http.ResponseWriter, r *http.Request) error {
	l, err := unitsList.Parse(r)
	if err != nil {
		return err
	}
	all, err := h.Store.Units(r.Context())
	if err != nil {
		return err
	}
	names := make(map[int64]string, len(all))
	for _, u := range all {
		names[u.ID] = u.Name
	}
	b := h.Pages.Base(r, "nav.units")
	rows := web.Window(l.All(unitsExportMax), filterUnits(all, l), nil)
	return xlsx.ServeList(w, b, "units.xlsx", b.T("org.export.units_title"), b.T("nav.units"), unitListColumns(b, names), rows)
}

func unitInput(f *web.Form) UnitInput {
	in := UnitInput{Kind: Kind(f.String("kind", false, 20)), Name: f.String("name", true, MaxName), Sort: int(f.Int64("sort", false))}
	if pid := f.Int64("parent_id", false); pid != 0 {
		in.ParentID = &pid
	}
	return in
}

func (h *Handlers) createUnit(w http.ResponseWriter, r *http.Request) error {
	var in UnitInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = unitInput(f) },
		Do: func(ctx context.Context) (string, error) {
			u, err := h.Store.CreateUnit(ctx, in)
			return "/units/" + idString(u.ID), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderUnits(w, r, status, fv) },
	})
}

// UnitPage is one unit: its details, children, people and the edit form.
type UnitPage struct {
	web.Base
	Unit     Unit
	Parent   *Unit
	Children []Unit
	People   []Person // directly in the unit; the subtree is on /people
	Parents  []Unit   // where it may move
	Form     web.FormView
}

func (h *Handlers) unit(w http.ResponseWriter, r *http.Request) error {
	return h.renderUnit(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderUnit(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	un, err := h.Store.Unit(ctx, id)
	if err != nil {
		return err
	}
	all, err := h.Store.Units(ctx)
	if err != nil {
		return err
	}
	p := UnitPage{Base: h.Pages.Base(r, "nav.units"), Unit: un, Form: fv}
	p.Heading = un.Name
	for _, u := range all {
		switch {
		case un.ParentID != nil && u.ID == *un.ParentID:
			u := u
			p.Parent = &u
		case u.ParentID != nil && *u.ParentID == un.ID:
			p.Children = append(p.Children, u)
		}
		if CanHold(u.Kind, un.Kind) && !isWithin(u.Path, un.Path) {
			p.Parents = append(p.Parents, u)
		}
	}
	if p.People, _, err = h.Store.People(ctx, PeopleFilter{UnitID: &id, Direct: true}); err != nil {
		return err
	}
	return h.views.unit.Render(w, r, status, p)
}

func isWithin(path, root string) bool { return len(path) >= len(root) && path[:len(root)] == root }

func (h *Handlers) updateUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in UnitInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = unitInput(f) },
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.UpdateUnit(ctx, id, in)
			return "/units/" + idString(id), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderUnit(w, r, status, fv) },
	})
}

// deleteUnit removes an empty unit and goes to its parent; a unit still in
// use is shown again with the reason.
func (h *Handlers) deleteUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, h.Pages, web.Submission{
		Do: func(ctx context.Context) (string, error) {
			un, err := h.Store.Unit(ctx, id)
			if err != nil {
				return "", err
			}
			to := "/units"
			if un.ParentID != nil {
				to = "/units/" + idString(*un.ParentID)
			}
			return to, h.Store.DeleteUnit(ctx, id)
		},
		Again: func(status int, fv web.FormView) error { return h.renderUnit(w, r, status, fv) },
		Flash: "common.deleted",
	})
}

func (h *Handlers) apiUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := h.Store.Units(r.Context())
	if err != nil {
		return err
	}
	if units == nil {
		units = []Unit{}
	}
	return web.WriteJSON(w, http.StatusOK, map[string]any{"units": units})
}

func (h *Handlers) apiUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	un, err := h.Store.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, un)
}
