package board_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/platform/db/dbtest"
)

// The issue's budget: "The board for a township with 300 targets and twelve
// months of figures renders server-side in under 20 ms; a district of 30 such
// townships in under 200 ms." Measured, not asserted:
//
//	go test -run X -bench Board -benchtime 20x ./internal/board/

const benchTargets = 300

// benchNow is the last day of the year, when all twelve months are in.
var benchNow = time.Date(2026, 12, 31, 10, 0, 0, 0, clock.Beijing)

func BenchmarkBoardTownship(b *testing.B) {
	benchEngines(b, func(b *testing.B, d *db.DB) {
		district, towns := seedBoard(b, d, 1, benchTargets)
		a := mustApp(b, d, benchNow)
		u := &auth.User{ID: 1, Login: "shuji", Role: auth.Leader, UnitID: towns[0], UnitPath: district + strconv.FormatInt(towns[0], 10) + "/", UnitName: "镇1"}
		benchGet(b, a, u, "/")
	})
}

func BenchmarkBoardDistrict(b *testing.B) {
	benchEngines(b, func(b *testing.B, d *db.DB) {
		district, _ := seedBoard(b, d, 30, benchTargets)
		a := mustApp(b, d, benchNow)
		id, _ := strconv.ParseInt(strings.Trim(district, "/"), 10, 64)
		u := &auth.User{ID: 1, Login: "admin", Role: auth.Admin, UnitID: id, UnitPath: district, UnitName: "区"}
		benchGet(b, a, u, "/")
	})
}

func benchEngines(b *testing.B, fn func(b *testing.B, d *db.DB)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, apptest.SQLite(b)) })
	if dbtest.PostgresURL() != "" {
		b.Run("postgres", func(b *testing.B) { fn(b, apptest.Postgres(b)) })
	}
}

// benchGet times GET path as u through the app's router, as a signed-in
// request reaches it.
func benchGet(b *testing.B, a *app.App, u *auth.User, path string) {
	b.Helper()
	var size int
	for b.Loop() {
		rec := serve(a, u, path)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d\n%s", path, rec.Code, rec.Body.String())
		}
		size = rec.Body.Len()
	}
	b.StopTimer()
	b.ReportMetric(float64(size)/1024, "KiB/page")
}

// seedBoard writes a district of towns townships, each with perTown targets
// of its own (one per generated indicator) and twelve months of figures, by
// plain SQL in batches. It returns the district's path and the townships' ids.
func seedBoard(b *testing.B, d *db.DB, towns, perTown int) (string, []int64) {
	b.Helper()
	ctx := context.Background()
	now := benchNow.UTC()
	insertID := func(q string, args ...any) int64 {
		var id int64
		if err := d.QueryRowContext(ctx, q+" RETURNING id", args...).Scan(&id); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
		return id
	}
	exec := func(q string, args ...any) {
		if _, err := d.ExecContext(ctx, q, args...); err != nil {
			b.Fatalf("%s: %v", q, err)
		}
	}
	district := insertID(`INSERT INTO units (kind, name, path, created_at, updated_at) VALUES ('district', '区', '', $1, $1)`, now)
	dpath := "/" + strconv.FormatInt(district, 10) + "/"
	exec(`UPDATE units SET path = $1 WHERE id = $2`, dpath, district)

	inds := make([]int64, perTown)
	for i := range inds {
		inds[i] = insertID(`INSERT INTO indicators (name, measure_unit, category, measure, direction, cadence, additive, non_negative, sort, created_at, updated_at)
			VALUES ($1, '万元', '测试', 'cumulative', 'higher', 'monthly', TRUE, TRUE, $2, $3, $3)`, fmt.Sprintf("指标%03d", i+1), i+1, now)
	}
	batch := newBatch(b, d, `INSERT INTO figures (target_id, year, period, value, last_year_value, source, note, entered_by_login, entered_at) VALUES `, 9)
	var ids []int64
	for t := 0; t < towns; t++ {
		town := insertID(`INSERT INTO units (parent_id, kind, name, path, sort, created_at, updated_at) VALUES ($1, 'township', $2, '', $3, $4, $4)`,
			district, fmt.Sprintf("镇%02d", t+1), t+1, now)
		exec(`UPDATE units SET path = $1 WHERE id = $2`, dpath+strconv.FormatInt(town, 10)+"/", town)
		exec(`INSERT INTO campaigns (township_id, name, year, start_date, end_date, created_at) VALUES ($1, '大干一百天，冲刺四季度', 2026, '2026-09-23', '2026-12-31', $2)`, town, now)
		ids = append(ids, town)
		for i, ind := range inds {
			goal := float64(1000 + 10*i)
			id := insertID(`INSERT INTO targets (indicator_id, unit_id, year, kind, target_value, last_year_total, weight, note, created_at, updated_at)
				VALUES ($1, $2, 2026, 'value', $3, $4, 1, '', $5, $5)`, ind, town, goal, goal*0.94, now)
			perf := []float64{0.8, 0.95, 1.05}[(i+t)%3] // red, yellow, green
			for m := 1; m <= 12; m++ {
				v := goal * perf * float64(m) / 12
				batch.add(id, 2026, fmt.Sprintf("2026-%02d", m), v, v/1.06, "demo", "", "tongji", now)
			}
		}
	}
	batch.flush()
	return dpath, ids
}

// batch inserts rows many at a time: one statement per 500 rows is fast on
// both engines and well under PostgreSQL's limit on parameters.
type batch struct {
	b      *testing.B
	d      *db.DB
	prefix string
	cols   int
	args   []any
}

func newBatch(b *testing.B, d *db.DB, prefix string, cols int) *batch {
	return &batch{b: b, d: d, prefix: prefix, cols: cols}
}

func (x *batch) add(vals ...any) {
	x.args = append(x.args, vals...)
	if len(x.args) >= 500*x.cols {
		x.flush()
	}
}

func (x *batch) flush() {
	if len(x.args) == 0 {
		return
	}
	var q strings.Builder
	q.WriteString(x.prefix)
	for r := 0; r < len(x.args)/x.cols; r++ {
		if r > 0 {
			q.WriteString(", ")
		}
		q.WriteByte('(')
		for c := 0; c < x.cols; c++ {
			if c > 0 {
				q.WriteString(", ")
			}
			q.WriteString("$" + strconv.Itoa(r*x.cols+c+1))
		}
		q.WriteByte(')')
	}
	if _, err := x.d.ExecContext(context.Background(), q.String(), x.args...); err != nil {
		x.b.Fatalf("batch insert: %v", err)
	}
	x.args = x.args[:0]
}
