-- A task's claim deadline (签收时限) and reporting rhythm (报送频次): once
-- (the final deadline only), weekly, every N weeks or monthly, counted from
-- the assignment day, with the next report's day kept on the row so that
-- 反馈超期 — a periodic report missed — is a read of the row, like 逾期.
-- Dates are Beijing calendar days as YYYY-MM-DD text; '' is none.
ALTER TABLE tasks ADD COLUMN claim_by TEXT NOT NULL DEFAULT '';
-- next
ALTER TABLE tasks ADD COLUMN rhythm TEXT NOT NULL DEFAULT 'once' CHECK (rhythm IN ('once','weekly','weeks','monthly'));
-- next
ALTER TABLE tasks ADD COLUMN rhythm_weeks INTEGER NOT NULL DEFAULT 0;
-- next
ALTER TABLE tasks ADD COLUMN next_report TEXT NOT NULL DEFAULT '';
-- next
CREATE INDEX tasks_township_next_report ON tasks (township_id, next_report) WHERE next_report <> '';
