package app

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"guatu/internal/demo"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
	pweb "guatu/internal/platform/web"
)

// TestTwoInstancesSendOneDigest starts two instances on one database, each
// with its own connections, runner and caches, as two guatu processes
// behind one PostgreSQL would be, and lets both run their due jobs at the
// same moments of one morning: each responsible person gets one digest, and
// one message per group robot, not two.
func TestTwoInstancesSendOneDigest(t *testing.T) {
	for _, engine := range []db.Dialect{db.SQLite, db.Postgres} {
		t.Run(string(engine), func(t *testing.T) {
			if engine == db.Postgres && dbtest.PostgresURL() == "" {
				t.Skip("GUATU_TEST_POSTGRES is not set")
			}
			ctx := context.Background()
			dsn := dbtest.DSN(t, engine)
			now := &clock.Fixed{T: time.Date(2026, 11, 25, 8, 30, 0, 0, clock.Beijing)}
			var apps []*App
			for i := range 2 {
				cfg := Config{DSN: dsn, DataDir: t.TempDir(), Log: slog.New(slog.DiscardHandler), Clock: now}
				if i == 0 {
					cfg.Setup = func(ctx context.Context, d *db.DB) error {
						res, err := demo.Load(ctx, d, now.Now())
						if err != nil {
							return err
						}
						// A robot for 双塘村, whose responsible person has tasks due.
						_, err = d.ExecContext(ctx, `INSERT INTO webhooks (unit_id, kind, name, url, created_at, updated_at)
							SELECT id, 'wecom', '双塘村工作群', 'http://127.0.0.1:1/cgi-bin/webhook/send?key=k', $1, $1
							FROM units WHERE name = '双塘村' AND parent_id = $2`, now.Now().UTC(), res.TownshipID)
						return err
					}
				}
				a, err := Open(ctx, cfg)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { a.Close() })
				apps = append(apps, a)
			}
			// Both instances run what is due, at once, three times a minute apart.
			for range 3 {
				var wg sync.WaitGroup
				for _, a := range apps {
					wg.Add(1)
					go func() { defer wg.Done(); a.RunDueJobs(ctx) }()
				}
				wg.Wait()
				now.Set(now.Now().Add(time.Minute))
			}
			d := apps[0].DB
			count := func(q string, args ...any) int {
				t.Helper()
				var n int
				if err := d.QueryRowContext(ctx, q, args...).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			if n := count(`SELECT COUNT(*) FROM task_digests`); n != 1 {
				t.Fatalf("%d digests recorded for XX镇's morning, want 1", n)
			}
			if n := count(`SELECT COUNT(*) FROM inbox i JOIN users u ON u.id = i.recipient_id
				WHERE u.login = 'shuangtang' AND i.title LIKE '督办提醒%'`); n != 1 {
				t.Errorf("shuangtang got %d digests from two instances, want 1", n)
			}
			if n := count(`SELECT COUNT(*) FROM inbox WHERE title LIKE '督办提醒%'`); n != count(`SELECT inbox FROM task_digests`) {
				t.Errorf("%d digest messages in the inboxes, the record says otherwise", n)
			}
			if n := count(`SELECT COUNT(*) FROM outbox WHERE item LIKE 'digest/%'`); n != 1 {
				t.Errorf("%d robot messages, want 1 (宋小芳 at 双塘村's robot)", n)
			}
			if n := count(`SELECT COUNT(*) FROM job_runs WHERE name = 'task digest' AND state = 'done' AND attempts = 1`); n < 1 {
				t.Errorf("the digest's run is not done after one attempt")
			}

			// The operators read the runs; a township's office may not.
			for _, c := range []struct {
				login string
				code  int
			}{{"admin", http.StatusOK}, {"duban", http.StatusForbidden}} {
				u, err := apps[1].Auth.UserByLogin(ctx, c.login)
				if err != nil {
					t.Fatal(err)
				}
				sess, err := apps[1].Auth.NewSession(ctx, u)
				if err != nil {
					t.Fatal(err)
				}
				req := httptest.NewRequest(http.MethodGet, "/admin/jobs", nil)
				req.AddCookie(&http.Cookie{Name: pweb.SessionCookie, Value: sess.Token})
				rec := httptest.NewRecorder()
				apps[1].Handler.ServeHTTP(rec, req)
				if rec.Code != c.code || (c.code == http.StatusOK && !strings.Contains(rec.Body.String(), "task digest")) {
					t.Errorf("/admin/jobs as %s: %d, want %d", c.login, rec.Code, c.code)
				}
			}
		})
	}
}
