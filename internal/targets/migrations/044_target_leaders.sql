-- The leader in charge (分管领导) of a target: a member of its township's
-- leadership team (三套班子), or none. A share of a decomposition takes its
-- parent's unless given another. The kept progress carries it beside the
-- target, so the lists filter by it and the boards rank the leaders by their
-- targets from one table. Rows kept before this migration are written again
-- by the targets room's Migrated hook, with no leader.
ALTER TABLE targets ADD COLUMN leader_id @BIGINT REFERENCES people(id);
ALTER TABLE target_progress ADD COLUMN leader_id @BIGINT;
-- A leader's list, in the tree's order (also across a whole city, which
-- has no township to narrow by).
CREATE INDEX target_progress_leader ON target_progress (leader_id, year, unit_rank, ind_rank, person_rank, target_id);
-- The boards' ranking of the leaders by their top-level targets, read from
-- the index alone: a district's is every township's own targets.
CREATE INDEX target_progress_leader_score ON target_progress (township_id, year, top, leader_id, light, indicator_id, gap);
