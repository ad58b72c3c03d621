-- Sub-items (其中) and aliases of the indicator catalogue.
--
-- parent_id makes an indicator a sub-item of another (工业投资 of 固定资产投资),
-- one level deep: a statistics sheet lists it as "其中：工业投资" under its
-- parent's row, and a sub-item's value cannot exceed its parent's.
ALTER TABLE indicators ADD COLUMN parent_id @BIGINT REFERENCES indicators(id);
CREATE INDEX indicators_parent ON indicators (parent_id);

-- indicator_aliases are the other names a sheet gives an indicator
-- (公共财政预算收入 for 一般公共预算收入): NULL township_id for the shared
-- catalogue's, kept by district administrators, else a township's own. An
-- alias is kept compact (half-width, without spaces), the form the import
-- compares names in, so one alias names one indicator per township.
CREATE TABLE indicator_aliases (
    id           @ID,
    indicator_id @BIGINT NOT NULL REFERENCES indicators(id),
    township_id  @BIGINT REFERENCES units(id),
    alias        TEXT NOT NULL,
    created_at   @TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX indicator_aliases_alias ON indicator_aliases (COALESCE(township_id, 0), alias);
CREATE INDEX indicator_aliases_indicator ON indicator_aliases (indicator_id);

-- An installed catalogue gets the default sub-item and aliases of the
-- indicators it already has; the indicators new to the default catalogue
-- come with theirs when EnsureCatalog adds them at the next start.
UPDATE indicators SET parent_id = (SELECT p.id FROM indicators p WHERE p.name = '固定资产投资' AND p.township_id IS NULL)
WHERE name = '工业投资' AND township_id IS NULL AND parent_id IS NULL;
INSERT INTO indicator_aliases (indicator_id, township_id, alias, created_at)
SELECT i.id, NULL, a.alias, CURRENT_TIMESTAMP
FROM indicators i JOIN (
    SELECT '一般公共预算收入' AS name, '公共财政预算收入' AS alias
    UNION ALL SELECT '一般公共预算收入', '地方一般公共预算收入'
    UNION ALL SELECT '实际到账外资', '外资实际到账'
    UNION ALL SELECT '规上工业总产值', '规模以上工业总产值'
    UNION ALL SELECT '新发展市场主体', '新增市场主体'
    UNION ALL SELECT '社会消费品零售总额', '社零总额'
    UNION ALL SELECT '全部应税销售', '应税销售'
    UNION ALL SELECT '地区生产总值', 'GDP'
    UNION ALL SELECT '城镇新增就业', '新增就业'
) a ON a.name = i.name
WHERE i.township_id IS NULL;
