-- A figure entered for a period that has one already is a correction (更正),
-- and so is a cumulative figure below an earlier month's, entered to say the
-- earlier months were wrong: each keeps the reason (更正原因) given for it,
-- shown in the target's history. Figures of before have none ('').
ALTER TABLE figures ADD COLUMN reason TEXT NOT NULL DEFAULT '';
