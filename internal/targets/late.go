package targets

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"guatu/internal/org"
	"guatu/internal/platform"
	"guatu/internal/platform/audit"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
)

// Late reports (未报): a township sets its reporting day, the day of the
// month by which last month's figures are due. After it, a target whose
// kept period is older than the period it should have reported is late. It
// is worked out whenever rows are read, from the kept period, the day and
// today in Beijing: a stored flag would go stale overnight.

// DefaultReportingDay is the reporting day of a township that has not set one.
const DefaultReportingDay = 5

// MaxReportingDay keeps the day in every month, February included.
const MaxReportingDay = 28

// DuePeriod is the period (YYYY-MM) a target of year, reported at cadence,
// must have a figure for on today, with figures due on reportingDay: the
// last closed month once its reporting day has passed (on the day itself
// it is still the month before), for a quarterly indicator the last such
// quarter-end month. A year that has ended is due in full (December, even
// in January of the next); "" when nothing of year is due yet.
func DuePeriod(today time.Time, reportingDay int, cadence Cadence, year int) string {
	if reportingDay < 1 || reportingDay > MaxReportingDay {
		reportingDay = DefaultReportingDay
	}
	y, m, d := today.In(clock.Beijing).Date()
	back := 1
	if d <= reportingDay {
		back = 2
	}
	due := time.Date(y, m-time.Month(back), 1, 0, 0, 0, 0, time.UTC)
	if cadence == Quarterly {
		due = due.AddDate(0, -(int(due.Month()) % 3), 0)
	}
	switch {
	case due.Year() > year:
		return Period(year, 12)
	case due.Year() < year:
		return ""
	}
	return due.Format("2006-01")
}

// LateAt reports whether a target kept at period is late when due is due.
func LateAt(period, due string) bool { return due != "" && period < due }

// measureLate marks r late by due and, when it is, measures it against the
// schedule of the month it should have reported rather than its own older
// one: the expected share, the gap, the light (and a ceiling's note), the
// pace still needed and a ceiling's allowance a month follow the due month;
// the forecasts stay those of the figure itself.
func measureLate(r *Row, due string, margin float64) {
	r.Due = due
	r.Late = LateAt(r.StatPeriod, due)
	month := periodMonth(due)
	if !r.Late || ExpectedShareMonth(month) <= r.Progress.ExpectedShare {
		// On time; or late on a statistic while a later 调度数 is already
		// measured against a later day than the due month's.
		return
	}
	in := Input{
		Measure: r.Indicator.Measure, Kind: r.Kind, Direction: r.Indicator.Direction,
		Target: r.Value, HasActual: r.Actual != nil,
		LastYearSame: r.LastYearSame, LastYearTotal: r.LastYearTotal,
		Share: ExpectedShareMonth(month), MonthsLeft: MonthsLeft(month),
		Margin: margin,
	}
	if r.Actual != nil {
		in.Actual = *r.Actual
	}
	at := Evaluate(in)
	p := &r.Progress
	p.ExpectedShare, p.Gap, p.Light, p.PaceNeeded = at.ExpectedShare, at.Gap, at.Light, at.PaceNeeded
	p.AllowancePace, p.CeilingNote = at.AllowancePace, at.CeilingNote
}

// townshipRules are what a read needs of a township's settings.
type townshipRules struct {
	margin       float64
	reportingDay int
}

// rulesOf reads the yellow margin and reporting day of townships in one
// round trip, the defaults where unset.
func rulesOf(ctx context.Context, q db.Queryer, townships []int64) (map[int64]townshipRules, error) {
	out := make(map[int64]townshipRules, len(townships))
	for _, id := range townships {
		out[id] = townshipRules{margin: DefaultMargin, reportingDay: DefaultReportingDay}
	}
	if len(townships) == 0 {
		return out, nil
	}
	var w db.Where
	w.In("township_id", townships)
	rows, err := q.QueryContext(ctx, `SELECT township_id, margin, 0 FROM target_settings`+w.SQL()+
		` UNION ALL SELECT township_id, 0, reporting_day FROM target_reporting`+w.SQL(), w.Args...)
	if err != nil {
		return nil, platform.Internalf("township rules: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var m float64
		var day int
		if err := rows.Scan(&id, &m, &day); err != nil {
			return nil, platform.Internalf("township rules: %w", err)
		}
		r := out[id]
		if day > 0 {
			r.reportingDay = day
		} else {
			r.margin = m
		}
		out[id] = r
	}
	return out, rows.Err()
}

// markLate applies the late rule to rows read from the kept progress.
func (s *Store) markLate(ctx context.Context, rows []Row) error {
	if len(rows) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	var tw []int64
	for _, r := range rows {
		if !seen[r.TownshipID] {
			seen[r.TownshipID] = true
			tw = append(tw, r.TownshipID)
		}
	}
	rules, err := rulesOf(ctx, s.DB, tw)
	if err != nil {
		return err
	}
	today := clock.Today(s.now())
	dues := make([]string, len(rows))
	var late []int64
	for i, r := range rows {
		dues[i] = DuePeriod(today, rules[r.TownshipID].reportingDay, r.Indicator.Cadence, r.Year)
		if LateAt(r.StatPeriod, dues[i]) {
			late = append(late, r.ID)
		}
	}
	pending, err := pendingPeriods(ctx, s.DB, late)
	if err != nil {
		return err
	}
	for i := range rows {
		r := &rows[i]
		if p, ok := pending[r.ID]; ok && !LateAt(p, dues[i]) {
			r.Due = dues[i] // reported, awaiting review: not 未报
			continue
		}
		measureLate(r, dues[i], rules[r.TownshipID].margin)
	}
	return nil
}

// pendingPeriods reads the latest period each of ids has a figure pending
// review for: such a target has reported, though the figure does not count
// yet.
func pendingPeriods(ctx context.Context, q db.Queryer, ids []int64) (map[int64]string, error) {
	out := map[int64]string{}
	for _, chunk := range chunks(ids, 500) {
		var w db.Where
		w.In("target_id", chunk)
		w.Add("status = ?", string(Pending))
		w.Add("as_of = ''") // a 调度数 waiting reports no month
		rows, err := q.QueryContext(ctx, `SELECT target_id, MAX(period) FROM figures`+w.SQL()+` GROUP BY target_id`, w.Args...)
		if err != nil {
			return nil, platform.Internalf("pending periods: %w", err)
		}
		for rows.Next() {
			var id int64
			var p string
			if err := rows.Scan(&id, &p); err != nil {
				rows.Close()
				return nil, platform.Internalf("pending periods: %w", err)
			}
			out[id] = p
		}
		if err := rows.Close(); err != nil {
			return nil, platform.Internalf("pending periods: %w", err)
		}
	}
	return out, nil
}

// lateWhere adds to w the condition that a target of year in one of
// townships is late today, on target_progress p: its kept period is older
// than its due period, which differs by the township's reporting day and
// the indicator's cadence.
func (s *Store) lateWhere(ctx context.Context, w *db.Where, townships []int64, year int) error {
	rules, err := rulesOf(ctx, s.DB, townships)
	if err != nil {
		return err
	}
	_, all, err := s.indicators(ctx)
	if err != nil {
		return err
	}
	var quarterly []int64
	for _, in := range all {
		if in.Cadence == Quarterly {
			quarterly = append(quarterly, in.ID)
		}
	}
	today := clock.Today(s.now())
	byDay := map[int][]int64{}
	for _, id := range townships {
		d := rules[id].reportingDay
		byDay[d] = append(byDay[d], id)
	}
	days := make([]int, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Ints(days)
	var any []string
	for _, d := range days {
		var in db.Where
		in.In("p.township_id", byDay[d])
		tw := strings.TrimPrefix(in.SQL(), " WHERE ")
		// The placeholders of in are renumbered into w.
		for i := len(in.Args); i >= 1; i-- {
			tw = strings.Replace(tw, "$"+itoa64(int64(i)), w.Next(in.Args[i-1]), 1)
		}
		monthly, quarter := DuePeriod(today, d, Monthly, year), DuePeriod(today, d, Quarterly, year)
		var cases []string
		// A figure pending review for the due period (or a later one) is a
		// report made: the target is not late while it waits.
		notPending := func(due string) string {
			return " AND NOT EXISTS (SELECT 1 FROM figures f WHERE f.township_id = p.township_id AND f.target_id = p.target_id AND f.status = 'pending' AND f.as_of = '' AND f.period >= " + due + ")"
		}
		if monthly != "" {
			m := w.Next(monthly)
			c := "p.period < " + m + notPending(m)
			if len(quarterly) > 0 {
				c += " AND p.indicator_id NOT IN (" + marks(w, quarterly) + ")"
			}
			cases = append(cases, c)
		}
		if quarter != "" && len(quarterly) > 0 {
			q := w.Next(quarter)
			cases = append(cases, "p.period < "+q+notPending(q)+" AND p.indicator_id IN ("+marks(w, quarterly)+")")
		}
		if len(cases) > 0 {
			any = append(any, "("+tw+" AND (("+strings.Join(cases, ") OR (")+")))")
		}
	}
	if len(any) == 0 {
		w.Add("1 = 0")
		return nil
	}
	w.Add("(" + strings.Join(any, " OR ") + ")")
	return nil
}

// marks adds ids to w and returns their placeholders, comma-separated.
func marks(w *db.Where, ids []int64) string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = w.Next(id)
	}
	return strings.Join(out, ", ")
}

// ReportingDay returns a township's reporting day (DefaultReportingDay
// unless set).
func (s *Store) ReportingDay(ctx context.Context, townshipID int64) (int, error) {
	r, err := rulesOf(ctx, s.DB, []int64{townshipID})
	if err != nil {
		return 0, err
	}
	return r[townshipID].reportingDay, nil
}

// SetReportingDay sets a township's reporting day, 1 to MaxReportingDay, and
// moves the township's version on so that kept boards count late targets
// by it. A township outside the caller's scope is not found (and audited).
func (s *Store) SetReportingDay(ctx context.Context, townshipID int64, day int) error {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return err
	}
	tw, ok := sc.Tree.Unit(townshipID)
	if !ok || tw.Kind != org.Township {
		return platform.ErrNotFound
	}
	if err := sc.Check(ctx, "target_settings", townshipID, townshipID); err != nil {
		return err
	}
	if _, err := auth.Require(ctx, auth.ManageTargets); err != nil {
		return s.forbidden(ctx, sc, "target_settings", townshipID, townshipID, err)
	}
	if day < 1 || day > MaxReportingDay {
		return platform.FieldError("reporting_day", "target.err.bad_reporting_day", MaxReportingDay)
	}
	before, err := s.ReportingDay(ctx, townshipID)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	return s.DB.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO target_reporting (township_id, reporting_day, updated_at) VALUES ($1, $2, $3)
			ON CONFLICT (township_id) DO UPDATE SET reporting_day = excluded.reporting_day, updated_at = excluded.updated_at`, townshipID, day, now); err != nil {
			return platform.Internalf("reporting day: %w", err)
		}
		if err := bumpVersions(ctx, tx, map[int64]bool{townshipID: true}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Action: audit.Update, Entity: "target_settings", EntityID: audit.ID(townshipID), UnitID: townshipID, UnitPath: tw.Path,
			Before: map[string]int{"reporting_day": before}, After: map[string]int{"reporting_day": day}, At: now})
	})
}

// lateTownships are the townships (and a district's own tenant) whose
// targets a list within the unit (0: the caller's scope) may hold.
func lateTownships(sc *org.Scope, within int64) []int64 {
	root := within
	if root == 0 {
		root = sc.User.UnitID
	}
	seen := map[int64]bool{sc.Tree.TownshipOf(root): true}
	ids := sc.Subtree(root)
	if within == 0 && sc.User.UnitPath == "/" {
		ids = ids[:0]
		for _, u := range sc.Tree.Units() {
			ids = append(ids, u.ID)
		}
	}
	for _, id := range ids {
		seen[sc.Tree.TownshipOf(id)] = true
	}
	out := make([]int64, 0, len(seen))
	for id := range seen {
		if id != 0 {
			out = append(out, id)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// LateCount is how many targets matching f (its light aside) are late today.
func (s *Store) LateCount(ctx context.Context, f Filter) (int, error) {
	sc, err := s.org().Scope(ctx)
	if err != nil {
		return 0, err
	}
	f.Late = true
	w, err := s.where(ctx, sc, f, false)
	if err != nil {
		return 0, err
	}
	var n int
	if err := s.DB.QueryRowContext(ctx, `SELECT COUNT(*) FROM target_progress p`+w.SQL(), w.Args...).Scan(&n); err != nil {
		return 0, platform.Internalf("late count: %w", err)
	}
	return n, nil
}

// DueLabel is the period the target should have reported, "1-11月".
func (r RowView) DueLabel(b web.Base) string { return monthsLabel(b, periodMonth(r.Due)) }

// DueMonth is N of the period the target should have reported.
func (r RowView) DueMonth() int { return periodMonth(r.Due) }
