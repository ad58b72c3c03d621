package room

import (
	"context"
	"errors"
	"slices"
	"testing"
)

// TestAfterMigrate: each room's hook hears of its own migrations only, and
// only when some were applied; a hook's error names the room.
func TestAfterMigrate(t *testing.T) {
	heard := map[string][]string{}
	hook := func(name string) func(context.Context, []string) error {
		return func(_ context.Context, applied []string) error {
			heard[name] = applied
			return nil
		}
	}
	rooms := []Room{
		{Name: "org", Migrated: hook("org")},
		{Name: "targets", Migrated: hook("targets")},
		{Name: "board"}, // no hook
		{Name: "target", Migrated: hook("target")}, // a prefix of another room's name
	}
	applied := []string{"platform/001_accounts", "targets/004_targets", "targets/009_progress_notes"}
	if err := AfterMigrate(context.Background(), rooms, applied); err != nil {
		t.Fatal(err)
	}
	if got, want := heard["targets"], []string{"targets/004_targets", "targets/009_progress_notes"}; !slices.Equal(got, want) {
		t.Errorf("targets heard %v, want %v", got, want)
	}
	for _, name := range []string{"org", "target"} {
		if got, ok := heard[name]; ok {
			t.Errorf("%s heard %v, want nothing: none of its migrations was applied", name, got)
		}
	}

	failing := []Room{{Name: "targets", Migrated: func(context.Context, []string) error { return errors.New("disk full") }}}
	err := AfterMigrate(context.Background(), failing, applied)
	if err == nil || err.Error() != "room targets: after migrating [targets/004_targets targets/009_progress_notes]: disk full" {
		t.Errorf("err = %v, want the room and its migrations named", err)
	}
}
