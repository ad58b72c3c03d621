package org

import (
	"net/http"
	"strings"

	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// exportRoutes registers the .xlsx downloads of the org lists: officials keep
// rosters in Excel, so every list here can be taken there.
func (h *Handlers) exportRoutes(rt *web.Router) {
	rt.Handle("GET /units.xlsx", h.exportUnits)
	rt.Handle("GET /people.xlsx", h.exportPeople)
}

func (h *Handlers) exportUnits(w http.ResponseWriter, r *http.Request) error {
	units, err := h.Store.Units(r.Context())
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "nav.units")
	t := xlsx.Table{Title: b.T("org.export.units_title"), Sheet: b.T("nav.units"),
		Headers: []string{b.T("org.export.id"), b.T("org.unit.name"), b.T("org.unit.kind"), b.T("org.unit.parent"), b.T("org.unit.people")}}
	names := map[int64]string{}
	for _, u := range units {
		names[u.ID] = u.Name
	}
	for _, u := range units {
		parent := ""
		if u.ParentID != nil {
			parent = names[*u.ParentID]
		}
		t.Rows = append(t.Rows, []any{u.ID, strings.Repeat("　", max(u.Depth, 0)) + u.Name, b.T("org.kind." + string(u.Kind)), parent, u.People})
	}
	return xlsx.Serve(w, "units.xlsx", t.Title+".xlsx", t)
}

func (h *Handlers) exportPeople(w http.ResponseWriter, r *http.Request) error {
	unitID, err := web.QueryID(r.URL.Query(), "unit")
	if err != nil {
		return err
	}
	f := PeopleFilter{Query: r.URL.Query().Get("q"), Limit: 1000}
	if unitID != 0 {
		f.UnitID = &unitID
	}
	b := h.Pages.Base(r, "nav.people")
	t := xlsx.Table{Title: b.T("org.export.people_title"), Sheet: b.T("nav.people"),
		Headers: []string{b.T("org.export.id"), b.T("org.person.name"), b.T("org.person.title"), b.T("org.person.phone"), b.T("org.person.unit"), b.T("org.export.has_login")}}
	for {
		people, total, err := h.Store.People(r.Context(), f)
		if err != nil {
			return err
		}
		for _, p := range people {
			login := b.T("common.no")
			if p.HasLogin {
				login = b.T("common.yes")
			}
			t.Rows = append(t.Rows, []any{p.ID, p.Name, p.Title, p.Phone, p.UnitName, login})
		}
		f.Offset += len(people)
		if len(people) == 0 || f.Offset >= total {
			break
		}
	}
	return xlsx.Serve(w, "people.xlsx", t.Title+".xlsx", t)
}
