package targets

import (
	"context"
	"database/sql"
	"math"

	"guatu/internal/platform"
	"guatu/internal/platform/db"
	"guatu/internal/platform/i18n"
	"guatu/internal/platform/web"
)

// Reconciliation compares a parent target's own figure with the sum of its
// children's for the same month: XX镇's 固定资产投资 23.3 against its parts'
// 23.06. Statistics stations report the township's figure on its own, so the
// two may differ; children adding up to more than the whole is a mistake
// somewhere.
type Reconciliation struct {
	Period   string  // the month both are for
	Own      float64 // the parent's own figure
	Children float64 // the sum of the children's
	Diff     float64 // Own − Children
	Exceeds  bool    // the children's sum is above the parent's own figure
}

// Reconcile is nil unless the row has a figure of its own and every child
// has one for the same month (a partial sum says nothing), for an additive
// indicator.
func (r Row) Reconcile() *Reconciliation {
	if r.ChildrenActual == nil || r.Actual == nil || r.RolledUp || !r.Indicator.Additive {
		return nil
	}
	own, kids := *r.Actual, *r.ChildrenActual
	diff := roundSignificant(own - kids)
	// Below half of the last shown decimal is rounding, not a difference.
	tolerance := 0.5 * math.Pow(10, -float64(r.Indicator.Decimals()))
	if math.Abs(diff) < tolerance/10 {
		diff = 0
	}
	return &Reconciliation{Period: r.Period, Own: own, Children: kids, Diff: diff, Exceeds: kids-own >= tolerance/10 && kids > own}
}

// fillChildrenActuals sets ChildrenActual on the rows whose children all have
// a figure for the row's own month, in one query over the kept progress.
func fillChildrenActuals(ctx context.Context, q db.Queryer, township int64, rows []Row) error {
	at := map[int64][]int{}
	var ids []int64
	for i, r := range rows {
		if r.Children > 0 && r.Actual != nil && !r.RolledUp {
			at[r.ID] = append(at[r.ID], i)
			ids = append(ids, r.ID)
		}
	}
	for _, part := range chunks(ids, 500) {
		var w db.Where
		w.Add("c.township_id = ?", township)
		w.In("c.parent_id", part)
		res, err := q.QueryContext(ctx, `SELECT c.parent_id, COUNT(*), COUNT(c.actual), SUM(c.actual), MIN(c.period), MAX(c.period)
			FROM target_progress c`+w.SQL()+` GROUP BY c.parent_id`, w.Args...)
		if err != nil {
			return platform.Internalf("children's figures: %w", err)
		}
		for res.Next() {
			var parent int64
			var all, reported int
			var sum sql.NullFloat64
			var first, last sql.NullString
			if err := res.Scan(&parent, &all, &reported, &sum, &first, &last); err != nil {
				res.Close()
				return platform.Internalf("children's figures: %w", err)
			}
			for _, i := range at[parent] {
				if all == reported && sum.Valid && first.String == last.String && first.String == rows[i].Period {
					v := roundSignificant(sum.Float64)
					rows[i].ChildrenActual = &v
				}
			}
		}
		if err := res.Err(); err != nil {
			res.Close()
			return platform.Internalf("children's figures: %w", err)
		}
		res.Close()
	}
	return nil
}

// ReconcileNote says how the children's sum stands against the row's own
// figure, in the row's precision; "" when there is nothing to compare.
func (r RowView) ReconcileNote(b web.Base) string { return r.ReconcileText(b.T) }

// ReconcileText is ReconcileNote with the caller's translation.
func (r Row) ReconcileText(t func(string, ...any) string) string {
	rc := r.Reconcile()
	if rc == nil {
		return ""
	}
	d := r.Indicator.Decimals()
	n := func(v float64) string { return web.FormatFixed(v, d) }
	switch {
	case rc.Exceeds:
		return t("target.reconcile.exceeds", n(rc.Children), n(-rc.Diff))
	case n(rc.Diff) == n(0):
		return t("target.reconcile.same", n(rc.Children))
	}
	return t("target.reconcile.short", n(rc.Children), n(rc.Diff))
}

// reconcileMessages are the notes beside a parent's own figure.
var reconcileMessages = i18n.Catalog{
	"target.reconcile.same":    {ZH: "下级合计%s，与本级数一致", EN: "The units below add up to %s, the same"},
	"target.reconcile.short":   {ZH: "下级合计%s，本级数多%s", EN: "The units below add up to %s; this figure is %s more"},
	"target.reconcile.exceeds": {ZH: "下级合计%s，超过本级数%s，请核对", EN: "The units below add up to %s, %s above this figure: check"},
}
