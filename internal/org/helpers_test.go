package org_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"guatu/internal/demo"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// asSystem is a context acting as the command line: an admin over the whole tree.
func asSystem() context.Context {
	return auth.WithUser(context.Background(), auth.System())
}

// MustAs returns a context acting as the account with the given login.
func MustAs(tb testing.TB, d *db.DB, login string) context.Context {
	tb.Helper()
	u, err := (&auth.Store{DB: d}).UserByLogin(context.Background(), login)
	if err != nil {
		tb.Fatalf("user %s: %v", login, err)
	}
	return auth.WithUser(auth.WithRemoteAddr(context.Background(), "192.0.2.1"), u)
}

// MustLoadDemo loads the demo district.
func MustLoadDemo(tb testing.TB, d *db.DB) demo.Result {
	tb.Helper()
	res, err := demo.Load(context.Background(), d, time.Now())
	if err != nil {
		tb.Fatalf("demo: %v", err)
	}
	return res
}

// MustUnitID finds a unit by its parent's name and its own.
func MustUnitID(tb testing.TB, d *db.DB, parent, name string) int64 {
	tb.Helper()
	var id int64
	err := d.QueryRowContext(context.Background(), `SELECT u.id FROM units u JOIN units p ON p.id = u.parent_id WHERE p.name = $1 AND u.name = $2`, parent, name).Scan(&id)
	if err != nil {
		tb.Fatalf("unit %s/%s: %v", parent, name, err)
	}
	return id
}

// MustPersonID finds a person by name.
func MustPersonID(tb testing.TB, d *db.DB, name string) int64 {
	tb.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM people WHERE name = $1`, name).Scan(&id); err != nil {
		tb.Fatalf("person %s: %v", name, err)
	}
	return id
}

// auditCount counts audit rows; empty arguments match anything.
func auditCount(tb testing.TB, d *db.DB, action, entity, entityID string) int {
	tb.Helper()
	var n int
	err := d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log
		WHERE ($1 = '' OR action = $1) AND ($2 = '' OR entity = $2) AND ($3 = '' OR entity_id = $3)`, action, entity, entityID).Scan(&n)
	if err != nil {
		tb.Fatalf("audit count: %v", err)
	}
	return n
}

// wantCode fails unless err carries the code (and, when key is set, the
// i18n key and field).
func wantCode(tb testing.TB, err error, code platform.Code, key, field string) {
	tb.Helper()
	if err == nil {
		tb.Fatalf("err = nil, want %s %s", code, key)
	}
	var pe *platform.Error
	if !errors.As(err, &pe) {
		tb.Fatalf("err = %v, want a *platform.Error", err)
	}
	if pe.Code != code {
		tb.Fatalf("code = %s (%v), want %s", pe.Code, err, code)
	}
	if key != "" && pe.Key != key {
		tb.Fatalf("key = %s, want %s", pe.Key, key)
	}
	if field != "" && pe.Field != field {
		tb.Fatalf("field = %q, want %q", pe.Field, field)
	}
}

// fieldErrors lists "field:key" for every error an Invalid error carries.
func fieldErrors(err error) map[string]string {
	out := map[string]string{}
	var es platform.Errors
	if errors.As(err, &es) {
		for _, e := range es {
			if _, ok := out[e.Field]; !ok {
				out[e.Field] = e.Key
			}
		}
		return out
	}
	var pe *platform.Error
	if errors.As(err, &pe) {
		out[pe.Field] = pe.Key
	}
	return out
}

func ptr[T any](v T) *T { return &v }
