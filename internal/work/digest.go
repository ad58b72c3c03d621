package work

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/jobs"
	"guatu/internal/platform/notify"
)

// The daily digest (每日待办提醒) tells each responsible person (责任人) of
// a township's open tasks what is theirs to act on: overdue, due within
// the township's 临期 window, unclaimed past the claim day, and progress
// reports owed. One message per person and channel — the inbox of each of
// their enabled accounts, and each group robot of the lead units their
// tasks are in, with an @-mention of their mobile — never one per task, and
// none when there is nothing to say.
//
// Each township's digest is a queued job (platform/jobs) keyed by the
// township and the Beijing day, enqueued once its time (Rules.DigestAt) has
// passed: one run per key however many instances share the database, and
// every message of it is written in that run's one transaction, so a retry
// after a failure sends the whole digest once. Recipients are read at send
// time from the tasks as they stand: a task handed to someone else or an
// account disabled since reaches nobody it no longer concerns.

// DigestJob is the queued job of one township's digest of one day.
const DigestJob = "task digest"

// digestLines is how many tasks a digest names before "and N more".
const digestLines = 10

// digestSchedule remembers, per instance, the townships' digests it has
// enqueued today, so the minute's schedule writes nothing once they are.
type digestSchedule struct {
	mu   sync.Mutex
	day  string
	done map[int64]bool
}

// ScheduleDigests enqueues today's digest of each township whose digest
// time has passed in Beijing; the app runs it every minute. Enqueuing is
// unique by township and day, so it is harmless on several instances.
func (s *Store) ScheduleDigests(ctx context.Context) error {
	now := s.now()
	today := clock.Today(now)
	day := today.Format(clock.DateFormat)
	c := &s.digests
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.day != day {
		c.day, c.done = day, map[int64]bool{}
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT u.id, COALESCE(r.digest_at, $1) FROM units u
		LEFT JOIN task_card_settings r ON r.township_id = u.id WHERE u.kind = 'township' ORDER BY u.id`, DefaultDigestAt)
	if err != nil {
		return platform.Internalf("digest schedule: %w", err)
	}
	type due struct {
		id int64
		at string
	}
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.at); err != nil {
			rows.Close()
			return platform.Internalf("digest schedule: %w", err)
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Internalf("digest schedule: %w", err)
	}
	for _, d := range list {
		if d.at == "" || c.done[d.id] {
			continue
		}
		at, err := jobs.TimeOfDay(d.at)
		if err != nil || now.Before(today.Add(at)) {
			continue
		}
		id := strconv.FormatInt(d.id, 10)
		if _, err := jobs.Enqueue(ctx, s.DB, DigestJob, id+"/"+day, id, now); err != nil {
			return platform.Internalf("digest schedule: %w", err)
		}
		c.done[d.id] = true
	}
	return nil
}

// digestItem is one task in a digest, and why it is there.
type digestItem struct {
	id                  int64
	title, deadline     string
	leadUnit            int64
	overdue, due        bool
	claimLate, feedLate bool
	daysLate            int
	responsible         int64
}

// kindKey is the message key of why the task is in the digest.
func (d digestItem) kindKey() string {
	switch {
	case d.overdue:
		return "task.digest.overdue"
	case d.claimLate:
		return "task.digest.claim_late"
	case d.feedLate:
		return "task.digest.feedback_late"
	case d.due:
		return "task.digest.due"
	}
	return "task.digest.report_due"
}

// Digest is what one township's digest sent: messages by channel.
type Digest struct {
	People   int // responsible people with something to act on
	Inbox    int // inbox messages
	Robots   int // robot messages put in the outbox
	Township int64
	Day      string
	Again    bool // the day's digest had been sent already: nothing was
}

// SendDigest is the DigestJob: the digest of township payload for the day
// in key ("7/2026-12-04"). Everything it writes is one transaction.
func (s *Store) SendDigest(ctx context.Context, key, payload string) error {
	_, err := s.Digest(ctx, key, payload)
	return err
}

// Digest sends the digest of the township for the day of key and reports
// what it sent.
func (s *Store) Digest(ctx context.Context, key, payload string) (Digest, error) {
	township, err := strconv.ParseInt(payload, 10, 64)
	if err != nil {
		return Digest{}, fmt.Errorf("digest %q: township %q", key, payload)
	}
	day := key[strings.LastIndexByte(key, '/')+1:]
	today, err := clock.ParseDate(day)
	if err != nil {
		return Digest{}, fmt.Errorf("digest %q: day %q", key, day)
	}
	out := Digest{Township: township, Day: day}
	now := s.now()
	rules, err := s.Rules(ctx, s.DB, township)
	if err != nil {
		return out, err
	}
	items, err := s.digestItems(ctx, township, today, rules.DueWindow)
	if err != nil {
		return out, err
	}
	if len(items) == 0 {
		return out, nil
	}
	byPerson := map[int64][]digestItem{}
	var people []int64
	for _, it := range items {
		if byPerson[it.responsible] == nil {
			people = append(people, it.responsible)
		}
		byPerson[it.responsible] = append(byPerson[it.responsible], it)
	}
	sort.Slice(people, func(i, j int) bool { return people[i] < people[j] })
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		out.People, out.Inbox, out.Robots = 0, 0, 0
		res, err := tx.ExecContext(ctx, `INSERT INTO task_digests (township_id, day, people, inbox, robots, sent_at)
			VALUES ($1, $2, 0, 0, 0, $3) ON CONFLICT (township_id, day) DO NOTHING`, township, day, now.UTC())
		if err != nil {
			return platform.Internalf("digest record: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			out.Again = true
			return nil // sent already
		}
		for _, p := range people {
			list := byPerson[p]
			who := reachable{id: p}
			if err := tx.QueryRowContext(ctx, `SELECT phone, wecom_id FROM people WHERE id = $1`, p).Scan(&who.phone, &who.wecom); err != nil {
				return platform.Internalf("digest person %d: %w", p, err)
			}
			accounts, enabled, err := personAccounts(ctx, tx, p)
			if err != nil {
				return err
			}
			if accounts > 0 && len(enabled) == 0 {
				continue // every account of theirs is disabled: they have left
			}
			out.People++
			link := "/tasks?open=1"
			for _, a := range enabled {
				title, body := digestText(a.Lang, list, today)
				if err := notify.Post(ctx, tx, []int64{a.UserID}, title, body, link, now); err != nil {
					return err
				}
				out.Inbox++
			}
			mobiles, wecom := mentions([]reachable{who})
			seen := map[int64]bool{}
			for _, it := range list {
				hooks, err := notify.UnitWebhooks(ctx, tx, it.leadUnit)
				if err != nil {
					return err
				}
				for _, h := range hooks {
					if seen[h.ID] {
						continue
					}
					seen[h.ID] = true
					title, body := digestText(i18n.Default, list, today)
					added, err := notify.Enqueue(ctx, tx, notify.Outbound{
						Item: "digest/" + strconv.FormatInt(township, 10), Recipient: "person/" + strconv.FormatInt(p, 10),
						Channel: "webhook/" + strconv.FormatInt(h.ID, 10), Day: day, WebhookID: h.ID,
						Message: notify.Message{Title: title, Body: body, Link: link, Mobiles: mobiles, WeComIDs: wecom}}, now)
					if err != nil {
						return err
					}
					if added {
						out.Robots++
					}
				}
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE task_digests SET people = $1, inbox = $2, robots = $3 WHERE township_id = $4 AND day = $5`,
			out.People, out.Inbox, out.Robots, township, day); err != nil {
			return platform.Internalf("digest record: %w", err)
		}
		return nil
	})
	return out, err
}

// personAccounts counts a person's accounts and returns the enabled ones.
func personAccounts(ctx context.Context, tx *sql.Tx, person int64) (int, []notify.Account, error) {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM users WHERE person_id = $1`, person).Scan(&n); err != nil {
		return 0, nil, platform.Internalf("digest accounts: %w", err)
	}
	if n == 0 {
		return 0, nil, nil
	}
	enabled, err := personAccountsOf(ctx, tx, []int64{person})
	return n, enabled, err
}

// digestItems reads the township's open tasks with a responsible person
// that ask something of them on today.
func (s *Store) digestItems(ctx context.Context, township int64, today time.Time, window int) ([]digestItem, error) {
	t0 := today.Format(clock.DateFormat)
	end := today.AddDate(0, 0, window).Format(clock.DateFormat)
	rows, err := s.DB.QueryContext(ctx, `SELECT id, title, deadline, state, claim_by, next_report, lead_unit_id, responsible_id
		FROM tasks WHERE township_id = $1 AND state IN ($2, $3, $4) AND responsible_id IS NOT NULL
		AND (deadline <= $5 OR (state = $2 AND claim_by <> '' AND claim_by < $6) OR (state <> $2 AND next_report <> '' AND next_report <= $6))
		ORDER BY deadline, id`,
		township, string(Assigned), string(Accepted), string(InProgress), end, t0)
	if err != nil {
		return nil, platform.Internalf("digest tasks: %w", err)
	}
	defer rows.Close()
	var out []digestItem
	for rows.Next() {
		var it digestItem
		var state, claimBy, next string
		if err := rows.Scan(&it.id, &it.title, &it.deadline, &state, &claimBy, &next, &it.leadUnit, &it.responsible); err != nil {
			return nil, platform.Internalf("digest tasks: %w", err)
		}
		it.overdue = it.deadline < t0
		it.due = !it.overdue && it.deadline <= end
		it.claimLate = state == string(Assigned) && claimBy != "" && claimBy < t0
		it.feedLate = state != string(Assigned) && next != "" && next < t0
		if d, err := clock.ParseDate(it.deadline); err == nil && it.overdue {
			it.daysLate = daysBetween(d, today)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// digestText is a person's digest in lang: a title that counts and a body
// that names the tasks, the most pressing first.
func digestText(lang i18n.Lang, list []digestItem, today time.Time) (string, string) {
	sorted := append([]digestItem(nil), list...)
	rank := func(d digestItem) int {
		switch {
		case d.overdue:
			return 0
		case d.claimLate:
			return 1
		case d.feedLate:
			return 2
		case d.due:
			return 3
		}
		return 4
	}
	sort.SliceStable(sorted, func(i, j int) bool { return rank(sorted[i]) < rank(sorted[j]) })
	var overdue int
	for _, d := range sorted {
		if d.overdue {
			overdue++
		}
	}
	date := today.Format("Jan 2")
	if lang == i18n.ZH {
		date = today.Format("1月2日")
	}
	title := digestMsg.T(lang, "task.digest.title", date, len(sorted), overdue)
	var b strings.Builder
	for i, d := range sorted {
		if i == digestLines {
			b.WriteString(digestMsg.T(lang, "task.digest.more", len(sorted)-digestLines))
			break
		}
		tag := digestMsg.T(lang, d.kindKey())
		if d.overdue {
			tag = digestMsg.T(lang, "task.digest.overdue_days", d.daysLate)
		}
		b.WriteString(digestMsg.T(lang, "task.digest.line", tag, d.title, d.deadline))
		b.WriteString("\n")
	}
	return title, strings.TrimSpace(b.String())
}

var digestMsg = i18n.New(digestMessages)

// digestMessages are the texts of the daily digest.
var digestMessages = i18n.Catalog{
	"task.digest.title":         {ZH: "督办提醒（%s）：待办%d项，其中超期%d项", EN: "Tasks to act on (%s): %d, %d of them overdue"},
	"task.digest.line":          {ZH: "【%s】%s（期限%s）", EN: "[%s] %s (due %s)"},
	"task.digest.more":          {ZH: "……另有%d项，请登录查看。", EN: "… and %d more: sign in to see them."},
	"task.digest.overdue":       {ZH: "超期", EN: "overdue"},
	"task.digest.overdue_days":  {ZH: "超期%d天", EN: "%d days overdue"},
	"task.digest.claim_late":    {ZH: "签收超期", EN: "claim late"},
	"task.digest.feedback_late": {ZH: "反馈超期", EN: "report late"},
	"task.digest.due":           {ZH: "临期", EN: "due soon"},
	"task.digest.report_due":    {ZH: "今日应报进展", EN: "report due today"},
}
