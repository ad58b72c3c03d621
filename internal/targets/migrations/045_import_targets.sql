-- What a committed import did to the year's targets (年度任务数 column):
-- how many it created and how many it changed, for its page after the
-- commit. Imports committed before count none.
ALTER TABLE imports ADD COLUMN targets_created INTEGER NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN targets_changed INTEGER NOT NULL DEFAULT 0;
