-- Every change of a task bumps its township's register version, and a move
-- to another township bumps both: what a kept total of the register is
-- checked against (work/counts.go). A trigger, so that no writer, today's or
-- a later room's, can forget it.
CREATE TRIGGER tasks_version_insert AFTER INSERT ON tasks
BEGIN
    INSERT INTO task_versions (township_id, version) VALUES (NEW.township_id, 1)
        ON CONFLICT (township_id) DO UPDATE SET version = version + 1;
END;
-- next
CREATE TRIGGER tasks_version_update AFTER UPDATE ON tasks
BEGIN
    INSERT INTO task_versions (township_id, version) VALUES (OLD.township_id, 1)
        ON CONFLICT (township_id) DO UPDATE SET version = version + 1;
    INSERT INTO task_versions (township_id, version) SELECT NEW.township_id, 1 WHERE NEW.township_id <> OLD.township_id
        ON CONFLICT (township_id) DO UPDATE SET version = version + 1;
END;
-- next
CREATE TRIGGER tasks_version_delete AFTER DELETE ON tasks
BEGIN
    INSERT INTO task_versions (township_id, version) VALUES (OLD.township_id, 1)
        ON CONFLICT (township_id) DO UPDATE SET version = version + 1;
END;
