-- imports keep an uploaded figure file between its preview and its commit,
-- in the database so that any instance can finish what another started.
CREATE TABLE imports (
    token        TEXT PRIMARY KEY,
    township_id  @BIGINT NOT NULL REFERENCES units(id),
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
CREATE INDEX imports_user ON imports (user_id, created_at);
CREATE INDEX imports_township ON imports (township_id);
