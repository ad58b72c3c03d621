CREATE TRIGGER units_version_insert AFTER INSERT ON units
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
-- next
CREATE TRIGGER units_version_update AFTER UPDATE ON units
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
-- next
CREATE TRIGGER units_version_delete AFTER DELETE ON units
BEGIN
    UPDATE org_version SET version = version + 1 WHERE id = 1;
END;
