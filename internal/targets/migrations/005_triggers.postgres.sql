-- A figure never changes once written: a correction is a new figure. Only
-- its township_id may move, when its unit moves to another township.
CREATE FUNCTION figures_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'figures are append-only: enter a correction as a new figure';
END;
$$ LANGUAGE plpgsql;
-- next
CREATE TRIGGER figures_no_change BEFORE UPDATE OF id, target_id, year, period, value, last_year_value, source, note, entered_by, entered_by_login, entered_at OR DELETE ON figures
FOR EACH ROW EXECUTE FUNCTION figures_append_only();
-- next
CREATE FUNCTION indicators_version_bump() RETURNS trigger AS $$
BEGIN
    UPDATE target_versions SET version = version + 1 WHERE township_id = 0;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
-- next
CREATE TRIGGER indicators_version AFTER INSERT OR UPDATE OR DELETE ON indicators
FOR EACH STATEMENT EXECUTE FUNCTION indicators_version_bump();
