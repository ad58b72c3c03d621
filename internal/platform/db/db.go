// Package db opens guatu's database, SQLite or PostgreSQL, behind one
// *sql.DB and applies the embedded schema migrations. Stores write one SQL
// text for both engines with $1-style placeholders (both drivers accept them);
// the few differences between the dialects live in this package.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers "pgx"
	_ "modernc.org/sqlite"             // registers "sqlite"
)

// Dialect names a database engine.
type Dialect string

const (
	SQLite   Dialect = "sqlite"
	Postgres Dialect = "postgres"
)

// DB is an open database with the dialect it speaks.
type DB struct {
	*sql.DB
	Dialect Dialect
	// Path is the SQLite file, empty for PostgreSQL.
	Path string
	// writes, for SQLite, lets one write at a time into the file from this
	// process: the others wait their turn here, in order, instead of in
	// SQLite's busy handler, which sleeps and retries and so let a queue of
	// writers wait seconds for a lock free most of that time. On PostgreSQL
	// it bounds the transactions open at once (see Tx).
	writes writeTurn
	// writer, for SQLite, is the one connection every write goes through,
	// kept out of the pool the reads share: a writer holding the turn never
	// waits for a connection behind two hundred requests waiting for one.
	// It is taken from the pool on first use and only under the turn.
	writer *sql.Conn
	// stmts keeps SQLite's prepared statements by their text: parsing a
	// query again for every request was a tenth of a list's time.
	stmts stmtCache
}

// WriteTurns is how many transactions may write at once: one on SQLite.
func (d *DB) WriteTurns() int { return cap(d.writes) }

// writeConn is the writer connection (under the write turn).
func (d *DB) writeConn(ctx context.Context) (*sql.Conn, error) {
	if d.writer == nil {
		c, err := d.DB.Conn(ctx)
		if err != nil {
			return nil, err
		}
		d.writer = c
	}
	return d.writer, nil
}

// wrote drops the writer connection after an error that leaves it unusable,
// so that the next write takes a fresh one.
func (d *DB) wrote(err error) error {
	if d.writer != nil && (errors.Is(err, sql.ErrConnDone) || errors.Is(err, driver.ErrBadConn)) {
		d.writer.Close()
		d.writer = nil
	}
	return err
}

// PostgreSQL's pool, and how many of its connections transactions may hold
// at once (see Tx).
const (
	pgConns = 20
	pgTurns = pgConns / 2
)

// writeTurn is the one turn to write: a channel, because goroutines
// blocked on it are served in the order they came (a sync.Mutex lets a
// newcomer barge in ahead of those waiting, which under a queue of two
// hundred writers left some waiting twice as long as the rest), and because
// a writer whose request is gone can leave the queue.
type writeTurn chan struct{}

func (t writeTurn) take(ctx context.Context) error {
	select {
	case t <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (t writeTurn) give() { <-t }

// stmtCache holds prepared statements, up to stmtCacheMax texts; a text
// beyond that is run unprepared (a query built with a long IN list, say).
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]*sql.Stmt
}

const stmtCacheMax = 512

// stmt returns the kept statement for query, preparing it the first time;
// nil when the cache is full or the statement cannot be prepared (the
// caller then runs the text itself, and meets the error there).
func (d *DB) stmt(ctx context.Context, query string) *sql.Stmt {
	if d.Dialect != SQLite {
		return nil // pgx keeps each connection's statements itself
	}
	return d.stmts.get(ctx, d.DB, query)
}

// get returns the statement kept for query, prepared on pool the first time.
func (c *stmtCache) get(ctx context.Context, pool *sql.DB, query string) *sql.Stmt {
	c.mu.RLock()
	st, ok := c.m[query]
	n := len(c.m)
	c.mu.RUnlock()
	if ok || n >= stmtCacheMax {
		return st
	}
	st, err := pool.PrepareContext(ctx, query)
	if err != nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if have, ok := c.m[query]; ok {
		st.Close()
		return have
	}
	if c.m == nil {
		c.m = map[string]*sql.Stmt{}
	}
	c.m[query] = st
	return st
}

// QueryContext runs a query, through a kept prepared statement on SQLite.
func (d *DB) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return d.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs a query for one row, through a kept prepared
// statement on SQLite.
func (d *DB) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := d.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return d.DB.QueryRowContext(ctx, query, args...)
}

// Close closes the kept statements and the database.
func (d *DB) Close() error {
	d.stmts.close()
	if d.Dialect == SQLite {
		// Wait for the write under way; later ones fail on the closed pool.
		d.writes <- struct{}{}
		if d.writer != nil {
			d.writer.Close()
			d.writer = nil
		}
		<-d.writes
	}
	return d.DB.Close()
}

func (c *stmtCache) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, st := range c.m {
		st.Close()
	}
	c.m = nil
}

// DefaultDSN is the SQLite file under the data folder.
func DefaultDSN(dataDir string) string {
	return "sqlite:" + filepath.Join(dataDir, "guatu.db")
}

// Open opens dsn: "sqlite:PATH" (a file; its folder is created) or a
// "postgres://" URL. It does not migrate; call Migrate.
func Open(ctx context.Context, dsn string) (*DB, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		path = strings.TrimPrefix(path, "//")
		if path == "" {
			return nil, errors.New("db: sqlite DSN needs a path, e.g. sqlite:data/guatu.db")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
			return nil, fmt.Errorf("db: create folder for %s: %w", path, err)
		}
		// WAL lets readers go on while one writer writes; the busy timeout makes
		// a second writer wait instead of failing; foreign keys are off by
		// default in SQLite and must be switched on per connection.
		// Reads map the file rather than copy it page by page through a
		// small cache: a city's database is tens of megabytes.
		q := "?_pragma=foreign_keys(1)&_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)&_pragma=synchronous(NORMAL)" +
			"&_pragma=mmap_size(1073741824)&_pragma=cache_size(-16384)&_txlock=immediate&_time_format=sqlite"
		sqldb, err := sql.Open("sqlite", "file:"+path+q)
		if err != nil {
			return nil, err
		}
		// Sixteen connections read; one more is the writer's.
		sqldb.SetMaxOpenConns(17)
		sqldb.SetMaxIdleConns(17)
		d := &DB{DB: sqldb, Dialect: SQLite, Path: path, writes: make(writeTurn, 1)}
		return d, d.ping(ctx)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		sqldb, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, err
		}
		// As many kept as may be open: with fewer idle than busy, every burst
		// closed connections and opened new ones, a PostgreSQL backend
		// started for a request (1,300 requests a second against 1,700).
		sqldb.SetMaxOpenConns(pgConns)
		sqldb.SetMaxIdleConns(pgConns)
		sqldb.SetConnMaxIdleTime(5 * time.Minute)
		d := &DB{DB: sqldb, Dialect: Postgres, writes: make(writeTurn, pgTurns)}
		return d, d.ping(ctx)
	default:
		return nil, fmt.Errorf("db: unsupported DSN %q: use sqlite:PATH or postgres://…", redact(dsn))
	}
}

func (d *DB) ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.PingContext(ctx); err != nil {
		d.Close()
		return fmt.Errorf("db: connect: %w", err)
	}
	return nil
}

// redact hides a password in a URL-shaped DSN for messages.
func redact(dsn string) string {
	if i := strings.Index(dsn, "@"); i > 0 {
		if j := strings.Index(dsn, "://"); j > 0 && j < i {
			return dsn[:j+3] + "***" + dsn[i:]
		}
	}
	return dsn
}

// Tx runs fn in a transaction, committing when fn returns nil, after
// waiting its turn among this process's writers: on SQLite the one turn,
// on the writer connection; on PostgreSQL one of pgTurns, so that the
// reads a write makes through d meanwhile (the tree, the catalogue) always
// find a free connection in the pool, however many write at once. fn must
// write through tx only: a write through d inside fn would wait for the
// transaction it is in.
func (d *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if err := d.writes.take(ctx); err != nil {
		return err
	}
	defer d.writes.give()
	var tx *sql.Tx
	if d.Dialect == SQLite {
		c, err := d.writeConn(ctx)
		if err != nil {
			return err
		}
		if tx, err = c.BeginTx(ctx, nil); err != nil {
			return d.wrote(err)
		}
	} else {
		var err error
		if tx, err = d.BeginTx(ctx, nil); err != nil {
			return err
		}
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return d.wrote(tx.Commit())
}

// ExecContext runs a statement outside a transaction; on SQLite it waits
// its turn among this process's writers, like Tx.
func (d *DB) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if d.Dialect != SQLite {
		return d.DB.ExecContext(ctx, query, args...)
	}
	var res sql.Result
	err := d.onWriter(ctx, func(c *sql.Conn) (err error) {
		res, err = c.ExecContext(ctx, query, args...)
		return err
	})
	return res, err
}

// onWriter runs fn on SQLite's writer connection in this process's write
// turn, dropping the connection if fn leaves it unusable.
func (d *DB) onWriter(ctx context.Context, fn func(c *sql.Conn) error) error {
	if err := d.writes.take(ctx); err != nil {
		return err
	}
	defer d.writes.give()
	c, err := d.writeConn(ctx)
	if err != nil {
		return err
	}
	return d.wrote(fn(c))
}

// WriteRow runs a statement that writes and returns one row (INSERT or
// UPDATE … RETURNING) and scans that row into dest: on SQLite in this
// process's write turn, like ExecContext (a write through QueryRowContext
// would skip the queue and wait in SQLite's busy handler instead).
// sql.ErrNoRows says no row was written.
func (d *DB) WriteRow(ctx context.Context, query string, args []any, dest ...any) error {
	if d.Dialect != SQLite {
		return d.DB.QueryRowContext(ctx, query, args...).Scan(dest...)
	}
	return d.onWriter(ctx, func(c *sql.Conn) error { return c.QueryRowContext(ctx, query, args...).Scan(dest...) })
}

// IsUniqueViolation reports whether err is a unique-constraint failure on
// either engine, so stores can turn it into a Conflict.
func IsUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "UNIQUE constraint failed") || strings.Contains(s, "SQLSTATE 23505")
}

// IsForeignKeyViolation reports whether err is a foreign-key failure.
func IsForeignKeyViolation(err error) bool {
	if err == nil {
		return false
	}
	s := err.Error()
	return strings.Contains(s, "FOREIGN KEY constraint failed") || strings.Contains(s, "SQLSTATE 23503")
}

// Queryer is what store helpers need: a *sql.DB, a *DB or a *sql.Tx.
type Queryer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Stmts is tx speaking through the database's kept prepared statements on
// SQLite (on PostgreSQL, tx itself: pgx keeps each connection's). A
// statement run inside a transaction is otherwise prepared anew every time;
// for a write that runs a dozen statements while it holds the one write
// lock, that was a tenth of its time.
func (d *DB) Stmts(tx *sql.Tx) Queryer {
	if d.Dialect != SQLite {
		return tx
	}
	return txStmts{d: d, tx: tx}
}

type txStmts struct {
	d  *DB
	tx *sql.Tx
}

func (q txStmts) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := q.d.stmt(ctx, query); st != nil {
		return q.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return q.tx.ExecContext(ctx, query, args...)
}

func (q txStmts) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := q.d.stmt(ctx, query); st != nil {
		return q.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
	}
	return q.tx.QueryContext(ctx, query, args...)
}

func (q txStmts) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := q.d.stmt(ctx, query); st != nil {
		return q.tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return q.tx.QueryRowContext(ctx, query, args...)
}
