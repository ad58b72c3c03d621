package org

import (
	"context"
	"net/http"
	"strconv"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// peopleRoutes registers the people, leadership-team and account pages.
func (h *Handlers) peopleRoutes(rt *web.Router) {
	rt.Handle("GET /people", h.people)
	rt.Handle("GET /people.xlsx", h.exportPeople)
	rt.Handle("POST /people", h.createPerson)
	rt.Handle("GET /people/{id}", h.person)
	rt.Handle("POST /people/{id}", h.updatePerson)
	rt.Handle("POST /people/{id}/delete", h.deletePerson)
	rt.Handle("GET /team", h.team)
	rt.Handle("POST /team", h.addSeat)
	rt.Handle("POST /team/{id}/delete", h.removeSeat)
	rt.Handle("GET /users", h.users)
	rt.Handle("GET /users.xlsx", h.exportUsers)
	rt.Handle("POST /users", h.createUser)
	rt.Handle("GET /users/{id}", h.user)
	rt.Handle("POST /users/{id}", h.updateUser)
	rt.Handle("POST /users/{id}/password", h.setPassword)
	rt.Handle("GET /api/v1/people", h.apiPeople)
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// unitChoices are the units in the caller's scope as select options, named
// apart where names repeat (see Scope.Choices).
func (h *Handlers) unitChoices(ctx context.Context) ([]Choice, error) {
	sc, err := h.Store.Scope(ctx)
	if err != nil {
		return nil, err
	}
	return sc.Choices(), nil
}

// peopleList is the people in scope: filtered by a unit (with its
// subtree) and a search on name, title and phone, sorted by name or unit.
var peopleList = &web.ListSpec{
	Path: "/people",
	Filters: []web.ListFilter{
		{Name: "unit", Kind: web.FilterID},
		{Name: "q", Kind: web.FilterText},
	},
	Sorts: PeopleSorts,
}

// peopleListColumns are the people list's columns, on the page and in the export.
func peopleListColumns(b web.Base) []web.Column[Person] {
	return []web.Column[Person]{
		{Key: "org.export.id", Value: func(p Person) any { return p.ID }},
		{Key: "org.person.name", Sort: "name", Page: true, Value: func(p Person) any { return p.Name }},
		{Key: "org.person.title", Page: true, Value: func(p Person) any { return p.Title }},
		{Key: "org.person.unit", Sort: "unit", Page: true, Value: func(p Person) any { return p.UnitName }},
		{Key: "org.person.phone", Page: true, Value: func(p Person) any { return p.Phone }},
		{Key: "org.person.wecom_id", Value: func(p Person) any { return p.WeComID }},
		{Key: "org.person.duty", Page: true, Value: func(p Person) any { return dutyName(b, p.Duty) }},
		{Key: "org.export.has_login", Page: true, Value: func(p Person) any { return yesNo(b, p.HasLogin) }},
	}
}

func yesNo(b web.Base, v bool) string {
	if v {
		return b.T("common.yes")
	}
	return b.T("common.no")
}

// peopleFilter reads the people list's filters.
func peopleFilter(l *web.List) PeopleFilter {
	f := PeopleFilter{Query: l.Get("q"), Page: l}
	if id := l.ID("unit"); id != 0 {
		f.UnitID = &id
	}
	return f
}

// PeoplePage lists the people in scope, filtered, sorted and paged, with
// the add form for admins.
type PeoplePage struct {
	web.Base
	List   *web.List
	Heads  []web.SortHead
	People []Person
	Units  []Choice // the caller's scope: the filter's and the form's choices
	Form   web.FormView
}

func (h *Handlers) people(w http.ResponseWriter, r *http.Request) error {
	return h.renderPeople(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderPeople(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	ctx := r.Context()
	l, err := peopleList.Parse(r)
	if err != nil {
		return err
	}
	p := PeoplePage{Base: h.Pages.Base(r, "nav.people"), List: l, Form: fv}
	if p.People, _, err = h.Store.People(ctx, peopleFilter(l)); err != nil {
		return err
	}
	p.Heads = web.Heads(l, p.Base, peopleListColumns(p.Base))
	if p.Units, err = h.unitChoices(ctx); err != nil {
		return err
	}
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"unit_id": l.Get("unit")}
	}
	return h.views.people.Render(w, r, status, p)
}

// peopleExportMax bounds the people download.
const peopleExportMax = 10000

// exportPeople downloads the people list with its filters and sort, every page.
func (h *Handlers) exportPeople(w http.ResponseWriter, r *http.Request) error {
	l, err := peopleList.Parse(r)
	if err != nil {
		return err
	}
	f := peopleFilter(l)
	f.Page = l.All(peopleExportMax)
	people, _, err := h.Store.People(r.Context(), f)
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "nav.people")
	return xlsx.ServeList(w, b, "people.xlsx", b.T("org.export.people_title"), b.T("nav.people"), peopleListColumns(b), people)
}

// dutyName is a person's duty in the reader's language, "" for none.
func dutyName(b web.Base, d Duty) string {
	if d == NoDuty {
		return ""
	}
	return b.T("org.duty." + string(d))
}

func personInput(f *web.Form) PersonInput {
	return PersonInput{
		UnitID:  f.Int64("unit_id", true),
		Name:    f.String("name", true, MaxName),
		Title:   f.String("title", false, MaxTitle),
		Phone:   f.String("phone", false, MaxPhone),
		WeComID: f.String("wecom_id", false, 64),
		Duty:    Duty(f.String("duty", false, 10)),
		Sort:    int(f.Int64("sort", false)),
	}
}

func (h *Handlers) createPerson(w http.ResponseWriter, r *http.Request) error {
	var in PersonInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = personInput(f) },
		Do: func(ctx context.Context) (string, error) {
			p, err := h.Store.CreatePerson(ctx, in)
			return "/people/" + idString(p.ID), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderPeople(w, r, status, fv) },
	})
}

// PersonPage is one person: details, the edit form and the delete button.
type PersonPage struct {
	web.Base
	Person Person
	Units  []Choice
	Form   web.FormView // values start as the person's
}

// ChooseUnit makes the add form start with no unit chosen.
func (PeoplePage) ChooseUnit() bool { return true }

// ChooseUnit keeps the edit form on the person's unit.
func (PersonPage) ChooseUnit() bool { return false }

// Duties are the duty form field's choices.
func (PeoplePage) Duties() []Duty { return Duties }

// Duties are the duty form field's choices.
func (PersonPage) Duties() []Duty { return Duties }

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
	if p.Units, err = h.unitChoices(ctx); err != nil {
		return err
	}
	if p.Form.Values == nil {
		x := p.Person
		p.Form.Values = map[string]string{"unit_id": idString(x.UnitID), "name": x.Name, "title": x.Title, "phone": x.Phone, "wecom_id": x.WeComID, "duty": string(x.Duty), "sort": strconv.Itoa(x.Sort)}
	}
	return h.views.person.Render(w, r, status, p)
}

func (h *Handlers) updatePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in PersonInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = personInput(f) },
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.UpdatePerson(ctx, id, in)
			return "/people/" + idString(id), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderPerson(w, r, status, fv) },
	})
}

// deletePerson removes a person and goes to their unit's people; a person
// still holding an account is shown again with the reason.
func (h *Handlers) deletePerson(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, h.Pages, web.Submission{
		Do: func(ctx context.Context) (string, error) {
			p, err := h.Store.Person(ctx, id)
			if err != nil {
				return "", err
			}
			return "/people?unit=" + idString(p.UnitID), h.Store.DeletePerson(ctx, id)
		},
		Again: func(status int, fv web.FormView) error { return h.renderPerson(w, r, status, fv) },
		Flash: "common.deleted",
	})
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
		if p.People, _, err = h.Store.People(ctx, PeopleFilter{UnitID: &id, Page: db.All(maxChoices)}); err != nil {
			return err
		}
	}
	return h.views.team.Render(w, r, status, p)
}

func (h *Handlers) addSeat(w http.ResponseWriter, r *http.Request) error {
	var in TeamInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = TeamInput{
				TownshipID: f.Int64("township_id", true),
				PersonID:   f.Int64("person_id", true),
				Body:       Body(f.String("body", true, 20)),
				Position:   f.String("position", true, MaxTitle),
				Sort:       int(f.Int64("sort", false)),
			}
		},
		Do: func(ctx context.Context) (string, error) {
			return "/team?township=" + idString(in.TownshipID), h.Store.AddTeamMember(ctx, in)
		},
		Again: func(status int, fv web.FormView) error { return h.renderTeam(w, r, status, in.TownshipID, fv) },
	})
}

// removeSeat takes a seat off the team and goes back to the township's team
// (the form's township only chooses where to go back to; the store checks
// the seat).
func (h *Handlers) removeSeat(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var township int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { township = f.Int64("township", false) },
		Do: func(ctx context.Context) (string, error) {
			to := "/team"
			if township > 0 {
				to += "?township=" + idString(township)
			}
			return to, h.Store.RemoveTeamMember(ctx, id)
		},
		Again: func(status int, fv web.FormView) error { return h.renderTeam(w, r, status, max(township, 0), fv) },
		Flash: "org.team.removed",
	})
}

// maxChoices bounds the people a form offers in a select.
const maxChoices = 1000

// usersList is the accounts in scope: filtered by role, unit (with its
// subtree), a search on the login and the person's name, and the disabled
// ones alone; sorted by login, role, unit or last sign-in.
var usersList = &web.ListSpec{
	Path: "/users",
	Filters: []web.ListFilter{
		{Name: "role", Kind: web.FilterChoice, Choices: roleNames()},
		{Name: "unit", Kind: web.FilterID},
		{Name: "q", Kind: web.FilterText},
		{Name: "disabled", Kind: web.FilterFlag},
	},
	Sorts: AccountSorts,
}

func roleNames() []string {
	out := make([]string, len(auth.Roles))
	for i, r := range auth.Roles {
		out[i] = string(r)
	}
	return out
}

// userListColumns are the accounts list's columns, on the page and in the export.
func userListColumns(b web.Base) []web.Column[Account] {
	return []web.Column[Account]{
		{Key: "org.export.id", Value: func(a Account) any { return a.ID }},
		{Key: "org.user.login", Sort: "login", Page: true, Value: func(a Account) any { return a.Login }},
		{Key: "org.user.role", Sort: "role", Page: true, Value: func(a Account) any { return b.T("role." + string(a.Role)) }},
		{Key: "org.user.unit", Sort: "unit", Page: true, Value: func(a Account) any { return a.UnitName }},
		{Key: "org.user.person", Page: true, Value: func(a Account) any { return a.PersonName }},
		{Key: "org.user.status", Page: true, Value: func(a Account) any { return b.T(accountStatus(a)) }},
		{Key: "org.user.last_login", Sort: "last_login", Page: true, Value: func(a Account) any {
			if a.LastLogin == nil {
				return nil
			}
			return *a.LastLogin
		}},
	}
}

// accountStatus is the key of an account's status: disabled, locked or active.
func accountStatus(a Account) string {
	switch {
	case a.Disabled:
		return "org.user.disabled"
	case a.Locked:
		return "org.user.locked"
	}
	return "org.user.active"
}

// accountFilter reads the accounts list's filters.
func accountFilter(l *web.List) AccountFilter {
	f := AccountFilter{Role: auth.Role(l.Get("role")), Query: l.Get("q"), Page: l}
	if id := l.ID("unit"); id != 0 {
		f.UnitID = &id
	}
	if l.Flag("disabled") {
		yes := true
		f.Disabled = &yes
	}
	return f
}

// UsersPage lists the accounts in scope, filtered, sorted and paged, with
// the form to add one.
type UsersPage struct {
	web.Base
	List        *web.List
	Heads       []web.SortHead
	Accounts    []Account
	Units       []Choice
	People      []Person
	Roles       []auth.Role
	MinPassword int
	Form        web.FormView
}

func (h *Handlers) users(w http.ResponseWriter, r *http.Request) error {
	return h.renderUsers(w, r, http.StatusOK, web.FormView{})
}

// accountChoices loads what the account forms choose from: units and people in scope.
func (h *Handlers) accountChoices(r *http.Request) ([]Choice, []Person, error) {
	units, err := h.unitChoices(r.Context())
	if err != nil {
		return nil, nil, err
	}
	people, _, err := h.Store.People(r.Context(), PeopleFilter{Page: db.All(maxChoices)})
	return units, people, err
}

func (h *Handlers) renderUsers(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	l, err := usersList.Parse(r)
	if err != nil {
		return err
	}
	p := UsersPage{Base: h.Pages.Base(r, "nav.users"), List: l, Roles: auth.Roles, MinPassword: auth.MinPasswordLen, Form: fv}
	if p.Accounts, _, err = h.Store.FindAccounts(r.Context(), accountFilter(l)); err != nil { // refuses all but account managers
		return err
	}
	p.Heads = web.Heads(l, p.Base, userListColumns(p.Base))
	if p.Units, p.People, err = h.accountChoices(r); err != nil {
		return err
	}
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"role": string(auth.Reporter), "unit_id": idString(p.User.UnitID)}
	}
	return h.views.users.Render(w, r, status, p)
}

// usersExportMax bounds the accounts download.
const usersExportMax = 10000

// exportUsers downloads the accounts list with its filters and sort, every page.
func (h *Handlers) exportUsers(w http.ResponseWriter, r *http.Request) error {
	l, err := usersList.Parse(r)
	if err != nil {
		return err
	}
	f := accountFilter(l)
	f.Page = l.All(usersExportMax)
	accounts, _, err := h.Store.FindAccounts(r.Context(), f)
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "nav.users")
	return xlsx.ServeList(w, b, "users.xlsx", b.T("org.export.users_title"), b.T("nav.users"), userListColumns(b), accounts)
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
	var in AccountInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = accountInput(f)
			in.Disabled = false
			in.Login = f.String("login", true, MaxLogin)
			in.Password = r.FormValue("password") // not trimmed: spaces may be part of it
			if in.Password == "" {
				f.Add(platform.FieldError("password", "form.err.required"))
			}
		},
		Do: func(ctx context.Context) (string, error) {
			id, err := h.Store.CreateAccount(ctx, in)
			return "/users/" + idString(id), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderUsers(w, r, status, fv) },
	})
}

// UserPage is one account: the edit form and the password reset form.
type UserPage struct {
	web.Base
	Account     Account
	Units       []Choice
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
	var in AccountInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = accountInput(f) },
		Do: func(ctx context.Context) (string, error) {
			return "/users/" + idString(id), h.Store.UpdateAccount(ctx, id, in)
		},
		Again: func(status int, fv web.FormView) error { return h.renderUser(w, r, status, fv, web.FormView{}) },
	})
}

func (h *Handlers) setPassword(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var pw string
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			pw = r.FormValue("password") // not trimmed: spaces may be part of it
			if pw == "" {
				f.Add(platform.FieldError("password", "form.err.required"))
			} else if pw != r.FormValue("password2") {
				f.Add(platform.FieldError("password2", "org.err.password_mismatch"))
			}
		},
		Do: func(ctx context.Context) (string, error) {
			// Only account managers reset passwords here; the store would
			// also let people set their own without the old one.
			if _, err := h.Store.Account(ctx, id); err != nil {
				return "", err
			}
			return "/users/" + idString(id), h.Store.SetPassword(ctx, id, pw)
		},
		Again: func(status int, fv web.FormView) error { return h.renderUser(w, r, status, web.FormView{}, fv) },
		Flash: "org.user.password_reset",
	})
}

// apiPeople is GET /api/v1/people: a page of people and the total, filtered
// by unit (with its subtree) and q, paged by offset and limit (a negative
// offset counts as 0; a limit outside 1–1000 is 50).
func (h *Handlers) apiPeople(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	win := &window{limit: 50}
	f := PeopleFilter{Query: q.Get("q"), Page: win}
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
	}{{"offset", &win.offset}, {"limit", &win.limit}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return platform.FieldError(p.name, "form.err.not_integer")
			}
			*p.to = n
		}
	}
	win.offset = max(win.offset, 0)
	if win.limit < 1 || win.limit > 1000 {
		win.limit = 50
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
