// Package board is the campaign board, guatu's home page: the countdown, the
// township's indicators with their lights against the schedule, the units
// most behind and the viewer's own targets; for a district, the league of its
// townships above the board of the one chosen. It reads the rooms below it.
package board

import (
	"embed"
	"io/fs"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/room"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
	"guatu/internal/work"
)

var (
	//go:embed templates/*.html
	templates embed.FS
	//go:embed static
	static embed.FS
)

func subFS(f embed.FS, dir string) fs.FS { s, _ := fs.Sub(f, dir); return s }

// Room is the board: the home page, reading the targets and org rooms. Its
// script draws the charts (the CSP forbids inline scripts; the page carries
// the data in a JSON block) and its style sheet lays it out for the wall and
// for printing on A3/A4 landscape.
func Room(tg *targets.Store, o *org.Store, ws *work.Store) room.Room {
	h := &Handlers{Targets: tg, Org: o, Work: ws}
	return room.Room{
		Name:      "board",
		Templates: subFS(templates, "templates"),
		Static:    subFS(static, "static"),
		Messages:  []i18n.Catalog{Messages, lateMessages, printMessages, emptyMessages, numbersMessages, a11yMessages, campaignMessages, ruleMessages, leaderMessages},
		Keys:      []string{"board."},
		Nav:       []web.NavItem{{Key: "nav.board", Href: "/", Order: 10}},
		Routes:    h.Routes,
		Fixtures:  fixtures,
	}
}

// Handlers serves the board.
type Handlers struct {
	Targets *targets.Store
	Org     *org.Store
	Work    *work.Store // the supervised tasks' counts
	Pages   *web.Renderer
	board   *web.Page[Page]
	kept    cache
}

// Routes registers the board.
func (h *Handlers) Routes(rt *web.Router, pages *web.Renderer) {
	h.Pages, h.board = pages, web.NewPage[Page](pages, "board/board")
	rt.Handle("GET /{$}", h.home)
}

// laggingShown is how many of the units most behind the board lists.
const laggingShown = 5

func (h *Handlers) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	sc, err := h.Org.Scope(ctx)
	if err != nil {
		return err
	}
	u := sc.User
	today := clock.Today(h.Targets.Now())
	year := today.Year()
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil && y >= 2000 && y <= 2100 {
		year = y
	}
	view := chooseView(u, sc.Townships(), queryID(r, "unit"))
	p := Page{Base: h.Pages.Base(r, "nav.board"), Today: today, Year: year}

	// The shared part (the board of the unit shown, and for a district its
	// league) is kept until its data changes; the viewer's own targets and
	// the campaign are read for every request, while the shared part is
	// made or found.
	var (
		wg               sync.WaitGroup
		mine, led        []targets.Row
		ledTotal         int
		campaigns        []org.Campaign
		merr, lerr, cerr error
	)
	wg.Add(2)
	go func() { defer wg.Done(); mine, merr = h.Targets.Mine(ctx, view.Show, year) }()
	if u.Role == auth.Leader && u.PersonID != nil {
		// A leader's own targets, as the leader in charge: the board's first part.
		wg.Add(1)
		go func() { defer wg.Done(); led, ledTotal, lerr = h.Targets.Led(ctx, view.Show, year, ledShown) }()
	}
	go func() {
		defer wg.Done()
		if view.Township == 0 {
			return
		}
		// Only the township's own: a city has hundreds.
		rows, _, err := h.Org.FindCampaigns(ctx, org.CampaignFilter{TownshipID: &view.Township})
		for _, c := range rows {
			campaigns = append(campaigns, c.Campaign)
		}
		cerr = err
	}()
	shared, err := h.shared(ctx, view.Show, year, p.Base)
	var league *District
	if err == nil && view.District {
		league, err = h.league(ctx, u.UnitID, year, p.Base, view.Townships)
	}
	wg.Wait()
	for _, e := range []error{err, merr, lerr, cerr} {
		if e != nil {
			return e
		}
	}
	shared.put(&p)
	if p.Reminders, err = h.Targets.MyReminders(ctx); err != nil {
		return err
	}
	if p.Pending, err = h.Targets.PendingCount(ctx); err != nil {
		return err
	}
	if h.Work != nil {
		if p.Tasks, err = h.Work.Tiles(ctx, view.Show); err != nil {
			return err
		}
		for _, t := range p.Tasks {
			p.TasksShown = p.TasksShown || t.Count > 0
		}
	}
	p.Heading = p.UnitName
	for _, r := range mine {
		p.Mine = append(p.Mine, newLine(r, p.T))
	}
	for _, r := range led {
		p.Led = append(p.Led, newLine(r, p.T))
	}
	if len(p.Led) > 0 {
		p.LedTotal = ledTotal
		p.LedURL = targets.LeaderURL(view.Show, *u.PersonID, year, "")
		p.LedAllURL = ledURL(view.Show, *u.PersonID, year)
	}
	if league != nil {
		p.District = league.choose(view.Show, p.T)
	}
	p.Empty = empty(p)
	yearEnd := time.Date(today.Year(), 12, 31, 0, 0, 0, 0, clock.Beijing)
	p.YearEndDays = org.Campaign{End: yearEnd}.DaysLeft(today)
	p.YearEnd = true
	if c := pickCampaign(campaigns, view.Township, today); c != nil {
		p.Campaign = c
		p.Countdown = countdown(c.Start, c.End, today)
		p.YearEnd = p.Countdown.Phase != Running || p.Countdown.Left != p.YearEndDays
		if !p.Empty {
			if p.CampaignPart, err = h.campaignPart(ctx, shared, year, *c, p.Base); err != nil {
				return err
			}
		}
	}
	return h.board.Render(w, r, http.StatusOK, p)
}

// View says whose board a viewer sees.
type View struct {
	// District is true for a viewer above several townships: the page shows
	// their league and a choice among them.
	District  bool
	Townships []org.Unit // the townships to choose from (District only)
	Show      int64      // the unit whose board is shown
	Township  int64      // the township of Show, for its campaign; 0 if none
}

// chooseView picks the board for a viewer: a district viewer sees the
// township asked for (?unit=) or else the first; anyone in a township sees
// that township's board, or their own unit's when the township is beyond
// their scope (a village reporter reads only their village's targets).
func chooseView(u *auth.User, townships []org.Unit, asked int64) View {
	var below []org.Unit
	var own *org.Unit
	for i, t := range townships {
		switch {
		case t.Path != u.UnitPath && strings.HasPrefix(t.Path, u.UnitPath):
			below = append(below, t)
		case strings.HasPrefix(u.UnitPath, t.Path):
			own = &townships[i]
		}
	}
	v := View{Show: u.UnitID}
	switch {
	case len(below) > 0:
		v.District, v.Townships = true, below
		v.Show, v.Township = below[0].ID, below[0].ID
		for _, t := range below {
			if t.ID == asked {
				v.Show, v.Township = t.ID, t.ID
			}
		}
	case own != nil:
		v.Township = own.ID
		if u.InScope(own.Path) {
			v.Show = own.ID
		}
	}
	return v
}

// pickCampaign returns the township's campaign running today, else its most
// recent one (campaigns come newest first), else nil.
func pickCampaign(cs []org.Campaign, townshipID int64, today time.Time) *org.Campaign {
	var latest *org.Campaign
	for i, c := range cs {
		if c.TownshipID != townshipID {
			continue
		}
		if !today.Before(c.Start) && !today.After(c.End) {
			return &cs[i]
		}
		if latest == nil {
			latest = &cs[i]
		}
	}
	return latest
}

// queryID reads an optional id; a malformed one is ignored and the board
// falls back to the viewer's own township.
func queryID(r *http.Request, name string) int64 {
	id, _ := web.QueryID(r.URL.Query(), name)
	return id
}

// empty reports whether a board has nothing to count: no target of the unit,
// of its units below or of the viewer, none late and no reminder waiting.
func empty(p Page) bool {
	return len(p.Lines) == 0 && len(p.Lagging) == 0 && len(p.Mine) == 0 && len(p.Led) == 0 && p.Late == 0 && len(p.Reminders) == 0
}
