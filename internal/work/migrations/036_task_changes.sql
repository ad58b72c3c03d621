-- Change requests (调整申请) of a task in progress: its lead unit asks for a
-- new deadline or another lead unit, the office approves or rejects. The
-- task changes only when approved. A deadline approved after the old one
-- had passed does not wash the lateness away: the task keeps being counted
-- against the old deadline (counted = 'original'), the new day is what the
-- office agreed to wait for.
CREATE TABLE task_changes (
    id           @ID,
    task_id      @BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('deadline','lead_unit')),
    old_value    TEXT NOT NULL,
    new_value    TEXT NOT NULL,
    reason       TEXT NOT NULL,
    state        TEXT NOT NULL CHECK (state IN ('pending','approved','rejected')),
    requested_by @BIGINT NOT NULL REFERENCES users(id),
    requested_at @TIMESTAMP NOT NULL,
    decided_by   @BIGINT REFERENCES users(id),
    decided_at   @TIMESTAMP,
    comment      TEXT NOT NULL DEFAULT '',
    counted      TEXT NOT NULL DEFAULT '' CHECK (counted IN ('','new','original'))
);
CREATE UNIQUE INDEX task_changes_pending ON task_changes (task_id, kind) WHERE state = 'pending';
CREATE INDEX task_changes_task ON task_changes (task_id, id);
