-- wecom_id is a person's WeCom (企业微信) user id: a WeCom group robot's
-- markdown message can @-mention a person only by it (<@userid>), not by
-- their mobile number as DingTalk and WeCom's text messages do.
ALTER TABLE people ADD COLUMN wecom_id TEXT NOT NULL DEFAULT '';
