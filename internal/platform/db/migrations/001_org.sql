-- The org tree, people, accounts, sessions, tokens and the audit log.
-- Macros (@ID, @TIMESTAMP, @REAL, @BOOL, @BIGINT) are expanded per engine by migrate.go.

CREATE TABLE units (
    id         @ID,
    parent_id  @BIGINT REFERENCES units(id),
    kind       TEXT NOT NULL CHECK (kind IN ('district','township','department','village','community','grid')),
    name       TEXT NOT NULL,
    -- path is the chain of ids from the root, "/1/4/9/", so a scope check is
    -- one prefix comparison instead of a recursive query.
    path       TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    created_at @TIMESTAMP NOT NULL,
    updated_at @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX units_sibling_name ON units (COALESCE(parent_id, 0), name);
CREATE INDEX units_path ON units (path);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE people (
    id         @ID,
    unit_id    @BIGINT NOT NULL REFERENCES units(id),
    name       TEXT NOT NULL,
    title      TEXT NOT NULL DEFAULT '',
    phone      TEXT NOT NULL DEFAULT '',
    sort       INTEGER NOT NULL DEFAULT 0,
    created_at @TIMESTAMP NOT NULL,
    updated_at @TIMESTAMP NOT NULL
);
CREATE INDEX people_unit ON people (unit_id);

-- team_members is the township's leadership team (三套班子): party committee,
-- government and people's congress.
CREATE TABLE team_members (
    id          @ID,
    township_id @BIGINT NOT NULL REFERENCES units(id),
    person_id   @BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    body        TEXT NOT NULL CHECK (body IN ('party','government','congress')),
    position    TEXT NOT NULL DEFAULT '',
    sort        INTEGER NOT NULL DEFAULT 0,
    created_at  @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX team_members_person_body ON team_members (person_id, body);

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

-- audit_log is append-only: triggers in 002 refuse UPDATE and DELETE.
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

-- campaigns are named pushes with a period, like 大干一百天，冲刺四季度.
CREATE TABLE campaigns (
    id          @ID,
    township_id @BIGINT NOT NULL REFERENCES units(id),
    name        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    created_at  @TIMESTAMP NOT NULL,
    UNIQUE (township_id, name, year)
);
