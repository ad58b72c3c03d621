package org

import (
	"net/http"
	"strconv"

	"guatu/internal/platform/web"
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
	h.exportRoutes(rt)
	rt.Handle("GET /api/v1/units", h.apiUnits)
	rt.Handle("GET /api/v1/units/{id}", h.apiUnit)
}

func pathID(r *http.Request) (int64, error) { return web.PathID(r) }

// UnitsPage is the org tree with a form to add a unit.
type UnitsPage struct {
	web.Base
	Units []Unit
	Kinds []Kind
	Form  web.FormView
}

func (h *Handlers) units(w http.ResponseWriter, r *http.Request) error {
	return h.renderUnits(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderUnits(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	units, err := h.Store.Units(r.Context())
	if err != nil {
		return err
	}
	p := UnitsPage{Base: h.Pages.Base(r, "nav.units"), Units: units, Kinds: Kinds, Form: fv}
	return h.views.units.Render(w, r, status, p)
}

func unitInput(f *web.Form) UnitInput {
	in := UnitInput{Kind: Kind(f.String("kind", false, 20)), Name: f.String("name", true, MaxName), Sort: int(f.Int64("sort", false))}
	if pid := f.Int64("parent_id", false); pid != 0 {
		in.ParentID = &pid
	}
	return in
}

func (h *Handlers) createUnit(w http.ResponseWriter, r *http.Request) error {
	f := web.NewForm(r)
	in := unitInput(f)
	if f.Valid() {
		u, err := h.Store.CreateUnit(r.Context(), in)
		if err == nil {
			web.SetFlash(w, "common.saved")
			http.Redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
			return nil
		}
		fv := f.View(h.Pages.Base(r, ""))
		status, ok := web.FormFailed(&fv, h.Pages.Base(r, ""), err, nil)
		if !ok {
			return err
		}
		return h.renderUnits(w, r, status, fv)
	}
	return h.renderUnits(w, r, http.StatusUnprocessableEntity, f.View(h.Pages.Base(r, "")))
}

// UnitPage is one unit: its details, children, people and the edit form.
type UnitPage struct {
	web.Base
	Unit     Unit
	Parent   *Unit
	Children []Unit
	People   []Person
	Parents  []Unit // where it may move
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
	p.People, _, err = h.Store.People(ctx, PeopleFilter{UnitID: &id, Limit: 1000})
	if err != nil {
		return err
	}
	// Only people directly in this unit; the subtree is on /people.
	direct := p.People[:0]
	for _, x := range p.People {
		if x.UnitID == id {
			direct = append(direct, x)
		}
	}
	p.People = direct
	return h.views.unit.Render(w, r, status, p)
}

func isWithin(path, root string) bool { return len(path) >= len(root) && path[:len(root)] == root }

func (h *Handlers) updateUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := web.NewForm(r)
	in := unitInput(f)
	if f.Valid() {
		_, err := h.Store.UpdateUnit(r.Context(), id, in)
		if err == nil {
			web.SetFlash(w, "common.saved")
			http.Redirect(w, r, "/units/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
			return nil
		}
		fv := f.View(h.Pages.Base(r, ""))
		status, ok := web.FormFailed(&fv, h.Pages.Base(r, ""), err, nil)
		if !ok {
			return err
		}
		return h.renderUnit(w, r, status, fv)
	}
	return h.renderUnit(w, r, http.StatusUnprocessableEntity, f.View(h.Pages.Base(r, "")))
}

func (h *Handlers) deleteUnit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	un, err := h.Store.Unit(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.Store.DeleteUnit(r.Context(), id); err != nil {
		fv := web.FormView{}
		status, ok := web.FormFailed(&fv, h.Pages.Base(r, ""), err, nil)
		if !ok {
			return err
		}
		return h.renderUnit(w, r, status, fv)
	}
	web.SetFlash(w, "common.deleted")
	to := "/units"
	if un.ParentID != nil {
		to = "/units/" + strconv.FormatInt(*un.ParentID, 10)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
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
