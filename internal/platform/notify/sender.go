package notify

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"log/slog"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// Sender delivers the outbox's due robot messages: the job the app runs
// every SendEvery. Each run claims the due rows (so two instances on one
// database never send one row twice), merges what each robot has due into
// as few posts as its per-minute budget allows, and records every attempt
// in the delivery log.
type Sender struct {
	DB       *db.DB
	Now      func() time.Time
	Log      *slog.Logger
	Channels map[Kind]Channel
	// Backoff is the wait before the first retry, doubled after each
	// failure up to MaxBackoff; MaxAttempts failures give a message up.
	Backoff     time.Duration
	MaxBackoff  time.Duration
	MaxAttempts int
	// PerMinute is each robot's posts per minute, under the platforms' 20.
	PerMinute int
	// BaseURL, when set, makes the messages' links absolute for the robots.
	BaseURL string
	// Lang is the language of the merged posts' heading.
	Lang i18n.Lang

	bundle *i18n.Bundle
}

// SendEvery is how often the app runs the sender.
const SendEvery = 30 * time.Second

// Defaults of a Sender.
const (
	DefaultBackoff     = 30 * time.Second
	DefaultMaxBackoff  = time.Hour
	DefaultMaxAttempts = 6
	DefaultPerMinute   = 18
	claimFor           = 2 * time.Minute
	batchMax           = 500
)

// NewSender returns a sender on d posting to the group robots over HTTP.
func NewSender(d *db.DB, now func() time.Time, log *slog.Logger) *Sender {
	rb := Robots{Now: now}
	return &Sender{DB: d, Now: now, Log: log, Channels: map[Kind]Channel{DingTalk: rb, WeCom: rb}}
}

func (s *Sender) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Sender) log() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// backoff is the wait after the n-th failed attempt (n ≥ 1).
func (s *Sender) backoff(n int) time.Duration {
	d, top := s.Backoff, s.MaxBackoff
	if d <= 0 {
		d = DefaultBackoff
	}
	if top <= 0 {
		top = DefaultMaxBackoff
	}
	for i := 1; i < n && d < top; i++ {
		d *= 2
	}
	return min(d, top)
}

func (s *Sender) maxAttempts() int {
	if s.MaxAttempts <= 0 {
		return DefaultMaxAttempts
	}
	return s.MaxAttempts
}

func (s *Sender) perMinute() int {
	if s.PerMinute <= 0 {
		return DefaultPerMinute
	}
	return s.PerMinute
}

type dueRow struct {
	Due
	webhook  int64
	attempts int
}

// Run delivers what is due now; it returns the first error that stopped
// it (a robot's failure is not one: it is logged and retried).
func (s *Sender) Run(ctx context.Context) error {
	now := s.now()
	token := claimToken()
	// Claim the due rows: a row another sender holds (claimed_until in the
	// future) is skipped, and of two senders updating one row at once only
	// the first sees it still unclaimed.
	if _, err := s.DB.ExecContext(ctx, `UPDATE outbox SET claimed_by = $1, claimed_until = $2
		WHERE id IN (SELECT id FROM outbox WHERE state = 'pending' AND next_at <= $3 AND webhook_id IS NOT NULL
			AND (claimed_until IS NULL OR claimed_until < $3) ORDER BY id LIMIT 500)
		AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < $3)`,
		token, now.Add(claimFor).UTC(), now.UTC()); err != nil {
		return platform.Internalf("claim outbox: %w", err)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT id, webhook_id, title, body, link, mobiles, wecom_ids, attempts FROM outbox
		WHERE claimed_by = $1 AND state = 'pending' ORDER BY webhook_id, id`, token)
	if err != nil {
		return platform.Internalf("claimed outbox: %w", err)
	}
	var due []dueRow
	for rows.Next() {
		var r dueRow
		var mobiles, wecom string
		if err := rows.Scan(&r.ID, &r.webhook, &r.Title, &r.Body, &r.Link, &mobiles, &wecom, &r.attempts); err != nil {
			rows.Close()
			return platform.Internalf("claimed outbox: %w", err)
		}
		if mobiles != "" {
			r.Mobiles = strings.Split(mobiles, ",")
		}
		if wecom != "" {
			r.WeComIDs = strings.Split(wecom, ",")
		}
		if s.BaseURL != "" && strings.HasPrefix(r.Link, "/") {
			r.Link = strings.TrimSuffix(s.BaseURL, "/") + r.Link
		}
		due = append(due, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return platform.Internalf("claimed outbox: %w", err)
	}
	for i := 0; i < len(due); {
		j := i
		for j < len(due) && due[j].webhook == due[i].webhook {
			j++
		}
		if err := s.robot(ctx, token, due[i].webhook, due[i:j], now); err != nil {
			return err
		}
		i = j
	}
	return nil
}

func claimToken() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// robot delivers one robot's claimed rows.
func (s *Sender) robot(ctx context.Context, token string, id int64, rows []dueRow, now time.Time) error {
	hook, err := scanWebhook(s.DB.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks w JOIN units u ON u.id = w.unit_id WHERE w.id = $1`, id))
	if err != nil {
		return platform.Internalf("webhook %d: %w", id, err)
	}
	byID := map[int64]dueRow{}
	for _, r := range rows {
		byID[r.ID] = r
	}
	if hook.Disabled {
		return s.finish(ctx, token, hook, rows, "gave_up", 0, "robot disabled", now)
	}
	if hook.Throttled != nil && hook.Throttled.After(now) {
		return s.release(ctx, rows, *hook.Throttled)
	}
	var used int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(DISTINCT attempt) FROM deliveries WHERE webhook_id = $1 AND at > $2`,
		id, now.Add(-time.Minute).UTC()).Scan(&used); err != nil {
		return platform.Internalf("webhook %d rate: %w", id, err)
	}
	ch, ok := s.Channels[hook.Kind]
	if !ok {
		return s.finish(ctx, token, hook, rows, "gave_up", 0, "no channel for "+string(hook.Kind), now)
	}
	dues := make([]Due, len(rows))
	for i, r := range rows {
		dues[i] = r.Due
	}
	plan := Plan(hook.Kind, hook.Keyword, s.mergedTitle(len(rows)), dues, s.perMinute()-used)
	planned := map[int64]bool{}
	for _, p := range plan {
		for _, id := range p.IDs {
			planned[id] = true
		}
	}
	var waiting []dueRow // over the minute's budget: the next run takes them
	for _, r := range rows {
		if !planned[r.ID] {
			waiting = append(waiting, r)
		}
	}
	for k, p := range plan {
		part := make([]dueRow, len(p.IDs))
		for i, id := range p.IDs {
			part[i] = byID[id]
		}
		err := ch.Deliver(ctx, hook, p.Body)
		var ref *Refusal
		switch {
		case err == nil:
			if err := s.finish(ctx, token, hook, part, "sent", 0, "", now); err != nil {
				return err
			}
		case errors.As(err, &ref) && ref.Throttled:
			until := now.Add(throttlePause(hook.Kind))
			s.log().WarnContext(ctx, "robot throttled", "webhook", hook.ID, "kind", hook.Kind, "errcode", ref.Code, "until", until)
			if _, err := s.DB.ExecContext(ctx, `UPDATE webhooks SET throttled_until = $1 WHERE id = $2`, until.UTC(), hook.ID); err != nil {
				return platform.Internalf("webhook %d: %w", hook.ID, err)
			}
			if err := s.logAttempt(ctx, hook, part, "throttled", ref.Code, ref.Msg, now); err != nil {
				return err
			}
			for _, rest := range plan[k+1:] {
				for _, id := range rest.IDs {
					part = append(part, byID[id])
				}
			}
			return s.release(ctx, append(part, waiting...), until)
		case errors.As(err, &ref):
			s.log().WarnContext(ctx, "robot refused", "webhook", hook.ID, "kind", hook.Kind, "errcode", ref.Code)
			if err := s.finish(ctx, token, hook, part, "refused", ref.Code, ref.Msg, now); err != nil {
				return err
			}
		default:
			if err := s.failed(ctx, hook, part, err, now); err != nil {
				return err
			}
		}
	}
	return s.release(ctx, waiting, now)
}

// mergedTitle is the heading of a merged post.
func (s *Sender) mergedTitle(n int) string {
	if s.bundle == nil {
		s.bundle = i18n.New(Messages)
	}
	lang := s.Lang
	if lang == "" {
		lang = i18n.Default
	}
	return s.bundle.T(lang, "notify.merged_title", n)
}

// finish ends rows with outcome: sent, refused or given up.
func (s *Sender) finish(ctx context.Context, token string, hook Webhook, rows []dueRow, outcome string, code int, detail string, now time.Time) error {
	state := "failed"
	if outcome == "sent" {
		state = "sent"
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			var sent any
			if state == "sent" {
				sent = now.UTC()
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = $1, sent_at = $2, attempts = attempts + 1, claimed_until = NULL
				WHERE id = $3 AND claimed_by = $4`, state, sent, r.ID, token); err != nil {
				return platform.Internalf("outbox %d: %w", r.ID, err)
			}
		}
		return attempt(ctx, tx, hook.ID, rows, outcome, code, detail, now)
	})
}

// failed schedules rows for another try after a transport failure or a
// server error, with exponential backoff, or gives them up after
// MaxAttempts.
func (s *Sender) failed(ctx context.Context, hook Webhook, rows []dueRow, cause error, now time.Time) error {
	detail := Truncate(cause.Error(), 300)
	s.log().WarnContext(ctx, "robot delivery failed", "webhook", hook.ID, "kind", hook.Kind, "err", detail)
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		id := claimToken()
		for _, r := range rows {
			n := r.attempts + 1
			if n >= s.maxAttempts() {
				if _, err := tx.ExecContext(ctx, `UPDATE outbox SET state = 'failed', attempts = $1, claimed_until = NULL WHERE id = $2`, n, r.ID); err != nil {
					return platform.Internalf("outbox %d: %w", r.ID, err)
				}
				if err := attemptAs(ctx, tx, id, hook.ID, []dueRow{r}, "gave_up", 0, detail, now); err != nil {
					return err
				}
				continue
			}
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET attempts = $1, next_at = $2, claimed_until = NULL WHERE id = $3`,
				n, now.Add(s.backoff(n)).UTC(), r.ID); err != nil {
				return platform.Internalf("outbox %d: %w", r.ID, err)
			}
			if err := attemptAs(ctx, tx, id, hook.ID, []dueRow{r}, "retry", 0, detail, now); err != nil {
				return err
			}
		}
		return nil
	})
}

// release hands rows back to the outbox, due again at next.
func (s *Sender) release(ctx context.Context, rows []dueRow, next time.Time) error {
	if len(rows) == 0 {
		return nil
	}
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		for _, r := range rows {
			if _, err := tx.ExecContext(ctx, `UPDATE outbox SET next_at = $1, claimed_until = NULL WHERE id = $2`, next.UTC(), r.ID); err != nil {
				return platform.Internalf("outbox %d: %w", r.ID, err)
			}
		}
		return nil
	})
}

// logAttempt records one attempt outside a transaction of its own.
func (s *Sender) logAttempt(ctx context.Context, hook Webhook, rows []dueRow, outcome string, code int, detail string, now time.Time) error {
	return s.DB.Tx(ctx, func(tx *sql.Tx) error { return attempt(ctx, tx, hook.ID, rows, outcome, code, detail, now) })
}

// attempt writes one post's line per message into the delivery log.
func attempt(ctx context.Context, q db.Queryer, hook int64, rows []dueRow, outcome string, code int, detail string, now time.Time) error {
	return attemptAs(ctx, q, claimToken(), hook, rows, outcome, code, detail, now)
}

func attemptAs(ctx context.Context, q db.Queryer, id string, hook int64, rows []dueRow, outcome string, code int, detail string, now time.Time) error {
	for _, r := range rows {
		if _, err := q.ExecContext(ctx, `INSERT INTO deliveries (webhook_id, outbox_id, attempt, outcome, errcode, detail, at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			hook, r.ID, id, outcome, code, detail, now.UTC()); err != nil {
			return platform.Internalf("delivery log: %w", err)
		}
	}
	return nil
}
