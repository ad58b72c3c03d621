CREATE FUNCTION figures_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'figures are append-only: enter a correction as a new figure';
END;
$$ LANGUAGE plpgsql;
-- next
CREATE TRIGGER figures_no_change BEFORE UPDATE OR DELETE ON figures
FOR EACH ROW EXECUTE FUNCTION figures_append_only();
