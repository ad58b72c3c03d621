package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"strings"

	"guatu/internal/app"
	"guatu/internal/platform/i18n"
	"guatu/internal/setup"
)

// names is a repeatable string flag (--township A --township B).
type names []string

func (n *names) String() string     { return strings.Join(*n, ", ") }
func (n *names) Set(v string) error { *n = append(*n, v); return nil }

// cmdInit is the first install from the command line: what /setup does in
// the browser. It refuses, changing nothing, once an administrator exists.
func cmdInit(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs, c := newFlags("init", "init --district NAME --township NAME [--township NAME …] --admin-login L --password-stdin", stderr)
	district := fs.String("district", "", "the district (区), the top of the org tree")
	var townships names
	fs.Var(&townships, "township", "a township (镇/街道) of the district; repeat the flag for each")
	login := fs.String("admin-login", "", "the first administrator's login")
	stdinPW := fs.Bool("password-stdin", false, "read the administrator's password from the first line of standard input")
	if done, err := parse(fs, args); done {
		return err
	}
	if *district == "" || len(townships) == 0 || *login == "" || !*stdinPW {
		fs.Usage()
		return errUsage
	}
	pw, err := readPassword(stdin)
	if err != nil {
		return err
	}
	d, err := openDB(ctx, c)
	if err != nil {
		return err
	}
	defer d.Close()
	res, err := setup.Install(ctx, d, setup.Input{District: *district, Townships: townships, Login: *login, Password: pw})
	if err != nil {
		return describe(err)
	}
	printInstalled(stdout, c, res, *login)
	return nil
}

// printInstalled says what the install made and what to do next, in
// Chinese and then in English.
func printInstalled(w io.Writer, c *common, res setup.Result, login string) {
	serve := "guatu serve --addr 0.0.0.0:8080 --data " + c.data
	if c.dsn != "" {
		dsn := c.dsn
		if u, err := url.Parse(dsn); err == nil && u.User != nil {
			dsn = u.Redacted() // the password stays off the screen
		}
		serve = "guatu serve --addr 0.0.0.0:8080 --db '" + dsn + "'"
	}
	b := app.Messages()
	for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
		fmt.Fprintln(w)
		fmt.Fprintln(w, b.T(lang, "setup.done", res.District.Name, len(res.Townships), res.Indicators, login))
		fmt.Fprintln(w, b.T(lang, "setup.next"))
		fmt.Fprintln(w, "  "+b.T(lang, "setup.next.serve", serve))
		fmt.Fprintln(w, "  "+b.T(lang, "setup.next.sign_in", login))
		fmt.Fprintln(w, "  "+b.T(lang, "setup.next.org"))
		fmt.Fprintln(w, "  "+b.T(lang, "setup.next.figures"))
	}
	fmt.Fprintln(w)
}

// printSetupCode tells the person at the console where the first-run page
// is and the code that opens it.
func printSetupCode(w io.Writer, addr, code string) {
	b := app.Messages()
	page := "http://" + addr + "/setup"
	fmt.Fprintln(w)
	for _, lang := range []i18n.Lang{i18n.ZH, i18n.EN} {
		fmt.Fprintln(w, b.T(lang, "setup.console", page, code))
	}
	fmt.Fprintln(w)
}
