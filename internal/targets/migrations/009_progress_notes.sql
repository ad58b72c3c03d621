-- The notes that say how a target's numbers read, kept beside them in
-- target_progress: why the year-end forecast is the run-rate rather than
-- last year's seasonal shape ('' when it is the seasonal one), and whether
-- a target is met (完成, completion of 100%), now apart from over-achieved
-- (超额, beyond 100%); for a ceiling its remaining allowance (剩余额度,
-- ceiling − actual), that allowance per remaining month, and why it reads
-- as it does (over_schedule, passed, forecast; '' when within). Rows kept
-- before this migration are evaluated again once it is applied (the targets
-- room's Migrated hook), so none keeps a forecast made by the older rule.
ALTER TABLE target_progress ADD COLUMN forecast_note TEXT NOT NULL DEFAULT '';
ALTER TABLE target_progress ADD COLUMN met @BOOL NOT NULL DEFAULT FALSE;
ALTER TABLE target_progress ADD COLUMN allowance @REAL;
ALTER TABLE target_progress ADD COLUMN allowance_pace @REAL;
ALTER TABLE target_progress ADD COLUMN ceiling_note TEXT NOT NULL DEFAULT '';
