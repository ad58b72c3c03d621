-- The org tree, people, the leadership team and campaigns: the reference data
-- every room hangs its rows on. Macros (@ID, @TIMESTAMP, @REAL, @BOOL,
-- @BIGINT) are expanded per engine by platform/db.

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

-- org_version counts changes to units (bumped by triggers in 002), so every
-- instance can keep the tree in memory and reload it only when it changed.
CREATE TABLE org_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version @BIGINT NOT NULL
);
INSERT INTO org_version (id, version) VALUES (1, 0);

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
CREATE INDEX team_members_township ON team_members (township_id);

-- campaigns are named pushes with a period within one year, like
-- 大干一百天，冲刺四季度, and the goals they were called for.
CREATE TABLE campaigns (
    id          @ID,
    township_id @BIGINT NOT NULL REFERENCES units(id),
    name        TEXT NOT NULL,
    year        INTEGER NOT NULL,
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    goals       TEXT NOT NULL DEFAULT '',
    created_at  @TIMESTAMP NOT NULL,
    updated_at  @TIMESTAMP NOT NULL,
    UNIQUE (township_id, name, year)
);
