package targets

import (
	"context"
	"slices"

	"guatu/internal/platform/web"
)

// The targets list's campaign columns (攻坚任务, 攻坚以来完成, 尚需每周):
// shown, on the page and in its download, when a township of the list's
// rows has a campaign in the list's year. They are worked out for the rows
// read (CampaignRows), not kept, so they do not sort.

// campaignListColumns follow the list's own columns; the amounts keep the
// indicator's precision in the download, as the list's own do.
var campaignListColumns = []web.Column[RowView]{
	{Key: "target.campaign.col.task", Page: true, Value: func(r RowView) any {
		return r.fixed(campaignField(r, func(p *CampaignProgress) *float64 { return p.Task }))
	}},
	{Key: "target.campaign.col.done", Page: true, Value: func(r RowView) any {
		return r.fixed(campaignField(r, func(p *CampaignProgress) *float64 { return p.Done }))
	}},
	{Key: "target.campaign.col.completion", Format: "0.0%", Value: func(r RowView) any {
		return campaignField(r, func(p *CampaignProgress) *float64 { return p.Completion })
	}},
	{Key: "target.campaign.col.share_of_days", Format: "0.0%", Value: func(r RowView) any {
		return campaignField(r, func(p *CampaignProgress) *float64 { v := p.ShareOfDays; return &v })
	}},
	{Key: "target.campaign.col.pace", Page: true, Value: func(r RowView) any {
		return r.fixed(campaignField(r, func(p *CampaignProgress) *float64 { return p.PacePerWeek }))
	}},
}

// campaignField reads one figure of a row's campaign progress; nil without one.
func campaignField(r RowView, f func(*CampaignProgress) *float64) *float64 {
	if r.Campaign == nil {
		return nil
	}
	return f(r.Campaign)
}

// measureCampaign puts on each view its progress against its township's
// campaign of year and says whether any of their townships has one.
func (s *Store) measureCampaign(ctx context.Context, views []RowView, year int) (bool, error) {
	rows := make([]Row, len(views))
	for i, v := range views {
		rows[i] = v.Row
	}
	got, found, err := s.CampaignRows(ctx, rows, year)
	if err != nil {
		return false, err
	}
	for i := range views {
		views[i].Campaign = got[views[i].ID]
	}
	return found, nil
}

// listColumnsFor is the list's columns, the campaign's appended when found.
func listColumnsFor(found bool) []web.Column[RowView] {
	if !found {
		return listColumns
	}
	return append(slices.Clip(listColumns), campaignListColumns...)
}
