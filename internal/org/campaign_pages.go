package org

import (
	"context"
	"net/http"
	"time"

	"guatu/internal/platform"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/web"
	"guatu/internal/platform/xlsx"
)

// campaignRoutes registers the campaign pages: the list, the new and edit
// forms, and the download.
func (h *Handlers) campaignRoutes(rt *web.Router) {
	rt.Handle("GET /campaigns", h.campaigns)
	rt.Handle("GET /campaigns.xlsx", h.exportCampaigns)
	rt.Handle("GET /campaigns/new", h.newCampaign)
	rt.Handle("POST /campaigns", h.createCampaign)
	rt.Handle("GET /campaigns/{id}", h.campaign)
	rt.Handle("POST /campaigns/{id}", h.updateCampaign)
}

// campaignsList is the campaigns of the townships the caller may read,
// filtered by township and year.
var campaignsList = &web.ListSpec{
	Path: "/campaigns",
	Filters: []web.ListFilter{
		{Name: "township", Kind: web.FilterID},
		{Name: "year", Kind: web.FilterInt, Min: 2000, Max: 2100},
	},
	Sorts: CampaignSorts,
}

// campaignListColumns are the campaigns list's columns, on the page and in
// the export; a campaign's state is told as of today.
func campaignListColumns(b web.Base, today time.Time) []web.Column[CampaignRow] {
	return []web.Column[CampaignRow]{
		{Key: "org.export.id", Value: func(c CampaignRow) any { return c.ID }},
		{Key: "org.campaign.name", Sort: "name", Page: true, Value: func(c CampaignRow) any { return c.Name }},
		{Key: "org.campaign.township", Sort: "township", Page: true, Value: func(c CampaignRow) any { return c.TownshipName }},
		{Key: "org.campaign.start", Sort: "start", Page: true, Value: func(c CampaignRow) any { return c.Start }},
		{Key: "org.campaign.end", Sort: "end", Page: true, Value: func(c CampaignRow) any { return c.End }},
		{Key: "org.campaign.status", Page: true, Value: func(c CampaignRow) any { return b.T("org.campaign.state." + campaignState(c, today)) }},
		{Key: "org.campaign.goals", Value: func(c CampaignRow) any { return c.Goals }},
	}
}

// campaignFilter reads the campaigns list's filters.
func campaignFilter(l *web.List) CampaignFilter {
	f := CampaignFilter{Page: l}
	if id := l.ID("township"); id != 0 {
		f.TownshipID = &id
	}
	if l.Get("year") != "" {
		y := l.Int("year", 0)
		f.Year = &y
	}
	return f
}

// CampaignsPage lists the campaigns (攻坚行动) of the townships the caller
// may read, with a link to add one for those who may.
type CampaignsPage struct {
	web.Base
	List      *web.List
	Heads     []web.SortHead
	Campaigns []CampaignRow
	Townships []Unit // the township filter's choices
	Today     time.Time
}

// State is a campaign's state today: upcoming, running or over.
func (p CampaignsPage) State(c CampaignRow) string { return campaignState(c, p.Today) }

func campaignState(c CampaignRow, day time.Time) string {
	switch {
	case day.Before(c.Start):
		return "upcoming"
	case day.After(c.End):
		return "over"
	}
	return "running"
}

func (h *Handlers) today() time.Time { return clock.Today(h.Store.now()) }

func (h *Handlers) campaigns(w http.ResponseWriter, r *http.Request) error {
	l, err := campaignsList.Parse(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	p := CampaignsPage{Base: h.Pages.Base(r, "nav.campaigns"), List: l, Today: h.today()}
	if p.Campaigns, _, err = h.Store.FindCampaigns(ctx, campaignFilter(l)); err != nil {
		return err
	}
	if p.Townships, err = h.Store.Townships(ctx); err != nil {
		return err
	}
	p.Heads = web.Heads(l, p.Base, campaignListColumns(p.Base, p.Today))
	return h.views.campaigns.Render(w, r, http.StatusOK, p)
}

// campaignsExportMax bounds the campaigns download.
const campaignsExportMax = 10000

// exportCampaigns downloads the campaigns list with its filters and sort.
func (h *Handlers) exportCampaigns(w http.ResponseWriter, r *http.Request) error {
	l, err := campaignsList.Parse(r)
	if err != nil {
		return err
	}
	f := campaignFilter(l)
	f.Page = l.All(campaignsExportMax)
	rows, _, err := h.Store.FindCampaigns(r.Context(), f)
	if err != nil {
		return err
	}
	b := h.Pages.Base(r, "nav.campaigns")
	return xlsx.ServeList(w, b, "campaigns.xlsx", b.T("org.export.campaigns_title"), b.T("nav.campaigns"), campaignListColumns(b, h.today()), rows)
}

// CampaignPage is one campaign's form: empty to add one (Campaign nil),
// filled to edit one, or read-only for those who may only read it.
type CampaignPage struct {
	web.Base
	Campaign  *CampaignRow
	Townships []Unit // where a new campaign may go: the townships in scope
	CanEdit   bool
	MaxGoals  int
	Form      web.FormView // values start as the campaign's
}

func (h *Handlers) newCampaign(w http.ResponseWriter, r *http.Request) error {
	return h.renderNewCampaign(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderNewCampaign(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	p := CampaignPage{Base: h.Pages.Base(r, "org.campaign.add"), CanEdit: true, MaxGoals: MaxGoals, Form: fv}
	if !p.User.Can(auth.ManageCampaigns) {
		return platform.ErrForbidden
	}
	townships, err := h.Store.Townships(r.Context())
	if err != nil {
		return err
	}
	for _, t := range townships {
		if p.User.InScope(t.Path) {
			p.Townships = append(p.Townships, t)
		}
	}
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{}
		if id, err := web.QueryID(r.URL.Query(), "township"); err == nil && id != 0 {
			p.Form.Values["township_id"] = idString(id)
		}
	}
	return h.views.campaign.Render(w, r, status, p)
}

func campaignInput(f *web.Form) CampaignInput {
	return CampaignInput{
		Name:  f.String("name", true, MaxCampaignName),
		Start: f.String("start", true, 10),
		End:   f.String("end", true, 10),
		Goals: f.String("goals", false, MaxGoals),
	}
}

func (h *Handlers) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var in CampaignInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) {
			in = campaignInput(f)
			in.TownshipID = f.Int64("township_id", true)
		},
		Do: func(ctx context.Context) (string, error) {
			c, err := h.Store.AddCampaign(ctx, in)
			return "/campaigns/" + idString(c.ID), err
		},
		Again: func(status int, fv web.FormView) error { return h.renderNewCampaign(w, r, status, fv) },
	})
}

func (h *Handlers) campaign(w http.ResponseWriter, r *http.Request) error {
	return h.renderCampaign(w, r, http.StatusOK, web.FormView{})
}

func (h *Handlers) renderCampaign(w http.ResponseWriter, r *http.Request, status int, fv web.FormView) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	c, err := h.Store.Campaign(r.Context(), id) // refuses one the caller may not read
	if err != nil {
		return err
	}
	p := CampaignPage{Base: h.Pages.Base(r, "nav.campaigns"), Campaign: &c, MaxGoals: MaxGoals, Form: fv}
	p.Heading = c.Name
	p.CanEdit = p.User.InScope(c.townshipPath) && p.User.Can(auth.ManageCampaigns)
	if p.Form.Values == nil {
		p.Form.Values = map[string]string{"name": c.Name, "start": c.Start.Format(clock.DateFormat), "end": c.End.Format(clock.DateFormat), "goals": c.Goals}
	}
	return h.views.campaign.Render(w, r, status, p)
}

func (h *Handlers) updateCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	var in CampaignInput
	return web.Submit(w, r, h.Pages, web.Submission{
		Read: func(f *web.Form) { in = campaignInput(f) },
		Do: func(ctx context.Context) (string, error) {
			return "/campaigns/" + idString(id), h.Store.UpdateCampaign(ctx, id, in)
		},
		Again: func(status int, fv web.FormView) error { return h.renderCampaign(w, r, status, fv) },
	})
}
