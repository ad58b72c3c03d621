package targets

import (
	"context"
	"database/sql"
	"errors"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
)

// DefaultCatalog is the indicator catalogue a township starts with: the
// indicators the seed speech names, and a few more a statistics station
// tracks every month.
var DefaultCatalog = []Indicator{
	{Name: "地区生产总值", MeasureUnit: "亿元", Category: "经济运行", Cadence: Quarterly},
	{Name: "固定资产投资", MeasureUnit: "亿元", Category: "项目投资"},
	{Name: "工业投资", MeasureUnit: "亿元", Category: "项目投资"},
	{Name: "实际到账外资", MeasureUnit: "万美元", Category: "招商引资"},
	{Name: "招商引资到位资金", MeasureUnit: "亿元", Category: "招商引资"},
	{Name: "一般公共预算收入", MeasureUnit: "万元", Category: "财税"},
	{Name: "入库税收", MeasureUnit: "万元", Category: "财税"},
	{Name: "全部应税销售", MeasureUnit: "亿元", Category: "经济运行"},
	{Name: "规上工业总产值", MeasureUnit: "亿元", Category: "经济运行"},
	{Name: "外贸出口", MeasureUnit: "万美元", Category: "开放型经济"},
	{Name: "社会消费品零售总额", MeasureUnit: "亿元", Category: "经济运行"},
	{Name: "新增四上企业", MeasureUnit: "个", Category: "市场主体"},
	{Name: "新发展市场主体", MeasureUnit: "户", Category: "市场主体"},
	{Name: "个体私营企业净增加", MeasureUnit: "户", Category: "市场主体", NonNegative: false},
	{Name: "规上企业数", MeasureUnit: "个", Category: "市场主体", Measure: MeasurePoint, Additive: false},
	{Name: "城镇新增就业", MeasureUnit: "人", Category: "民生"},
	{Name: "安全生产事故起数", MeasureUnit: "起", Category: "安全稳定", Direction: Lower},
	// What a township's 主要经济指标完成情况表 commonly carries besides.
	{Name: "规模以上工业增加值", MeasureUnit: "亿元", Category: "经济运行"},
	{Name: "高新技术产业产值", MeasureUnit: "亿元", Category: "经济运行", Sort: 95}, // under 规上工业总产值
	{Name: "工业用电量", MeasureUnit: "万千瓦时", Category: "经济运行"},
	{Name: "建筑业总产值", MeasureUnit: "亿元", Category: "经济运行"},
	{Name: "服务业营业收入", MeasureUnit: "亿元", Category: "经济运行"},
	{Name: "限上社会消费品零售额", MeasureUnit: "亿元", Category: "经济运行"},
	{Name: "农林牧渔业总产值", MeasureUnit: "亿元", Category: "经济运行", Cadence: Quarterly},
	{Name: "房地产开发投资", MeasureUnit: "亿元", Category: "项目投资", Sort: 35}, // under 工业投资, beside its sibling
	{Name: "税收收入", MeasureUnit: "万元", Category: "财税"},
	{Name: "进出口总额", MeasureUnit: "万美元", Category: "开放型经济"},
	{Name: "实际使用外资", MeasureUnit: "万美元", Category: "招商引资"},
	{Name: "研发经费投入", MeasureUnit: "万元", Category: "科技创新", Cadence: Quarterly},
	{Name: "新增高新技术企业", MeasureUnit: "个", Category: "科技创新"},
	// A per-head income does not add up over units.
	{Name: "城镇居民人均可支配收入", MeasureUnit: "元", Category: "民生", Cadence: Quarterly, Measure: MeasureCumulative, Additive: false},
	{Name: "农村居民人均可支配收入", MeasureUnit: "元", Category: "民生", Cadence: Quarterly, Measure: MeasureCumulative, Additive: false},
	{Name: "综合能耗", MeasureUnit: "吨标准煤", Category: "生态环境", Direction: Lower},
}

// defaultParents are the default catalogue's sub-items (其中), by name: the
// sub-item's parent.
var defaultParents = map[string]string{
	"工业投资":     "固定资产投资",
	"房地产开发投资":  "固定资产投资",
	"高新技术产业产值": "规上工业总产值",
}

// defaultAliases are the other names the sheets of the district's
// departments give the default catalogue's indicators. Migration 012 gives
// them to the indicators an install already had; keep the two in step.
var defaultAliases = map[string][]string{
	"一般公共预算收入":   {"公共财政预算收入", "地方一般公共预算收入"},
	"实际到账外资":     {"外资实际到账"},
	"规上工业总产值":    {"规模以上工业总产值"},
	"规模以上工业增加值":  {"规上工业增加值"},
	"新发展市场主体":    {"新增市场主体"},
	"社会消费品零售总额":  {"社零总额"},
	"全部应税销售":     {"应税销售"},
	"地区生产总值":     {"GDP"},
	"城镇新增就业":     {"新增就业"},
	"限上社会消费品零售额": {"限额以上社会消费品零售额"},
}

// catalogDefaults fills the zero values that mean "the usual" in DefaultCatalog.
func catalogDefaults(in Indicator, sort int) Indicator {
	if in.Measure == "" {
		in.Measure = MeasureCumulative
		in.Additive = true
	}
	if in.Direction == "" {
		in.Direction = Higher
	}
	if in.Cadence == "" {
		in.Cadence = Monthly
	}
	if in.Name != "个体私营企业净增加" {
		in.NonNegative = true
	}
	if in.Sort == 0 {
		in.Sort = sort // by place in the list; a sub-item sorts beside its parent
	}
	return in
}

// EnsureCatalog adds every indicator of DefaultCatalog that is missing from
// the shared catalogue, by name, with its default parent and aliases;
// existing indicators are left as they are. It returns them by name. The
// shared catalogue is the system's to install, whoever ctx carries (the demo
// enters its figures as a statistician).
func (s *Store) EnsureCatalog(ctx context.Context) (map[string]Indicator, error) {
	ctx = auth.WithUser(ctx, auth.System())
	out := map[string]Indicator{}
	for i, in := range DefaultCatalog {
		in = catalogDefaults(in, (i+1)*10)
		existing, err := scanIndicator(s.DB.QueryRowContext(ctx, `SELECT `+indicatorColumns+` FROM indicators WHERE name = $1 AND township_id IS NULL`, in.Name))
		switch {
		case err == nil:
			out[in.Name] = existing
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return nil, platform.Internalf("catalog: %w", err)
		}
		if p, ok := defaultParents[in.Name]; ok {
			if parent, ok := out[p]; ok && parent.ParentID == nil {
				in.ParentID = &parent.ID
			}
		}
		saved, err := s.SaveIndicator(ctx, in)
		if err != nil {
			return nil, err
		}
		if as := defaultAliases[in.Name]; len(as) > 0 {
			if err := s.SetAliases(ctx, saved.ID, as); err != nil {
				return nil, err
			}
		}
		out[in.Name] = saved
	}
	return out, nil
}

// UpgradeCatalog gives an installed system (one with a shared catalogue) the
// indicators added to DefaultCatalog since it was installed; a system not
// yet installed is left to its installation. It runs at every start and
// migrate, after the migrations.
func (s *Store) UpgradeCatalog(ctx context.Context) error {
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM indicators WHERE township_id IS NULL`).Scan(&n); err != nil {
		return platform.Internalf("catalog: %w", err)
	}
	if n == 0 {
		return nil
	}
	_, err := s.EnsureCatalog(ctx)
	return err
}
