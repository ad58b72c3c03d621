-- Targets and schedule progress (序时进度): the indicator catalogue, annual
-- targets decomposed to units and people, and append-only monthly figures.

CREATE TABLE indicators (
    id           @ID,
    name         TEXT NOT NULL UNIQUE,
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

-- target_settings holds each township's own rules: the yellow margin.
CREATE TABLE target_settings (
    township_id @BIGINT PRIMARY KEY REFERENCES units(id),
    margin      @REAL NOT NULL DEFAULT 0.10,
    updated_at  @TIMESTAMP NOT NULL
);

CREATE TABLE targets (
    id              @ID,
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
CREATE INDEX targets_unit_year ON targets (unit_id, year);
CREATE INDEX targets_parent ON targets (parent_id);

-- figures are append-only: a correction is a new row and the old one stays
-- in the history. The current figure of a period is the one with the
-- highest id.
CREATE TABLE figures (
    id               @ID,
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
CREATE INDEX figures_year ON figures (year, target_id);
