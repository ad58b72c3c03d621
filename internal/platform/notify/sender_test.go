package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"guatu/internal/app/apptest"
	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/notify"
)

var t0 = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

// fixture is a unit with an administrator and a reporter.
type fixture struct {
	d        *db.DB
	unit     int64
	admin    *auth.User
	reporter *auth.User
	now      time.Time
}

func (f *fixture) clock() time.Time { return f.now }

func newFixture(t *testing.T, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d, now: t0}
	if err := d.QueryRowContext(ctx, `INSERT INTO units (kind, name, path, created_at, updated_at) VALUES ('township', 'XX镇', '', $1, $1) RETURNING id`, t0).Scan(&f.unit); err != nil {
		t.Fatal(err)
	}
	path := auth.UnitPath("", f.unit)
	if _, err := d.ExecContext(ctx, `UPDATE units SET path = $1 WHERE id = $2`, path, f.unit); err != nil {
		t.Fatal(err)
	}
	user := func(login string, role auth.Role) *auth.User {
		u := &auth.User{Login: login, Role: role, UnitID: f.unit, UnitPath: path, UnitName: "XX镇"}
		if err := d.QueryRowContext(ctx, `INSERT INTO users (login, unit_id, role, password_hash, created_at, updated_at) VALUES ($1, $2, $3, 'x', $4, $4) RETURNING id`,
			login, f.unit, string(role), t0).Scan(&u.ID); err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.admin, f.reporter = user("admin", auth.Admin), user("cun", auth.Reporter)
	return f
}

func (f *fixture) as(u *auth.User) context.Context { return auth.WithUser(context.Background(), u) }

func TestInbox(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := &notify.Store{DB: d, Now: f.clock}
		ctx := context.Background()
		if err := notify.Post(ctx, d, []int64{f.reporter.ID, f.reporter.ID}, "催办：一", "请报送", "/tasks/1", t0); err != nil {
			t.Fatal(err)
		}
		if err := notify.Post(ctx, d, []int64{f.reporter.ID, f.admin.ID}, "催办：二", "", "", t0.Add(time.Minute)); err != nil {
			t.Fatal(err)
		}
		if got := s.Unread(ctx, f.reporter.ID); got != 2 {
			t.Errorf("unread = %d, want 2 (one account listed twice gets one message)", got)
		}
		notes, err := s.Inbox(f.as(f.reporter), 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 2 || notes[0].Title != "催办：二" {
			t.Fatalf("inbox = %+v, want two, newest first", notes)
		}
		if _, err := s.Open(f.as(f.admin), notes[1].ID); platform.ErrorCode(err) != platform.NotFound {
			t.Errorf("opening another's message: %v, want not found", err)
		}
		n, err := s.Open(f.as(f.reporter), notes[1].ID)
		if err != nil || n.ReadAt == nil || n.Body != "请报送" {
			t.Fatalf("open = %+v, %v", n, err)
		}
		if got := s.Unread(ctx, f.reporter.ID); got != 1 {
			t.Errorf("after opening one, unread = %d, want 1", got)
		}
		if err := s.ReadAll(f.as(f.reporter)); err != nil {
			t.Fatal(err)
		}
		if got := s.Unread(ctx, f.reporter.ID); got != 0 {
			t.Errorf("after reading all, unread = %d, want 0", got)
		}
		if got := s.Unread(ctx, f.admin.ID); got != 1 {
			t.Errorf("another account's unread = %d, want 1", got)
		}
	})
}

func TestWebhookInput(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		s := &notify.Store{DB: d, Now: f.clock}
		good := notify.WebhookInput{UnitID: f.unit, Kind: notify.WeCom, URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-aaaa"}
		for _, c := range []struct {
			name  string
			as    *auth.User
			edit  func(in *notify.WebhookInput)
			code  platform.Code
			field string
		}{
			{"a reporter", f.reporter, func(in *notify.WebhookInput) {}, platform.Forbidden, ""},
			{"no address", f.admin, func(in *notify.WebhookInput) { in.URL = "" }, platform.Invalid, "url"},
			{"not http", f.admin, func(in *notify.WebhookInput) { in.URL = "ftp://x/?key=1" }, platform.Invalid, "url"},
			{"WeCom without key", f.admin, func(in *notify.WebhookInput) { in.URL = "https://qyapi.weixin.qq.com/send" }, platform.Invalid, "url"},
			{"DingTalk without token", f.admin, func(in *notify.WebhookInput) { in.Kind = notify.DingTalk }, platform.Invalid, "url"},
			{"unknown kind", f.admin, func(in *notify.WebhookInput) { in.Kind = "feishu" }, platform.Invalid, "kind"},
			{"unit out of scope", f.admin, func(in *notify.WebhookInput) { in.UnitID = f.unit + 1000 }, platform.Invalid, "unit_id"},
		} {
			t.Run(c.name, func(t *testing.T) {
				in := good
				c.edit(&in)
				_, err := s.AddWebhook(f.as(c.as), in)
				pe := platform.AsError(err)
				if err == nil || pe.Code != c.code || (c.field != "" && !fieldIn(err, c.field)) {
					t.Errorf("err = %v, want %s on %q", err, c.code, c.field)
				}
			})
		}
		var n int
		d.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM webhooks`).Scan(&n)
		if n != 0 {
			t.Errorf("%d robots after refusals, want 0", n)
		}
		w, err := s.AddWebhook(f.as(f.admin), good)
		if err != nil {
			t.Fatal(err)
		}
		var after string
		d.QueryRowContext(context.Background(), `SELECT after_json FROM audit_log WHERE entity = 'webhook'`).Scan(&after)
		if strings.Contains(after, "693a91f6") || after == "" {
			t.Errorf("the audit entry shows the key: %s", after)
		}
		if err := s.SetDisabled(f.as(f.admin), w.ID, true); err != nil {
			t.Fatal(err)
		}
		hooks, err := notify.UnitWebhooks(context.Background(), d, f.unit)
		if err != nil || len(hooks) != 0 {
			t.Errorf("enabled robots after disabling = %v, %v", hooks, err)
		}
	})
}

func fieldIn(err error, field string) bool {
	var es platform.Errors
	if e, ok := err.(platform.Errors); ok {
		es = e
	}
	for _, e := range es {
		if e.Field == field {
			return true
		}
	}
	return platform.AsError(err).Field == field
}

// TestEnqueueOnce: a second enqueue of the same key writes nothing.
func TestEnqueueOnce(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		hook := f.hook(t, notify.WeCom, "http://127.0.0.1:1/send?key=k", "")
		ctx := context.Background()
		m := notify.Outbound{Item: "reminder/1", Recipient: "webhook/1", WebhookID: hook, Message: notify.Message{Title: "催办"}}
		for i, want := range []bool{true, false} {
			fresh, err := notify.Enqueue(ctx, d, m, t0)
			if err != nil {
				t.Fatal(err)
			}
			if fresh != want {
				t.Errorf("enqueue %d: fresh = %v, want %v", i+1, fresh, want)
			}
		}
		m.Day = "2026-11-26"
		if fresh, _ := notify.Enqueue(ctx, d, m, t0); !fresh {
			t.Errorf("the same item the next day is not new")
		}
		if n := count(t, d, `SELECT COUNT(*) FROM outbox`); n != 2 {
			t.Errorf("%d outbox rows, want 2", n)
		}
	})
}

func count(t *testing.T, d *db.DB, q string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f *fixture) hook(t *testing.T, kind notify.Kind, url, secret string) int64 {
	t.Helper()
	var id int64
	if err := f.d.QueryRowContext(context.Background(), `INSERT INTO webhooks (unit_id, kind, url, secret, keyword, disabled, created_at, updated_at)
		VALUES ($1, $2, $3, $4, '', FALSE, $5, $5) RETURNING id`, f.unit, string(kind), url, secret, t0).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// standIn is a local robot: it records what it is sent and answers what
// the test sets.
type standIn struct {
	mu      sync.Mutex
	posts   []map[string]any
	queries []string
	status  int
	errcode int
}

func (s *standIn) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, _ := io.ReadAll(r.Body)
	var v map[string]any
	json.Unmarshal(b, &v)
	s.posts = append(s.posts, v)
	s.queries = append(s.queries, r.URL.RawQuery)
	if s.status != 0 && s.status != 200 {
		w.WriteHeader(s.status)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"errcode": s.errcode, "errmsg": "stand-in"})
}

func (s *standIn) set(status, errcode int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status, s.errcode = status, errcode
}

func (s *standIn) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.posts)
}

func outcomes(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.QueryContext(context.Background(), `SELECT outcome, errcode FROM deliveries ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		var c int
		rows.Scan(&o, &c)
		if c != 0 {
			o += "/" + itoa(c)
		}
		out = append(out, o)
	}
	return out
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func state(t *testing.T, d *db.DB, item string) (st string, attempts int) {
	t.Helper()
	if err := d.QueryRowContext(context.Background(), `SELECT state, attempts FROM outbox WHERE item = $1`, item).Scan(&st, &attempts); err != nil {
		t.Fatal(err)
	}
	return st, attempts
}

// TestSender posts to a stand-in robot of each platform: a success, a
// refusal with the platform's code, a 5xx retried with growing waits and
// given up after MaxAttempts, and a throttled robot left alone.
func TestSender(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		for _, kind := range notify.Kinds {
			t.Run(string(kind), func(t *testing.T) {
				ctx := context.Background()
				for _, tb := range []string{"deliveries", "outbox", "webhooks"} {
					d.ExecContext(ctx, `DELETE FROM `+tb)
				}
				d.ExecContext(ctx, `DELETE FROM users`)
				d.ExecContext(ctx, `DELETE FROM units`)
				f := newFixture(t, d)
				robot := &standIn{}
				srv := httptest.NewServer(robot)
				defer srv.Close()
				param := "key=wecom-key-1234"
				secret := ""
				if kind == notify.DingTalk {
					param, secret = "access_token=tok-5678", "SECsecret"
				}
				hook := f.hook(t, kind, srv.URL+"/send?"+param, secret)
				s := &notify.Sender{DB: d, Now: f.clock, Channels: map[notify.Kind]notify.Channel{kind: notify.Robots{Now: f.clock}},
					Backoff: time.Minute, MaxAttempts: 3}
				enqueue := func(item string, mobiles ...string) {
					t.Helper()
					if _, err := notify.Enqueue(ctx, d, notify.Outbound{Item: item, Recipient: "webhook/" + itoa(int(hook)), WebhookID: hook,
						Message: notify.Message{Title: "催办：" + item, Body: "请报送进展", Mobiles: mobiles}}, f.now); err != nil {
						t.Fatal(err)
					}
				}
				run := func() {
					t.Helper()
					if err := s.Run(ctx); err != nil {
						t.Fatal(err)
					}
				}

				// A success: sent once, signed for DingTalk, with the mention.
				enqueue("ok", "13800000001")
				run()
				run()
				if robot.count() != 1 {
					t.Fatalf("the robot got %d posts, want 1", robot.count())
				}
				if st, _ := state(t, d, "ok"); st != "sent" {
					t.Errorf("state = %s, want sent", st)
				}
				post := robot.posts[0]
				if kind == notify.DingTalk {
					if q := robot.queries[0]; !strings.Contains(q, "timestamp=") || !strings.Contains(q, "sign=") || !strings.Contains(q, "access_token=tok-5678") {
						t.Errorf("DingTalk query = %s, want access_token, timestamp and sign", q)
					}
					if at := post["at"].(map[string]any)["atMobiles"].([]any); len(at) != 1 {
						t.Errorf("atMobiles = %v", at)
					}
				} else if ml := post["text"].(map[string]any)["mentioned_mobile_list"].([]any); len(ml) != 1 {
					t.Errorf("mentioned_mobile_list = %v", ml)
				}

				// A refusal: final, with the code in the log.
				robot.set(200, 310000)
				enqueue("refused")
				run()
				if st, _ := state(t, d, "refused"); st != "failed" {
					t.Errorf("refused: state = %s, want failed", st)
				}

				// A server error: retried after 1, then 2 minutes, given up at the third.
				robot.set(502, 0)
				enqueue("flaky")
				run()
				if st, n := state(t, d, "flaky"); st != "pending" || n != 1 {
					t.Errorf("after a 502: %s after %d attempts, want pending after 1", st, n)
				}
				before := robot.count()
				f.now = f.now.Add(59 * time.Second)
				run()
				if robot.count() != before {
					t.Errorf("retried before its backoff of a minute")
				}
				f.now = f.now.Add(2 * time.Second)
				run()
				if st, n := state(t, d, "flaky"); st != "pending" || n != 2 {
					t.Errorf("after two 502s: %s after %d attempts, want pending after 2", st, n)
				}
				f.now = f.now.Add(time.Minute + 30*time.Second)
				run()
				if robot.count() != before+1 {
					t.Errorf("retried before its backoff of two minutes")
				}
				f.now = f.now.Add(31 * time.Second)
				run()
				if st, n := state(t, d, "flaky"); st != "failed" || n != 3 {
					t.Errorf("after three 502s: %s after %d attempts, want failed after 3", st, n)
				}

				// Throttled: the robot is left alone for its pause, then the message goes.
				code := notify.WeComThrottled
				pause := time.Minute
				if kind == notify.DingTalk {
					code, pause = notify.DingTalkThrottled, 10*time.Minute
				}
				robot.set(200, code)
				enqueue("throttled")
				run()
				robot.set(200, 0)
				before = robot.count()
				f.now = f.now.Add(pause - time.Second)
				run()
				if robot.count() != before {
					t.Errorf("posted to a throttled robot")
				}
				f.now = f.now.Add(2 * time.Second)
				run()
				if st, _ := state(t, d, "throttled"); st != "sent" {
					t.Errorf("after the pause: state = %s, want sent", st)
				}

				want := []string{"sent", "refused/310000", "retry", "retry", "gave_up", "throttled/" + itoa(code), "sent"}
				if got := outcomes(t, d); strings.Join(got, " ") != strings.Join(want, " ") {
					t.Errorf("delivery log = %v, want %v", got, want)
				}
				rows, _ := d.QueryContext(ctx, `SELECT detail FROM deliveries`)
				for rows.Next() {
					var s string
					rows.Scan(&s)
					if strings.Contains(s, "wecom-key-1234") || strings.Contains(s, "tok-5678") || strings.Contains(s, "SECsecret") {
						t.Errorf("the log shows a credential: %s", s)
					}
				}
				rows.Close()
			})
		}
	})
}

// TestSenderMergesWithinTheMinute: more messages than the minute allows
// go merged, never over the robot's budget.
func TestSenderMergesWithinTheMinute(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		robot := &standIn{}
		srv := httptest.NewServer(robot)
		defer srv.Close()
		hook := f.hook(t, notify.WeCom, srv.URL+"/send?key=k", "")
		ctx := context.Background()
		s := &notify.Sender{DB: d, Now: f.clock, Channels: map[notify.Kind]notify.Channel{notify.WeCom: notify.Robots{}}, PerMinute: 2}
		for i := range 3 {
			// One at a time: each run has a single message, posted as text.
			notify.Enqueue(ctx, d, notify.Outbound{Item: "single/" + itoa(i), Recipient: "webhook/1", WebhookID: hook, Message: notify.Message{Title: "一条"}}, f.now)
			s.Run(ctx)
		}
		if robot.count() != 2 {
			t.Fatalf("posts in the first minute = %d, want the budget of 2", robot.count())
		}
		for i := range 40 {
			notify.Enqueue(ctx, d, notify.Outbound{Item: "many/" + itoa(i), Recipient: "webhook/1", WebhookID: hook,
				Message: notify.Message{Title: "催办", Body: strings.Repeat("字", 100)}}, f.now)
		}
		f.now = f.now.Add(61 * time.Second)
		s.Run(ctx)
		if robot.count() != 4 {
			t.Fatalf("posts after the minute = %d, want 4", robot.count())
		}
		for _, p := range robot.posts[2:] {
			if p["msgtype"] != "markdown" {
				t.Errorf("a merged post is %v, want markdown", p["msgtype"])
			}
		}
		sent := count(t, d, `SELECT COUNT(*) FROM outbox WHERE state = 'sent'`)
		pending := count(t, d, `SELECT COUNT(*) FROM outbox WHERE state = 'pending'`)
		if sent+pending != 43 || pending == 0 || sent < 20 {
			t.Errorf("sent %d, pending %d: want the budget's posts full and the rest waiting", sent, pending)
		}
		f.now = f.now.Add(61 * time.Second)
		s.Run(ctx)
		s.Run(ctx)
		f.now = f.now.Add(61 * time.Second)
		s.Run(ctx)
		if n := count(t, d, `SELECT COUNT(*) FROM outbox WHERE state <> 'sent'`); n != 0 {
			t.Errorf("%d messages never sent", n)
		}
	})
}

// TestTwoSendersSendOnce: two senders on one database at once post each
// message once.
func TestTwoSendersSendOnce(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		f := newFixture(t, d)
		robot := &standIn{}
		srv := httptest.NewServer(robot)
		defer srv.Close()
		ctx := context.Background()
		var hooks []int64
		for i := range 5 {
			hooks = append(hooks, f.hook(t, notify.WeCom, srv.URL+"/send?key=k"+itoa(i), ""))
		}
		for i, h := range hooks {
			notify.Enqueue(ctx, d, notify.Outbound{Item: "once", Recipient: "webhook/" + itoa(i), WebhookID: h, Message: notify.Message{Title: "一条"}}, f.now)
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s := &notify.Sender{DB: d, Now: f.clock, Channels: map[notify.Kind]notify.Channel{notify.WeCom: notify.Robots{}}}
				if err := s.Run(ctx); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		if robot.count() != 5 {
			t.Errorf("the robots got %d posts, want 5", robot.count())
		}
	})
}
