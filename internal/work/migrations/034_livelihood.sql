-- The ten livelihood projects (十件民生实事) of a township's year: each item
-- numbered 一…十 within its township and year, with a target where it has a
-- number (新增就业岗位 500 个) and the actual figure the office records.
CREATE TABLE livelihood_items (
    id           @ID,
    township_id  @BIGINT NOT NULL REFERENCES units(id),
    year         INTEGER NOT NULL,
    number       INTEGER NOT NULL CHECK (number BETWEEN 1 AND 10),
    title        TEXT NOT NULL,
    content      TEXT NOT NULL DEFAULT '',
    target       @REAL CHECK (target IS NULL OR target > 0),
    measure      TEXT NOT NULL DEFAULT '',
    actual       @REAL CHECK (actual IS NULL OR actual >= 0),
    lead_unit_id @BIGINT NOT NULL REFERENCES units(id),
    version      @BIGINT NOT NULL DEFAULT 1,
    created_at   @TIMESTAMP NOT NULL,
    updated_at   @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX livelihood_items_number ON livelihood_items (township_id, year, number);

-- livelihood_tasks links a task of source 'livelihood' to the item it
-- carries out: a task serves one item, an item has any number of tasks.
CREATE TABLE livelihood_tasks (
    task_id @BIGINT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
    item_id @BIGINT NOT NULL REFERENCES livelihood_items(id)
);
CREATE INDEX livelihood_tasks_item ON livelihood_tasks (item_id);

-- task_evaluations are the office's closing evaluation (办结评价) of a closed
-- task: timeliness derived from the closing date against the deadline, and
-- a quality grade (优/良/中/差).
CREATE TABLE task_evaluations (
    task_id         @BIGINT PRIMARY KEY REFERENCES tasks(id) ON DELETE CASCADE,
    closed_on       TEXT NOT NULL,
    timeliness      TEXT NOT NULL CHECK (timeliness IN ('on_time','late')),
    quality         TEXT NOT NULL CHECK (quality IN ('excellent','good','fair','poor')),
    comment         TEXT NOT NULL DEFAULT '',
    evaluator_id    @BIGINT REFERENCES users(id),
    evaluator_login TEXT NOT NULL,
    at              @TIMESTAMP NOT NULL
);
