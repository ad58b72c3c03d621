package workflow_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/workflow"
)

// A small machine like a task's: the office opens and reviews, the owner
// works and submits, a return needs a reason and goes back where it came from.
var machine = workflow.Machine{
	Kind: "thing", Table: "things", StateColumn: "state",
	States: []workflow.State{"open", "doing", "submitted", "done"},
	Transitions: []workflow.Transition{
		{Name: "start", From: []workflow.State{"open"}, To: "doing", Allow: owner},
		{Name: "submit", From: []workflow.State{"open", "doing"}, To: "submitted", Allow: owner},
		{Name: "return", From: []workflow.State{"submitted"}, To: workflow.Back, Allow: office, Reason: true},
		{Name: "close", From: []workflow.State{"submitted"}, To: "done", Allow: office},
	},
}

func owner(a *auth.User, it workflow.Item) bool { return a.UnitID == it.Data.(int64) }
func office(a *auth.User, _ workflow.Item) bool { return a.Role == auth.Supervisor }

var (
	clerk  = &auth.User{ID: 1, Login: "duban", Role: auth.Supervisor, UnitID: 1}
	owner7 = &auth.User{ID: 2, Login: "village", Role: auth.Reporter, UnitID: 7}
	other  = &auth.User{ID: 3, Login: "other", Role: auth.Reporter, UnitID: 8}
)

func TestValidate(t *testing.T) {
	if err := machine.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := []struct {
		name string
		m    workflow.Machine
	}{
		{"unknown from", workflow.Machine{States: []workflow.State{"a"}, Transitions: []workflow.Transition{{Name: "x", From: []workflow.State{"z"}, To: "a", Allow: office}}}},
		{"unknown to", workflow.Machine{States: []workflow.State{"a"}, Transitions: []workflow.Transition{{Name: "x", From: []workflow.State{"a"}, To: "z", Allow: office}}}},
		{"no rule", workflow.Machine{States: []workflow.State{"a"}, Transitions: []workflow.Transition{{Name: "x", From: []workflow.State{"a"}, To: "a"}}}},
		{"twice", workflow.Machine{States: []workflow.State{"a"}, Transitions: []workflow.Transition{{Name: "x", From: []workflow.State{"a"}, To: "a", Allow: office}, {Name: "x", From: []workflow.State{"a"}, To: "a", Allow: office}}}},
		{"starts nowhere", workflow.Machine{States: []workflow.State{"a"}, Transitions: []workflow.Transition{{Name: "x", To: "a", Allow: office}}}},
	}
	for _, c := range bad {
		if err := c.m.Validate(); err == nil {
			t.Errorf("%s: Validate passed", c.name)
		}
	}
}

func TestCheck(t *testing.T) {
	cases := []struct {
		name       string
		state      workflow.State
		transition string
		actor      *auth.User
		comment    string
		want       platform.Code // "" for allowed
		field      string
	}{
		{"owner starts", "open", "start", owner7, "", "", ""},
		{"owner submits from open", "open", "submit", owner7, "", "", ""},
		{"owner submits from doing", "doing", "submit", owner7, "", "", ""},
		{"other unit may not start", "open", "start", other, "", platform.Forbidden, ""},
		{"office may not start", "open", "start", clerk, "", platform.Forbidden, ""},
		{"nobody signed in", "open", "start", nil, "", platform.Forbidden, ""},
		{"start twice", "doing", "start", owner7, "", platform.Invalid, "transition"},
		{"close before submit", "doing", "close", clerk, "", platform.Invalid, "transition"},
		{"office closes", "submitted", "close", clerk, "", "", ""},
		{"owner may not close", "submitted", "close", owner7, "", platform.Forbidden, ""},
		{"return without reason", "submitted", "return", clerk, "  ", platform.Invalid, "comment"},
		{"return with reason", "submitted", "return", clerk, "材料不全", "", ""},
		{"unknown move", "open", "fly", clerk, "", platform.Invalid, "transition"},
		{"nothing from done", "done", "return", clerk, "x", platform.Invalid, "transition"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := machine.Check(workflow.Item{Kind: "thing", ID: 1, State: c.state, Data: int64(7)}, c.transition, c.actor, c.comment)
			if c.want == "" {
				if err != nil {
					t.Fatalf("got %v, want allowed", err)
				}
				return
			}
			e := platform.AsError(err)
			if err == nil || e.Code != c.want || e.Field != c.field {
				t.Fatalf("got %v, want code %s field %q", err, c.want, c.field)
			}
		})
	}
}

func TestAllowed(t *testing.T) {
	it := workflow.Item{State: "submitted", Data: int64(7)}
	var got []string
	for _, tr := range machine.Allowed(it, clerk) {
		got = append(got, tr.Name)
	}
	if len(got) != 2 || got[0] != "return" || got[1] != "close" {
		t.Errorf("office on submitted: got %v, want [return close]", got)
	}
	if n := len(machine.Allowed(it, owner7)); n != 0 {
		t.Errorf("owner on submitted: got %d moves, want 0", n)
	}
}

// things is a table of the shape a machine moves, with the users the steps
// refer to.
func setup(t *testing.T, d *db.DB) int64 {
	t.Helper()
	ctx := context.Background()
	if _, err := d.ExecContext(ctx, `CREATE TABLE things (id INTEGER PRIMARY KEY, state TEXT NOT NULL, version INTEGER NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := d.ExecContext(ctx, `INSERT INTO things (id, state, version) VALUES (1, 'open', 1)`); err != nil {
		t.Fatal(err)
	}
	now := time.Now().UTC()
	if _, err := d.ExecContext(ctx, `INSERT INTO units (id, kind, name, path, created_at, updated_at) VALUES (1, 'township', 'XX镇', '/1/', $1, $1)`, now); err != nil {
		t.Fatal(err)
	}
	for _, u := range []*auth.User{clerk, owner7, other} {
		if _, err := d.ExecContext(ctx, `INSERT INTO users (id, login, password_hash, role, unit_id, created_at, updated_at) VALUES ($1, $2, '', $3, 1, $4, $4)`,
			u.ID, u.Login, string(u.Role), now); err != nil {
			t.Fatal(err)
		}
	}
	return 1
}

func read(t *testing.T, d *db.DB, id int64) workflow.Item {
	t.Helper()
	it := workflow.Item{Kind: "thing", ID: id, Data: int64(7)}
	var s string
	if err := d.QueryRowContext(context.Background(), `SELECT state, version FROM things WHERE id = $1`, id).Scan(&s, &it.Version); err != nil {
		t.Fatal(err)
	}
	it.State = workflow.State(s)
	return it
}

func take(d *db.DB, it workflow.Item, name string, a *auth.User, comment string) error {
	return d.Tx(context.Background(), func(tx *sql.Tx) error {
		_, err := machine.Take(context.Background(), tx, it, name, a, comment, time.Now())
		return err
	})
}

func TestTake(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		id := setup(t, d)
		steps := []struct {
			name    string
			actor   *auth.User
			comment string
			want    workflow.State
		}{
			{"start", owner7, "", "doing"},
			{"submit", owner7, "", "submitted"},
			{"return", clerk, "缺照片", "doing"},
			{"submit", owner7, "补了照片", "submitted"},
			{"close", clerk, "", "done"},
		}
		for i, s := range steps {
			if err := take(d, read(t, d, id), s.name, s.actor, s.comment); err != nil {
				t.Fatalf("step %d %s: %v", i, s.name, err)
			}
			if got := read(t, d, id); got.State != s.want || got.Version != int64(i+2) {
				t.Fatalf("after %s: got %s v%d, want %s v%d", s.name, got.State, got.Version, s.want, i+2)
			}
		}
		hist, err := workflow.Steps(context.Background(), d, "thing", id)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != len(steps) {
			t.Fatalf("got %d steps, want %d", len(hist), len(steps))
		}
		if h := hist[2]; h.From != "submitted" || h.To != "doing" || h.Comment != "缺照片" || h.ActorLogin != "duban" {
			t.Errorf("return step: got %+v", h)
		}

		// A refused move writes nothing.
		before := read(t, d, id)
		if err := take(d, before, "close", clerk, ""); platform.ErrorCode(err) != platform.Invalid {
			t.Errorf("close of a closed thing: got %v, want invalid", err)
		}
		if got := read(t, d, id); got.Version != before.Version {
			t.Errorf("refused move bumped the version to %d", got.Version)
		}
	})
}

// Returning a thing submitted straight from open sends it back to open:
// the state before review is the stored one, not the usual one.
func TestTakeBackFromOpen(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		id := setup(t, d)
		if err := take(d, read(t, d, id), "submit", owner7, ""); err != nil {
			t.Fatal(err)
		}
		if err := take(d, read(t, d, id), "return", clerk, "重新办理"); err != nil {
			t.Fatal(err)
		}
		if got := read(t, d, id).State; got != "open" {
			t.Errorf("got %s, want open", got)
		}
	})
}

// Two people pressing at once, both having read the same version: one
// wins, the other is told of the conflict and writes nothing.
func TestTakeConcurrent(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		id := setup(t, d)
		it := read(t, d, id)
		errs := make([]error, 2)
		var wg sync.WaitGroup
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				errs[i] = take(d, it, "start", owner7, "")
			}(i)
		}
		wg.Wait()
		won, conflicts := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case platform.ErrorCode(err) == platform.Conflict && platform.AsError(err).Key == "workflow.conflict":
				conflicts++
			default:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if won != 1 || conflicts != 1 {
			t.Fatalf("got %d won and %d conflicts, want 1 and 1", won, conflicts)
		}
		hist, err := workflow.Steps(context.Background(), d, "thing", id)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != 1 {
			t.Errorf("got %d steps, want 1", len(hist))
		}
		if got := read(t, d, id); got.Version != 2 {
			t.Errorf("got version %d, want 2", got.Version)
		}
	})
}

// pausing is the machine with a pause: the office stops an open thing and
// resumes it where it was, both Back-aware moves of one history.
var pausing = workflow.Machine{
	Kind: "thing", Table: "things", StateColumn: "state",
	States: []workflow.State{"open", "doing", "submitted", "done", "stopped"},
	Transitions: append(append([]workflow.Transition(nil), machine.Transitions...),
		workflow.Transition{Name: "stop", From: []workflow.State{"open", "doing", "submitted"}, To: "stopped", Allow: office, Reason: true},
		workflow.Transition{Name: "resume", From: []workflow.State{"stopped"}, To: workflow.Back, Allow: office, Reason: true},
	),
}

// A Back move finds its state by replaying the history, not by the last
// step into the current state: a 退回 after a pause and its resumption goes
// to where the thing was submitted from, a resumption to where it was
// stopped, and a note on the way (from and to the same state) is no move.
func TestTakeBackReplays(t *testing.T) {
	if err := pausing.Validate(); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		moves []string // "note" records a note; the rest are moves
		want  []workflow.State
	}{
		{"resume goes back to where it stopped", []string{"start", "stop", "resume"}, []workflow.State{"doing", "stopped", "doing"}},
		{"resume from open", []string{"stop", "resume"}, []workflow.State{"stopped", "open"}},
		{"return after a pause goes behind the pause", []string{"start", "submit", "stop", "resume", "return"}, []workflow.State{"doing", "submitted", "stopped", "submitted", "doing"}},
		{"a note does not count as the way in", []string{"submit", "note", "return"}, []workflow.State{"submitted", "submitted", "open"}},
		{"twice paused", []string{"start", "stop", "resume", "submit", "stop", "resume", "return"}, []workflow.State{"doing", "stopped", "doing", "submitted", "stopped", "submitted", "doing"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			apptest.Engines(t, func(t *testing.T, d *db.DB) {
				id := setup(t, d)
				for i, m := range c.moves {
					it := read(t, d, id)
					err := d.Tx(context.Background(), func(tx *sql.Tx) error {
						var err error
						if m == "note" {
							_, err = pausing.Note(context.Background(), tx, it, "remind", clerk, "抓紧办理", time.Now())
						} else {
							actor := owner7
							if m == "stop" || m == "resume" || m == "return" {
								actor = clerk
							}
							_, err = pausing.Take(context.Background(), tx, it, m, actor, "理由", time.Now())
						}
						return err
					})
					if err != nil {
						t.Fatalf("move %d %s: %v", i, m, err)
					}
					if got := read(t, d, id).State; got != c.want[i] {
						t.Fatalf("after %s: got %s, want %s", m, got, c.want[i])
					}
				}
			})
		})
	}
}

// A Back move of an item without a stored way in is a conflict, and
// writes nothing.
func TestTakeBackWithoutHistory(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		id := setup(t, d)
		if _, err := d.ExecContext(context.Background(), `UPDATE things SET state = 'stopped' WHERE id = $1`, id); err != nil {
			t.Fatal(err)
		}
		before := read(t, d, id)
		err := d.Tx(context.Background(), func(tx *sql.Tx) error {
			_, err := pausing.Take(context.Background(), tx, before, "resume", clerk, "恢复办理", time.Now())
			return err
		})
		if e := platform.AsError(err); err == nil || e.Code != platform.Conflict || e.Key != "workflow.no_prior_state" {
			t.Fatalf("got %v, want the no-prior-state conflict", err)
		}
		if got := read(t, d, id); got.State != "stopped" || got.Version != before.Version {
			t.Errorf("a refused resume left %s v%d", got.State, got.Version)
		}
	})
}
