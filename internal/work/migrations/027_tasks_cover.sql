-- The township's deadline index also holds each task's id, progress, state
-- and level, in that order after the deadline: a page by deadline (the
-- register's natural order, deadline then id) is read off it in order and
-- stops after its rows, and the count of a filter on the deadline, the
-- progress, the state (the lights) or the level is read from the index
-- alone, without a table row per task.
DROP INDEX tasks_township_deadline;
CREATE INDEX tasks_township_deadline ON tasks (township_id, deadline, id, progress, state, level);

-- task_versions counts the changes of each township's register, bumped by
-- triggers on every insert, update and delete of a task (migration 028):
-- a total of the register is kept only while its version stands.
CREATE TABLE task_versions (
    township_id @BIGINT PRIMARY KEY,
    version     @BIGINT NOT NULL
);
