package targets

import (
	"context"
	"net/http"
	"strings"

	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

// saveReportingDay sets the township's reporting day from the settings page.
func (h *Handlers) saveReportingDay(w http.ResponseWriter, r *http.Request) error {
	_, tw, err := h.township(r)
	if err != nil {
		return err
	}
	var day int64
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { day = f.Int64("reporting_day", true) },
		Do: func(ctx context.Context) (string, error) {
			return "/settings/targets?township=" + itoa64(tw.ID), h.Store.SetReportingDay(ctx, tw.ID, int(day))
		},
		Again: func(status int, fv web.FormView) error { return h.renderSettings(w, r, status, fv) },
	})
}

// lateMessages are the texts of late reports (未报) and report reminders (催报).
var lateMessages = i18n.Catalog{
	"target.late.tag":              {ZH: "未报", EN: "Not reported"},
	"target.late.due":              {ZH: "应报%s，尚未报送", EN: "%s is due and missing"},
	"target.late.note":             {ZH: "应报%s，尚未报送：按%s月序时进度衡量。", EN: "%s is due and missing: measured against the schedule of %s."},
	"target.late.rule":             {ZH: "每月%d日为报送日：过了这一天仍缺上月（按季报送的指标：上一季末月）数据的目标为“未报”。", EN: "Figures are due on day %d of each month: after it, a target without last month's figure (quarterly indicators: the last quarter's) is not reported."},
	"target.late.day":              {ZH: "报送日", EN: "Reporting day"},
	"target.late.day_hint":         {ZH: "每月几日前报上月数据（1–28）", EN: "day of the month last month's figures are due by (1–28)"},
	"target.remind":                {ZH: "催报", EN: "Remind"},
	"target.remind.all":            {ZH: "一键催报（%d项）", EN: "Remind all (%d)"},
	"target.remind.sent":           {ZH: "已催报：提醒已发给责任人和报数员", EN: "Reminder sent to the responsible people and reporters"},
	"target.remind.title":          {ZH: "催报记录", EN: "Reminders"},
	"target.remind.entry":          {ZH: "%s %s 催报%s，发给%d人", EN: "%s: %s asked for %s, to %d people"},
	"target.remind.once":           {ZH: "每个目标每天催报一次", EN: "One reminder per target a day"},
	"target.remind.mine":           {ZH: "催报提醒", EN: "Report reminders"},
	"target.remind.mine_entry":     {ZH: "%s 催报：请报送%s", EN: "%s asks for %s"},
	"target.err.bad_reporting_day": {ZH: "报送日应为1到%d之间的整数", EN: "The reporting day must be a whole number from 1 to %d"},
}

// remind sends a 催报 for one late target, from its page or its row.
func (h *Handlers) remind(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	return web.Submit(w, r, h.Pages, web.Submission{
		Do: func(ctx context.Context) (string, error) {
			_, err := h.Store.Remind(ctx, []int64{id})
			return "/targets/" + itoa64(id), err
		},
		Again: func(status int, fv web.FormView) error {
			return h.renderTarget(w, r, status, web.FormView{}, web.FormView{})
		},
		Flash: "target.remind.sent",
	})
}

// remindAll sends a 催报 for every late target of the list's filter (the
// query of the list it was sent from).
func (h *Handlers) remindAll(w http.ResponseWriter, r *http.Request) error {
	l, err := targetsList.Parse(r)
	if err != nil {
		return err
	}
	f := filterOf(l, h.year(l))
	f.Late, f.Light = true, nil
	return web.Submit(w, r, h.Pages, web.Submission{
		Do: func(ctx context.Context) (string, error) {
			rows, err := h.Store.Targets(ctx, f, db.All(exportMax))
			if err != nil {
				return "", err
			}
			ids := make([]int64, len(rows))
			for i, row := range rows {
				ids[i] = row.ID
			}
			_, err = h.Store.Remind(ctx, ids)
			return l.URL("late", "1"), err
		},
		Again: func(status int, fv web.FormView) error { return h.targets(w, r) },
		Flash: "target.remind.sent",
	})
}

// RemindURL is where the list's 催报 button posts: the late targets of
// the list's filter.
func (p TargetsPage) RemindURL() string {
	return strings.Replace(p.List.URL("late", "1"), "/targets?", "/targets/remind?", 1)
}

// Label is the period asked for, "1-11月".
func (r Reminder) Label(b web.Base) string { return monthsLabel(b, r.Month()) }

func (h *Handlers) saveReviewing(w http.ResponseWriter, r *http.Request) error {
	_, tw, err := h.township(r)
	if err != nil {
		return err
	}
	var on bool
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { on = f.String("review", false, 10) == "on" },
		Do: func(ctx context.Context) (string, error) {
			return "/settings/targets?township=" + itoa64(tw.ID), h.Store.SetReviewing(ctx, tw.ID, on)
		},
		Again: func(status int, fv web.FormView) error { return h.renderSettings(w, r, status, fv) },
	})
}
