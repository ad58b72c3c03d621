-- The task register (督办事项): work assigned by the supervision office to a
-- lead unit and followed until closed. Dates are Beijing calendar dates kept
-- as YYYY-MM-DD text, which sorts and compares the same on both engines.
CREATE TABLE tasks (
    id                @ID,
    township_id       @BIGINT NOT NULL REFERENCES units(id),
    title             TEXT NOT NULL,
    requirement       TEXT NOT NULL DEFAULT '',
    source            TEXT NOT NULL CHECK (source IN ('meeting','instruction','campaign','livelihood','superior')),
    source_leader_id  @BIGINT REFERENCES people(id),
    doc_number        TEXT NOT NULL DEFAULT '',
    doc_date          TEXT NOT NULL DEFAULT '',
    category          TEXT NOT NULL DEFAULT '',
    lead_unit_id      @BIGINT NOT NULL REFERENCES units(id),
    responsible_id    @BIGINT REFERENCES people(id),
    leader_id         @BIGINT NOT NULL REFERENCES people(id),
    assigned_on       TEXT NOT NULL,
    deadline          TEXT NOT NULL,
    level             TEXT NOT NULL CHECK (level IN ('normal','key','listed')),
    listing_leader_id @BIGINT REFERENCES people(id),
    state             TEXT NOT NULL,
    progress          INTEGER NOT NULL DEFAULT 0,
    version           @BIGINT NOT NULL DEFAULT 1,
    created_at        @TIMESTAMP NOT NULL,
    updated_at        @TIMESTAMP NOT NULL,
    CHECK (deadline > assigned_on),
    CHECK (level <> 'listed' OR listing_leader_id IS NOT NULL)
);
CREATE INDEX tasks_township_deadline ON tasks (township_id, deadline);
CREATE INDEX tasks_lead_unit ON tasks (lead_unit_id);
CREATE UNIQUE INDEX tasks_township_title ON tasks (township_id, title);

-- task_units are a task's co-units (协办单位): they see the task, the lead
-- unit answers for it.
CREATE TABLE task_units (
    task_id @BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    unit_id @BIGINT NOT NULL REFERENCES units(id),
    PRIMARY KEY (task_id, unit_id)
);
CREATE INDEX task_units_unit ON task_units (unit_id);

-- task_reports are the lead unit's progress reports, each tied to the
-- workflow step that recorded it.
CREATE TABLE task_reports (
    id       @ID,
    task_id  @BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    step_id  @BIGINT NOT NULL REFERENCES workflow_steps(id),
    percent  INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    body     TEXT NOT NULL,
    at       @TIMESTAMP NOT NULL
);
CREATE INDEX task_reports_task ON task_reports (task_id, id);
