package board_test

import (
	"context"
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

// leaderRow is one row of a board's ranking of the leaders in charge.
type leaderRow struct {
	id                        string
	targets, red, yellow      int
	targetsURL, redURL, ylURL string
	gap                       string
}

var leaderRowRE = regexp.MustCompile(`(?s)<tr data-testid="leader-row" data-leader="(\d+)">.*?` +
	`<a href="([^"]+)" data-testid="leader-targets">(\d+)</a>.*?` +
	`<a href="([^"]+)" data-testid="leader-red">(\d+)</a>.*?` +
	`<a href="([^"]+)" data-testid="leader-yellow">(\d+)</a>.*?` +
	`data-testid="leader-gap">([^<]*)</td>`)

func leaderRows(t *testing.T, section string) []leaderRow {
	t.Helper()
	var out []leaderRow
	for _, m := range leaderRowRE.FindAllStringSubmatch(section, -1) {
		n := func(s string) int { v, _ := strconv.Atoi(s); return v }
		out = append(out, leaderRow{id: m[1], targetsURL: html.UnescapeString(m[2]), targets: n(m[3]), redURL: html.UnescapeString(m[4]), red: n(m[5]),
			ylURL: html.UnescapeString(m[6]), yellow: n(m[7]), gap: html.UnescapeString(m[8])})
	}
	return out
}

// targetsTotal is how many targets the list at path (/targets?…) holds for u,
// asked of the API with the same query.
func targetsTotal(t *testing.T, a *app.App, u *auth.User, path string) int {
	t.Helper()
	q, ok := strings.CutPrefix(path, "/targets?")
	if !ok {
		t.Fatalf("%s is not a targets list", path)
	}
	body := mustGet(t, a, u, "/api/v1/targets?limit=1&"+q)
	var page struct {
		Total int `json:"total"`
	}
	if err := json.Unmarshal([]byte(body), &page); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return page.Total
}

// gapValue reads "−5.2个百分点" as −5.2; "—" as +Inf (last).
func gapValue(t *testing.T, s string) float64 {
	t.Helper()
	s = strings.TrimSuffix(s, "个百分点")
	if s == "—" {
		return 1e9
	}
	v, err := strconv.ParseFloat(strings.Replace(strings.TrimPrefix(s, "+"), "−", "-", 1), 64)
	if err != nil {
		t.Fatalf("gap %q: %v", s, err)
	}
	return v
}

// checkRanking: every count of a ranking equals the rows of the list it
// links to, as u sees it, and the leaders run from the most behind.
func checkRanking(t *testing.T, a *app.App, u *auth.User, rows []leaderRow) {
	t.Helper()
	prev := -1e9
	for _, r := range rows {
		for _, c := range []struct {
			name string
			n    int
			url  string
		}{{"targets", r.targets, r.targetsURL}, {"red", r.red, r.redURL}, {"yellow", r.yellow, r.ylURL}} {
			if got := targetsTotal(t, a, u, c.url); got != c.n {
				t.Errorf("leader %s: %s count %d, but its list %s holds %d", r.id, c.name, c.n, c.url, got)
			}
			// The page itself, as a click opens it (a leader has fewer than a
			// page of targets).
			if got := strings.Count(mustGet(t, a, u, c.url), `data-testid="target-row"`); got != c.n {
				t.Errorf("leader %s: %s count %d, but the page %s shows %d rows", r.id, c.name, c.n, c.url, got)
			}
		}
		if g := gapValue(t, r.gap); g < prev {
			t.Errorf("leader %s at %s after %v: not the most behind first", r.id, r.gap, prev)
		} else {
			prev = g
		}
	}
}

// TestBoardLeaders: a leader opening the board sees the targets in their
// charge (我分管的) first; the township's and the district's boards rank
// the leaders in charge, most behind first, each count equal to the rows
// of the list it links to.
func TestBoardLeaders(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res, err := demo.Load(context.Background(), d, demoNow)
		if err != nil {
			t.Fatal(err)
		}
		a := mustApp(t, d, demoNow)
		var li, liu int64
		ctx := context.Background()
		d.QueryRowContext(ctx, `SELECT id FROM people WHERE name = '李卫东'`).Scan(&li)
		d.QueryRowContext(ctx, `SELECT id FROM people WHERE name = '刘晓明'`).Scan(&liu)
		count := func(query string, args ...any) int {
			var n int
			if err := d.QueryRowContext(ctx, query, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}

		t.Run("the 镇长 sees his own first", func(t *testing.T) {
			zz := mustUser(t, d, "zhenzhang")
			page := mustGet(t, a, zz, "/")
			led := strings.Index(page, `data-testid="led"`)
			if led < 0 {
				t.Fatal("no 我分管的 on the 镇长's board")
			}
			for _, later := range []string{`data-testid="light-counts"`, `data-testid="indicator-table"`, `data-testid="lagging"`, `data-testid="leaders"`, `data-testid="mine"`} {
				if i := strings.Index(page, later); i >= 0 && i < led {
					t.Errorf("%s comes before 我分管的", later)
				}
			}
			section := between(t, page, `data-testid="led"`, `</section>`)
			if !strings.Contains(section, "我分管的") {
				t.Error("the section is not headed 我分管的")
			}
			want := count(`SELECT COUNT(*) FROM targets WHERE leader_id = $1 AND parent_id IS NULL AND year = 2026`, li)
			if got := strings.Count(section, `data-testid="led-row"`); got != want || want != 5 {
				t.Errorf("我分管的 rows = %d, want %d (李卫东's five own targets)", got, want)
			}
			for _, w := range []string{"入库税收", "一般公共预算收入", "个百分点", `class="light light-`} {
				if !strings.Contains(section, w) {
					t.Errorf("我分管的 lacks %s", w)
				}
			}
			link := func(testid string) string {
				m := regexp.MustCompile(`href="([^"]+)" data-testid="` + testid + `">([^<]*)<`).FindStringSubmatch(section)
				if m == nil {
					t.Fatalf("我分管的 has no %s link", testid)
				}
				return html.UnescapeString(m[1])
			}
			if got := targetsTotal(t, a, zz, link("led-count")); got != want || !strings.Contains(section, "全部5项") {
				t.Errorf("全部N项 lists %d, want %d and the count said", got, want)
			}
			all := link("led-all")
			if got, want := targetsTotal(t, a, zz, all), count(`SELECT COUNT(*) FROM targets WHERE leader_id = $1 AND year = 2026`, li); got != want {
				t.Errorf("含分解 lists %d, want every target in his charge, %d", got, want)
			}
			if m := untranslated.FindAllString(page, -1); len(m) > 0 {
				t.Errorf("untranslated keys: %v", m)
			}
		})

		t.Run("a leader in charge of nothing, and a statistician, see no 我分管的", func(t *testing.T) {
			for _, login := range []string{"shuji", "tongji"} {
				if strings.Contains(mustGet(t, a, mustUser(t, d, login), "/"), `data-testid="led"`) {
					t.Errorf("%s's board shows 我分管的", login)
				}
			}
		})

		t.Run("the township's ranking", func(t *testing.T) {
			for _, login := range []string{"tongji", "shuji"} {
				u := mustUser(t, d, login)
				section := between(t, mustGet(t, a, u, "/"), `data-testid="leaders"`, `</section>`)
				rows := leaderRows(t, section)
				// 刘晓明, 李卫东, 赵丽华 and 王红梅 are in charge of XX镇's own targets.
				if len(rows) != 4 {
					t.Fatalf("%s: %d leaders ranked, want 4:\n%s", login, len(rows), section)
				}
				total := 0
				for _, r := range rows {
					total += r.targets
				}
				if want := count(`SELECT COUNT(*) FROM targets WHERE township_id = $1 AND parent_id IS NULL AND leader_id IS NOT NULL`, res.TownshipID); total != want {
					t.Errorf("%s: the ranking counts %d targets, want %d", login, total, want)
				}
				for _, name := range []string{"刘晓明", "李卫东", "赵丽华", "王红梅", "党委委员、副镇长"} {
					if !strings.Contains(section, name) {
						t.Errorf("%s: the ranking lacks %s", login, name)
					}
				}
				if !strings.Contains(section, `data-leader="`+strconv.FormatInt(liu, 10)+`"`) {
					t.Errorf("%s: no row for 刘晓明", login)
				}
				// 王红梅's one target is a ceiling (安全生产事故起数) well under its
				// schedule: ahead, though its completion is below the share.
				var wang int64
				d.QueryRowContext(ctx, `SELECT id FROM people WHERE name = '王红梅'`).Scan(&wang)
				for _, r := range rows {
					if r.id == strconv.FormatInt(wang, 10) && !strings.HasPrefix(r.gap, "+") {
						t.Errorf("%s: 王红梅's ceiling reads %s, want ahead (+)", login, r.gap)
					}
				}
				checkRanking(t, a, u, rows)
			}
		})

		t.Run("the district's ranking", func(t *testing.T) {
			admin := mustUser(t, d, "admin")
			page := mustGet(t, a, admin, "/")
			section := between(t, page, `data-testid="district-leaders"`, `</section>`)
			rows := leaderRows(t, section)
			if len(rows) != 4 || !strings.Contains(section, demo.TownshipName) {
				t.Fatalf("the district ranks %d leaders, want XX镇's 4:\n%s", len(rows), section)
			}
			checkRanking(t, a, admin, rows)
			// The township shown below has its own.
			if !strings.Contains(page, `data-testid="leaders"`) {
				t.Error("the township's board below the league has no ranking")
			}
		})

		t.Run("a neighbour without a team", func(t *testing.T) {
			page := mustGet(t, a, mustUser(t, d, "linjiang"), "/")
			section := between(t, page, `data-testid="leaders"`, `</section>`)
			if !strings.Contains(section, "尚未为本级目标设定分管领导") || strings.Contains(section, `data-testid="leader-row"`) {
				t.Errorf("临江镇's ranking: want none yet\n%s", section)
			}
		})

		t.Run("a leader in charge of many sees the most urgent", func(t *testing.T) {
			tongji := auth.WithUser(ctx, mustUser(t, d, "tongji"))
			ids, err := d.QueryContext(ctx, `SELECT id FROM targets WHERE township_id = $1 AND parent_id IS NULL`, res.TownshipID)
			if err != nil {
				t.Fatal(err)
			}
			var all []int64
			for ids.Next() {
				var id int64
				ids.Scan(&id)
				all = append(all, id)
			}
			ids.Close()
			for _, id := range all {
				if _, err := a.Targets.SetLeader(tongji, id, &li); err != nil {
					t.Fatal(err)
				}
			}
			section := between(t, mustGet(t, a, mustUser(t, d, "zhenzhang"), "/"), `data-testid="led"`, `</section>`)
			if got := strings.Count(section, `data-testid="led-row"`); got != 10 {
				t.Errorf("%d rows, want the first 10 of %d", got, len(all))
			}
			if !strings.Contains(section, "全部"+strconv.Itoa(len(all))+"项") {
				t.Errorf("the section does not say there are %d", len(all))
			}
			lights := regexp.MustCompile(`class="light light-(\w+)"`).FindAllStringSubmatch(section, -1)
			reds := count(`SELECT COUNT(*) FROM target_progress WHERE township_id = $1 AND top = $2 AND light = 'red'`, res.TownshipID, true)
			for i, l := range lights {
				if (i < reds) != (l[1] == "red") {
					t.Errorf("row %d is %s: want the %d reds first", i+1, l[1], reds)
				}
			}
		})

		t.Run("a village's board ranks nobody", func(t *testing.T) {
			if strings.Contains(mustGet(t, a, mustUser(t, d, "shuangtang"), "/"), `data-testid="leaders"`) {
				t.Error("a village's board shows the leaders' ranking")
			}
		})
	})
}
