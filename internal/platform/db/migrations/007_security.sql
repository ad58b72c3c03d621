-- Sign-in hardening (等保2.0 level 3): forced and expiring passwords, the
-- last sign-in shown to its owner, and the addresses an account has signed
-- in from (a lock-out can be lifted from one of them).

-- must_change: an administrator set the password (a new account, a reset),
-- so its owner must choose their own before doing anything else.
ALTER TABLE users ADD COLUMN must_change @BOOL NOT NULL DEFAULT FALSE;
-- password_changed_at starts the password's expiry; NULL never expires (the
-- demo's and the benchmarks' seeded accounts).
ALTER TABLE users ADD COLUMN password_changed_at @TIMESTAMP;
UPDATE users SET password_changed_at = updated_at;
-- failed_since counts every refused sign-in since the last good one (shown
-- to the owner at the next); failed_logins stays the lock-out's count.
ALTER TABLE users ADD COLUMN failed_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN last_login_addr TEXT NOT NULL DEFAULT '';
-- prev_*: the sign-in before the current one, and the refusals between.
ALTER TABLE users ADD COLUMN prev_login_at @TIMESTAMP;
ALTER TABLE users ADD COLUMN prev_login_addr TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN prev_failed INTEGER NOT NULL DEFAULT 0;

CREATE TABLE login_addrs (
    user_id @BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    addr    TEXT NOT NULL,
    last_at @TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, addr)
);

CREATE INDEX api_tokens_user ON api_tokens (user_id);
