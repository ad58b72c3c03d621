package e2e

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"guatu/internal/demo"
	"guatu/internal/org"
	"guatu/internal/platform/auth"
	"guatu/internal/platform/db"
)

func TestSignInSeeUnitsSignOut(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)

		login(t, ctx, base, "admin", demo.Password)
		if got := pagePath(t, ctx, base); got != "/" {
			t.Errorf("after signing in the browser is at %q, want the board /", got)
		}

		do(t, ctx, "open /units", chromedp.Navigate(base+"/units"))
		units := text(t, ctx, "[data-testid=units-table]")
		for _, want := range []string{demo.TownshipName, "双塘村"} {
			if !strings.Contains(units, want) {
				t.Errorf("units table lacks %s:\n%s", want, units)
			}
		}

		do(t, ctx, "sign out",
			chromedp.Click(chromedp.CSS("[data-testid=logout]")),
			chromedp.WaitVisible(chromedp.ID("login")))
		if got := pagePath(t, ctx, base); got != "/login" {
			t.Errorf("after signing out the browser is at %q, want /login", got)
		}
		if got, want := text(t, ctx, ".flash"), "您已安全退出"; !strings.Contains(got, want) {
			t.Errorf("flash = %q, want it to say %s", got, want)
		}

		// The session is gone: a signed-in page sends the browser back to sign in.
		do(t, ctx, "open /units signed out", chromedp.Navigate(base+"/units"), chromedp.WaitVisible(chromedp.ID("login")))
		if got := pagePath(t, ctx, base); !strings.HasPrefix(got, "/login?next=") {
			t.Errorf("signed out, /units led to %q, want /login?next=…", got)
		}
	})
}

func TestWrongPassword(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, _ := startServer(t, engine)

		do(t, ctx, "sign in with a wrong password", submitLogin(base, "admin", "not-the-password"))
		if got, want := text(t, ctx, "[data-testid=login-error]"), "账号或密码错误"; !strings.Contains(got, want) {
			t.Errorf("login error = %q, want it to say %s", got, want)
		}
		if got := pagePath(t, ctx, base); got != "/login" {
			t.Errorf("browser is at %q, want /login", got)
		}
		signedIn := get(t, ctx, "look for the user box", chromedp.Evaluate[bool](`!!document.querySelector('[data-testid=who]')`))
		if signedIn {
			t.Error("a wrong password signed the browser in")
		}
	})
}

// TestFirstSignInChangesPassword: a person whose account an administrator
// made signs in, is kept on 我的账户 until they have chosen their own
// password, then reaches the board.
func TestFirstSignInChangesPassword(t *testing.T) {
	engines(t, func(t *testing.T, engine db.Dialect) {
		ctx := newBrowser(t)
		base, a := startServer(t, engine)
		sys := auth.WithUser(context.Background(), auth.System())
		if _, err := a.Org.CreateAccount(sys, org.AccountInput{Login: "xiaowang", Password: "Given-by-admin-1", Role: auth.Viewer, UnitID: unitID(t, a, demo.TownshipName)}); err != nil {
			t.Fatal(err)
		}

		login(t, ctx, base, "xiaowang", "Given-by-admin-1")
		if got := pagePath(t, ctx, base); got != "/account" {
			t.Fatalf("after the first sign-in the browser is at %q, want /account", got)
		}
		if got := text(t, ctx, "[data-testid=must-change]"); !strings.Contains(got, "管理员设置") {
			t.Errorf("notice = %q, want it to say an administrator set the password", got)
		}
		do(t, ctx, "open /units before the change", chromedp.Navigate(base+"/units"), chromedp.WaitVisible(chromedp.CSS("[data-testid=account-password]")))
		if got := pagePath(t, ctx, base); got != "/account" {
			t.Errorf("/units before the change led to %q, want /account", got)
		}

		do(t, ctx, "choose a password",
			chromedp.SendKeys(chromedp.ID("old_password"), "Given-by-admin-1"),
			chromedp.SendKeys(chromedp.ID("password"), "My-own-Choice-7"),
			chromedp.SendKeys(chromedp.ID("password2"), "My-own-Choice-7"),
			chromedp.Click(chromedp.CSS(`form[action="/account/password"] button[type=submit]`)),
			chromedp.WaitVisible(chromedp.CSS(".flash")))
		if got := pagePath(t, ctx, base); got != "/" {
			t.Errorf("after the change the browser is at %q, want the board /", got)
		}
		if got := text(t, ctx, ".flash"); !strings.Contains(got, "密码已修改") {
			t.Errorf("flash = %q, want it to say the password changed", got)
		}
		do(t, ctx, "open /account", chromedp.Navigate(base+"/account"), chromedp.WaitVisible(chromedp.CSS("[data-testid=tokens]")))
	})
}
