-- A figure may be dated by day (调度数, "截至11月20日"): as_of is that day
-- within the figure's month, '' for the month's statistic (1–N月). A
-- month's statistic supersedes its 调度数; the kept progress says which it
-- counts (as_of), so a list reads "截至11月20日" and the schedule by days
-- elapsed, and keeps the latest statistic's month apart (stat_period): a
-- 调度数 of December does not report November's statistic (未报).
ALTER TABLE figures ADD COLUMN as_of TEXT NOT NULL DEFAULT '';
-- next
ALTER TABLE target_progress ADD COLUMN as_of TEXT NOT NULL DEFAULT '';
-- next
ALTER TABLE target_progress ADD COLUMN stat_period TEXT NOT NULL DEFAULT '';
-- next
UPDATE target_progress SET stat_period = period;
-- next
DROP INDEX target_progress_light;
-- next
CREATE INDEX target_progress_light ON target_progress (township_id, year, light, unit_rank, ind_rank, person_rank, target_id, period, stat_period, as_of);
