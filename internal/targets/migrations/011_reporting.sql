-- target_reporting holds each township's reporting day: the day of the
-- month by which last month's figures are due. After it, a target without
-- the last closed month's figure is 未报 (not reported), worked out when
-- read from its kept period and the day, never stored (it would go stale).
CREATE TABLE target_reporting (
    township_id   @BIGINT PRIMARY KEY REFERENCES units(id),
    reporting_day INTEGER NOT NULL DEFAULT 5 CHECK (reporting_day BETWEEN 1 AND 28),
    updated_at    @TIMESTAMP NOT NULL
);

-- report_reminders are the 催报 sent for late targets: at most one per
-- target and Beijing day, each asking for the period then due, addressed to
-- the accounts of the target's responsible person and its unit's reporters.
-- A reminder is shown to them until the figure it asks for is in.
CREATE TABLE report_reminders (
    id            @ID,
    township_id   @BIGINT NOT NULL REFERENCES units(id),
    target_id     @BIGINT NOT NULL REFERENCES targets(id),
    period        TEXT NOT NULL,
    day           TEXT NOT NULL,                 -- YYYY-MM-DD in Beijing
    sent_by       @BIGINT REFERENCES users(id),
    sent_by_name  TEXT NOT NULL DEFAULT '',
    sent_at       @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX report_reminders_day ON report_reminders (target_id, day);

CREATE TABLE report_reminder_recipients (
    reminder_id @BIGINT NOT NULL REFERENCES report_reminders(id),
    user_id     @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (reminder_id, user_id)
);
CREATE INDEX report_reminder_recipients_user ON report_reminder_recipients (user_id);
