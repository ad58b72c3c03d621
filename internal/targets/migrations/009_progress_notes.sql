-- The notes that say how a target's numbers read, kept beside them in
-- target_progress: why the year-end forecast is the run-rate rather than
-- last year's seasonal shape ('' when it is the seasonal one). Rows kept
-- before this migration are evaluated again once it is applied (the targets
-- room's Migrated hook), so none keeps a forecast made by the older rule.
ALTER TABLE target_progress ADD COLUMN forecast_note TEXT NOT NULL DEFAULT '';
