package e2e

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guatu/internal/app"
	"guatu/internal/demo"
	"guatu/internal/platform/db"
)

func TestUnitFormRejectsBadInput(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "admin", demo.Password)

		t.Run("empty name", func(t *testing.T) {
			before := countUnits(t, a)
			do(t, ctx, "open /units", chromedp.Navigate(base+"/units"), chromedp.WaitVisible(chromedp.CSS("[data-testid=unit-form]")))
			resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(`[data-testid=unit-form] button[type=submit]`)))
			if err != nil {
				t.Fatalf("submit the unit form: %v", err)
			}
			if resp.Status != 422 {
				t.Errorf("status = %d, want 422", resp.Status)
			}
			if got, want := text(t, ctx, "[data-testid=error-name]"), "必填"; !strings.Contains(got, want) {
				t.Errorf("name error = %q, want %s", got, want)
			}
			nextTo := get(t, ctx, "find the name field", chromedp.Evaluate[bool](
				`document.querySelector('[data-testid=error-name]').parentElement.contains(document.getElementById('name'))`))
			if !nextTo {
				t.Error("the name error is not next to the name field")
			}
			if after := countUnits(t, a); after != before {
				t.Errorf("units: %d before, %d after a rejected form", before, after)
			}
		})

		t.Run("move a township under its own village", func(t *testing.T) {
			town, village := unitID(t, a, demo.TownshipName), unitID(t, a, "双塘村")
			parentBefore := parentOf(t, a, town)
			do(t, ctx, "open the township", chromedp.Navigate(fmt.Sprintf("%s/units/%d", base, town)),
				chromedp.WaitVisible(chromedp.CSS("[data-testid=unit-edit]")))
			offered := get(t, ctx, "read the parent options", chromedp.Evaluate[[]string](
				`Array.from(document.querySelectorAll('[data-testid=unit-edit] select[name=parent_id] option'), o => o.value)`))
			v := strconv.FormatInt(village, 10)
			if slices.Contains(offered, v) {
				t.Logf("the form offers 双塘村 as a parent; choosing it")
			} else {
				// The form rightly does not offer it; craft the request a
				// tampering user would send, with the page's own CSRF token.
				do(t, ctx, "add 双塘村 to the parent select", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
					const sel = document.querySelector('[data-testid=unit-edit] select[name=parent_id]');
					const o = document.createElement('option');
					o.value = %q; o.textContent = '双塘村';
					sel.appendChild(o);
				})()`, v)))
			}
			do(t, ctx, "choose 双塘村", chromedp.SetValue(chromedp.CSS("[data-testid=unit-edit] select[name=parent_id]"), v))
			resp, err := chromedp.RunResponse(ctx, chromedp.Evaluate[chromedp.Void](
				`document.querySelector('[data-testid=unit-edit]').requestSubmit()`))
			if err != nil {
				t.Fatalf("submit the move: %v", err)
			}
			if resp.Status < 400 || resp.Status > 499 {
				t.Errorf("status = %d, want 4xx", resp.Status)
			}
			body := get(t, ctx, "read the page", chromedp.Evaluate[string](`document.body.innerText`))
			if want := "不能把单位移到它自己或它的下级单位之下"; !strings.Contains(body, want) {
				t.Errorf("page does not say %s:\n%s", want, body)
			}
			if after := parentOf(t, a, town); after != parentBefore {
				t.Errorf("township's parent changed from %d to %d", parentBefore, after)
			}
		})
	})
}

func countUnits(t *testing.T, a *app.App) int {
	t.Helper()
	var n int
	if err := a.DB.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM units`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func parentOf(t *testing.T, a *app.App, id int64) int64 {
	t.Helper()
	var parent int64
	if err := a.DB.QueryRowContext(context.Background(), `SELECT COALESCE(parent_id, 0) FROM units WHERE id = $1`, id).Scan(&parent); err != nil {
		t.Fatal(err)
	}
	return parent
}
