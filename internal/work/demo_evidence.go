package work

import (
	"bytes"
	"context"
	"fmt"

	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/files"
)

// demoFile is a file the demo sends with a move: a generated photo or PDF.
type demoFile struct {
	name string
	data func() []byte
}

func demoPhoto(name string) demoFile {
	return demoFile{name, func() []byte { return files.SamplePNG(480, 320) }}
}

func demoPDF(name, text string) demoFile {
	return demoFile{name, func() []byte { return files.SamplePDF(text) }}
}

// demoFiles are the files some demo tasks' reports (Report) and
// applications (Submit) carry, by title and move. They are sent only when
// the store has a file store, and only when the task is made, so loading
// the demo twice adds none.
var demoFiles = map[string]map[string][]demoFile{
	"双塘村道路提档升级":   {Report: {demoPhoto("路基施工现场.png")}},
	"双塘村拆迁清零":     {Report: {demoPhoto("入户协商现场.png")}},
	"冬季安全生产大检查":   {Report: {demoPDF("隐患整改台账.pdf", "Safety inspection: 32 firms, 17 hazards fixed")}},
	"振兴社区养老服务站建设": {Submit: {demoPhoto("养老服务站外景.png"), demoPDF("验收报告.pdf", "Elderly care station: acceptance report")}},
	"杨庄村征地补偿款发放":  {Submit: {demoPDF("补偿款发放清单.pdf", "Compensation paid: list of households")}},
	"小微企业消防隐患整改":  {Submit: {demoPhoto("整改后现场.png")}},
	"东湖村人居环境整治":   {Submit: {demoPhoto("垃圾点清理后.png")}},
	"现代农业示范园建设":   {Submit: {demoPDF("一期大棚验收单.pdf", "Greenhouses phase 1: acceptance")}},
	"乡贤回归招商线索梳理":  {Submit: {demoPDF("线索台账.pdf", "Leads register: 23 leads")}},
	"新华社区老旧小区改造":  {Report: {demoPhoto("屋面防水施工.png")}},
	"智能装备产业园二期供地": {Report: {demoPDF("土地报批材料清单.pdf", "Land approval: documents filed")}},
	"电动自行车充电设施建设": {Report: {demoPhoto("充电棚.png")}},
	"农村饮水安全巩固提升":  {Submit: {demoPDF("管网改造竣工资料.pdf", "Water mains: completion file")}},
	"社区卫生服务站标准化":  {Submit: {demoPhoto("卫生服务站.png")}},
	"重点企业税源排查":    {Report: {demoPDF("企业税源排查表.pdf", "Tax sources: 46 firms checked")}},
	"东湖村安置房交付":    {Report: {demoPhoto("安置房主体完工.png")}},
	"燃气安全专项整治":    {Report: {demoPhoto("餐饮场所燃气检查.png")}},
}

// demoUploads are the files of a demo task's move, none without a file
// store.
func (s *Store) demoUploads(title, move string) []files.Upload {
	if s.Files == nil {
		return nil
	}
	var out []files.Upload
	for _, f := range demoFiles[title][move] {
		b := f.data()
		out = append(out, files.Upload{Name: f.name, Size: int64(len(b)), Body: bytes.NewReader(b)})
	}
	return out
}

// demoUnitReport is a co-unit's own report on a demo task.
type demoUnitReport struct {
	unit    string
	percent int
	body    string
}

// demoUnitReports are some co-units' parts, so the demo shows one keeping
// up and one lagging behind its lead unit.
var demoUnitReports = map[string][]demoUnitReport{
	"冬季安全生产大检查":  {{"东湖村", 40, "东湖村企业已检查9家，整改隐患5处"}, {"双塘村", 10, "已排查企业2家"}},
	"公共厕所新改建":    {{"双塘村", 80, "村内2座已完成选址和基础"}},
	"东湖村安置房交付":   {{"拆迁办", 75, "回迁户签约已完成"}},
	"新华社区老旧小区改造": {{"财政所", 30, "补助资金已拨付三成"}},
}

// demoUnitReport records the demo's co-unit reports of a task just made,
// as the co-unit's account or, without one, the system acting for it.
func (s *Store) demoUnitReports(ctx context.Context, town DemoTown, t Task, title string) error {
	for _, r := range demoUnitReports[title] {
		u := town.Accounts[r.unit]
		if u == nil {
			sys := auth.System()
			sys.Role, sys.UnitID = auth.Reporter, town.Units[r.unit]
			tree, err := org.ReadTree(ctx, s.DB)
			if err != nil {
				return err
			}
			if un, ok := tree.Unit(sys.UnitID); ok {
				sys.UnitPath = un.Path
			}
			u = sys
		}
		if _, _, err := s.Report(auth.WithUser(ctx, u), t.ID, 0, ReportInput{Percent: r.percent, Body: r.body}); err != nil {
			return fmt.Errorf("%s's report: %w", r.unit, err)
		}
	}
	return nil
}
