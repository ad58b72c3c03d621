-- task_unit_reports are each co-unit's (协办单位) own progress reports:
-- its part of the task in text and a percentage. They move nothing in the
-- workflow (only the lead unit reports and applies for closing); the task
-- page shows each co-unit's last one beside the lead unit's, so a lagging
-- co-unit is seen.
CREATE TABLE task_unit_reports (
    id      @ID,
    task_id @BIGINT NOT NULL REFERENCES tasks(id),
    unit_id @BIGINT NOT NULL REFERENCES units(id),
    percent INTEGER NOT NULL CHECK (percent BETWEEN 0 AND 100),
    body    TEXT NOT NULL,
    user_id @BIGINT REFERENCES users(id),
    at      @TIMESTAMP NOT NULL
);
CREATE INDEX task_unit_reports_task ON task_unit_reports (task_id, unit_id, id);

-- task_files are a task's files (platform files): sent with a workflow step
-- (the lead unit's progress report, or the evidence of 申请办结) or with a
-- co-unit's report. A task's files are never deleted: no cascade, no
-- delete anywhere, and a task with files cannot be deleted either.
CREATE TABLE task_files (
    task_id        @BIGINT NOT NULL REFERENCES tasks(id),
    file_id        @BIGINT NOT NULL REFERENCES files(id),
    step_id        @BIGINT REFERENCES workflow_steps(id),
    unit_report_id @BIGINT REFERENCES task_unit_reports(id),
    PRIMARY KEY (task_id, file_id),
    CHECK ((step_id IS NULL) <> (unit_report_id IS NULL))
);
