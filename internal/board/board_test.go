package board_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"guatu/internal/app"
	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/clock"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
)

// demoNow is a fixed day in the campaign, so the demo's lights are the same
// whenever the tests run.
var demoNow = time.Date(2026, 11, 25, 10, 0, 0, 0, clock.Beijing)

// mustApp builds the whole app over d with the clock fixed at now.
func mustApp(tb testing.TB, d *db.DB, now time.Time) *app.App {
	tb.Helper()
	a, err := app.New(app.Config{Log: slog.New(slog.DiscardHandler), Clock: &clock.Fixed{T: now}}, d)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// mustUser returns the account signed in as login.
func mustUser(tb testing.TB, d *db.DB, login string) *auth.User {
	tb.Helper()
	u, err := (&auth.Store{DB: d}).UserByLogin(context.Background(), login)
	if err != nil {
		tb.Fatalf("user %s: %v", login, err)
	}
	return u
}

// serve sends a GET through the app's router as u.
func serve(a *app.App, u *auth.User, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	if u != nil {
		req = req.WithContext(auth.WithUser(req.Context(), u))
	}
	rec := httptest.NewRecorder()
	a.Router.ServeHTTP(rec, req)
	return rec
}

func mustGet(t *testing.T, a *app.App, u *auth.User, path string) string {
	t.Helper()
	rec := serve(a, u, path)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s as %s: status %d\n%s", path, u.Login, rec.Code, rec.Body.String())
	}
	return rec.Body.String()
}

// untranslated finds keys rendered as "[key]" because the catalogue lacks them.
var untranslated = regexp.MustCompile(`\[[a-z_]+\.[a-z_.]+\]`)

func unitID(t *testing.T, d *db.DB, name string) int64 {
	t.Helper()
	var id int64
	if err := d.QueryRowContext(context.Background(), `SELECT id FROM units WHERE name = $1`, name).Scan(&id); err != nil {
		t.Fatalf("unit %s: %v", name, err)
	}
	return id
}

// chartData reads the JSON block board.js draws from.
func chartData(t *testing.T, page string) []map[string]any {
	t.Helper()
	const open = `<script type="application/json" id="board-data">`
	i := strings.Index(page, open)
	if i < 0 {
		t.Fatal("no chart data block")
	}
	rest := page[i+len(open):]
	j := strings.Index(rest, "</script>")
	var data struct {
		Months []string         `json:"months"`
		Charts []map[string]any `json:"charts"`
	}
	if err := json.Unmarshal([]byte(rest[:j]), &data); err != nil {
		t.Fatalf("chart data: %v\n%s", err, rest[:j])
	}
	if len(data.Months) != 12 {
		t.Errorf("months = %v, want 12", data.Months)
	}
	return data.Charts
}

func TestTownshipBoard(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res, err := demo.Load(context.Background(), d, demoNow)
		if err != nil {
			t.Fatal(err)
		}
		a := mustApp(t, d, demoNow)
		page := mustGet(t, a, mustUser(t, d, "shuji"), "/")

		town := strconv.FormatInt(res.TownshipID, 10)
		for _, want := range []string{
			// 22 September to 31 December: 101 days, 25 November is the 65th.
			`“大干一百天，冲刺四季度”进行到`,
			`<div class="v"><small>第</small>65<small>天</small></div>`,
			`共101天 · 还剩37天`, // 25 November to 31 December, both counted
			`数据截至2026年1-10月`,
			`序时进度 83.3%`,
			`href="/targets?light=red&amp;unit=` + town + `"`,
			`href="/targets?light=yellow&amp;unit=` + town + `"`,
			`href="/targets?light=green&amp;unit=` + town + `"`,
			`data-testid="lagging"`,
			`/board/board.js"></script>`,
			`vendor/echarts.min.js`,
			`/board/board.css">`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("board lacks %s", want)
			}
		}
		if strings.Contains(page, `data-testid="board-empty"`) {
			t.Errorf("the township's board, with its targets, says it has none")
		}
		// The campaign ends with the year: one countdown, not two saying 37.
		if strings.Contains(page, `data-testid="year-end-days"`) {
			t.Errorf("the board counts down to the year's end beside a campaign that ends with it")
		}
		table := between(t, page, `data-testid="indicator-table"`, `</table>`)
		for _, light := range []string{"red", "yellow", "green"} {
			if !strings.Contains(table, `class="light light-`+light+`" data-testid="light"`) {
				t.Errorf("indicator table has no %s light", light)
			}
		}
		if n := strings.Count(table, `<div class="progress"`); n != 17 {
			t.Errorf("indicator table has %d progress bars, want one per demo indicator (17)", n)
		}
		if !strings.Contains(table, `class="schedule" style="left: 83.3%"`) {
			t.Errorf("progress bars lack the schedule mark at 10/12")
		}
		if m := untranslated.FindAllString(page, -1); len(m) > 0 {
			t.Errorf("untranslated keys: %v", m)
		}
		charts := chartData(t, page)
		if len(charts) != 17 {
			t.Fatalf("%d charts, want 17", len(charts))
		}
		for _, c := range charts {
			actual, _ := c["actual"].([]any)
			// Every demo indicator has September (quarterly ones too), none
			// has November.
			if len(actual) != 12 || actual[8] == nil || actual[10] != nil {
				t.Errorf("chart %v: actual = %v, want figures to September at least and none after October", c["name"], actual)
			}
			if c["name"] == "入库税收" {
				sched, _ := c["schedule"].([]any)
				if len(sched) != 12 || sched[11] != 52000.0 || sched[5] != 26000.0 {
					t.Errorf("入库税收 schedule = %v, want 52000 × N/12", sched)
				}
				// The corrected September figure is the one drawn, not the typo.
				if sep := actual[8].(float64); sep > 52000 {
					t.Errorf("入库税收 September = %v: the typo, not its correction", sep)
				}
			}
		}
	})
}

func between(t *testing.T, s, from, to string) string {
	t.Helper()
	i := strings.Index(s, from)
	if i < 0 {
		t.Fatalf("page lacks %s", from)
	}
	j := strings.Index(s[i:], to)
	if j < 0 {
		t.Fatalf("page lacks %s after %s", to, from)
	}
	return s[i : i+j]
}

func TestDistrictBoard(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		res, err := demo.Load(context.Background(), d, demoNow)
		if err != nil {
			t.Fatal(err)
		}
		a := mustApp(t, d, demoNow)
		admin := mustUser(t, d, "admin")

		page := mustGet(t, a, admin, "/")
		league := between(t, page, `data-testid="league"`, `</table>`)
		for _, town := range []string{demo.TownshipName, demo.NeighbourA, demo.NeighbourB} {
			if !strings.Contains(league, ">"+town+"</a>") {
				t.Errorf("league lacks %s", town)
			}
		}
		for rank := 1; rank <= 3; rank++ {
			if !strings.Contains(league, `class="rank rank-`+strconv.Itoa(rank)+`"`) {
				t.Errorf("league lacks rank %d", rank)
			}
		}
		// 临江镇 runs ahead of XX镇, and 青山镇 behind it (the demo's paces).
		a1, x, b1 := strings.Index(league, demo.NeighbourA), strings.Index(league, ">"+demo.TownshipName+"<"), strings.Index(league, demo.NeighbourB)
		if !(a1 < x && x < b1) {
			t.Errorf("league order: %s at %d, %s at %d, %s at %d; want the demo's paces", demo.NeighbourA, a1, demo.TownshipName, x, demo.NeighbourB, b1)
		}
		if !strings.Contains(page, `data-testid="township-select"`) {
			t.Errorf("district board has no township select")
		}
		if got := between(t, page, `data-testid="board-unit"`, `</div>`); !strings.Contains(got, demo.TownshipName) {
			t.Errorf("district board shows %q first, want %s", got, demo.TownshipName)
		}

		neighbour := res.Neighbours[0]
		page = mustGet(t, a, admin, "/?unit="+strconv.FormatInt(neighbour, 10))
		if got := between(t, page, `data-testid="board-unit"`, `</div>`); !strings.Contains(got, demo.NeighbourA) {
			t.Errorf("?unit=%d shows %q, want %s", neighbour, got, demo.NeighbourA)
		}
		if !strings.Contains(page, `<tr class="selected">`) {
			t.Errorf("the league does not mark the township shown")
		}
		// A unit that is not a township of the district falls back to the first.
		page = mustGet(t, a, admin, "/?unit="+strconv.FormatInt(unitID(t, d, "双塘村"), 10))
		if got := between(t, page, `data-testid="board-unit"`, `</div>`); !strings.Contains(got, demo.TownshipName) {
			t.Errorf("?unit=村 shows %q, want the first township", got)
		}
		if m := untranslated.FindAllString(page, -1); len(m) > 0 {
			t.Errorf("untranslated keys: %v", m)
		}
	})
}

func TestBoardOfOthers(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
			t.Fatal(err)
		}
		a := mustApp(t, d, demoNow)

		// A village reporter cannot read the township's targets: the board
		// is the village's own, under the township's campaign.
		page := mustGet(t, a, mustUser(t, d, "shuangtang"), "/")
		if got := between(t, page, `data-testid="board-unit"`, `</div>`); !strings.Contains(got, "双塘村") {
			t.Errorf("village reporter sees %q, want 双塘村", got)
		}
		for _, want := range []string{"入库税收", "新发展市场主体", "大干一百天"} {
			if !strings.Contains(page, want) {
				t.Errorf("village board lacks %s", want)
			}
		}

		// A neighbour's statistician sees only their own town.
		page = mustGet(t, a, mustUser(t, d, "linjiang"), "/?unit="+strconv.FormatInt(unitID(t, d, demo.TownshipName), 10))
		if got := between(t, page, `data-testid="board-unit"`, `</div>`); !strings.Contains(got, demo.NeighbourA) {
			t.Errorf("linjiang sees %q, want %s", got, demo.NeighbourA)
		}
		if strings.Contains(page, `data-testid="league"`) {
			t.Errorf("a township viewer sees the district league")
		}

		// The person with targets of their own sees them.
		page = mustGet(t, a, mustUser(t, d, "tongji"), "/")
		if strings.Contains(page, `data-testid="mine"`) {
			t.Errorf("tongji has no targets of their own, yet the board lists some")
		}

		// Signed out, the board sends the visitor to sign in.
		if rec := serve(a, nil, "/"); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("signed out: %d %s, want a redirect to /login", rec.Code, rec.Header().Get("Location"))
		}
	})
}

func TestBoardWithoutFigures(t *testing.T) {
	d := apptest.SQLite(t)
	if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
		t.Fatal(err)
	}
	// The next year: no targets, no figures, no campaign yet.
	next := time.Date(2027, 1, 5, 9, 0, 0, 0, clock.Beijing)
	a := mustApp(t, d, next)
	page := mustGet(t, a, mustUser(t, d, "shuji"), "/")
	// Last year's campaign is over, and the year's countdown is shown.
	for _, want := range []string{"2027年尚无数据", "本年度尚未设定目标", `<div class="v">361<small>天</small>`, `data-phase="over"`, "已结束", "2026-09-22至2026-12-31，共101天"} {
		if !strings.Contains(page, want) {
			t.Errorf("empty board lacks %s", want)
		}
	}
	if strings.Contains(page, "board.js") {
		t.Errorf("a board without charts loads the chart script")
	}
	// A leader may set the targets the board waits for.
	if !strings.Contains(page, `data-testid="board-empty"`) || !strings.Contains(page, `href="/targets/new"`) {
		t.Errorf("the township's board before its targets are set does not say so, or offers no way to set them")
	}
	// Last year's board can still be read.
	page = mustGet(t, a, mustUser(t, d, "shuji"), "/?year=2026")
	if !strings.Contains(page, "数据截至2026年1-10月") {
		t.Errorf("?year=2026 does not show 2026's board")
	}
}

func TestAssets(t *testing.T) {
	d := apptest.SQLite(t)
	if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
		t.Fatal(err)
	}
	a := mustApp(t, d, demoNow)
	page := mustGet(t, a, mustUser(t, d, "shuji"), "/")
	for _, tc := range []struct{ name, ctype, marker string }{
		{"board/board.js", "text/javascript", "echarts.init"},
		{"board/board.css", "text/css", ".board .hero"},
	} {
		url := a.Pages.Assets().URL(tc.name)
		if !strings.Contains(page, `"`+url+`"`) {
			t.Errorf("the board does not link %s", url)
		}
		rec := serve(a, nil, url)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), tc.ctype) || !strings.Contains(rec.Body.String(), tc.marker) {
			t.Errorf("GET %s: %d %q, want %s with %s", url, rec.Code, rec.Header().Get("Content-Type"), tc.ctype, tc.marker)
		}
		if got := rec.Header().Get("Cache-Control"); !strings.Contains(got, "immutable") {
			t.Errorf("GET %s: Cache-Control %q, want immutable", url, got)
		}
		stale := "/static/000000000000/" + tc.name
		if got := serve(a, nil, stale).Header().Get("Cache-Control"); got != "no-cache" {
			t.Errorf("GET %s under an old hash: Cache-Control %q, want no-cache", tc.name, got)
		}
	}
}

// TestKeptBoardFollowsTheData shows the board kept in memory is made again
// the moment its township's figures change, on every instance: a figure
// entered through a second app on the same database shows on the first.
func TestKeptBoardFollowsTheData(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
			t.Fatal(err)
		}
		first, second := mustApp(t, d, demoNow), mustApp(t, d, demoNow)
		shuji := mustUser(t, d, "shuji")
		before := mustGet(t, first, shuji, "/")
		if again := mustGet(t, first, shuji, "/"); again != before {
			t.Fatal("two readings of an unchanged board differ")
		}
		ctx := auth.WithUser(context.Background(), mustUser(t, d, "tongji"))
		var id int64
		if err := d.QueryRowContext(ctx, `SELECT t.id FROM targets t JOIN indicators i ON i.id = t.indicator_id JOIN units u ON u.id = t.unit_id
			WHERE i.name = '入库税收' AND u.name = 'XX镇' AND t.person_id IS NULL`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		v := 98765.0
		if _, err := second.Targets.AddFigure(ctx, id, targets.FigureInput{Period: "2026-10", Value: &v, Reason: "更正"}); err != nil {
			t.Fatal(err)
		}
		after := mustGet(t, first, shuji, "/")
		if !strings.Contains(after, "98,765") || strings.Contains(before, "98,765") {
			t.Errorf("the kept board does not show the new figure 98,765")
		}
		// Another language is kept apart.
		en := *shuji
		en.Lang = "en"
		if page := mustGet(t, first, &en, "/"); !strings.Contains(page, "98,765") || strings.Contains(page, "数据截至") {
			t.Errorf("the English board is not the English one with the new figure")
		}
	})
}

// TestKeptBoardFollowsNames: a leader renamed, or a unit, shows by the new
// name on the board kept in memory, on another instance too.
func TestKeptBoardFollowsNames(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
			t.Fatal(err)
		}
		first, second := mustApp(t, d, demoNow), mustApp(t, d, demoNow)
		shuji := mustUser(t, d, "shuji")
		if before := mustGet(t, first, shuji, "/"); !strings.Contains(before, "刘晓明") {
			t.Fatal("the board does not name 刘晓明 among the leaders in charge")
		}
		admin := auth.WithUser(context.Background(), mustUser(t, d, "admin"))
		var id int64
		if err := d.QueryRowContext(admin, `SELECT id FROM people WHERE name = '刘晓明'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		p, err := second.Org.Person(admin, id)
		if err != nil {
			t.Fatal(err)
		}
		in := org.PersonInput{UnitID: p.UnitID, Name: "刘小明", Title: p.Title, Phone: p.Phone, Duty: p.Duty, Sort: p.Sort}
		if _, err := second.Org.UpdatePerson(admin, id, in); err != nil {
			t.Fatal(err)
		}
		after := mustGet(t, first, shuji, "/")
		if !strings.Contains(after, "刘小明") || strings.Contains(after, "刘晓明") {
			t.Errorf("the kept board still names 刘晓明, not 刘小明")
		}
	})
}

// TestBoardWithoutTargets: a grid worker, whose grid has no targets, sees
// what the board will show once it has some and where to go meanwhile, not
// tiles and tables of zeros.
func TestBoardWithoutTargets(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
			t.Fatal(err)
		}
		a := mustApp(t, d, demoNow)
		grid := strconv.FormatInt(unitID(t, d, "第一网格"), 10)
		page := mustGet(t, a, mustUser(t, d, "wangge"), "/")

		empty := between(t, page, `data-testid="board-empty"`, `</section>`)
		for _, want := range []string{
			"第一网格本年度尚未设定目标",
			"目标下达到第一网格后，作战板将显示",
			`href="/units/` + grid + `"`,
			`href="/people?unit=` + grid + `"`,
			`href="/campaigns/`,
			`href="/account"`,
		} {
			if !strings.Contains(empty, want) {
				t.Errorf("the grid worker's board lacks %s:\n%s", want, empty)
			}
		}
		// A grid worker sets no targets.
		if strings.Contains(empty, `href="/targets/new"`) {
			t.Errorf("the grid worker is offered to set a target")
		}
		for _, absent := range []string{`data-testid="light-counts"`, `data-testid="indicator-table"`, `data-testid="lagging"`, `data-testid="charts"`} {
			if strings.Contains(page, absent) {
				t.Errorf("the grid worker's board still shows %s", absent)
			}
		}
		// The campaign's countdown stays: the grid works to it too.
		if !strings.Contains(page, `data-testid="campaign-days"`) {
			t.Errorf("the grid worker's board lost the campaign's countdown")
		}
		if m := untranslated.FindAllString(page, -1); len(m) > 0 {
			t.Errorf("untranslated keys: %v", m)
		}

		// A village reporter's village has targets: the board counts them.
		page = mustGet(t, a, mustUser(t, d, "shuangtang"), "/")
		if strings.Contains(page, `data-testid="board-empty"`) || !strings.Contains(page, `data-testid="light-counts"`) {
			t.Errorf("the village's board, with targets, reads as empty")
		}
	})
}
