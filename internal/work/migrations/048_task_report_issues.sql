-- A progress report names, beside what was done, the problems met (存在问题)
-- and the support the unit needs (需协调解决事项): what a 督办 feedback form
-- asks, and what the office takes to the leader in charge.
ALTER TABLE task_reports ADD COLUMN problems TEXT NOT NULL DEFAULT '';
ALTER TABLE task_reports ADD COLUMN support TEXT NOT NULL DEFAULT '';
ALTER TABLE task_unit_reports ADD COLUMN problems TEXT NOT NULL DEFAULT '';
ALTER TABLE task_unit_reports ADD COLUMN support TEXT NOT NULL DEFAULT '';
