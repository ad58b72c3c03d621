package work

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
)

// demoItem is one of the demo township's ten livelihood projects: target 0
// for one without a number, actual < 0 for none recorded, tasks the demo
// tasks that carry it out.
type demoItem struct {
	number         int
	title, content string
	target         float64
	measure        string
	actual         float64
	lead           string
	tasks          []string
}

// demoItems are XX镇's 十件民生实事 of the year, the kind a township
// publishes each spring: jobs, care for the old, school, clinics, roads,
// water, culture, housing, sanitation and services.
var demoItems = []demoItem{
	{1, "新增城镇就业岗位", "开发公益性岗位，举办专场招聘会，帮扶就业困难人员再就业", 500, "个", 462, "经发办（招商办）", nil},
	{2, "居家养老服务站建设", "新建（改建）社区居家养老服务站，提供助餐、日间照料服务", 3, "个", 2, "社会治理局", []string{"振兴社区养老服务站建设"}},
	{3, "中心小学食堂改造", "改造中心小学食堂及明厨亮灶设施，惠及师生1200余人", 0, "", -1, "党政办", []string{"中心小学食堂改造"}},
	{4, "社区卫生服务站标准化建设", "按标准化要求改造社区卫生服务站，配齐基本诊疗设备", 2, "个", 2, "社会治理局", []string{"社区卫生服务站标准化"}},
	{5, "农村道路提档升级", "实施双塘村等农村道路提档升级，新改建农村公路", 12, "公里", 7.5, "社会治理局", []string{"双塘村道路提档升级"}},
	{6, "农村饮水安全巩固提升", "改造东湖村、杨庄村供水管网，巩固农村饮水安全", 3200, "户", 3200, "社会治理局", []string{"农村饮水安全巩固提升"}},
	{7, "送戏下乡和公益电影放映", "开展送戏下乡、农村公益电影放映进村（社区）", 120, "场", 108, "党政办", nil},
	{8, "老旧小区改造", "改造新华社区老旧小区屋面、管网和停车设施", 680, "户", 420, "新华社区", []string{"新华社区老旧小区改造"}},
	{9, "公共厕所新改建", "新建、改建农村公共厕所，落实长效管护", 10, "座", 8, "社会治理局", []string{"公共厕所新改建"}},
	{10, "村级便民服务中心提升", "提升柳河村等村级便民服务中心，推行“一窗通办”", 4, "个", 0, "党政办", []string{"村级便民服务中心提升"}},
}

// demoEvaluations are the office's scores of some of the demo's closed
// tasks; the others wait for theirs.
var demoEvaluations = []struct {
	title   string
	quality Quality
	comment string
}{
	{"农村饮水安全巩固提升", Excellent, "管网改造提前完成，群众满意度高"},
	{"社区卫生服务站标准化", Good, "通过验收，资料归档完整"},
	{"招商项目在谈库更新", Fair, "逾期办结，台账更新不及时"},
	{"重点项目推进表月报", Good, "按时报送，数据准确"},
}

// loadLivelihoodDemo makes sure the township has this year's ten items,
// entered and their figures recorded by the office, and returns the item
// each demo task serves, by the task's title. An item the year has by its
// number already is left as it is.
func (s *Store) loadLivelihoodDemo(ctx context.Context, town DemoTown, now time.Time) (map[string]int64, error) {
	office := auth.WithUser(ctx, town.Office)
	year := clock.Today(now).Year()
	out := map[string]int64{}
	for _, di := range demoItems {
		var id int64
		err := s.DB.QueryRowContext(ctx, `SELECT id FROM livelihood_items WHERE township_id = $1 AND year = $2 AND number = $3`,
			town.ID, year, di.number).Scan(&id)
		if errors.Is(err, sql.ErrNoRows) {
			in := ItemInput{Year: year, Number: di.number, Title: di.title, Content: di.content, Measure: di.measure, LeadUnitID: town.Units[di.lead]}
			if di.target > 0 {
				t := di.target
				in.Target = &t
			}
			it, err := s.CreateItem(office, in)
			if err != nil {
				return nil, fmt.Errorf("demo livelihood %s: %w", di.title, err)
			}
			if di.actual >= 0 && in.Target != nil {
				a := di.actual
				if _, err := s.SetActual(office, it.ID, it.Version, &a); err != nil {
					return nil, fmt.Errorf("demo livelihood %s: %w", di.title, err)
				}
			}
			id = it.ID
		} else if err != nil {
			return nil, platform.Internalf("demo livelihood %s: %w", di.title, err)
		}
		for _, t := range di.tasks {
			out[t] = id
		}
	}
	return out, nil
}

// evaluateDemo scores the demo's closed tasks that demoEvaluations names
// and have no score yet.
func (s *Store) evaluateDemo(ctx context.Context, town DemoTown) error {
	office := auth.WithUser(ctx, town.Office)
	for _, de := range demoEvaluations {
		var id int64
		var scored int
		err := s.DB.QueryRowContext(ctx, `SELECT t.id, (SELECT COUNT(*) FROM task_evaluations e WHERE e.task_id = t.id)
			FROM tasks t WHERE t.township_id = $1 AND t.title = $2 AND t.state = $3`, town.ID, de.title, string(Closed)).Scan(&id, &scored)
		if errors.Is(err, sql.ErrNoRows) || scored > 0 {
			continue
		}
		if err != nil {
			return platform.Internalf("demo evaluation %s: %w", de.title, err)
		}
		if _, err := s.Evaluate(office, id, de.quality, de.comment); err != nil {
			return fmt.Errorf("demo evaluation %s: %w", de.title, err)
		}
	}
	return nil
}
