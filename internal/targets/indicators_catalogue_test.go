package targets_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"guatu/internal/app/apptest"
	"guatu/internal/platform/db"
)

// TestIndicatorParentAndAliasesForm: the indicators page shows a sub-item
// under its parent with the aliases the viewer sees; a statistician sets an
// own indicator's parent, keeps the township's aliases of a shared one
// (audited, shown again when editing), and is told next to the field when an
// alias would name two indicators.
func TestIndicatorParentAndAliasesForm(t *testing.T) {
	apptest.Engines(t, func(t *testing.T, d *db.DB) {
		_, login := pageServer(t, d)
		c := login("tongji")
		s := store(d)
		tongji := as(t, d, "tongji")
		ind := func(name string) int64 { return indicatorNamed(t, s, tongji, name).ID }

		_, page, _ := c.get("/indicators")
		for _, want := range []string{`其中项，属固定资产投资`, `别名：公共财政预算收入、地方一般公共预算收入`} {
			if !strings.Contains(page, want) {
				t.Errorf("the catalogue lacks %s", want)
			}
		}

		form := url.Values{"name": {"乡村振兴投资"}, "measure_unit": {"亿元"}, "measure": {"cumulative"}, "direction": {"higher"}, "cadence": {"monthly"}, "additive": {"1"},
			"parent_id": {itoa64(ind("固定资产投资"))}}
		if status, _, _ := c.post("/indicators", form); status != http.StatusSeeOther {
			t.Fatalf("add a sub-item: %d, want 303", status)
		}
		if got := indicatorNamed(t, s, tongji, "乡村振兴投资").ParentID; got == nil || *got != ind("固定资产投资") {
			t.Errorf("the new indicator's parent = %v", got)
		}
		// A parent that is itself a sub-item is refused next to the field.
		form.Set("name", "技改投资")
		form.Set("parent_id", itoa64(ind("工业投资")))
		status, body, _ := c.post("/indicators", form)
		if m := regexp.MustCompile(`data-testid="error-parent_id">([^<]*)<`).FindStringSubmatch(body); status != http.StatusUnprocessableEntity || m == nil || !strings.Contains(m[1], "工业投资") {
			t.Errorf("a two-level parent: %d, error %v", status, m)
		}

		tax := ind("税收收入")
		_, page, _ = c.get("/indicators?edit=" + itoa64(tax))
		if !strings.Contains(page, `data-testid="alias-form"`) || !strings.Contains(page, "本镇别名") {
			t.Fatalf("editing a shared indicator offers no township alias form")
		}
		before := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator_aliases' AND actor_login = 'tongji'`)
		status, _, h := c.post("/indicators/"+itoa64(tax)+"/aliases", url.Values{"aliases": {"入库税收，镇级税收"}})
		if status != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/indicators?edit=") {
			t.Fatalf("save aliases: %d to %q", status, h.Get("Location"))
		}
		if got := countRows(t, d, `SELECT COUNT(*) FROM audit_log WHERE entity = 'indicator_aliases' AND actor_login = 'tongji'`); got != before+1 {
			t.Errorf("%d alias audit entries by tongji, want %d", got, before+1)
		}
		_, page, _ = c.get("/indicators?edit=" + itoa64(tax))
		if !strings.Contains(page, ">入库税收、镇级税收</textarea>") {
			t.Errorf("the alias form does not show the saved aliases")
		}
		// The district's administrator sees whose they are; another township does not see them.
		if _, page, _ := login("admin").get("/indicators?q=税收收入"); !strings.Contains(page, "别名：入库税收（XX镇）、镇级税收（XX镇）") {
			t.Errorf("the district's catalogue does not name the township of its aliases")
		}
		if _, page, _ := login("linjiang").get("/indicators?q=税收收入"); strings.Contains(page, "镇级税收") {
			t.Errorf("临江镇 sees XX镇's aliases")
		}
		status, body, _ = c.post("/indicators/"+itoa64(ind("工业投资"))+"/aliases", url.Values{"aliases": {"镇级税收"}})
		if m := regexp.MustCompile(`data-testid="error-aliases">([^<]*)<`).FindStringSubmatch(body); status != http.StatusConflict || m == nil || !strings.Contains(m[1], "税收收入") {
			t.Errorf("an alias naming two indicators: %d, error %v", status, m)
		}
		if !strings.Contains(body, ">镇级税收</textarea>") {
			t.Errorf("the refused aliases are not shown as typed")
		}
		if status, _, _ := login("shuangtang").post("/indicators/"+itoa64(tax)+"/aliases", url.Values{"aliases": {"税"}}); status != http.StatusForbidden {
			t.Errorf("a reporter setting aliases = %d, want 403", status)
		}
	})
}
