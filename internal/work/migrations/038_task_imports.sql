-- task_imports keep an uploaded sheet of tasks between its preview and its
-- commit, in the database so that any instance can finish what another
-- started; a commit deletes it, and serve drops those a day old.
CREATE TABLE task_imports (
    token      TEXT PRIMARY KEY,
    user_id    @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    filename   TEXT NOT NULL DEFAULT '',
    data       @BLOB NOT NULL,
    created_at @TIMESTAMP NOT NULL
);
CREATE INDEX task_imports_created ON task_imports (created_at);
