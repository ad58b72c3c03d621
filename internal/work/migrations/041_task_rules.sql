-- task_card_settings becomes each township's supervision rules (督办规则):
-- besides the days late before a red card, the days before a deadline a
-- task turns 临期, and the Beijing time of the daily digest to each
-- responsible person (digest_at empty: no digest).
ALTER TABLE task_card_settings ADD COLUMN due_window INTEGER NOT NULL DEFAULT 3 CHECK (due_window BETWEEN 0 AND 30);
ALTER TABLE task_card_settings ADD COLUMN digest_at TEXT NOT NULL DEFAULT '08:00';

-- task_digests records each township's daily digest once it is sent: the
-- row is written in the digest's own transaction, so a digest run again
-- for a day (a second instance, a run taken over after a crash) finds it
-- and sends nothing.
CREATE TABLE task_digests (
    township_id @BIGINT NOT NULL REFERENCES units(id),
    day         TEXT NOT NULL,
    people      INTEGER NOT NULL,
    inbox       INTEGER NOT NULL,
    robots      INTEGER NOT NULL,
    sent_at     @TIMESTAMP NOT NULL,
    PRIMARY KEY (township_id, day)
);
