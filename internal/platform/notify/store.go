// Package notify is the platform's notifications: an in-app inbox for
// every account (its unread count in every page's header), the group
// robots (DingTalk, WeCom) of each unit, and an outbox that a background
// sender delivers from with retries, backoff and a per-robot limiter.
// Requests only write the inbox and the outbox, in their own transaction;
// a failing robot never blocks one.
package notify

import (
	"context"
	"database/sql"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
)

// Store keeps the inbox, the robots, the outbox and the delivery log.
type Store struct {
	DB  *db.DB
	Now func() time.Time
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// Bounds of what is kept.
const (
	MaxTitle = 200
	MaxBody  = 4000
	MaxURL   = 500
)

// Note is one inbox message.
type Note struct {
	ID        int64      `json:"id"`
	Title     string     `json:"title"`
	Body      string     `json:"body"`
	Link      string     `json:"link"`
	CreatedAt time.Time  `json:"created_at"`
	ReadAt    *time.Time `json:"read_at,omitempty"`
}

// Post puts a message in the inbox of each account in to, inside the
// caller's transaction q.
func Post(ctx context.Context, q db.Queryer, to []int64, title, body, link string, at time.Time) error {
	title, body = Truncate(title, MaxTitle*3), Truncate(body, MaxBody*3)
	for _, id := range unique(to) {
		if _, err := q.ExecContext(ctx, `INSERT INTO inbox (recipient_id, title, body, link, created_at) VALUES ($1, $2, $3, $4, $5)`,
			id, title, body, link, at.UTC()); err != nil {
			return platform.Internalf("inbox post: %w", err)
		}
	}
	return nil
}

func unique(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if id != 0 && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// Unread counts the signed-in account's unread messages: one COUNT on the
// partial index of unread rows. It is the header's number, so an error
// counts as none rather than failing the page.
func (s *Store) Unread(ctx context.Context, userID int64) int {
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM inbox WHERE recipient_id = $1 AND read_at IS NULL`, userID).Scan(&n); err != nil {
		return 0
	}
	return n
}

// InboxPageSize is how many messages the inbox shows at once.
const InboxPageSize = 50

// Inbox returns the caller's messages, newest first, up to InboxPageSize
// before the message id before (0: the newest).
func (s *Store) Inbox(ctx context.Context, before int64) ([]Note, error) {
	u := auth.FromContext(ctx)
	if u == nil {
		return nil, platform.ErrUnauthorized
	}
	q := `SELECT id, title, body, link, created_at, read_at FROM inbox WHERE recipient_id = $1`
	args := []any{u.ID}
	if before > 0 {
		q += ` AND id < $2`
		args = append(args, before)
	}
	rows, err := s.DB.QueryContext(ctx, q+` ORDER BY id DESC LIMIT `+strconv.Itoa(InboxPageSize), args...)
	if err != nil {
		return nil, platform.Internalf("inbox: %w", err)
	}
	defer rows.Close()
	var out []Note
	for rows.Next() {
		n, err := scanNote(rows)
		if err != nil {
			return nil, platform.Internalf("inbox: %w", err)
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

func scanNote(sc interface{ Scan(...any) error }) (Note, error) {
	var n Note
	var read sql.NullTime
	err := sc.Scan(&n.ID, &n.Title, &n.Body, &n.Link, &n.CreatedAt, &read)
	if read.Valid {
		n.ReadAt = &read.Time
	}
	return n, err
}

// Open returns one of the caller's messages and marks it read; another
// account's message is NotFound.
func (s *Store) Open(ctx context.Context, id int64) (Note, error) {
	u := auth.FromContext(ctx)
	if u == nil {
		return Note{}, platform.ErrUnauthorized
	}
	n, err := scanNote(s.DB.QueryRowContext(ctx, `SELECT id, title, body, link, created_at, read_at FROM inbox WHERE id = $1 AND recipient_id = $2`, id, u.ID))
	if errors.Is(err, sql.ErrNoRows) {
		return Note{}, platform.ErrNotFound
	}
	if err != nil {
		return Note{}, platform.Internalf("inbox %d: %w", id, err)
	}
	if n.ReadAt == nil {
		now := s.now().UTC()
		if _, err := s.DB.ExecContext(ctx, `UPDATE inbox SET read_at = $1 WHERE id = $2 AND read_at IS NULL`, now, id); err != nil {
			return Note{}, platform.Internalf("inbox %d: %w", id, err)
		}
		n.ReadAt = &now
	}
	return n, nil
}

// ReadAll marks every message of the caller read.
func (s *Store) ReadAll(ctx context.Context) error {
	u := auth.FromContext(ctx)
	if u == nil {
		return platform.ErrUnauthorized
	}
	if _, err := s.DB.ExecContext(ctx, `UPDATE inbox SET read_at = $1 WHERE recipient_id = $2 AND read_at IS NULL`, s.now().UTC(), u.ID); err != nil {
		return platform.Internalf("inbox read all: %w", err)
	}
	return nil
}

// Account is an account to notify.
type Account struct {
	UserID   int64
	Login    string
	PersonID *int64
	Lang     i18n.Lang
}

// Accounts returns the enabled accounts of a unit and those of the given
// people (wherever their accounts hang), through q.
func Accounts(ctx context.Context, q db.Queryer, unitID int64, people ...int64) ([]Account, error) {
	query := `SELECT id, login, person_id, lang FROM users WHERE disabled = FALSE AND (unit_id = $1`
	args := []any{unitID}
	for _, p := range unique(people) {
		args = append(args, p)
		query += ` OR person_id = $` + strconv.Itoa(len(args))
	}
	rows, err := q.QueryContext(ctx, query+`) ORDER BY id`, args...)
	if err != nil {
		return nil, platform.Internalf("accounts to notify: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		var p sql.NullInt64
		var lang string
		if err := rows.Scan(&a.UserID, &a.Login, &p, &lang); err != nil {
			return nil, platform.Internalf("accounts to notify: %w", err)
		}
		if p.Valid {
			a.PersonID = &p.Int64
		}
		a.Lang = i18n.Parse(lang)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Webhook is a unit's group robot. URL and Secret are credentials: pages
// show Masked and SecretSet only.
type Webhook struct {
	ID        int64      `json:"id"`
	UnitID    int64      `json:"unit_id"`
	UnitName  string     `json:"unit_name"`
	Kind      Kind       `json:"kind"`
	Name      string     `json:"name"`
	URL       string     `json:"-"`
	Secret    string     `json:"-"`
	Keyword   string     `json:"keyword"`
	Disabled  bool       `json:"disabled"`
	Throttled *time.Time `json:"throttled_until,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
	unitPath  string
}

// Masked is the robot's address without its credentials.
func (w Webhook) Masked() string { return MaskURL(w.URL) }

// SecretMasked is the signing secret by its last four characters, or "".
func (w Webhook) SecretMasked() string { return Mask(w.Secret) }

// WebhookInput is a robot as the administrator's form gives it.
type WebhookInput struct {
	UnitID  int64
	Kind    Kind
	Name    string
	URL     string
	Secret  string
	Keyword string
}

func validKind(k Kind) bool { return k == DingTalk || k == WeCom }

// check validates a robot, naming each field at fault. A DingTalk address
// carries its access_token, a WeCom one its key.
func (in *WebhookInput) check() platform.Errors {
	var es platform.Errors
	in.Name, in.URL, in.Secret, in.Keyword = strings.TrimSpace(in.Name), strings.TrimSpace(in.URL), strings.TrimSpace(in.Secret), strings.TrimSpace(in.Keyword)
	if in.UnitID == 0 {
		es = append(es, platform.FieldError("unit_id", "notify.error.unit"))
	}
	if !validKind(in.Kind) {
		es = append(es, platform.FieldError("kind", "notify.error.kind"))
	}
	if utf8.RuneCountInString(in.Name) > 40 {
		es = append(es, platform.FieldError("name", "form.err.too_long", 40))
	}
	u, err := url.Parse(in.URL)
	switch {
	case in.URL == "" || err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || len(in.URL) > MaxURL:
		es = append(es, platform.FieldError("url", "notify.error.url"))
	case in.Kind == DingTalk && u.Query().Get("access_token") == "":
		es = append(es, platform.FieldError("url", "notify.error.url_dingtalk"))
	case in.Kind == WeCom && u.Query().Get("key") == "":
		es = append(es, platform.FieldError("url", "notify.error.url_wecom"))
	}
	if in.Kind != DingTalk {
		in.Secret, in.Keyword = "", ""
	}
	if len(in.Secret) > 200 {
		es = append(es, platform.FieldError("secret", "form.err.too_long", 200))
	}
	if utf8.RuneCountInString(in.Keyword) > 20 {
		es = append(es, platform.FieldError("keyword", "form.err.too_long", 20))
	}
	return es
}

// admin returns the caller when they administer accounts and units.
func admin(ctx context.Context) (*auth.User, error) {
	u := auth.FromContext(ctx)
	if u == nil {
		return nil, platform.ErrUnauthorized
	}
	if u.Role != auth.Admin {
		return nil, platform.ErrForbidden
	}
	return u, nil
}

// unitIn reads a unit's name and path, NotFound outside the caller's scope.
func (s *Store) unitIn(ctx context.Context, u *auth.User, id int64) (name, path string, err error) {
	err = s.DB.QueryRowContext(ctx, `SELECT name, path FROM units WHERE id = $1`, id).Scan(&name, &path)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !u.InScope(path)) {
		return "", "", platform.FieldError("unit_id", "notify.error.unit")
	}
	if err != nil {
		return "", "", platform.Internalf("unit %d: %w", id, err)
	}
	return name, path, nil
}

// AddWebhook registers a robot for a unit in the administrator's scope:
// Forbidden for anyone else, Invalid with the fields at fault. The audit
// entry names the robot by its masked address, never its credentials.
func (s *Store) AddWebhook(ctx context.Context, in WebhookInput) (Webhook, error) {
	u, err := admin(ctx)
	if err != nil {
		return Webhook{}, err
	}
	es := in.check()
	var name, path string
	if in.UnitID != 0 {
		if name, path, err = s.unitIn(ctx, u, in.UnitID); err != nil {
			if platform.ErrorCode(err) != platform.Invalid {
				return Webhook{}, err
			}
			es = append(es, platform.AsError(err))
		}
	}
	if err := es.Err(); err != nil {
		return Webhook{}, err
	}
	now := s.now()
	w := Webhook{UnitID: in.UnitID, UnitName: name, Kind: in.Kind, Name: in.Name, URL: in.URL, Secret: in.Secret, Keyword: in.Keyword, CreatedAt: now, unitPath: path}
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO webhooks (unit_id, kind, name, url, secret, keyword, disabled, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, FALSE, $7, $7) RETURNING id`,
			w.UnitID, string(w.Kind), w.Name, w.URL, w.Secret, w.Keyword, now.UTC()).Scan(&w.ID); err != nil {
			return platform.Internalf("add webhook: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "webhook", EntityID: audit.ID(w.ID),
			UnitID: w.UnitID, UnitPath: path, After: w.shown(), At: now})
	})
	return w, err
}

// shown is what the audit log keeps of a robot: no credential.
func (w Webhook) shown() map[string]any {
	return map[string]any{"unit_id": w.UnitID, "kind": w.Kind, "name": w.Name, "url": w.Masked(),
		"secret": w.SecretMasked(), "keyword": w.Keyword, "disabled": w.Disabled}
}

const webhookColumns = `w.id, w.unit_id, u.name, u.path, w.kind, w.name, w.url, w.secret, w.keyword, w.disabled, w.throttled_until, w.created_at`

func scanWebhook(sc interface{ Scan(...any) error }) (Webhook, error) {
	var w Webhook
	var kind string
	var th sql.NullTime
	err := sc.Scan(&w.ID, &w.UnitID, &w.UnitName, &w.unitPath, &kind, &w.Name, &w.URL, &w.Secret, &w.Keyword, &w.Disabled, &th, &w.CreatedAt)
	w.Kind = Kind(kind)
	if th.Valid {
		w.Throttled = &th.Time
	}
	return w, err
}

// Webhooks lists the robots of the units in the administrator's scope.
func (s *Store) Webhooks(ctx context.Context) ([]Webhook, error) {
	u, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks w JOIN units u ON u.id = w.unit_id
		WHERE u.path LIKE $1 ORDER BY u.path, w.id`, u.UnitPath+"%")
	if err != nil {
		return nil, platform.Internalf("webhooks: %w", err)
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, platform.Internalf("webhooks: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// UnitWebhooks returns the enabled robots of a unit, through q (a
// reminder's transaction), for the code that enqueues a message to them.
func UnitWebhooks(ctx context.Context, q db.Queryer, unitID int64) ([]Webhook, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+webhookColumns+` FROM webhooks w JOIN units u ON u.id = w.unit_id
		WHERE w.unit_id = $1 AND w.disabled = FALSE ORDER BY w.id`, unitID)
	if err != nil {
		return nil, platform.Internalf("unit webhooks: %w", err)
	}
	defer rows.Close()
	var out []Webhook
	for rows.Next() {
		w, err := scanWebhook(rows)
		if err != nil {
			return nil, platform.Internalf("unit webhooks: %w", err)
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

// SetDisabled disables or enables a robot in the administrator's scope
// (NotFound outside it). A disabled robot's waiting messages are given up
// by the sender.
func (s *Store) SetDisabled(ctx context.Context, id int64, disabled bool) error {
	u, err := admin(ctx)
	if err != nil {
		return err
	}
	w, err := scanWebhook(s.DB.QueryRowContext(ctx, `SELECT `+webhookColumns+` FROM webhooks w JOIN units u ON u.id = w.unit_id WHERE w.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return platform.ErrNotFound
	}
	if err != nil {
		return platform.Internalf("webhook %d: %w", id, err)
	}
	if !u.InScope(w.unitPath) {
		return platform.ErrNotFound
	}
	now := s.now()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE webhooks SET disabled = $1, updated_at = $2 WHERE id = $3`, disabled, now.UTC(), id); err != nil {
			return platform.Internalf("webhook %d: %w", id, err)
		}
		before := w.shown()
		w.Disabled = disabled
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "webhook", EntityID: audit.ID(id),
			UnitID: w.UnitID, UnitPath: w.unitPath, Before: before, After: w.shown(), At: now})
	})
}

// Outbound is one message to enqueue: its idempotency key (Item, the
// Recipient, the Channel and the Day, a Beijing date) and what it says.
type Outbound struct {
	Item      string // "reminder/12", "digest"
	Recipient string // "webhook/3"
	Channel   string // "webhook"; "sms" later
	Day       string // YYYY-MM-DD; today in Beijing when empty
	WebhookID int64
	Message
}

// Enqueue writes m to the outbox inside the caller's transaction q and
// reports whether it was new: a message of the same key already there is
// left alone (INSERT … ON CONFLICT DO NOTHING on both engines), so a retry
// or a second instance never sends it twice.
func Enqueue(ctx context.Context, q db.Queryer, m Outbound, at time.Time) (bool, error) {
	if m.Day == "" {
		m.Day = clock.Today(at).Format(clock.DateFormat)
	}
	if m.Channel == "" {
		m.Channel = "webhook"
	}
	var hook any
	if m.WebhookID != 0 {
		hook = m.WebhookID
	}
	res, err := q.ExecContext(ctx, `INSERT INTO outbox (item, recipient, channel, day, webhook_id, title, body, link, mobiles, wecom_ids, state, attempts, next_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'pending', 0, $11, $11)
		ON CONFLICT (item, recipient, channel, day) DO NOTHING`,
		m.Item, m.Recipient, m.Channel, m.Day, hook, Truncate(m.Title, MaxTitle*3), Truncate(m.Body, MaxBody*3), m.Link,
		strings.Join(m.Mobiles, ","), strings.Join(m.WeComIDs, ","), at.UTC())
	if err != nil {
		return false, platform.Internalf("enqueue %s: %w", m.Item, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, platform.Internalf("enqueue %s: %w", m.Item, err)
	}
	return n == 1, nil
}

// Delivery is one line of the delivery log.
type Delivery struct {
	ID       int64
	At       time.Time
	UnitName string
	Kind     Kind
	Robot    string // the robot's name, else its masked address
	OutboxID int64
	Title    string
	Outcome  string
	ErrCode  int
	Detail   string
	Attempts int
}

// Deliveries returns the newest entries of the delivery log of the robots
// in the administrator's scope, up to limit.
func (s *Store) Deliveries(ctx context.Context, limit int) ([]Delivery, error) {
	u, err := admin(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT d.id, d.at, un.name, w.kind, w.name, w.url, d.outbox_id, o.title, d.outcome, d.errcode, d.detail, o.attempts
		FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id JOIN units un ON un.id = w.unit_id JOIN outbox o ON o.id = d.outbox_id
		WHERE un.path LIKE $1 ORDER BY d.at DESC, d.id DESC LIMIT $2`, u.UnitPath+"%", limit)
	if err != nil {
		return nil, platform.Internalf("deliveries: %w", err)
	}
	defer rows.Close()
	var out []Delivery
	for rows.Next() {
		var d Delivery
		var kind, name, rawURL string
		if err := rows.Scan(&d.ID, &d.At, &d.UnitName, &kind, &name, &rawURL, &d.OutboxID, &d.Title, &d.Outcome, &d.ErrCode, &d.Detail, &d.Attempts); err != nil {
			return nil, platform.Internalf("deliveries: %w", err)
		}
		d.Kind, d.Robot = Kind(kind), name
		if d.Robot == "" {
			d.Robot = MaskURL(rawURL)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}
