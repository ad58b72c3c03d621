package org

import (
	"net/http"
	"strconv"
	"strings"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/web"
)

// peopleRoutes registers the people, leadership-team and account pages.
func (h *Handlers) peopleRoutes(rt *web.Router) {
	rt.Handle("GET /people", h.people)
	rt.Handle("POST /people", h.createPerson)
	rt.Handle("GET /people/{id}", h.person)
	rt.Handle("POST /people/{id}", h.updatePerson)
	rt.Handle("POST /people/{id}/delete", h.deletePerson)
	rt.Handle("GET /team", h.team)
	rt.Handle("POST /team", h.addSeat)
	rt.Handle("POST /team/{id}/delete", h.removeSeat)
	rt.Handle("GET /users", h.users)
	rt.Handle("POST /users", h.createUser)
	rt.Handle("GET /users/{id}", h.user)
	rt.Handle("POST /users/{id}", h.updateUser)
	rt.Handle("POST /users/{id}/password", h.setPassword)
	rt.Handle("GET /api/v1/people", h.apiPeople)
}

// peoplePerPage is the page size of /people.
const peoplePerPage = 50

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// UnitChoice is a unit as a select option, indented by its depth below the
// caller's scope so that the tree shows (several townships have a 党政办).
type UnitChoice struct {
	ID    int64
	Label string
	Kind  Kind
	Path  string
}

// Choices turns units in tree order into select options, indented from the
// shallowest of them.
func Choices(units []Unit) []UnitChoice {
	top := -1
	for _, u := range units {
		if top < 0 || u.Depth < top {
			top = u.Depth
		}
	}
	out := make([]UnitChoice, 0, len(units))
	for _, u := range units {
		out = append(out, UnitChoice{ID: u.ID, Label: strings.Repeat("\u3000", u.Depth-top) + u.Name, Kind: u.Kind, Path: u.Path})
	}
	return out
}

// PeoplePage lists the people in scope, filtered by unit (with its subtree)
// and a text query, 50 to a page, with the add form for admins.
type PeoplePage struct {
	web.Base
	People []Person
	Total  int
	Units  []UnitChoice // the caller's scope: the filter's and the form's choices
	UnitID int64        // the filter's unit, 0 for all
	Unit   string       // the same as a query value, "" for all
	Query  string
	Page   int
	Pages  int
	Form   web.FormView
}

func (h *Handlers) people(w http.ResponseWriter, r *http.Request) error {
	return h.renderPeople(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderPeople(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	ctx := r.Context()
	q := r.URL.Query()
	unitID, err := web.QueryID(q, "unit")
	if err != nil {
		return err
	}
	p := PeoplePage{Base: h.Pages.Base(r, "nav.people"), UnitID: unitID, Query: q.Get("q"), Form: fv}
	p.Page, _ = strconv.Atoi(q.Get("page"))
	if p.Page < 1 {
		p.Page = 1
	}
	f := PeopleFilter{Query: p.Query, Offset: (p.Page - 1) * peoplePerPage, Limit: peoplePerPage}
	if unitID != 0 {
		f.UnitID = &unitID
		p.Unit = idString(unitID)
	}
	if p.People, p.Total, err = h.Store.People(ctx, f); err != nil {
		return err
	}
	p.Pages = (p.Total + peoplePerPage - 1) / peoplePerPage
	units, err := h.Store.Units(ctx)
	if err != nil {
		return err
	}
	p.Units = Choices(units)
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"unit_id": p.Unit}
	}
	return h.views.people.Render(w, r, status, p)
}

func personInput(f *web.Form) PersonInput {
	return PersonInput{
		UnitID: f.Int64("unit_id", true),
		Name:   f.String("name", true, MaxName),
		Title:  f.String("title", false, MaxTitle),
		Phone:  f.String("phone", false, MaxPhone),
		Sort:   int(f.Int64("sort", false)),
	}
}

func (h *Handlers) createPerson(w http.ResponseWriter, r *http.Request) error {
	f := web.NewForm(r)
	in := personInput(f)
	b := h.Pages.Base(r, "")
	fv := f.View(b)
	status := http.StatusUnprocessableEntity
	if f.Valid() {
		p, err := h.Store.CreatePerson(r.Context(), in)
		if err == nil {
			web.SetFlash(w, "common.saved")
			http.Redirect(w, r, "/people/"+idString(p.ID), http.StatusSeeOther)
			return nil
		}
		var ok bool
		if status, ok = web.FormFailed(&fv, b, err, nil); !ok {
			return err
		}
	}
	return h.renderPeople(w, r, status, fv)
}

// PersonPage is one person: details, the edit form and the delete button.
type PersonPage struct {
	web.Base
	Person Person
	Units  []UnitChoice
	Form   web.FormView // values start as the person's
}

// ChooseUnit makes the add form start with no unit chosen.
func (PeoplePage) ChooseUnit() bool { return true }

// ChooseUnit keeps the edit form on the person's unit.
func (PersonPage) ChooseUnit() bool { return false }

func (h *Handlers) person(w http.ResponseWriter, r *http.Request) error {
	return h.renderPerson(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderPerson(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := PersonPage{Base: h.Pages.Base(r, "nav.people"), Form: fv}
	if p.Person, err = h.Store.Person(ctx, id); err != nil {
		return err
	}
	p.Heading = p.Person.Name
	units, err := h.Store.Units(ctx)
	if err != nil {
		return err
	}
	p.Units = Choices(units)
	if p.Form.Values == nil {
		x := p.Person
		p.Form.Values = map[string]string{"unit_id": idString(x.UnitID), "name": x.Name, "title": x.Title, "phone": x.Phone, "sort": strconv.Itoa(x.Sort)}
	}
	return h.views.person.Render(w, r, status, p)
}

func (h *Handlers) updatePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := web.NewForm(r)
	in := personInput(f)
	b := h.Pages.Base(r, "")
	fv := f.View(b)
	status := http.StatusUnprocessableEntity
	if f.Valid() {
		_, err := h.Store.UpdatePerson(r.Context(), id, in)
		if err == nil {
			web.SetFlash(w, "common.saved")
			http.Redirect(w, r, "/people/"+idString(id), http.StatusSeeOther)
			return nil
		}
		var ok bool
		if status, ok = web.FormFailed(&fv, b, err, nil); !ok {
			return err
		}
	}
	return h.renderPerson(w, r, status, fv)
}

func (h *Handlers) deletePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p, err := h.Store.Person(r.Context(), id)
	if err != nil {
		return err
	}
	if err := h.Store.DeletePerson(r.Context(), id); err != nil {
		var fv web.FormView
		status, ok := web.FormFailed(&fv, h.Pages.Base(r, ""), err, nil)
		if !ok {
			return err
		}
		return h.renderPerson(w, r, status, fv)
	}
	web.SetFlash(w, "common.deleted")
	http.Redirect(w, r, "/people?unit="+idString(p.UnitID), http.StatusSeeOther)
	return nil
}

// TeamPage is a township's leadership team (三套班子) grouped by body, with
// a select of townships for those who see several and the seat form for
// admins of the township.
type TeamPage struct {
	web.Base
	Townships []Unit // every township whose team the caller may read
	Township  *Unit  // nil when there is none
	Groups    []TeamGroup
	People    []Person // the township's people, for the seat form
	Bodies    []Body
	InScope   bool // the township is in the caller's scope, so its people open
	CanEdit   bool
	Form      web.FormView
}

// TeamGroup is one body of the team and its seats in order.
type TeamGroup struct {
	Body    Body
	Members []TeamMember
}

func (h *Handlers) team(w http.ResponseWriter, r *http.Request) error {
	id, err := web.QueryID(r.URL.Query(), "township")
	if err != nil {
		return err
	}
	return h.renderTeam(w, r, http.StatusOK, id, web.FormView{})
}

// renderTeam shows the team of township id, or of the caller's first
// township when id is 0.
func (h *Handlers) renderTeam(w http.ResponseWriter, r *http.Request, status int, id int64, fv web.FormView) error {
	ctx := r.Context()
	p := TeamPage{Base: h.Pages.Base(r, "nav.team"), Bodies: Bodies, Form: fv}
	var err error
	if p.Townships, err = h.Store.Townships(ctx); err != nil {
		return err
	}
	if id == 0 {
		if len(p.Townships) == 0 {
			return h.views.team.Render(w, r, status, p)
		}
		id = p.Townships[0].ID
	}
	members, err := h.Store.Team(ctx, id) // refuses a township the caller may not read
	if err != nil {
		return err
	}
	for i := range p.Townships {
		if p.Townships[i].ID == id {
			p.Township = &p.Townships[i]
		}
	}
	if p.Township == nil {
		return platform.ErrNotFound
	}
	p.Heading = p.T("org.team.title", p.Township.Name)
	for _, b := range Bodies {
		g := TeamGroup{Body: b}
		for _, m := range members {
			if m.Body == b {
				g.Members = append(g.Members, m)
			}
		}
		p.Groups = append(p.Groups, g)
	}
	p.InScope = p.User.InScope(p.Township.Path)
	p.CanEdit = p.InScope && p.User.Can(auth.ManageOrg)
	if p.CanEdit {
		if p.People, _, err = h.Store.People(ctx, PeopleFilter{UnitID: &id, Limit: 1000}); err != nil {
			return err
		}
	}
	return h.views.team.Render(w, r, status, p)
}

func (h *Handlers) addSeat(w http.ResponseWriter, r *http.Request) error {
	f := web.NewForm(r)
	in := TeamInput{
		TownshipID: f.Int64("township_id", true),
		PersonID:   f.Int64("person_id", true),
		Body:       Body(f.String("body", true, 20)),
		Position:   f.String("position", true, MaxTitle),
		Sort:       int(f.Int64("sort", false)),
	}
	b := h.Pages.Base(r, "")
	fv := f.View(b)
	status := http.StatusUnprocessableEntity
	if f.Valid() {
		err := h.Store.AddTeamMember(r.Context(), in)
		if err == nil {
			web.SetFlash(w, "common.saved")
			http.Redirect(w, r, "/team?township="+idString(in.TownshipID), http.StatusSeeOther)
			return nil
		}
		var ok bool
		if status, ok = web.FormFailed(&fv, b, err, nil); !ok {
			return err
		}
	}
	return h.renderTeam(w, r, status, in.TownshipID, fv)
}

func (h *Handlers) removeSeat(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := h.Store.RemoveTeamMember(r.Context(), id); err != nil {
		return err
	}
	web.SetFlash(w, "org.team.removed")
	to := "/team"
	// The township only chooses where to go back to; the store checked the seat.
	if tw, err := strconv.ParseInt(r.FormValue("township"), 10, 64); err == nil && tw > 0 {
		to += "?township=" + idString(tw)
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// UsersPage lists the accounts in scope with the form to add one.
type UsersPage struct {
	web.Base
	Accounts    []Account
	Units       []UnitChoice
	People      []Person
	Roles       []auth.Role
	MinPassword int
	Form        web.FormView
}

func (h *Handlers) users(w http.ResponseWriter, r *http.Request) error {
	return h.renderUsers(w, r, http.StatusOK, web.FormView{})
}

// accountChoices loads what the account forms choose from: units and people in scope.
func (h *Handlers) accountChoices(r *http.Request) ([]UnitChoice, []Person, error) {
	units, err := h.Store.Units(r.Context())
	if err != nil {
		return nil, nil, err
	}
	people, _, err := h.Store.People(r.Context(), PeopleFilter{Limit: 1000})
	return Choices(units), people, err
}

func (h *Handlers) renderUsers(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	p := UsersPage{Base: h.Pages.Base(r, "nav.users"), Roles: auth.Roles, MinPassword: auth.MinPasswordLen, Form: fv}
	var err error
	if p.Accounts, err = h.Store.Accounts(r.Context()); err != nil { // refuses all but account managers
		return err
	}
	if p.Units, p.People, err = h.accountChoices(r); err != nil {
		return err
	}
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"role": string(auth.Reporter), "unit_id": idString(p.User.UnitID)}
	}
	return h.views.users.Render(w, r, status, p)
}

// accountInput reads the fields the create and edit forms share.
func accountInput(f *web.Form) AccountInput {
	in := AccountInput{
		Role:     auth.Role(f.String("role", true, 20)),
		UnitID:   f.Int64("unit_id", true),
		Disabled: f.String("disabled", false, 5) != "",
	}
	if pid := f.Int64("person_id", false); pid != 0 {
		in.PersonID = &pid
	}
	return in
}

func (h *Handlers) createUser(w http.ResponseWriter, r *http.Request) error {
	f := web.NewForm(r)
	in := accountInput(f)
	in.Disabled = false
	in.Login = f.String("login", true, MaxLogin)
	in.Password = r.FormValue("password") // not trimmed: spaces may be part of it
	if in.Password == "" {
		f.Add(platform.FieldError("password", "form.err.required"))
	}
	b := h.Pages.Base(r, "")
	fv := f.View(b)
	status := http.StatusUnprocessableEntity
	if f.Valid() {
		id, err := h.Store.CreateAccount(r.Context(), in)
		if err == nil {
			web.SetFlash(w, "common.saved")
			http.Redirect(w, r, "/users/"+idString(id), http.StatusSeeOther)
			return nil
		}
		var ok bool
		if status, ok = web.FormFailed(&fv, b, err, nil); !ok {
			return err
		}
	}
	return h.renderUsers(w, r, status, fv)
}

// UserPage is one account: the edit form and the password reset form.
type UserPage struct {
	web.Base
	Account     Account
	Units       []UnitChoice
	People      []Person
	Roles       []auth.Role
	MinPassword int
	Form        web.FormView // role, unit, person, disabled; values start as the account's
	Password    web.FormView
}

func (h *Handlers) user(w http.ResponseWriter, r *http.Request) error {
	return h.renderUser(w, r, http.StatusOK, web.FormView{}, web.FormView{})
}

func (h *Handlers) renderUser(w http.ResponseWriter, r *http.Request, status int, fv, pw web.FormView) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	p := UserPage{Base: h.Pages.Base(r, "nav.users"), Roles: auth.Roles, MinPassword: auth.MinPasswordLen, Form: fv, Password: pw}
	if p.Account, err = h.Store.Account(r.Context(), id); err != nil {
		return err
	}
	p.Heading = p.Account.Login
	if p.Units, p.People, err = h.accountChoices(r); err != nil {
		return err
	}
	if p.Form.Values == nil {
		a := p.Account
		p.Form.Values = map[string]string{"role": string(a.Role), "unit_id": idString(a.UnitID), "person_id": ""}
		if a.PersonID != nil {
			p.Form.Values["person_id"] = idString(*a.PersonID)
		}
		if a.Disabled {
			p.Form.Values["disabled"] = "1"
		}
	}
	return h.views.user.Render(w, r, status, p)
}

func (h *Handlers) updateUser(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	f := web.NewForm(r)
	in := accountInput(f)
	b := h.Pages.Base(r, "")
	fv := f.View(b)
	status := http.StatusUnprocessableEntity
	if f.Valid() {
		err := h.Store.UpdateAccount(r.Context(), id, in)
		if err == nil {
			web.SetFlash(w, "common.saved")
			http.Redirect(w, r, "/users/"+idString(id), http.StatusSeeOther)
			return nil
		}
		var ok bool
		if status, ok = web.FormFailed(&fv, b, err, nil); !ok {
			return err
		}
	}
	return h.renderUser(w, r, status, fv, web.FormView{})
}

func (h *Handlers) setPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	// Only account managers reset passwords here; the store would also let
	// people set their own without the old one.
	if _, err := h.Store.Account(r.Context(), id); err != nil {
		return err
	}
	f := web.NewForm(r)
	pw := r.FormValue("password")
	if pw == "" {
		f.Add(platform.FieldError("password", "form.err.required"))
	} else if pw != r.FormValue("password2") {
		f.Add(platform.FieldError("password2", "org.err.password_mismatch"))
	}
	b := h.Pages.Base(r, "")
	fv := f.View(b)
	status := http.StatusUnprocessableEntity
	if f.Valid() {
		err := h.Store.SetPassword(r.Context(), id, pw)
		if err == nil {
			web.SetFlash(w, "org.user.password_reset")
			http.Redirect(w, r, "/users/"+idString(id), http.StatusSeeOther)
			return nil
		}
		var ok bool
		if status, ok = web.FormFailed(&fv, b, err, nil); !ok {
			return err
		}
	}
	return h.renderUser(w, r, status, web.FormView{}, fv)
}

// apiPeople is GET /api/v1/people: a page of people and the total, filtered
// by unit (with its subtree) and q, paged by offset and limit.
func (h *Handlers) apiPeople(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := PeopleFilter{Query: q.Get("q")}
	unitID, err := web.QueryID(q, "unit")
	if err != nil {
		return err
	}
	if unitID != 0 {
		f.UnitID = &unitID
	}
	for _, p := range []struct {
		name string
		to   *int
	}{{"offset", &f.Offset}, {"limit", &f.Limit}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return platform.FieldError(p.name, "form.err.not_integer")
			}
			*p.to = n
		}
	}
	if f.Offset < 0 {
		f.Offset = 0
	}
	people, total, err := h.Store.People(r.Context(), f)
	if err != nil {
		return err
	}
	if people == nil {
		people = []Person{}
	}
	return web.WriteJSON(w, http.StatusOK, map[string]any{"people": people, "total": total})
}
