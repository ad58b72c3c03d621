-- Notifications (platform/notify): every account's in-app inbox, the
-- group robots of each unit (DingTalk, WeCom), the outbox every outbound
-- message waits in until the sender job delivers it, and the log of each
-- delivery attempt.

-- inbox holds each account's messages; the header counts the unread ones
-- with one indexed COUNT (inbox_unread holds only unread rows).
CREATE TABLE inbox (
    id           @ID,
    recipient_id @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body         TEXT NOT NULL DEFAULT '',
    link         TEXT NOT NULL DEFAULT '',
    created_at   @TIMESTAMP NOT NULL,
    read_at      @TIMESTAMP
);
CREATE INDEX inbox_recipient ON inbox (recipient_id, id);
CREATE INDEX inbox_unread ON inbox (recipient_id) WHERE read_at IS NULL;

-- webhooks are the group robots of a unit. url and secret are credentials
-- (a WeCom key is in the url): never logged, never shown back in full.
CREATE TABLE webhooks (
    id              @ID,
    unit_id         @BIGINT NOT NULL REFERENCES units(id),
    kind            TEXT NOT NULL CHECK (kind IN ('dingtalk','wecom')),
    name            TEXT NOT NULL DEFAULT '',
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL DEFAULT '',
    keyword         TEXT NOT NULL DEFAULT '',
    disabled        @BOOL NOT NULL DEFAULT FALSE,
    throttled_until @TIMESTAMP,
    created_at      @TIMESTAMP NOT NULL,
    updated_at      @TIMESTAMP NOT NULL
);
CREATE INDEX webhooks_unit ON webhooks (unit_id);

-- outbox is every outbound message, unique by its idempotency key (item,
-- recipient, channel, day): a retry, a restart or a second instance that
-- enqueues it again writes nothing. A sender claims due rows (claimed_by,
-- claimed_until) before it delivers them, so two senders never send one.
CREATE TABLE outbox (
    id            @ID,
    item          TEXT NOT NULL,
    recipient     TEXT NOT NULL,
    channel       TEXT NOT NULL,
    day           TEXT NOT NULL,
    webhook_id    @BIGINT REFERENCES webhooks(id),
    title         TEXT NOT NULL,
    body          TEXT NOT NULL DEFAULT '',
    link          TEXT NOT NULL DEFAULT '',
    mobiles       TEXT NOT NULL DEFAULT '',
    state         TEXT NOT NULL CHECK (state IN ('pending','sent','failed')),
    attempts      INTEGER NOT NULL DEFAULT 0,
    next_at       @TIMESTAMP NOT NULL,
    claimed_by    TEXT NOT NULL DEFAULT '',
    claimed_until @TIMESTAMP,
    created_at    @TIMESTAMP NOT NULL,
    sent_at       @TIMESTAMP,
    UNIQUE (item, recipient, channel, day)
);
CREATE INDEX outbox_due ON outbox (state, next_at);

-- deliveries logs every attempt: sent, refused (with the platform's error
-- code), throttled, retried, given up. One row per message and attempt;
-- the messages merged into one post share its attempt.
CREATE TABLE deliveries (
    id         @ID,
    webhook_id @BIGINT NOT NULL REFERENCES webhooks(id),
    outbox_id  @BIGINT NOT NULL REFERENCES outbox(id),
    attempt    TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('sent','refused','throttled','retry','gave_up')),
    errcode    INTEGER NOT NULL DEFAULT 0,
    detail     TEXT NOT NULL DEFAULT '',
    at         @TIMESTAMP NOT NULL
);
CREATE INDEX deliveries_webhook_at ON deliveries (webhook_id, at);
CREATE INDEX deliveries_at ON deliveries (at, id);
