package jobs

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
)

//go:embed templates/*.html
var templates embed.FS

// Room is the runner's page for administrators: the newest runs, so that
// why a digest went out, or did not, is read off the page.
func Room(d *db.DB) room.Room {
	h := &handlers{db: d}
	tpl, _ := fs.Sub(templates, "templates")
	return room.Room{
		Name:      "jobs",
		Templates: tpl,
		Routes:    h.routes,
		Fixtures:  fixtures,
		Messages:  []i18n.Catalog{Messages},
		Keys:      []string{"jobs."},
	}
}

type handlers struct {
	db    *db.DB
	pages *web.Renderer
	runs  *web.Page[RunsPage]
}

func (h *handlers) routes(rt *web.Router, pages *web.Renderer) {
	h.pages = pages
	h.runs = web.NewPage[RunsPage](pages, "jobs/runs")
	rt.Handle("GET /admin/jobs", h.runsPage)
}

// RunsPage is 后台任务: the newest runs of the background jobs.
type RunsPage struct {
	web.Base
	Runs []Run
}

// runsShown is how many runs the page lists.
const runsShown = 200

func (h *handlers) runsPage(w http.ResponseWriter, r *http.Request) error {
	// The runs are the whole instance's: its operators' page, for the
	// administrators of the top unit ("/1/"), not a township's.
	u, err := auth.Caller(r.Context())
	if err != nil {
		return err
	}
	if u.Role != auth.Admin || strings.Count(u.UnitPath, "/") > 2 {
		return platform.ErrForbidden
	}
	runs, err := Runs(r.Context(), h.db, runsShown)
	if err != nil {
		return err
	}
	return h.runs.Render(w, r, http.StatusOK, RunsPage{Base: h.pages.Base(r, "jobs.title"), Runs: runs})
}

func fixtures() []web.Fixture {
	at := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	done := at.Add(2 * time.Second)
	return []web.Fixture{{Page: "runs", Data: RunsPage{Runs: []Run{
		{Name: "task digest", Key: "2/2026-12-04", State: "done", Attempts: 1, NextAt: at, CreatedAt: at, FinishedAt: &done},
		{Name: "task digest", Key: "7/2026-12-04", State: "failed", Attempts: 2, NextAt: at.Add(2 * time.Minute), LastError: "robot down", CreatedAt: at},
	}}}}
}

// Messages are the runner page's texts.
var Messages = i18n.Catalog{
	"jobs.title":         {ZH: "后台任务", EN: "Background jobs"},
	"jobs.hint":          {ZH: "每项后台任务每次运行的记录：多个实例共用一个数据库时每次只运行一次；失败的每日任务按加倍的间隔重试。显示最近200条。", EN: "Each run of each background job: with several instances on one database each runs once; a failed daily run is retried with a doubling wait. The newest 200."},
	"jobs.none":          {ZH: "还没有运行记录", EN: "No runs yet"},
	"jobs.col.name":      {ZH: "任务", EN: "Job"},
	"jobs.col.key":       {ZH: "批次", EN: "Run"},
	"jobs.col.state":     {ZH: "状态", EN: "State"},
	"jobs.col.attempts":  {ZH: "尝试次数", EN: "Attempts"},
	"jobs.col.created":   {ZH: "开始", EN: "Started"},
	"jobs.col.finished":  {ZH: "结束", EN: "Finished"},
	"jobs.col.next":      {ZH: "下次重试", EN: "Next try"},
	"jobs.col.error":     {ZH: "错误", EN: "Error"},
	"jobs.state.queued":  {ZH: "排队中", EN: "queued"},
	"jobs.state.running": {ZH: "运行中", EN: "running"},
	"jobs.state.done":    {ZH: "完成", EN: "done"},
	"jobs.state.failed":  {ZH: "失败，待重试", EN: "failed, to retry"},
	"jobs.state.gave_up": {ZH: "已放弃", EN: "given up"},
}
