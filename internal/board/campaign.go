package board

import (
	"context"
	"html"
	"html/template"
	"strconv"
	"strings"

	"guatu/internal/org"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
)

// CampaignPart is the campaign's own progress beside its countdown: the
// township's own targets measured on the campaign's clock (攻坚任务,
// 攻坚以来完成, 尚需每周) rather than the year's 序时进度.
type CampaignPart struct {
	ShareOfDays float64 // the share of the campaign's days gone
	StartMonth  int     // N of the 1–N月 figure the campaign starts from
	Measured    int     // targets with a known campaign task
	OnPace      int     // of them, those keeping up with the campaign's clock
	Unknown     int     // targets with a campaign task but no figure to start from
	Table       template.HTML
}

// campaignPart returns the campaign part of a unit's board for campaign c,
// kept like the board itself, and also moved on by any change to the
// campaign's dates; nil when none of the unit's own targets has a campaign
// task (a campaign of another year, or only ceilings and rates).
func (h *Handlers) campaignPart(ctx context.Context, s *sharedBoard, year int, c org.Campaign, b web.Base) (*CampaignPart, error) {
	key := keptKey{unit: s.UnitID, year: year, lang: b.Lang, part: "campaign"}
	version := s.version + "." + strconv.FormatInt(c.ID, 10) + "." + c.Start.Format(clock.DateFormat) + "." + c.End.Format(clock.DateFormat)
	if e, ok := h.kept.get(key, version); ok {
		return e.campaign, nil
	}
	got, err := h.Targets.CampaignOf(ctx, s.rows, c)
	if err != nil {
		return nil, err
	}
	part := newCampaignPart(s.rows, got, b.T)
	h.kept.put(key, keptEntry{version: version, campaign: part})
	return part, nil
}

// newCampaignPart counts and writes the campaign part from the rows'
// campaign progress (by target id); nil when no row has one.
func newCampaignPart(rows []targets.Row, got map[int64]*targets.CampaignProgress, t func(string, ...any) string) *CampaignPart {
	var part *CampaignPart
	var b strings.Builder
	esc := html.EscapeString
	td := func(class, text string) {
		b.WriteString(`<td class="`)
		b.WriteString(class)
		b.WriteString(`">`)
		b.WriteString(esc(text))
		b.WriteString(`</td>`)
	}
	for _, r := range rows {
		p := got[r.ID]
		if p == nil {
			continue
		}
		if part == nil {
			part = &CampaignPart{ShareOfDays: p.ShareOfDays, StartMonth: p.StartMonth}
		}
		status, class := t("board.campaign.no_start"), "muted"
		switch {
		case p.Task == nil:
			part.Unknown++
		case p.Met:
			part.Measured++
			part.OnPace++
			status, class = t("board.campaign.met"), "tag tag-green"
		case p.OnPace():
			part.Measured++
			part.OnPace++
			status, class = t("board.campaign.on_pace"), "tag tag-green"
		default:
			part.Measured++
			status, class = t("board.campaign.behind"), "tag tag-red"
		}
		b.WriteString(`<tr data-testid="campaign-row" data-target="`)
		b.WriteString(strconv.FormatInt(r.ID, 10))
		b.WriteString(`"><td class="name"><a href="/targets/`)
		b.WriteString(strconv.FormatInt(r.ID, 10))
		b.WriteString(`">`)
		b.WriteString(esc(r.Indicator.Name))
		b.WriteString(`</a> <span class="measure">`)
		b.WriteString(esc(r.Indicator.MeasureUnit))
		b.WriteString(`</span></td>`)
		d := r.Indicator.Decimals()
		td("num", web.FormatFixed(r.Value, d))
		td("num", web.FormatFixed(p.StartFigure, d))
		td("num", web.FormatFixed(p.Task, d))
		td("num strong", web.FormatFixed(p.Done, d))
		td("num", web.FormatPercent(p.Completion))
		td("num", web.FormatFixed(p.PacePerWeek, d))
		b.WriteString(`<td><span class="`)
		b.WriteString(class)
		b.WriteString(`">`)
		b.WriteString(esc(status))
		b.WriteString("</span></td></tr>\n")
	}
	if part != nil {
		part.Table = template.HTML(b.String())
	}
	return part
}
