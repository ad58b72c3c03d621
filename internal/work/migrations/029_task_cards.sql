-- Warning cards (黄牌 / 红牌) on tasks that are late: stored events with the
-- day they were raised and the moment they were taken down (摘牌), so a
-- township's record of cards is kept after the task is closed. A card is
-- raised against the deadline the task had then; an exemption for an
-- objective reason (客观原因免责) is a card taken down with the reason and
-- who recorded it, and keeps that deadline from carding again.
CREATE TABLE task_cards (
    id            @ID,
    task_id       @BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    township_id   @BIGINT NOT NULL REFERENCES units(id),
    color         TEXT NOT NULL CHECK (color IN ('yellow','red')),
    cause         TEXT NOT NULL CHECK (cause IN ('overdue','feedback','repeat')),
    deadline      TEXT NOT NULL,
    raised_on     TEXT NOT NULL,
    raised_at     @TIMESTAMP NOT NULL,
    cleared_at    @TIMESTAMP,
    cleared_why   TEXT NOT NULL DEFAULT '' CHECK (cleared_why IN ('','done','upgraded','exempt')),
    exempt_by     @BIGINT REFERENCES users(id),
    exempt_reason TEXT NOT NULL DEFAULT ''
);
-- One standing card per task at most.
CREATE UNIQUE INDEX task_cards_standing ON task_cards (task_id) WHERE cleared_at IS NULL;
CREATE INDEX task_cards_township ON task_cards (township_id, cleared_at);
CREATE INDEX task_cards_task ON task_cards (task_id, id);

-- How many days late a yellow card turns red, per township (default 7).
CREATE TABLE task_card_settings (
    township_id @BIGINT PRIMARY KEY REFERENCES units(id),
    red_after   INTEGER NOT NULL CHECK (red_after BETWEEN 1 AND 90),
    updated_at  @TIMESTAMP NOT NULL
);
