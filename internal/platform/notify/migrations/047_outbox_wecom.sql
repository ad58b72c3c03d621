-- wecom_ids are the WeCom user ids a message @-mentions, comma-separated
-- like mobiles: a WeCom robot's markdown names people only by them.
ALTER TABLE outbox ADD COLUMN wecom_ids TEXT NOT NULL DEFAULT '';
