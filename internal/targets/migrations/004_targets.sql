-- Targets and schedule progress (序时进度): the indicator catalogue, annual
-- targets decomposed to units and people, append-only monthly figures, and
-- each target's evaluated progress, kept so that every list, filter, sort and
-- count is one indexed query.
--
-- Every row that belongs to a township carries its township_id (the
-- township of its unit; a district's own rows carry the district's id), set
-- on insert and carried along when a unit moves: a scope filter is one
-- indexed column, and the tables can be distributed by it.

CREATE TABLE indicators (
    id           @ID,
    -- NULL: the shared catalogue, kept by district administrators; set: a
    -- township's own indicator, seen by that township's subtree.
    township_id  @BIGINT REFERENCES units(id),
    name         TEXT NOT NULL,
    measure_unit TEXT NOT NULL DEFAULT '',      -- 计量单位: 万元, 亿元, 个, 户, %
    category     TEXT NOT NULL DEFAULT '',
    measure      TEXT NOT NULL DEFAULT 'cumulative' CHECK (measure IN ('cumulative','point')),
    direction    TEXT NOT NULL DEFAULT 'higher' CHECK (direction IN ('higher','lower')),
    cadence      TEXT NOT NULL DEFAULT 'monthly' CHECK (cadence IN ('monthly','quarterly')),
    additive     @BOOL NOT NULL DEFAULT TRUE,   -- a parent's value is the sum of its children's
    non_negative @BOOL NOT NULL DEFAULT TRUE,   -- a negative figure is an error
    sort         INTEGER NOT NULL DEFAULT 0,
    created_at   @TIMESTAMP NOT NULL,
    updated_at   @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX indicators_name ON indicators (COALESCE(township_id, 0), name);

-- target_settings holds each township's own rules: the yellow margin.
CREATE TABLE target_settings (
    township_id @BIGINT PRIMARY KEY REFERENCES units(id),
    margin      @REAL NOT NULL DEFAULT 0.10,
    updated_at  @TIMESTAMP NOT NULL
);

CREATE TABLE targets (
    id              @ID,
    township_id     @BIGINT NOT NULL REFERENCES units(id),
    indicator_id    @BIGINT NOT NULL REFERENCES indicators(id),
    unit_id         @BIGINT NOT NULL REFERENCES units(id),
    person_id       @BIGINT REFERENCES people(id),
    parent_id       @BIGINT REFERENCES targets(id),
    year            INTEGER NOT NULL,
    kind            TEXT NOT NULL DEFAULT 'value' CHECK (kind IN ('value','growth')),
    target_value    @REAL NOT NULL,             -- 确保: an absolute value, or a growth rate in percent
    strive_value    @REAL,                      -- 力争, optional
    last_year_total @REAL,                      -- 去年全年, for growth targets and the seasonal forecast
    weight          @REAL NOT NULL DEFAULT 1,
    note            TEXT NOT NULL DEFAULT '',
    created_at      @TIMESTAMP NOT NULL,
    updated_at      @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX targets_owner ON targets (indicator_id, unit_id, COALESCE(person_id, 0), year);
CREATE INDEX targets_township_year ON targets (township_id, year);
CREATE INDEX targets_unit_year ON targets (unit_id, year);
CREATE INDEX targets_parent ON targets (parent_id);

-- figures are append-only: a correction is a new row and the old one stays
-- in the history. The current figure of a period is the one with the
-- highest id.
CREATE TABLE figures (
    id               @ID,
    township_id      @BIGINT NOT NULL REFERENCES units(id),
    target_id        @BIGINT NOT NULL REFERENCES targets(id),
    year             INTEGER NOT NULL,
    period           TEXT NOT NULL,              -- YYYY-MM: the cumulative value of 1–N月, or the month-end value
    value            @REAL NOT NULL,
    last_year_value  @REAL,                      -- 去年同期
    source           TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form','import','api','demo')),
    note             TEXT NOT NULL DEFAULT '',
    entered_by       @BIGINT REFERENCES users(id),
    entered_by_login TEXT NOT NULL DEFAULT '',
    entered_at       @TIMESTAMP NOT NULL
);
CREATE INDEX figures_target_period ON figures (target_id, period, id);
CREATE INDEX figures_township_year ON figures (township_id, year);

-- target_progress is each target's evaluation (Evaluate over its current
-- figure, or its children's roll-up), written in the same transaction as
-- anything that changes it: a figure, the target or its children, the
-- indicator, the township's margin, the unit's place in the tree. The
-- columns the lists filter and sort by, and the target itself, are kept here
-- beside it, so a page of a list is read from one index and one table.
CREATE TABLE target_progress (
    target_id         @BIGINT PRIMARY KEY REFERENCES targets(id),
    township_id       @BIGINT NOT NULL REFERENCES units(id),
    year              INTEGER NOT NULL,
    unit_id           @BIGINT NOT NULL,
    person_rank       @BIGINT NOT NULL,          -- 0 for the unit's own target, else the person's id
    indicator_id      @BIGINT NOT NULL,
    -- The target itself, as it is, so that a list reads this table alone.
    parent_id         @BIGINT,
    kind              TEXT NOT NULL,
    target_value      @REAL NOT NULL,
    strive_value      @REAL,
    last_year_total   @REAL,
    note              TEXT NOT NULL DEFAULT '',
    top               @BOOL NOT NULL,            -- no parent target
    unit_rank         INTEGER NOT NULL,          -- the unit's place in the org tree's order
    ind_rank          @BIGINT NOT NULL,          -- the indicator's (sort, id) in one number
    weight            @REAL NOT NULL,
    latest_figure_id  @BIGINT,
    period            TEXT NOT NULL DEFAULT '',
    actual            @REAL,
    rolled_up         @BOOL NOT NULL DEFAULT FALSE,
    last_year         @REAL,
    completion        @REAL,
    expected_share    @REAL NOT NULL DEFAULT 0,
    gap               @REAL,
    yoy               @REAL,
    light             TEXT NOT NULL DEFAULT '',
    light_rank        INTEGER NOT NULL DEFAULT 3, -- red 0, yellow 1, green 2, none 3
    over_achieved     @BOOL NOT NULL DEFAULT FALSE,
    over_ceiling      @BOOL NOT NULL DEFAULT FALSE,
    forecast_run_rate @REAL,
    forecast_seasonal @REAL,
    forecast          @REAL,
    pace              @REAL,
    ratio             @REAL,                     -- against the schedule, for unit scores; NULL when not judged
    children          INTEGER NOT NULL DEFAULT 0,
    children_sum      @REAL
);
-- The lists' orders, read from the index with LIMIT and OFFSET instead of
-- sorting the filter's rows: the tree's order, and the gap (nulls last, as
-- ORDER BY (gap) IS NULL, gap writes it), within a township or across the
-- whole tree, with or without a light. The light indexes end in the period,
-- so the light counts and the latest period (Summarize) read the index alone.
CREATE INDEX target_progress_list ON target_progress (township_id, year, unit_rank, ind_rank, person_rank, target_id);
CREATE INDEX target_progress_light ON target_progress (township_id, year, light, unit_rank, ind_rank, person_rank, target_id, period);
CREATE INDEX target_progress_gap ON target_progress (township_id, year, (gap IS NULL), gap, unit_rank, ind_rank, person_rank, target_id);
CREATE INDEX target_progress_light_gap ON target_progress (township_id, year, light, (gap IS NULL), gap, unit_rank, ind_rank, person_rank, target_id);
CREATE INDEX target_progress_all ON target_progress (year, unit_rank, ind_rank, person_rank, target_id);
CREATE INDEX target_progress_all_light_gap ON target_progress (year, light, (gap IS NULL), gap, unit_rank, ind_rank, person_rank, target_id, period);
CREATE INDEX target_progress_unit ON target_progress (unit_id, year, person_rank);
CREATE INDEX target_progress_parent ON target_progress (parent_id);
CREATE INDEX target_progress_person ON target_progress (person_rank, year);

-- target_lights keeps, per township and year, how many targets carry each
-- light and their latest period: the light counts above a list of whole
-- townships (a district's, a city's) are read from it, not counted.
CREATE TABLE target_lights (
    township_id @BIGINT NOT NULL,
    year        INTEGER NOT NULL,
    light       TEXT NOT NULL,
    n           INTEGER NOT NULL,
    period      TEXT NOT NULL,
    PRIMARY KEY (township_id, year, light)
);

-- target_versions counts the changes to each township's targets and
-- figures, so a board kept in memory is used until its township changes.
CREATE TABLE target_versions (
    township_id @BIGINT PRIMARY KEY,
    version     @BIGINT NOT NULL
);

-- The catalogue's own version, bumped by triggers (005_triggers) on every change to
-- indicators, so an instance keeps the catalogue in memory until it moves.
INSERT INTO target_versions (township_id, version) VALUES (0, 0);
