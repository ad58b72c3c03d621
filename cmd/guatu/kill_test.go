package main

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app"
	"guatu/internal/benchdata"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
	"guatu/internal/platform/web"
	"guatu/internal/targets"
)

// TestKillDuringImportCommit commits an import of some 700 figures on the
// real server and kills it (SIGKILL) at a different moment each time, 20
// times: after each kill either every figure of the import is stored and
// the import marked committed, or none and not, and SQLite's integrity
// check is ok.
func TestKillDuringImportCommit(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and kills it 20 times")
	}
	isolate(t)
	bin := mustBuild(t)
	engines(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		year := time.Now().Year() - 1
		d := openDSN(t, dsn)
		if _, err := d.Migrate(ctx, app.Schema()); err != nil {
			t.Fatal(err)
		}
		seed, err := benchdata.Seed(ctx, d, benchdata.Spec{Townships: 1, Villages: 20, Departments: 3, TargetsPerTownship: 800, Own: 150, Months: 1, Year: year})
		if err != nil {
			t.Fatal(err)
		}
		u, err := (&auth.Store{DB: d}).UserByLogin(ctx, seed.Statisticians[0])
		if err != nil {
			t.Fatal(err)
		}
		as := auth.WithUser(ctx, u)
		file, rows := wholeYearSheet(t, d, year)
		s := &targets.Store{DB: d}
		imported := func() int { return countWhere(t, d, `SELECT COUNT(*) FROM figures WHERE source = 'import'`) }

		const kills = 20
		var before, after, between int
		window := time.Duration(0)
		for i := 0; i <= kills; i++ {
			p, err := s.StartImport(as, targets.ImportInput{Filename: "全年.xlsx", Data: file, UnitID: seed.Townships[0], Year: year})
			if err != nil {
				t.Fatal(err)
			}
			if !p.Clean() || p.ToWrite() != rows {
				t.Fatalf("the import is not clean or not %d figures: %d, %+v", rows, p.ToWrite(), p.Problems[:min(3, len(p.Problems))])
			}
			sess, err := (&auth.Store{DB: d}).NewSession(ctx, u)
			if err != nil {
				t.Fatal(err)
			}
			addr := freeAddr(t)
			proc := start(t, exec.Command(bin, "serve", "--addr", addr, "--db", dsn))
			proc.waitHealthy(t, "http://"+addr)
			had := imported()
			// The sheet's numbers are made up, far from the seeded figures:
			// its rows are confirmed as a statistician confirms suspect ones.
			req, _ := http.NewRequest(http.MethodPost, "http://"+addr+"/targets/import/"+p.Token+"/commit", strings.NewReader(url.Values{"csrf": {sess.CSRF}, "confirm": {"1"}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: sess.Token})
			answered := make(chan time.Duration, 1)
			sent := time.Now()
			go func() {
				resp, err := http.DefaultTransport.RoundTrip(req)
				if err == nil {
					resp.Body.Close()
				}
				answered <- time.Since(sent)
			}()
			if i == 0 {
				// The first commit runs to its end: it says how long the
				// window is, and that a commit works at all.
				window = <-answered
				proc.stop(t)
				if got := imported() - had; got != rows {
					t.Fatalf("an uninterrupted commit stored %d figures, want %d", got, rows)
				}
				continue
			}
			// Kills spread from before the request arrives to after the
			// commit's end.
			time.Sleep(window * time.Duration(i) / kills * 3 / 2)
			select {
			case <-answered:
			default:
				between++ // killed before the commit answered
			}
			proc.cmd.Process.Kill()
			<-proc.done // Wait has returned: the cleanup's stop has nothing to do

			got := imported() - had
			committed := countWhere(t, d, `SELECT COUNT(*) FROM imports WHERE token = $1 AND committed_at IS NOT NULL`, p.Token) == 1
			switch {
			case got == 0 && !committed:
				before++
			case got == rows && committed:
				after++
			default:
				t.Fatalf("kill %d: %d of %d figures stored, import committed %v", i, got, rows, committed)
			}
			if d.Dialect == db.SQLite {
				var ok string
				if err := d.QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
					t.Fatalf("kill %d: integrity_check = %q, %v", i, ok, err)
				}
			}
		}
		t.Logf("%d figures per commit, %v uninterrupted; of %d kills, %d left none, %d all, %d came before the answer", rows, window, kills, before, after, between)
	})
}

// wholeYearSheet is an import of December's figure for every unit's own
// target of the year, with a unit column.
func wholeYearSheet(t *testing.T, d *db.DB, year int) ([]byte, int) {
	t.Helper()
	rs, err := d.QueryContext(context.Background(), `SELECT i.name, u.name FROM targets t JOIN indicators i ON i.id = t.indicator_id JOIN units u ON u.id = t.unit_id
		WHERE t.year = $1 AND t.person_id IS NULL ORDER BY t.id`, year)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	sw.SetRow("A1", []any{"指标名称", "责任单位", "1-12月累计"})
	n := 0
	for rs.Next() {
		var ind, unit string
		if err := rs.Scan(&ind, &unit); err != nil {
			t.Fatal(err)
		}
		n++
		cell, _ := excelize.CoordinatesToCellName(1, n+1)
		sw.SetRow(cell, []any{ind, unit, 1000 + n})
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes(), n
}

func countWhere(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
