-- task_reminders are the recorded 催办 of a task: who urged (the office or
-- a leader), whom (the lead unit, its responsible person and the accounts
-- the message reached), when, through which channels, with a note. Each is
-- also a step of the task's history (step_id). Whether it was answered is
-- read from the lead unit's progress reports after it, never stored.
CREATE TABLE task_reminders (
    id          @ID,
    task_id     @BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    step_id     @BIGINT NOT NULL REFERENCES workflow_steps(id),
    actor_id    @BIGINT REFERENCES users(id),
    actor_login TEXT NOT NULL,
    unit_id     @BIGINT NOT NULL REFERENCES units(id),
    person_id   @BIGINT REFERENCES people(id),
    recipients  TEXT NOT NULL DEFAULT '',
    channels    TEXT NOT NULL,
    note        TEXT NOT NULL,
    at          @TIMESTAMP NOT NULL
);
CREATE INDEX task_reminders_task ON task_reminders (task_id, id);
