-- target_reporting holds each township's reporting day: the day of the
-- month by which last month's figures are due. After it, a target without
-- the last closed month's figure is 未报 (not reported), worked out when
-- read from its kept period and the day, never stored (it would go stale).
CREATE TABLE target_reporting (
    township_id   @BIGINT PRIMARY KEY REFERENCES units(id),
    reporting_day INTEGER NOT NULL DEFAULT 5 CHECK (reporting_day BETWEEN 1 AND 28),
    updated_at    @TIMESTAMP NOT NULL
);
