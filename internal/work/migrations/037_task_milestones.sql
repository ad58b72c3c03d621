-- A task's dated milestones (节点): the steps the office sets on the way to
-- the deadline, each marked done by the lead unit on the day it reports it.
CREATE TABLE task_milestones (
    id       @ID,
    task_id  @BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    due      TEXT NOT NULL,
    title    TEXT NOT NULL,
    done_on  TEXT NOT NULL DEFAULT '',
    done_by  @BIGINT REFERENCES users(id),
    UNIQUE (task_id, position)
);
