// Package board is the campaign board, guatu's home page: the countdown, the
// township's indicators with their lights against the schedule, the units
// most behind and the viewer's own targets. It reads the rooms below it.
package board

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
	"guatu/internal/target"
)

//go:embed templates/*.html
var templates embed.FS

// Templates returns the room's page templates.
func Templates() fs.FS { s, _ := fs.Sub(templates, "templates"); return s }

// Handlers serves the board.
type Handlers struct {
	Targets *target.Store
	Org     *org.Store
	Pages   *web.Renderer
	Clock   clock.Clock
}

// Messages is the room's catalogue.
var Messages = i18n.Catalog{
	"home.campaign_days": {ZH: "距“%s”结束还有", EN: "Days left in “%s”"},
	"home.year_end_days": {ZH: "距年底还有", EN: "Days to year end"},
	"home.days":          {ZH: "天", EN: "days"},
	"home.no_campaign":   {ZH: "尚未设置攻坚行动。", EN: "No campaign has been set up."},
	"home.units":         {ZH: "组织单位", EN: "Units"},
	"home.today":         {ZH: "今天", EN: "Today"},
}

// Routes registers the board.
func (h *Handlers) Routes(rt *web.Router) {
	rt.Handle("GET /{$}", h.home)
}

// Page is the board.
type Page struct {
	web.Base
	Campaign     *org.Campaign
	CampaignDays int
	YearEndDays  int
	Today        time.Time
	Units        int
}

func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error {
	today := clock.Today(h.Clock.Now())
	p := Page{Base: h.Pages.Base(r, "nav.board"), Today: today}
	yearEnd := time.Date(today.Year(), 12, 31, 0, 0, 0, 0, clock.Beijing)
	p.YearEndDays = org.Campaign{End: yearEnd}.DaysLeft(today)
	if c, err := h.Org.CampaignFor(r.Context(), today); err == nil {
		p.Campaign = &c
		p.CampaignDays = c.DaysLeft(today)
	} else if platform.ErrorCode(err) != platform.NotFound {
		return err
	}
	units, err := h.Org.Units(r.Context())
	if err != nil {
		return err
	}
	p.Units = len(units)
	return h.Pages.Render(w, r, http.StatusOK, "board/board", p)
}
