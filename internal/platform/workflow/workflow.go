// Package workflow moves supervised items (a task, later a petition or a
// grid event) through a state machine kept as data: the states, the
// transitions between them, who may take each and whether it needs a
// reason. Take checks a move, records it as a step and bumps the item's
// version in the caller's transaction, so a move, its history and the
// room's audit entry commit together or not at all.
package workflow

import (
	"context"
	"fmt"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// State is where an item stands.
type State string

// Back is the To of a transition that returns an item to the state it was
// in before it entered its current one (a 退回 after 申请办结 goes back to
// wherever the lead unit applied from, a 恢复 after 中止 to wherever the
// item was stopped). The state is read from the stored steps, not guessed
// from the machine.
const Back State = "@back"

// Item is what a transition acts on: the room's own object (Data, for the
// predicates) with its kind, id, current state and the version the caller
// read it at.
type Item struct {
	Kind    string
	ID      int64
	State   State
	Version int64
	Data    any
}

// Transition is one allowed move.
type Transition struct {
	Name string
	From []State
	To   State
	// Allow says whether actor may take the transition on item; nil lets
	// nobody take it, so a forgotten rule refuses instead of letting through.
	Allow func(actor *auth.User, item Item) bool
	// Reason: the move is refused without a comment (退回, 中止, 销号).
	Reason bool
}

// from reports whether t may start in s.
func (t Transition) from(s State) bool {
	for _, f := range t.From {
		if f == s {
			return true
		}
	}
	return false
}

// Machine is a state machine for one kind of item stored in Table, whose
// rows carry id, the state column State and an integer version column.
type Machine struct {
	Kind        string
	Table       string
	StateColumn string
	States      []State
	Transitions []Transition
}

// Transition returns the transition named name, or false.
func (m *Machine) Transition(name string) (Transition, bool) {
	for _, t := range m.Transitions {
		if t.Name == name {
			return t, true
		}
	}
	return Transition{}, false
}

// Check says whether actor may take the transition name on item with
// comment, without touching the database: Invalid for an unknown
// transition, a wrong state or a missing reason, Forbidden for an actor
// the transition does not admit.
func (m *Machine) Check(item Item, name string, actor *auth.User, comment string) error {
	t, ok := m.Transition(name)
	if !ok {
		return &platform.Error{Code: platform.Invalid, Key: "workflow.unknown", Args: []any{name}, Field: "transition"}
	}
	if !t.from(item.State) {
		return &platform.Error{Code: platform.Invalid, Key: "workflow.wrong_state", Args: []any{name, string(item.State)}, Field: "transition"}
	}
	if actor == nil || t.Allow == nil || !t.Allow(actor, item) {
		return &platform.Error{Code: platform.Forbidden, Key: "error.forbidden"}
	}
	if t.Reason && strings.TrimSpace(comment) == "" {
		return platform.FieldError("comment", "workflow.reason_required")
	}
	return nil
}

// Allowed lists the transitions actor may take on item now (those whose
// reason is still to be given included), for the buttons of a page.
func (m *Machine) Allowed(item Item, actor *auth.User) []Transition {
	var out []Transition
	for _, t := range m.Transitions {
		if t.from(item.State) && actor != nil && t.Allow != nil && t.Allow(actor, item) {
			out = append(out, t)
		}
	}
	return out
}

// Step is one recorded move.
type Step struct {
	ID         int64     `json:"id"`
	From       State     `json:"from"`
	To         State     `json:"to"`
	Transition string    `json:"transition"`
	ActorID    *int64    `json:"actor_id,omitempty"`
	ActorLogin string    `json:"actor"`
	Comment    string    `json:"comment"`
	At         time.Time `json:"at"`
}

// Take moves item along the transition name for actor inside tx: it checks
// the move (see Check), resolves a Back target from the stored steps,
// updates the item's state and version only if the version is still the one
// item was read at, and records the step. It returns the step; a version
// that moved on meanwhile is a Conflict, and nothing is written.
func (m *Machine) Take(ctx context.Context, tx db.Queryer, item Item, name string, actor *auth.User, comment string, at time.Time) (Step, error) {
	if err := m.Check(item, name, actor, comment); err != nil {
		return Step{}, err
	}
	t, _ := m.Transition(name)
	to := t.To
	if to == Back {
		var err error
		if to, err = m.before(ctx, tx, item); err != nil {
			return Step{}, err
		}
	}
	res, err := tx.ExecContext(ctx, `UPDATE `+m.Table+` SET `+m.StateColumn+` = $1, version = version + 1 WHERE id = $2 AND version = $3`,
		string(to), item.ID, item.Version)
	if err != nil {
		return Step{}, platform.Internalf("workflow: move %s %d: %w", m.Kind, item.ID, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return Step{}, platform.Internalf("workflow: move %s %d: %w", m.Kind, item.ID, err)
	} else if n == 0 {
		return Step{}, &platform.Error{Code: platform.Conflict, Key: "workflow.conflict"}
	}
	st := Step{From: item.State, To: to, Transition: name, ActorLogin: actor.Login,
		Comment: strings.TrimSpace(comment), At: at.UTC()}
	if actor.ID != 0 { // 0: the system (the demo loader), which has no account
		st.ActorID = &actor.ID
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO workflow_steps
		(item_kind, item_id, from_state, to_state, transition, actor_id, actor_login, comment, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.Kind, item.ID, string(st.From), string(st.To), name, st.ActorID, actor.Login, st.Comment, st.At).Scan(&st.ID); err != nil {
		return Step{}, platform.Internalf("workflow: step %s %d: %w", m.Kind, item.ID, err)
	}
	return st, nil
}

// Start records the step that brings a new item into its first state (from
// ""), so the history begins with who created it and when.
func (m *Machine) Start(ctx context.Context, tx db.Queryer, kind string, id int64, state State, name string, actor *auth.User, comment string, at time.Time) (Step, error) {
	st := Step{To: state, Transition: name, Comment: strings.TrimSpace(comment), At: at.UTC()}
	var actorID *int64
	login := "system"
	if actor != nil {
		login = actor.Login
		if actor.ID != 0 {
			actorID = &actor.ID
		}
	}
	st.ActorID, st.ActorLogin = actorID, login
	if err := tx.QueryRowContext(ctx, `INSERT INTO workflow_steps
		(item_kind, item_id, from_state, to_state, transition, actor_id, actor_login, comment, at)
		VALUES ($1, $2, '', $3, $4, $5, $6, $7, $8) RETURNING id`,
		kind, id, string(state), name, actorID, login, st.Comment, st.At).Scan(&st.ID); err != nil {
		return Step{}, platform.Internalf("workflow: start %s %d: %w", kind, id, err)
	}
	return st, nil
}

// before is the state item was in before it entered its current one,
// replayed from its stored steps in order: a move pushes the state it left,
// a Back move pops it again (the item is back where it was, and what came
// before that is as it was), and a step that stays put (a note such as a
// 催办, or a report that keeps a task 办理中) changes nothing. So a 退回 after
// a 中止 and its 恢复 still goes back to where the lead unit applied from,
// and a 恢复 to where the item was stopped from.
func (m *Machine) before(ctx context.Context, q db.Queryer, item Item) (State, error) {
	rows, err := q.QueryContext(ctx, `SELECT from_state, to_state, transition FROM workflow_steps
		WHERE item_kind = $1 AND item_id = $2 ORDER BY id`, m.Kind, item.ID)
	if err != nil {
		return "", platform.Internalf("workflow: prior state of %s %d: %w", m.Kind, item.ID, err)
	}
	defer rows.Close()
	var left []State
	for rows.Next() {
		var from, to, name string
		if err := rows.Scan(&from, &to, &name); err != nil {
			return "", platform.Internalf("workflow: prior state of %s %d: %w", m.Kind, item.ID, err)
		}
		t, known := m.Transition(name)
		switch {
		case from == to:
		case known && t.To == Back:
			if len(left) > 0 {
				left = left[:len(left)-1]
			}
		case from != "":
			left = append(left, State(from))
		}
	}
	if err := rows.Err(); err != nil {
		return "", platform.Internalf("workflow: prior state of %s %d: %w", m.Kind, item.ID, err)
	}
	if len(left) == 0 {
		return "", &platform.Error{Code: platform.Conflict, Key: "workflow.no_prior_state"}
	}
	return left[len(left)-1], nil
}

// Steps returns the history of one item, oldest first.
func Steps(ctx context.Context, q db.Queryer, kind string, id int64) ([]Step, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, from_state, to_state, transition, actor_id, actor_login, comment, at
		FROM workflow_steps WHERE item_kind = $1 AND item_id = $2 ORDER BY id`, kind, id)
	if err != nil {
		return nil, platform.Internalf("workflow: steps of %s %d: %w", kind, id, err)
	}
	defer rows.Close()
	var out []Step
	for rows.Next() {
		var st Step
		var from, to string
		if err := rows.Scan(&st.ID, &from, &to, &st.Transition, &st.ActorID, &st.ActorLogin, &st.Comment, &st.At); err != nil {
			return nil, platform.Internalf("workflow: steps of %s %d: %w", kind, id, err)
		}
		st.From, st.To = State(from), State(to)
		out = append(out, st)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("workflow: steps of %s %d: %w", kind, id, err)
	}
	return out, nil
}

// Validate checks the machine is consistent: every transition starts and
// ends in declared states and has a rule for who may take it. Rooms call it
// from a test.
func (m *Machine) Validate() error {
	known := map[State]bool{}
	for _, s := range m.States {
		known[s] = true
	}
	names := map[string]bool{}
	for _, t := range m.Transitions {
		if names[t.Name] {
			return fmt.Errorf("workflow %s: transition %s declared twice", m.Kind, t.Name)
		}
		names[t.Name] = true
		if len(t.From) == 0 {
			return fmt.Errorf("workflow %s: transition %s starts nowhere", m.Kind, t.Name)
		}
		for _, f := range t.From {
			if !known[f] {
				return fmt.Errorf("workflow %s: transition %s starts in unknown state %s", m.Kind, t.Name, f)
			}
		}
		if t.To != Back && !known[t.To] {
			return fmt.Errorf("workflow %s: transition %s ends in unknown state %s", m.Kind, t.Name, t.To)
		}
		if t.Allow == nil {
			return fmt.Errorf("workflow %s: transition %s has no rule for who may take it", m.Kind, t.Name)
		}
	}
	return nil
}
