-- The platform's own tables: accounts, sessions, API tokens and the audit
-- log. Accounts hang on org's units and people (migration 001).

CREATE TABLE users (
    id            @ID,
    login         TEXT NOT NULL UNIQUE,
    person_id     @BIGINT REFERENCES people(id),
    unit_id       @BIGINT NOT NULL REFERENCES units(id),
    role          TEXT NOT NULL CHECK (role IN ('admin','leader','supervisor','statistician','reporter','grid_worker','viewer')),
    password_hash TEXT NOT NULL,
    lang          TEXT NOT NULL DEFAULT 'zh-CN',
    disabled      @BOOL NOT NULL DEFAULT FALSE,
    failed_logins INTEGER NOT NULL DEFAULT 0,
    locked_until  @TIMESTAMP,
    last_login_at @TIMESTAMP,
    created_at    @TIMESTAMP NOT NULL,
    updated_at    @TIMESTAMP NOT NULL
);
CREATE INDEX users_unit ON users (unit_id);

-- sessions are server-side so that several instances can serve one database.
-- Only a hash of the cookie value is stored.
CREATE TABLE sessions (
    id_hash    TEXT PRIMARY KEY,
    user_id    @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf       TEXT NOT NULL,
    created_at @TIMESTAMP NOT NULL,
    last_seen  @TIMESTAMP NOT NULL,
    expires_at @TIMESTAMP NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           @ID,
    user_id      @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash   TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    created_at   @TIMESTAMP NOT NULL,
    last_used_at @TIMESTAMP,
    expires_at   @TIMESTAMP
);

-- audit_log is append-only: the triggers below refuse UPDATE and DELETE.
CREATE TABLE audit_log (
    id          @ID,
    at          @TIMESTAMP NOT NULL,
    actor_id    @BIGINT,
    actor_login TEXT NOT NULL DEFAULT '',
    action      TEXT NOT NULL,
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL DEFAULT '',
    unit_id     @BIGINT,
    unit_path   TEXT NOT NULL DEFAULT '',
    before_json TEXT NOT NULL DEFAULT '',
    after_json  TEXT NOT NULL DEFAULT '',
    remote_addr TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_unit_path ON audit_log (unit_path);
