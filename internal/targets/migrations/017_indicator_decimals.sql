-- decimals is an indicator's own display precision where the township wants
-- another than its measurement unit gives (万元 with one decimal for a small
-- village's 村集体经营性收入); NULL shows the unit's. Values keep full
-- precision either way: this is only how pages and downloads show them.
ALTER TABLE indicators ADD COLUMN decimals INTEGER CHECK (decimals BETWEEN 0 AND 4);
