package org_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/db"
)

// demoIDs are the demo units and people the scope tests use.
type demoIDs struct {
	township, shuangtang, donghu int64
	xu                           int64 // 许文斌, 东湖村's secretary
	song                         int64 // 宋小芳, 双塘村's accountant with the shuangtang account
}

func mustDemoIDs(tb testing.TB, d *db.DB) demoIDs {
	tb.Helper()
	return demoIDs{
		township:   MustUnitID(tb, d, "示范区", "XX镇"),
		shuangtang: MustUnitID(tb, d, "XX镇", "双塘村"),
		donghu:     MustUnitID(tb, d, "XX镇", "东湖村"),
		xu:         MustPersonID(tb, d, "许文斌"),
		song:       MustPersonID(tb, d, "宋小芳"),
	}
}

// rowState is what must not change when a write is refused.
type rowState struct {
	Name      string
	Path      string
	UpdatedAt time.Time
	Person    string // the person's name, unit and title
}

func mustRowState(tb testing.TB, d *db.DB, unitID, personID int64) rowState {
	tb.Helper()
	var st rowState
	ctx := context.Background()
	if err := d.QueryRowContext(ctx, `SELECT name, path, updated_at FROM units WHERE id = $1`, unitID).Scan(&st.Name, &st.Path, &st.UpdatedAt); err != nil {
		tb.Fatal(err)
	}
	var name, title string
	var unit int64
	if err := d.QueryRowContext(ctx, `SELECT name, unit_id, title FROM people WHERE id = $1`, personID).Scan(&name, &unit, &title); err != nil {
		tb.Fatal(err)
	}
	st.Person = name + "/" + audit.ID(unit) + "/" + title
	return st
}

// TestScopeStore acts as 双塘村's reporter and proves the store neither shows
// nor changes 东湖村, its neighbour, and audits every attempt.
func TestScopeStore(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		s := &org.Store{DB: d}
		ctx := MustAs(t, d, "shuangtang")
		before := mustRowState(t, d, ids.donghu, ids.xu)

		tests := []struct {
			name   string
			entity string
			id     int64
			do     func() error
		}{
			{"read the unit", "unit", ids.donghu, func() error { _, err := s.Unit(ctx, ids.donghu); return err }},
			{"list the unit's people", "unit", ids.donghu, func() error {
				_, _, err := s.People(ctx, org.PeopleFilter{UnitID: &ids.donghu})
				return err
			}},
			{"read a person", "person", ids.xu, func() error { _, err := s.Person(ctx, ids.xu); return err }},
			{"rename the unit", "unit", ids.donghu, func() error {
				_, err := s.UpdateUnit(ctx, ids.donghu, org.UnitInput{ParentID: &ids.township, Name: "东湖村（改）"})
				return err
			}},
			{"move the unit", "unit", ids.donghu, func() error {
				_, err := s.UpdateUnit(ctx, ids.donghu, org.UnitInput{ParentID: &ids.shuangtang, Name: "东湖村"})
				return err
			}},
			{"delete the unit", "unit", ids.donghu, func() error { return s.DeleteUnit(ctx, ids.donghu) }},
			{"change a person", "person", ids.xu, func() error {
				_, err := s.UpdatePerson(ctx, ids.xu, org.PersonInput{UnitID: ids.shuangtang, Name: "许文斌", Title: "改"})
				return err
			}},
			{"delete a person", "person", ids.xu, func() error { return s.DeletePerson(ctx, ids.xu) }},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				denied := auditCount(t, d, audit.Denied, tt.entity, audit.ID(tt.id))
				err := tt.do()
				wantCode(t, err, platform.NotFound, "error.not_found", "")
				if got := auditCount(t, d, audit.Denied, tt.entity, audit.ID(tt.id)); got != denied+1 {
					t.Errorf("denied audit rows = %d, want %d", got, denied+1)
				}
				if got := mustRowState(t, d, ids.donghu, ids.xu); got != before {
					t.Errorf("after refusal: %+v, want %+v", got, before)
				}
			})
		}

		t.Run("denied rows name the actor", func(t *testing.T) {
			var actor, addr string
			err := d.QueryRowContext(context.Background(), `SELECT actor_login, remote_addr FROM audit_log WHERE action = $1 ORDER BY id DESC LIMIT 1`, audit.Denied).Scan(&actor, &addr)
			if err != nil {
				t.Fatal(err)
			}
			if actor != "shuangtang" || addr != "192.0.2.1" {
				t.Errorf("denied row by %q from %q, want shuangtang from 192.0.2.1", actor, addr)
			}
		})

		t.Run("create a person there", func(t *testing.T) {
			people := count(t, d, "people")
			if _, err := s.CreatePerson(ctx, org.PersonInput{UnitID: ids.donghu, Name: "新人"}); err == nil {
				t.Error("person created in 东湖村")
			}
			if got := count(t, d, "people"); got != people {
				t.Errorf("people = %d, want %d", got, people)
			}
		})

		t.Run("lists hold only the own subtree", func(t *testing.T) {
			units, err := s.Units(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range units {
				names = append(names, u.Name)
			}
			if got, want := strings.Join(names, ","), "双塘村,第一网格,第二网格,第三网格"; got != want {
				t.Errorf("units = %s, want %s", got, want)
			}
			people, total, err := s.People(ctx, org.PeopleFilter{})
			if err != nil {
				t.Fatal(err)
			}
			names = nil
			for _, p := range people {
				names = append(names, p.Name)
			}
			if got, want := strings.Join(names, ","), "梁德福,宋小芳,唐明亮"; got != want || total != 3 {
				t.Errorf("people = %s (total %d), want %s (3)", got, total, want)
			}
			if _, err := s.ResolveUnit(ctx, "东湖村"); platform.ErrorCode(err) != platform.NotFound {
				t.Errorf("resolve 东湖村 by name: err = %v, want not found", err)
			}
		})
	})
}

// TestScopeHTTP proves the same through the API with a token and through the
// pages with a signed-in browser.
func TestScopeHTTP(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		MustLoadDemo(t, d)
		ids := mustDemoIDs(t, d)
		srv := MustServer(t, d)
		tok := MustToken(t, d, "shuangtang")
		before := mustRowState(t, d, ids.donghu, ids.xu)
		stPath := mustRowState(t, d, ids.shuangtang, ids.song).Path

		t.Run("api", func(t *testing.T) {
			tests := []struct {
				path string
				want int
			}{
				{"/api/v1/units/" + audit.ID(ids.donghu), http.StatusNotFound},
				{"/api/v1/units/" + audit.ID(ids.township), http.StatusNotFound},
				{"/api/v1/people?unit=" + audit.ID(ids.donghu), http.StatusNotFound},
				{"/api/v1/units/" + audit.ID(ids.shuangtang), http.StatusOK},
				{"/api/v1/people?unit=" + audit.ID(ids.shuangtang), http.StatusOK},
			}
			for _, tt := range tests {
				status, body := apiGet(t, srv.URL, tok, tt.path)
				if status != tt.want {
					t.Errorf("GET %s = %d, want %d\n%s", tt.path, status, tt.want, body)
				}
				if tt.want == http.StatusNotFound {
					var e struct{ Error, Message string }
					if err := json.Unmarshal(body, &e); err != nil || e.Error != "not_found" || e.Message == "" {
						t.Errorf("GET %s: body %s, want a not_found error with a message", tt.path, body)
					}
					if strings.Contains(string(body), "东湖村") {
						t.Errorf("GET %s: body names 东湖村: %s", tt.path, body)
					}
				}
			}
		})

		t.Run("api units list only the own subtree", func(t *testing.T) {
			status, body := apiGet(t, srv.URL, tok, "/api/v1/units")
			if status != http.StatusOK {
				t.Fatalf("GET /api/v1/units = %d", status)
			}
			var got struct{ Units []org.Unit }
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, u := range got.Units {
				var path string
				d.QueryRowContext(context.Background(), `SELECT path FROM units WHERE id = $1`, u.ID).Scan(&path)
				if !strings.HasPrefix(path, stPath) {
					t.Errorf("unit %d %s (%s) is outside 双塘村 (%s)", u.ID, u.Name, path, stPath)
				}
				names = append(names, u.Name)
			}
			sort.Strings(names)
			if len(names) != 4 || names[0] != "双塘村" {
				t.Errorf("units = %v, want 双塘村 and its three grids", names)
			}
		})

		t.Run("api people list only the own subtree", func(t *testing.T) {
			status, body := apiGet(t, srv.URL, tok, "/api/v1/people")
			var got struct {
				People []org.Person
				Total  int
			}
			if err := json.Unmarshal(body, &got); status != http.StatusOK || err != nil {
				t.Fatalf("GET /api/v1/people = %d, %v", status, err)
			}
			if got.Total != 3 || len(got.People) != 3 {
				t.Errorf("people = %d (total %d), want 3", len(got.People), got.Total)
			}
		})

		t.Run("pages", func(t *testing.T) {
			b := SignIn(t, srv.URL, "shuangtang")
			donghu, xu := "/units/"+audit.ID(ids.donghu), "/people/"+audit.ID(ids.xu)
			tests := []struct {
				method, path string
				form         url.Values
			}{
				{"GET", donghu, nil},
				{"POST", donghu, url.Values{"name": {"东湖村（改）"}, "parent_id": {audit.ID(ids.township)}, "sort": {"1"}}},
				{"POST", donghu, url.Values{"name": {"东湖村"}, "parent_id": {audit.ID(ids.shuangtang)}}},
				{"POST", donghu + "/delete", nil},
				{"GET", "/people?unit=" + audit.ID(ids.donghu), nil},
				{"GET", xu, nil},
				{"POST", xu, url.Values{"unit_id": {audit.ID(ids.shuangtang)}, "name": {"许文斌"}, "title": {"改"}}},
				{"POST", xu + "/delete", nil},
				{"GET", "/team?township=" + audit.ID(MustUnitID(t, d, "示范区", "临江镇")), nil},
			}
			for _, tt := range tests {
				denied := auditCount(t, d, audit.Denied, "", "")
				var status int
				var body string
				if tt.method == "GET" {
					status, body = b.Get(tt.path)
				} else {
					status, body = b.Post(tt.path, tt.form)
				}
				if status != http.StatusNotFound {
					t.Errorf("%s %s = %d, want 404", tt.method, tt.path, status)
				}
				if !strings.Contains(body, "找不到该页面或数据") || strings.Contains(body, "东湖村") {
					t.Errorf("%s %s: want the plain not-found page that does not name 东湖村", tt.method, tt.path)
				}
				if got := auditCount(t, d, audit.Denied, "", ""); got <= denied {
					t.Errorf("%s %s: no denied audit row", tt.method, tt.path)
				}
				if got := mustRowState(t, d, ids.donghu, ids.xu); got != before {
					t.Errorf("%s %s changed 东湖村: %+v, want %+v", tt.method, tt.path, got, before)
				}
			}
		})
	})
}
