package db

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Backup writes a consistent copy of a SQLite database to path while the
// server keeps running: VACUUM INTO reads one snapshot and writes a compact,
// self-contained file (no -wal to carry along). Restore by stopping guatu and
// putting the copy in place of the database file (see the README).
// PostgreSQL has its own tools (pg_dump); Backup refuses it.
func (d *DB) Backup(ctx context.Context, path string) error {
	if d.Dialect != SQLite {
		return errors.New("backup: for PostgreSQL use pg_dump (see the README)")
	}
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o750); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	if _, err := d.DB.ExecContext(ctx, `VACUUM INTO $1`, path); err != nil { // a read: writers go on meanwhile
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}
