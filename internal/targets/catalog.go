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
	in.Sort = sort
	return in
}

// EnsureCatalog adds every indicator of DefaultCatalog that is missing from
// the shared catalogue, by name; existing indicators are left as they are.
// It returns them by name. The shared catalogue is the system's to install,
// whoever ctx carries (the demo enters its figures as a statistician).
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
		saved, err := s.SaveIndicator(ctx, in)
		if err != nil {
			return nil, err
		}
		out[in.Name] = saved
	}
	return out, nil
}
