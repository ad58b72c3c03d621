package targets

import (
	"context"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// CampaignRows measures rows against their townships' campaigns of year
// (see Campaign): a row whose township has no campaign that year, or whose
// target has no campaign task, is absent from the map. found says whether
// any of the rows' townships has a campaign that year, for a list to show
// the campaign's columns at all. The figures the campaigns start from are
// read in one query per 500 rows; the latest figure is the row's kept one.
func (s *Store) CampaignRows(ctx context.Context, rows []Row, year int) (out map[int64]*CampaignProgress, found bool, err error) {
	if len(rows) == 0 {
		return map[int64]*CampaignProgress{}, false, nil
	}
	cs, _, err := s.org().FindCampaigns(ctx, org.CampaignFilter{Year: &year})
	if err != nil {
		return nil, false, err
	}
	today := clock.Today(s.now())
	byTownship := map[int64]org.Campaign{}
	for _, c := range cs {
		byTownship[c.TownshipID] = ofYear(byTownship[c.TownshipID], c.Campaign, today)
	}
	for _, r := range rows {
		if _, ok := byTownship[r.TownshipID]; ok {
			found = true
			break
		}
	}
	out, err = s.measure(ctx, rows, today, func(r Row) (org.Campaign, bool) { c, ok := byTownship[r.TownshipID]; return c, ok })
	return out, found, err
}

// CampaignOf measures rows against one campaign, as CampaignRows does: the
// board's, which counts down the campaign it shows.
func (s *Store) CampaignOf(ctx context.Context, rows []Row, c org.Campaign) (map[int64]*CampaignProgress, error) {
	return s.measure(ctx, rows, clock.Today(s.now()), func(Row) (org.Campaign, bool) { return c, true })
}

// measure measures each row with a campaign task against the campaign
// campaignOf gives it.
func (s *Store) measure(ctx context.Context, rows []Row, today time.Time, campaignOf func(Row) (org.Campaign, bool)) (map[int64]*CampaignProgress, error) {
	out := map[int64]*CampaignProgress{}
	var measured []Row
	for _, r := range rows {
		if c, ok := campaignOf(r); ok && hasCampaignTask(r) && c.Start.In(clock.Beijing).Year() == r.Year {
			measured = append(measured, r)
		}
	}
	starts, err := s.campaignStarts(ctx, measured, func(r Row) int { c, _ := campaignOf(r); return CampaignStartMonth(c.Start) })
	if err != nil {
		return nil, err
	}
	for _, r := range measured {
		c, _ := campaignOf(r)
		if p := Campaign(campaignInput(r, c, today, starts[r.ID])); p != nil {
			out[r.ID] = p
		}
	}
	return out, nil
}

// ofYear picks between two campaigns of one township's year the one a list
// measures by: the one running today, else the latest that has started,
// else the first to come. A zero have is no campaign yet.
func ofYear(have, c org.Campaign, today time.Time) org.Campaign {
	if have.ID == 0 {
		return c
	}
	running := func(x org.Campaign) bool { return !today.Before(x.Start) && !today.After(x.End) }
	started := func(x org.Campaign) bool { return !today.Before(x.Start) }
	switch {
	case running(have) != running(c):
		if running(c) {
			return c
		}
		return have
	case started(have) != started(c):
		if started(c) {
			return c
		}
		return have
	case started(c):
		if c.Start.After(have.Start) {
			return c
		}
		return have
	case c.Start.Before(have.Start):
		return c
	}
	return have
}

// hasCampaignTask says whether a row can carry a campaign task at all: a
// cumulative, higher-is-better value target (Campaign says no to others).
func hasCampaignTask(r Row) bool {
	return r.Kind == KindValue && r.Indicator.Measure != MeasurePoint && r.Indicator.Direction != Lower
}

// campaignInput is the rule's input for a row: the figure the campaign
// starts from (nil when unknown) and the row's latest, kept figure.
func campaignInput(r Row, c org.Campaign, today time.Time, start *float64) CampaignInput {
	in := CampaignInput{Start: c.Start, End: c.End, Today: today, Year: r.Year,
		Measure: r.Indicator.Measure, Kind: r.Kind, Direction: r.Indicator.Direction, Target: r.Value}
	if m := CampaignStartMonth(c.Start); m > 0 {
		in.Figures[m-1] = start
	}
	if m := periodMonth(r.Period); m > 0 && r.Actual != nil {
		in.Figures[m-1] = r.Actual
	}
	return in
}

// campaignStarts reads, for each row, its figure for the month its
// campaign starts from (month gives it; 0 needs none): its own current
// figure, or for a row that rolls its children up, the sum of theirs. A
// row without one is absent.
func (s *Store) campaignStarts(ctx context.Context, rows []Row, month func(Row) int) (map[int64]*float64, error) {
	out := map[int64]*float64{}
	type key struct {
		target int64
		period string
	}
	want := map[int64]string{} // row → the period of its start
	for _, chunk := range rowChunks(rows, 500) {
		var own, parents []int64
		periods := map[string]bool{}
		for _, r := range chunk {
			m := month(r)
			if m < 1 {
				continue
			}
			p := Period(r.Year, m)
			want[r.ID], periods[p] = p, true
			if r.RolledUp {
				parents = append(parents, r.ID)
			} else {
				own = append(own, r.ID)
			}
		}
		if len(periods) == 0 {
			continue
		}
		var args []any
		marks := func(n int) string { return strings.TrimSuffix(strings.Repeat("?, ", n), ", ") }
		var or []string
		if len(own) > 0 {
			or = append(or, "t.id IN ("+marks(len(own))+")")
			for _, id := range own {
				args = append(args, id)
			}
		}
		if len(parents) > 0 {
			or = append(or, "t.parent_id IN ("+marks(len(parents))+")")
			for _, id := range parents {
				args = append(args, id)
			}
		}
		for p := range periods {
			args = append(args, p)
		}
		var w db.Where
		w.Add("("+strings.Join(or, " OR ")+") AND f.period IN ("+marks(len(periods))+")", args...)
		q, err := s.DB.QueryContext(ctx, `SELECT f.id, t.id, t.parent_id, f.period, f.value
			FROM figures f JOIN targets t ON t.id = f.target_id`+w.SQL(), w.Args...)
		if err != nil {
			return nil, platform.Internalf("campaign starts: %w", err)
		}
		// The current figure of each target and period: the latest entry.
		type entry struct {
			id     int64
			parent *int64
			value  float64
		}
		cur := map[key]entry{}
		for q.Next() {
			var e entry
			var target int64
			var period string
			var parent *int64
			if err := q.Scan(&e.id, &target, &parent, &period, &e.value); err != nil {
				q.Close()
				return nil, platform.Internalf("campaign starts: %w", err)
			}
			e.parent = parent
			k := key{target, period}
			if have, ok := cur[k]; !ok || have.id < e.id {
				cur[k] = e
			}
		}
		q.Close()
		if err := q.Err(); err != nil {
			return nil, platform.Internalf("campaign starts: %w", err)
		}
		isParent := make(map[int64]bool, len(parents))
		for _, id := range parents {
			isParent[id] = true
		}
		for k, e := range cur {
			if p, ok := want[k.target]; ok && p == k.period && !isParent[k.target] {
				v := e.value
				out[k.target] = &v
			}
			if e.parent != nil && isParent[*e.parent] && want[*e.parent] == k.period {
				sum := out[*e.parent]
				if sum == nil {
					sum = new(float64)
					out[*e.parent] = sum
				}
				*sum += e.value
			}
		}
	}
	return out, nil
}

func rowChunks(rows []Row, n int) [][]Row {
	var out [][]Row
	for len(rows) > 0 {
		k := min(n, len(rows))
		out = append(out, rows[:k])
		rows = rows[k:]
	}
	return out
}
