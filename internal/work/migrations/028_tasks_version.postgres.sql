-- Every change of a task bumps its township's register version, and a move
-- to another township bumps both: what a kept total of the register is
-- checked against (work/counts.go). A trigger, so that no writer, today's or
-- a later room's, can forget it.
CREATE FUNCTION tasks_version_bump() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        INSERT INTO task_versions (township_id, version) VALUES (OLD.township_id, 1)
            ON CONFLICT (township_id) DO UPDATE SET version = task_versions.version + 1;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.township_id <> OLD.township_id) THEN
        INSERT INTO task_versions (township_id, version) VALUES (NEW.township_id, 1)
            ON CONFLICT (township_id) DO UPDATE SET version = task_versions.version + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- next
CREATE TRIGGER tasks_version AFTER INSERT OR UPDATE OR DELETE ON tasks
FOR EACH ROW EXECUTE FUNCTION tasks_version_bump();
