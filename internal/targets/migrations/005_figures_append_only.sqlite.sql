CREATE TRIGGER figures_no_update BEFORE UPDATE ON figures
BEGIN
    SELECT RAISE(ABORT, 'figures are append-only: enter a correction as a new figure');
END;
-- next
CREATE TRIGGER figures_no_delete BEFORE DELETE ON figures
BEGIN
    SELECT RAISE(ABORT, 'figures are append-only: enter a correction as a new figure');
END;
