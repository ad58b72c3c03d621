-- imports keep an uploaded figure file between its preview and its commit,
-- in the database so that any instance can finish what another started.
CREATE TABLE imports (
    token        TEXT PRIMARY KEY,
    user_id      @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    unit_id      @BIGINT NOT NULL REFERENCES units(id),
    year         INTEGER NOT NULL,
    month        INTEGER NOT NULL,
    filename     TEXT NOT NULL DEFAULT '',
    data         @BLOB NOT NULL,
    created_at   @TIMESTAMP NOT NULL,
    committed_at @TIMESTAMP,
    figures      INTEGER NOT NULL DEFAULT 0
);
