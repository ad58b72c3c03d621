package org

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode/utf8"

	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
)

// Limits on a campaign's texts.
const (
	MaxCampaignName = 100
	MaxGoals        = 2000
)

// CampaignRow is a campaign as its own pages list and edit it: the board's
// Campaign with its township's name, its goals (the targets and tasks it was
// called for, as text) and when it last changed.
type CampaignRow struct {
	Campaign
	TownshipName string    `json:"township_name"`
	Goals        string    `json:"goals"`
	UpdatedAt    time.Time `json:"updated_at"`
	townshipPath string
}

// CampaignInput is what a form or the command line sends for a campaign.
// Dates are YYYY-MM-DD; TownshipID is read on create only (a campaign stays
// with its township).
type CampaignInput struct {
	TownshipID int64  `json:"township_id"`
	Name       string `json:"name"`
	Start      string `json:"start"`
	End        string `json:"end"`
	Goals      string `json:"goals"`
}

// check trims and validates the input, naming every field that is wrong,
// and returns the period.
func (in *CampaignInput) check() (start, end time.Time, err error) {
	in.Name, in.Goals = strings.TrimSpace(in.Name), strings.TrimSpace(in.Goals)
	in.Start, in.End = strings.TrimSpace(in.Start), strings.TrimSpace(in.End)
	var es platform.Errors
	switch {
	case in.Name == "":
		es = append(es, platform.FieldError("name", "form.err.required"))
	case utf8.RuneCountInString(in.Name) > MaxCampaignName:
		es = append(es, platform.FieldError("name", "form.err.too_long", MaxCampaignName))
	}
	if utf8.RuneCountInString(in.Goals) > MaxGoals {
		es = append(es, platform.FieldError("goals", "form.err.too_long", MaxGoals))
	}
	date := func(field, v string) (time.Time, bool) {
		if v == "" {
			es = append(es, platform.FieldError(field, "form.err.required"))
			return time.Time{}, false
		}
		t, err := clock.ParseDate(v)
		if err != nil {
			es = append(es, platform.FieldError(field, "form.err.bad_date"))
			return time.Time{}, false
		}
		return t, true
	}
	start, okStart := date("start", in.Start)
	end, okEnd := date("end", in.End)
	if okStart && okEnd {
		switch {
		case end.Before(start):
			es = append(es, platform.FieldError("end", "org.err.end_before_start"))
		case start.Year() != end.Year():
			es = append(es, platform.FieldError("end", "org.err.campaign_one_year"))
		}
	}
	return start, end, es.Err()
}

// CampaignFilter narrows FindCampaigns. Nil fields are unset.
type CampaignFilter struct {
	TownshipID *int64
	Year       *int
	Page       db.Pager // the window, sort and count; nil for every match
}

// CampaignSorts are the sort keys of the campaigns list.
var CampaignSorts = []string{"name", "township", "start", "end"}

// FindCampaigns returns the campaigns of the townships whose campaigns the
// caller may read (those in scope and the one above the caller's unit, as
// for Townships), latest end first unless sorted otherwise, and the number
// of matches. A township filter outside them is not found (and audited).
func (s *Store) FindCampaigns(ctx context.Context, f CampaignFilter) ([]CampaignRow, int, error) {
	u, err := caller(ctx)
	if err != nil {
		return nil, 0, err
	}
	var w db.Where
	w.Add("(un.path LIKE ? OR ? LIKE un.path || '%')", u.UnitPath+"%", u.UnitPath)
	if f.TownshipID != nil {
		if _, err := s.teamTownship(ctx, *f.TownshipID); err != nil {
			return nil, 0, err
		}
		w.Add("c.township_id = ?", *f.TownshipID)
	}
	if f.Year != nil {
		w.Add("c.year = ?", *f.Year)
	}
	const from = ` FROM campaigns c JOIN units un ON un.id = c.township_id`
	order := " ORDER BY c.end_date DESC, c.id"
	window := ""
	total := 0
	if f.Page != nil {
		if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*)`+from+w.SQL(), w.Args...).Scan(&total); err != nil {
			return nil, 0, platform.Internalf("campaigns count: %w", err)
		}
		f.Page.SetTotal(total)
		order = f.Page.OrderBy(map[string]string{"name": "c.name", "township": "un.name", "start": "c.start_date", "end": "c.end_date"}, "c.end_date DESC", "c.id")
		window = w.Page(f.Page)
	}
	rows, err := s.DB.QueryContext(ctx, `SELECT `+campaignColumns+from+w.SQL()+order+window, w.Args...)
	if err != nil {
		return nil, 0, platform.Internalf("campaigns: %w", err)
	}
	defer rows.Close()
	var out []CampaignRow
	for rows.Next() {
		c, err := scanCampaign(rows)
		if err != nil {
			return nil, 0, platform.Internalf("campaign scan: %w", err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, platform.Internalf("campaigns: %w", err)
	}
	if f.Page == nil {
		total = len(out)
	}
	return out, total, nil
}

const campaignColumns = `c.id, c.township_id, un.name, un.path, c.name, c.year, c.start_date, c.end_date, c.goals, c.updated_at`

func scanCampaign(sc interface{ Scan(...any) error }) (CampaignRow, error) {
	var c CampaignRow
	var start, end string
	if err := sc.Scan(&c.ID, &c.TownshipID, &c.TownshipName, &c.townshipPath, &c.Name, &c.Year, &start, &end, &c.Goals, &c.UpdatedAt); err != nil {
		return c, err
	}
	var err error
	if c.Start, err = clock.ParseDate(start); err != nil {
		return c, err
	}
	c.End, err = clock.ParseDate(end)
	return c, err
}

// Campaigns returns every campaign the caller may read (see FindCampaigns),
// latest end first: what the board counts down from.
func (s *Store) Campaigns(ctx context.Context) ([]Campaign, error) {
	rows, _, err := s.FindCampaigns(ctx, CampaignFilter{})
	if err != nil {
		return nil, err
	}
	out := make([]Campaign, len(rows))
	for i, c := range rows {
		out[i] = c.Campaign
	}
	return out, nil
}

// Campaign returns one campaign the caller may read; any other is not found
// (and, when it exists, the attempt is audited).
func (s *Store) Campaign(ctx context.Context, id int64) (CampaignRow, error) {
	u, err := caller(ctx)
	if err != nil {
		return CampaignRow{}, err
	}
	c, err := scanCampaign(s.DB.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM campaigns c JOIN units un ON un.id = c.township_id WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return CampaignRow{}, platform.ErrNotFound
	}
	if err != nil {
		return CampaignRow{}, platform.Internalf("campaign %d: %w", id, err)
	}
	if !u.InScope(c.townshipPath) && !strings.HasPrefix(u.UnitPath, c.townshipPath) {
		return CampaignRow{}, s.denied(ctx, "campaign", id, c.townshipPath)
	}
	return c, nil
}

// AddCampaign adds a campaign to a township in the caller's scope: a
// township outside it is not found (and audited) before the permission is
// asked; then the caller needs ManageCampaigns and the input must hold (a
// name, goals within 2,000 characters, a period within one calendar year).
// A second campaign of one name in a township's year is a field error.
func (s *Store) AddCampaign(ctx context.Context, in CampaignInput) (CampaignRow, error) {
	if in.TownshipID == 0 {
		return CampaignRow{}, platform.FieldError("township_id", "form.err.required")
	}
	tw, err := s.Unit(ctx, in.TownshipID)
	if err != nil {
		return CampaignRow{}, err
	}
	if _, err := require(ctx, auth.ManageCampaigns); err != nil {
		return CampaignRow{}, err
	}
	if tw.Kind != Township {
		return CampaignRow{}, platform.FieldError("township_id", "org.err.campaign_not_township")
	}
	start, end, err := in.check()
	if err != nil {
		return CampaignRow{}, err
	}
	now := s.now().UTC()
	var id int64
	err = s.DB.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (township_id, name, year, start_date, end_date, goals, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
			tw.ID, in.Name, start.Year(), start.Format(clock.DateFormat), end.Format(clock.DateFormat), in.Goals, now).Scan(&id)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("name", "org.err.duplicate_campaign")
		}
		if err != nil {
			return platform.Internalf("create campaign: %w", err)
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Create, Entity: "campaign", EntityID: audit.ID(id), UnitID: tw.ID, UnitPath: tw.Path, After: in, At: now})
	})
	if err != nil {
		return CampaignRow{}, err
	}
	return s.Campaign(ctx, id)
}

// CreateCampaign adds a campaign without goals text, as AddCampaign does
// (the demo's way in).
func (s *Store) CreateCampaign(ctx context.Context, c Campaign) (Campaign, error) {
	row, err := s.AddCampaign(ctx, CampaignInput{TownshipID: c.TownshipID, Name: c.Name,
		Start: c.Start.In(clock.Beijing).Format(clock.DateFormat), End: c.End.In(clock.Beijing).Format(clock.DateFormat)})
	return row.Campaign, err
}

// UpdateCampaign changes a campaign's name, period and goals. As for
// AddCampaign, scope comes first: a campaign the caller may not read, or
// may read but whose township is not in their scope (a village's view of
// its township), is not found and audited; then ManageCampaigns is needed.
func (s *Store) UpdateCampaign(ctx context.Context, id int64, in CampaignInput) error {
	before, err := s.Campaign(ctx, id)
	if err != nil {
		return err
	}
	u, err := caller(ctx)
	if err != nil {
		return err
	}
	if !u.InScope(before.townshipPath) {
		return s.denied(ctx, "campaign", id, before.townshipPath)
	}
	if _, err := require(ctx, auth.ManageCampaigns); err != nil {
		return err
	}
	in.TownshipID = before.TownshipID
	start, end, err := in.check()
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE campaigns SET name = $1, year = $2, start_date = $3, end_date = $4, goals = $5, updated_at = $6 WHERE id = $7`,
			in.Name, start.Year(), start.Format(clock.DateFormat), end.Format(clock.DateFormat), in.Goals, now, id)
		if db.IsUniqueViolation(err) {
			return platform.FieldError("name", "org.err.duplicate_campaign")
		}
		if err != nil {
			return platform.Internalf("update campaign: %w", err)
		}
		was := CampaignInput{TownshipID: before.TownshipID, Name: before.Name, Start: before.Start.Format(clock.DateFormat), End: before.End.Format(clock.DateFormat), Goals: before.Goals}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "campaign", EntityID: audit.ID(id), UnitID: before.TownshipID, UnitPath: before.townshipPath, Before: was, After: in, At: now})
	})
}

// CampaignFor returns the campaign of the township containing the caller's
// unit (or the first township in scope) that is running on day, else the one
// that ended most recently; ErrNotFound when there is none.
func (s *Store) CampaignFor(ctx context.Context, day time.Time) (Campaign, error) {
	cs, err := s.Campaigns(ctx)
	if err != nil {
		return Campaign{}, err
	}
	for _, c := range cs {
		if !day.Before(c.Start) && !day.After(c.End) {
			return c, nil
		}
	}
	if len(cs) > 0 {
		return cs[0], nil
	}
	return Campaign{}, platform.ErrNotFound
}
