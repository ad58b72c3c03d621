-- An import keeps the sheet as it was read at upload (its rows and problems,
-- as JSON), not the file: the preview and the commit check those rows
-- against the database as it is then, and nothing parses the file again.
-- Pending imports of before have no sheet to show and are dropped; those
-- committed keep their record.
DELETE FROM imports WHERE committed_at IS NULL;
ALTER TABLE imports DROP COLUMN data;
ALTER TABLE imports ADD COLUMN sheet TEXT NOT NULL DEFAULT '';
-- The cleanup's reading: pending imports by age.
CREATE INDEX imports_pending ON imports (created_at) WHERE committed_at IS NULL;
