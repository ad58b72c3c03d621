-- A figure may be dated by day (调度数, "截至11月20日"): as_of is that day
-- within the figure's month, '' for the month's statistic (1–N月). A
-- month's statistic supersedes its 调度数. The kept progress keeps the day
-- a row counts in as_of, and in period the month its statistics reach: a
-- 调度数 of December does not report November's statistic (未报), nor move
-- the "数据截至" month, and the indexes that read period stay as they are.
ALTER TABLE figures ADD COLUMN as_of TEXT NOT NULL DEFAULT '';
-- next
ALTER TABLE target_progress ADD COLUMN as_of TEXT NOT NULL DEFAULT '';
