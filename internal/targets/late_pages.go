package targets

import (
	"context"
	"net/http"

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
	"target.late.note":             {ZH: "应报%s，尚未报送：按%d月序时进度衡量。", EN: "%s is due and missing: measured against the schedule of month %d."},
	"target.late.rule":             {ZH: "每月%d日为报送日：过了这一天仍缺上月（按季报送的指标：上一季末月）数据的目标为“未报”。", EN: "Figures are due on day %d of each month: after it, a target without last month's figure (quarterly indicators: the last quarter's) is not reported."},
	"target.late.day":              {ZH: "报送日", EN: "Reporting day"},
	"target.late.day_hint":         {ZH: "每月几日前报上月数据（1–28）", EN: "day of the month last month's figures are due by (1–28)"},
	"target.err.bad_reporting_day": {ZH: "报送日应为1到%d之间的整数", EN: "The reporting day must be a whole number from 1 to %d"},
}
