-- A person's or a team seat's change bumps the org tree's version too:
-- boards, lists and totals kept in memory against it name people (分管领导,
-- 责任人), and a renamed leader must show by the new name on every instance.
CREATE TRIGGER people_version AFTER INSERT OR UPDATE OR DELETE ON people
FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
-- next
CREATE TRIGGER team_members_version AFTER INSERT OR UPDATE OR DELETE ON team_members
FOR EACH STATEMENT EXECUTE FUNCTION org_version_bump();
