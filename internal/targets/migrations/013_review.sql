-- Review (审核): a township may ask that figures entered by its reporters
-- wait for its statistician's (or an administrator's) approval before they
-- count. A figure is then pending; approved it counts like any other,
-- returned it never does and keeps the reason; replaced, it was entered
-- again before anyone decided. Every figure of before, and every figure
-- entered while review is off, is approved.
ALTER TABLE figures ADD COLUMN status TEXT NOT NULL DEFAULT 'approved' CHECK (status IN ('approved','pending','returned','replaced'));
ALTER TABLE figures ADD COLUMN reviewed_by_login TEXT NOT NULL DEFAULT '';
ALTER TABLE figures ADD COLUMN reviewed_at @TIMESTAMP;
ALTER TABLE figures ADD COLUMN review_reason TEXT NOT NULL DEFAULT '';  -- 退回原因
-- The review queue and the late rule read the pending figures alone.
CREATE INDEX figures_pending ON figures (township_id, target_id, period, id) WHERE status = 'pending';

-- target_review holds whether a township reviews its reporters' figures;
-- a township without a row does not.
CREATE TABLE target_review (
    township_id @BIGINT PRIMARY KEY REFERENCES units(id),
    enabled     @BOOL NOT NULL DEFAULT FALSE,
    updated_at  @TIMESTAMP NOT NULL
);
