package work

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/notify"
)

// The ladder a reminder climbs while the lead unit does not answer it (no
// progress report after it): rung 0 is the office's reminder itself, to
// the lead unit's accounts, its liaisons and the task's responsible person;
// after the township's days for each rung (Rules.Escalate) it climbs to
// the unit's heads, then the leader in charge (分管领导), then the township's
// principal leader (its party committee's first member, the 党委书记). Each
// climb is a reminder of its own, by the system, on the task's history,
// linked to the one it climbed from.
const Rungs = 4

// Rung names, for the page.
var rungKeys = [Rungs]string{"task.rung.unit", "task.rung.head", "task.rung.leader", "task.rung.principal"}

// RungKey is the message key of the reminder's rung.
func (r Reminder) RungKey() string { return rungKeys[r.Rung] }

// reachable is a person a rung reaches, with the mobile and WeCom user id
// to @-mention.
type reachable struct {
	id           int64
	phone, wecom string
}

// mentions are the mobiles and WeCom user ids of people, those they have.
func mentions(people []reachable) (mobiles, wecom []string) {
	for _, p := range people {
		if p.phone != "" {
			mobiles = append(mobiles, p.phone)
		}
		if p.wecom != "" {
			wecom = append(wecom, p.wecom)
		}
	}
	return mobiles, wecom
}

// rungPeople are the people rung reaches for t.
func rungPeople(ctx context.Context, q db.Queryer, t *Task, rung int) ([]reachable, error) {
	var query string
	var args []any
	switch rung {
	case 0:
		query, args = `SELECT id, phone, wecom_id FROM people WHERE unit_id = $1 AND (duty = $2 OR id = $3) ORDER BY sort, id`,
			[]any{t.LeadUnitID, string(org.Liaison), t.ResponsibleID}
	case 1:
		query, args = `SELECT id, phone, wecom_id FROM people WHERE unit_id = $1 AND duty = $2 ORDER BY sort, id`, []any{t.LeadUnitID, string(org.Head)}
	case 2:
		query, args = `SELECT id, phone, wecom_id FROM people WHERE id = $1`, []any{t.LeaderID}
	case 3:
		query, args = `SELECT p.id, p.phone, p.wecom_id FROM team_members m JOIN people p ON p.id = m.person_id
			WHERE m.township_id = $1 AND m.body = $2 ORDER BY m.sort, m.id LIMIT 1`, []any{t.TownshipID, string(org.Party)}
	default:
		return nil, nil
	}
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, platform.Internalf("reminder rung %d: %w", rung, err)
	}
	defer rows.Close()
	var out []reachable
	for rows.Next() {
		var p reachable
		if err := rows.Scan(&p.id, &p.phone, &p.wecom); err != nil {
			return nil, platform.Internalf("reminder rung %d: %w", rung, err)
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// escalationText renders the climb's message in lang.
var escalationText = i18n.New(remindMessages)

// Escalate climbs every reminder left unanswered past its rung's days by
// one rung; the app runs it every ten minutes. Each climb is its own
// transaction, and the unique link to the reminder it climbed from makes a
// second instance's attempt write nothing. It returns how many climbed.
func (s *Store) Escalate(ctx context.Context) (int, error) {
	now := s.now()
	// Only the newest reminder of an open task climbs: a fresh reminder by
	// the office starts the ladder again.
	rows, err := s.DB.QueryContext(ctx, `SELECT r.id, r.task_id, r.rung, r.at, r.actor_login, r.note FROM task_reminders r
		JOIN tasks t ON t.id = r.task_id
		WHERE t.state IN ($1, $2, $3, $4) AND r.rung < $5 AND r.at <= $6
		AND NOT EXISTS (SELECT 1 FROM task_reminders n WHERE n.task_id = r.task_id AND n.id > r.id)
		ORDER BY r.id`, string(Assigned), string(Accepted), string(InProgress), string(Submitted), Rungs-1, now.UTC().Add(-24*time.Hour))
	if err != nil {
		return 0, platform.Internalf("escalate: %w", err)
	}
	var due []Reminder
	for rows.Next() {
		var r Reminder
		if err := rows.Scan(&r.ID, &r.TaskID, &r.Rung, &r.At, &r.ActorLogin, &r.Note); err != nil {
			rows.Close()
			return 0, platform.Internalf("escalate: %w", err)
		}
		due = append(due, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, platform.Internalf("escalate: %w", err)
	}
	rules := map[int64]Rules{}
	climbed := 0
	for _, r := range due {
		if ctx.Err() != nil {
			return climbed, ctx.Err()
		}
		t, err := s.load(ctx, s.DB, r.TaskID)
		if err != nil {
			return climbed, err
		}
		rl, ok := rules[t.TownshipID]
		if !ok {
			if rl, err = s.Rules(ctx, s.DB, t.TownshipID); err != nil {
				return climbed, err
			}
			rules[t.TownshipID] = rl
		}
		days := rl.Escalate[r.Rung]
		if days <= 0 || now.Before(r.At.Add(time.Duration(days)*24*time.Hour)) {
			continue
		}
		reports, err := s.reportsBy(ctx, t.ID)
		if err != nil {
			return climbed, err
		}
		one := []Reminder{{At: r.At, UnitID: t.LeadUnitID}}
		answer(one, reports)
		if one[0].Answered() {
			continue
		}
		ok, err = s.climb(ctx, &t, r, days, now)
		if err != nil {
			return climbed, err
		}
		if ok {
			climbed++
		}
	}
	return climbed, nil
}

// climb records the next rung of reminder from for t, in one transaction
// with its history step, messages and audit entry; false when another
// instance has climbed it already.
func (s *Store) climb(ctx context.Context, t *Task, from Reminder, days int, now time.Time) (bool, error) {
	rung := from.Rung + 1
	sys := auth.System()
	tree, err := s.org().Tree(ctx)
	if err != nil {
		return false, err
	}
	var lead string
	if un, found := tree.Unit(t.LeadUnitID); found {
		lead, t.leadUnitPath = un.Name, un.Path
	}
	note := escalationText.T(i18n.Default, "task.rung.note", lead, days, escalationText.T(i18n.Default, rungKeys[rung]))
	r := Reminder{TaskID: t.ID, ActorLogin: sys.Login, UnitID: t.LeadUnitID, Note: note, At: now.UTC(), Rung: rung, EscalatedFrom: &from.ID}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		people, err := rungPeople(ctx, tx, t, rung)
		if err != nil {
			return err
		}
		var ids []int64
		for _, p := range people {
			ids = append(ids, p.id)
		}
		mobiles, wecom := mentions(people)
		if len(ids) > 0 {
			r.PersonID = &ids[0]
		}
		accounts, err := personAccountsOf(ctx, tx, ids)
		if err != nil {
			return err
		}
		r.Recipients = []string{}
		for _, a := range accounts {
			r.Recipients = append(r.Recipients, a.Login)
		}
		if len(accounts) > 0 {
			r.Channels = append(r.Channels, ChannelInbox)
		}
		// The unit's head is in the unit's group; the leaders are not.
		var hooks []notify.Webhook
		if rung == 1 && len(mobiles) > 0 {
			if hooks, err = notify.UnitWebhooks(ctx, tx, t.LeadUnitID); err != nil {
				return err
			}
		}
		for _, h := range hooks {
			if !contains(r.Channels, string(h.Kind)) {
				r.Channels = append(r.Channels, string(h.Kind))
			}
		}
		st, err := Machine.Note(ctx, tx, t.item(), Remind, sys, note, now)
		if err != nil {
			return err
		}
		r.StepID = st.ID
		if err := tx.QueryRowContext(ctx, `INSERT INTO task_reminders
			(task_id, step_id, actor_id, actor_login, unit_id, person_id, recipients, channels, note, at, rung, escalated_from)
			VALUES ($1, $2, NULL, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			r.TaskID, r.StepID, r.ActorLogin, r.UnitID, r.PersonID, strings.Join(r.Recipients, ","), strings.Join(r.Channels, ","),
			r.Note, r.At, r.Rung, from.ID).Scan(&r.ID); err != nil {
			if db.IsUniqueViolation(err) {
				return errClimbed
			}
			return platform.Internalf("task reminder: %w", err)
		}
		link := "/tasks/" + strconv.FormatInt(t.ID, 10)
		for _, a := range accounts {
			title := escalationText.T(a.Lang, "task.rung.msg_title", t.Title)
			body := escalationText.T(a.Lang, "task.rung.msg_body", lead, days, from.Note, t.Deadline)
			if err := notify.Post(ctx, tx, []int64{a.UserID}, title, body, link, now); err != nil {
				return err
			}
		}
		for _, h := range hooks {
			if _, err := notify.Enqueue(ctx, tx, notify.Outbound{Item: "reminder/" + strconv.FormatInt(r.ID, 10),
				Recipient: "webhook/" + strconv.FormatInt(h.ID, 10), Channel: "webhook", WebhookID: h.ID,
				Message: notify.Message{Title: escalationText.T(i18n.Default, "task.rung.msg_title", t.Title),
					Body: escalationText.T(i18n.Default, "task.rung.msg_body", lead, days, from.Note, t.Deadline), Link: link, Mobiles: mobiles, WeComIDs: wecom}}, now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "task_reminder", EntityID: audit.ID(r.ID),
			UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, After: r, At: now})
	})
	if err == errClimbed {
		return false, nil
	}
	return err == nil, err
}

// errClimbed ends a climb another instance has made.
var errClimbed = platform.Internalf("reminder climbed already")

// personAccountsOf returns the enabled accounts of the people, in order.
func personAccountsOf(ctx context.Context, q db.Queryer, people []int64) ([]notify.Account, error) {
	var out []notify.Account
	for _, p := range people {
		rows, err := q.QueryContext(ctx, `SELECT id, login, lang FROM users WHERE person_id = $1 AND disabled = FALSE ORDER BY id`, p)
		if err != nil {
			return nil, platform.Internalf("reminder accounts: %w", err)
		}
		for rows.Next() {
			a := notify.Account{PersonID: &p}
			var lang string
			if err := rows.Scan(&a.UserID, &a.Login, &lang); err != nil {
				rows.Close()
				return nil, platform.Internalf("reminder accounts: %w", err)
			}
			a.Lang = i18n.Lang(lang)
			out = append(out, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, platform.Internalf("reminder accounts: %w", err)
		}
	}
	return out, nil
}
