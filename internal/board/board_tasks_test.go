package board_test

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"guatu/internal/app/apptest"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

// boardTile is one of the board's task counts: its name, link and count.
var boardTile = regexp.MustCompile(`href="([^"]+)" data-testid="(task\.tile\.[a-z]+)"><span class="k">[^<]*</span><span class="v">(\d+)<small>`)

var listTotal = regexp.MustCompile(`data-testid="tasks-total">共(\d+)条<`)

// TestBoardTaskCountsAreTheirLists: every count of supervised tasks on the
// board, for every role, is the total of the register it links to, the
// rows of that list's download and the API's total for the same filter.
func TestBoardTaskCountsAreTheirLists(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		if _, err := demo.Load(context.Background(), d, demoNow); err != nil {
			t.Fatal(err)
		}
		a := mustApp(t, d, demoNow)
		nonzero := map[string]bool{}
		for _, login := range []string{"admin", "shuji", "duban", "tongji", "shuangtang", "donghu", "guest"} {
			u := mustUser(t, d, login)
			tiles := boardTile.FindAllStringSubmatch(mustGet(t, a, u, "/"), -1)
			if login != "donghu" && len(tiles) != 8 {
				t.Fatalf("%s: the board has %d task counts, want 8", login, len(tiles))
			}
			for _, m := range tiles {
				href, name := html.UnescapeString(m[1]), m[2]
				want, _ := strconv.Atoi(m[3])
				if want > 0 {
					nonzero[name] = true
				}
				page := mustGet(t, a, u, href)
				got := listTotal.FindStringSubmatch(page)
				if got == nil || got[1] != m[3] {
					t.Errorf("%s: %s counts %d, its list %s says %v", login, name, want, href, got)
				}
				query := strings.TrimPrefix(href, "/tasks?")
				rows := exportRows(t, mustGet(t, a, u, "/tasks.xlsx?"+query))
				if rows != want {
					t.Errorf("%s: %s counts %d, the download has %d rows", login, name, want, rows)
				}
				var api struct{ Total int }
				if err := json.Unmarshal([]byte(mustGet(t, a, u, "/api/v1/tasks?"+query)), &api); err != nil {
					t.Fatal(err)
				}
				if api.Total != want {
					t.Errorf("%s: %s counts %d, the API's total is %d", login, name, want, api.Total)
				}
			}
		}
		for _, name := range []string{"task.tile.open", "task.tile.overdue", "task.tile.due", "task.tile.listed", "task.tile.claim", "task.tile.feedback", "task.tile.yellow", "task.tile.red"} {
			if !nonzero[name] {
				t.Errorf("no board shows a %s above zero: the demo proves nothing of it", name)
			}
		}
	})
}

// exportRows counts the data rows of a register download: the rows below
// its header (the first row whose first cell is 编号).
func exportRows(t *testing.T, body string) int {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetName(0))
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if len(r) > 0 && r[0] == "编号" {
			n := 0
			for _, r := range rows[i+1:] {
				if len(r) > 0 && r[0] != "" {
					n++
				}
			}
			return n
		}
	}
	t.Fatalf("the download has no header row:\n%v", rows)
	return 0
}
