-- The leader in charge (分管领导) of a target: a member of its township's
-- leadership team (三套班子), or none. A share of a decomposition takes its
-- parent's unless given another. The kept progress carries it beside the
-- target, so the lists filter by it and the boards rank the leaders by their
-- targets from one table. Rows kept before this migration are written again
-- by the targets room's Migrated hook, with no leader.
ALTER TABLE targets ADD COLUMN leader_id @BIGINT REFERENCES people(id);
ALTER TABLE target_progress ADD COLUMN leader_id @BIGINT;
-- One index serves a leader's list and own targets within a township (or
-- the townships of a district) and the boards' ranking of the leaders by
-- their top-level targets, which it answers alone. It holds only the rows
-- that have a leader, and is the only index a leader adds to every write
-- of the kept progress: with a second, by leader first (for one leader's
-- list across a whole city), a figure's write was an eighth slower on
-- SQLite than without either.
CREATE INDEX target_progress_leader ON target_progress (township_id, year, top, leader_id, light, indicator_id, gap) WHERE leader_id IS NOT NULL;
