package benchdata

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/workflow"
	"guatu/internal/work"
)

// Tasks is what SeedTasks wrote: how many supervised tasks, and what a
// load run needs to write more.
type Tasks struct {
	Count int
	// Reporter is an account of the first township's first village (role
	// reporter), the lead unit of every task in ReportTasks; ReporterToken
	// is an API token of it.
	Reporter      string
	ReporterToken string
	// ReportTasks are up to 64 tasks in progress led by Reporter's village:
	// the ones a load run posts progress reports to.
	ReportTasks []int64
	// Village is Reporter's village and Leader a leader of its township,
	// for a load run's new tasks.
	Village, Leader int64
}

// reporterLogin is the account SeedTasks adds.
const reporterLogin = "tianbao001"

// SeedTasks writes perTownship supervised tasks into each township of an
// earlier Seed, by plain batched SQL in one transaction like Seed: titles
// numbered, lead units taken in turn from the township's departments and
// villages, every fourth with a co-unit, leaders in turn, deadlines spread
// from 60 days before today to 120 after (so a share is overdue and a share
// due soon), states in a fixed mix from 交办 to 办结, 中止 and 销号, one in five
// key and one in twenty listed. Like Seed it is derived from positions, so
// two seeds hold the same tasks.
func SeedTasks(ctx context.Context, d *db.DB, s Seeded, perTownship int, today time.Time) (Tasks, error) {
	if perTownship < 1 || len(s.Townships) == 0 {
		return Tasks{}, errors.New("benchdata: SeedTasks needs a seeded district and tasks to write")
	}
	hash, err := auth.HashPassword(Password)
	if err != nil {
		return Tasks{}, err
	}
	now := time.Now().UTC()
	day := clock.Today(today)
	err = d.Tx(ctx, func(tx *sql.Tx) error {
		w := &writer{ctx: ctx, tx: tx, now: now, params: paramsPerStatement(d.Dialect)}
		for t, tw := range s.Townships {
			units, err := int64s(ctx, tx, `SELECT id FROM units WHERE parent_id = $1 ORDER BY sort, id`, tw)
			if err != nil {
				return err
			}
			leaders, err := int64s(ctx, tx, `SELECT id FROM people WHERE unit_id = $1 ORDER BY sort, id`, tw)
			if err != nil {
				return err
			}
			if len(units) < 2 || len(leaders) == 0 {
				return fmt.Errorf("benchdata: township %d has %d units and %d leaders: seed it with Seed first", tw, len(units), len(leaders))
			}
			// The leaders sit on the township's leadership team, as a task's
			// leader in charge must: Seed seats them; a database seeded
			// before it did has them seated here.
			seated, err := int64s(ctx, tx, `SELECT id FROM team_members WHERE township_id = $1`, tw)
			if err != nil {
				return err
			}
			if len(seated) == 0 {
				for i, p := range leaders {
					body := "government"
					if i == 0 {
						body = "party"
					}
					if _, err := tx.ExecContext(ctx, `INSERT INTO team_members (township_id, person_id, body, position, sort, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
						tw, p, body, leaderTitles[i%len(leaderTitles)], i+1, now); err != nil {
						return err
					}
				}
			}
			if err := w.writeTasks(tw, t, perTownship, units, leaders, day); err != nil {
				return err
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO users (login, unit_id, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
			reporterLogin, s.Villages[0][0], string(auth.Reporter), hash, now)
		return err
	})
	if err != nil {
		return Tasks{}, fmt.Errorf("benchdata: tasks: %w", err)
	}
	if d.Dialect == db.Postgres {
		if _, err := d.ExecContext(ctx, `VACUUM ANALYZE tasks`); err != nil {
			return Tasks{}, fmt.Errorf("benchdata: vacuum: %w", err)
		}
	}
	return OpenTasks(ctx, d, s)
}

// OpenTasks reads back what an earlier SeedTasks wrote into d and issues
// the reporter a new API token, for a load run on a database seeded before.
func OpenTasks(ctx context.Context, d *db.DB, s Seeded) (Tasks, error) {
	out := Tasks{Reporter: reporterLogin}
	if err := d.QueryRowContext(ctx, `SELECT COUNT(*) FROM tasks`).Scan(&out.Count); err != nil {
		return Tasks{}, fmt.Errorf("benchdata: %w", err)
	}
	var id int64
	if err := d.QueryRowContext(ctx, `SELECT id, unit_id FROM users WHERE login = $1`, reporterLogin).Scan(&id, &out.Village); err != nil {
		return Tasks{}, fmt.Errorf("benchdata: %s: %w", reporterLogin, err)
	}
	if err := d.QueryRowContext(ctx, `SELECT person_id FROM team_members WHERE township_id = $1 ORDER BY sort, id LIMIT 1`, s.Townships[0]).Scan(&out.Leader); err != nil {
		return Tasks{}, fmt.Errorf("benchdata: a leader: %w", err)
	}
	var err error
	if out.ReportTasks, err = int64s(ctx, d, `SELECT id FROM tasks WHERE lead_unit_id = $1 AND state = $2 ORDER BY id LIMIT 64`, out.Village, string(work.InProgress)); err != nil {
		return Tasks{}, err
	}
	out.ReporterToken, err = (&auth.Store{DB: d}).CreateToken(ctx, id, "benchdata")
	return out, err
}

// taskStates is the mix of states, one per task in turn: most in progress,
// some waiting at each other step, three in ten without a light — closed,
// and one in twenty stopped and one in twenty struck off (the share a
// single 中止 in ten had before there was 销号, so the lights and the open
// tasks are as many as they were).
var taskStates = []workflow.State{work.Assigned, work.Accepted, work.InProgress, work.InProgress, work.InProgress,
	work.InProgress, work.Submitted, work.Closed, work.Closed, work.Stopped,
	work.Assigned, work.Accepted, work.InProgress, work.InProgress, work.InProgress,
	work.InProgress, work.Submitted, work.Closed, work.Closed, work.StruckOff}

// writeTasks writes one township's tasks and their co-units.
func (w *writer) writeTasks(tw int64, t, n int, units, leaders []int64, day time.Time) error {
	tasks := w.batch(`INSERT INTO tasks (township_id, title, requirement, source, category, lead_unit_id, leader_id, assigned_on, deadline, level, listing_leader_id, state, progress, version, created_at, updated_at) VALUES `,
		`(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, ` RETURNING id, lead_unit_id`, nil)
	var ids, leads []int64
	tasks.scan = func(rows *sql.Rows) error {
		var id, lead int64
		if err := rows.Scan(&id, &lead); err != nil {
			return err
		}
		ids, leads = append(ids, id), append(leads, lead)
		return nil
	}
	for i := 0; i < n; i++ {
		// A prime stride through the units and the days, so that neither
		// the lead unit nor the deadline follows the id.
		lead := units[(i*7)%len(units)]
		deadline := day.AddDate(0, 0, (i*37)%181-60)
		assigned := deadline.AddDate(0, 0, -30-(i%60))
		state := taskStates[i%len(taskStates)]
		progress := 0
		switch state {
		case work.InProgress:
			progress = (i * 13) % 100
		case work.Submitted, work.Closed:
			progress = 100
		case work.Stopped, work.StruckOff:
			progress = (i * 7) % 60
		}
		level, listing := work.Normal, any(nil)
		switch {
		case i%20 == 0:
			level, listing = work.Listed, leaders[0]
		case i%5 == 0:
			level = work.Key
		}
		err := tasks.add(tw, fmt.Sprintf("督办事项%d-%06d", t+1, i+1), "按期办结并报送办理情况", string(work.Sources[i%len(work.Sources)]), categories[i%len(categories)],
			lead, leaders[i%len(leaders)], assigned.Format(clock.DateFormat), deadline.Format(clock.DateFormat), string(level), listing,
			string(state), progress, 1, w.now, w.now)
		if err != nil {
			return err
		}
	}
	if err := tasks.flush(); err != nil {
		return err
	}
	co := w.batch(`INSERT INTO task_units (task_id, unit_id) VALUES `, `(?, ?)`, ``, nil)
	for i, id := range ids {
		if i%4 != 0 {
			continue
		}
		other := units[(i*7+1)%len(units)]
		if other == leads[i] {
			continue
		}
		if err := co.add(id, other); err != nil {
			return err
		}
	}
	return co.flush()
}
