package e2e

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"guatu/internal/demo"
	"guatu/internal/platform/db"
	"guatu/internal/targets"
	"guatu/web"
)

// axeSource is axe-core, vendored for the tests only (testdata/axe/VERSIONS):
// it is read from disk here and never embedded in the binary.
func axeSource(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "axe", "axe.min.js"))
	if err != nil {
		t.Fatalf("read axe-core: %v", err)
	}
	return string(b)
}

// axeViolation is one failed axe rule on a page, with the nodes it failed on.
type axeViolation struct {
	ID      string   `json:"id"`
	Impact  string   `json:"impact"`
	Help    string   `json:"help"`
	Targets []string `json:"targets"`
}

// axeRun is the script that checks the page against WCAG 2.1 A and AA and
// axe's best practices, keeping what is serious or critical: the bar every
// page must clear for GB/T 37668-2019, which follows WCAG 2.0 AA.
const axeRun = `axe.run(document, {resultTypes: ['violations']}).then(r =>
  r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : ''))
  })))`

// checkAxe injects axe into the page the browser shows and fails the test
// for every serious or critical violation, naming the rule, its impact, the
// nodes and the page.
func checkAxe(t *testing.T, ctx context.Context, src, page string) {
	t.Helper()
	do(t, ctx, "inject axe into "+page, chromedp.Evaluate[chromedp.Void](src))
	vs := get(t, ctx, "run axe on "+page, chromedp.Evaluate[[]axeViolation](axeRun, chromedp.EvalAwaitPromise))
	for _, v := range vs {
		t.Errorf("%s: %s (%s): %s\n  %s", page, v.ID, v.Impact, v.Help, strings.Join(v.Targets, "\n  "))
	}
}

// a11yPages are the pages of every room, as a person reaches them; a
// detail page is found by following the first matching link of its list.
var a11yPages = []struct {
	path   string
	detail *regexp.Regexp // when set, also open the first link of path matching it
	deeper *regexp.Regexp // and then the first link of that detail page matching this
}{
	{path: "/"},
	{path: "/targets", detail: regexp.MustCompile(`^/targets/\d+$`)},
	{path: "/targets?late=1"},
	{path: "/targets/new"},
	{path: "/targets/import"},
	{path: "/indicators"},
	{path: "/settings/targets"},
	{path: "/targets/review"},
	{path: "/tasks?open=1", detail: regexp.MustCompile(`^/tasks/\d+$`), deeper: regexp.MustCompile(`^/tasks/\d+/edit$`)},
	{path: "/tasks/todo"},
	{path: "/tasks/new"},
	{path: "/tasks/cards"},
	{path: "/tasks/import"},
	{path: "/projects", detail: regexp.MustCompile(`^/projects/\d+$`), deeper: regexp.MustCompile(`^/projects/\d+/edit$`)},
	{path: "/projects/new"},
	{path: "/projects/import"},
	{path: "/units", detail: regexp.MustCompile(`^/units/\d+$`)},
	{path: "/people", detail: regexp.MustCompile(`^/people/\d+$`)},
	{path: "/team"},
	{path: "/users", detail: regexp.MustCompile(`^/users/\d+$`)},
	{path: "/campaigns", detail: regexp.MustCompile(`^/campaigns/\d+$`)},
	{path: "/campaigns/new"},
	{path: "/audit"},
	{path: "/account"},
	{path: "/inbox", detail: regexp.MustCompile(`^/inbox/\d+$`)},
	{path: "/admin/webhooks"},
	{path: "/admin/deliveries"},
	{path: "/admin/jobs"},
}

// TestAccessibility opens every page each demo role can reach, in Chinese,
// and checks it with axe-core: no serious or critical violation of WCAG 2.1
// AA. Pages a role may not open answer with the error page, which is
// checked the first time it shows.
//
// It runs on SQLite only: the markup of a page does not depend on the
// engine behind it, the other browser tests read every page on both, and
// this walk over eight roles' pages is the longest of the suite.
func TestAccessibility(t *testing.T) {
	src := axeSource(t)
	roles := []string{"admin", "shuji", "duban", "tongji", "shuangtang", "wangge", "guest", "linjiang"}
	onSQLite(t, func(t *testing.T, engine db.Dialect) {
		base, _ := startServer(t, engine)
		t.Run("signed out", func(t *testing.T) {
			ctx := newBrowser(t)
			do(t, ctx, "open /login", chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.ID("login")))
			checkAxe(t, ctx, src, "/login")
			do(t, ctx, "fail to sign in", submitLogin(base, "admin", "wrong-password"), chromedp.WaitVisible(chromedp.CSS(".alert")))
			checkAxe(t, ctx, src, "/login (failed)")
		})
		t.Run("import preview", func(t *testing.T) {
			ctx := newBrowser(t)
			login(t, ctx, base, "tongji", demo.Password)
			bad := writeSheet(t, "bad.xlsx", []targets.SheetRow{
				{Indicator: "入库税收", MeasureUnit: "户", Value: fv(100)},
				{Indicator: "固定资产投资", MeasureUnit: "亿元", Value: fv(27.5), LastYear: fv(26)},
				// A sub-item, and a name the catalogue lacks with its add form.
				{Indicator: "其中：工业投资", MeasureUnit: "亿元", Value: fv(12)},
				{Indicator: "乡村旅游收入", MeasureUnit: "万元", Value: fv(120)},
			})
			uploadSheet(t, ctx, base, bad)
			do(t, ctx, "see the add form", chromedp.WaitVisible(chromedp.CSS(`[data-testid=add-indicator]`)))
			checkAxe(t, ctx, src, "tongji /targets/import/{token} (with problems)")
		})
		for _, role := range roles {
			t.Run(role, func(t *testing.T) {
				ctx := newBrowser(t)
				login(t, ctx, base, role, demo.Password)
				walkAxe(t, ctx, src, base, role)
			})
		}
	})
}

// walkAxe opens every page of a11yPages the signed-in browser can reach,
// and the first detail page each list links to, and checks each with axe.
// Pages the account may not open answer with the error page, which is
// checked the first time it shows.
func walkAxe(t *testing.T, ctx context.Context, src, base, who string) {
	t.Helper()
	errorPage := false
	open := func(path string) bool {
		t.Helper()
		do(t, ctx, "open "+path, chromedp.Navigate(base+path), chromedp.WaitReady(chromedp.CSS("footer")))
		// Let the board and the target page draw their charts, which add
		// nodes axe should see.
		time.Sleep(300 * time.Millisecond)
		denied := get(t, ctx, "look at "+path, chromedp.Evaluate[bool](`!!document.querySelector('.error-page')`))
		if denied && !errorPage {
			errorPage = true
			checkAxe(t, ctx, src, who+" "+path+" (error page)")
		}
		return !denied
	}
	checked := 0
	for _, p := range a11yPages {
		if !open(p.path) {
			continue
		}
		checkAxe(t, ctx, src, who+" "+p.path)
		checked++
		if p.detail == nil {
			continue
		}
		hrefs := get(t, ctx, "links of "+p.path, chromedp.Evaluate[[]string](
			`Array.from(document.querySelectorAll('main a[href]'), a => a.getAttribute('href'))`))
		for _, h := range hrefs {
			if p.detail.MatchString(h) {
				if open(h) {
					checkAxe(t, ctx, src, who+" "+h)
					checked++
					checked += a11yDeeper(t, ctx, src, who, p.deeper, open)
				}
				break
			}
		}
	}
	if checked < 3 {
		t.Errorf("%s reached only %d pages: the page list or the sign-in is wrong", who, checked)
	}
	t.Logf("%s: %d pages checked", who, checked)
}

// TestKeyboardNarrow drives the menu at 390 px with the keyboard alone: the
// skip link is the first Tab stop and lands on the main content, the menu
// button opens with Enter, saying so with aria-expanded, and shows the
// navigation, which axe finds nothing wrong with.
func TestKeyboardNarrow(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)
		login(t, ctx, base, "shuji", demo.Password)
		do(t, ctx, "narrow the window", chromedp.EmulateViewport(390, 800, chromedp.EmulateMobile))
		do(t, ctx, "open the board", chromedp.Navigate(base+"/"), chromedp.WaitReady(chromedp.CSS("footer")))

		focused := func(step string) string {
			t.Helper()
			return get(t, ctx, step, chromedp.Evaluate[string](`(() => {
				const e = document.activeElement;
				if (!e || e === document.body) return '';
				return e.tagName.toLowerCase() + (e.id ? '#' + e.id : '') + '|' + (e.getAttribute('href') || '') + '|' + e.textContent.trim();
			})()`))
		}
		do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
		if got := focused("read the first Tab stop"); !strings.HasPrefix(got, "a|#main|跳到正文") {
			t.Fatalf("first Tab stop = %q, want the skip link 跳到正文 to #main", got)
		}
		if !get(t, ctx, "see the skip link", chromedp.Evaluate[bool](`(() => { const r = document.activeElement.getBoundingClientRect(); return r.width > 0 && r.top >= 0 && r.top < window.innerHeight; })()`)) {
			t.Errorf("the focused skip link is not on screen")
		}
		do(t, ctx, "follow the skip link", chromedp.KeyEvent(kb.Enter))
		if got := focused("read the focus after the skip link"); !strings.HasPrefix(got, "main#main") {
			t.Errorf("after the skip link the focus is on %q, want the main content", got)
		}

		do(t, ctx, "reload the board", chromedp.Navigate(base+"/"), chromedp.WaitReady(chromedp.CSS("footer")))
		navVisible := `(() => { const a = document.querySelector('#mainnav a'); return !!a && a.getBoundingClientRect().height > 0 && getComputedStyle(a).visibility !== 'hidden'; })()`
		expanded := `document.querySelector('button.nav-toggle').getAttribute('aria-expanded')`
		if get(t, ctx, "look at the closed menu", chromedp.Evaluate[bool](navVisible)) {
			t.Errorf("at 390 px the navigation shows before the menu is opened")
		}
		if got := get(t, ctx, "read aria-expanded", chromedp.Evaluate[string](expanded)); got != "false" {
			t.Errorf("closed menu: aria-expanded = %q, want false", got)
		}
		// Tab from the top until the menu button has the focus: the skip
		// link, the brand, then the button.
		reached := false
		for i := 0; i < 5 && !reached; i++ {
			do(t, ctx, "press Tab", chromedp.KeyEvent(kb.Tab))
			reached = strings.HasPrefix(focused("read the focus"), "button")
		}
		if !reached {
			t.Fatalf("five Tabs did not reach the menu button; the focus is on %q", focused("read the focus"))
		}
		if got := get(t, ctx, "name the menu button", chromedp.Evaluate[string](`document.activeElement.getAttribute('aria-controls')`)); got != "mainnav" {
			t.Errorf("menu button aria-controls = %q, want mainnav", got)
		}
		do(t, ctx, "press Enter on the menu button", chromedp.KeyEvent(kb.Enter))
		if got := get(t, ctx, "read aria-expanded", chromedp.Evaluate[string](expanded)); got != "true" {
			t.Errorf("opened menu: aria-expanded = %q, want true", got)
		}
		if !get(t, ctx, "look at the open menu", chromedp.Evaluate[bool](navVisible)) {
			t.Errorf("after Enter on the menu button no navigation link is visible")
		}
		if os.Getenv("GUATU_E2E_SHOTS") != "" {
			shot(t, ctx, filepath.Join(os.Getenv("GUATU_E2E_SHOTS"), "board-390-menu.png"))
		}
		checkAxe(t, ctx, axeSource(t), "/ at 390 px, menu open")
		do(t, ctx, "press Space on the menu button", chromedp.KeyEvent(" "))
		if got := get(t, ctx, "read aria-expanded", chromedp.Evaluate[string](expanded)); got != "false" {
			t.Errorf("menu closed with Space: aria-expanded = %q, want false", got)
		}

		// 200% zoom on a 1280 px screen: a 640 px wide page at scale 2. The
		// menu button shows, the board's table keeps every column and
		// scrolls in its box, the page itself does not, and the print
		// button is there.
		do(t, ctx, "zoom to 200%", chromedp.EmulateViewport(640, 450, chromedp.EmulateScale(2)),
			chromedp.Navigate(base+"/"), chromedp.WaitReady(chromedp.CSS("footer")))
		type zoomed struct {
			Toggle, Print bool
			Hidden        int
			Page, Width   int
		}
		z := get(t, ctx, "measure the zoomed board", chromedp.Evaluate[zoomed](`(() => {
			const shown = e => !!e && e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
			const cells = document.querySelectorAll('[data-testid=indicator-table] th, [data-testid=indicator-table] td');
			return {
				toggle: shown(document.querySelector('button.nav-toggle')),
				print: shown(document.querySelector('[data-print]')),
				hidden: Array.from(cells).filter(c => !shown(c)).length,
				page: document.documentElement.scrollWidth, width: window.innerWidth
			};
		})()`))
		if !z.Toggle {
			t.Errorf("at 200%% zoom the menu button is not shown")
		}
		if !z.Print {
			t.Errorf("at 200%% zoom the print button is hidden")
		}
		if z.Hidden > 0 {
			t.Errorf("at 200%% zoom %d cells of the indicator table are hidden, want every column shown (the table scrolls)", z.Hidden)
		}
		if z.Page > z.Width+1 {
			t.Errorf("at 200%% zoom the page is %d px wide in a %d px window: it scrolls sideways", z.Page, z.Width)
		}
		if dir := os.Getenv("GUATU_E2E_SHOTS"); dir != "" {
			do(t, ctx, "scroll to the indicators", chromedp.Evaluate[chromedp.Void](`document.querySelector('[data-testid=indicator-table]').scrollIntoView()`))
			shot(t, ctx, filepath.Join(dir, "board-200pct.png"))
		}
	})
}

// shot saves the viewport as a PNG, for looking at a layout by eye; its
// folder is made when missing (CI names one that does not exist yet). A
// picture that cannot be saved is logged: it is not what the test checks.
func shot(t *testing.T, ctx context.Context, file string) {
	t.Helper()
	png := get(t, ctx, "capture "+file, chromedp.CaptureScreenshot())
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Logf("save %s: %v", file, err)
		return
	}
	if err := os.WriteFile(file, png, 0o644); err != nil {
		t.Logf("save %s: %v", file, err)
		return
	}
	t.Logf("screenshot: %s", file)
}

// TestFormErrorSummary sends the target page's figure form, far down the
// page, with text for a number: the page comes back with a summary at the
// top, announced as an alert and holding the focus, linking to the field,
// which is marked invalid and described by its message; axe finds nothing.
func TestFormErrorSummary(t *testing.T) {
	src := axeSource(t)
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		login(t, ctx, base, "tongji", demo.Password)
		id := townTarget(t, a, "固定资产投资")
		do(t, ctx, "open the target", chromedp.Navigate(fmt.Sprintf("%s/targets/%d", base, id)),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=figure-form]")))
		do(t, ctx, "enter text for the figure",
			chromedp.SendKeys(chromedp.ID("value"), "二十"),
			chromedp.Click(chromedp.CSS(`[data-testid=figure-form] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS("[data-testid=error-summary]")))

		type summary struct {
			Role, Text, Focused, Href string
			Top                       float64
			Invalid, DescribedBy      string
			Message                   string
		}
		got := get(t, ctx, "read the summary", chromedp.Evaluate[summary](`(() => {
			const s = document.querySelector('[data-testid=error-summary]');
			const a = s.querySelector('a');
			const f = document.getElementById('value');
			const d = document.getElementById(f.getAttribute('aria-describedby') || '');
			return {
				role: s.getAttribute('role'), text: s.innerText,
				focused: document.activeElement === s ? 'summary' : document.activeElement.tagName,
				href: a ? a.getAttribute('href') : '',
				top: s.getBoundingClientRect().top,
				invalid: f.getAttribute('aria-invalid') || '', describedby: f.getAttribute('aria-describedby') || '',
				message: d ? d.textContent : ''
			};
		})()`))
		if got.Role != "alert" {
			t.Errorf("summary role = %q, want alert", got.Role)
		}
		if !strings.Contains(got.Text, "请输入数字") || !strings.Contains(got.Text, "提交未成功") {
			t.Errorf("summary = %q, want the heading and 请输入数字", got.Text)
		}
		if got.Focused != "summary" {
			t.Errorf("the focus is on %s, want the summary", got.Focused)
		}
		// Focused, the summary scrolls to the window's top edge: a fraction of
		// a pixel above it is the layout's rounding, still in view.
		if got.Top < -1 || got.Top > 400 {
			t.Errorf("the summary is %.0f px from the top of the window, want it in view at the top", got.Top)
		}
		if got.Href != "#value" {
			t.Errorf("summary link = %q, want #value", got.Href)
		}
		if got.Invalid != "true" {
			t.Errorf("value field aria-invalid = %q, want true", got.Invalid)
		}
		if !strings.Contains(got.Message, "请输入数字") {
			t.Errorf("value field aria-describedby = %q describes it as %q, want its message 请输入数字", got.DescribedBy, got.Message)
		}
		if dir := os.Getenv("GUATU_E2E_SHOTS"); dir != "" {
			shot(t, ctx, filepath.Join(dir, "form-error-summary.png"))
		}
		checkAxe(t, ctx, src, "the failed figure form")

		do(t, ctx, "follow the summary's link", chromedp.Click(chromedp.CSS("[data-testid=error-summary] a")))
		if f := get(t, ctx, "read the focus", chromedp.Evaluate[string](`document.activeElement.id`)); f != "value" {
			t.Errorf("after the summary's link the focus is on %q, want the value field", f)
		}
	})
}

// TestAxeVendored checks the vendored axe-core against its VERSIONS line,
// so it cannot be updated or edited without the table saying so, and that
// no copy of it is among the assets the binary embeds and serves.
func TestAxeVendored(t *testing.T) {
	table, err := os.ReadFile(filepath.Join("testdata", "axe", "VERSIONS"))
	if err != nil {
		t.Fatal(err)
	}
	var want string
	for _, line := range strings.Split(string(table), "\n") {
		if f := strings.Fields(line); len(f) == 4 && f[0] == "axe-core" && f[2] == "axe.min.js" {
			want = f[3]
		}
	}
	if want == "" {
		t.Fatal("VERSIONS has no line: axe-core VERSION axe.min.js SHA256")
	}
	sum := sha256.Sum256([]byte(axeSource(t)))
	if got := hex.EncodeToString(sum[:]); got != want {
		t.Errorf("axe.min.js sha256 = %s, VERSIONS says %s", got, want)
	}
	err = fs.WalkDir(web.Static(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(strings.ToLower(path.Base(p)), "axe") {
			t.Errorf("the binary embeds %s: axe-core is for the tests only", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// a11yDeeper opens and checks the first link of the page shown matching
// deeper (a task's correction form from the task's page), when there is one
// and the role may open it; it says how many pages it checked.
func a11yDeeper(t *testing.T, ctx context.Context, src, who string, deeper *regexp.Regexp, open func(string) bool) int {
	t.Helper()
	if deeper == nil {
		return 0
	}
	hrefs := get(t, ctx, "links of the detail page", chromedp.Evaluate[[]string](
		`Array.from(document.querySelectorAll('main a[href]'), a => a.getAttribute('href'))`))
	for _, h := range hrefs {
		if deeper.MatchString(h) {
			if open(h) {
				checkAxe(t, ctx, src, who+" "+h)
				t.Logf("%s: checked %s", who, h)
				return 1
			}
			return 0
		}
	}
	return 0
}
