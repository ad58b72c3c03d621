package work

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/notify"
)

// Remind is the step name of a reminder in a task's history.
const Remind = "remind"

// Reminder (催办) is a recorded chase of a task's lead unit: who urged, the
// unit, its responsible person and the accounts the message reached,
// when, through which channels and with what note. It is answered once the
// lead unit reports progress after it.
type Reminder struct {
	ID         int64      `json:"id"`
	TaskID     int64      `json:"task_id"`
	StepID     int64      `json:"step_id"`
	ActorLogin string     `json:"actor"`
	UnitID     int64      `json:"unit_id"`
	PersonID   *int64     `json:"person_id,omitempty"`
	Recipients []string   `json:"recipients"` // the logins the inbox message reached
	Channels   []string   `json:"channels"`   // inbox, dingtalk, wecom
	Note       string     `json:"note"`
	At         time.Time  `json:"at"`
	AnsweredAt *time.Time `json:"answered_at,omitempty"`
	// Rung is how far up the ladder it reached (escalate.go): 0 the office's
	// own reminder, 1–3 the system's climbs, each linked to the one before.
	Rung          int    `json:"rung"`
	EscalatedFrom *int64 `json:"escalated_from,omitempty"`
}

// Answered reports whether the lead unit has reported since.
func (r Reminder) Answered() bool { return r.AnsweredAt != nil }

// Channel names of a reminder besides the robots' kinds.
const ChannelInbox = "inbox"

// mayRemind admits the office of the task's township or above, and the
// leaders whose unit is the township or above.
func mayRemind(u *auth.User, t *Task) bool {
	if u == nil {
		return false
	}
	return (Office(u) || u.Role == auth.Leader) && officeOver(u, t.townPath)
}

// CanRemind reports whether the caller may urge t now: an open task, and
// the office or a leader over its township.
func (s *Store) CanRemind(ctx context.Context, t Task) bool {
	return mayRemind(auth.FromContext(ctx), &t) && !isUnlit(t.Status)
}

// remindText renders the reminder's message in lang.
var remindText = i18n.New(remindMessages)

// Urge records a reminder of task id with note, by the office or a leader
// (Forbidden for anyone else, NotFound outside scope, Invalid for a closed,
// stopped or struck-off task, a missing or overlong note, or a lead unit
// nobody can be reached at). The message lands in the inbox of the lead
// unit's accounts and its responsible person's, and in the outbox of each
// of the unit's enabled robots, in the reminder's own transaction with its
// history step and audit entry; the robots are posted to later by the
// sender.
func (s *Store) Urge(ctx context.Context, id int64, note string) (Reminder, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return Reminder{}, err
	}
	t, err := s.read(ctx, s.DB, sc, id)
	if err != nil {
		return Reminder{}, err
	}
	if !mayRemind(sc.User, &t) {
		return Reminder{}, platform.ErrForbidden
	}
	if isUnlit(t.Status) {
		return Reminder{}, platform.FieldError("note", "task.error.remind_closed")
	}
	note = strings.TrimSpace(note)
	switch n := utf8.RuneCountInString(note); {
	case n == 0:
		return Reminder{}, platform.FieldError("note", "task.error.remind_note")
	case n > MaxComment:
		return Reminder{}, platform.FieldError("note", "task.error.too_long", MaxComment)
	}
	now := s.now()
	r := Reminder{TaskID: t.ID, ActorLogin: sc.User.Login, UnitID: t.LeadUnitID, PersonID: t.ResponsibleID, Note: note, At: now.UTC()}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		// The first rung: the lead unit's accounts, its liaisons and the
		// task's responsible person, @-mentioned at the unit's robots.
		reach, err := rungPeople(ctx, tx, &t, 0)
		if err != nil {
			return err
		}
		var people []int64
		for _, p := range reach {
			people = append(people, p.id)
		}
		mobiles, wecom := mentions(reach)
		accounts, err := notify.Accounts(ctx, tx, t.LeadUnitID, people...)
		if err != nil {
			return err
		}
		hooks, err := notify.UnitWebhooks(ctx, tx, t.LeadUnitID)
		if err != nil {
			return err
		}
		if len(accounts) == 0 && len(hooks) == 0 {
			return platform.FieldError("note", "task.error.remind_nobody")
		}
		r.Recipients = []string{}
		if len(accounts) > 0 {
			r.Channels = append(r.Channels, ChannelInbox)
		}
		for _, a := range accounts {
			r.Recipients = append(r.Recipients, a.Login)
		}
		for _, h := range hooks {
			if !contains(r.Channels, string(h.Kind)) {
				r.Channels = append(r.Channels, string(h.Kind))
			}
		}
		st, err := Machine.Note(ctx, tx, t.item(), Remind, sc.User, note, now)
		if err != nil {
			return err
		}
		r.StepID = st.ID
		var actor any
		if sc.User.ID != 0 {
			actor = sc.User.ID
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO task_reminders
			(task_id, step_id, actor_id, actor_login, unit_id, person_id, recipients, channels, note, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			r.TaskID, r.StepID, actor, r.ActorLogin, r.UnitID, r.PersonID, strings.Join(r.Recipients, ","), strings.Join(r.Channels, ","),
			r.Note, r.At).Scan(&r.ID); err != nil {
			return platform.Internalf("task reminder: %w", err)
		}
		link := "/tasks/" + strconv.FormatInt(t.ID, 10)
		who := sc.User.DisplayName()
		for _, a := range accounts {
			title := remindText.T(a.Lang, "task.remind.msg_title", t.Title)
			body := remindText.T(a.Lang, "task.remind.msg_body", who, note, t.Deadline)
			if err := notify.Post(ctx, tx, []int64{a.UserID}, title, body, link, now); err != nil {
				return err
			}
		}
		for _, h := range hooks {
			title := remindText.T(i18n.Default, "task.remind.msg_title", t.Title)
			body := remindText.T(i18n.Default, "task.remind.msg_body", who, note, t.Deadline)
			if _, err := notify.Enqueue(ctx, tx, notify.Outbound{Item: "reminder/" + strconv.FormatInt(r.ID, 10),
				Recipient: "webhook/" + strconv.FormatInt(h.ID, 10), Channel: "webhook", WebhookID: h.ID,
				Message: notify.Message{Title: title, Body: body, Link: link, Mobiles: mobiles, WeComIDs: wecom}}, now); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "task_reminder", EntityID: audit.ID(r.ID),
			UnitID: t.LeadUnitID, UnitPath: t.leadUnitPath, After: r, At: now})
	})
	if err != nil {
		return Reminder{}, err
	}
	return r, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// Reminders returns a task's reminders, newest first, each with the time
// of the lead unit's first progress report after it (a report the system
// entered for the unit counts too); NotFound outside scope.
func (s *Store) Reminders(ctx context.Context, id int64) ([]Reminder, error) {
	if _, err := s.Task(ctx, id); err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, task_id, step_id, actor_login, unit_id, person_id, recipients, channels, note, at, rung, escalated_from
		FROM task_reminders WHERE task_id = $1 ORDER BY id DESC`, id)
	if err != nil {
		return nil, platform.Internalf("task reminders: %w", err)
	}
	defer rows.Close()
	var out []Reminder
	for rows.Next() {
		var r Reminder
		var recipients, channels string
		if err := rows.Scan(&r.ID, &r.TaskID, &r.StepID, &r.ActorLogin, &r.UnitID, &r.PersonID, &recipients, &channels, &r.Note, &r.At, &r.Rung, &r.EscalatedFrom); err != nil {
			return nil, platform.Internalf("task reminders: %w", err)
		}
		r.Recipients, r.Channels = split(recipients), split(channels)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, platform.Internalf("task reminders: %w", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	reports, err := s.reportsBy(ctx, id)
	if err != nil {
		return nil, err
	}
	answer(out, reports)
	return out, nil
}

// reportAt is when a progress report came and from which unit (0: the
// system, entering it for the unit).
type reportAt struct {
	At     time.Time
	UnitID int64
}

// reportsBy lists a task's progress reports with their authors' units,
// oldest first.
func (s *Store) reportsBy(ctx context.Context, id int64) ([]reportAt, error) {
	rows, err := s.DB.QueryContext(ctx, `SELECT r.at, COALESCE(u.unit_id, 0) FROM task_reports r
		JOIN workflow_steps st ON st.id = r.step_id LEFT JOIN users u ON u.id = st.actor_id
		WHERE r.task_id = $1 ORDER BY r.at, r.id`, id)
	if err != nil {
		return nil, platform.Internalf("task reports: %w", err)
	}
	defer rows.Close()
	var out []reportAt
	for rows.Next() {
		var r reportAt
		if err := rows.Scan(&r.At, &r.UnitID); err != nil {
			return nil, platform.Internalf("task reports: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// answer sets each reminder's AnsweredAt to the first report after it from
// the unit it urged (or entered by the system for it); reports are oldest
// first.
func answer(rems []Reminder, reports []reportAt) {
	for i := range rems {
		rems[i].AnsweredAt = nil
		for _, rp := range reports {
			if rp.At.After(rems[i].At) && (rp.UnitID == 0 || rp.UnitID == rems[i].UnitID) {
				at := rp.At
				rems[i].AnsweredAt = &at
				break
			}
		}
	}
}

func split(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}
