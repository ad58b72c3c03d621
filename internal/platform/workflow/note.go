package workflow

import (
	"context"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// Note records an action on item that does not move it (a 催办 reminder)
// as a step of its history, from and to its current state, inside the
// caller's transaction tx. The item's version is left alone: a note never
// makes a move under way conflict.
func (m *Machine) Note(ctx context.Context, tx db.Queryer, item Item, name string, actor *auth.User, comment string, at time.Time) (Step, error) {
	st := Step{From: item.State, To: item.State, Transition: name, ActorLogin: actor.Login, Comment: strings.TrimSpace(comment), At: at.UTC()}
	if actor.ID != 0 {
		st.ActorID = &actor.ID
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO workflow_steps
		(item_kind, item_id, from_state, to_state, transition, actor_id, actor_login, comment, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		m.Kind, item.ID, string(st.From), string(st.To), name, st.ActorID, actor.Login, st.Comment, st.At).Scan(&st.ID); err != nil {
		return Step{}, platform.Internalf("workflow: note %s on %s %d: %w", name, m.Kind, item.ID, err)
	}
	return st, nil
}
