-- A person's or a team seat's change bumps the org tree's version too:
-- boards, lists and totals kept in memory against it name people (分管领导,
-- 责任人), and a renamed leader must show by the new name on every instance.
CREATE TRIGGER people_version_insert AFTER INSERT ON people
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
-- next
CREATE TRIGGER people_version_update AFTER UPDATE ON people
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
-- next
CREATE TRIGGER people_version_delete AFTER DELETE ON people
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
-- next
CREATE TRIGGER team_members_version_insert AFTER INSERT ON team_members
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
-- next
CREATE TRIGGER team_members_version_update AFTER UPDATE ON team_members
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
-- next
CREATE TRIGGER team_members_version_delete AFTER DELETE ON team_members
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
