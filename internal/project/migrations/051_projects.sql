-- The register of major projects (重大项目): one project belongs to one
-- township (township_id, the tenant key) through its responsible unit
-- (unit_id, 责任单位), which also decides who sees it inside the township.
-- Amounts are 万元; dates are Beijing calendar dates kept as YYYY-MM-DD
-- text. stage is the current stage (the latest with an actual date, '' for
-- none), kept so the register filters and sorts by it; stage_rank is its
-- place in the pipeline (0 for none).
CREATE TABLE projects (
    id                      @ID,
    township_id             @BIGINT NOT NULL REFERENCES units(id),
    name                    TEXT NOT NULL,
    kind                    TEXT NOT NULL CHECK (kind IN ('industrial','infrastructure','services','livelihood','other')),
    industry                TEXT NOT NULL DEFAULT '',
    investor                TEXT NOT NULL DEFAULT '',
    investor_contact        TEXT NOT NULL DEFAULT '',
    investor_phone          TEXT NOT NULL DEFAULT '',
    village_id              @BIGINT REFERENCES units(id),
    park                    TEXT NOT NULL DEFAULT '',
    total_investment        @REAL NOT NULL CHECK (total_investment >= 0),
    year_planned_investment @REAL NOT NULL CHECK (year_planned_investment >= 0),
    level                   TEXT NOT NULL CHECK (level IN ('district','city','province')),
    owner_leader_id         @BIGINT NOT NULL REFERENCES people(id),
    unit_id                 @BIGINT NOT NULL REFERENCES units(id),
    notes                   TEXT NOT NULL DEFAULT '',
    stage                   TEXT NOT NULL DEFAULT '',
    stage_rank              INTEGER NOT NULL DEFAULT 0,
    version                 @BIGINT NOT NULL DEFAULT 1,
    created_at              @TIMESTAMP NOT NULL,
    updated_at              @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX projects_township_name ON projects (township_id, name);
CREATE INDEX projects_unit ON projects (unit_id);
CREATE INDEX projects_township_stage ON projects (township_id, stage_rank);

-- project_people are the project's team beside its owner leader and its
-- responsible unit (一个项目、一套班子): the contact person (联系人, one at
-- most) and any other members.
CREATE TABLE project_people (
    project_id @BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    person_id  @BIGINT NOT NULL REFERENCES people(id),
    role       TEXT NOT NULL CHECK (role IN ('contact','member')),
    PRIMARY KEY (project_id, person_id)
);
CREATE INDEX project_people_person ON project_people (person_id);

-- project_stages are each stage's planned and actual dates; reason says
-- why a stage was reached while an earlier one had no actual date.
CREATE TABLE project_stages (
    project_id @BIGINT NOT NULL REFERENCES projects(id) ON DELETE CASCADE,
    stage      TEXT NOT NULL CHECK (stage IN ('negotiating','signed','approved','land_supplied','started','completed','in_production')),
    planned_on TEXT NOT NULL DEFAULT '',
    actual_on  TEXT NOT NULL DEFAULT '',
    reason     TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (project_id, stage)
);

-- project_imports keep an uploaded register between its preview and its
-- commit, in the database so that any instance can finish it.
CREATE TABLE project_imports (
    token      TEXT PRIMARY KEY,
    user_id    @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    filename   TEXT NOT NULL DEFAULT '',
    data       @BLOB NOT NULL,
    created_at @TIMESTAMP NOT NULL
);
CREATE INDEX project_imports_created ON project_imports (created_at);
