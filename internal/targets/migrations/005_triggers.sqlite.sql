-- A figure never changes once written: a correction is a new figure. Only
-- its township_id may move, when its unit moves to another township.
CREATE TRIGGER figures_no_update BEFORE UPDATE OF id, target_id, year, period, value, last_year_value, source, note, entered_by, entered_by_login, entered_at ON figures
BEGIN
    SELECT RAISE(ABORT, 'figures are append-only: enter a correction as a new figure');
END;
-- next
CREATE TRIGGER figures_no_delete BEFORE DELETE ON figures
BEGIN
    SELECT RAISE(ABORT, 'figures are append-only: enter a correction as a new figure');
END;
-- next
CREATE TRIGGER indicators_version_insert AFTER INSERT ON indicators
BEGIN
    UPDATE target_versions SET version = version + 1 WHERE township_id = 0;
END;
-- next
CREATE TRIGGER indicators_version_update AFTER UPDATE ON indicators
BEGIN
    UPDATE target_versions SET version = version + 1 WHERE township_id = 0;
END;
-- next
CREATE TRIGGER indicators_version_delete AFTER DELETE ON indicators
BEGIN
    UPDATE target_versions SET version = version + 1 WHERE township_id = 0;
END;
